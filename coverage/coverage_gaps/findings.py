"""The report's "main points": four generated sentences a strategy lead can read to a funder.

:func:`main_points` says, from a Result and nothing else:

1. ``first_target``: the first target area, its gap category and its shortfall in people;
2. ``deserts``: how much of the need is in advice deserts (and part deserts), in people and as a share;
3. ``comparison``: access in the region (need-weighted) against the benchmark, named for what it is:
   the average across the supply data's coverage (relative) or a stated standard (absolute);
4. ``trend``: the need now against four quarters earlier, or plainly why that cannot be said.

Every number goes through :mod:`coverage_gaps._text` (the table's own rounding) and
every count agrees with its noun.  A sentence never claims more than the data shows:
a shortfall against the average is "below the average", never "unmet need"; areas with
no figure are counted in no category; areas outside the coverage are left out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._gap import gap_categories
from ._text import count_words, fmt_number, fmt_share, people
from .gaps import demand_label, shortfall
from .gaps.categories import Shortfall
from .result import Result
from .settings import AnalysisSettings
from .schema import ACCESS, AREA_NAME, DEMAND, SHARE_BEYOND_REACH, UNMET_DEMAND
from .summary import demand_date, inside_coverage
from .trend import quarter_words, region_change

__all__ = ["main_points", "region_access"]


def _people_label(value: float, measure: Shortfall) -> str:
    """``"about 827 people below the average access ..."``, ``"about 1 person's need unmet against ..."``."""
    first, rest = measure.label.split(" ", 1)
    count = people(value)
    if first == "people's":
        count = count.replace(" people", " people's").replace(" person", " person's")
    return f"about {count} {rest}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _first_target(areas: pd.DataFrame, s: AnalysisSettings, measure: Shortfall) -> str:
    ranked = areas[pd.to_numeric(areas["rank"], errors="coerce").notna()]
    if ranked.empty:
        return "No area is ranked, so there is no first target: no area studied has a figure for the need."
    ranked = ranked.sort_values("rank", kind="mergesort")
    first = ranked.iloc[0]
    unmet = pd.to_numeric(ranked[UNMET_DEMAND], errors="coerce").fillna(0.0)
    if not float(unmet.iloc[0]) > 0:
        return (f"No area is short of {measure.benchmark_words}, so no area has {measure.label}; "
                f"the first in the ranking is {first[AREA_NAME]}.")
    km = fmt_number(s.catchment_km, 0)
    average = "the standard" if measure.standard else "the average"
    share = first.get(SHARE_BEYOND_REACH)
    words = {
        "desert": f"an advice desert (no qualifying adviser within {km} km)",
        "part desert": f"a part desert ({fmt_share(share) if pd.notna(share) else 'much'} of its need more than "
                       f"{km} km from a qualifying adviser)",
        "drought": f"an advice drought (qualifying advisers within reach, but access below "
                   f"{fmt_share(s.drought_share)} of {average})",
        "below average": "below the average access",
        "below standard": "below the standard",
    }
    category = str(gap_categories(ranked).iloc[0])
    words = words.get(category, category)
    most = ", the most of any area" if len(ranked) > 1 and float(unmet.iloc[0]) >= float(unmet.max()) else ""
    short = _people_label(float(unmet.iloc[0]), measure)
    return f"The first target is {first[AREA_NAME]}: {words}, with {short}{most}."


def _deserts(areas: pd.DataFrame, s: AnalysisSettings, who: str) -> str:
    inside = inside_coverage(areas)
    demand = pd.to_numeric(areas[DEMAND], errors="coerce").astype(float).where(inside)
    gap = gap_categories(areas)  # the gap column, or (older Results) from the desert / drought flags
    total = float(demand.sum())
    km = fmt_number(s.catchment_km, 0)
    no_data = int((inside & gap.eq("no data")).sum())
    tail = (f" {count_words(no_data, 'area')} with no figure for {who} {'is' if no_data == 1 else 'are'} counted in "
            "none of these." if no_data else "")
    if not total > 0:
        return f"No {who} are recorded in the areas studied, so no area is a desert or a drought.{tail}"
    desert, part = (float(demand[gap.eq(g)].sum()) for g in ("desert", "part desert"))
    n_desert = int((inside & gap.eq("desert")).sum())
    of = f"of the {fmt_number(total)} {who} counted"
    part_words = f"at least {fmt_share(s.part_desert_share)} of the area's need beyond {km} km"
    if desert > 0:
        verb = "lives" if people(desert) == "1 person" else "live"
        text = (f"{_capital(people(desert))} ({fmt_share(desert / total)} {of}) {verb} in "
                f"{count_words(n_desert, 'advice desert')}, with no qualifying adviser within {km} km")
        if part > 0:
            text += f", and {people(part)} ({fmt_share(part / total)}) in part deserts ({part_words})"
    else:
        text = f"No area is an advice desert: in every area with recorded need, some of it is within {km} km of a " \
               "qualifying adviser"
        if part > 0:
            verb = "lives" if people(part) == "1 person" else "live"
            text += f"; {people(part)} ({fmt_share(part / total)} {of}) {verb} in part deserts ({part_words})"
    return text + "." + tail


def region_access(result: Result) -> float:
    """Access in the study areas inside the coverage, weighted by need (capacity per 1,000 people in need).

    The same weighting as each area's own access (a need-weighted mean over its
    demand points), so it reads against the benchmark in the same unit; NaN when
    no area has need.
    """
    areas = result.areas
    inside = inside_coverage(areas)
    demand = pd.to_numeric(areas[DEMAND], errors="coerce").astype(float)
    access = pd.to_numeric(areas[ACCESS], errors="coerce").astype(float)
    use = inside & (demand > 0) & np.isfinite(access)
    weight = float(demand[use].sum())
    return float((access[use] * demand[use]).sum() / weight) if weight > 0 else float("nan")


def _comparison(result: Result, measure: Shortfall, who: str, place: str) -> str:
    here, bench = region_access(result), float(result.benchmark)
    if not (np.isfinite(here) and np.isfinite(bench) and bench > 0):
        return (f"Access in {place} cannot be compared with the benchmark: no area has both a figure for need "
                "and access.")
    if measure.standard:
        named = measure.benchmark_words.replace("the standard: ", "the standard of ")
    else:
        named = measure.benchmark_words if result.coverage else "the average across all areas in the data"
    rel = here / bench - 1.0
    how = ("about the same as" if abs(rel) < 0.005
           else f"{fmt_share(abs(rel))} {'below' if rel < 0 else 'above'}")
    text = (f"Access in {place} (qualifying capacity within reach per 1,000 {who}, weighted by need) is "
            f"{fmt_number(here, 2)}, {how} {named} ({fmt_number(bench, 2)})")
    if not measure.standard:
        text += "; the average is a comparison, not a standard of need"
    return text + "."


def _trend(result: Result, who: str, place: str) -> str:
    if result.trend is None:
        return ("The change since a year ago is not shown: the quarters before the date used were not loaded "
                "for this run.")
    change = region_change(result)
    if change is None:
        dated = demand_date(result)
        return (f"The change since a year ago is not shown: the figures for {who} are for one date only"
                + (f" ({quarter_words(dated)})" if dated else "") + ".")
    if change.then is None:
        return f"The change since a year ago is not shown: {change.why}."
    delta = change.change
    then = f"{fmt_number(change.then)} at {quarter_words(change.then_date)}"
    now = f"{fmt_number(change.now)} at {quarter_words(change.now_date)}"
    if fmt_number(delta) in ("0", "-0"):
        return f"{_capital(who)} in {place} numbered {now}, the same as a year earlier ({then})."
    pct = f" ({fmt_share(abs(change.share))})" if np.isfinite(change.share) else ""
    verb, way = ("rose", "up") if delta > 0 else ("fell", "down")
    return f"{_capital(who)} in {place} {verb} from {then} to {now}: {way} {fmt_number(abs(delta))}{pct} in a year."


def main_points(result: Result) -> list[dict[str, str]]:
    """The report's main points, each ``{"key", "text"}``, in reading order (see the module notes)."""
    s = result.settings
    measure = shortfall(s, coverage=result.coverage)
    who = demand_label(str(s.demand))
    place = result.region_name or "the areas studied"
    return [
        {"key": "first_target", "text": _first_target(result.areas, s, measure)},
        {"key": "deserts", "text": _deserts(result.areas, s, who)},
        {"key": "comparison", "text": _comparison(result, measure, who, place)},
        {"key": "trend", "text": _trend(result, who, place)},
    ]
