"""Numbers written by people: explicit decimal marks, thousands groups, plausible bounds.

A capacity of ``1,5`` is never read as 15.  With the default decimal point a
comma is accepted only between groups of three digits (``1,500``); anything
else with a comma is refused with a reason.  An input declared with
``decimal = ","`` reads ``1,5`` as 1.5 and accepts ``.`` (or a space) between
thousands (``1.500,5``).
"""

from __future__ import annotations

import math
import re

from ..errors import describe

__all__ = ["parse_number", "DECIMAL_MARKS"]

#: The decimal marks a profile may declare for an input.
DECIMAL_MARKS = (".", ",")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")  # thin/no-break spaces and apostrophes group thousands
_POINT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d*)?(?:e[+-]?\d+)?", re.I)
_COMMA = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d*)(?:,\d*)?(?:e[+-]?\d+)?", re.I)


def parse_number(raw: str, *, what: str, decimal: str = ".", expected: str) -> float:
    """``raw`` as a finite number, written with the declared decimal mark.

    Raises
    ------
    ValueError
        With an analyst-facing reason: not a number, a decimal comma in a file
        declared (by default) to use decimal points, or infinity / NaN.
    """
    text = _SPACES.sub("", raw.strip())
    pattern = _COMMA if decimal == "," else _POINT
    if text and any(ch.isdigit() for ch in text) and pattern.fullmatch(text):
        value = float(text.replace(".", "").replace(",", ".") if decimal == "," else text.replace(",", ""))
        if math.isfinite(value):
            return value
    if decimal == "." and re.fullmatch(r"[+-]?\d*,\d+", text):
        raise ValueError(describe(
            f"{what} has a decimal comma", value=raw,
            expected=f"{expected}, written with a decimal point (1.5); a comma only between thousands (1,500)",
            fix="write the number with a decimal point, or, if the whole file uses decimal commas, declare "
            "decimal = \",\" for this input in the profile (load_partners(decimal=\",\") in Python)"))
    if decimal == "," and re.fullmatch(r"[+-]?\d*\.\d+", text):
        raise ValueError(describe(
            f"{what} has a decimal point in a file declared to use decimal commas", value=raw,
            expected=f"{expected}, written with a decimal comma (1,5); a point only between thousands (1.500)",
            fix="write the number with a decimal comma, or remove decimal = \",\" from the profile"))
    raise ValueError(describe(f"{what} is not a number", value=raw, expected=expected))
