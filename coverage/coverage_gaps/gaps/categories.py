"""One gap category per area, and the words for the shortfall measure in use.

Categories (:data:`~coverage_gaps.schema.GAP_CATEGORIES`), checked in this order:

* ``outside coverage``: outside the territory the supply data covers (not a desert);
* ``no data``: no demand figure for the date used;
* ``no recorded need``: 0 people in need;
* ``desert``: nobody in the area within reach of a qualifying provider;
* ``part desert``: at least ``part_desert_share`` of the area's need beyond reach;
* ``drought``: in reach, but access below ``drought_share`` of the benchmark;
* ``below average`` (benchmark = the average across the coverage) or
  ``below standard`` (benchmark = a stated standard): any other shortfall;
* ``at or above``: access at or above the benchmark.

So an area with a positive shortfall is never ``at or above``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..settings import AnalysisSettings
from .._text import fmt_number
from ..errors import InvalidValueError, describe
from ..schema import ACCESS, COVERAGE_SHARE, DEMAND, GAP, IN_COVERAGE, SHARE_BEYOND_REACH
from ..settings import DEFAULTS

__all__ = ["Shortfall", "shortfall", "classify", "share_beyond_reach", "is_standard"]


@dataclass(frozen=True)
class Shortfall:
    """How the shortfall measure (``unmet_demand`` in the Result) is named wherever people read it.

    Attributes
    ----------
    standard
        True when the benchmark is a stated standard (absolute), False when it
        is the average access across the coverage (relative).
    column
        Its header in CSV, XLSX and GeoPackage exports.
    label
        Plain words for the figure ("people below the average access across England and Wales").
    heading
        A short table heading ("People below average").
    benchmark_words
        The benchmark in words ("the average across England and Wales", "the standard of one
        adviser per 200 people").
    category
        The gap category for an area short of the benchmark but neither desert nor drought.
    caveat
        With the relative measure: the sentence saying a shortage everywhere cannot show; else "".
    """

    standard: bool
    column: str
    label: str
    heading: str
    benchmark_words: str
    category: str
    caveat: str


def is_standard(settings: AnalysisSettings | dict) -> bool:
    """True when the settings state a standard (a number as ``benchmark``, or ``people_per_adviser``).

    A scenario that holds the baseline's benchmark as a number says what it was
    with ``benchmark_held = "average"`` or ``"standard"``.
    """
    settings = AnalysisSettings.of(settings)
    if settings.benchmark_held in ("average", "standard"):
        return settings.benchmark_held == "standard"
    bench = settings.benchmark
    numeric = isinstance(bench, (int, float)) and not isinstance(bench, bool)
    return numeric or float(settings.people_per_adviser) > 0


def territory_words(coverage: str) -> str:
    """A territory as it reads after "across": "England and Wales", "the United Kingdom"."""
    return f"the {coverage}" if coverage == "United Kingdom" else coverage


def shortfall(settings: AnalysisSettings | dict, *, coverage: str = "") -> Shortfall:
    """The :class:`Shortfall` words for these analysis settings and coverage territory."""
    settings = AnalysisSettings.of(settings)
    if is_standard(settings):
        bench = settings.benchmark
        if isinstance(bench, (int, float)) and not isinstance(bench, bool) and not settings.people_per_adviser:
            words = f"a standard of {fmt_number(bench, 2)} advisers per 1,000 people in need"
        else:
            words = f"one adviser per {fmt_number(settings.people_per_adviser)} people"
        return Shortfall(True, "people_below_standard", f"people's need unmet against {words}",
                         "Unmet need against the standard", f"the standard: {words}", "below standard", "")
    held = " before the changes" if settings.benchmark_held else ""
    across = f" across {territory_words(coverage)}" if coverage else ""
    where = f"the average{across}{held}"
    label = f"people below the average access{across}{held}"
    caveat = ("This is a shortfall against the average, not against a standard of need: if every area were "
              "short of advice, none would show a shortfall here, and doubling every provider's capacity "
              "would leave it unchanged.")
    return Shortfall(False, "people_below_average", label, "People below average", where, "below average", caveat)


def share_beyond_reach(areas: pd.DataFrame) -> pd.Series:
    """Share (0-1) of each area's need at points beyond reach of every qualifying provider.

    ``1 - coverage_share``; missing (NaN) where the area has no need or no figure,
    since a share of nobody means nothing.
    """
    demand = pd.to_numeric(areas[DEMAND], errors="coerce").astype(float)
    share = 1.0 - pd.to_numeric(areas[COVERAGE_SHARE], errors="coerce").astype(float)
    return share.where(demand > 0).clip(0.0, 1.0).rename(SHARE_BEYOND_REACH)


def _fraction(value, name: str, example: str) -> float:
    v = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else float("nan")
    if not 0 < v <= 1:
        raise InvalidValueError(describe(f"{name} must be above 0 and at most 1", column=f"[analysis] {name}",
                                         value=value, expected=f"a share, e.g. {example}",
                                         fix=f"set [analysis] {name} = {example}"))
    return v


def classify(areas: pd.DataFrame, *, benchmark: float, drought_share: float = DEFAULTS.drought_share,
             part_desert_share: float = DEFAULTS.part_desert_share, standard: bool = False) -> pd.Series:
    """The gap category of each area (see the module notes for the order).

    Parameters
    ----------
    areas
        ``demand``, ``access``, ``coverage_share`` and optionally ``in_coverage``
        (missing means every area is inside).
    benchmark
        Benchmark access (capacity per 1,000 people in need).
    drought_share, part_desert_share
        Shares above 0 and at most 1.
    standard
        True when the benchmark is a stated standard ("below standard"), else
        the average ("below average").

    Returns
    -------
    pandas.Series
        Named ``gap``, one of :data:`~coverage_gaps.schema.GAP_CATEGORIES` per area.
    """
    drought = _fraction(drought_share, "drought_share", "0.5")
    part = _fraction(part_desert_share, "part_desert_share", "0.5")
    demand = pd.to_numeric(areas[DEMAND], errors="coerce").astype(float).to_numpy()
    access = pd.to_numeric(areas[ACCESS], errors="coerce").astype(float).to_numpy()
    reach = pd.to_numeric(areas[COVERAGE_SHARE], errors="coerce").astype(float).to_numpy()
    inside = (areas[IN_COVERAGE].fillna(True).astype(bool).to_numpy() if IN_COVERAGE in areas.columns
              else np.ones(len(areas), dtype=bool))
    with np.errstate(invalid="ignore"):
        conditions = [
            ~inside,
            np.isnan(demand),
            demand == 0,
            reach == 0,
            (1.0 - reach) >= part,
            access < drought * float(benchmark),
            access < float(benchmark),
            access >= float(benchmark),
        ]
    choices = ["outside coverage", "no data", "no recorded need", "desert", "part desert", "drought",
               "below standard" if standard else "below average", "at or above"]
    return pd.Series(np.select(conditions, choices, default="no data"), index=areas.index, name=GAP)
