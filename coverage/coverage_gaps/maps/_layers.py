"""Folium elements whose data reaches the page only as safely encoded JSON.

Folium's own ``Tooltip`` puts its text inside a JavaScript template literal
(a backtick or ``${...}`` in a name would break out of it) and its ``Popup``
needs jQuery, so the map uses these small elements instead:

* every string from the inputs is HTML-escaped in Python (:func:`esc`) before
  it is put into any tooltip, popup, label or layer data, because Leaflet
  inserts those strings as HTML;
* all data goes into the script through :func:`safe_json`, which also writes
  ``<``, ``>``, ``&`` and ``'`` as ``\\u003c`` ..., so no value can close the
  ``<script>`` element or open a comment.

The script helpers (:data:`SCRIPT`) and styles (:data:`CSS`) are this
project's own code, inlined into the page head.
"""

from __future__ import annotations

import html
import json
import math
from importlib import resources

from . import _folium
from ._folium import Raw, ScriptLayer, ScriptMacro

__all__ = ["esc", "esc_many", "safe_json", "Raw", "DataLayer", "HtmlControl", "Banner", "LayerList", "SCRIPT", "CSS",
           "HATCH_SVG"]

#: Characters html.escape leaves alone that matter to templates: Jinja (``{{``), JS template literals.
_EXTRA_ESCAPES = {"{": "&#123;", "}": "&#125;", "`": "&#96;", "$": "&#36;"}
_JS_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def esc(value) -> str:
    """HTML-escape a value from the inputs ("" for missing).

    Besides ``& < > " '`` it writes ``{ } ` $`` as character references, so
    the text can never open a Jinja expression (branca renders element output
    as a template a second time) or a JavaScript template-literal
    substitution.  Browsers display the references as the characters.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        if value != value:  # pandas NA / NaT
            return ""
    except (TypeError, ValueError):
        return ""
    text = html.escape(str(value), quote=True)
    for char, entity in _EXTRA_ESCAPES.items():
        text = text.replace(char, entity)
    return text


def esc_many(values) -> list[str]:
    """:func:`esc` of every value, at once (one pass over the joined text)."""
    values = list(values)
    texts = ["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in values]
    joined = "\x00".join(texts)
    if any(t.count("\x00") for t in texts) or any(not isinstance(v, (str, int, float)) or isinstance(v, bool)
                                                   for v in values if v is not None):
        return [esc(v) for v in values]
    text = html.escape(joined, quote=True)
    for char, entity in _EXTRA_ESCAPES.items():
        text = text.replace(char, entity)
    return text.split("\x00") if values else []


def safe_json(obj) -> str:
    """JSON that is safe inside an HTML ``<script>``: compact, no NaN, ``<>&'`` escaped."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _JS_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


class DataLayer(ScriptLayer):
    """An overlay built in the page by ``cgMap.<kind>(data)`` from one JSON object.

    Parameters
    ----------
    kind
        ``"areas"``, ``"gaps"``, ``"labels"``, ``"providers"`` or ``"targets"`` (a function of :data:`SCRIPT`).
    data
        JSON-able data; strings in it must already be escaped with :func:`esc`.
    name
        Name shown in the layer control (escaped here).
    show
        Whether the layer is on when the map opens.
    """

    TEMPLATE = """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = cgMap.{{ this.kind }}({{ this.data_json }});
            {%- if this.show %}
            {{ this.get_name() }}.addTo({{ this.parent_name }});
            {%- endif %}
        {% endmacro %}
        """

    def __init__(self, kind: str, data: dict, *, name: str, show: bool = True, overlay: bool = True):
        super().__init__(kind=f"{kind}_layer", name=esc(name), overlay=overlay, show=show)
        self.kind = kind
        self.data = data
        self.data_json = safe_json(data)


class HtmlControl(ScriptMacro):
    """A Leaflet control (legend) holding HTML built from escaped parts."""

    TEMPLATE = """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = cgMap.control({{ this.parent_name }}, {{ this.html_json }},
                {{ this.position_json }}, {{ this.class_json }});
        {% endmacro %}
        """

    def __init__(self, html_text: str, *, position: str = "bottomright", css_class: str = "cg-legend",
                 kind: str = "html_control"):
        super().__init__(kind=kind)
        self.html = html_text
        self.html_json, self.position_json, self.class_json = (safe_json(html_text), safe_json(position),
                                                              safe_json(css_class))


class Banner(HtmlControl):
    """Plain text across the top of the map (e.g. "synthetic demo data")."""

    TEMPLATE = """
        {% macro script(this, kwargs) %}
            cgMap.banner({{ this.parent_name }}, {{ this.html_json }});
        {% endmacro %}
        """

    def __init__(self, text: str):
        super().__init__(text, css_class="cg-banner", kind="banner")


class LayerList(ScriptMacro):
    """The layer list (radio buttons for the area views, boxes for the overlays), folded on narrow maps.

    Like folium's ``LayerControl`` (add it after the layers), but whether it
    starts folded is decided in the page, from the map's size.
    """

    TEMPLATE = """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = cgMap.layers({{ this.parent_name }},
                { {%- for key, val in this.base_layers %}{{ key|tojson }}: {{ val }}{{ "," if not loop.last }}{% endfor -%} },
                { {%- for key, val in this.overlays %}{{ key|tojson }}: {{ val }}{{ "," if not loop.last }}{% endfor -%} });
        {% endmacro %}
        """

    def __init__(self):
        super().__init__(kind="layer_list")
        self.base_layers, self.overlays = [], []

    def before_render(self) -> None:
        layers = _folium.sibling_layers(self)
        self.base_layers = [(x.layer_name, x.get_name()) for x in layers if not x.overlay]
        self.overlays = [(x.layer_name, x.get_name()) for x in layers if x.overlay]


#: A hatch pattern for areas with no data, referenced from CSS as ``url(#cg-hatch)``.
HATCH_SVG = (
    '<svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false">'
    '<defs><pattern id="cg-hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#e4e4e4"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#8c8c8c" stroke-width="2.5"/></pattern></defs></svg>'
)

def _template_text(name: str) -> str:
    return resources.files("coverage_gaps").joinpath("templates", name).read_text(encoding="utf-8")


#: The map's own styles and script helpers (``cgMap``), package data in ``templates/``.
CSS = _template_text("map.css")
SCRIPT = _template_text("map.js")
