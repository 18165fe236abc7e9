"""What if we trained these organisations?  Before/after tables and the what-if recipe.

:func:`what_if` applies changes to a copy of the inputs and re-runs
:func:`coverage_gaps.pipeline.analyse`; :func:`compare` lines up any two
Results area by area (two provider snapshots, two quarters of demand, a
scenario and its baseline).

The benchmark is held at its level before the change (``hold_benchmark``):
training organisations adds supply, and with the default benchmark ("all
providers' supply per person") the bar would rise with it, so areas the
training never reaches would look worse.  Holding it fixed means an area's
unmet demand changes only because its own access changed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..result import Result
from ..settings import AnalysisSettings
from ..schema import ACCESS, AREA_CODE, AREA_NAME, DEMAND, DESERT, DROUGHT, NEAREST_KM, RANK, UNMET_DEMAND
from .changes import apply_changes

__all__ = ["Scenario", "compare", "what_if", "CHANGE_COLUMNS"]

_MEASURES = [DEMAND, ACCESS, UNMET_DEMAND, NEAREST_KM, DESERT, DROUGHT, RANK]

#: Columns of the change table, in order.
CHANGE_COLUMNS = [
    AREA_CODE, AREA_NAME,
    "demand_before", "demand_after", "change_demand",
    "access_before", "access_after", "change_access",
    "unmet_demand_before", "unmet_demand_after", "change_unmet_demand",
    "nearest_km_before", "nearest_km_after",
    "desert_before", "desert_after", "drought_before", "drought_after",
    "desert_closed", "status_change", "rank_before", "rank_after",
]


def _status(row) -> str:
    before = "desert" if row["desert_before"] else "drought" if row["drought_before"] else "ok"
    after = "desert" if row["desert_after"] else "drought" if row["drought_after"] else "ok"
    if before == after:
        return "" if before == "ok" else f"still a {before}"
    words = {("desert", "ok"): "desert closed", ("desert", "drought"): "desert closed, now a drought",
             ("drought", "ok"): "drought eased", ("ok", "desert"): "new desert", ("ok", "drought"): "new drought",
             ("drought", "desert"): "drought became a desert"}
    return words[(before, after)]


def compare(before: Result, after: Result) -> pd.DataFrame:
    """The change table: one row per area of either Result, before and after.

    Parameters
    ----------
    before, after
        Two Results (a baseline and a scenario, programme start and end, two
        quarters of demand).

    Returns
    -------
    pandas.DataFrame
        :data:`CHANGE_COLUMNS`: ``demand``, ``access``, ``unmet_demand``,
        ``nearest_km``, ``desert``, ``drought`` and ``rank`` before and after,
        the changes (after minus before; negative ``change_unmet_demand`` is
        need met), ``desert_closed`` and a plain ``status_change`` ("desert
        closed", "drought eased", "new desert" ...).  An area in only one
        Result has missing values on the other side.  Sorted by
        ``change_unmet_demand`` (biggest fall first), then area code.
    """
    def side(result: Result, suffix: str) -> pd.DataFrame:
        cols = [c for c in _MEASURES if c in result.areas.columns]
        frame = pd.DataFrame(result.areas[[AREA_CODE, AREA_NAME] + cols]).set_index(AREA_CODE)
        names = frame.pop(AREA_NAME)
        return frame.add_suffix(suffix), names

    b, names_b = side(before, "_before")
    a, names_a = side(after, "_after")
    table = b.join(a, how="outer")
    table.insert(0, AREA_NAME, names_a.reindex(table.index).fillna(names_b.reindex(table.index)))
    for col in (DEMAND, ACCESS, UNMET_DEMAND):
        after_, before_ = table[f"{col}_after"].astype(float), table[f"{col}_before"].astype(float)
        # two computations of one figure (summed in another order) differ in the 16th digit: that is no change,
        # and must not print as -0.0 nor decide the order of areas that did not change
        noise = np.isclose(after_, before_, rtol=1e-9, atol=1e-9)
        table[f"change_{col}"] = (after_ - before_).mask(noise, 0.0)
    for col in (DESERT, DROUGHT):
        for s in ("_before", "_after"):
            table[col + s] = table[col + s].astype("boolean")
    table["desert_closed"] = (table["desert_before"] & ~table["desert_after"]).fillna(False).astype(bool)
    known = table[["desert_before", "desert_after", "drought_before", "drought_after"]].notna().all(axis=1)
    table["status_change"] = ""
    if known.any():
        table.loc[known, "status_change"] = table[known].apply(_status, axis=1)
    table = table.reset_index().rename(columns={"index": AREA_CODE})
    for col in CHANGE_COLUMNS:
        if col not in table.columns:
            table[col] = np.nan
    order = table["change_unmet_demand"].fillna(0.0)
    table = table.assign(_o=order).sort_values(["_o", AREA_CODE], kind="mergesort").drop(columns="_o")
    return table[CHANGE_COLUMNS].reset_index(drop=True)


@dataclass
class Scenario:
    """A what-if run: the Results before and after, what changed, and the change table.

    Attributes
    ----------
    before, after
        Results of the baseline and the changed inputs (same settings and
        study region; ``after`` uses the baseline's benchmark when it was held).
    changes
        One row per provider changed: ``action, provider_id, name, detail``.
    table
        :func:`compare` of ``before`` and ``after``.
    """

    before: Result
    after: Result
    changes: pd.DataFrame
    table: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def result(self) -> Result:
        """The Result after the changes."""
        return self.after

    @property
    def deserts_closed(self) -> list[str]:
        """Codes of the areas that were advice deserts before and are not after."""
        return self.table.loc[self.table["desert_closed"], AREA_CODE].tolist()

    @property
    def n_deserts_closed(self) -> int:
        return len(self.deserts_closed)

    @property
    def unmet_demand_before(self) -> float:
        """Total unmet demand across the study region before the changes."""
        return float(self.before.areas[UNMET_DEMAND].sum())

    @property
    def unmet_demand_after(self) -> float:
        return float(self.after.areas[UNMET_DEMAND].sum())

    def summary(self) -> str:
        """One plain sentence for a notebook or a report."""
        closed = self.table[self.table["desert_closed"]]
        names = ", ".join(closed[AREA_NAME].astype(str)) or "none"
        return (f"Unmet demand {self.unmet_demand_before:,.0f} -> {self.unmet_demand_after:,.0f} "
                f"({self.unmet_demand_after - self.unmet_demand_before:+,.0f}); "
                f"deserts closed: {len(closed)} ({names}).")


def _labels(result: Result, like: Result) -> Result:
    return dataclasses.replace(result, title=like.title, region_name=like.region_name,
                               generated_on=like.generated_on, synthetic=like.synthetic)


def what_if(inputs, settings: AnalysisSettings | dict, changes, *, regions=(), hold_benchmark: bool = True,
            before: Result | None = None) -> Scenario:
    """Re-run the analysis with changed providers and compare it with the baseline.

    Parameters
    ----------
    inputs
        :class:`~coverage_gaps.pipeline.Inputs` (not modified).
    settings
        The ``[analysis]`` settings (``trained_capacity`` sets the capacity
        of a trained organisation when a change gives none).
    changes
        One change or a list: :class:`~.changes.Upskill`,
        :class:`~.changes.AddProviders`, :class:`~.changes.RemoveProviders`,
        :class:`~.changes.SetCapacity`, or dicts with an ``"action"``.
    regions
        Study region codes, as for :func:`~coverage_gaps.pipeline.analyse`.
    hold_benchmark
        Keep the baseline's benchmark for the scenario (see the module notes).
    before
        The baseline Result when already computed (its title and dates are
        copied to ``after``); computed here otherwise.

    Returns
    -------
    Scenario
        ``.after`` is the new Result; ``.table`` the change per area;
        ``.deserts_closed`` the areas no longer deserts.

    Examples
    --------
    >>> s = what_if(inputs, profile.analysis, [{"action": "upskill", "provider_ids": ["P07"]}],
    ...             regions=profile.regions)                                     # doctest: +SKIP
    >>> s.table[["area_name", "unmet_demand_before", "unmet_demand_after"]]      # doctest: +SKIP
    """
    from ..gaps import is_standard
    from ..pipeline import analyse

    settings = AnalysisSettings.of(settings)
    if before is None:
        before = analyse(inputs, settings, regions=regions)
    changed, log = apply_changes(inputs, changes, trained_capacity=float(settings.trained_capacity or 1.0),
                                 rule=settings.rule)
    after_settings = settings
    notes = []
    if hold_benchmark:
        after_settings = settings.replace(benchmark=float(before.benchmark),  # words stay true:
                                          benchmark_held="standard" if is_standard(settings) else "average")
        notes.append(f"benchmark held at {before.benchmark:.3g} per 1,000 (its level before the changes)")
    after = _labels(analyse(changed, after_settings, regions=regions), before)
    return Scenario(before=before, after=after, changes=log, table=compare(before, after), notes=notes)
