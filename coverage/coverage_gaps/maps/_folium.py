"""Every use of folium's and branca's insides, in one place, for the versions listed here.

The map is a ``folium.Map`` with elements of its own.  Four things it needs are
not folium's public API; they live here and nowhere else in the package:

* **children**: an element's sub-elements (``_children``), to list, snapshot and
  restore them (:func:`children`, :func:`snapshot`, :func:`restore`);
* **ids**: the element names folium draws from random UUIDs (``_id``),
  renumbered so the same Result gives byte-identical HTML (:func:`number_ids`);
* **templates**: an element's Jinja template (``_template``) and its ``script``
  macro (``_template.module``), rendered once as plain text so data is never
  parsed as a template (:class:`ScriptMacro`, :class:`ScriptLayer`), and the
  page template of the figure (:func:`set_page`);
* **names**: an element's kind (``_name``, the stem of its id) and its parent
  (``_parent``) (:func:`parent_name`).

A folium or branca release may rename any of these without notice, so the map
is built only with the versions in :data:`SUPPORTED`: folium 0.18.0, 0.19.0 and
0.20.0 pass ``tests/test_maps.py`` and ``tests/test_maps_browser.py`` (their page
heads differ in whitespace, so byte-identity holds within one folium version);
``tests/test_folium_pin.py`` pins the range and checks pyproject's pins match.
:func:`check_versions` runs whenever a map is built: a version older than the
supported range raises :class:`~coverage_gaps.errors.UnsupportedVersionError`;
a newer one (not yet tested) warns with :class:`FoliumVersionWarning` and the
map is built anyway, so an upgrade never blocks work silently or loudly
breaks it: run ``tests/test_maps*.py`` and widen :data:`SUPPORTED`.
"""

from __future__ import annotations

import itertools
import warnings
from collections import OrderedDict
from importlib import metadata

from branca.element import Element, MacroElement
from folium.map import Layer
from folium.template import Template
from folium.utilities import camelize

from ..errors import UnsupportedVersionError, describe

__all__ = ["SUPPORTED", "FoliumVersionWarning", "check_versions", "children", "snapshot",
           "restore", "number_ids", "set_page", "set_map_options", "parent_name", "set_kind", "replace_header",
           "sibling_layers", "Raw", "ScriptMacro",
           "ScriptLayer"]

#: Package -> (lowest supported version, first version not yet supported), as in pyproject's pins.
SUPPORTED = {"folium": ((0, 18), (0, 21)), "branca": ((0, 8), (0, 9))}
#: What to check when a version is outside the range (the private attributes this module uses).
WHAT_TO_CHECK = ("that Element._children, Element._id, Element._name, Element._parent, Element._template and "
                 "Template.module still exist in folium/branca and that tests/test_maps*.py pass")


class FoliumVersionWarning(UserWarning):
    """The installed folium or branca is newer than the versions the map was tested with."""


def _parse(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split(".")[:3]:
        digits = "".join(itertools.takewhile(str.isdigit, piece))
        parts.append(int(digits or 0))
    return tuple(parts)


def _shown(version: tuple[int, ...]) -> str:
    return ".".join(str(p) for p in version)


def _installed(package: str) -> str:
    return metadata.version(package)


def check_versions(installed: dict[str, str] | None = None) -> None:
    """Refuse a folium/branca older than :data:`SUPPORTED`; warn on a newer one.

    Parameters
    ----------
    installed
        ``{"folium": "0.20.0", ...}``; default: read with :mod:`importlib.metadata`.
    """
    for package, (low, high) in SUPPORTED.items():
        version = (installed or {}).get(package) or _installed(package)
        parsed = _parse(version)
        wanted = f">={_shown(low)},<{_shown(high)}"
        if parsed < low:
            raise UnsupportedVersionError(describe(
                f"{package} {version} is older than the map supports", column=package, value=version,
                expected=wanted, fix=f"pip install '{package}{wanted}'"))
        if parsed >= high:
            warnings.warn(f"{package} {version} is newer than the versions the map was tested with ({wanted}): "
                          f"it may render wrong or fail. Check {WHAT_TO_CHECK}, then widen "
                          "coverage_gaps.maps._folium.SUPPORTED and pyproject's pin; or pip install "
                          f"'{package}{wanted}'", FoliumVersionWarning, stacklevel=3)


def children(element) -> list:
    """The sub-elements of ``element``, in order."""
    return list(element._children.values())


def snapshot(figure, parts=("header", "html", "script")) -> dict:
    """The figure's page parts as they are now (for :func:`restore`)."""
    return {part: OrderedDict(getattr(figure, part)._children) for part in parts}


def restore(figure, saved: dict) -> None:
    """Put the figure's page parts back as :func:`snapshot` saw them (folium adds elements while rendering)."""
    for part, kids in saved.items():
        getattr(figure, part)._children = OrderedDict(kids)


def number_ids(root) -> None:
    """Number every element ``000``, ``001`` ... in page order (folium names them with random UUIDs)."""
    counter = itertools.count(1)

    def visit(element) -> None:
        for part in ("header", "html", "script"):
            sub = getattr(element, part, None)
            if isinstance(sub, Element) and sub is not element:
                visit(sub)
        renamed = OrderedDict()
        for key, child in element._children.items():
            old = child.get_name()
            child._id = f"{next(counter):03d}"
            visit(child)
            renamed[child.get_name() if key == old else key] = child
        element._children = renamed

    root._id = "000"
    visit(root)


def set_map_options(m, **options) -> None:
    """Add Leaflet map options (snake_case) after the map is built.

    folium 0.18 and 0.19 turn option names into camelCase when the map is
    built, 0.20 when it is rendered: names are written the way the installed
    folium expects.
    """
    if "zoomControl" in m.options:  # folium < 0.20: options are stored camelCased
        options = {camelize(key): value for key, value in options.items()}
    m.options.update(options)


def set_page(figure, template: Template) -> None:
    """Render ``figure`` (a branca Figure) with ``template`` instead of branca's page."""
    figure._template = template


def replace_header(figure, name: str, text_of) -> None:
    """Replace the header element ``name`` by ``text_of(its rendered text)`` (once; a no-op when absent)."""
    head = figure.header._children.get(name)
    if head is not None and not isinstance(head, Raw):
        figure.header._children[name] = Raw(text_of(head.render()))


def parent_name(element) -> str:
    """The JavaScript variable of the element's parent (the map)."""
    return element._parent.get_name()


def set_kind(element, kind: str) -> None:
    """Name the element's kind: the stem of its id in the page (``kind_001``)."""
    element._name = kind


class Raw(Element):
    """Text that goes into the page as it is: never parsed as a Jinja template.

    branca wraps every macro's output in ``Element(text)``, which compiles the
    text as a template and renders it again; data holding ``{{`` would be
    evaluated.  These elements hand their text over untouched.
    """

    def __init__(self, text: str):
        super().__init__()
        self._name = "raw"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class _ScriptRender:
    """Render the ``script`` macro of :attr:`TEMPLATE` into the figure's script as plain text.

    The template reads ``this.parent_name`` (the map's JavaScript variable) and
    whatever :meth:`before_render` prepares.
    """

    TEMPLATE = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "TEMPLATE" in cls.__dict__:
            cls._template = Template(cls.TEMPLATE)

    def render(self, **kwargs) -> None:
        self.parent_name = parent_name(self)
        self.before_render()
        figure = self.get_root()
        script = self._template.module.__dict__["script"]
        figure.script.add_child(Raw(str(script(self, kwargs))), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)

    def before_render(self) -> None:
        """Hook: prepare attributes the template reads (default: nothing)."""


class ScriptMacro(_ScriptRender, MacroElement):
    """A ``MacroElement`` whose :attr:`TEMPLATE` defines a ``script`` macro, rendered once as plain text.

    Subclasses set ``TEMPLATE`` (Jinja text with ``{% macro script(this, kwargs) %}``)
    and call ``super().__init__(kind=...)``.
    """

    def __init__(self, *, kind: str):
        super().__init__()
        self._name = kind


class ScriptLayer(_ScriptRender, Layer):
    """A folium ``Layer`` (listed in the layer control) rendered like :class:`ScriptMacro`."""

    def __init__(self, *, kind: str, name: str, overlay: bool, show: bool):
        super().__init__(name=name, overlay=overlay, control=True, show=show)
        self._name = kind


def sibling_layers(element) -> list:
    """The folium layers beside ``element`` (its parent's children) that a layer control lists, in order."""
    return [x for x in element._parent._children.values() if isinstance(x, Layer) and x.control]
