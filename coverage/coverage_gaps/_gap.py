"""The gap category of each area, its colour and its words, for every map and the printed map.

``Result.areas`` carries a ``gap`` column (:data:`~coverage_gaps.schema.GAP`,
values :data:`~coverage_gaps.schema.GAP_CATEGORIES`).  For a Result built
without it (older runs, hand-made tables) :func:`gap_categories` derives the
category from the columns it has, in this order: the ``desert`` / ``drought``
flags; a missing demand figure is "no data"; 0 people is "no recorded need";
otherwise "below average" when some need is unmet and "at or above" when none is.

Colours are Okabe-Ito (colour-blind safe), from the most to the least severe;
every place that shows a colour also shows the category's words.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import DEMAND, DESERT, DROUGHT, GAP, GAP_CATEGORIES, UNMET_DEMAND

__all__ = ["GAP_COLOURS", "GAP_WORDS", "gap_categories", "present", "contrast", "text_colour"]

#: Fill per gap category (Okabe-Ito; "no data" is drawn hatched grey, "no recorded need" white).
GAP_COLOURS = {
    "desert": "#D55E00",
    "part desert": "#E69F00",
    "drought": "#F0E442",
    "below average": "#CC79A7",
    "below standard": "#CC79A7",
    "at or above": "#56B4E9",
    "no recorded need": "#FFFFFF",
    "no data": "#C8C8C8",
    "outside coverage": "#8C8C8C",
}
#: The legend's words for each category (what it means, in one line).
GAP_WORDS = {
    "desert": "Advice desert: nobody within reach of a qualifying adviser",
    "part desert": "Part desert: at least half the need beyond reach",
    "drought": "Advice drought: in reach, but access below half the benchmark",
    "below average": "Below average access (relative to the whole coverage)",
    "below standard": "Below the stated standard (absolute)",
    "at or above": "Access at or above the benchmark",
    "no recorded need": "No recorded need (0 people)",
    "no data": "No data: the need figure is missing",
    "outside coverage": "Outside the supply data's coverage",
}


def _flag(areas: pd.DataFrame, column: str) -> np.ndarray:
    if column not in areas.columns:
        return np.zeros(len(areas), dtype=bool)
    return areas[column].astype("boolean").fillna(False).to_numpy(dtype=bool)


def gap_categories(areas: pd.DataFrame) -> pd.Series:
    """One gap category per area (see the module notes), aligned with ``areas``.

    Parameters
    ----------
    areas
        ``Result.areas`` (or any table with some of ``gap``, ``desert``,
        ``drought``, ``demand``, ``unmet_demand``).

    Returns
    -------
    pandas.Series
        Strings from :data:`~coverage_gaps.schema.GAP_CATEGORIES`.
    """
    if GAP in areas.columns:
        given = areas[GAP].astype(object)
        if given.notna().all():
            return given.astype(str)
    demand = pd.to_numeric(areas.get(DEMAND, pd.Series(np.nan, index=areas.index)), errors="coerce").to_numpy()
    unmet = pd.to_numeric(areas.get(UNMET_DEMAND, pd.Series(0.0, index=areas.index)), errors="coerce").to_numpy()
    derived = np.select(
        [_flag(areas, DESERT), _flag(areas, DROUGHT), np.isnan(demand), demand == 0, np.nan_to_num(unmet) > 0],
        ["desert", "drought", "no data", "no recorded need", "below average"], default="at or above")
    out = pd.Series(derived, index=areas.index, dtype=object)
    if GAP in areas.columns:  # a partly filled column: keep what it says
        out = areas[GAP].astype(object).where(areas[GAP].notna(), out)
    return out.astype(str)


def present(categories: pd.Series) -> list[str]:
    """The categories that occur, in order of severity (unknown ones last, A-Z)."""
    found = set(categories.tolist())
    return [c for c in GAP_CATEGORIES if c in found] + sorted(found - set(GAP_CATEGORIES))


def _luminance(colour: str) -> float:
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255.0
    lin = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(lin @ np.array([0.2126, 0.7152, 0.0722]))


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (``#rrggbb``)."""
    return "#000000" if contrast("#000000", background) >= contrast("#ffffff", background) else "#ffffff"
