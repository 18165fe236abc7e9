"""Measures a map can show, their classed breaks and colour-blind-safe colours.

Breaks come from :class:`mapclassify.FisherJenks` (natural breaks, exact and
deterministic) fitted to at most :data:`SAMPLE` evenly spaced quantiles of the
values, so the time does not grow with the number of areas and the same values
always give the same breaks.  When a measure has no more distinct values than
classes, every distinct value is its own class.

Colours are ColorBrewer ``YlOrRd`` (colour-blind safe, print friendly) taken
from branca, ordered so that the darker the colour, the bigger the gap: for
``access`` (more is better) low values are dark.  Areas with no value are grey
with a hatch, and say "No data" in the legend.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from branca.utilities import color_brewer

from ..errors import InvalidValueError, describe
from .._text import fmt_number as fmt  # "1,281", "4.25", "n/a"

__all__ = ["MEASURES", "MAP_MEASURES", "Measure", "Classes", "classify", "measure_spec", "fmt"]

#: Distinct values sampled for natural breaks.
SAMPLE = 200
SCHEME = "YlOrRd"
NO_DATA_COLOUR = "#c8c8c8"
K_RANGE = (2, 9)


@dataclass(frozen=True)
class Measure:
    """How one measure is named, formatted and coloured."""

    column: str
    label: str
    unit: str  # may hold "{who}" (people in need, e.g. "people on asylum support")
    digits: int
    larger_is_worse: bool
    short: str = ""  # unit after a value in a tooltip


#: The measures a map can show, in the order a chooser lists them.
MEASURES: dict[str, Measure] = {
    "unmet_demand": Measure("unmet_demand", "Unmet need", "{who} whose need is not met (estimate)", 0, True,
                            "people"),
    "access": Measure("access", "Access to qualifying advice", "advice capacity per 1,000 {who}", 2, False,
                      "per 1,000 in need"),
    "demand_per_10k": Measure("demand_per_10k", "Need per 10,000 residents", "{who} per 10,000 residents", 1, True,
                              "per 10,000 residents"),
    "nearest_km": Measure("nearest_km", "Distance to the nearest qualifying adviser", "km", 1, True, "km"),
}
MAP_MEASURES = tuple(MEASURES)


def measure_spec(measure: str, columns) -> Measure:
    """The :class:`Measure` named ``measure``; a clear error if unknown or absent."""
    if measure not in MEASURES:
        raise InvalidValueError(describe(
            "the map cannot show this measure", column="measure", value=measure,
            expected="one of " + ", ".join(MAP_MEASURES), fix="pass measure= one of those names"))
    if measure not in columns:
        raise InvalidValueError(describe(
            "this Result has no column for the measure", column=measure, value=measure,
            expected="a Result.areas column " + repr(measure),
            fix=("add a population layer to the profile so need per 10,000 residents can be computed"
                 if measure == "demand_per_10k" else "choose another measure: " + ", ".join(
                     m for m in MAP_MEASURES if m in columns))))
    return MEASURES[measure]


@dataclass(frozen=True)
class Classes:
    """Classed values: ``index`` per area (-1 = no data), a colour and a label per class."""

    index: np.ndarray
    bins: tuple[float, ...]
    colours: tuple[str, ...]
    labels: tuple[str, ...]
    no_data: int


def _palette(n: int, *, reverse: bool) -> list[str]:
    if n <= 0:
        return []
    full = color_brewer(SCHEME, max(n, 3))
    colours = full if n >= 3 else ([full[1]] if n == 1 else [full[0], full[2]])
    return colours[::-1] if reverse else colours


def _breaks(finite: np.ndarray, k: int) -> np.ndarray:
    uniq = np.unique(finite)
    if len(uniq) <= k:
        return uniq
    sample = np.quantile(finite, np.linspace(0.0, 1.0, min(SAMPLE, len(finite))), method="inverted_cdf")
    import mapclassify

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Numba not installed": the sample is small
        bins = np.asarray(mapclassify.FisherJenks(sample, k=k).bins, dtype=float)
    bins[-1] = uniq[-1]
    return np.unique(bins)


def classify(values, *, k: int, spec: Measure) -> Classes:
    """Class ``values`` into at most ``k`` classes (see the module notes).

    ``+inf`` (e.g. no qualifying adviser anywhere, for ``nearest_km``) joins
    the top class; ``NaN`` is no data.
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not K_RANGE[0] <= k <= K_RANGE[1]:
        raise InvalidValueError(describe(
            "the number of map classes is out of range", column="k", value=k,
            expected=f"a whole number from {K_RANGE[0]} to {K_RANGE[1]}", fix="pass k=5 (the default) or similar"))
    v = np.asarray(values, dtype=float)
    finite = v[np.isfinite(v)]
    bins = _breaks(finite, int(k)) if len(finite) else np.array([])
    return _labelled(v, bins, spec)


def _labelled(v: np.ndarray, bins: np.ndarray, spec: Measure) -> Classes:
    """Classes as a reader sees them: values and breaks rounded to the digits shown, empty classes dropped.

    Each class holds the shown values above the previous break up to its own,
    so the labels never overlap: "0 to 16", "17 to 40" (a class of one value
    reads "16").  ``+inf`` joins the top class ("or more"; for distances "or
    none in the data"); ``NaN`` is no data (index -1).
    """
    step = 10.0 ** -spec.digits
    finite = np.isfinite(v)
    shown = np.where(finite, np.round(np.where(finite, v, 0.0), spec.digits) + 0.0, np.nan)
    edges = np.unique(np.round(bins[np.isfinite(bins)], spec.digits) + 0.0) if len(bins) else np.array([])
    if finite.any():
        edges = np.union1d(edges[edges < np.nanmax(shown)], [np.nanmax(shown)])
    has_inf = bool(np.isposinf(v).any())
    index = np.full(len(v), -1, dtype=int)
    if len(edges):
        index[finite] = np.minimum(np.searchsorted(edges, shown[finite], side="left"), len(edges) - 1)
        index[np.isposinf(v)] = len(edges) - 1
    elif has_inf:
        edges = np.array([np.inf])
        index[np.isposinf(v)] = 0
    used = np.unique(index[index >= 0])  # no empty classes
    index = np.where(index >= 0, np.searchsorted(used, index), -1)
    labels = []
    for j, c in enumerate(used):
        upper = edges[c]
        if not np.isfinite(upper):
            labels.append("none in the data")
            continue
        members = shown[(index == j) & finite]
        if len(members) and members.min() == members.max():  # one value shown: the class is that value
            lower = upper = float(members.min())
        else:
            lower = float(members.min()) if j == 0 else min(round(edges[used[j - 1]] + step, spec.digits), upper)
        labels.append(fmt(upper, spec.digits) if lower == upper
                      else f"{fmt(lower, spec.digits)} to {fmt(upper, spec.digits)}")
    if has_inf and finite.any() and labels:
        labels[-1] += " (or none in the data)" if spec.column == "nearest_km" else " (or more)"
    colours = _palette(len(used), reverse=not spec.larger_is_worse)
    return Classes(index=index, bins=tuple(float(edges[c]) for c in used), colours=tuple(colours),
                   labels=tuple(labels), no_data=int((index < 0).sum()))
