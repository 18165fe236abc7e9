"""Load demand layers: Home Office Asy_D11, ONS/Nomis population, any area-code table.

Each loader returns a :class:`Loaded` whose ``table`` has one row per area:
``area_code`` plus numeric demand column(s), and whose ``date`` is the date of
the figures.  Rows for another date, support type or geography are
*filtered*; rows that cannot be used (no code, a count that is not a number, a
code that matches no area) are *rejected* with a reason, never dropped quietly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .._validate import Loaded, RejectLog, finish
from ..errors import InvalidValueError, MissingColumnError, describe
from ..schema import AREA_CODE, ASYLUM_SUPPORT, POPULATION
from ._read import choose_date, iso_dates, match_column, norm_label, read_table

__all__ = ["load_asy_d11", "load_population", "load_demand_table"]

_ASY_COLUMNS = {
    "date": ("Date", "Quarter end", "Quarter ending", "Period", "Snapshot date"),
    "support": ("Support Type", "Support"),
    "la": ("Local Authority", "Local authority name", "LA name", "LAD name"),
    "code": ("LAD Code", "Local Authority Code", "LA code", "LAD22CD", "LAD23CD", "LAD24CD", "Area code"),
    "accommodation": ("Accommodation Type", "Accommodation"),
    "people": ("People", "Number of people", "Persons", "Count"),
}
_NOMIS_COLUMNS = {
    "code": ("GEOGRAPHY_CODE",),
    "name": ("GEOGRAPHY_NAME",),
    "type": ("GEOGRAPHY_TYPE",),
    "age": ("C_AGE_NAME", "AGE_NAME"),
    "value": ("OBS_VALUE",),
    "date": ("DATE", "DATE_NAME"),
    "gender": ("GENDER_NAME", "SEX_NAME"),
    "measure": ("MEASURES_NAME",),
}
_CODE_NAMES = (AREA_CODE, "LAD Code", "LAD code", "ltla code", "la code", "geography code", "code")


def load_asy_d11(
    path: str | Path,
    *,
    date: str = "latest",
    support_types: Iterable[str] | str | None = None,
    accommodation_types: Iterable[str] | str | None = None,
    area_codes: Iterable[str] | None = None,
    sheet: str | int | None = None,
    column: str = ASYLUM_SUPPORT,
) -> Loaded:
    """Load people on asylum support by local authority (Home Office table Asy_D11).

    Parameters
    ----------
    path
        The tidy CSV (``Date, Support Type, Local Authority, LAD Code,
        Accommodation Type, People``) or the official workbook (sheet
        ``Data - Asy_D11``; title rows above the header are skipped).
    date
        Quarter-end date as ISO ``YYYY-MM-DD`` (or ``2024 Q3``), or ``"latest"``.
    support_types, accommodation_types
        Keep only these (e.g. ``["Section 95"]``, ``["Dispersal Accommodation"]``);
        matched ignoring case and spacing, so both spellings of "Subsistence
        only" match.  All by default.
    area_codes
        Known area codes (the boundaries'); rows whose code matches none are
        rejected with a reason suggesting a boundary-vintage mismatch.
    sheet
        Worksheet of a workbook; by default the one holding the Asy_D11 header.
    column
        Name of the output column.

    Returns
    -------
    Loaded
        ``table``: ``area_code``, ``column`` (people, summed over the chosen
        support and accommodation types), one row per area; ``date``: the ISO date.

    Raises
    ------
    InvalidValueError
        The date, a support type or an accommodation type is not in the file.
    """
    df, first = read_table(path, sheet=sheet, header_hint=[c[0] for c in _ASY_COLUMNS.values()])
    file = Path(path).name
    cols = _find_columns(df, _ASY_COLUMNS, file, required=("date", "code", "people"),
                         fix="the Asy_D11 header is Date, Support Type, Local Authority, LAD Code, "
                             "Accommodation Type, People; rename the column or export the 'Data - Asy_D11' sheet")
    log, rows = RejectLog(file), pd.RangeIndex(first, first + len(df))
    df = df.set_axis(rows)
    dates = iso_dates(df[cols["date"]])
    bad = dates.isna()
    log.add_many(list(rows[bad.to_numpy()]), "date not recognised", column=cols["date"],
                 values=list(df.loc[bad, cols["date"]]))
    chosen = choose_date(date, dates[~bad], file=file, column=cols["date"])
    keep = ~bad & (dates == chosen)
    notes = [f"{file}: figures for {chosen}"]
    for key, wanted in (("support", support_types), ("accommodation", accommodation_types)):
        if wanted is not None:
            keep &= _category_mask(df, cols, key, wanted, file)
            notes.append(f"{file}: {cols[key]} limited to {', '.join(_as_list(wanted))}")
    filtered = int((~bad & ~keep).sum())
    scope = df[keep]
    la = scope[cols["la"]] if cols.get("la") else pd.Series(pd.NA, index=scope.index, dtype="string")
    ok = _check_codes(scope, cols["code"], la, area_codes, log)
    people = _numbers(scope.loc[ok], cols["people"], log, negative_ok=False)
    table = _sum_by_code(scope.loc[people.index, cols["code"]].str.strip(), people, column)
    loaded = Loaded(table=table, rejects=_sorted(log), read=len(df), used=len(people), filtered=filtered,
                    source=file, date=chosen, notes=notes)
    return finish(loaded, what="Asy_D11")


def load_population(
    path: str | Path,
    *,
    geography_type: str | None = None,
    age: str = "All Ages",
    date: str | None = None,
    area_codes: Iterable[str] | None = None,
    column: str = POPULATION,
) -> Loaded:
    """Load population by area from an ONS/Nomis long-format export.

    Parameters
    ----------
    path
        Nomis CSV with ``GEOGRAPHY_CODE, GEOGRAPHY_NAME, GEOGRAPHY_TYPE,
        C_AGE_NAME, OBS_VALUE, DATE`` (other Nomis columns are ignored).
    geography_type
        Which ``GEOGRAPHY_TYPE`` to keep (exact, or a part of the name that
        matches one type, e.g. ``"district"``).  By default the type whose name
        contains "district" (lower-tier districts and unitaries), so no person
        is counted twice; other types are filtered.
    age
        ``C_AGE_NAME`` to keep (``"All Ages"``), matched ignoring case.
    date
        ``DATE`` to keep; by default the file's only (or latest) date.
    area_codes
        Known area codes; rows whose code matches none are rejected.
    column
        Name of the output column.

    Returns
    -------
    Loaded
        ``table``: ``area_code``, ``column``; ``date``: the ``DATE`` value.
    """
    df, first = read_table(path, header_hint=("GEOGRAPHY_CODE", "GEOGRAPHY_TYPE", "OBS_VALUE", "DATE"))
    file = Path(path).name
    cols = _find_columns(df, _NOMIS_COLUMNS, file, required=("code", "value"),
                         fix="export the Nomis table as CSV with the GEOGRAPHY_CODE and OBS_VALUE columns")
    log, rows = RejectLog(file), pd.RangeIndex(first, first + len(df))
    df = df.set_axis(rows)
    keep = pd.Series(True, index=rows)
    notes = []
    if cols.get("type"):
        chosen_type = _geography_type(df[cols["type"]], geography_type, file)
        keep &= df[cols["type"]] == chosen_type
        notes.append(f"{file}: geography type {chosen_type!r}")
    elif geography_type is not None:
        raise MissingColumnError(describe("geography_type= needs a GEOGRAPHY_TYPE column", file=file,
                                          fix="leave geography_type out, or export GEOGRAPHY_TYPE from Nomis"))
    if cols.get("age"):
        keep &= _category_mask(df, cols, "age", age, file)
    elif age != "All Ages":
        raise MissingColumnError(describe("age= needs a C_AGE_NAME column", file=file, value=age,
                                          fix="leave age out, or export C_AGE_NAME from Nomis"))
    for key, default in (("gender", "Total"), ("measure", "Value")):
        if cols.get(key) and df.loc[keep, cols[key]].nunique() > 1:
            keep &= df[cols[key]].map(norm_label) == norm_label(default)
    chosen = None
    if cols.get("date"):
        chosen = choose_date("latest" if date is None else date, df.loc[keep, cols["date"]].str.strip(),
                             file=file, column=cols["date"], iso=False)
        keep &= df[cols["date"]].str.strip() == chosen
    filtered = int((~keep).sum())
    scope = df[keep]
    name = scope[cols["name"]] if cols.get("name") else pd.Series(pd.NA, index=scope.index, dtype="string")
    ok = _check_codes(scope, cols["code"], name, area_codes, log, repeats="reject")
    values = _numbers(scope.loc[ok], cols["value"], log, negative_ok=False)
    table = _sum_by_code(scope.loc[values.index, cols["code"]].str.strip(), values, column)
    loaded = Loaded(table=table, rejects=_sorted(log), read=len(df), used=len(values), filtered=filtered,
                    source=file, date=chosen, notes=notes)
    return finish(loaded, what="population")


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
    keep = pd.Series(True, index=rows)
    chosen, dcol = None, None
    if date is not None:
        dcol = date_column or match_column(df.columns, ("Date", "Period", "Quarter end"))
        if dcol is None or dcol not in df.columns:
            raise MissingColumnError(describe("date= needs a date column", file=file, value=date_column or "Date",
                                              expected="a column named Date", fix="pass date_column="))
        dates = iso_dates(df[dcol])
        chosen = choose_date(date, dates.dropna(), file=file, column=dcol)
        keep &= dates == chosen
    for col, wanted in (filters or {}).items():
        keep &= _category_mask(df, {col: match_column(df.columns, col)}, col, wanted, file)
    value_cols = _value_columns(df[keep], code, columns, file, exclude={dcol, *(filters or {})})
    filtered = int((~keep).sum())
    scope = df[keep]
    ok = _check_codes(scope, code, pd.Series(pd.NA, index=scope.index, dtype="string"), area_codes, log,
                      repeats="keep" if aggregate == "sum" else "reject")
    used = scope.loc[ok]
    values = {c: _numbers(used, c, log, negative_ok=True, empty_ok=True) for c in value_cols}
    good = used.index
    for v in values.values():
        good = good.intersection(v.index)
    codes = used.loc[good, code].str.strip()
    table = pd.concat([_sum_by_code(codes, values[c].loc[good], c).set_index(AREA_CODE) for c in value_cols],
                      axis=1).reset_index()
    loaded = Loaded(table=table, rejects=_sorted(log), read=len(df), used=len(good), filtered=filtered,
                    source=file, date=chosen, notes=[f"{file}: columns {', '.join(value_cols)}"])
    return finish(loaded, what="demand")


# --- private steps -----------------------------------------------------------


def _find_columns(df, spec: dict, file, *, required, fix) -> dict:
    cols = {key: match_column(df.columns, names) for key, names in spec.items()}
    missing = [spec[k][0] for k in required if cols[k] is None]
    if missing:
        names = ", ".join(map(repr, missing))
        raise MissingColumnError(describe(
            f"missing column(s) {names}", file=file,
            expected=f"a header with {names}; the file has " + ", ".join(repr(str(c)) for c in df.columns), fix=fix))
    return cols


def _sorted(log: RejectLog) -> pd.DataFrame:
    return log.frame().sort_values("row", kind="stable").reset_index(drop=True)


def _as_list(wanted) -> list[str]:
    return [wanted] if isinstance(wanted, str) else [str(w) for w in wanted]


def _category_mask(df, cols, key, wanted, file) -> pd.Series:
    col = cols.get(key)
    if col is None:
        raise MissingColumnError(describe(f"no column to select {key} from", file=file, value=wanted,
                                          expected="the file has " + ", ".join(map(repr, df.columns))))
    labels = df[col].map(norm_label)
    have = sorted({str(v) for v in df[col].dropna().unique()})
    folded = {norm_label(v) for v in have}
    asked = [norm_label(w) for w in _as_list(wanted)]
    asked = [f"section {w}" if w.isdigit() and f"section {w}" in folded else w for w in asked]
    unknown = [w for w, a in zip(_as_list(wanted), asked) if a not in folded]
    if unknown:
        raise InvalidValueError(describe(
            f"{col} {', '.join(map(repr, unknown))} not found in the file", file=file, column=col,
            expected="one of " + ", ".join(map(repr, have)), fix="use a value exactly as the file spells it"))
    return labels.isin(asked)


def _check_codes(scope, code_col, names, area_codes, log: RejectLog, repeats: str = "keep") -> pd.Series:
    """Reject rows with no code, a code matching no area or (optionally) a repeated code."""
    code = scope[code_col].str.strip()
    ok = code.notna() & (code != "")
    for row in scope.index[~ok.to_numpy()]:
        label = f" ({names[row]})" if pd.notna(names[row]) else ""
        log.add(row, f"area code is empty{label}; the row cannot be placed on an area", column=code_col)
    not_applicable = ok & code.str.match(r"(?i)^n/?a\b")  # "N/A - Subsistence Only (Dec 2023 - Sep 2024)"
    for row in scope.index[not_applicable.to_numpy()]:
        log.add(row, f"no area code ({code[row]}); the row cannot be placed on an area", column=code_col,
                value=code[row])
    ok &= ~not_applicable
    if area_codes is not None:
        known = set(area_codes)
        unknown = ok & ~code.isin(known)
        for row in scope.index[unknown.to_numpy()]:
            label = f" ({names[row]})" if pd.notna(names[row]) else ""
            log.add(row, f"code {code[row]}{label} matches no area in the boundaries; the demand file and the "
                         f"boundaries may be different vintages (e.g. LAD23 codes against LAD22 boundaries)",
                    column=code_col, value=code[row])
        ok &= ~unknown
    if repeats == "reject":
        dup = ok & code.where(ok).duplicated(keep="first")
        first_row = {c: r for r, c in code[ok & ~dup].items()}
        for row in scope.index[dup.to_numpy()]:
            log.add(row, f"code {code[row]} repeats row {first_row.get(code[row])}; each area must appear once "
                         f"(check the filters, or aggregate='sum' to add the rows up)",
                    column=code_col, value=code[row])
        ok &= ~dup
    return ok


def _numbers(scope, col, log: RejectLog, *, negative_ok: bool, empty_ok: bool = False) -> pd.Series:
    """Parse a column as numbers; reject rows that are not (returned Series has good rows only)."""
    text = scope[col].str.strip().str.replace(",", "", regex=False).str.replace("\u00a0", "", regex=False)
    values = pd.to_numeric(text, errors="coerce").astype(float)
    empty = text.isna() | (text == "")
    bad = ~empty & ~np.isfinite(values.fillna(0.0))
    bad |= values.isna() & ~empty
    if not empty_ok:
        bad |= empty
    if not negative_ok:
        bad |= values < 0
    for row in scope.index[bad.to_numpy()]:
        raw = scope.at[row, col]
        why = "is empty" if pd.isna(raw) or str(raw).strip() == "" else (
            "is negative" if pd.notna(values[row]) and values[row] < 0 else "is not a number")
        log.add(row, f"{col} {why}; expected a number", column=col, value=None if pd.isna(raw) else raw)
    return values[~bad]


def _sum_by_code(codes: pd.Series, values: pd.Series, column: str) -> pd.DataFrame:
    table = values.groupby(codes.astype(str), sort=True).sum(min_count=1)
    return pd.DataFrame({AREA_CODE: table.index.astype("string"), column: table.to_numpy(dtype=float)})


def _geography_type(types: pd.Series, wanted, file) -> str:
    have = sorted(types.dropna().unique().tolist())
    if wanted is not None:
        exact = [t for t in have if norm_label(t) == norm_label(wanted)]
        part = [t for t in have if norm_label(wanted) in norm_label(t)]
        pick = exact or (part if len(part) == 1 else [])
    else:
        pick = [t for t in have if "district" in norm_label(t)] if len(have) > 1 else have
    if len(pick) != 1:
        raise InvalidValueError(describe(
            "geography type not found" if wanted is not None else "several geography types and none is the "
            "district/unitary one; choose one so no area is counted twice", file=file, column="GEOGRAPHY_TYPE",
            value=wanted, expected="one of " + ", ".join(map(repr, have)), fix="pass geography_type="))
    return pick[0]


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
        text = df[c].dropna().str.replace(",", "", regex=False)
        if len(text) and pd.to_numeric(text, errors="coerce").notna().mean() >= 0.5:
            out.append(c)
    if not out:
        raise MissingColumnError(describe("no numeric columns found", file=file,
                                          expected="the file has " + ", ".join(map(repr, df.columns)),
                                          fix="pass columns= with the demand columns"))
    return out
