"""Shared steps of the demand loaders: find columns, pick the date, select categories, check codes and counts.

Each step records the rows it cannot use in the loader's
:class:`~coverage_gaps._validate.RejectLog`, with a reason.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .._validate import Loaded, RejectLog
from ..errors import InvalidValueError, MissingColumnError, describe
from ..schema import AREA_CODE
from ..tables import choose_date, iso_dates, match_column, norm_label, norm_labels


def _find_columns(df, spec: dict, file, *, required, fix) -> dict:
    cols = {key: match_column(df.columns, names) for key, names in spec.items()}
    missing = [spec[k][0] for k in required if cols[k] is None]
    if missing:
        names = ", ".join(map(repr, missing))
        raise MissingColumnError(describe(
            f"missing column(s) {names}", file=file,
            expected=f"a header with {names}; the file has " + ", ".join(repr(str(c)) for c in df.columns), fix=fix))
    return cols


def _date_rows(df, col: str, wanted: str, log: RejectLog, file: str, *, code_col: str | None = None,
               today: str | None = None, min_share: float = 0.5,
               dates: pd.Series | None = None) -> tuple[pd.Series, pd.Series, str]:
    """Reject rows whose date is not recognised and pick the ``wanted`` date (or ``"latest"``).

    A date after ``today`` (the generated-on date) is refused; so is a
    ``"latest"`` date whose rows name fewer than ``min_share`` of the areas the
    date before names (a partial quarter): both messages name the two dates.

    Returns the mask of rows of the chosen date, the mask of rows rejected
    here, and the chosen date (ISO).  ``dates``: ``iso_dates(df[col])`` when
    the caller parsed them already (one parse for many quarters).
    """
    dates = iso_dates(df[col]) if dates is None else dates
    bad = dates.isna()
    log.add_many(list(df.index[bad.to_numpy()]), "date not recognised", column=col, values=list(df.loc[bad, col]))
    chosen = choose_date(wanted, dates[~bad], file=file, column=col)
    latest = str(wanted).strip().casefold() == "latest"
    if today is not None and chosen > str(today)[:10]:
        raise InvalidValueError(describe(
            f"the {'latest ' if latest else ''}date in the file, {chosen}, is after the date of this run, "
            f"{str(today)[:10]}", file=file, column=col, value=chosen,
            expected="figures dated on or before the run date",
            fix="correct or delete the future-dated rows, or pin a date in the profile (date = \"2024-09-30\")"))
    if latest and code_col is not None:
        have = sorted(map(str, dates[~bad].unique()))
        if len(have) > 1:
            two = dates.isin(have[-2:]).fillna(False).to_numpy()
            areas = df.loc[two, code_col].astype("string").str.strip().groupby(dates[two].to_numpy()).nunique()
            now, before = int(areas.get(chosen, 0)), int(areas.get(have[-2], 0))
            if now < min_share * before:
                raise InvalidValueError(describe(
                    f"the latest date, {chosen}, names {now:,} area(s), far fewer than the {before:,} of the date "
                    f"before, {have[-2]}; it looks like a partial or stray quarter", file=file, column=col,
                    value=chosen, expected=f"at least {min_share:.0%} of the areas of the date before",
                    fix=f"pin a date in the profile (date = \"{have[-2]}\"), or complete the file"))
    return ~bad & dates.eq(chosen).fillna(False), bad, chosen


def _areas_note(df, keep, code_col: str, chosen: str, file: str) -> str:
    """``"file: figures for 2024-09-30, naming 295 areas"``: the date used and what it covers."""
    codes = df.loc[keep, code_col].astype("string").str.strip()
    named = codes[codes.str.match(r"^[A-Za-z]\d{8}$").fillna(False)].nunique()
    return f"{file}: figures for {chosen}, naming {named:,} area code(s)"


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
    labels = norm_labels(df[col])
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


def _unplaced_label(code: str, name, publisher: str) -> str:
    """``"N/A - Subsistence Only (Dec 2023 - Sep 2024)"`` -> ``"Home Office: Subsistence Only"``.

    A bare ``N/A`` code takes the row's name instead (``"Home Office: Unknown"``).
    """
    text = re.sub(r"(?i)^n/?a\b\s*[-\u2013:]?\s*", "", str(code)).strip()
    text = re.sub(r"\s*\([^)]*\)\s*$", "", text).strip()
    if not text:
        text = str(name).strip() if pd.notna(name) and str(name).strip() else "not applicable"
    return f"{publisher}: {text}"


def _check_codes(scope, code_col, names, area_codes, log: RejectLog, repeats: str = "keep", *,
                 people: pd.Series | None = None, placeable=(), changed=(), publisher: str = "the file",
                 why: dict | None = None, harmonising: bool = True) -> pd.Series:
    """Reject rows with no code, a code matching no area in any vintage or (optionally) a repeated code.

    Codes in ``placeable`` (another boundary vintage's codes that
    :mod:`coverage_gaps.vintages` can move onto the boundaries) are kept.  A
    rejected row's ``people`` are recorded with it, and ``why`` (row to a short
    label) collects why its people could not be placed.
    """
    people = pd.Series(np.nan, index=scope.index) if people is None else people
    why = {} if why is None else why
    code = scope[code_col].str.strip()
    ok = code.notna() & (code != "")
    for row in scope.index[~ok.to_numpy()]:
        label = f" ({names[row]})" if pd.notna(names[row]) else ""
        log.add(row, f"area code is empty{label}; the row cannot be placed on an area", column=code_col,
                people=people[row])
        why[row] = f"{publisher}: no area code" + (f", local authority given as {names[row]!r}" if label else "")
    not_applicable = ok & code.str.match(r"(?i)^n/?a\b")  # "N/A - Subsistence Only (Dec 2023 - Sep 2024)"
    for row in scope.index[not_applicable.to_numpy()]:
        log.add(row, f"no area code ({code[row]}); the row cannot be placed on an area", column=code_col,
                value=code[row], people=people[row])
        why[row] = _unplaced_label(code[row], names[row], publisher)
    ok &= ~not_applicable
    if area_codes is not None:
        known = set(area_codes) | set(placeable)
        unknown = ok & ~code.isin(known)
        for row in scope.index[unknown.to_numpy()]:
            label = f" ({names[row]})" if pd.notna(names[row]) else ""
            if code[row] in changed and not harmonising:
                why[row] = f"code of another boundary vintage ({code[row]})"
                text = (f"code {code[row]}{label} is a district of another boundary vintage; a table of any figures "
                        f"is not moved between vintages (a score or rate cannot be summed or split): give the "
                        f"table on the boundaries' vintage")
            elif code[row] in changed:
                why[row] = f"code of another boundary vintage with no area in the boundaries ({code[row]})"
                text = (f"code {code[row]}{label} is a district of another boundary vintage, but neither it nor its "
                        f"predecessors or successors are among the boundaries' areas")
            else:
                why[row] = f"code unknown in every boundary vintage ({code[row]})"
                text = (f"code {code[row]}{label} matches no area in the boundaries, in any boundary vintage the "
                        f"built-in code changes know; check the code, or name an ONS code lookup in the profile "
                        f"([inputs.code_lookup])")
            log.add(row, text, column=code_col, value=code[row], people=people[row])
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


def _numbers(scope, col, log: RejectLog, *, negative_ok: bool, empty_ok: bool = False,
             max_value: float | None = None, setting: str = "max_people") -> pd.Series:
    """Parse a column as numbers; reject rows that are not, or are above ``max_value`` (good rows returned)."""
    text = _number_text(scope[col])
    values = pd.to_numeric(text, errors="coerce").astype(float)
    empty = text.isna() | (text == "")
    bad = ~empty & ~np.isfinite(values.fillna(0.0))
    bad |= values.isna() & ~empty
    if not empty_ok:
        bad |= empty
    if not negative_ok:
        bad |= values < 0
    if max_value is not None:
        high = ~bad & (values > max_value)
        for row in scope.index[high.to_numpy()]:
            log.add(row, f"{col} {values[row]:,.0f} is above the plausible limit of {max_value:,.0f} for one row; "
                         f"if it is right, raise {setting} in the profile's [[inputs.demand]]",
                    column=col, value=scope.at[row, col], people=values[row])
        bad |= high
    for row in scope.index[(bad & ~(values > max_value) if max_value is not None else bad).to_numpy()]:
        raw = scope.at[row, col]
        why = "is empty" if pd.isna(raw) or str(raw).strip() == "" else (
            "is negative" if pd.notna(values[row]) and values[row] < 0 else "is not a number")
        log.add(row, f"{col} {why}; expected a number", column=col, value=None if pd.isna(raw) else raw)
    return values[~bad]


def _sum_by_code(codes: pd.Series, values: pd.Series, column: str) -> pd.DataFrame:
    table = values.groupby(codes.astype(str), sort=True).sum(min_count=1)
    return pd.DataFrame({AREA_CODE: table.index.astype("string"), column: table.to_numpy(dtype=float)})


def _counts_by_code(df, keep, cols: dict, *, label: str, value: str, column: str, area_codes, log: RejectLog,
                    filtered: int, date, notes: list[str], repeats: str = "keep", weights=None, changes=None,
                    weight_label: str = "population", what: str = "people", publisher: str = "the file",
                    max_value: float | None = None, why: dict | None = None, people=None) -> Loaded:
    """Check the kept rows' codes and counts, add them up by area code, harmonise vintages, count every row.

    ``cols[label]`` (optional) names each row in rejects, ``cols[value]`` holds
    the counts (negative counts rejected).  Codes of another boundary vintage
    are moved onto ``area_codes`` by :func:`coverage_gaps.vintages.harmonise`
    (``weights`` split a successor over its predecessors).  People in rows that
    cannot be placed are totalled by reason in ``Loaded.unplaced`` (``why``
    and ``people`` carry rows the caller rejected already).  The caller passes
    the result to :func:`~coverage_gaps._validate.finish`.
    """
    from .. import vintages

    scope = df[keep]
    names = scope[cols[label]] if cols.get(label) else pd.Series(pd.NA, index=scope.index, dtype="string")
    counts = pd.to_numeric(_number_text(scope[cols[value]]), errors="coerce").astype(float)
    why = {} if why is None else why
    placeable = ()
    if area_codes is not None:
        area_codes = set(area_codes)
        codes = scope[cols["code"]].str.strip()
        placeable = vintages.resolve(codes[~codes.isin(area_codes)].dropna(), area_codes, changes=changes)
    changed = vintages.known_codes(changes) if area_codes is not None else ()
    ok = _check_codes(scope, cols["code"], names, area_codes, log, repeats=repeats, people=counts,
                      placeable=placeable, changed=changed, publisher=publisher, why=why)
    values = _numbers(scope.loc[ok], cols[value], log, negative_ok=False, max_value=max_value)
    if max_value is not None:
        high = counts.loc[ok] > max_value
        why.update({row: f"implausible count, above {max_value:,.0f} per row" for row in high.index[high.to_numpy()]})
    table = _sum_by_code(scope.loc[values.index, cols["code"]].str.strip(), values, column)
    harmonised = None
    if area_codes is not None:
        table, harmonised = vintages.harmonise(table, column, area_codes, weights=weights, changes=changes,
                                               weight_label=weight_label, input_name=log.file, date=date)
        notes.extend(_harmonised_notes(harmonised, log.file))
    people = pd.concat([counts, pd.Series(dtype=float) if people is None else people])
    lost = pd.DataFrame({"reason": pd.Series(why, dtype="string"),
                         "people": people[~people.index.duplicated()].reindex(list(why)).to_numpy(dtype=float)})
    unplaced = (lost.groupby("reason", sort=True)["people"].sum().reset_index().assign(date=date)
                [["date", "reason", "people"]] if len(lost) else pd.DataFrame(columns=["date", "reason", "people"]))
    for _, r in unplaced.iterrows():
        notes.append(f"{r['people']:,.0f} {what} could not be placed in an area ({r['reason']})")
    return Loaded(table=table, rejects=log.frame(), read=len(df), used=len(values), filtered=filtered,
                  source=log.file, date=date, notes=notes, harmonised=harmonised, unplaced=unplaced)


def _harmonised_notes(harmonised: pd.DataFrame, file: str) -> list[str]:
    out = []
    for method, part in harmonised.groupby("method", sort=True):
        codes = ", ".join(f"{c} ({p:,.0f})" for c, p in zip(part["code"], part["people"]))
        out.append(f"{file}: {len(part)} code(s) of another boundary vintage {method}: {codes}")
    return out
