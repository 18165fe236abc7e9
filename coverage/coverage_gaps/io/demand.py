"""Load demand layers: Home Office Asy_D11, ONS/Nomis population, any area-code table.

Each loader returns a :class:`Loaded` whose ``table`` has one row per area:
``area_code`` plus numeric demand column(s), and whose ``date`` is the date of
the figures.  Rows for another date, support type or geography are
*filtered*; rows that cannot be used (no code, a count that is not a number, a
code that matches no area) are *rejected* with a reason, never dropped quietly.

The generic table loader (:func:`load_demand_table`) lives in
:mod:`.demand_table`; the steps the loaders share in :mod:`._demand_rows`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .._validate import Loaded, RejectLog, finish
from ..errors import InvalidValueError, MissingColumnError, describe
from ..schema import ASYLUM_SUPPORT, POPULATION
from ._demand_rows import (_areas_note, _as_list, _category_mask, _counts_by_code, _date_rows, _find_columns,
                           _number_text)
from ..tables import choose_date, iso_dates, norm_label, norm_labels, read_table
from .demand_table import load_demand_table

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


def load_asy_d11(
    path: str | Path,
    *,
    date: str = "latest",
    support_types: Iterable[str] | str | None = None,
    accommodation_types: Iterable[str] | str | None = None,
    area_codes: Iterable[str] | None = None,
    sheet: str | int | None = None,
    column: str = ASYLUM_SUPPORT,
    weights: pd.Series | None = None,
    weight_label: str = "population",
    changes: pd.DataFrame | None = None,
    today: str | None = None,
    max_people: float = 100_000,
) -> Loaded:
    """Load people on asylum support by local authority (Home Office table Asy_D11).

    Parameters
    ----------
    path
        The tidy CSV (``Date, Support Type, Local Authority, LAD Code,
        Accommodation Type, People``) or the official workbook (sheet
        ``Data - Asy_D11``; title rows above the header are skipped).
        Inside :mod:`coverage_gaps.io`, also a file already read
        (``_AsyFile``), so many quarters share one read.
    date
        Quarter-end date as ISO ``YYYY-MM-DD`` (or ``2024 Q3``), or ``"latest"``.
    support_types, accommodation_types
        Keep only these (e.g. ``["Section 95"]``, ``["Dispersal Accommodation"]``);
        matched ignoring case and spacing, so both spellings of "Subsistence
        only" match.  All by default.
    area_codes
        Known area codes (the boundaries').  Codes of another boundary vintage
        are harmonised onto them (:mod:`coverage_gaps.vintages`); rows whose
        code matches no area in any vintage are rejected with their people.
    sheet
        Worksheet of a workbook; by default the one holding the Asy_D11 header.
    column
        Name of the output column.
    weights
        Per area code (e.g. population): how a successor's people are split
        over its predecessors when the boundaries are older; equal shares by default.
    weight_label
        What the weights are, in the harmonised codes' method ("split by population").
    changes
        Code changes (:func:`coverage_gaps.vintages.code_changes`); the built-in table by default.
    today
        The run's date (ISO): a date after it is refused.  Not checked when None.
    max_people
        Rows counting more people than this are rejected as implausible.

    Returns
    -------
    Loaded
        ``table``: ``area_code``, ``column`` (people, summed over the chosen
        support and accommodation types), one row per area; ``date``: the ISO date;
        ``harmonised``: codes moved onto the boundaries; ``unplaced``: people in
        rows that name no area (``date, reason, people``).  Exact repeats of a
        row, and rows that share a date, code, support and accommodation type,
        are rejected (never summed).

    Raises
    ------
    InvalidValueError
        The date, a support type or an accommodation type is not in the file.
    """
    asy = path if isinstance(path, _AsyFile) else _AsyFile.read(path, sheet)
    df, cols, file = asy.df, asy.cols, asy.file
    log = RejectLog(file)
    keep, bad, chosen = _date_rows(df, cols["date"], date, log, file, code_col=cols["code"], today=today,
                                   dates=asy.dates)
    notes = [_areas_note(df, keep, cols["code"], chosen, file)]
    for key, wanted in (("support", support_types), ("accommodation", accommodation_types)):
        if wanted is not None:
            keep &= _category_mask(df, cols, key, wanted, file)
            notes.append(f"{file}: {cols[key]} limited to {', '.join(_as_list(wanted))}")
    why, people = {}, pd.to_numeric(_number_text(df.loc[keep, cols["people"]]), errors="coerce").astype(float)
    repeated = _repeats(df, keep, cols, log, people, why)
    loaded = _counts_by_code(df, keep & ~repeated, cols, label="la", value="people", column=column,
                             area_codes=area_codes, log=log, filtered=int((~bad & ~keep).sum()), date=chosen,
                             notes=notes, weights=weights, weight_label=weight_label, changes=changes, what="people on asylum support",
                             publisher="Home Office", max_value=max_people, why=why, people=people)
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
        keep &= df[cols["type"]].eq(chosen_type).fillna(False)  # a blank type is another type: filtered
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
            keep &= norm_labels(df[cols[key]]) == norm_label(default)
    chosen = None
    if cols.get("date"):
        chosen = choose_date("latest" if date is None else date, df.loc[keep, cols["date"]].str.strip(),
                             file=file, column=cols["date"], iso=False)
        keep &= df[cols["date"]].str.strip().eq(chosen).fillna(False)
    loaded = _counts_by_code(df, keep, cols, label="name", value="value", column=column, area_codes=area_codes,
                             log=log, filtered=int((~keep).sum()), date=chosen, notes=notes, repeats="reject")
    return finish(loaded, what="population")


@dataclass(frozen=True)
class _AsyFile:
    """An Asy_D11 file read once: its rows (indexed by file row), the columns found and the dates parsed.

    :func:`coverage_gaps.io.load_asy_d11_quarters` reads and parses the file
    once and passes this to :func:`load_asy_d11` for each quarter.
    """

    df: pd.DataFrame
    cols: dict
    file: str
    dates: pd.Series  # ISO text (categorical: a file holds a few dozen dates), NA where not a date

    @classmethod
    def read(cls, path: str | Path, sheet: str | int | None = None) -> "_AsyFile":
        df, first = read_table(path, sheet=sheet, header_hint=[c[0] for c in _ASY_COLUMNS.values()])
        file = Path(path).name
        cols = _find_columns(df, _ASY_COLUMNS, file, required=("date", "code", "people"),
                             fix="the Asy_D11 header is Date, Support Type, Local Authority, LAD Code, "
                                 "Accommodation Type, People; rename the column or export the 'Data - Asy_D11' sheet")
        df = df.set_axis(pd.RangeIndex(first, first + len(df)))
        return cls(df, cols, file, iso_dates(df[cols["date"]]).astype("category"))


# --- private steps -----------------------------------------------------------


def _repeats(df, keep, cols, log, people: pd.Series, why: dict) -> pd.Series:
    """Reject exact repeats of a row, and every row of a (date, code, support, accommodation) key given twice."""
    scope = df[keep]
    exact = scope.duplicated(keep="first")
    first = (scope[~exact].reset_index().groupby(list(scope.columns), dropna=False)["index"].first()
             if exact.any() else {})
    for row in scope.index[exact.to_numpy()]:
        was = first.get(tuple(scope.loc[row]), None)
        log.add(row, f"the row repeats row {was} exactly; a repeated row is not added again",
                column=None, people=people[row])
        why[row] = "rows repeated in the file"
    code = scope[cols["code"]].astype("string").str.strip()
    parts = [code] + [norm_labels(scope[cols[k]]) for k in ("support", "accommodation") if cols.get(k)]
    key = pd.concat(parts, axis=1).set_axis(range(len(parts)), axis=1)
    placeable = code.notna() & code.ne("") & ~code.str.match(r"(?i)^n/?a\b").fillna(False) & ~exact
    clash = placeable & key.where(placeable).duplicated(keep=False) & key.notna().all(axis=1)
    joined = [key.loc[r].astype(str).str.cat(sep="\x1f") for r in scope.index[clash.to_numpy()]]
    for _, rows in scope.index[clash.to_numpy()].to_series().groupby(joined, sort=False):
        listed = ", ".join(str(r) for r in rows)
        for row in rows:
            log.add(row, f"rows {listed} give the same area, support type and accommodation type for this date "
                         f"(code {code[row]}); which one is right cannot be told, so none is used",
                    column=cols["code"], value=code[row], people=people[row])
            why[row] = "conflicting rows for one area"
    out = pd.Series(False, index=df.index)
    out[scope.index[(exact | clash).to_numpy()]] = True
    return out


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
