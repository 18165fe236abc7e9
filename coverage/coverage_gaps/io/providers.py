"""Provider loaders: a partner list (the template) and the LAA office directory.

Both return a :class:`~coverage_gaps._validate.Loaded` whose table is a
GeoDataFrame (EPSG:27700) in the Providers contract
(:data:`coverage_gaps.schema.PROVIDER_COLUMNS` plus ``iaas_grade``), followed by
any other columns of the file (emails, phone numbers, notes), which are carried
but never published.  Every row is used, filtered or rejected with a reason.

A row's location comes from its latitude/longitude or easting/northing
(precision ``"exact"``), else from its postcode through a geocoder
(``"postcode"`` or ``"district"``, see :mod:`coverage_gaps.geocode`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import geocode as _geocode
from .._validate import Loaded, RejectLog, finish
from ..errors import InvalidValueError, MissingColumnError, MissingCRSError, describe
from ..schema import (CAPACITY, CATEGORIES, CATEGORY_ASYLUM, CATEGORY_IMMIGRATION, CRS_BNG, IAAS_GRADE,
                      LAA_CONTRACT, LOCATION_PRECISION, OISC_LEVEL, POSTCODE, PROVIDER_COLUMNS, PROVIDER_ID,
                      PROVIDER_NAME, REGULATED, SOURCE, STATUS)
from ._read import match_column, read_table

__all__ = ["load_partners", "load_laa_offices", "PARTNER_COLUMNS"]

#: Partner-list fields and the header spellings accepted for each (first match wins).
PARTNER_COLUMNS: dict[str, list[str]] = {
    PROVIDER_ID: ["provider_id", "provider id", "id", "partner id", "ref"],
    PROVIDER_NAME: ["name", "organisation", "organization", "organisation name", "organization name",
                    "provider", "provider name", "partner name", "office name"],
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
#: LAA category codes and the provider categories they stand for.
LAA_CATEGORY_MAP = {"IMMAS": (CATEGORY_IMMIGRATION, CATEGORY_ASYLUM)}


def load_partners(path: str | Path, *, sheet: str | int | None = None, columns: dict[str, str] | None = None,
                  geocoder=None, areas: gpd.GeoDataFrame | None = None, source: str | None = None) -> Loaded:
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
    df, rows, notes = _drop_blank_rows(df, first)
    found = _find_columns(df, columns, file=source)
    log = RejectLog(source)
    bad = np.zeros(len(df), dtype=bool)

    def text(field: str) -> list[str]:
        col = found.get(field)
        return [""] * len(df) if col is None else df[col].fillna("").str.strip().tolist()

    def parse(field: str, parser, default):
        values, col = [], found.get(field, field)
        for i, raw in enumerate(text(field)):
            try:
                values.append(parser(raw) if raw else default)
            except ValueError as exc:
                log.add(rows[i], str(exc), column=col, value=raw)
                bad[i] = True
                values.append(default)
        return values

    names = text(PROVIDER_NAME)
    for i in np.flatnonzero([not n for n in names]):
        log.add(rows[i], "no name: every provider needs a name", column=found[PROVIDER_NAME], value="")
        bad[i] = True
    table = pd.DataFrame({
        PROVIDER_NAME: names,
        OISC_LEVEL: parse(OISC_LEVEL, _level, 0),
        CATEGORIES: parse(CATEGORIES, _categories, ""),
        LAA_CONTRACT: parse(LAA_CONTRACT, _bool, False),
        REGULATED: parse(REGULATED, _bool, False),
        CAPACITY: parse(CAPACITY, _capacity, 1.0),
        STATUS: parse(STATUS, _status, ""),
        IAAS_GRADE: text(IAAS_GRADE),
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
    loaded = Loaded(table=out, rejects=_by_row(log), read=len(df), used=int(keep.sum()), source=source, notes=notes)
    return finish(loaded, what="provider")


def load_laa_offices(path: str | Path, *, categories: tuple[str, ...] = ("IMMAS",), geocoder=None,
                     areas: gpd.GeoDataFrame | None = None) -> Loaded:
    """Load the Legal Aid Agency provider-office directory.

    Parameters
    ----------
    path
        The directory as CSV/XLSX with ``office_id, organisation,
        organisation_type, postcode, lon, lat, categories`` (``;``-separated
        LAA category codes) and any other columns (carried).
    categories
        LAA category codes to keep (``IMMAS`` = immigration and asylum);
        offices holding none of them are counted as filtered.
    geocoder
        For offices without ``lon``/``lat``: anything with
        ``locate(postcodes)``; without one such offices are rejected.
    areas
        Area polygons; an office outside every area is rejected.

    Returns
    -------
    Loaded
        One provider per office: ``provider_id`` ``"laa-<office_id>"``,
        ``laa_contract`` True, ``oisc_level`` 0, ``regulated`` True for
        solicitors, ``capacity`` 1, ``categories`` ``"immigration;asylum"``
        for IMMAS.
    """
    path = Path(path)
    source = path.name
    wanted = {str(c).strip().upper() for c in ([categories] if isinstance(categories, str) else categories)}
    if not wanted:
        raise InvalidValueError(describe("no LAA category codes given", column="categories", value=categories,
                                         expected="codes such as 'IMMAS'", fix="pass categories=('IMMAS',)"))
    df, first = read_table(path, header_hint=["office_id", "organisation", "postcode", "categories", "lon", "lat"])
    df, rows, notes = _drop_blank_rows(df, first)
    spec = {"office_id": ["office_id", "office id"], "organisation": ["organisation", "organization", "name"],
            "categories": ["categories", "category codes"], POSTCODE: ["postcode", "post code"],
            "longitude": ["lon", "longitude", "lng"], "latitude": ["lat", "latitude"]}
    found = {k: match_column(df.columns, v) for k, v in spec.items()}
    _missing(found, spec, file=source, fix="use the LAA directory export with these headers")
    codes = df[found["categories"]].fillna("").str.upper().str.split(r"\s*[;,]\s*", regex=True)
    held = np.array([bool(wanted & set(c)) for c in codes])
    df, rows, codes = df[held].reset_index(drop=True), [r for r, h in zip(rows, held) if h], codes[held]
    log = RejectLog(source)
    office = df[found["office_id"]].fillna("").str.strip()
    type_col = match_column(df.columns, ["organisation_type", "organization type"])
    org_type = df[type_col] if type_col else pd.Series("", index=df.index, dtype="string")
    contracted = match_column(df.columns, ["contracted"])
    cats = [";".join(c for c in (CATEGORY_IMMIGRATION, CATEGORY_ASYLUM)
                     if any(c in LAA_CATEGORY_MAP.get(code, ()) for code in row)) for row in codes]
    table = pd.DataFrame({
        PROVIDER_ID: "laa-" + office,
        PROVIDER_NAME: df[found["organisation"]].fillna("").str.strip(),
        OISC_LEVEL: 0,
        CATEGORIES: cats,
        LAA_CONTRACT: True if contracted is None else df[contracted].fillna("true").str.strip().str.lower().isin(_TRUE),
        REGULATED: org_type.fillna("").str.strip().str.lower().eq("solicitor"),
        CAPACITY: 1.0,
        STATUS: "",
        IAAS_GRADE: "",
    })
    located = _locate_rows(df, {k: found[k] for k in ("latitude", "longitude", POSTCODE)}, rows, log,
                          geocoder=geocoder)
    bad = located.bad.copy()
    for i in np.flatnonzero(office.eq("").to_numpy() & ~bad):
        log.add(rows[i], "no office_id", column=found["office_id"], value="")
        bad[i] = True
    bad |= _reject_outside(located, areas, rows, log, skip=bad)
    dup = office.duplicated(keep="first").to_numpy() & ~bad & office.ne("").to_numpy()
    first_row = dict(zip(office[::-1], rows[::-1]))
    for i in np.flatnonzero(dup):
        log.add(rows[i], f"duplicate office_id: the same office as row {first_row[office.iat[i]]}",
                column=found["office_id"], value=office.iat[i])
        bad[i] = True
    keep = ~bad
    carried = df.drop(columns=[found[k] for k in ("organisation", POSTCODE, "longitude", "latitude")])
    carried = carried.rename(columns={found["categories"]: "laa_categories"})
    out = _assemble(table[keep], located, keep, carried[keep], source=source)
    loaded = Loaded(table=out, rejects=_by_row(log), read=len(held), used=int(keep.sum()),
                    filtered=int((~held).sum()), source=source, notes=notes + located.notes)
    return finish(loaded, what="LAA office")


def _by_row(log: RejectLog) -> pd.DataFrame:
    """The rejects in spreadsheet-row order (problems are found field by field)."""
    return log.frame().sort_values("row", kind="stable").reset_index(drop=True)


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


def _capacity(raw: str) -> float:
    expected = "advisers or FTE as a number, 0 or more; blank means 1"
    try:
        value = float(raw.replace(",", ""))
    except ValueError:
        value = float("nan")
    if not np.isfinite(value):
        raise ValueError(describe("capacity is not a number", value=raw, expected=expected))
    if value < 0:
        raise ValueError(describe("capacity is negative", value=raw, expected=expected,
                                  fix="write the number of advisers or FTE (0 for none)"))
    return value


def _status(raw: str) -> str:
    text = " ".join(raw.lower().split())
    if text in _STATUS_WORDS:
        return _STATUS_WORDS[text]
    raise ValueError(describe("status not recognised", value=raw, expected="partner, prospective, trained or blank"))


# --- columns and rows -------------------------------------------------------------


def _drop_blank_rows(df: pd.DataFrame, first: int) -> tuple[pd.DataFrame, list[int], list[str]]:
    """Leave out wholly blank rows (not data); return spreadsheet row numbers of the rest."""
    blank = df.isna().all(axis=1).to_numpy()
    rows = [first + i for i in np.flatnonzero(~blank)]
    notes = [f"{int(blank.sum())} blank row(s) skipped"] if blank.any() else []
    return df[~blank].reset_index(drop=True), rows, notes


def _find_columns(df: pd.DataFrame, columns: dict[str, str] | None, *, file: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for field, header in (columns or {}).items():
        if field not in PARTNER_COLUMNS:
            raise InvalidValueError(describe("unknown field in the column mapping", value=field,
                                             expected="one of " + ", ".join(PARTNER_COLUMNS),
                                             fix="map contract fields to your file's headers, e.g. "
                                             "{'name': 'Organisation'}"))
        hit = header if header in df.columns else match_column(df.columns, header)
        if hit is None:
            raise MissingColumnError(describe(f"mapped column for {field!r} not found", file=file, value=header,
                                              expected="one of the file's headers: "
                                              + ", ".join(repr(str(c)) for c in df.columns),
                                              fix="correct the header in the column mapping"))
        found[field] = hit
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


def _missing(found: dict, spec: dict[str, list[str]], *, file: str, fix: str) -> None:
    absent = [k for k in spec if found.get(k) is None]
    if absent:
        k = absent[0]
        raise MissingColumnError(describe(f"no {k} column", file=file,
                                          expected="a header named one of " + ", ".join(repr(n) for n in spec[k]),
                                          fix=fix))


# --- locations -------------------------------------------------------------------

_UK_LAT, _UK_LON = (49.0, 61.5), (-11.0, 2.5)
_GB_EAST, _GB_NORTH = (0.0, 700_000.0), (0.0, 1_300_000.0)


@dataclass
class _Located:
    """Per-row location: BNG point, precision, normalised postcode, column used, and failures."""

    x: np.ndarray
    y: np.ndarray
    precision: np.ndarray
    postcode: np.ndarray
    column: np.ndarray
    bad: np.ndarray
    notes: list[str] = field(default_factory=list)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _pair(a: str, b: str, names: tuple[str, str], ranges, *, swapped_hint: str, unit: str):
    """Check one coordinate pair; return ((a, b), None) or (None, (column index, value, reason))."""
    for k, (text, name) in enumerate(zip((a, b), names)):
        if not text:
            other = names[1 - k]
            return None, (1 - k, (a, b)[1 - k], describe(f"{other} given without {name}", value=(a, b)[1 - k],
                                                         fix=f"add the {name}, or leave both blank and give a postcode"))
        if _number(text) is None:
            return None, (k, text, describe(f"{name} is not a number", value=text, expected=unit))
    va, vb = _number(a), _number(b)
    (lo_a, hi_a), (lo_b, hi_b) = ranges
    if lo_a <= va <= hi_a and lo_b <= vb <= hi_b:
        return (va, vb), None
    where = f"{names[0]} {a}, {names[1]} {b}"
    expected = f"{names[0]} {lo_a:g} to {hi_a:g} and {names[1]} {lo_b:g} to {hi_b:g} in the UK"
    if lo_a <= vb <= hi_a and lo_b <= va <= hi_b:
        return None, (0, a, describe(f"{names[0]} and {names[1]} look swapped", value=where, expected=expected,
                                     fix=swapped_hint))
    return None, (0, a, describe(f"{names[0]}/{names[1]} outside the UK", value=where, expected=expected,
                                 fix=f"check the coordinates ({unit})"))


def _locate_rows(df: pd.DataFrame, cols: dict[str, str], rows: list[int], log: RejectLog, *, geocoder) -> _Located:
    n = len(df)

    def get(key: str) -> list[str]:
        return df[cols[key]].fillna("").str.strip().tolist() if key in cols else [""] * n

    lat, lon, east, north, pcs = (get(k) for k in ("latitude", "longitude", "easting", "northing", POSTCODE))
    postcode = _geocode.normalise_postcodes(pcs).astype(object).where(lambda s: s.notna(), None).to_numpy()
    out = _Located(np.full(n, np.nan), np.full(n, np.nan), np.full(n, None, dtype=object), postcode,
                   np.full(n, None, dtype=object), np.zeros(n, dtype=bool))
    lonlat, queue, loose = np.zeros(n, dtype=bool), [], 0
    for i in range(n):
        problem = None
        if lat[i] or lon[i]:
            names = (cols.get("latitude"), cols.get("longitude"))
            point, problem = _pair(lat[i], lon[i], ("latitude", "longitude"), (_UK_LAT, _UK_LON),
                                   unit="WGS84 decimal degrees, e.g. 52.4 and -1.5",
                                   swapped_hint="swap the two values: in the UK latitude is about 50 to 60, "
                                   "longitude about -8 to 2")
            if point:
                out.y[i], out.x[i], lonlat[i] = point[0], point[1], True
        elif east[i] or north[i]:
            names = (cols.get("easting"), cols.get("northing"))
            point, problem = _pair(east[i], north[i], ("easting", "northing"), (_GB_EAST, _GB_NORTH),
                                   unit="British National Grid metres, e.g. 388500 and 347700",
                                   swapped_hint="swap the two values: the northing is the larger number")
            if point:
                out.x[i], out.y[i] = point
        elif pcs[i]:
            names = (cols.get(POSTCODE),)
            if postcode[i] is None:
                problem = (0, pcs[i], describe("malformed postcode", value=pcs[i],
                                               expected="a UK postcode such as 'ST1 1HL'",
                                               fix="correct the postcode, or give latitude and longitude"))
            else:
                queue.append(i)
        else:
            names = (None,)
            problem = (0, None, describe("no location", expected="latitude and longitude, easting and northing, "
                                         "or a postcode", fix="add a postcode or coordinates for this row"))
        out.column[i] = names[0] if problem is None else names[problem[0]]
        if problem is not None:
            log.add(rows[i], problem[2], column=out.column[i], value=problem[1])
            out.bad[i] = True
        elif not queue or queue[-1] != i:
            out.precision[i] = "exact"
            loose += bool(pcs[i]) and postcode[i] is None
    if lonlat.any():
        out.x[lonlat], out.y[lonlat] = _geocode.lonlat_to_bng(out.x[lonlat], out.y[lonlat])
    if loose:
        out.notes.append(f"{loose} row(s) with coordinates have a malformed postcode: located by the "
                         "coordinates, postcode left blank")
    if queue:
        _geocode_rows(out, queue, pcs, rows, log, geocoder)
    return out


def _geocode_rows(out: _Located, queue: list[int], pcs: list[str], rows: list[int], log: RejectLog,
                  geocoder) -> None:
    if geocoder is None:
        reason = describe("postcode cannot be located: no postcode lookup was given",
                          fix="give a postcode file (profile [inputs.postcodes] or [inputs.postcode_districts]; "
                          "in Python geocoder=PostcodeLookup.from_files(...)), or add latitude and longitude")
        for i in queue:
            log.add(rows[i], reason, column=out.column[i], value=pcs[i])
            out.bad[i] = True
        return
    found = geocoder.locate([out.postcode[i] for i in queue])
    for k, i in enumerate(queue):
        if pd.isna(found["problem"].iat[k]):
            out.x[i], out.y[i] = float(found["x"].iat[k]), float(found["y"].iat[k])
            out.precision[i] = str(found["precision"].iat[k])
        else:
            pc = out.postcode[i]
            what = (f"neither {pc} nor its district {pc.split(' ')[0]} is" if getattr(geocoder, "has_districts", False)
                    else f"{pc} is not")
            log.add(rows[i], describe(f"unknown postcode: {what} in the postcode lookup", value=pcs[i],
                                      fix="check the postcode, or give latitude and longitude"),
                    column=out.column[i], value=pcs[i])
            out.bad[i] = True
    by = pd.Series(out.precision[queue]).value_counts()
    if by.get("district", 0):
        out.notes.append(f"{int(by['district'])} row(s) located at their postcode district's centroid "
                         "(location_precision 'district')")


def _reject_outside(located: _Located, areas, rows: list[int], log: RejectLog, *, skip: np.ndarray) -> np.ndarray:
    """Reject rows whose point lies in no area; return the mask of rows rejected here."""
    bad = np.zeros(len(rows), dtype=bool)
    if areas is None or not len(rows):
        return bad
    if areas.crs is None:
        raise MissingCRSError(describe("the areas declare no coordinate reference system", file="areas",
                                       fix="set it, e.g. areas.set_crs('EPSG:27700')"))
    shapes = areas.geometry.to_crs(CRS_BNG)
    shapes = shapes.where(shapes.is_valid, shapes.make_valid())
    todo = np.flatnonzero(~located.bad & ~skip)
    points = gpd.points_from_xy(located.x[todo], located.y[todo], crs=CRS_BNG)
    inside = np.zeros(len(todo), dtype=bool)
    inside[gpd.GeoSeries(shapes.to_numpy(), crs=CRS_BNG).sindex.query(points, predicate="intersects")[0]] = True
    for k in np.flatnonzero(~inside):
        i = todo[k]
        where = f"easting {located.x[i]:.0f}, northing {located.y[i]:.0f}"
        log.add(rows[i], describe("point outside every area", value=where + (
            f" (postcode {located.postcode[i]})" if located.postcode[i] else ""),
            fix="check the coordinates or postcode, or load boundaries that cover this place"),
            column=located.column[i], value=where)
        bad[i] = True
    return bad


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


def _assemble(table: pd.DataFrame, located: _Located, keep: np.ndarray, carried: pd.DataFrame, *,
              source: str) -> gpd.GeoDataFrame:
    out = table.reset_index(drop=True)
    out[SOURCE] = source
    out[POSTCODE] = pd.array([p or "" for p in located.postcode[keep]], dtype="string")
    out[LOCATION_PRECISION] = pd.array(located.precision[keep].tolist(), dtype="string")
    order = [c for c in PROVIDER_COLUMNS if c != "geometry"] + [IAAS_GRADE]
    out = out[order].astype({OISC_LEVEL: "int64", LAA_CONTRACT: bool, REGULATED: bool, CAPACITY: float})
    gdf = gpd.GeoDataFrame(out, geometry=gpd.points_from_xy(located.x[keep], located.y[keep]), crs=CRS_BNG)
    carried = carried.reset_index(drop=True)
    carried.columns = [f"{c}_file" if c in gdf.columns else c for c in carried.columns]
    return gpd.GeoDataFrame(pd.concat([gdf, carried], axis=1), geometry="geometry", crs=CRS_BNG)
