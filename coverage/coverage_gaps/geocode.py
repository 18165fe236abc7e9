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
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import EmptyInputError, InvalidValueError, MissingColumnError, describe
from .io._read import match_column, require_file
from .schema import CRS_BNG, CRS_WGS84

__all__ = [
    "normalise_postcode",
    "normalise_postcodes",
    "postcode_district",
    "lonlat_to_bng",
    "PostcodeLookup",
    "PostcodesIO",
    "LOCATE_COLUMNS",
]

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
    if text is None or (isinstance(text, float) and text != text) or text is pd.NA:
        return None
    squeezed = re.sub(r"\s+", "", str(text)).upper()
    if not _FULL_RE.fullmatch(squeezed):
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
    if pc is None or (isinstance(pc, float) and pc != pc) or pc is pd.NA:
        return None
    squeezed = re.sub(r"\s+", "", str(pc)).upper()
    return squeezed if _OUTWARD_RE.fullmatch(squeezed) else None


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


def _empty_locate(postcodes: pd.Series) -> pd.DataFrame:
    """A locate frame with nothing found yet (private helper shared with the online lookup)."""
    n = len(postcodes)
    return pd.DataFrame(
        {
            "postcode": postcodes.astype("string").to_numpy(),
            "x": np.full(n, np.nan),
            "y": np.full(n, np.nan),
            "precision": pd.array([pd.NA] * n, dtype="string"),
            "problem": pd.array([pd.NA] * n, dtype="string"),
        }
    )


def _mark_unusable(raw: pd.Series, norm: pd.Series, out: pd.DataFrame) -> pd.Series:
    """Set ``problem`` for blank and malformed postcodes; return the mask of usable ones."""
    blank = raw.isna() | raw.astype("string").str.strip().eq("").fillna(True)
    bad = norm.isna() & ~blank
    out.loc[blank.to_numpy(), "problem"] = "no postcode"
    out.loc[bad.to_numpy(), "problem"] = "malformed postcode"
    return norm.notna()


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
        full = _read_postcode_file(Path(postcodes).expanduser(), notes) if postcodes is not None else None
        dist = _read_district_file(Path(districts).expanduser(), notes) if districts is not None else None
        lookup = cls(full, dist, online=online)
        lookup.notes = notes
        return lookup

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
        raw = pd.Series(list(postcodes) if not isinstance(postcodes, pd.Series) else postcodes,
                        dtype="string").reset_index(drop=True)
        norm = normalise_postcodes(raw)
        out = _empty_locate(norm)
        todo = _mark_unusable(raw, norm, out).to_numpy()
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


def _read_postcode_file(path: Path, notes: list[str]) -> pd.DataFrame:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        if not files:
            raise InvalidValueError(describe("the postcode folder holds no .csv files", file=str(path),
                                             fix="give an ONSPD/NSPL CSV, or Code-Point Open's Data/CSV folder"))
        return pd.concat([_read_postcode_file(p, notes) for p in files], ignore_index=True)
    head = _head(path, "postcode lookup")
    if normalise_postcode(head.iloc[0, 0]) is not None:  # Code-Point Open: no header row
        frame = pd.read_csv(path, header=None, usecols=[0, 2, 3], names=["postcode", "easting", "northing"],
                            dtype={"postcode": str}, encoding_errors="replace")
        none = (frame["easting"] == 0) & (frame["northing"] == 0)  # quality 90: no grid reference
        pc, x, y = frame["postcode"], frame["easting"].mask(none), frame["northing"].mask(none)
    else:
        columns = [str(c) for c in head.iloc[0]]
        pc_col = _need(columns, _POSTCODE_NAMES, path, "postcode")
        frame, x, y = _read_coordinates(path, columns, pc_col, "postcode lookup")
        pc = frame[pc_col]
    table = pd.DataFrame({"postcode": normalise_postcodes(pc).to_numpy(), "x": np.asarray(x, float),
                          "y": np.asarray(y, float)})
    dropped = len(table) - int(table.notna().all(axis=1).sum())
    if dropped:
        notes.append(f"{path.name}: {dropped} postcode rows without a valid postcode or grid reference left out")
    return table.dropna()


def _read_district_file(path: Path, notes: list[str]) -> pd.DataFrame:
    columns = [str(c) for c in _head(path, "postcode district").iloc[0]]
    key = _need(columns, _DISTRICT_NAMES, path, "postcode district (outward code)")
    frame, x, y = _read_coordinates(path, columns, key, "postcode district file")
    districts = frame[key].map(postcode_district)
    table = pd.DataFrame({"district": districts.to_numpy(dtype=object), "x": np.asarray(x, float),
                          "y": np.asarray(y, float)})
    dropped = len(table) - int(table.notna().all(axis=1).sum())
    if dropped:
        notes.append(f"{path.name}: {dropped} district rows without a valid outward code or coordinates left out")
    return table.dropna()


def _head(path: Path, what: str) -> pd.DataFrame:
    """The first line of a lookup file, as text (raises when the file is missing or empty)."""
    require_file(path, what=what)
    try:
        return pd.read_csv(path, nrows=1, header=None, dtype=str, encoding_errors="replace")
    except pd.errors.EmptyDataError:
        raise EmptyInputError(describe(f"the {what} file is empty", file=path.name,
                                       fix="download the file again")) from None


def _read_coordinates(path: Path, columns: list, key: str, what: str):
    """Read the key column and coordinates; prefer grid references, else lat/long."""
    east, north = match_column(columns, _EASTING_NAMES), match_column(columns, _NORTHING_NAMES)
    lat, lon = match_column(columns, _LAT_NAMES), match_column(columns, _LON_NAMES)
    if east and north:
        frame = pd.read_csv(path, usecols=[key, east, north], dtype={key: str}, encoding_errors="replace")
        x = pd.to_numeric(frame[east], errors="coerce")
        y = pd.to_numeric(frame[north], errors="coerce")
        missing = (x <= 0) & (y <= 0)
        return frame, x.mask(missing), y.mask(missing)
    if lat and lon:
        frame = pd.read_csv(path, usecols=[key, lat, lon], dtype={key: str}, encoding_errors="replace")
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


# --- online: postcodes.io -------------------------------------------------------


class PostcodesIO:
    """The free postcodes.io bulk lookup, with an on-disk cache.

    Building one is the explicit opt-in to send postcodes over the network;
    nothing else in coverage-gaps goes online.  Answers (including "not
    found") are cached as JSON in ``cache_dir``, so a second run asks nothing.

    Parameters
    ----------
    base_url
        The service root; ``POST {base_url}/postcodes`` takes
        ``{"postcodes": [...]}`` (at most 100 per request).
    cache_dir
        Folder for ``postcodes.json``; ``None`` for no cache.
    timeout_s
        Seconds to wait for each request.
    progress
        Show a tqdm progress bar while looking postcodes up.

    Examples
    --------
    >>> online = PostcodesIO()                                   # doctest: +SKIP
    >>> lookup = PostcodeLookup.from_files(districts="outcodes.csv", online=online)  # doctest: +SKIP
    """

    batch_size = 100

    def __init__(self, *, base_url: str = "https://api.postcodes.io",
                 cache_dir: str | Path | None = "~/.cache/coverage-gaps/postcodes.io",
                 timeout_s: float = 30.0, progress: bool = True):
        self.base_url = base_url.rstrip("/")
        self.cache_dir = None if cache_dir is None else Path(cache_dir).expanduser()
        self.timeout_s = float(timeout_s)
        self.progress = progress
        self.requests_made = 0
        self._cache: dict[str, list[float] | None] | None = None

    def __repr__(self) -> str:
        return f"PostcodesIO(base_url={self.base_url!r})"

    def locate(self, postcodes: Sequence[object] | pd.Series) -> pd.DataFrame:
        """Locate postcodes; same output as :meth:`PostcodeLookup.locate` (precision ``"postcode"``).

        Raises
        ------
        GeocoderError
            The service cannot be reached, times out or answers badly.
        """
        raw = pd.Series(list(postcodes) if not isinstance(postcodes, pd.Series) else postcodes,
                        dtype="string").reset_index(drop=True)
        norm = normalise_postcodes(raw)
        out = _empty_locate(norm)
        ok = _mark_unusable(raw, norm, out).to_numpy()
        answers = self.lookup(list(pd.unique(norm[ok].to_numpy(dtype=object))))
        for i in np.flatnonzero(ok):
            point = answers.get(norm.iat[i])
            if point is None:
                out.at[i, "problem"] = "unknown postcode"
            else:
                out.at[i, "x"], out.at[i, "y"] = point
                out.at[i, "precision"] = "postcode"
        return out

    def lookup(self, postcodes: list[str]) -> dict[str, tuple[float, float] | None]:
        """Easting/northing of each normalised postcode, ``None`` when the service does not know it."""
        cache = self._load_cache()
        wanted = [p for p in dict.fromkeys(postcodes) if p not in cache]
        batches = [wanted[i:i + self.batch_size] for i in range(0, len(wanted), self.batch_size)]
        if batches:
            from tqdm.auto import tqdm

            with tqdm(total=len(wanted), desc="postcodes.io", unit="postcode", leave=False,
                      disable=not self.progress) as bar:
                for batch in batches:
                    cache.update(self._ask(batch))
                    self._save_cache()
                    bar.update(len(batch))
        return {p: (None if cache.get(p) is None else tuple(cache[p])) for p in postcodes}

    def _ask(self, batch: list[str]) -> dict[str, list[float] | None]:
        import json
        import socket
        import urllib.error
        import urllib.request

        from .errors import GeocoderError

        url = f"{self.base_url}/postcodes"
        fix = ("check the network or proxy (HTTPS_PROXY), or geocode offline with a postcode file "
               "([inputs.postcodes] / [inputs.postcode_districts]) and leave the online geocoder off")
        request = urllib.request.Request(
            url, data=json.dumps({"postcodes": batch}).encode("utf-8"), method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json",
                     "User-Agent": "coverage-gaps (postcode lookup)"},
        )
        try:
            self.requests_made += 1
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                body = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise GeocoderError(describe(f"the online postcode lookup answered HTTP {exc.code} {exc.reason}",
                                         value=url, fix=fix)) from None
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise GeocoderError(describe(f"cannot reach the online postcode lookup ({reason})",
                                         value=url, fix=fix)) from None
        except (ValueError, UnicodeDecodeError):
            raise GeocoderError(describe("the online postcode lookup did not answer with JSON",
                                         value=url, fix=fix)) from None
        if not isinstance(body, dict) or body.get("status") != 200 or not isinstance(body.get("result"), list):
            status = body.get("status") if isinstance(body, dict) else None
            raise GeocoderError(describe("unexpected answer from the online postcode lookup",
                                         value=f"{url} status {status}",
                                         expected='{"status": 200, "result": [...]}', fix=fix))
        answers: dict[str, list[float] | None] = {p: None for p in batch}
        for item in body["result"]:
            query = normalise_postcode(item.get("query")) if isinstance(item, dict) else None
            if query in answers:
                answers[query] = _point(item.get("result"))
        return answers

    def _cache_file(self) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / "postcodes.json"

    def _load_cache(self) -> dict:
        if self._cache is None:
            import json

            self._cache = {}
            path = self._cache_file()
            if path is not None and path.is_file():
                try:
                    self._cache = dict(json.loads(path.read_text(encoding="utf-8")))
                except ValueError:  # a damaged cache is only a cache: start again
                    self._cache = {}
        return self._cache

    def _save_cache(self) -> None:
        import json

        path = self._cache_file()
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._cache, sort_keys=True), encoding="utf-8")
        tmp.replace(path)


def _point(result) -> list[float] | None:
    """Easting/northing from one postcodes.io result (from lat/long when the grid reference is absent)."""
    if not isinstance(result, dict):
        return None
    e, n = result.get("eastings"), result.get("northings")
    if isinstance(e, (int, float)) and isinstance(n, (int, float)):
        return [float(e), float(n)]
    lat, lon = result.get("latitude"), result.get("longitude")
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
        x, y = lonlat_to_bng([lon], [lat])
        return [float(x[0]), float(y[0])]
    return None
