"""Matching what a file says to what a loader wants: column names, category labels and dates.

:func:`match_column` finds a column among common spellings (``LAD Code``,
``lad_code``, ``LAD-code`` ...); :func:`norm_label` folds category labels
(case, dashes, spacing); :func:`iso_dates` and :func:`choose_date` read and
pick the date of the figures.  :data:`ONS_CODE` and :data:`ONS_NAME` match the
ONS code and name columns (``LAD22CD``, ``LSOA11NM``, ``RGN22CD`` ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..errors import EmptyInputError, InvalidValueError, describe

__all__ = ["match_column", "normalise_name", "norm_label", "norm_labels", "iso_dates", "choose_date", "ONS_CODE", "ONS_NAME"]

#: ONS code / name columns: LAD22CD, LSOA11NM, RGN22CD, CTRY21NM ...
ONS_CODE = re.compile(r"^([A-Za-z]+?)(\d\d)CD$")
ONS_NAME = re.compile(r"^([A-Za-z]+?)(\d\d)NM$")


def normalise_name(name: object) -> str:
    """A column name folded for matching: lower case, letters and digits only.

    >>> normalise_name(" LAD_Code ")
    'ladcode'
    """
    return re.sub(r"[^0-9a-z]", "", str(name).casefold())


def match_column(columns: Iterable[object], candidates: Iterable[str] | str) -> str | None:
    """Find the first column that matches one of ``candidates``.

    Matching ignores case, spaces, underscores and punctuation, so ``"LAD
    code"`` matches ``LAD_CODE`` and ``lad-code``.  Candidates are tried in
    order, so put the most specific spelling first.

    Parameters
    ----------
    columns
        The table's column names (e.g. ``df.columns``).
    candidates
        One spelling or several, in order of preference.

    Returns
    -------
    str or None
        The column name exactly as the table spells it, or ``None``.
    """
    if isinstance(candidates, str):
        candidates = [candidates]
    by_key: dict[str, object] = {}
    for col in columns:
        by_key.setdefault(normalise_name(col), col)
    for cand in candidates:
        hit = by_key.get(normalise_name(cand))
        if hit is not None:
            return hit
    return None


def norm_label(value: object) -> str:
    """A category label folded for matching: case, dashes and spacing ignored.

    >>> norm_label("Contingency Accommodation \u2013  Hotel")
    'contingency accommodation - hotel'
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", str(value))
    return " ".join(text.casefold().split())


def norm_labels(values: pd.Series) -> pd.Series:
    """:func:`norm_label` of every cell (``values.map(norm_label)``), folded once per distinct value.

    A category column (support type, accommodation type) holds a handful of
    values over thousands of rows.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    folded = np.array([norm_label(u) for u in uniques] + [""], dtype=object)  # code -1 (missing) takes ""
    return pd.Series(folded[codes], index=values.index,
                     dtype=values.dtype if isinstance(values.dtype, pd.StringDtype) else "str")  # as map gives


def iso_dates(values: pd.Series) -> pd.Series:
    """Dates as ISO ``YYYY-MM-DD`` text (``NA`` where not a date).

    Accepts ISO dates, day-first dates (``30/09/2024``, ``30 Sep 2024``),
    spreadsheet dates and quarters (``2024 Q3`` is its last day, 2024-09-30).
    """
    text = values.astype("string").str.strip()
    out = pd.to_datetime(text, format="ISO8601", errors="coerce")
    rest = out.isna() & text.notna()
    if rest.any():
        quarter = text[rest].str.extract(r"^(\d{4})\s*-?\s*Q([1-4])$", flags=re.I)
        is_q = quarter[0].notna()
        if is_q.any():
            ends = pd.PeriodIndex.from_fields(year=quarter.loc[is_q, 0].astype(int),
                                              quarter=quarter.loc[is_q, 1].astype(int), freq="Q").end_time
            out[quarter.index[is_q]] = ends.normalize()
        rest = out.isna() & text.notna()
        if rest.any():
            out[rest] = pd.to_datetime(text[rest], format="mixed", dayfirst=True, errors="coerce")
    return out.dt.strftime("%Y-%m-%d").astype("string")


def choose_date(wanted: str, available: pd.Series, *, file: str, column: str, iso: bool = True) -> str:
    """Pick ``wanted`` (or the latest with ``"latest"``) among ``available`` dates.

    Raises
    ------
    InvalidValueError
        The date is not in the file; the message lists the nearest dates.
    """
    have = sorted(map(str, available.dropna().unique()))
    if not have:
        raise EmptyInputError(describe("no dated rows", file=file, column=column,
                                       fix="check the file holds data rows with dates"))
    if str(wanted).strip().casefold() == "latest":
        return have[-1]
    asked = str(wanted).strip()
    if iso:
        parsed = iso_dates(pd.Series([asked]))[0]
        asked = asked if pd.isna(parsed) else str(parsed)
    if asked in have:
        return asked
    try:
        target = pd.Timestamp(asked)
        nearest = sorted(have, key=lambda d: abs((pd.Timestamp(d) - target).days))[:3]
    except (ValueError, TypeError):
        nearest = have[-3:]
    raise InvalidValueError(describe(
        "date not in the file", file=file, column=column, value=wanted,
        expected=f"one of the nearest dates {', '.join(sorted(nearest))} (the file has {len(have)} "
                 f"date(s), {have[0]} to {have[-1]})",
        fix="use a date from the file, or date='latest'"))
