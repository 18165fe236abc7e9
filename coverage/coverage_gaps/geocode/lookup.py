"""Offline postcode lookup: :class:`PostcodeLookup` and the postcode files it reads.

It reads a full-postcode file (ONS Postcode Directory, NSPL or OS Code-Point
Open) and/or an outward-code (district) centroid file and locates many
postcodes at once in British National Grid (EPSG:27700): the exact postcode
first, then an optional online lookup, then the district centroid.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import EmptyInputError, InvalidValueError, MissingColumnError, describe
from ..tables import match_column, require_file
from .postcodes import _start_locate, lonlat_to_bng, normalise_postcode, normalise_postcodes, postcode_district

__all__ = ["PostcodeLookup", "CODEPOINT_COLUMNS"]

_POSTCODE_NAMES = ["pcds", "pcd", "pcd7", "pcd8", "pcd2", "postcode", "post code", "postcode7", "postcode8"]
_DISTRICT_NAMES = ["outcode", "outward code", "outward", "postcode district", "pcd district", "district", "postcode"]
_EASTING_NAMES = ["oseast1m", "easting", "eastings", "x_coord"]
_NORTHING_NAMES = ["osnrth1m", "northing", "northings", "y_coord"]
_LAT_NAMES = ["lat", "latitude"]
_LON_NAMES = ["long", "longitude", "lon", "lng"]
#: OS Code-Point Open CSVs have no header; these are its documented columns.
CODEPOINT_COLUMNS = ["postcode", "positional_quality_indicator", "easting", "northing", "country_code",
                     "nhs_regional_ha_code", "nhs_ha_code", "admin_county_code", "admin_district_code",
                     "admin_ward_code"]


class PostcodeLookup:
    """Locate postcodes offline from files, with an optional online layer.

    Parameters
    ----------
    postcodes
        Full postcodes: a frame with ``postcode`` (normalised), ``x``, ``y``
        (EPSG:27700).  Usually built by :meth:`from_files`.
    districts
        Outward-code centroids: ``district``, ``x``, ``y`` (EPSG:27700).
    online
        Anything with a ``locate(postcodes)`` method returning
        :data:`LOCATE_COLUMNS` (e.g. :class:`PostcodesIO`); asked for full
        postcodes missing from ``postcodes``, before the district fallback.
    """

    def __init__(self, postcodes: pd.DataFrame | None = None, districts: pd.DataFrame | None = None, *,
                 online=None):
        self._postcodes = _index(postcodes, "postcode")
        self._districts = _index(districts, "district")
        self.online = online
        self.notes: list[str] = []
        #: One dict per file read by :meth:`from_files`: ``kind, file, read, used, filtered, rejects`` (rows).
        self.files: list[dict] = []

    def __len__(self) -> int:
        return len(self._postcodes) + len(self._districts)

    @property
    def has_districts(self) -> bool:
        """True when district centroids back up the full postcodes."""
        return len(self._districts) > 0

    def __repr__(self) -> str:
        online = f", online={self.online!r}" if self.online is not None else ""
        return f"PostcodeLookup({len(self._postcodes)} postcodes, {len(self._districts)} districts{online})"

    @classmethod
    def from_files(cls, postcodes: str | Path | None = None, districts: str | Path | None = None, *,
                   online=None) -> "PostcodeLookup":
        """Build a lookup from a full-postcode file and/or a district centroid file.

        Parameters
        ----------
        postcodes
            An ONS Postcode Directory (ONSPD) or NSPL CSV (``pcd``/``pcds``/
            ``pcd7``/``pcd8`` or ``postcode``; ``oseast1m``/``osnrth1m``,
            ``easting``/``northing`` or ``lat``/``long``), or an OS Code-Point
            Open CSV (no header: postcode, quality, easting, northing, ...), or
            a folder of Code-Point Open CSVs (one per postcode area).  Rows
            without a grid reference are left out.
        districts
            Outward-code centroids (``postcode``/``outcode``/``district`` plus
            ``easting``/``northing`` or ``latitude``/``longitude``), like
            ``uk_postcode_outcode_centroids_2014.csv``.
        online
            Optional online layer, see the class docstring.
        """
        notes: list[str] = []
        files: list[dict] = []  # per file: rows read, used, filtered and the rejects (check reconciles them)
        full = _read_postcode_file(Path(postcodes).expanduser(), notes, files) if postcodes is not None else None
        dist = _read_district_file(Path(districts).expanduser(), notes, files) if districts is not None else None
        lookup = cls(full, dist, online=online)
        lookup.notes = notes
        lookup.files = files
        return lookup

    def inputs(self) -> dict:
        """The files :meth:`from_files` read, as reconciled inputs by name (``postcodes``, ``postcode_districts``).

        Rows without coordinates are filtered; rows with an unreadable key or a repeated key are rejects.
        """
        from .._validate import Loaded
        from ..schema import REJECT_COLUMNS

        out = {}
        for f in self.files:
            several = sum(g["kind"] == f["kind"] for g in self.files) > 1
            name = f"{f['kind']}:{f['file']}" if several else f["kind"]
            rejects = f["rejects"].astype({"row": "Int64"}).reindex(columns=REJECT_COLUMNS)
            out[name] = Loaded(table=pd.DataFrame(), rejects=rejects, read=f["read"], used=f["used"],
                               filtered=f["filtered"], source=f["file"], notes=list(f["notes"]))
        return out

    def locate(self, postcodes: Sequence[object] | pd.Series) -> pd.DataFrame:
        """Locate postcodes in EPSG:27700.

        Returns
        -------
        DataFrame
            One row per input, in order (``RangeIndex``): ``postcode``
            (normalised, ``NA`` when malformed), ``x``, ``y``, ``precision``
            (``"postcode"`` or ``"district"``) and ``problem`` (``NA`` when
            found, else ``"no postcode"``, ``"malformed postcode"`` or
            ``"unknown postcode"``).
        """
        norm, out, todo = _start_locate(postcodes)
        if todo.any():
            self._fill(out, todo, norm, self._postcodes, "postcode")
        todo = todo & out["x"].isna().to_numpy()
        if todo.any() and self.online is not None:
            wanted = norm[todo]
            found = self.online.locate(list(pd.unique(wanted.to_numpy())))
            found = found[found["problem"].isna()].drop_duplicates("postcode").set_index("postcode")
            self._fill(out, todo, norm, found, "postcode")
            todo = todo & out["x"].isna().to_numpy()
        if todo.any():
            self._fill(out, todo, norm.str.split(" ").str[0], self._districts, "district")
            todo = todo & out["x"].isna().to_numpy()
        out.loc[todo, "problem"] = "unknown postcode"
        return out

    @staticmethod
    def _fill(out: pd.DataFrame, todo: np.ndarray, keys: pd.Series, table: pd.DataFrame, precision: str) -> None:
        if not len(table):
            return
        pos = table.index.get_indexer(keys[todo].to_numpy(dtype=object))
        hit = pos >= 0
        rows = np.flatnonzero(todo)[hit]
        out.loc[rows, "x"] = table["x"].to_numpy()[pos[hit]]
        out.loc[rows, "y"] = table["y"].to_numpy()[pos[hit]]
        out.loc[rows, "precision"] = precision


def _index(frame: pd.DataFrame | None, key: str) -> pd.DataFrame:
    if frame is None:
        return pd.DataFrame({"x": [], "y": []}, index=pd.Index([], dtype=object, name=key))
    frame = frame.dropna(subset=[key, "x", "y"]).drop_duplicates(key, keep="first")
    return pd.DataFrame({"x": frame["x"].astype(float).to_numpy(), "y": frame["y"].astype(float).to_numpy()},
                        index=pd.Index(frame[key].astype(str).to_numpy(dtype=object), name=key))


# --- reading lookup files ----------------------------------------------------


def _read_postcode_file(path: Path, notes: list[str], files: list | None = None) -> pd.DataFrame:
    stats = files
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        if not files:
            raise InvalidValueError(describe("the postcode folder holds no .csv files", file=str(path),
                                             fix="give an ONSPD/NSPL CSV, or Code-Point Open's Data/CSV folder"))
        return pd.concat([_read_postcode_file(p, notes, stats) for p in files], ignore_index=True)
    head = _head(path, "postcode lookup")
    header = normalise_postcode(head.iloc[0, 0]) is None
    if not header:  # Code-Point Open: no header row
        frame = _read_csv(path, "postcode lookup", header=None, usecols=[0, 2, 3],
                          names=["postcode", "easting", "northing"], dtype={"postcode": str})
        none = (frame["easting"] == 0) & (frame["northing"] == 0)  # quality 90: no grid reference
        pc, x, y = frame["postcode"], frame["easting"].mask(none), frame["northing"].mask(none)
    else:
        columns = [str(c) for c in head.iloc[0]]
        pc_col = _need(columns, _POSTCODE_NAMES, path, "postcode")
        frame, x, y = _read_coordinates(path, columns, pc_col, "postcode lookup")
        pc = frame[pc_col]
    return _points(normalise_postcodes(pc).to_numpy(), x, y, key="postcode", path=path, notes=notes,
                   what="postcode rows without a valid postcode or grid reference", files=stats,
                   first_row=2 if header else 1, raw=pc)


def _read_district_file(path: Path, notes: list[str], files: list | None = None) -> pd.DataFrame:
    columns = [str(c) for c in _head(path, "postcode district").iloc[0]]
    key = _need(columns, _DISTRICT_NAMES, path, "postcode district (outward code)")
    frame, x, y = _read_coordinates(path, columns, key, "postcode district file")
    return _points(frame[key].map(postcode_district).to_numpy(dtype=object), x, y, key="district", path=path,
                   notes=notes, what="district rows without a valid outward code or coordinates", files=files,
                   first_row=2, raw=frame[key])


def _points(keys, x, y, *, key: str, path: Path, notes: list[str], what: str, files: list | None = None,
            first_row: int = 2, raw=None) -> pd.DataFrame:
    """``key, x, y`` rows that have all three; a note counts the rows left out; ``files`` gets the counts.

    Rows without coordinates are *filtered* (terminated and non-geographic postcodes have none); rows with
    coordinates but no valid key, and repeats of a key, are *rejected* with a reason.
    """
    table = pd.DataFrame({key: keys, "x": np.asarray(x, float), "y": np.asarray(y, float)})
    complete = table.notna().all(axis=1)
    if not complete.all():
        notes.append(f"{path.name}: {int((~complete).sum())} {what} left out")
    if files is not None:
        has_xy = table[["x", "y"]].notna().all(axis=1).to_numpy()
        bad_key = has_xy & table[key].isna().to_numpy()
        repeat = (complete & table[key].duplicated(keep="first")).to_numpy()
        raw = pd.Series(keys if raw is None else np.asarray(raw, dtype=object))
        rejects = pd.DataFrame({
            "file": path.name, "row": np.flatnonzero(bad_key | repeat) + first_row,
            "column": key, "value": raw[bad_key | repeat].astype("string").to_numpy(),
            "reason": np.where(bad_key[bad_key | repeat], f"not a valid {key}: the row cannot be looked up",
                               f"repeated {key}: the first row with it is used")})
        files.append({"kind": "postcode_districts" if key == "district" else "postcodes", "file": path.name,
                      "read": len(table), "used": int((complete & ~repeat).sum()), "filtered": int((~has_xy).sum()),
                      "rejects": rejects,
                      "notes": [f"{int((~has_xy).sum())} row(s) without coordinates left out (filtered)"]
                      if (~has_xy).any() else []})
    return table[complete]


def _head(path: Path, what: str) -> pd.DataFrame:
    """The first line of a lookup file, as text (raises when the file is missing or empty)."""
    require_file(path, what=what)
    return _read_csv(path, what, nrows=1, header=None, dtype=str)


def _read_csv(path: Path, what: str, **options) -> pd.DataFrame:
    """``pandas.read_csv`` with its errors as coverage_gaps errors (bytes that are not UTF-8 are replaced)."""
    try:
        return pd.read_csv(path, encoding_errors="replace", **options)
    except pd.errors.EmptyDataError:
        raise EmptyInputError(describe(f"the {what} file is empty", file=path.name,
                                       fix="download the file again")) from None
    except ValueError as exc:  # pandas ParserError (ragged rows, a binary file) is a ValueError
        raise InvalidValueError(describe(f"cannot read the file as CSV ({exc})", file=path.name,
                                         fix="download the file again, or check it is the CSV version")) from None


def _read_coordinates(path: Path, columns: list, key: str, what: str):
    """Read the key column and coordinates; prefer grid references, else lat/long."""
    east, north = match_column(columns, _EASTING_NAMES), match_column(columns, _NORTHING_NAMES)
    lat, lon = match_column(columns, _LAT_NAMES), match_column(columns, _LON_NAMES)
    if east and north:
        frame = _read_csv(path, what, usecols=[key, east, north], dtype={key: str})
        x = pd.to_numeric(frame[east], errors="coerce")
        y = pd.to_numeric(frame[north], errors="coerce")
        missing = (x <= 0) & (y <= 0)
        return frame, x.mask(missing), y.mask(missing)
    if lat and lon:
        frame = _read_csv(path, what, usecols=[key, lat, lon], dtype={key: str})
        la = pd.to_numeric(frame[lat], errors="coerce")
        lo = pd.to_numeric(frame[lon], errors="coerce")
        bad = ~la.between(-90, 90) | ~lo.between(-180, 180)  # ONSPD writes 99.999999 for "no grid reference"
        x, y = lonlat_to_bng(lo.mask(bad), la.mask(bad))
        return frame, x, y
    raise MissingColumnError(
        describe(f"no coordinate columns in the {what}", file=path.name,
                 expected="oseast1m/osnrth1m or easting/northing, or lat/long (latitude/longitude); the file has "
                 + ", ".join(repr(str(c)) for c in columns[:20]),
                 fix="use an ONSPD, NSPL or Code-Point Open file, or rename the coordinate columns")
    )


def _need(columns: list, names: list[str], path: Path, what: str) -> str:
    found = match_column(columns, names)
    if found is None:
        raise MissingColumnError(
            describe(f"no {what} column", file=path.name,
                     expected="one of " + ", ".join(repr(n) for n in names) + "; the file has "
                     + ", ".join(repr(str(c)) for c in columns[:20]),
                     fix="rename the column, or check that this is the right file")
        )
    return found
