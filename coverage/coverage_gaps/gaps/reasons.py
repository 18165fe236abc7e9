"""Plain-English reasons: one sentence per area, built for every area at once (no row loop over pandas).

Example: ``"73 people on asylum support; nearest qualifying adviser 31 km; 0 qualifying providers inside the
area; access 0.1 per 1,000 against 2.7 (the average across England and Wales); about 70 people below the
average access across England and Wales; part desert: 56% of the need more than 30 km from a qualifying adviser"``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._text import fmt_number, fmt_share
from ..schema import ACCESS, DEMAND, GAP, LOCAL_PROVIDERS, NEAREST_KM, SHARE_BEYOND_REACH, UNMET_DEMAND
from ..settings import DEFAULTS
from .categories import Shortfall, shortfall as _shortfall

__all__ = ["demand_label", "reasons", "explain"]

_DEMAND_LABELS = {
    "asylum_support": "people on asylum support",
    "population": "residents",
    "resettled": "people resettled",
}


def demand_label(column: str) -> str:
    """Plain-English name of a demand column ("people on asylum support")."""
    return _DEMAND_LABELS.get(column, f"people in need ({column.replace('_', ' ')})")


def _numbers(values, digits) -> np.ndarray:
    return np.array([fmt_number(v, d) for v, d in zip(values, np.broadcast_to(digits, len(values)))], dtype=object)


def _category_words(gap: np.ndarray, share: np.ndarray, *, km: str, who: str, measure: Shortfall,
                    drought_share: float, coverage: str) -> np.ndarray:
    shares = np.array([fmt_share(v) if np.isfinite(v) else "" for v in share], dtype=object)
    average = "the standard" if measure.standard else "the average"
    words = {
        "desert": f"advice desert: no qualifying adviser within {km} km",
        "drought": f"advice drought: access below {fmt_share(drought_share)} of {average}",
        "below average": "",  # the shortfall before it says so
        "below standard": "",
        "at or above": f"at or above {average}",
        "no recorded need": "no recorded need at this date",
        "no data": f"no data: no figure for {who} at this date, so the area is not ranked",
        "outside coverage": ("outside coverage: the supply data covers " + (coverage or "other areas")
                             + ", so the area is not ranked"),
    }
    out = np.array([words.get(g, g) for g in gap], dtype=object)
    part = gap == "part desert"
    out[part] = "part desert: " + shares[part] + f" of the need more than {km} km from a qualifying adviser"
    return out


def reasons(areas: pd.DataFrame, *, benchmark: float, demand_column: str, catchment_km: float,
            measure: Shortfall | None = None, drought_share: float = DEFAULTS.drought_share, coverage: str = "") -> pd.Series:
    """A plain-English reason for every area, aligned to ``areas``.

    Parameters
    ----------
    areas
        ``demand``, ``nearest_km``, ``local_providers``, ``access``,
        ``unmet_demand``, ``gap`` and ``share_beyond_reach`` per area.
    benchmark
        Benchmark access (capacity per 1,000 people in need).
    demand_column
        The demand layer, for its name in words.
    catchment_km
        The catchment, for "within 30 km".
    measure
        How the shortfall is named (default: the average across ``coverage``).
    drought_share
        The drought threshold, as a share of the benchmark.
    coverage
        The territory the supply data covers ("England and Wales"), or "".
    """
    measure = measure or _shortfall({}, coverage=coverage)
    who = demand_label(demand_column)
    km = fmt_number(catchment_km)
    n = len(areas)

    def col(name, default=np.nan):
        return (pd.to_numeric(areas[name], errors="coerce").astype(float).to_numpy() if name in areas.columns
                else np.full(n, default, dtype=float))

    demand, nearest, access = col(DEMAND), col(NEAREST_KM), col(ACCESS)
    local, unmet, share = col(LOCAL_PROVIDERS, 0.0), col(UNMET_DEMAND, 0.0), col(SHARE_BEYOND_REACH)
    gap = areas[GAP].astype(str).to_numpy() if GAP in areas.columns else np.full(n, "", dtype=object)
    has_need = np.isfinite(demand) & (demand > 0)
    blank = np.full(n, "", dtype=object)

    need = np.where(np.isfinite(demand), _numbers(demand, 0) + f" {who}", f"no figure for {who}")
    near = np.where(np.isfinite(nearest),
                    "nearest qualifying adviser " + _numbers(nearest, np.where(nearest >= 10, 0, 1)) + " km",
                    "no qualifying adviser anywhere in the data")
    local_text = _numbers(local, 0) + np.where(local == 1, " qualifying provider", " qualifying providers") \
        + " inside"
    beyond = np.where(has_need & (share > 0) & ~np.isin(gap, ["desert", "part desert"]),
                      np.array([fmt_share(v) if np.isfinite(v) else "" for v in share], dtype=object)
                      + f" of the need more than {km} km from a qualifying adviser", blank)
    against = f" per 1,000 against {fmt_number(benchmark, 1)} ({measure.benchmark_words})"
    access_text = np.where(has_need & np.isfinite(access), "access " + _numbers(access, 1) + against, blank)
    short = np.where(has_need & (unmet > 0), "about " + _numbers(unmet, 0) + f" {measure.label}", blank)
    category = _category_words(gap, share, km=km, who=who, measure=measure, drought_share=drought_share,
                               coverage=coverage)
    parts = zip(need, near, local_text, beyond, access_text, short, category)
    text = ["; ".join(p for p in row if p) for row in parts]
    return pd.Series([t[:1].upper() + t[1:] for t in text], index=areas.index, name="reason", dtype=object)


def explain(row: pd.Series, *, benchmark: float, demand_column: str, catchment_km: float,
            measure: Shortfall | None = None, drought_share: float = DEFAULTS.drought_share, coverage: str = "") -> str:
    """The reason for one area (see :func:`reasons`, which does every area at once)."""
    return reasons(pd.DataFrame([row]), benchmark=benchmark, demand_column=demand_column,
                   catchment_km=catchment_km, measure=measure, drought_share=drought_share,
                   coverage=coverage).iloc[0]
