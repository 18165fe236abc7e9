"""Tables, notes and maps for people reading the notebooks (the notebooks stay thin; this holds the logic).

::

    with cg.notebook.DataNotes() as notes:        # warnings go here, not into pink boxes
        result = cg.run_profile(profile)
    notes                                          # a folded "Data notes (3)" list
    cg.notebook.show(result.targets.head(10))      # headings in words, numbers formatted, no index
    cg.notebook.area_details(result, "E06000021")  # drill-down without internal columns
    cg.notebook.side_by_side(map_before, map_after, titles=("Before", "After training"))
"""

from __future__ import annotations

import html
import warnings

import numpy as np
import pandas as pd

from .columns import column, heading, oisc_words
from .result import Result

__all__ = ["DataNotes", "show", "targets", "area_details", "exact_summary", "tie_notes", "side_by_side", "INTERNAL_COLUMNS"]

#: Columns carried from the input files that mean nothing to a reader (coordinates, row ids).
INTERNAL_COLUMNS = ("BNG_E", "BNG_N", "LONG", "LAT", "OBJECTID", "GlobalID", "Shape__Area", "Shape__Length",
                    "geometry", "lon", "lat", "provider_id")
_FORMATS = {"#,##0": "{:,.0f}", "#,##0.0": "{:,.1f}", "#,##0.00": "{:,.2f}", "0%": "{:.0%}", "0.0000": "{:.4f}"}


class DataNotes:
    """Collects the warnings raised inside a ``with`` block and shows them folded, in words.

    Displaying the object (last line of a cell) shows "Data notes (N)": a
    ``<details>`` list the reader unfolds.  ``add`` appends notes of your own
    (e.g. ``result.notes``).
    """

    def __init__(self, notes=()):
        self.notes: list[str] = list(dict.fromkeys(str(n) for n in notes))
        self._catcher = None

    def __enter__(self) -> DataNotes:
        self._catcher = warnings.catch_warnings(record=True)
        self._caught = self._catcher.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc) -> None:
        self._catcher.__exit__(*exc)
        self.add(str(w.message) for w in self._caught)

    def add(self, notes) -> DataNotes:
        """Add notes (strings), dropping repeats; returns self."""
        for n in notes:
            if str(n) not in self.notes:
                self.notes.append(str(n))
        return self

    def __len__(self) -> int:
        return len(self.notes)

    def __repr__(self) -> str:
        return f"Data notes ({len(self.notes)}):\n" + "\n".join(f"- {n}" for n in self.notes)

    def _repr_html_(self) -> str:
        if not self.notes:
            return "<p><em>Data notes: none.</em></p>"
        items = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (f"<details><summary><strong>Data notes ({len(self.notes)})</strong>: rows left out, codes matched, "
                f"choices made. Select to read.</summary><ul>{items}</ul></details>")


def _python_format(name: str, series: pd.Series):
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return None
    fmt = column(name).number_format
    if fmt in _FORMATS:
        return _FORMATS[fmt]
    return "{:,.0f}" if pd.api.types.is_integer_dtype(series) or _whole(series) else "{:,.2f}"


def _whole(series: pd.Series) -> bool:
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    return bool(len(values)) and bool(np.all(values == np.round(values)))


def show(table: pd.DataFrame, *, caption: str | None = None):
    """A table styled for people: headings in words, numbers formatted, no index, internal columns dropped.

    Parameters
    ----------
    table
        Any table with code-name columns (``result.targets``, candidates ...).
    caption
        Shown above the table.

    Returns
    -------
    pandas.io.formats.style.Styler
    """
    table = pd.DataFrame(table).drop(columns=[c for c in INTERNAL_COLUMNS if c in table.columns])
    if "oisc_level" in table.columns:
        table = table.assign(oisc_level=oisc_words(table["oisc_level"]))
    for c in table.columns:
        if pd.api.types.is_bool_dtype(table[c]):
            table[c] = table[c].map({True: "yes", False: "no"})
    formats = {heading(str(c)): _python_format(str(c), table[c]) for c in table.columns}
    table = table.rename(columns=lambda c: heading(str(c))).reset_index(drop=True)
    styler = table.style.hide(axis="index").format({k: v for k, v in formats.items() if v}, na_rep="n/a")
    styler = styler.set_table_styles([{"selector": "th", "props": "text-align: left; white-space: normal;"}])
    if not len(table):
        caption = (caption + ": " if caption else "") + "none (no rows)"
    return styler.set_caption(caption) if caption else styler


def targets(result: Result, *, top: int | None = None, table: pd.DataFrame | None = None):
    """The first ``top`` (default: the run's ``top`` setting) target areas: rank, area, need, access, gap, why."""
    table = result.targets if table is None else table
    top = result.settings.top if top is None else top
    flags = ["gap"] if "gap" in table.columns else [c for c in ("desert", "drought") if c in table.columns]
    wanted = ["rank", "area_name", "demand", "nearest_km", "access", "unmet_demand", "people_below_average",
              "people_below_standard", *flags, "reason"]
    return show(table.head(top)[[c for c in wanted if c in table.columns]])


def area_details(result: Result, area_code: str) -> dict[str, object]:
    """One area for a reader: its measures (heading, value, unit), providers inside, partners to train.

    The same as :func:`coverage_gaps.widgets.area_details` without the
    internal columns (``BNG_E``, ``OBJECTID``, ``LAT`` ...) and with headings
    and units in words.
    """
    from .widgets import area_details as raw

    parts = raw(result, area_code)
    measures = parts["measures"]["value"]
    measures = measures[[c not in INTERNAL_COLUMNS for c in measures.index]]
    rows = []
    for name, value in measures.items():
        c = column(str(name))
        fmt = _FORMATS.get(c.number_format)
        if isinstance(value, (bool, np.bool_)) or value is None or (isinstance(value, float) and np.isnan(value)):
            text = "n/a" if value is None or (isinstance(value, float) and np.isnan(value)) else (
                "yes" if value else "no")
        elif fmt and isinstance(value, (int, float, np.number)):
            text = fmt.format(value)
        else:
            text = str(value)
        rows.append((c.heading, text, c.unit))
    table = pd.DataFrame(rows, columns=["Measure", "Value", "Unit"])
    return {"measures": table.style.hide(axis="index"), "providers": show(parts["providers"]),
            "candidates": show(parts["candidates"].drop(columns=["area_code"], errors="ignore"))}


def exact_summary(plan) -> pd.DataFrame | str:
    """How close the greedy plan comes to the exact optimum, as a small table in words."""
    e = getattr(plan, "exact", None)
    if not e:
        return "The exact optimum was not computed for this plan."
    rows = [("People within reach: greedy choice", f"{e['greedy_covered']:,.0f}"),
            ("People within reach: exact optimum", f"{e['exact_covered']:,.0f}"),
            ("Greedy as a share of the optimum", f"{e['ratio']:.1%}"),
            ("People within reach with this plan", f"{e['plan_covered']:,.0f}"),
            ("Greedy picks", ", ".join(e["greedy_picks"]) or "none"),
            ("Exact picks", ", ".join(e["exact_picks"]) or "none"),
            ("Solver status", str(e["status"]))]
    return pd.DataFrame(rows, columns=["Measure", "Value"])


def tie_notes(picks: pd.DataFrame, *, unit: str = "people") -> list[str]:
    """Sentences naming the picks whose gains tie (to 0.1), and how the tie was broken."""
    notes = []
    if picks is None or not len(picks) or "gain" not in picks.columns:
        return notes
    rounded = picks["gain"].round(1)
    for gain, group in picks.groupby(rounded, sort=False):
        if len(group) < 2:
            continue
        orders = [str(int(o)) for o in group["order"]]
        listed = ", ".join(orders[:-1]) + " and " + orders[-1]
        notes.append(f"Picks {listed} gain the same ({gain:,.1f} {unit} each). Between equal gains the plan "
                     "prefers the organisation that brings more people newly within reach of advice, then the "
                     "order of the input file.")
    return notes


def side_by_side(*maps, titles=(), height_px: int = 480):
    """Maps next to each other (each in its own frame), with a title above each; for notebook display."""
    from IPython.display import HTML

    from .maps import map_html

    cells = []
    for i, m in enumerate(maps):
        title = html.escape(titles[i]) if i < len(titles) else ""
        doc = html.escape(map_html(m), quote=True)
        cells.append(f'<div style="flex:1;min-width:280px"><h4 style="margin:4px 0">{title}</h4>'
                     f'<iframe title="{title or "map"}" srcdoc="{doc}" style="width:100%;height:{height_px}px;'
                     'border:1px solid #ccc" sandbox="allow-scripts"></iframe></div>')
    return HTML('<div style="display:flex;gap:12px;flex-wrap:wrap">' + "".join(cells) + "</div>")
