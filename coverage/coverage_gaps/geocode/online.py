"""Online postcode lookup: the free postcodes.io bulk API, with an on-disk cache.

Building a :class:`PostcodesIO` is the explicit opt-in to send postcodes over
the network; it never runs in the tests against the internet.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import describe
from .postcodes import _start_locate, lonlat_to_bng, normalise_postcode

__all__ = ["PostcodesIO"]


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
        norm, out, ok = _start_locate(postcodes)
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

        from ..errors import GeocoderError

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
