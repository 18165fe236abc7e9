"""Offline assets: Leaflet and its marker-cluster plugin, inlined from installed Python packages.

Maps and reports must render with no network (a funder opening an e-mail
attachment behind a strict proxy), so every script and style is written into
the HTML itself.  The files come from two runtime dependencies on PyPI, in the
XStatic packaging standard (the upstream ``dist`` files under
``xstatic.pkg.<name>.BASE_DIR``, no code of their own):

* ``XStatic-Leaflet`` 1.9.3.0 (Leaflet 1.9.3),
* ``XStatic-Leaflet-MarkerCluster`` 1.4.1.1 (Leaflet.markercluster 1.4.1).

``pip install coverage-gaps`` installs them, so the installed package finds
them with no repository checkout, no ``node_modules`` and no network.  No
third-party code is kept in this repository; ``tests/test_assets.py`` pins the
exact files inlined (version and sha256).

Images the Leaflet stylesheet refers to (the layer-control icon) become
``data:`` URIs, source-map comments are dropped, and the text is checked for
sequences that would end the ``<script>``/``<style>`` element early.
"""

from __future__ import annotations

import base64
import functools
import importlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .errors import AssetsNotFoundError, describe

__all__ = ["INSTALL_COMMAND", "Asset", "DISTRIBUTIONS", "PACKAGES", "asset_dir", "load_asset", "inline_html",
           "external_references"]

#: module -> the PyPI distribution (pinned in pyproject.toml) that installs it.
DISTRIBUTIONS: dict[str, str] = {
    "xstatic.pkg.leaflet": "XStatic-Leaflet==1.9.3.0",
    "xstatic.pkg.leaflet_markercluster": "XStatic-Leaflet-MarkerCluster==1.4.1.1",
}
#: The command that installs the pinned packages.
INSTALL_COMMAND = "python -m pip install " + " ".join(f'"{d}"' for d in DISTRIBUTIONS.values())

#: name -> (module, file inside the module's BASE_DIR, kind)
PACKAGES: dict[str, tuple[str, str, str]] = {
    "leaflet_css": ("xstatic.pkg.leaflet", "leaflet.css", "css"),
    "leaflet_js": ("xstatic.pkg.leaflet", "leaflet.js", "js"),
    "markercluster_css": ("xstatic.pkg.leaflet_markercluster", "MarkerCluster.css", "css"),
    "markercluster_default_css": ("xstatic.pkg.leaflet_markercluster", "MarkerCluster.Default.css", "css"),
    "markercluster_js": ("xstatic.pkg.leaflet_markercluster", "leaflet.markercluster.js", "js"),
}

_SOURCE_MAP = re.compile(r"^\s*(//|/\*)# sourceMappingURL=.*$", re.MULTILINE)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(images/[A-Za-z0-9_.-]+\.png)\1\s*\)")
_ENDS_ELEMENT = re.compile(r"</(script|style)|<!--", re.IGNORECASE)


@dataclass(frozen=True)
class Asset:
    """One inlined file: its text, the library and version, and the PyPI package it came from."""

    name: str
    package: str  # the library's own name, e.g. "Leaflet"
    version: str  # the library's version, e.g. "1.9.3"
    distribution: str  # the PyPI package and its version, e.g. "XStatic-Leaflet 1.9.3.0"
    path: Path
    kind: str  # "js" or "css"
    text: str


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        raise AssetsNotFoundError(describe(
            "the Leaflet files that offline maps inline are not installed",
            value=name, expected=f"the Python package {DISTRIBUTIONS[name].split('==')[0]} "
                                 "(a dependency of coverage-gaps)",
            fix=f"run `{INSTALL_COMMAND}` in the environment coverage-gaps is installed in, "
                "or reinstall coverage-gaps with pip")) from None


def asset_dir(module: str) -> Path:
    """The folder (``BASE_DIR``) holding one XStatic package's files.

    Raises
    ------
    AssetsNotFoundError
        When the package is not installed, or installed without its files; the
        message names the pip command that installs it.
    """
    folder = Path(_module(module).BASE_DIR)
    missing = [rel for mod, rel, _ in PACKAGES.values() if mod == module and not (folder / rel).is_file()]
    if missing:
        raise AssetsNotFoundError(describe(
            "the Leaflet files that offline maps inline are incomplete", file=folder, value=", ".join(missing),
            fix=f"reinstall them with `{INSTALL_COMMAND} --force-reinstall`"))
    return folder


def _inline_images(css: str, base: Path) -> str:
    def data_uri(match: re.Match) -> str:
        image = base / match.group(2)
        if not image.is_file():
            return "none"
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        return f'url("data:image/png;base64,{encoded}")'

    return _CSS_URL.sub(data_uri, css)


@functools.lru_cache(maxsize=16)
def _load(name: str) -> Asset:
    module, rel, kind = PACKAGES[name]
    folder = asset_dir(module)
    meta = _module(module)
    path = folder / rel
    text = _SOURCE_MAP.sub("", path.read_text(encoding="utf-8")).rstrip() + "\n"
    if kind == "css":
        text = _inline_images(text, path.parent)
    ends = _ENDS_ELEMENT.search(text)
    if ends:
        raise AssetsNotFoundError(describe(
            "this file cannot be inlined: it contains a sequence that would end its HTML element",
            file=path, value=ends.group(0), expected="no '</script', '</style' or '<!--'",
            fix=f"reinstall the pinned version with `{INSTALL_COMMAND} --force-reinstall`"))
    return Asset(name=name, package=str(meta.DISPLAY_NAME), version=str(meta.VERSION),
                 distribution=f"{meta.PACKAGE_NAME} {meta.PACKAGE_VERSION}", path=path, kind=kind, text=text)


def load_asset(name: str) -> Asset:
    """Load one asset by its key in :data:`PACKAGES` (cached)."""
    if name not in PACKAGES:
        raise KeyError(f"unknown asset {name!r}; known: {', '.join(PACKAGES)}")
    return _load(name)


def inline_html(names: list[str] | tuple[str, ...]) -> str:
    """``<style>``/``<script>`` elements holding the named assets, in the order given.

    Each element starts with a comment naming the library, its version and the
    PyPI package it came from, so a reader of the HTML can tell where the code
    came from.
    """
    parts = []
    for name in names:
        asset = load_asset(name)
        note = f"/* {asset.package} {asset.version} ({asset.path.name}), inlined from PyPI {asset.distribution} */\n"
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
