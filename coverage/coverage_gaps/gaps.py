"""Gaps: rank the areas to target, explain each rank, and find partners to train.

Reads the per-area measures (see :mod:`coverage_gaps.measures`) and turns them
into a target list a planner can act on and a funder can read.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from ._text import fmt_number
from .errors import InvalidValueError, describe
from .measures.supply import is_lawyer, levels
from .schema import (
    ACCESS,
    AREA_CODE,
    CATEGORIES,
    DEMAND,
    DESERT,
    DROUGHT,
    NEAREST_KM,
    OISC_LEVEL,
    PROVIDER_ID,
    PROVIDER_NAME,
    STATUS,
)

__all__ = ["RANK_MEASURES", "rank_areas", "explain", "find_candidates", "demand_label"]

#: Measures an area can be ranked by, and whether a larger value means a bigger gap.
RANK_MEASURES = {
    "unmet_demand": True,
    "demand": True,
    "nearest_km": True,
    "demand_per_10k": True,
    "access": False,
    "coverage_share": False,
    "capacity_per_1k_demand": False,
}

_DEMAND_LABELS = {
    "asylum_support": "people on asylum support",
    "population": "residents",
    "resettled": "people resettled",
}


def demand_label(column: str) -> str:
    """Plain-English name of a demand column ("people on asylum support")."""
    return _DEMAND_LABELS.get(column, f"people in need ({column.replace('_', ' ')})")


def rank_areas(areas: pd.DataFrame, *, by: str = "unmet_demand", min_demand: float = 0.0) -> pd.Series:
    """Rank areas, 1 = the biggest gap.

    Parameters
    ----------
    areas
        One row per area with ``area_code``, ``demand`` and the measure ``by``.
    by
        A key of :data:`RANK_MEASURES`.  Larger unmet demand, demand or distance
        ranks higher; smaller access or coverage ranks higher.
    min_demand
        Areas with less demand than this are not ranked (rank is missing).

    Returns
    -------
    pandas.Series
        Integer ranks (nullable ``Int64``) aligned to ``areas``; ties are broken
        by demand (larger first) and then by area code, so the order never
        depends on input order.
    """
    if by not in RANK_MEASURES:
        raise InvalidValueError(
            describe("cannot rank by this measure", column="rank_by", value=by,
                     expected=", ".join(RANK_MEASURES), fix="set rank_by to one of those")
        )
    key = pd.to_numeric(areas[by], errors="coerce").astype(float)
    if not RANK_MEASURES[by]:
        key = -key
    eligible = areas[DEMAND].fillna(0).astype(float) >= float(min_demand)
    order = pd.DataFrame(
        {"key": key.fillna(-np.inf), "demand": -areas[DEMAND].fillna(0).astype(float), "code": areas[AREA_CODE].astype(str)}
    )[eligible.to_numpy()]
    order = order.sort_values(["key", "demand", "code"], ascending=[False, True, True], kind="mergesort")
    ranks = pd.Series(pd.NA, index=areas.index, dtype="Int64")
    ranks.loc[order.index] = np.arange(1, len(order) + 1)
    return ranks


def explain(
    row: pd.Series,
    *,
    benchmark: float,
    benchmark_label: str,
    demand_column: str,
    catchment_km: float,
) -> str:
    """A plain-English reason for one area's place in the list.

    Example: ``"1,281 people on asylum support; nearest Level 2+ adviser 41 km;
    access 0.5 per 1,000 against 2.3 across England and Wales; advice drought"``.
    """
    parts = [f"{fmt_number(row[DEMAND])} {demand_label(demand_column)}"]
    nearest = row.get(NEAREST_KM, np.nan)
    if np.isfinite(nearest):
        parts.append(f"nearest qualifying adviser {fmt_number(nearest, 0 if nearest >= 10 else 1)} km")
    else:
        parts.append("no qualifying adviser anywhere in the data")
    local = int(row.get("local_providers", 0) or 0)
    parts.append(f"{local} qualifying provider{'s' if local != 1 else ''} inside the area")
    parts.append(f"access {fmt_number(row[ACCESS], 1)} per 1,000 against {fmt_number(benchmark, 1)} {benchmark_label}")
    if row.get("unmet_demand", 0) > 0:
        parts.append(f"about {fmt_number(row['unmet_demand'])} people's need unmet")
    if row.get(DESERT, False):
        parts.append(f"advice desert: no qualifying adviser within {fmt_number(catchment_km)} km")
    elif row.get(DROUGHT, False):
        parts.append("advice drought: capacity far below the benchmark")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def _is_trainable(providers: pd.DataFrame) -> np.ndarray:
    """Partners not yet able to do asylum casework: Level 1 or not accredited."""
    partner = providers[STATUS].fillna("").isin(["partner", "prospective", "trained"]).to_numpy(dtype=bool)
    return (levels(providers) < 2) & ~is_lawyer(providers) & partner


def find_candidates(areas, providers, *, within_km: float = 20.0, per_area: int = 5) -> pd.DataFrame:
    """Partners to train for each area: inside it or within ``within_km``, nearest first.

    Parameters
    ----------
    areas
        GeoDataFrame of target areas (EPSG:27700) with ``area_code``.
    providers
        GeoDataFrame of providers (EPSG:27700) in the Providers contract.
    within_km
        Search distance from the area's boundary; 0 means inside only.
    per_area
        At most this many candidates per area.

    Returns
    -------
    pandas.DataFrame
        ``area_code, provider_id, name, oisc_level, status, categories,
        distance_km`` (0 inside the area), sorted by area, distance, name.
    """
    columns = [AREA_CODE, PROVIDER_ID, PROVIDER_NAME, OISC_LEVEL, STATUS, CATEGORIES, "distance_km"]
    pool = providers[_is_trainable(providers)]
    if pool.empty or len(areas) == 0:
        return pd.DataFrame(columns=columns)
    target = areas[[AREA_CODE, "geometry"]].reset_index(drop=True)
    idx_p, idx_a = target.sindex.query(pool.geometry, predicate="dwithin", distance=within_km * 1000.0)
    if len(idx_p) == 0:
        return pd.DataFrame(columns=columns)
    distance_m = shapely.distance(pool.geometry.to_numpy()[idx_p], target.geometry.to_numpy()[idx_a])
    chosen = pool.iloc[idx_p]
    out = pd.DataFrame(
        {
            AREA_CODE: target[AREA_CODE].to_numpy()[idx_a],
            PROVIDER_ID: chosen[PROVIDER_ID].to_numpy(),
            PROVIDER_NAME: chosen[PROVIDER_NAME].to_numpy(),
            OISC_LEVEL: levels(chosen),
            STATUS: chosen[STATUS].to_numpy(),
            CATEGORIES: chosen[CATEGORIES].to_numpy(),
            "distance_km": np.round(distance_m / 1000.0, 2),
        }
    )
    out = out.sort_values([AREA_CODE, "distance_km", PROVIDER_NAME, PROVIDER_ID], kind="mergesort")
    return out.groupby(AREA_CODE, sort=False).head(per_area).reset_index(drop=True)
