"""Every per-area measure in one call: local counts, distances, E2SFCA access, coverage.

The study region filters the *output*, never the supply: providers outside the
areas (over the border, in the next region) still serve the areas' demand,
and demand points of areas not in ``areas`` still compete for providers.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from .._validate import require_columns
from ..errors import DuplicateCodeError, describe
from ..schema import ACCESS, AREA_CODE, COVERAGE_SHARE, NEAREST_KM
from .apportion import _amounts, _to_bng
from .decay import check_catchment, make_decay
from .distance import coords, nearest_km
from .fca import fca_access_xy
from .local import _local_table, capacities
from .supply import is_lawyer, is_qualifying, levels

__all__ = ["area_measures", "area_mean", "NEAREST_LEVEL_KM"]

#: Distance columns by OISC level: nearest provider able to work at that level or above.
NEAREST_LEVEL_KM = {1: "nearest_level1_km", 2: "nearest_level2_km", 3: "nearest_level3_km"}


def area_mean(values: np.ndarray, weight: np.ndarray, slot: np.ndarray, n: int) -> np.ndarray:
    """Per-area mean of point values, weighted by demand; unweighted when the area's demand is 0.

    Points with 0 demand do not enter a weighted mean (so an unreachable,
    empty point cannot turn a finite mean into NaN).  Areas with no points
    get NaN.
    """
    bins = n + 1
    with np.errstate(invalid="ignore"):
        contribution = np.where(weight > 0, weight * values, 0.0)
    total = np.bincount(slot, weights=weight, minlength=bins)[:n]
    weighted = np.bincount(slot, weights=contribution, minlength=bins)[:n]
    count = np.bincount(slot, minlength=bins)[:n]
    plain = np.bincount(slot, weights=values, minlength=bins)[:n]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, weighted / np.where(total > 0, total, 1.0),
                        np.where(count > 0, plain / np.maximum(count, 1), np.nan))


def area_measures(
    areas: gpd.GeoDataFrame,
    providers: gpd.GeoDataFrame,
    points: gpd.GeoDataFrame,
    *,
    demand_column: str,
    population_column: str | None = None,
    catchment_km: float = 30.0,
    decay="gaussian",
    decay_table=None,
    rule: str = "asylum",
) -> pd.DataFrame:
    """Compute every coverage measure for each area.

    Parameters
    ----------
    areas
        Areas to report (``area_code``, polygons).
    providers
        Every provider, inside the areas or not (points, with ``oisc_level``,
        ``categories``, ``laa_contract``, ``regulated``, ``capacity``).
    points
        Demand points from :func:`coverage_gaps.measures.demand_points`
        (``area_code``, ``demand_column``, optional ``population_column``,
        point geometry).
    demand_column
        Column of ``points`` with people in need (e.g. ``asylum_support``).
    population_column
        Column of ``points`` with residents, for ``capacity_per_10k_residents``.
    catchment_km
        How far people can reasonably travel for advice, in km (straight line).
    decay, decay_table
        Distance decay for the E2SFCA (see :func:`coverage_gaps.measures.make_decay`):
        ``"gaussian"`` (default), ``"step"`` (classic 2SFCA) or ``"table"``.
    rule
        Which providers are supply (see :func:`coverage_gaps.measures.is_qualifying`).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``area_code`` in the order of ``areas``, with columns

        ``local_providers``, ``local_capacity``, ``level1_providers``,
        ``capacity_per_10k_residents``, ``capacity_per_1k_demand``
            Local counts (see :func:`coverage_gaps.measures.local_measures`).
        ``nearest_km``
            Straight-line km from the area's demand points to the nearest
            qualifying provider: the demand-weighted mean over the points
            (the plain mean when the area's demand is 0); ``inf`` when no
            provider qualifies anywhere.
        ``nearest_level1_km``, ``nearest_level2_km``, ``nearest_level3_km``
            The same (demand-weighted mean) to the nearest provider able to
            work at that OISC level *or above*, in any category.  LAA contract
            offices and regulated lawyers count as Level 3 equivalents (they
            may advise and represent at every stage).
        ``access``
            E2SFCA capacity per 1,000 people in demand: the demand-weighted mean
            of the points' access (plain mean when the area's demand is 0).
        ``coverage_share``
            Share (0-1) of the area's demand at points within ``catchment_km``
            of a qualifying provider (share of points when the demand is 0).

    Raises
    ------
    InvalidValueError, MissingColumnError, MissingCRSError, DuplicateCodeError
        Bad settings (unknown rule or decay, catchment not above 0), missing
        columns, negative demand or capacity, layers without a CRS, repeated
        area codes.
    """
    catchment = check_catchment(catchment_km)
    weight_fn = make_decay(decay, catchment_km=catchment, table=decay_table)
    require_columns(areas, [AREA_CODE, "geometry"], file="areas")
    require_columns(points, [AREA_CODE, demand_column, "geometry"], file="demand points",
                    fix="build them with coverage_gaps.measures.demand_points")
    if population_column is not None:
        require_columns(points, [population_column], file="demand points")
    areas = _to_bng(areas, "areas").reset_index(drop=True)
    providers = _to_bng(providers, "providers").reset_index(drop=True)
    points = _to_bng(points, "demand points").reset_index(drop=True)
    codes = areas[AREA_CODE].astype(str)
    if codes.duplicated().any():
        raise DuplicateCodeError(describe("area codes must be unique", file="areas", column=AREA_CODE,
                                          value=codes[codes.duplicated()].iloc[0], fix="merge or remove the repeated rows"))
    n = len(areas)

    point_codes = points[AREA_CODE].astype(str).to_numpy()
    slot = pd.Series(np.arange(n), index=codes.to_numpy()).reindex(point_codes).fillna(n).to_numpy(dtype=np.intp)
    demand = _amounts(points, demand_column, what="demand points", codes=point_codes)
    population = None if population_column is None else _amounts(points, population_column, what="demand points", codes=point_codes)
    demand_total = np.bincount(slot, weights=demand, minlength=n + 1)[:n]
    population_total = None if population is None else np.bincount(slot, weights=population, minlength=n + 1)[:n]

    qualifying = is_qualifying(providers, rule=rule).to_numpy()
    capacity = capacities(providers)
    out = _local_table(areas, providers, qualifying=qualifying, capacity=capacity, demand=demand_total,
                       population=population_total)

    demand_xy = coords(points, what="demand points")
    provider_xy = coords(providers, what="providers")
    supply_xy = provider_xy[qualifying]

    near = nearest_km(demand_xy, supply_xy)
    out[NEAREST_KM] = area_mean(near, demand, slot, n)
    level = levels(providers)
    lawyer = is_lawyer(providers)
    for k, column in NEAREST_LEVEL_KM.items():
        able = (level >= k) | lawyer
        out[column] = area_mean(nearest_km(demand_xy, provider_xy[able]), demand, slot, n)

    point_access = fca_access_xy(demand, capacity[qualifying], demand_xy, supply_xy, decay=weight_fn) * 1_000.0
    out[ACCESS] = area_mean(point_access, demand, slot, n)
    out[COVERAGE_SHARE] = area_mean((near <= catchment).astype(float), demand, slot, n)
    return out
