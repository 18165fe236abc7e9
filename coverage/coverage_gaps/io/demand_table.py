"""Load any table of area code plus numeric columns (IMD summaries, resettlement ...).

:func:`load_demand_table` returns a :class:`Loaded` whose ``table`` has one
row per area: ``area_code`` plus the numeric columns.  Rows for another date or
filter value are *filtered*; rows that cannot be used are *rejected* with a
reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from .._validate import Loaded, RejectLog, finish
from ..errors import MissingColumnError, describe
from ..schema import AREA_CODE
from ..vintages import known_codes
from ._demand_rows import _as_list, _category_mask, _check_codes, _date_rows, _number_text, _numbers, _sum_by_code
from ..tables import match_column, read_table

__all__ = ["load_demand_table"]

_CODE_NAMES = (AREA_CODE, "LAD Code", "LAD code", "ltla code", "la code", "geography code", "code")


def load_demand_table(
    path: str | Path,
    *,
    code_column: str | None = None,
    columns: Iterable[str] | None = None,
    area_codes: Iterable[str] | None = None,
    sheet: str | int | None = None,
    date: str | None = None,
    date_column: str | None = None,
    filters: Mapping[str, str | Iterable[str]] | None = None,
    aggregate: str | None = None,
) -> Loaded:
    """Load any table of area code plus numeric columns (IMD summaries, resettlement ...).

    Parameters
    ----------
    path
        CSV or XLSX with a code column and numeric columns.
    code_column
        Column with the area code; by default ``area_code``, an ONS
        ``XXXnnCD`` column or a column named like ``ltla22_code``/``LAD Code``.
    columns
        Numeric columns to keep; by default every column whose values are
        numbers (at least half of the filled cells; not year/quarter/date
        columns).  Cells that are not numbers are rejected, blank cells kept
        as missing.
    area_codes
        Known area codes; rows whose code matches none are rejected.
    sheet
        Worksheet of a workbook.
    date, date_column
        Keep rows of this date (ISO or ``"latest"``) from the date column
        (``Date`` by default); other rows are filtered.
    filters
        Long-format tables: ``{column: value or values}`` rows to keep (e.g.
        ``{"Resettlement Scheme": "UK Resettlement Scheme"}``); others are filtered.
    aggregate
        ``"sum"`` adds up rows that share an area code (long format);
        by default a repeated code is rejected.

    Returns
    -------
    Loaded
        ``table``: ``area_code`` and the numeric columns, one row per area.
    """
    df, first = read_table(path, sheet=sheet, header_hint=[code_column] if code_column else None)
    file = Path(path).name
    log, rows = RejectLog(file), pd.RangeIndex(first, first + len(df))
    df = df.set_axis(rows)
    code = _table_code_column(df, code_column, file)
    keep, rejected = pd.Series(True, index=rows), pd.Series(False, index=rows)
    chosen, dcol = None, None
    if date is not None:
        dcol = date_column or match_column(df.columns, ("Date", "Period", "Quarter end"))
        if dcol is None or dcol not in df.columns:
            raise MissingColumnError(describe("date= needs a date column", file=file, value=date_column or "Date",
                                              expected="a column named Date", fix="pass date_column="))
        keep, rejected, chosen = _date_rows(df, dcol, date, log, file)
    for col, wanted in (filters or {}).items():
        keep &= _category_mask(df, {col: match_column(df.columns, col)}, col, wanted, file)
    value_cols = _value_columns(df[keep], code, columns, file, exclude={dcol, *(filters or {})})
    filtered = int((~keep & ~rejected).sum())
    scope = df[keep]
    ok = _check_codes(scope, code, pd.Series(pd.NA, index=scope.index, dtype="string"), area_codes, log,
                      repeats="keep" if aggregate == "sum" else "reject", changed=known_codes(), harmonising=False)
    used = scope.loc[ok]
    values = {c: _numbers(used, c, log, negative_ok=True, empty_ok=True) for c in value_cols}
    good = used.index
    for v in values.values():
        good = good.intersection(v.index)
    codes = used.loc[good, code].str.strip()
    table = pd.concat([_sum_by_code(codes, values[c].loc[good], c).set_index(AREA_CODE) for c in value_cols],
                      axis=1).reset_index()
    loaded = Loaded(table=table, rejects=log.frame(), read=len(df), used=len(good), filtered=filtered,
                    source=file, date=chosen, notes=[f"{file}: columns {', '.join(value_cols)}"])
    return finish(loaded, what="demand")


# --- private steps -----------------------------------------------------------


def _table_code_column(df, code_column, file) -> str:
    if code_column is not None:
        col = code_column if code_column in df.columns else match_column(df.columns, code_column)
    else:
        col = match_column(df.columns, _CODE_NAMES) or next(
            (c for c in df.columns if str(c).upper().endswith("CD") or "code" in str(c).lower()), None)
    if col is None:
        raise MissingColumnError(describe(
            "no area code column found" if code_column is None else f"column {code_column!r} not found", file=file,
            expected="a column such as area_code, LAD Code or LAD22CD; the file has "
            + ", ".join(map(repr, df.columns)), fix="pass code_column= (code_column in the profile)"))
    return col


def _value_columns(df, code, columns, file, exclude) -> list[str]:
    if columns is not None:
        wanted = _as_list(columns)
        found = [c if c in df.columns else match_column(df.columns, c) for c in wanted]
        missing = [w for w, f in zip(wanted, found) if f is None]
        if missing:
            raise MissingColumnError(describe(
                f"missing column(s) {', '.join(map(repr, missing))}", file=file,
                expected="the file has " + ", ".join(map(repr, df.columns)), fix="check the columns= names"))
        return found
    skip = {"year", "quarter", "date"} | {str(e).lower() for e in exclude if e}
    out = []
    for c in df.columns:
        if c == code or str(c).lower() in skip:
            continue
        text = _number_text(df[c].dropna())
        if len(text) and pd.to_numeric(text, errors="coerce").notna().mean() >= 0.5:
            out.append(c)
    if not out:
        raise MissingColumnError(describe("no numeric columns found", file=file,
                                          expected="the file has " + ", ".join(map(repr, df.columns)),
                                          fix="pass columns= with the demand columns"))
    return out
