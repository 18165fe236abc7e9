"""The map legend (plain HTML and CSS, no d3) and the provider symbols it explains.

Provider groups differ in colour *and* in size, outline and fill, so the map
can be read without telling colours apart.  Colours are Okabe-Ito
(colour-blind safe); every swatch in the key has its words beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ._classify import Classes, Measure
from .._gap import GAP_COLOURS, GAP_WORDS
from .._text import count_words
from ._layers import esc

__all__ = ["ProviderStyle", "PROVIDER_STYLES", "provider_style", "legend_html", "data_date_text"]


@dataclass(frozen=True)
class ProviderStyle:
    """How one ``provider_type`` is drawn: Leaflet CircleMarker options and a layer name."""

    label: str
    style: dict = field(default_factory=dict)
    show: bool = True


#: Styles by ``provider_type`` (see ``pipeline._provider_type``), in layer order.
PROVIDER_STYLES: dict[str, ProviderStyle] = {
    "OISC Level 2+": ProviderStyle("OISC Level 2+ or regulated adviser", {
        "radius": 7, "color": "#ffffff", "weight": 2, "fillColor": "#0072B2", "fillOpacity": 0.95}),
    "LAA office": ProviderStyle("Legal aid (LAA) office", {
        "radius": 6, "color": "#000000", "weight": 2.5, "fillColor": "#009E73", "fillOpacity": 0.95}),
    "OISC Level 1": ProviderStyle("OISC Level 1 (advice and assistance)", {
        "radius": 4.5, "color": "#08306b", "weight": 1, "fillColor": "#56B4E9", "fillOpacity": 0.9}),
    "Prospective partner": ProviderStyle("Prospective partner", {
        "radius": 6, "color": "#7a2d62", "weight": 2.5, "dashArray": "3 2", "fillColor": "#CC79A7",
        "fillOpacity": 0.45}),
    "Not accredited": ProviderStyle("Other organisation (not accredited)", {
        "radius": 3, "color": "#333333", "weight": 1, "fillColor": "#999999", "fillOpacity": 0.8}, show=False),
}
_OTHER = {"radius": 4, "color": "#000000", "weight": 1, "fillColor": "#F0E442", "fillOpacity": 0.9}


def provider_style(kind: str) -> ProviderStyle:
    """The style of a ``provider_type``; an unknown type gets a yellow dot named after it."""
    return PROVIDER_STYLES.get(kind) or ProviderStyle(kind or "Other provider", dict(_OTHER))


def _dot(style: dict) -> str:
    size = 2 * style["radius"] + style["weight"]
    border = "dashed" if style.get("dashArray") else "solid"
    return (f'<span class="cg-dot" style="width:{size:g}px;height:{size:g}px;'
            f'background:{style["fillColor"]}{int(style["fillOpacity"] * 255):02x};'
            f'border:{style["weight"]:g}px {border} {style["color"]};box-shadow:0 0 0 1px rgba(0,0,0,.35)"></span>')


def data_date_text(sources, generated_on: str = "") -> str:
    """"Data: <source> <date>; ..." for the sources that state a date (escaped HTML)."""
    dated = [f"{esc(s.name)}: {esc(s.date)}" for s in sources if getattr(s, "date", None)]
    text = "Data: " + ("; ".join(dated) if dated else "date not stated")
    if generated_on:
        text += f". Map made {esc(generated_on)}"
    return text + "."


def _gap_key(gaps: list[tuple[str, int]]) -> str:
    items = []
    for category, count in gaps:
        swatch = "cg-sw cg-sw-nodata" if category == "no data" else "cg-sw"
        style = "" if category == "no data" else f' style="background:{GAP_COLOURS.get(category, "#999999")}"'
        words = GAP_WORDS.get(category, category)
        items.append(f'<li><span class="{swatch}"{style}></span>{esc(words)} ({count_words(count, "area")})'
                     "</li>")
    return ('<div data-view="gap"><h4>Gap category</h4><div class="cg-unit">One category per area; '
            "the table and popups say which</div><ul>" + "".join(items) + "</ul></div>")


def _measure_key(spec: Measure, classes: Classes, who: str) -> str:
    order = "darker = bigger gap" + ("; lower access is darker" if not spec.larger_is_worse else "")
    parts = [f'<div data-view="measure"><h4>{esc(spec.label)}</h4>',
             f'<div class="cg-unit">{esc(spec.unit.format(who=who))} ({order})</div><ul>']
    for colour, label in zip(classes.colours, classes.labels):
        parts.append(f'<li><span class="cg-sw" style="background:{colour}"></span>{esc(label)}</li>')
    if classes.no_data:
        parts.append(f'<li><span class="cg-sw cg-sw-nodata"></span>No data ({count_words(classes.no_data, "area")})'
                     "</li>")
    return "".join(parts) + "</ul></div>"


def legend_html(spec: Measure, classes: Classes, *, gaps: list[tuple[str, int]], who: str,
                providers: list[tuple[ProviderStyle, int]], targets: int, sources, generated_on: str = "") -> str:
    """The legend as HTML: the gap categories and the measure's classes (one shown at a time), providers,
    targets, data date, credits.

    The whole key folds into a "Map key" button (a ``<details>`` element; the
    map folds it at first on narrow screens) and the sources' attributions
    unfold from their own.  Only categories and classes that occur are listed.
    Every piece of text that came from the inputs is escaped here.
    """
    parts = ['<details open><summary>Map key</summary>', _gap_key(gaps), _measure_key(spec, classes, who)]
    if providers:
        parts.append('<div class="cg-sub">Advice providers</div><ul>')
        for style, count in providers:
            hidden = "" if style.show else "; off at first, tick it in the layer list"
            parts.append(f"<li>{_dot(style.style)}{esc(style.label)} ({count:,}{hidden})</li>")
        parts.append("</ul>")
    if targets:
        parts.append(f'<ul><li><span class="cg-sw cg-sw-target"></span>Top {targets} target areas '
                     "(number = rank)</li></ul>")
    parts.append(f'<div class="cg-date">{data_date_text(sources, generated_on)}</div>')
    credits = list(dict.fromkeys(esc(s.attribution) for s in sources if getattr(s, "attribution", "")))
    if credits:
        parts.append('<details class="cg-credits"><summary>Sources and licences</summary><ul>'
                     + "".join(f"<li>{c}</li>" for c in credits) + "</ul></details>")
    parts.append("</details>")
    return "".join(parts)
