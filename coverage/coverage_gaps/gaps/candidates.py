"""Partners to train near each target area, and why an area has none."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from .._text import fmt_number
from ..measures.supply import is_lawyer, levels
from ..schema import AREA_CODE, CATEGORIES, OISC_LEVEL, PROVIDER_ID, PROVIDER_NAME, STATUS
from ..settings import DEFAULTS

__all__ = ["find_candidates", "partner_list_supplied", "no_candidates_text"]

#: Source kinds that are a charity's own partner list (see :mod:`coverage_gaps.sources`).
PARTNER_KINDS = ("partners",)


def _is_trainable(providers: pd.DataFrame) -> np.ndarray:
    """Partners not yet able to do asylum casework: Level 1 or not accredited."""
    partner = providers[STATUS].fillna("").isin(["partner", "prospective", "trained"]).to_numpy(dtype=bool)
    return (levels(providers) < 2) & ~is_lawyer(providers) & partner


def partner_list_supplied(sources, providers: pd.DataFrame | None = None) -> bool:
    """True when any input was a partner list (``Source.kind == "partners"``) or any provider is a partner."""
    if any(getattr(s, "kind", "") in PARTNER_KINDS for s in sources):
        return True
    if providers is None or STATUS not in providers.columns:
        return False
    return bool(providers[STATUS].fillna("").isin(["partner", "prospective", "trained"]).any())


def no_candidates_text(*, partner_list: bool, within_km: float) -> str:
    """Why an area searched for partners has none: no list at all, or none near enough."""
    if not partner_list:
        return "No partner list supplied"
    return f"None within {fmt_number(within_km)} km"


def find_candidates(areas, providers, *, within_km: float = DEFAULTS.candidate_km, per_area: int = 5) -> pd.DataFrame:
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
