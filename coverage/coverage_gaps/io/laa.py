"""Load the Legal Aid Agency provider-office directory.

:func:`load_laa_offices` keeps the offices holding the chosen LAA categories
(``IMMAS`` = immigration and asylum; the others are filtered) and returns them
as providers in the same contract as :func:`~coverage_gaps.io.load_partners`.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from .._validate import Loaded, RejectLog, finish
from ..errors import InvalidValueError, describe
from ..schema import (CAPACITY, CATEGORIES, CATEGORY_ASYLUM, CATEGORY_IMMIGRATION, IAAS_GRADE, LAA_CONTRACT,
                      OISC_LEVEL, POSTCODE, PROVIDER_ID, PROVIDER_NAME, REGULATED, STATUS)
from ._locate import _assemble, _drop_blank_rows, _locate_rows, _missing, _reject_outside
from ..tables import match_column, read_table, unsaved_formula_reason, unsaved_formula_rows
from .partners import _TRUE

__all__ = ["load_laa_offices", "LAA_CATEGORY_MAP"]

#: LAA category codes and the provider categories they stand for.
LAA_CATEGORY_MAP = {"IMMAS": (CATEGORY_IMMIGRATION, CATEGORY_ASYLUM)}



#: How a directory's offices enter the analysis (``role`` of :func:`load_laa_offices`).
ROLES = ("supply", "candidates")


def load_laa_offices(path: str | Path, *, categories: tuple[str, ...] = ("IMMAS",), geocoder=None,
                     areas: gpd.GeoDataFrame | None = None, role: str = "supply") -> Loaded:
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
    role
        ``"supply"`` (default): the offices are contract holders as below.
        ``"candidates"``: organisations that could *add* immigration work,
        for ``plan``: offices holding a code of ``categories`` but no
        immigration code (``IMMAS`` holders are supply already and are counted
        as filtered) enter with ``laa_contract`` False, ``regulated`` False,
        ``oisc_level`` 0, no categories and ``status`` ``"prospective"``: never
        qualifying supply, always trainable.

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
    unsaved = unsaved_formula_rows(df, first)
    df, rows, notes = _drop_blank_rows(df, first)
    notes = list(df.attrs.get("notes", [])) + notes
    spec = {"office_id": ["office_id", "office id"], "organisation": ["organisation", "organization", "name"],
            "categories": ["categories", "category codes"], POSTCODE: ["postcode", "post code"],
            "longitude": ["lon", "longitude", "lng"], "latitude": ["lat", "latitude"]}
    found = {k: match_column(df.columns, v) for k, v in spec.items()}
    _missing(found, spec, file=source, fix="use the LAA directory export with these headers")
    codes = df[found["categories"]].fillna("").str.upper().str.split(r"\s*[;,]\s*", regex=True)
    if role not in ROLES:
        raise InvalidValueError(describe("unknown role for the LAA directory", column="role", value=role,
                                         expected=" or ".join(repr(r) for r in ROLES),
                                         fix="use 'supply' (contract holders) or 'candidates' (could add immigration work)"))
    candidates = role == "candidates"
    held = np.array([bool(wanted & set(c)) and not (candidates and set(LAA_CATEGORY_MAP) & set(c)) for c in codes])
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
    if candidates:  # not immigration supply until trained: see ``role``
        table[[LAA_CONTRACT, REGULATED, CATEGORIES, STATUS]] = [False, False, "", "prospective"]
    located = _locate_rows(df, {k: found[k] for k in ("latitude", "longitude", POSTCODE)}, rows, log,
                          geocoder=geocoder)
    bad = located.bad.copy()
    for i, r in enumerate(rows):  # a blank formula cell would silently read as blank: reject the row
        if r - first in unsaved and not bad[i]:
            column, formula = unsaved[r - first]
            log.add(r, unsaved_formula_reason(formula), column=column, value=formula)
            bad[i] = True
    for i in np.flatnonzero(office.eq("").to_numpy() & ~bad):
        log.add(rows[i], "no office_id", column=found["office_id"], value="")
        bad[i] = True
    bad |= _reject_outside(located, areas, rows, log, skip=bad)
    first_row: dict[str, int] = {}  # among usable rows: a rejected first copy must not reject the next
    for i in np.flatnonzero(~bad):
        if office.iat[i] in first_row:
            log.add(rows[i], f"duplicate office_id: the same office as row {first_row[office.iat[i]]}",
                    column=found["office_id"], value=office.iat[i])
            bad[i] = True
        else:
            first_row[office.iat[i]] = rows[i]
    keep = ~bad
    carried = df.drop(columns=[found[k] for k in ("organisation", POSTCODE, "longitude", "latitude")])
    carried = carried.rename(columns={found["categories"]: "laa_categories"})
    out = _assemble(table[keep], located, keep, carried[keep], source=source)
    loaded = Loaded(table=out, rejects=log.frame(), read=len(held), used=int(keep.sum()),
                    filtered=int((~held).sum()), source=source, notes=notes + located.notes)
    return finish(loaded, what="LAA office")
