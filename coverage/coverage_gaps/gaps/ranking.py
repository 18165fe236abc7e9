"""Rank the areas to target: 1 = the biggest gap, ties broken so the order never depends on input order."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InvalidValueError, describe
from ..schema import AREA_CODE, DEMAND, IN_COVERAGE

__all__ = ["RANK_MEASURES", "rank_areas", "rankable"]

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


def rankable(areas: pd.DataFrame, *, min_demand: float = 0.0) -> np.ndarray:
    """Which areas may be ranked: some recorded need, at least ``min_demand``, inside the supply data's coverage.

    An area with no demand figure ("no data") or outside the coverage is never
    ranked: ranking it as if it had no need would hide it.  An area with no
    recorded need (0 people) is not ranked either: it is no target, and a rank
    ("34,942nd") would read as a finding about it.
    """
    demand = pd.to_numeric(areas[DEMAND], errors="coerce").astype(float)
    ok = demand.notna() & (demand > 0) & (demand >= float(min_demand))
    if IN_COVERAGE in areas.columns:
        ok &= areas[IN_COVERAGE].fillna(True).astype(bool)
    return ok.to_numpy(dtype=bool)


def rank_areas(areas: pd.DataFrame, *, by: str = "unmet_demand", min_demand: float = 0.0) -> pd.Series:
    """Rank areas, 1 = the biggest gap.

    Parameters
    ----------
    areas
        One row per area with ``area_code``, ``demand`` and the measure ``by``
        (and optionally ``in_coverage``: areas outside it are not ranked).
    by
        A key of :data:`RANK_MEASURES`.  Larger unmet demand, demand or distance
        ranks higher; smaller access or coverage ranks higher.
    min_demand
        Areas with less demand than this, or no demand figure, are not ranked
        (rank is missing).

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
    order = pd.DataFrame(
        {"key": key.fillna(-np.inf), "demand": -areas[DEMAND].fillna(0).astype(float), "code": areas[AREA_CODE].astype(str)}
    )[rankable(areas, min_demand=min_demand)]
    order = order.sort_values(["key", "demand", "code"], ascending=[False, True, True], kind="mergesort")
    ranks = pd.Series(pd.NA, index=areas.index, dtype="Int64")
    ranks.loc[order.index] = np.arange(1, len(order) + 1)
    return ranks
