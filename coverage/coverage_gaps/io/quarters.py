"""Every quarter of an Asy_D11 file: the quarters it holds, and each one loaded.

Scenarios compare quarters and list them over time
(:func:`coverage_gaps.trend.demand_series`); they take what is loaded
here and never read a file themselves.  Each quarter is loaded, validated and
harmonised by :func:`~coverage_gaps.io.load_asy_d11`, so its rejects and
notes (and the warnings it raises) are those of a one-quarter load; the file
is read and its dates parsed once for all of them.
"""

from __future__ import annotations

from pathlib import Path

from .._validate import Loaded
from ..errors import InvalidValueError, describe
from ..schema import ASYLUM_SUPPORT
from ..tables import iso_dates, match_column, read_table
from .demand import _AsyFile, load_asy_d11

__all__ = ["asy_d11_quarters", "load_asy_d11_quarters"]


def asy_d11_quarters(path: str | Path) -> list[str]:
    """The quarter-end dates (ISO) an Asy_D11 file holds, oldest first."""
    table, _ = read_table(path, header_hint=["Date", "LAD Code", "People"])
    column = match_column(table.columns, ("Date", "Quarter end", "Quarter ending", "Period", "Snapshot date"))
    if column is None:
        raise InvalidValueError(describe("no date column", file=Path(path).name,
                                         expected="an Asy_D11 file with a Date column",
                                         fix="export the 'Data - Asy_D11' sheet of the Home Office workbook"))
    return sorted(set(iso_dates(table[column]).dropna().astype(str)))


def load_asy_d11_quarters(path: str | Path, *, dates=None, column: str = ASYLUM_SUPPORT,
                          **options) -> dict[str, Loaded]:
    """Asy_D11 for every quarter of the file (or the quarters asked for), each loaded on its own.

    Parameters
    ----------
    path
        The Asy_D11 file.
    dates
        Quarters to load (ISO dates or ``"2024 Q3"``); every quarter when None.
    column
        Name of the value column.
    options
        Passed on to :func:`~coverage_gaps.io.load_asy_d11`: ``area_codes`` (the
        boundaries each quarter is harmonised to), ``weights`` (population, to
        split a new council's people over its old districts), ``support_types`` ...

    Returns
    -------
    dict
        The date asked for (as given) to its :class:`~coverage_gaps._validate.Loaded` quarter, in order.
    """
    asy = _AsyFile.read(path, options.pop("sheet", None))
    quarters = sorted(map(str, asy.dates.dropna().unique())) if dates is None else list(dates)
    return {date: load_asy_d11(asy, column=column, date=date, **options) for date in quarters}
