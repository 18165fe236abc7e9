"""Postcode to point: normalise UK postcodes and look them up offline (or online).

:class:`PostcodeLookup` reads a full-postcode file (ONS Postcode Directory,
NSPL or OS Code-Point Open) and/or an outward-code (district) centroid file and
locates many postcodes at once in British National Grid (EPSG:27700): the exact
postcode first (precision ``"postcode"``), then an optional online lookup, then
the district centroid (precision ``"district"``), else a problem
(``"unknown postcode"``, ``"malformed postcode"``, ``"no postcode"``).

The online lookup (:class:`PostcodesIO`, the free postcodes.io bulk API) is
used only when a user builds one and passes it in; it caches every answer on
disk and never runs in the tests against the internet.

The code lives in :mod:`.postcodes` (normalising, lon/lat to BNG),
:mod:`.lookup` (:class:`PostcodeLookup` and its file readers) and
:mod:`.online` (:class:`PostcodesIO`); every name is importable from here.
"""

from __future__ import annotations

from .lookup import CODEPOINT_COLUMNS, PostcodeLookup  # noqa: F401  (CODEPOINT_COLUMNS: kept importable)
from .online import PostcodesIO
from .postcodes import LOCATE_COLUMNS, lonlat_to_bng, normalise_postcode, normalise_postcodes, postcode_district

__all__ = [
    "normalise_postcode",
    "normalise_postcodes",
    "postcode_district",
    "lonlat_to_bng",
    "PostcodeLookup",
    "PostcodesIO",
    "LOCATE_COLUMNS",
]
