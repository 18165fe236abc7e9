"""Rank stability: each area's rank under a grid of catchments and decays.

Ranks move with the catchment and the decay (Coventry is #3 at 30 km and #19
at 45 km).  :func:`rank_stability` re-ranks the study areas under every
setting of a small grid (by default 20, 30 and 45 km x step and Gaussian:
six runs) and reports each area's best and worst rank and in how many
settings it is in the top 10.  It is fast because the neighbour pairs are
searched once, at the largest reach, and filtered for each setting; the
benchmark does not depend on the catchment, so it is held.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InvalidValueError, describe
from ..measures import fca_access, make_decay, nearest_km, pairs_within, unmet_demand
from ..measures.area import _area_mean
from ..measures.decay import check_catchment
from ..measures.distance import coords
from ..measures.local import capacities
from ..schema import ACCESS, AREA_CODE, COVERAGE_SHARE, DEMAND, RANK_MAX, RANK_MIN, TOP_IN, UNMET_DEMAND
from ..settings import AnalysisSettings
from .ranking import rank_areas

__all__ = ["stability_grid", "rank_stability", "TOP_N", "GRID_DECAYS"]

#: "In the top 10" (the column is schema.TOP_IN, ``top10_in``).
TOP_N = 10
#: Decays the grid may use (a distance table has no catchment to vary).
GRID_DECAYS = ("step", "gaussian")


def stability_grid(settings: AnalysisSettings | dict) -> list[tuple[float, str]]:
    """The (catchment_km, decay) settings to re-rank under, from ``stability_catchment_km`` x ``stability_decay``."""
    settings = AnalysisSettings.of(settings)
    kms, decays = settings.stability_catchment_km, settings.stability_decay
    for d in decays:
        if d not in GRID_DECAYS:
            raise InvalidValueError(describe("decay not allowed in the rank-stability grid",
                                             column="[analysis] stability_decay", value=d,
                                             expected=" or ".join(GRID_DECAYS),
                                             fix='write stability_decay = ["step", "gaussian"]'))
    return [(check_catchment(km, column="[analysis] stability_catchment_km"), str(d)) for km in kms for d in decays]


def rank_stability(study: pd.DataFrame, points, providers, *, benchmark: float,
                   settings: AnalysisSettings | dict) -> pd.DataFrame:
    """Best rank, worst rank and settings in the top 10 for every study area.

    Parameters
    ----------
    study
        The study areas as :func:`~coverage_gaps.pipeline.analyse` ranks them
        (``area_code``, ``demand`` and every measure ``rank_by`` may use).
    points
        Demand points of every area in the data (``area_code``, ``demand``),
        EPSG:27700: people outside the study region still compete for supply.
    providers
        Every provider, with ``qualifying`` and ``capacity`` as analysed.
    benchmark
        The run's benchmark access (held: it does not depend on the catchment).
    settings
        The analysis settings (``rank_by``, ``min_demand``, the grid).

    Returns
    -------
    pandas.DataFrame
        ``rank_min``, ``rank_max`` and ``top10_in`` (nullable integers, missing
        for unranked areas) on ``study``'s index; ``.attrs["settings"]`` lists
        the grid as ``"20 km, step"`` texts.
    """
    settings = AnalysisSettings.of(settings)
    grid = stability_grid(settings)
    out = pd.DataFrame({RANK_MIN: pd.array([pd.NA] * len(study), dtype="Int64"),
                        RANK_MAX: pd.array([pd.NA] * len(study), dtype="Int64"),
                        TOP_IN: pd.array([pd.NA] * len(study), dtype="Int64")}, index=study.index)
    out.attrs["settings"] = [f"{km:g} km, {d}" for km, d in grid]
    if not grid or len(study) == 0:
        return out
    qualifying = providers["qualifying"].fillna(False).astype(bool).to_numpy()
    capacity = capacities(providers)[qualifying]
    supply_xy = coords(providers, what="providers")[qualifying]
    demand_xy = coords(points, what="demand points")
    demand = np.nan_to_num(pd.to_numeric(points[DEMAND], errors="coerce").astype(float).to_numpy())
    codes = study[AREA_CODE].astype(str).to_numpy()
    n = len(codes)
    slot = (pd.Series(np.arange(n), index=codes).reindex(points[AREA_CODE].astype(str).to_numpy())
            .fillna(n).to_numpy(dtype=np.intp))
    decays = [make_decay(d, catchment_km=km) for km, d in grid]
    i, j, dist = pairs_within(demand_xy, supply_xy, max_km=max(w.reach_km for w in decays))
    near = nearest_km(demand_xy, supply_xy)
    by = settings.rank_by
    ranks = []
    for (km, _), weight in zip(grid, decays):
        keep = dist <= weight.reach_km
        frame = study.copy()
        point_access = fca_access(demand, capacity, i[keep], j[keep], dist[keep], decay=weight) * 1_000.0
        frame[ACCESS] = _area_mean(point_access, demand, slot, n)
        frame[COVERAGE_SHARE] = _area_mean((near <= km).astype(float), demand, slot, n)
        frame[UNMET_DEMAND] = unmet_demand(frame[DEMAND], frame[ACCESS], benchmark)
        ranks.append(rank_areas(frame, by=by, min_demand=float(settings.min_demand)))
    table = pd.concat(ranks, axis=1)
    ranked = table.notna().any(axis=1)
    out.loc[ranked, RANK_MIN] = table[ranked].min(axis=1).astype("Int64")
    out.loc[ranked, RANK_MAX] = table[ranked].max(axis=1).astype("Int64")
    out.loc[ranked, TOP_IN] = (table[ranked] <= TOP_N).sum(axis=1).astype("Int64")
    return out
