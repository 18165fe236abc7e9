"""Load a partner list in the template format (CSV or XLSX).

:func:`load_partners` returns a :class:`~coverage_gaps._validate.Loaded` whose
table is a GeoDataFrame (EPSG:27700) in the Providers contract
(:data:`coverage_gaps.schema.PROVIDER_COLUMNS` plus ``iaas_grade``), followed by
the file's other columns (emails, notes), which are carried but never
published.  Every row is used or rejected with a reason.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from .._validate import Loaded, RejectLog, finish
from ..errors import InvalidValueError, MissingColumnError, describe
from ..schema import (CAPACITY, CAPACITY_GIVEN, CATEGORIES, CATEGORY_ASYLUM, CATEGORY_IMMIGRATION, IAAS_GRADE,
                      LAA_CONTRACT, OISC_LEVEL, POSTCODE, PROVIDER_ID, PROVIDER_NAME, REGULATED, STATUS)
from ._locate import _assemble, _drop_blank_rows, _Located, _locate_rows, _missing, _reject_outside
from ._numbers import DECIMAL_MARKS, parse_number
from ..tables import match_column, normalise_name, read_table, unsaved_formula_reason, unsaved_formula_rows

__all__ = ["load_partners", "PARTNER_COLUMNS", "MAX_CAPACITY"]

#: Partner-list fields and the header spellings accepted for each (first match wins).
PARTNER_COLUMNS: dict[str, list[str]] = {
    PROVIDER_ID: ["provider_id", "provider id", "id", "partner id", "ref"],
    PROVIDER_NAME: ["name", "organisation", "organization", "organisation name", "organization name",
                    "provider", "provider name", "partner name", "office name", "firm", "firm name"],
    OISC_LEVEL: ["oisc_level", "OISC level", "IAA level", "OISC/IAA level", "IAA/OISC level", "level", "OISC",
                 "IAA", "accreditation level"],
    CATEGORIES: ["categories", "category", "OISC categories", "IAA categories", "advice categories"],
    LAA_CONTRACT: ["laa_contract", "LAA contract", "legal aid contract", "legal aid", "LAA"],
    REGULATED: ["regulated", "regulated lawyer", "regulated lawyers", "SRA/CILEx/Bar", "lawyer"],
    CAPACITY: ["capacity", "advisers", "FTE", "adviser FTE", "caseworkers", "matter starts"],
    STATUS: ["status", "partner status", "relationship"],
    POSTCODE: ["postcode", "post code", "postal code"],
    "latitude": ["latitude", "lat"],
    "longitude": ["longitude", "lon", "lng", "long"],
    "easting": ["easting", "eastings", "bng_e"],
    "northing": ["northing", "northings", "bng_n"],
    IAAS_GRADE: ["iaas_grade", "IAAS grade", "IAAS", "IAAS level", "Law Society IAAS"],
}
_LOCATION_FIELDS = ("latitude", "longitude", "easting", "northing", POSTCODE)
#: Headers that name an organisation: preferred over a bare "name", which is often a contact person.
_ORGANISATION_NAMES = [n for n in PARTNER_COLUMNS[PROVIDER_NAME] if n != "name"]
#: Header words of columns about a person (private unless the profile maps them to a field).
_PERSONAL_WORDS = ("name", "contact", "person", "phone", "tel", "mobile", "email", "e-mail", "mail", "note",
                   "comment", "address")
#: A capacity above this per office is a typing slip or a total, unless the profile raises it (max_capacity).
MAX_CAPACITY = 10_000.0
_LEVEL_RE = re.compile(r"(?:(?:oisc|iaa)\s*)?(?:level|lvl|l)?\s*(\d+)(?:\.0+)?")
_NO_LEVEL = {"", "none", "no", "n/a", "na", "-", "not accredited", "unaccredited"}
_TRUE, _FALSE = {"yes", "y", "true", "t", "1"}, {"no", "n", "false", "f", "0", "", "-", "none"}
_CATEGORY_WORDS = {
    "immigration": (CATEGORY_IMMIGRATION,),
    "asylum and protection": (CATEGORY_ASYLUM,), "asylum": (CATEGORY_ASYLUM,),
    "protection": (CATEGORY_ASYLUM,), "asylum and protection ap": (CATEGORY_ASYLUM,),
    "immigration and asylum": (CATEGORY_IMMIGRATION, CATEGORY_ASYLUM),
    "immigration and asylum and protection": (CATEGORY_IMMIGRATION, CATEGORY_ASYLUM),
    "both": (CATEGORY_IMMIGRATION, CATEGORY_ASYLUM), "immas": (CATEGORY_IMMIGRATION, CATEGORY_ASYLUM),
    "none": (), "-": (),
}
_STATUS_WORDS = {"partner": "partner", "prospective": "prospective", "prospect": "prospective",
                 "trained": "trained", "": "", "none": "", "-": ""}


def load_partners(path: str | Path, *, sheet: str | int | None = None, columns: dict[str, str] | None = None,
                  geocoder=None, areas: gpd.GeoDataFrame | None = None, source: str | None = None,
                  decimal: str = ".", max_capacity: float = MAX_CAPACITY) -> Loaded:
    """Load a partner list in the template format (CSV or XLSX).

    Parameters
    ----------
    path
        The partner list (see ``data/templates/README.md`` for every column).
    sheet
        Worksheet name or position, for workbooks.
    columns
        Contract field -> header in the file, overriding detection, e.g.
        ``{"name": "Organisation", "oisc_level": "IAA level"}``.  Fields:
        the keys of :data:`PARTNER_COLUMNS`.
    geocoder
        Anything with ``locate(postcodes)`` (a
        :class:`~coverage_gaps.geocode.PostcodeLookup` or
        :class:`~coverage_gaps.geocode.PostcodesIO`), for rows without
        coordinates.
    areas
        Area polygons; a provider outside every area is rejected.
    source
        Name for the ``source`` column and rejects (default: the file name).
    decimal
        The file's decimal mark: ``"."`` (default; ``1,5`` is then a reject,
        never 15) or ``","`` (``1,5`` is 1.5).
    max_capacity
        Capacities above this per office are rejects (a typing slip, a total
        for many offices, or ``1e308``); raise it for a file of big offices.

    Returns
    -------
    Loaded
        Providers (GeoDataFrame, EPSG:27700), rejects and counts.

    Raises
    ------
    MissingColumnError
        No name column, or no location column at all (the message lists the
        accepted spellings).
    """
    path = Path(path)
    source = source or path.name
    df, first = read_table(path, sheet=sheet, header_hint=["name", "organisation", "postcode", "oisc level",
                                                           "latitude", "longitude", "capacity", "status"])
    if decimal not in DECIMAL_MARKS:
        raise InvalidValueError(describe("decimal mark not recognised", column="decimal", value=decimal,
                                         expected="'.' or ','", fix="write decimal = \".\" or decimal = \",\""))
    unsaved = unsaved_formula_rows(df, first)
    df, rows, notes = _drop_blank_rows(df, first)
    notes = list(df.attrs.get("notes", [])) + notes
    found = _find_columns(df, columns, file=source)
    private = _private_columns(df, found)
    if private:
        notes.append("private columns, carried but never published: " + ", ".join(repr(str(c)) for c in private))
    log = RejectLog(source)
    bad = np.zeros(len(df), dtype=bool)
    for i, r in enumerate(rows):  # a blank formula cell would silently take a default: reject the row
        if r - first in unsaved:
            column, formula = unsaved[r - first]
            log.add(r, unsaved_formula_reason(formula), column=column, value=formula)
            bad[i] = True
    unsaved_bad = bad.copy()

    def text(field: str) -> list[str]:
        col = found.get(field)
        return [""] * len(df) if col is None else df[col].fillna("").str.strip().tolist()

    def parse(field: str, parser, default):
        values, col = [], found.get(field, field)
        for i, raw in enumerate(text(field)):
            if unsaved_bad[i]:
                values.append(default)
                continue
            try:
                values.append(parser(raw) if raw else default)
            except ValueError as exc:
                log.add(rows[i], str(exc), column=col, value=raw)
                bad[i] = True
                values.append(default)
        return values

    names = text(PROVIDER_NAME)
    for i in np.flatnonzero(np.array([not n for n in names], dtype=bool) & ~unsaved_bad):
        log.add(rows[i], "no name: every provider needs a name", column=found[PROVIDER_NAME], value="")
        bad[i] = True
    table = pd.DataFrame({
        PROVIDER_NAME: names,
        OISC_LEVEL: parse(OISC_LEVEL, _level, 0),
        CATEGORIES: parse(CATEGORIES, _categories, ""),
        LAA_CONTRACT: parse(LAA_CONTRACT, _bool, False),
        REGULATED: parse(REGULATED, _bool, False),
        CAPACITY: parse(CAPACITY, partial(_capacity, decimal=decimal, max_capacity=max_capacity), 1.0),
        STATUS: parse(STATUS, _status, ""),
        IAAS_GRADE: text(IAAS_GRADE),
        CAPACITY_GIVEN: CAPACITY in found,  # a capacity column wins over the profile's capacity_unit
    })
    ids = text(PROVIDER_ID)
    stem = re.sub(r"[^a-z0-9]+", "-", Path(source).stem.lower()).strip("-") or "provider"
    table.insert(0, PROVIDER_ID, [v or f"{stem}-{r}" for v, r in zip(ids, rows)])
    located = _locate_rows(df, {k: found[k] for k in _LOCATION_FIELDS if k in found}, rows, log, geocoder=geocoder)
    bad |= located.bad
    bad |= _reject_outside(located, areas, rows, log, skip=bad)
    bad |= _reject_duplicates(table, located, rows, log, found, skip=bad)
    keep = ~bad
    carried = df.drop(columns=[c for c in found.values()])
    out = _assemble(table[keep], located, keep, carried[keep], source=source)
    notes += located.notes
    if PROVIDER_ID not in found and rows:
        notes.append(f"no id column: {PROVIDER_ID} made from the file name and row (e.g. {stem}-{rows[0]})")
    if CATEGORIES not in found:
        notes.append("no categories column: every provider has blank categories, so OISC levels count "
                     "only under the 'any' supply rule")
    loaded = Loaded(table=out, rejects=log.frame(), read=len(df), used=int(keep.sum()), source=source, notes=notes)
    return finish(loaded, what="provider")


# --- fields ----------------------------------------------------------------------


def _level(raw: str) -> int:
    text = " ".join(raw.lower().split())
    if text in _NO_LEVEL:
        return 0
    m = _LEVEL_RE.fullmatch(text)
    if m and int(m.group(1)) in (0, 1, 2, 3):
        return int(m.group(1))
    raise ValueError(describe("OISC level not recognised", value=raw,
                              expected="0, 1, 2 or 3, written like 2, 'Level 2' or 'L2'; blank or 'none' "
                              "means not accredited", fix="write the OISC/IAA level as a number from 0 to 3"))


def _categories(raw: str) -> str:
    held: set[str] = set()
    for token in re.split(r"[;,/|+]", raw):
        word = " ".join(re.sub(r"[^a-z ]", " ", token.lower().replace("&", " and ")).split())
        if word not in _CATEGORY_WORDS and word:
            raise ValueError(describe("category not recognised", value=token.strip(),
                                      expected="'Immigration' and/or 'Asylum and Protection', separated by ';'",
                                      fix="keep only the OISC/IAA categories here; put other services in a "
                                      "notes column"))
        held.update(_CATEGORY_WORDS.get(word, ()))
    return ";".join(c for c in (CATEGORY_IMMIGRATION, CATEGORY_ASYLUM) if c in held)


def _bool(raw: str) -> bool:
    text = raw.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(describe("not a yes/no value", value=raw, expected="yes/no, true/false, Y/N or 1/0",
                              fix="write yes or no (blank means no)"))


def _capacity(raw: str, *, decimal: str = ".", max_capacity: float = MAX_CAPACITY) -> float:
    expected = "advisers or FTE as a number, 0 or more; blank means 1"
    value = parse_number(raw, what="capacity", decimal=decimal, expected=expected)
    if value < 0:
        raise ValueError(describe("capacity is negative", value=raw, expected=expected,
                                  fix="write the number of advisers or FTE (0 for none)"))
    if value > max_capacity:
        raise ValueError(describe("capacity above the plausible maximum for one office", value=raw,
                                  expected=f"at most {max_capacity:,.0f} advisers, FTE or matter starts per office",
                                  fix="check the figure (a typing slip, or a total for many offices?); if it is "
                                  "right, raise max_capacity for this input in the profile"))
    return value


def _status(raw: str) -> str:
    text = " ".join(raw.lower().split())
    if text in _STATUS_WORDS:
        return _STATUS_WORDS[text]
    raise ValueError(describe("status not recognised", value=raw, expected="partner, prospective, trained or blank"))


# --- columns and rows -------------------------------------------------------------


def _find_columns(df: pd.DataFrame, columns: dict[str, str] | None, *, file: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for field, header in (columns or {}).items():
        if field not in PARTNER_COLUMNS:
            raise InvalidValueError(describe("unknown field in the column mapping", value=field,
                                             expected="one of " + ", ".join(PARTNER_COLUMNS),
                                             fix="map contract fields to your file's headers, e.g. "
                                             "{'name': 'Organisation'}"))
        if not isinstance(header, str) or not header.strip():
            raise InvalidValueError(describe(f"the column mapping for {field!r} is not a header", value=header,
                                             expected="the file's header as text, e.g. {'name': 'Organisation'}",
                                             fix="write the header exactly as the file has it, in quotes"))
        hit = header if header in df.columns else match_column(df.columns, header)
        if hit is None:
            raise MissingColumnError(describe(f"mapped column for {field!r} not found", file=file, value=header,
                                              expected="one of the file's headers: "
                                              + ", ".join(repr(str(c)) for c in df.columns),
                                              fix="correct the header in the column mapping"))
        found[field] = hit
    if PROVIDER_NAME not in found:
        name = _organisation_column([c for c in df.columns if c not in found.values()], file=file)
        if name is not None:
            found[PROVIDER_NAME] = name
    for field, names in PARTNER_COLUMNS.items():
        if field not in found:
            hit = match_column([c for c in df.columns if c not in found.values()], names)
            if hit is not None:
                found[field] = hit
    _missing(found, {PROVIDER_NAME: PARTNER_COLUMNS[PROVIDER_NAME]}, file=file,
             fix="rename the column to 'name', or map it: columns={'name': 'Your header'}")
    for a, b in (("latitude", "longitude"), ("easting", "northing")):
        if (a in found) != (b in found):
            have, lack = (a, b) if a in found else (b, a)
            _missing(found, {lack: PARTNER_COLUMNS[lack]}, file=file,
                     fix=f"add a {lack} column next to {found[have]!r}, or remove {have}")
    if not any(k in found for k in _LOCATION_FIELDS):
        spellings = "; ".join(f"{k}: " + ", ".join(repr(n) for n in PARTNER_COLUMNS[k]) for k in _LOCATION_FIELDS)
        raise MissingColumnError(describe("no location column", file=file,
                                          expected=f"a postcode or coordinate column ({spellings}); the file has "
                                          + ", ".join(repr(str(c)) for c in df.columns),
                                          fix="add a postcode column (or latitude and longitude)"))
    return found


def _organisation_column(columns: list, *, file: str):
    """The organisation's name column: organisation words beat a bare ``name`` (often a contact person).

    Raises when two columns could both be the organisation's name: the profile must say which.
    """
    wanted = {normalise_name(n) for n in _ORGANISATION_NAMES}
    hits = [c for c in columns if normalise_name(c) in wanted]
    if len(hits) > 1:
        raise MissingColumnError(describe(
            "several columns could be the organisation's name: " + ", ".join(repr(str(c)) for c in hits), file=file,
            expected="one column named like an organisation (organisation, provider, firm, office name)",
            fix=f"say which one in the profile's [[inputs.providers]]: columns = {{ name = \"{hits[0]}\" }} "
            f"(in Python: columns={{'name': {str(hits[0])!r}}})"))
    return hits[0] if hits else match_column(columns, ["name"])


def _private_columns(df: pd.DataFrame, found: dict) -> list:
    """Columns not mapped to a field that look like a person's name, contact, phone, email or notes."""
    used = set(found.values())
    return [c for c in df.columns if c not in used
            and any(w in str(c).casefold().replace("_", " ") for w in _PERSONAL_WORDS)]


def _reject_duplicates(table: pd.DataFrame, located: _Located, rows: list[int], log: RejectLog, found: dict,
                       *, skip: np.ndarray) -> np.ndarray:
    """Keep the first of rows with the same name and place (or the same provider_id); reject the rest."""
    bad = np.zeros(len(rows), dtype=bool)
    seen_place: dict[tuple, int] = {}
    seen_id: dict[str, int] = {}
    for i in np.flatnonzero(~located.bad & ~skip):
        name = " ".join(str(table[PROVIDER_NAME].iat[i]).casefold().split())
        pc = located.postcode[i]
        place = (name, pc) if pc else (name, round(located.x[i]), round(located.y[i]))
        pid = table[PROVIDER_ID].iat[i]
        if place in seen_place:
            log.add(rows[i], f"duplicate provider: same name and location as row {seen_place[place]}",
                    column=found.get(PROVIDER_NAME), value=table[PROVIDER_NAME].iat[i])
        elif pid in seen_id:
            log.add(rows[i], f"duplicate provider_id: already used on row {seen_id[pid]}",
                    column=found.get(PROVIDER_ID), value=pid)
        else:
            seen_place[place], seen_id[pid] = rows[i], rows[i]
            continue
        bad[i] = True
    return bad
