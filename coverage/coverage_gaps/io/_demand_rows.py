"""Shared steps of the demand loaders: find columns, pick the date, select categories, check codes and counts.

Each step records the rows it cannot use in the loader's
:class:`~coverage_gaps._validate.RejectLog`, with a reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validate import Loaded, RejectLog
from ..errors import InvalidValueError, MissingColumnError, describe
from ..schema import AREA_CODE
from ._match import choose_date, iso_dates, match_column, norm_label


def _find_columns(df, spec: dict, file, *, required, fix) -> dict:
    cols = {key: match_column(df.columns, names) for key, names in spec.items()}
    missing = [spec[k][0] for k in required if cols[k] is None]
    if missing:
        names = ", ".join(map(repr, missing))
        raise MissingColumnError(describe(
            f"missing column(s) {names}", file=file,
            expected=f"a header with {names}; the file has " + ", ".join(repr(str(c)) for c in df.columns), fix=fix))
    return cols


def _date_rows(df, col: str, wanted: str, log: RejectLog, file: str) -> tuple[pd.Series, pd.Series, str]:
    """Reject rows whose date is not recognised and pick the ``wanted`` date (or ``"latest"``).

    Returns the mask of rows of the chosen date, the mask of rows rejected
    here, and the chosen date (ISO).
    """
    dates = iso_dates(df[col])
    bad = dates.isna()
    log.add_many(list(df.index[bad.to_numpy()]), "date not recognised", column=col, values=list(df.loc[bad, col]))
    chosen = choose_date(wanted, dates[~bad], file=file, column=col)
    return ~bad & dates.eq(chosen).fillna(False), bad, chosen


def _number_text(values: pd.Series) -> pd.Series:
    """Cells as number text: spaces, thousands commas and non-breaking spaces removed."""
    return values.str.strip().str.replace(",", "", regex=False).str.replace("\u00a0", "", regex=False)


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
    text = _number_text(scope[col])
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


def _counts_by_code(df, keep, cols: dict, *, label: str, value: str, column: str, area_codes, log: RejectLog,
                    filtered: int, date, notes: list[str], repeats: str = "keep") -> Loaded:
    """Check the kept rows' codes and counts, add them up by area code and count every row.

    ``cols[label]`` (optional) names each row in rejects, ``cols[value]`` holds
    the counts (negative counts rejected); the caller passes the result to
    :func:`~coverage_gaps._validate.finish`.
    """
    scope = df[keep]
    names = scope[cols[label]] if cols.get(label) else pd.Series(pd.NA, index=scope.index, dtype="string")
    ok = _check_codes(scope, cols["code"], names, area_codes, log, repeats=repeats)
    values = _numbers(scope.loc[ok], cols[value], log, negative_ok=False)
    table = _sum_by_code(scope.loc[values.index, cols["code"]].str.strip(), values, column)
    return Loaded(table=table, rejects=log.frame(), read=len(df), used=len(values), filtered=filtered,
                  source=log.file, date=date, notes=notes)
