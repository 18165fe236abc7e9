"""Postcode text and points: normalise UK postcodes, find their district, convert lon/lat to BNG.

Also the frame every ``locate`` returns (:data:`LOCATE_COLUMNS`), with the
private helper the offline and online lookups share to start it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from ..schema import CRS_BNG, CRS_WGS84

__all__ = ["normalise_postcode", "normalise_postcodes", "postcode_district", "lonlat_to_bng", "LOCATE_COLUMNS"]

#: Columns of the frame every ``locate`` returns, one row per postcode asked.
LOCATE_COLUMNS = ["postcode", "x", "y", "precision", "problem"]

# The UK Government data standard pattern, on the postcode with spaces removed;
# plus GIR 0AA and the British overseas territories' single postcodes.
_OUTWARD = r"[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?|[0-9][A-HJKPS-UW])"
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_SPECIAL = r"GIR0AA|(?:ASCN|STHL|TDCU|BBND|BIQQ|FIQQ|PCRN|SIQQ|TKCA)1ZZ"
_FULL_RE = re.compile(rf"(?:{_OUTWARD}{_INWARD}|{_SPECIAL})")
# Outward codes alone are checked loosely: centroid files keep retired districts (W1M).
_OUTWARD_RE = re.compile(r"(?:[A-Z]{1,2}[0-9][0-9A-Z]?|GIR|ASCN|STHL|TDCU|BBND|BIQQ|FIQQ|PCRN|SIQQ|TKCA)")


def normalise_postcode(text: object) -> str | None:
    """A UK postcode in standard form, or ``None`` when it is not one.

    Upper case, spaces removed, then one space before the three-character
    inward code.

    >>> normalise_postcode(" st11hl ")
    'ST1 1HL'
    >>> normalise_postcode("gir0aa")
    'GIR 0AA'
    >>> normalise_postcode("ST1 1H") is None
    True
    """
    squeezed = _squeeze(text)
    if squeezed is None or not _FULL_RE.fullmatch(squeezed):
        return None
    return f"{squeezed[:-3]} {squeezed[-3:]}"


def postcode_district(pc: object) -> str | None:
    """The outward code (postcode district) of a postcode, e.g. ``"ST1"``.

    Accepts a full postcode in any spacing or an outward code on its own;
    ``None`` when neither.

    >>> postcode_district("st1 1hl")
    'ST1'
    """
    full = normalise_postcode(pc)
    if full is not None:
        return full.split(" ")[0]
    squeezed = _squeeze(pc)
    return squeezed if squeezed is not None and _OUTWARD_RE.fullmatch(squeezed) else None


def _squeeze(text: object) -> str | None:
    """Upper case with every space removed; ``None`` for a missing value."""
    if text is None or (isinstance(text, float) and text != text) or text is pd.NA:
        return None
    return re.sub(r"\s+", "", str(text)).upper()


def normalise_postcodes(values: Sequence[object] | pd.Series) -> pd.Series:
    """Vectorised :func:`normalise_postcode`: a string Series, ``NA`` where malformed or blank."""
    s = pd.Series(values, dtype="string").reset_index(drop=True)
    squeezed = s.str.replace(r"\s+", "", regex=True).str.upper()
    ok = squeezed.str.fullmatch(_FULL_RE.pattern).fillna(False).astype(bool)
    out = (squeezed.str[:-3] + " " + squeezed.str[-3:]).where(ok)
    return out.astype("string")


@lru_cache(maxsize=1)
def _transformer():
    from pyproj import Transformer

    return Transformer.from_crs(CRS_WGS84, CRS_BNG, always_xy=True)


def lonlat_to_bng(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 longitude/latitude (degrees) to British National Grid easting/northing (metres)."""
    x, y = _transformer().transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    bad = ~(np.isfinite(x) & np.isfinite(y))  # missing or impossible input gives inf, not a point
    return np.where(bad, np.nan, x), np.where(bad, np.nan, y)


def _start_locate(postcodes: Sequence[object] | pd.Series) -> tuple[pd.Series, pd.DataFrame, np.ndarray]:
    """Begin a ``locate``: normalised postcodes, the output frame and the mask of usable postcodes.

    The frame has nothing found yet; blank postcodes already have the problem
    ``"no postcode"`` and malformed ones ``"malformed postcode"``.
    """
    raw = pd.Series(list(postcodes) if not isinstance(postcodes, pd.Series) else postcodes,
                    dtype="string").reset_index(drop=True)
    norm = normalise_postcodes(raw)
    n = len(norm)
    out = pd.DataFrame(
        {
            "postcode": norm.to_numpy(),
            "x": np.full(n, np.nan),
            "y": np.full(n, np.nan),
            "precision": pd.array([pd.NA] * n, dtype="string"),
            "problem": pd.array([pd.NA] * n, dtype="string"),
        }
    )
    blank = raw.isna() | raw.str.strip().eq("").fillna(True)
    out.loc[blank.to_numpy(), "problem"] = "no postcode"
    out.loc[(norm.isna() & ~blank).to_numpy(), "problem"] = "malformed postcode"
    return norm, out, norm.notna().to_numpy()
