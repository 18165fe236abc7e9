"""Local supply: providers and capacity inside each area, per head.

These are the simple counts a council officer asks for first ("how many
Level 2 asylum advisers are there in Stoke?").  They ignore travel across
borders; the distance and catchment measures (:mod:`.area`) do not.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._validate import require_columns
from ..errors import InvalidValueError, describe
from ..schema import (
    AREA_CODE,
    CAPACITY,
    LEVEL1_PROVIDERS,
    LOCAL_CAPACITY,
    LOCAL_PROVIDERS,
    PER_1K_DEMAND,
    PER_10K,
    PROVIDER_ID,
)
from .supply import _plain, is_qualifying, is_signposting

__all__ = ["capacities", "provider_areas", "containing_area", "local_measures", "per_head"]


def capacities(providers: pd.DataFrame) -> np.ndarray:
    """Each provider's ``capacity`` as floats.

    Raises
    ------
    InvalidValueError
        A capacity that is missing, negative or not a number (naming the provider).
    """
    require_columns(providers, [CAPACITY], file="providers", fix="load providers with coverage_gaps.io (default 1 per office)")
    values = pd.to_numeric(providers[CAPACITY], errors="coerce")
    bad = values.isna() | (values < 0) | np.isinf(values.fillna(0))
    if bad.any():
        k = int(np.flatnonzero(bad.to_numpy())[0])
        who = f" (provider {providers[PROVIDER_ID].iloc[k]!r})" if PROVIDER_ID in providers.columns else ""
        raise InvalidValueError(
            describe("capacity must be a number of 0 or more" + who, file="providers", column=CAPACITY,
                     value=_plain(providers[CAPACITY].iloc[k]), expected="advisers, FTE or matter starts",
                     fix="fill in the capacity, or leave it out for the default of 1 per office"))
    return values.to_numpy(dtype=float)


def provider_areas(areas: gpd.GeoDataFrame, providers: gpd.GeoDataFrame) -> np.ndarray:
    """Position in ``areas`` of the area each provider sits in (-1 when in none).

    A provider exactly on a shared border goes to the first area listed.
    Both layers must share a CRS.
    """
    return containing_area(areas.geometry.to_numpy(), providers.geometry.to_numpy())


def containing_area(area_geoms: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    """Position in ``area_geoms`` of the area each of ``geoms`` intersects (-1 when none).

    A geometry on a shared border goes to the first area listed.
    """
    parent = np.full(len(geoms), len(area_geoms), dtype=np.intp)
    if len(geoms) and len(area_geoms):
        pts, hit = shapely.STRtree(area_geoms).query(geoms, predicate="intersects")
        np.minimum.at(parent, pts, hit)
    parent[parent == len(area_geoms)] = -1
    return parent


def per_head(amount, people, *, per: float) -> np.ndarray:
    """``amount / people * per``, NaN where ``people`` is 0 or missing."""
    amount = np.asarray(amount, dtype=float)
    people = np.asarray(people, dtype=float)
    out = np.full(np.broadcast(amount, people).shape, np.nan)
    np.divide(amount * per, people, out=out, where=people > 0)
    return out


def local_measures(
    areas: gpd.GeoDataFrame,
    providers: gpd.GeoDataFrame,
    *,
    demand,
    population=None,
    rule: str = "asylum",
) -> pd.DataFrame:
    """Providers and capacity inside each area.

    Parameters
    ----------
    areas
        Areas (``area_code``, polygons) in the providers' CRS.
    providers
        Providers (points) with ``oisc_level``, ``categories``,
        ``laa_contract``, ``regulated`` and ``capacity``.
    demand
        Each area's total demand (people), aligned with ``areas``.
    population
        Each area's residents, aligned with ``areas``; None gives NaN rates.
    rule
        Supply rule (see :func:`coverage_gaps.measures.is_qualifying`).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``area_code``: ``local_providers`` (qualifying providers
        inside), ``local_capacity`` (their capacity), ``level1_providers``
        (signposting providers inside), ``capacity_per_10k_residents`` and
        ``capacity_per_1k_demand`` (local capacity per head; NaN when the
        area has no residents or no demand).
    """
    return _local_table(areas, providers, qualifying=is_qualifying(providers, rule=rule).to_numpy(),
                        capacity=capacities(providers), demand=demand, population=population)


def _local_table(areas, providers, *, qualifying: np.ndarray, capacity: np.ndarray, demand, population) -> pd.DataFrame:
    """:func:`local_measures` from the providers' qualifying flags and capacities, already computed."""
    signposting = is_signposting(providers).to_numpy()
    where = provider_areas(areas, providers)
    n = len(areas)
    inside = where >= 0
    slot = np.where(inside, where, n)  # an extra bin collects providers outside every area
    count = np.bincount(slot, weights=qualifying, minlength=n + 1)[:n]
    local_capacity = np.bincount(slot, weights=np.where(qualifying, capacity, 0.0), minlength=n + 1)[:n]
    level1 = np.bincount(slot, weights=signposting, minlength=n + 1)[:n]
    people = np.full(n, np.nan) if population is None else np.asarray(population, dtype=float)
    return pd.DataFrame(
        {
            LOCAL_PROVIDERS: count.astype(np.int64),
            LOCAL_CAPACITY: local_capacity,
            LEVEL1_PROVIDERS: level1.astype(np.int64),
            PER_10K: per_head(local_capacity, people, per=10_000),
            PER_1K_DEMAND: per_head(local_capacity, demand, per=1_000),
        },
        index=pd.Index(areas[AREA_CODE].astype(str).to_numpy(), name=AREA_CODE),
    )
