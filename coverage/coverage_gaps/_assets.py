"""Offline assets: Leaflet and its marker-cluster plugin, inlined from installed packages.

Maps and reports must render with no network (a funder opening an e-mail
attachment behind a strict proxy), so every script and style is written into
the HTML itself.  The files come from the npm packages pinned in the
repository's ``package.json`` / ``package-lock.json`` and installed by::

    npm ci --no-audit --no-fund --ignore-scripts     # or: make assets

No third-party code is kept in this repository.  The packages are looked for,
in order, in

1. the folder named by the ``COVERAGE_GAPS_ASSETS`` environment variable (a
   ``node_modules`` folder, or any folder holding ``leaflet/`` and
   ``leaflet.markercluster/``);
2. ``node_modules/`` at the repository root (next to ``package.json``);
3. ``node_modules/`` in the current working directory.

Images the Leaflet stylesheet refers to (the layer-control icon) become
``data:`` URIs, source-map comments are dropped, and the text is checked for
sequences that would end the ``<script>``/``<style>`` element early.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .errors import AssetsNotFoundError, describe

__all__ = ["INSTALL_COMMAND", "ENV_VAR", "Asset", "assets_dir", "load_asset", "inline_html", "PACKAGES",
           "external_references"]

#: The command that installs the pinned packages (run at the repository root).
INSTALL_COMMAND = "npm ci --no-audit --no-fund --ignore-scripts"
#: Environment variable naming a folder that holds the packages.
ENV_VAR = "COVERAGE_GAPS_ASSETS"
_REPO_ROOT = Path(__file__).resolve().parents[2]

#: name -> (npm package, file inside the package, kind)
PACKAGES: dict[str, tuple[str, str, str]] = {
    "leaflet_css": ("leaflet", "dist/leaflet.css", "css"),
    "leaflet_js": ("leaflet", "dist/leaflet.js", "js"),
    "markercluster_css": ("leaflet.markercluster", "dist/MarkerCluster.css", "css"),
    "markercluster_default_css": ("leaflet.markercluster", "dist/MarkerCluster.Default.css", "css"),
    "markercluster_js": ("leaflet.markercluster", "dist/leaflet.markercluster.js", "js"),
}

_SOURCE_MAP = re.compile(r"^\s*(//|/\*)# sourceMappingURL=.*$", re.MULTILINE)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(images/[A-Za-z0-9_.-]+\.png)\1\s*\)")
_ENDS_ELEMENT = re.compile(r"</(script|style)|<!--", re.IGNORECASE)


@dataclass(frozen=True)
class Asset:
    """One inlined file: its text, the package and version it came from."""

    name: str
    package: str
    version: str
    path: Path
    kind: str  # "js" or "css"
    text: str


def _candidates() -> list[Path]:
    found = []
    env = os.environ.get(ENV_VAR)
    if env:
        found.append(Path(env))
    found += [_REPO_ROOT / "node_modules", Path.cwd() / "node_modules"]
    return found


def assets_dir() -> Path:
    """The folder holding the ``leaflet`` and ``leaflet.markercluster`` packages.

    Raises
    ------
    AssetsNotFoundError
        When no candidate folder holds them; the message names the folders
        searched and the command that installs the packages.
    """
    tried = _candidates()
    for folder in tried:
        if all((folder / pkg / rel).is_file() for pkg, rel, _ in PACKAGES.values()):
            return folder
    env_note = (f"{ENV_VAR}={os.environ[ENV_VAR]} does not hold them either; " if os.environ.get(ENV_VAR) else "")
    raise AssetsNotFoundError(describe(
        "the Leaflet files that offline maps inline are not installed",
        file=" or ".join(str(p) for p in dict.fromkeys(tried)),
        expected="leaflet/dist/leaflet.js and leaflet.markercluster/dist/leaflet.markercluster.js",
        fix=f"{env_note}run `{INSTALL_COMMAND}` (or `make assets`) at the repository root {_REPO_ROOT}, "
            f"or set {ENV_VAR} to a node_modules folder holding leaflet and leaflet.markercluster",
    ))


def _version(folder: Path, package: str) -> str:
    try:
        return str(json.loads((folder / package / "package.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return "unknown"


def _inline_images(css: str, base: Path) -> str:
    def data_uri(match: re.Match) -> str:
        image = base / match.group(2)
        if not image.is_file():
            return "none"
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        return f'url("data:image/png;base64,{encoded}")'

    return _CSS_URL.sub(data_uri, css)


@functools.lru_cache(maxsize=16)
def _load(folder: Path, name: str) -> Asset:
    package, rel, kind = PACKAGES[name]
    path = folder / package / rel
    text = _SOURCE_MAP.sub("", path.read_text(encoding="utf-8")).rstrip() + "\n"
    if kind == "css":
        text = _inline_images(text, path.parent)
    ends = _ENDS_ELEMENT.search(text)
    if ends:
        raise AssetsNotFoundError(describe(
            "this file cannot be inlined: it contains a sequence that would end its HTML element",
            file=path, value=ends.group(0), expected="no '</script', '</style' or '<!--'",
            fix=f"reinstall the pinned version with `{INSTALL_COMMAND}`"))
    return Asset(name=name, package=package, version=_version(folder, package), path=path, kind=kind, text=text)


def load_asset(name: str) -> Asset:
    """Load one asset by its key in :data:`PACKAGES` (cached per folder)."""
    if name not in PACKAGES:
        raise KeyError(f"unknown asset {name!r}; known: {', '.join(PACKAGES)}")
    return _load(assets_dir(), name)


def inline_html(names: list[str] | tuple[str, ...]) -> str:
    """``<style>``/``<script>`` elements holding the named assets, in the order given.

    Each element starts with a comment naming the npm package and version, so a
    reader of the HTML can tell where the code came from.
    """
    parts = []
    for name in names:
        asset = load_asset(name)
        note = f"/* {asset.package} {asset.version} ({asset.path.parent.name}/{asset.path.name}), inlined from npm */\n"
        tag = "style" if asset.kind == "css" else "script"
        parts.append(f"<{tag}>{note}{asset.text}</{tag}>")
    return "\n".join(parts)


_URL_ATTRIBUTES = {"src", "href", "srcset", "poster", "data", "action", "background", "xlink:href"}
_CSS_EXTERNAL = re.compile(r"""url\(\s*["']?\s*(?!data:|#)([^)"'\s]+)|@import\s+(?:url\()?\s*["']?([^"')\s;]+)""",
                           re.IGNORECASE)


class _RefFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if tag in ("a", "area") and name == "href":
                continue  # a hyperlink is followed only when clicked: not a load
            if name in _URL_ATTRIBUTES and value and not value.strip().startswith(("data:", "#")):
                self.refs.append(f"<{tag} {name}={value!r}>")
            if name == "style" and value:
                self.refs += [f"<{tag} style> {m.group(0)}" for m in _CSS_EXTERNAL.finditer(value)]
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.refs += [f"<style> {m.group(0)}" for m in _CSS_EXTERNAL.finditer(data)]


def external_references(document: str) -> list[str]:
    """Every resource an HTML document would load from outside itself.

    Looks at the attributes of real elements (``src``, ``<link href>`` ...; a
    hyperlink ``<a href>`` is not a load) and at
    ``url(...)``/``@import`` in ``<style>`` elements and ``style`` attributes;
    ``data:`` URIs and ``#fragment`` references are self-contained.  Text
    inside scripts (e.g. Leaflet's own attribution link) is not a load and is
    not reported.  An empty list means the document renders with no network.
    """
    finder = _RefFinder()
    finder.feed(document)
    finder.close()
    return finder.refs
