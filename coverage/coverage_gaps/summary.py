"""What a run found, in figures with their definitions: for ``run --json``, the CLI summary and the report.

* :func:`headline_figures`: people in need; shares of that need in deserts,
  part deserts and droughts; the share of residents living in an area with no
  local qualifying provider (the Law Society's measure); the areas with more
  than ``headline_min_demand`` people in need and no local qualifying provider
  (Refugee Action's *Tipping the Scales* measure); providers by type; the
  shortfall, named for what it is.  Each figure has a one-line definition.
* :func:`data_warnings`: supply data more than two years older than the demand.
* :func:`supply_counted`: the supply types actually loaded, and what was not supplied.
* :func:`run_summary`: all of it as one JSON-able document.
"""

from __future__ import annotations

import calendar
from datetime import date

import numpy as np
import pandas as pd

from ._text import fmt_number, fmt_share
from .gaps import TOP_N, demand_label, partner_list_supplied, shortfall, stability_grid
from .result import Result
from .settings import AnalysisSettings
from .schema import AREA_CODE, DEMAND, GAP, IN_COVERAGE, LOCAL_PROVIDERS, RANK_MAX, RANK_MIN, TOP_IN

__all__ = ["headline_figures", "data_warnings", "supply_counted", "run_summary", "SUPPLY_KINDS", "DEMAND_KINDS",
           "STALE_YEARS", "inside_coverage", "demand_date"]

#: Source kinds that are supply, and kinds that are the demand figures (see :mod:`coverage_gaps.sources`).
SUPPLY_KINDS = ("laa_directory", "partners")
DEMAND_KINDS = ("asy_d11", "table")
#: Supply older than the demand by more than this many years is flagged on every output.
STALE_YEARS = 2


def inside_coverage(areas: pd.DataFrame) -> pd.Series:
    """True for each area inside the supply data's coverage (every area when the column is missing)."""
    return (areas[IN_COVERAGE].fillna(True).astype(bool) if IN_COVERAGE in areas.columns
            else pd.Series(True, index=areas.index))


def headline_figures(result: Result) -> dict[str, dict]:
    """The headline figures for the study areas, each ``{"value", "text", "definition"}``.

    Keys: ``people_in_need``, ``desert_share``, ``part_desert_share``,
    ``drought_share``, ``residents_without_local_provider_share``,
    ``areas_over_min_without_local_provider``, ``providers_by_type`` (value: a
    dict of counts), ``shortfall`` and ``stable_top``.  Shares are of the
    people in need (NaN when there are none); areas outside the supply data's
    coverage and areas with no demand figure count in none of them.
    """
    s = result.settings
    areas = result.areas
    inside = inside_coverage(areas)
    who = demand_label(str(s.demand))
    demand = pd.to_numeric(areas[DEMAND], errors="coerce").astype(float).where(inside)
    total = float(demand.sum())
    gap = areas[GAP].astype(str) if GAP in areas.columns else pd.Series("", index=areas.index)
    local = pd.to_numeric(areas.get(LOCAL_PROVIDERS, pd.Series(np.nan, index=areas.index)), errors="coerce")
    none_local = local.fillna(0).eq(0) & inside
    km = fmt_number(s.catchment_km, 0)
    date_of = demand_date(result)
    when = f" at {date_of}" if date_of else ""
    out: dict[str, dict] = {}

    def add(key, value, text, definition):
        out[key] = {"value": value, "text": text, "definition": definition}

    add("people_in_need", total, fmt_number(total),
        f"{who[:1].upper() + who[1:]}{when} in the {int(inside.sum())} areas studied"
        + (" inside the supply data's coverage" if not inside.all() else "") + "; areas with no figure count as none.")
    for key, category, words in (
            ("desert_share", "desert", f"nobody in the area within {km} km of a qualifying provider"),
            ("part_desert_share", "part desert",
             f"at least {fmt_share(float(s.part_desert_share))} of the area's need more than {km} km "
             "from a qualifying provider"),
            ("drought_share", "drought", f"qualifying providers within {km} km, but access below "
             f"{fmt_share(float(s.drought_share))} of the benchmark")):
        value = float(demand[gap.eq(category)].sum() / total) if total else float("nan")
        add(key, value, fmt_share(value), f"Share of the people in need living in a {category} area: {words}.")
    population_column = str(s.population or "")
    if population_column in areas.columns:
        residents = pd.to_numeric(areas[population_column], errors="coerce").astype(float).where(inside)
        known = float(residents.sum())
        value = float(residents[none_local].sum() / known) if known else float("nan")
    else:
        value = float("nan")
    add("residents_without_local_provider_share", value, fmt_share(value),
        "Share of residents who live in an area with no qualifying provider inside it (the Law Society's measure"
        " of advice deserts, by local authority).")
    floor = float(s.headline_min_demand)
    count = int((none_local & (demand > floor)).sum())
    add("areas_over_min_without_local_provider", count, fmt_number(count),
        f"Areas with more than {fmt_number(floor)} {who} and no qualifying provider inside them (the measure of "
        "Refugee Action's Tipping the Scales).")
    add("providers_by_type", _providers_by_type(result), "",
        "Advice providers located inside the areas studied, by type; only qualifying types count as supply.")
    measure = shortfall(s, coverage=result.coverage)
    unmet = float(pd.to_numeric(areas.get("unmet_demand", pd.Series(0.0, index=areas.index)),
                                errors="coerce").where(inside).fillna(0).sum())
    add("shortfall", unmet, fmt_number(unmet),
        f"Sum over the areas of {measure.label} (an area's need times its shortfall of access against "
        f"{measure.benchmark_words})." + (" " + measure.caveat if measure.caveat else ""))
    add("stable_top", *_stable_top(result, s))
    return out


def _stable_top(result: Result, s: AnalysisSettings) -> tuple:
    grid = stability_grid(s)
    areas = result.areas
    if not grid or TOP_IN not in areas.columns:
        return None, "", "Rank stability was not computed (no grid of settings)."
    top = areas[pd.to_numeric(areas["rank"], errors="coerce") <= TOP_N]
    stable = int((pd.to_numeric(top[TOP_IN], errors="coerce") == len(grid)).sum())
    kms = ", ".join(f"{km:g}" for km in dict.fromkeys(km for km, _ in grid))
    decays = " and ".join(dict.fromkeys(d for _, d in grid))
    return (stable, f"{stable} of the top {len(top)}",
            f"Target areas in the top {TOP_N} under every one of {len(grid)} settings (catchment {kms} km x "
            f"{decays} decay); the others move in or out of the top {TOP_N} as the settings change.")


def _providers_by_type(result: Result) -> dict[str, int]:
    prov = result.providers
    if "provider_type" not in prov.columns or len(prov) == 0:
        return {}
    codes = prov[AREA_CODE] if AREA_CODE in prov.columns else pd.Series("", index=prov.index)
    inside = prov[codes.isin(set(result.areas[AREA_CODE]))]
    return {str(k): int(v) for k, v in inside["provider_type"].value_counts().sort_index().items()}


def _end_of(text: str | None) -> date | None:
    """The last day a date of figures can mean ("2015-11" -> 2015-11-30; "2015" -> 2015-12-31)."""
    parts = str(text or "")[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 12
        day = int(parts[2]) if len(parts) > 2 else calendar.monthrange(year, month)[1]
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


def demand_date(result: Result) -> str | None:
    """The date of the demand figures (the latest of the demand sources' dates), or None."""
    dates = [s.date for s in result.sources if s.kind in DEMAND_KINDS and _end_of(s.date)]
    return max(dates, key=_end_of) if dates else None


def data_warnings(result: Result) -> list[str]:
    """Plain-English warnings about the data: supply more than two years older than the demand figures."""
    dated = demand_date(result)
    if dated is None:
        return []
    end = _end_of(dated)
    out = []
    for src in result.sources:
        supplied = _end_of(src.date) if src.kind in SUPPLY_KINDS else None
        if supplied is not None and supplied.replace(year=supplied.year + STALE_YEARS) < end:
            years = (end - supplied).days // 365
            out.append(f"Out-of-date supply data: {src.name} is dated {src.date}, about {years} years before the "
                       f"demand figures ({dated}). Providers that opened, closed or lost their contract since "
                       "are not reflected, so treat deserts and droughts as a picture of that time.")
    return out


def supply_counted(result: Result) -> dict:
    """The supply types actually loaded and what was not supplied, in words.

    Returns ``{"counted": [...], "missing": [...], "sentence": ...}``: counts of
    qualifying providers by type (in all the data, since supply over the border
    counts) with the file they came from.
    """
    prov = result.providers
    counted = []
    if len(prov) and "qualifying" in prov.columns and "provider_type" in prov.columns:
        q = prov[prov["qualifying"].fillna(False).astype(bool)]
        names = {"LAA office": "Legal Aid Agency immigration contract offices",
                 "OISC Level 2+": "OISC/IAA Level 2+ advisers or regulated lawyers"}
        for kind, n in q["provider_type"].value_counts().sort_index().items():
            counted.append(f"{fmt_number(n)} {names.get(str(kind), str(kind))}")
    types = set(prov.loc[prov["qualifying"].fillna(False).astype(bool), "provider_type"]) if counted else set()
    missing = ["an OISC/IAA register"]  # no loader reads the register itself: Level 2+ advisers come from partner lists
    if not partner_list_supplied(result.sources, result.providers):
        missing.append("a partner list")
    absent = [words for kind, words in (("OISC Level 2+", "OISC/IAA Level 2+ advisers and regulated lawyers"),
                                        ("LAA office", "legal aid contract offices")) if kind not in types]
    supplied = [s for s in result.sources if s.kind in SUPPLY_KINDS]
    # one file read twice (the LAA directory as supply and as candidates to train) is named once
    files = "; ".join(dict.fromkeys(f"{s.name}{', dated ' + s.date if s.date else ''}" for s in supplied))
    sentence = ("Supply counted: " + (", ".join(counted) if counted else "nothing") + (f" (from {files})" if files else "")
                + ". Not supplied: " + " and ".join("no " + m.removeprefix("an ").removeprefix("a ") for m in missing)
                + (", so " + " and ".join(absent) + " are not counted." if absent else "."))
    return {"counted": counted, "missing": missing, "sentence": sentence}


def run_summary(result: Result, *, files: dict | None = None, top: int | None = None) -> dict:
    """Everything ``coverage-gaps run --json`` prints, as plain JSON-able data."""
    s = result.settings
    measure = shortfall(s, coverage=result.coverage)
    figures = headline_figures(result)
    areas = result.areas
    ranked = areas[pd.to_numeric(areas["rank"], errors="coerce").notna()].head(int(top or s.top))
    columns = [c for c in ("rank", AREA_CODE, "area_name", DEMAND, GAP, "unmet_demand", RANK_MIN, RANK_MAX, TOP_IN)
               if c in ranked.columns]
    targets = pd.DataFrame(ranked[columns]).rename(columns={"unmet_demand": measure.column})
    records = [{k: _plain(v) for k, v in row.items()} for row in targets.to_dict("records")]
    return {
        "title": result.title, "region": result.region_name, "coverage": result.coverage or "all areas in the data",
        "generated_on": result.generated_on, "synthetic": bool(result.synthetic),
        "measure": {"column": measure.column, "label": measure.label, "benchmark": _plain(result.benchmark),
                    "benchmark_words": measure.benchmark_words, "caveat": measure.caveat},
        "headline": {k: {"value": _plain(v["value"]), "definition": v["definition"]} for k, v in figures.items()},
        "warnings": data_warnings(result),
        "notes": list(result.notes),
        "unplaced": [{k: _plain(v) for k, v in r.items()} for r in result.unplaced.to_dict("records")],
        "harmonised": [{k: _plain(v) for k, v in r.items()} for r in result.harmonised.to_dict("records")],
        "supply": supply_counted(result),
        "rejected_rows": int(len(result.rejects)),
        "targets": records,
        "files": {k: str(v) for k, v in (files or {}).items()},
    }


def _plain(value):
    """A JSON-safe scalar: numpy numbers as Python numbers, NaN/NA as None."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, np.bool_):
        return bool(value)
    return value
