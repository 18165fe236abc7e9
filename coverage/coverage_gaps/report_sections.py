"""Sections of the funder report built from numbers: the trend chart and the training plan.

* :func:`trend_chart`: the need in the first targets at each loaded quarter, as
  the geometry of a small inline SVG line chart (no script, no network), with
  its text alternative (a sentence and a small table).  None when fewer than two
  quarters are loaded.
* :func:`plan_section`: a training plan's picks and totals in words, when the
  run has a plan (:func:`coverage_gaps.scenarios.best_to_train`); None otherwise.

Both return plain dicts of strings for the template; numbers go through
:mod:`coverage_gaps._text`, so they read as the rest of the report does.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ._text import count_words, fmt_number, people
from .gaps import demand_label, shortfall
from .result import Result
from .schema import AREA_CODE, AREA_NAME
from .trend import area_series, quarter_words

__all__ = ["trend_chart", "plan_section", "TREND_AREAS", "LINE_STYLES"]

#: How many of the first targets the trend chart draws.
TREND_AREAS = 5
#: Line colour and dash per target, in rank order: each colour at least 3:1 on white (WCAG 1.4.11),
#: and a dash pattern of its own, so the lines stay apart in print and without colour.
LINE_STYLES = (("#0072B2", ""), ("#D55E00", "8 4"), ("#009E73", "2 3"), ("#000000", "10 3 2 3"),
               ("#AA3377", "4 4"))
_W, _H = 520.0, 220.0
_LEFT, _RIGHT, _TOP, _BOTTOM = 52.0, 40.0, 12.0, 34.0


def _nice_step(top: float, ticks: int = 4) -> float:
    """A round axis step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` intervals up to ``top``."""
    if not top > 0:
        return 1.0
    raw = top / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _xy(x: float, y: float) -> str:
    return f"{x:.1f},{y:.1f}"


def trend_chart(result: Result, *, areas: int = TREND_AREAS) -> dict | None:
    """The trend chart's geometry and words, or None when fewer than two quarters are loaded.

    Returns
    -------
    dict
        ``view_box``, ``lines`` (each ``rank``, ``name``, ``colour``, ``dash``,
        ``points`` (SVG polyline), ``dots`` (``x``, ``y``, ``label``), ``counts``
        (formatted, one per quarter), ``end`` (rank label position)), ``ticks``
        (y axis), ``quarters`` (``x``, ``label``, ``words``), ``title``,
        ``description`` and ``who``.
    """
    trend = result.trend
    if trend is None or not len(trend) or trend["date"].nunique() < 2:
        return None
    ranked = result.areas[pd.to_numeric(result.areas["rank"], errors="coerce").notna()]
    ranked = ranked.sort_values("rank", kind="mergesort").head(areas)
    if ranked.empty:
        return None
    quarters, values = area_series(result, ranked[AREA_CODE])
    step = _nice_step(float(np.nanmax(values)))
    top = step * max(1, math.ceil(float(np.nanmax(values)) / step))
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    xs = [_LEFT + plot_w * i / (len(quarters) - 1) for i in range(len(quarters))]

    def y_of(v: float) -> float:
        return _TOP + plot_h * (1.0 - v / top)

    who = demand_label(str(result.settings.demand))
    lines, ends = [], []
    for i, (rank, name, row) in enumerate(zip(ranked["rank"], ranked[AREA_NAME].astype(str), values)):
        colour, dash = LINE_STYLES[i % len(LINE_STYLES)]
        dots = [{"x": f"{x:.1f}", "y": f"{y_of(v):.1f}",
                 "label": f"{name} (rank {int(rank)}), {quarter_words(q)}: {people(v)}"}
                for x, v, q in zip(xs, row, quarters)]
        lines.append({"rank": int(rank), "name": name, "colour": colour, "dash": dash,
                      "points": " ".join(_xy(x, y_of(v)) for x, v in zip(xs, row)), "dots": dots,
                      "counts": [fmt_number(v) for v in row],
                      "change": _change_words(row[0], row[-1])})
        ends.append(y_of(row[-1]))
    floor = -math.inf
    for k in sorted(range(len(lines)), key=lambda k: (ends[k], k)):  # rank labels at the right end, 11 apart
        floor = max(ends[k] + 4.0, floor + 11.0)
        lines[k]["end"] = {"x": f"{xs[-1] + 6:.1f}", "y": f"{floor:.1f}"}
    ticks = [{"y": f"{y_of(v):.1f}", "text_y": f"{y_of(v) + 4:.1f}", "label": fmt_number(v, 0 if step >= 1 else 1)}
             for v in np.arange(0.0, top + step / 2, step)]
    labels = [{"x": f"{x:.1f}", "label": quarter_words(q, form="short"), "words": quarter_words(q)}
              for x, q in zip(xs, quarters)]
    first, last = quarter_words(quarters[0]), quarter_words(quarters[-1])
    description = (f"{who[:1].upper() + who[1:]} in the first {count_words(len(lines), 'target area')}, each quarter "
                   f"from {first} to {last}: " + "; ".join(f"{ln['name']} {ln['change']}" for ln in lines) + ".")
    return {"view_box": f"0 0 {_W:.0f} {_H:.0f}", "lines": lines, "ticks": ticks, "quarters": labels,
            "axis": {"left": f"{_LEFT:.1f}", "tick_x": f"{_LEFT - 6:.1f}", "right": f"{_W - _RIGHT:.1f}",
                     "bottom": f"{_TOP + plot_h:.1f}",
                     "label_y": f"{_H - 10:.1f}"},
            "title": f"{who[:1].upper() + who[1:]} in the first {count_words(len(lines), 'target area')}, "
                     f"{quarter_words(quarters[0], form='month')} to {quarter_words(quarters[-1], form='month')}",
            "description": description, "who": who}


def _change_words(first: float, last: float) -> str:
    """``"from 812 to 934"`` or ``"unchanged at 40"``."""
    a, b = fmt_number(first), fmt_number(last)
    return f"unchanged at {b}" if a == b else f"from {a} to {b}"


def plan_section(plan, result: Result) -> dict | None:
    """The training plan in words for the report, or None when the run has no plan.

    Parameters
    ----------
    plan
        A :class:`coverage_gaps.scenarios.Plan`, or None.
    result
        The Result the report shows (the plan's baseline), for area names and the shortfall's words.
    """
    if plan is None:
        return None
    after = plan.scenario.after
    measure = shortfall(after.settings, coverage=after.coverage)
    names = dict(zip(result.areas[AREA_CODE].astype(str), result.areas[AREA_NAME].astype(str)))
    closed = [names.get(str(c), str(c)) for c in plan.scenario.deserts_closed]
    unit = ("people newly within reach of a qualifying adviser" if plan.objective == "covered"
            else f"fewer {measure.label}")
    picks = [{"order": str(int(p["order"])), "organisation": str(p["organisation"]),
              "area": (str(p[AREA_NAME]) if pd.notna(p[AREA_NAME]) and str(p[AREA_NAME])
                       else "outside the areas studied"),
              "gain": fmt_number(p["gain"]), "served": str(p["areas_served"] or "")}
             for _, p in plan.picks.iterrows()]
    exact = None
    if plan.exact:
        e = plan.exact
        exact = {"greedy": people(e["greedy_covered"]), "optimum": people(e["exact_covered"]),
                 "ratio": fmt_number(float(e["ratio"]) * 100, 1), "plan": people(e["plan_covered"]),
                 "status": str(e.get("status", ""))}
    return {
        "asked": fmt_number(plan.k),
        "chosen": count_words(len(plan.picks), "organisation"),
        "gain_unit": unit,
        "picks": picks,
        "reach_before": people(plan.covered_before),
        "reach_after": people(plan.covered_after),
        "newly_in_reach": people(max(plan.covered_after - plan.covered_before, 0.0)),
        "unmet_before": fmt_number(plan.unmet_demand_before),
        "unmet_after": fmt_number(plan.unmet_demand_after),
        "measure": measure.label,
        "closed": closed,
        "exact": exact,
        "notes": [*plan.notes, *plan.scenario.notes],
    }
