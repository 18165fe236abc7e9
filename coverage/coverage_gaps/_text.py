"""Plain-English text for numbers and candidate partners, shared by reasons, maps, report and CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import AREA_CODE

__all__ = ["fmt_number", "fmt_share", "count_words", "people", "candidate_lines"]


def fmt_number(value, digits: int = 0) -> str:
    """``1,281`` / ``4.2``; ``"n/a"`` for a missing or infinite value."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "n/a"
    if not np.isfinite(v):
        return "n/a"
    return f"{v:,.{digits}f}"


def fmt_share(value) -> str:
    """``47%``; ``"under 1%"`` for a small non-zero share; ``"n/a"`` when missing."""
    v = float(value)
    if not np.isfinite(v):
        return "n/a"
    text = f"{v:.0%}"
    return "under 1%" if v > 0 and text == "0%" else text  # 0.5% rounds to even, "0%": never for a non-zero share


def count_words(value, singular: str, plural: str | None = None, digits: int = 0) -> str:
    """``"1 area"``, ``"2 areas"``, ``"1,281 people"``: the number as :func:`fmt_number` shows it, then the
    noun that agrees with that shown number (so 0.6 people rounds to "1 person", never "1 people")."""
    text = fmt_number(value, digits)
    one = text in ("1", "1." + "0" * digits) if digits else text == "1"
    return f"{text} {singular if one else (plural or singular + 's')}"


def people(value, digits: int = 0) -> str:
    """``"1 person"`` / ``"310 people"`` (``"n/a people"`` when missing)."""
    return count_words(value, "person", "people", digits)


def candidate_lines(candidates: pd.DataFrame | None, *, escape=str, with_status: bool = False
                    ) -> dict[str, list[str]]:
    """Partners to train, per area code: ``"Name (OISC Level 1, 3.2 km away)"``, nearest first.

    The report and the map both list candidates this way.

    Parameters
    ----------
    candidates
        Rows of ``Result.candidates`` (``area_code``, ``name``, ``oisc_level``,
        ``distance_km`` and, for ``with_status``, ``status``).
    escape
        Applied to the name and status (the map passes its HTML escaper; the
        report's template escapes the whole line itself).
    with_status
        Also name the partner status (partner, prospective, trained).
    """
    out: dict[str, list[str]] = {}
    if candidates is None or not len(candidates):
        return out

    def column(name: str) -> pd.Series:
        return candidates[name] if name in candidates.columns else pd.Series(np.nan, index=candidates.index)

    levels = pd.to_numeric(column("oisc_level"), errors="coerce")
    distances = pd.to_numeric(column("distance_km"), errors="coerce")
    for code, name, level, status, km in zip(candidates[AREA_CODE], column("name"), levels, column("status"),
                                             distances):
        accredited = f"OISC Level {int(level)}" if level > 0 else "not yet accredited"  # NaN > 0 is False
        where = "" if pd.isna(km) else "inside the area" if km == 0 else f"{fmt_number(km, 1)} km away"
        details = (accredited, escape(status) if with_status else "", where)
        out.setdefault(str(code), []).append(f"{escape(name)} ({', '.join(x for x in details if x)})")
    return out
