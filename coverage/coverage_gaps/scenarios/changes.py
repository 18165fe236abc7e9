"""What-if changes to the providers, applied to a copy of the inputs.

A change is a small dataclass (or the same thing as a dict, handy in a
notebook or a JSON file):

====================  ===========================================================
:class:`Upskill`      train organisations to OISC Level 2 (or 3) in Asylum and
                      Protection: ``{"action": "upskill", "provider_ids": [...]}``
:class:`AddProviders` new advice points: ``{"action": "add", "providers": [{"name":
                      ..., "x": ..., "y": ..., "capacity": 2}]}`` (BNG metres, or
                      ``lon``/``lat``)
:class:`RemoveProviders`  ``{"action": "remove", "provider_ids": [...]}``
:class:`SetCapacity`  ``{"action": "capacity", "capacities": {"P12": 3}}``
====================  ===========================================================

:func:`apply_changes` never touches the original :class:`~coverage_gaps.pipeline.Inputs`:
it returns new inputs and a log with one row per provider changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import InvalidValueError, describe
from ..schema import (
    CAPACITY,
    CATEGORIES,
    CATEGORY_ASYLUM,
    CRS_BNG,
    CRS_WGS84,
    LAA_CONTRACT,
    LOCATION_PRECISION,
    OISC_LEVEL,
    PROVIDER_ID,
    PROVIDER_NAME,
    REGULATED,
    SOURCE,
    STATUS,
)
from ..settings import DEFAULTS

__all__ = ["Upskill", "AddProviders", "RemoveProviders", "SetCapacity", "as_change", "apply_changes",
           "add_category", "SCENARIO_SOURCE"]

#: Name of the provider layer that holds providers a scenario adds.
SCENARIO_SOURCE = "scenario"
LOG_COLUMNS = ["action", PROVIDER_ID, PROVIDER_NAME, "detail"]


@dataclass(frozen=True)
class Upskill:
    """Train organisations: OISC ``level`` (2 casework, 3 advocacy) in Asylum and Protection.

    ``capacity`` is the organisation's asylum capacity once trained; None
    means the profile's ``trained_capacity`` (for an organisation that already
    counts as supply, None keeps its capacity).
    """

    provider_ids: tuple[str, ...]
    level: int = 2
    capacity: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "provider_ids", _ids(self.provider_ids))


@dataclass(frozen=True)
class AddProviders:
    """New advice points: a GeoDataFrame, or dicts with ``x``/``y`` (BNG m) or ``lon``/``lat``.

    Missing fields: ``provider_id`` ``"new-1"``, ``"new-2"``...; ``oisc_level``
    2; ``categories`` ``"immigration;asylum"``; ``capacity`` the profile's
    ``trained_capacity``; ``status`` ``"trained"``.
    """

    providers: object = field(default_factory=list)


@dataclass(frozen=True)
class RemoveProviders:
    """Providers that close or stop taking asylum work."""

    provider_ids: tuple[str, ...]

    def __post_init__(self):
        object.__setattr__(self, "provider_ids", _ids(self.provider_ids))


@dataclass(frozen=True)
class SetCapacity:
    """New capacity (advisers, FTE or matter starts) by provider_id."""

    capacities: Mapping[str, float]


def _ids(values) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    return tuple(str(v) for v in values)


_ACTIONS = {"upskill": Upskill, "train": Upskill, "add": AddProviders, "remove": RemoveProviders,
            "capacity": SetCapacity}


def as_change(change) -> Upskill | AddProviders | RemoveProviders | SetCapacity:
    """Turn a dict such as ``{"action": "upskill", "provider_ids": ["P1"]}`` into a change."""
    if isinstance(change, (Upskill, AddProviders, RemoveProviders, SetCapacity)):
        return change
    if not isinstance(change, Mapping) or str(change.get("action", "")).lower() not in _ACTIONS:
        raise InvalidValueError(describe(
            "a scenario change must be Upskill, AddProviders, RemoveProviders, SetCapacity or a dict with an action",
            column="action", value=change.get("action") if isinstance(change, Mapping) else type(change).__name__,
            expected="one of " + ", ".join(repr(a) for a in _ACTIONS),
            fix='write e.g. {"action": "upskill", "provider_ids": ["P1"]}'))
    cls = _ACTIONS[str(change["action"]).lower()]
    options = {k: v for k, v in change.items() if k != "action"}
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(options) - names)
    if unknown:
        raise InvalidValueError(describe(f"unknown key(s) for a {change['action']!r} change", value=unknown,
                                         expected=", ".join(sorted(names)), fix="remove or rename the keys"))
    return cls(**options)


def add_category(text, category: str = CATEGORY_ASYLUM) -> str:
    """Add a category to a ``;``-joined categories field (kept once, in order)."""
    parts = [p.strip() for p in ("" if text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text))
                                 else str(text)).split(";") if p.strip()]
    if category not in [p.lower() for p in parts]:
        parts.append(category)
    return ";".join(parts)


def _locate(tables: dict[str, pd.DataFrame], ids: Iterable[str], action: str) -> dict[str, list]:
    """Rows of each provider table holding each id; raise on unknown or ambiguous ids."""
    where: dict[str, list] = {}
    for pid in ids:
        hits = [(name, idx) for name, t in tables.items() for idx in t.index[t[PROVIDER_ID].astype(str) == pid]]
        if not hits:
            raise InvalidValueError(describe(f"cannot {action} a provider that is not in the inputs", column=PROVIDER_ID,
                                             value=pid, fix="use a provider_id from the providers table (Result.providers)"))
        if len(hits) > 1:
            files = ", ".join(sorted({h[0] for h in hits}))
            raise InvalidValueError(describe(f"provider_id names {len(hits)} providers (in {files})",
                                             column=PROVIDER_ID, value=pid,
                                             fix="give each provider its own id across the provider files"))
        where[pid] = [hits[0]]
    return where


def _new_providers(spec, start: int, capacity: float) -> gpd.GeoDataFrame:
    if isinstance(spec, gpd.GeoDataFrame):
        frame = spec.to_crs(CRS_BNG) if spec.crs is not None else spec.set_crs(CRS_BNG)
        frame = pd.DataFrame(frame)
    else:
        rows = [dict(r) for r in spec]
        frame = pd.DataFrame(rows)
        if len(frame) and "geometry" not in frame.columns:
            def column(name):
                return pd.to_numeric(frame[name], errors="coerce") if name in frame.columns else pd.Series(np.nan, index=frame.index)

            x, y, lon, lat = column("x"), column("y"), column("lon"), column("lat")
            bng = x.notna() & y.notna()
            wgs = ~bng & lon.notna() & lat.notna()
            if not (bng | wgs).all():
                raise InvalidValueError(describe("a new provider needs a location", value=rows[int(np.flatnonzero(~(bng | wgs))[0])],
                                                 expected="x and y (British National Grid metres) or lon and lat",
                                                 fix='add e.g. "x": 390000, "y": 340000'))
            moved = gpd.GeoSeries(shapely.points(lon.fillna(0), lat.fillna(0)), crs=CRS_WGS84).to_crs(CRS_BNG)
            frame["geometry"] = np.where(bng, shapely.points(x.fillna(0), y.fillna(0)), moved.to_numpy())
        frame = frame.drop(columns=[c for c in ("x", "y", "lon", "lat") if c in frame.columns])
        if "geometry" not in frame.columns:  # no rows: an empty layer, not a crash
            frame["geometry"] = pd.Series([], dtype=object)
    n = len(frame)
    defaults = {
        PROVIDER_ID: [f"new-{start + i}" for i in range(n)],
        PROVIDER_NAME: [f"New provider {start + i}" for i in range(n)],
        OISC_LEVEL: 2, CATEGORIES: "immigration;asylum", LAA_CONTRACT: False, REGULATED: False,
        CAPACITY: capacity, STATUS: "trained", SOURCE: SCENARIO_SOURCE, LOCATION_PRECISION: "exact",
    }
    for col, value in defaults.items():
        if col not in frame.columns:
            frame[col] = value
        else:
            frame[col] = frame[col].where(frame[col].notna(), pd.Series(value if np.ndim(value) else [value] * n,
                                                                          index=frame.index))
    frame[PROVIDER_ID] = frame[PROVIDER_ID].astype(str)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=CRS_BNG)


def apply_changes(inputs, changes, *, trained_capacity: float = DEFAULTS.trained_capacity, rule: str = DEFAULTS.rule):
    """Apply changes to a copy of the inputs.

    Parameters
    ----------
    inputs
        :class:`~coverage_gaps.pipeline.Inputs`; left as it is.
    changes
        One change or a list (dataclasses or dicts), applied in order.
    trained_capacity
        Capacity of a trained or added organisation when the change gives none.
    rule
        Supply rule, to tell whether an upskilled organisation already counted.

    Returns
    -------
    new_inputs, log
        The changed inputs (added providers in a provider layer named
        ``"scenario"``) and a table ``action, provider_id, name, detail``.

    Raises
    ------
    InvalidValueError
        An unknown or ambiguous ``provider_id``, a bad level or capacity.
    """
    from ..measures.supply import is_qualifying, levels

    if isinstance(changes, (Mapping, Upskill, AddProviders, RemoveProviders, SetCapacity)):
        changes = [changes]
    tables = {name: loaded.table.copy() for name, loaded in inputs.providers.items()}
    for t in tables.values():  # a trained organisation may get a fractional capacity
        if CAPACITY in t.columns:
            t[CAPACITY] = pd.to_numeric(t[CAPACITY], errors="coerce").astype(float)
    log: list[dict] = []
    added = 0
    for change in map(as_change, changes):
        if isinstance(change, Upskill):
            if change.level not in (2, 3):
                raise InvalidValueError(describe("training raises an organisation to OISC Level 2 or 3", column="level",
                                                 value=change.level, expected="2 or 3"))
            for pid, [(name, idx)] in _locate(tables, change.provider_ids, "train").items():
                t = tables[name]
                already = bool(is_qualifying(t.loc[[idx]], rule=rule).iloc[0])
                old_level = int(levels(t.loc[[idx]])[0])
                t.at[idx, OISC_LEVEL] = max(old_level, change.level)
                t.at[idx, CATEGORIES] = add_category(t.at[idx, CATEGORIES])
                t.at[idx, STATUS] = "trained"
                if change.capacity is not None or not already:
                    t.at[idx, CAPACITY] = float(trained_capacity if change.capacity is None else change.capacity)
                detail = f"Level {old_level} -> Level {max(old_level, change.level)} asylum; capacity {t.at[idx, CAPACITY]:g}"
                log.append({"action": "upskill", PROVIDER_ID: pid, PROVIDER_NAME: t.at[idx, PROVIDER_NAME],
                            "detail": detail + ("; already counted as supply" if already else "")})
        elif isinstance(change, RemoveProviders):
            for pid, [(name, idx)] in _locate(tables, change.provider_ids, "remove").items():
                log.append({"action": "remove", PROVIDER_ID: pid, PROVIDER_NAME: tables[name].at[idx, PROVIDER_NAME],
                            "detail": f"removed from {name}"})
                tables[name] = tables[name].drop(index=idx)
        elif isinstance(change, SetCapacity):
            for pid, [(name, idx)] in _locate(tables, change.capacities, "change the capacity of").items():
                value = change.capacities[pid]
                if not (isinstance(value, (int, float)) and np.isfinite(value) and value >= 0):
                    raise InvalidValueError(describe("capacity must be a number of 0 or more", column=CAPACITY,
                                                     value=value, fix=f"give provider {pid!r} a capacity such as 1"))
                old = tables[name].at[idx, CAPACITY]
                tables[name].at[idx, CAPACITY] = float(value)
                log.append({"action": "capacity", PROVIDER_ID: pid, PROVIDER_NAME: tables[name].at[idx, PROVIDER_NAME],
                            "detail": f"capacity {float(old):g} -> {float(value):g}"})
        else:
            new = _new_providers(change.providers, added + 1, float(trained_capacity))
            added += len(new)
            clash = set(new[PROVIDER_ID]) & {str(v) for t in tables.values() for v in t[PROVIDER_ID]}
            if clash:
                raise InvalidValueError(describe("a new provider reuses an existing provider_id", column=PROVIDER_ID,
                                                 value=sorted(clash)[0], fix="give new providers ids of their own"))
            base = tables.get(SCENARIO_SOURCE)
            tables[SCENARIO_SOURCE] = new if base is None else gpd.GeoDataFrame(
                pd.concat([base, new], ignore_index=True), geometry="geometry", crs=CRS_BNG)
            for _, row in new.iterrows():
                log.append({"action": "add", PROVIDER_ID: row[PROVIDER_ID], PROVIDER_NAME: row[PROVIDER_NAME],
                            "detail": f"Level {int(row[OISC_LEVEL])}; capacity {float(row[CAPACITY]):g}"})
    providers = {}
    for name, table in tables.items():
        old = inputs.providers.get(name)
        if old is None:
            from .._validate import Loaded

            providers[name] = Loaded(table=table, rejects=pd.DataFrame(columns=["file", "row", "column", "value", "reason"]),
                                     read=len(table), used=len(table), source=SCENARIO_SOURCE,
                                     notes=["providers added by a what-if scenario"])
        else:
            providers[name] = dataclasses.replace(old, table=table)
    new_inputs = dataclasses.replace(inputs, providers=providers)
    return new_inputs, pd.DataFrame(log, columns=LOG_COLUMNS)
