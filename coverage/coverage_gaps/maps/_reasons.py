"""Each area's reason, built in the page from its numbers instead of stored as a sentence per area.

A reason is about 200 characters; on a national layer of 35,000 areas the
sentences were most of the map.  The page gets the words once
(:func:`coverage_gaps.gaps.reason_phrases`, the words the pipeline used) and
the few numbers of each area, rounded as the reason shows them:

* ``d`` people in need, ``u`` shortfall: whole people (a share of a person
  stays above 0, shown "0", so "has need" is still known);
* ``km``: as the reason shows it (whole km from 10 km, else one decimal);
* ``a1``: access to one decimal;
* ``sb``: share of need beyond reach in whole percent (``0.5`` = "under 1%").

:func:`rebuild` gives what ``cgMap``'s ``reason`` builds in the page
(``templates/map.js``, the same steps as :func:`coverage_gaps.gaps.reasons`);
a browser test holds the two equal on the demo and on rounding edges.  Before a
map embeds numbers instead of sentences, every rebuilt reason is compared with
the Result's own ``reason``; an area whose sentence the numbers cannot give
back exactly keeps its sentence (``whyx``), so the page never shows a reason
that differs from the exports and the report.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._gap import present
from ..gaps import reason_phrases, reasons, shortfall
from ..schema import ACCESS, DEMAND, GAP, LOCAL_PROVIDERS, NEAREST_KM, REASON, SHARE_BEYOND_REACH, UNMET_DEMAND
from ._layers import esc, esc_many

__all__ = ["reason_columns", "rebuild", "whole_people", "reason_km", "percent_code"]

_NEEDED = (DEMAND, NEAREST_KM, LOCAL_PROVIDERS, ACCESS, UNMET_DEMAND, SHARE_BEYOND_REACH, GAP, REASON)


def _json(values: np.ndarray) -> list:
    """Floats as JSON numbers (whole ones as ints), None where missing or infinite."""
    return [None if v != v or v in (np.inf, -np.inf) else int(v) if v.is_integer() else v
            for v in np.asarray(values, dtype=float).tolist()]


def _round(v: np.ndarray, digits: int) -> np.ndarray:
    """Rounded as ``f"{x:.{digits}f}"`` shows it (Python's correctly rounded ``round``, not numpy's)."""
    return np.array([round(x, digits) if x == x else x for x in v.tolist()], dtype=float)


def whole_people(values) -> list:
    """Rounded to whole people; a positive figure under half a person stays positive (shown "0")."""
    v = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
    out = np.round(v)
    small = (v > 0) & (out == 0)
    out[small] = np.minimum(np.array([float(f"{x:.2g}") for x in v[small]]), 0.49)
    return _json(out)


def reason_km(values) -> list:
    """Distance as the reason shows it: whole km from 10 km, one decimal below (exact just under 10)."""
    v = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
    out = np.where(v >= 10, np.round(v), _round(v, 1))
    window = (v < 10) & (out >= 10)  # 9.95-10 km: shown "10.0 km", so keep the figure itself
    out[window] = v[window]
    return _json(out)


def percent_code(values) -> list:
    """Share as whole percent, as the reasons round it; 0.5 stands for "under 1%"."""
    v = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
    out = np.round(v * 100.0)
    out[(v > 0) & (out == 0)] = 0.5
    return _json(out)


def rebuild(cols: dict, gap: list[str], **phrase_args) -> pd.Series:
    """The reasons ``cgMap`` builds in the page: :func:`coverage_gaps.gaps.reasons` of the embedded numbers.

    The page formats each number as it is embedded (already rounded as the
    reason shows it), so the reasons of the embedded numbers are what it
    shows; ``sb``'s "under 1%" code becomes a share the reasons call so.
    """
    def values(key):
        return np.array([np.nan if v is None else v for v in cols[key]], dtype=float)

    share = values("sb") / 100.0
    share[values("sb") == 0.5] = 0.004
    frame = pd.DataFrame({DEMAND: values("d"), NEAREST_KM: values("km"), LOCAL_PROVIDERS: values("lp"),
                          ACCESS: values("a1"), UNMET_DEMAND: values("u"), SHARE_BEYOND_REACH: share, GAP: gap})
    return reasons(frame, **phrase_args)


def _escaped(phrases: dict) -> dict:
    gap = {key: [esc(w) for w in words.split("{share}")] for key, words in phrases["gap"].items()}
    return {"who": esc(phrases["who"]), "km": esc(phrases["km"]), "against": esc(phrases["against"]),
            "short": esc(phrases["short"]), "gap": gap}


def reason_columns(areas: pd.DataFrame, result, gaps: pd.Series) -> dict:
    """What the page needs for reasons: numbers and phrases, or (when they cannot be rebuilt) the sentences.

    Returns
    -------
    dict
        ``cols``: columns to add to the area data; ``why``: the phrases (with
        ``gap`` as a list aligned to the map's categories, ``present(gaps)``)
        or None; ``whyx``: sentences of areas the numbers do not give back
        exactly, by row number.
    """
    has_reason = REASON in areas.columns
    settings = result.settings
    benchmark = float(getattr(result, "benchmark", np.nan))
    if not has_reason or not all(c in areas.columns for c in _NEEDED) or not np.isfinite(benchmark):
        sentences = esc_many(areas[REASON]) if has_reason else [""] * len(areas)
        return {"cols": {"why": sentences}, "why": None, "whyx": {}}
    coverage = str(getattr(result, "coverage", "") or "")
    args = {"benchmark": benchmark, "demand_column": str(settings.demand), "catchment_km": settings.catchment_km,
            "drought_share": settings.drought_share, "measure": shortfall(settings, coverage=coverage),
            "coverage": coverage}
    phrases = _escaped(reason_phrases(**args))
    cols = {"d": whole_people(areas[DEMAND]), "km": reason_km(areas[NEAREST_KM]),
            "lp": _json(np.round(pd.to_numeric(areas[LOCAL_PROVIDERS], errors="coerce").astype(float).to_numpy())),
            "a1": _json(_round(pd.to_numeric(areas[ACCESS], errors="coerce").astype(float).to_numpy(), 1)),
            "u": whole_people(areas[UNMET_DEMAND]), "sb": percent_code(areas[SHARE_BEYOND_REACH])}
    built = rebuild(cols, gaps.astype(str).tolist(), **args).to_numpy()  # the category the page shows, as it will
    truth = areas[REASON].to_numpy()
    whyx = {str(i): esc(truth[i]) for i in np.flatnonzero(built != truth)}
    return {"cols": cols, "why": dict(phrases, gap=[phrases["gap"].get(g, [esc(g)]) for g in present(gaps)]),
            "whyx": whyx}
