"""The need over time: each study area's people in need at the quarters before the date the analysis used.

When the demand layer is a quarterly Home Office table (Asy_D11), the report
says how the need has moved since a year ago and draws it for the first
targets.  :func:`with_trend` loads the :data:`TREND_QUARTERS` quarters up to
the date used (that date itself is the analysis's own figure, so the latest
point is exactly the need the analysis counted), harmonised to the boundaries
in use with the same options as the analysis (support types, population
weights, code lookup), and keeps the study areas in ``Result.trend``.

:func:`region_change` compares the need in the study areas now with four
quarters earlier, or says in words why it cannot.

The earlier quarters are loaded together (:func:`coverage_gaps.io.load_asy_d11_quarters`
reads and dates the file once), each validated as a one-quarter load would be;
only :data:`TREND_QUARTERS` quarters are loaded, not the whole file.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from ._validate import Loaded
from .errors import CoverageGapsError, InvalidValueError, describe
from .result import Result
from .schema import AREA_CODE
from .summary import inside_coverage

__all__ = ["TREND_QUARTERS", "TREND_COLUMNS", "with_trend", "demand_series", "region_change", "RegionChange", "quarter_words"]

#: Quarters in the trend, the date used included: a year back (four quarters earlier) and the date itself.
TREND_QUARTERS = 5
#: Columns of ``Result.trend``.
TREND_COLUMNS = [AREA_CODE, "date", "people"]
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def quarter_words(iso: str, *, form: str = "end") -> str:
    """``"2024-09-30"`` -> ``"the end of September 2024"`` (``form="month"``: ``"September 2024"``;
    ``"short"``: ``"Sep 2024"``)."""
    try:
        day = date.fromisoformat(str(iso)[:10])
    except ValueError:
        return str(iso)
    month = _MONTHS[day.month - 1]
    return {"short": f"{month[:3]} {day.year}", "month": f"{month} {day.year}"}.get(
        form, f"the end of {month} {day.year}")


def _quarter_ends_before(iso: str, count: int) -> list[str]:
    """The ``count`` quarter ends before ``iso`` (a quarter end), oldest first: "2024-09-30" -> ..., "2024-06-30"."""
    day = date.fromisoformat(iso[:10])
    year, month, out = day.year, day.month, []
    for _ in range(count):
        month -= 3
        if month <= 0:
            year, month = year - 1, month + 12
        out.append(date(year, month, calendar.monthrange(year, month)[1]).isoformat())
    return out[::-1]


def _empty() -> pd.DataFrame:
    return pd.DataFrame({AREA_CODE: pd.Series(dtype=object), "date": pd.Series(dtype=object),
                         "people": pd.Series(dtype=float)})


def _layer(profile, name: str) -> dict | None:
    for layer in profile.inputs.get("demand", []):
        if layer.get("name") == name and layer.get("format") == "asy_d11":
            return layer
    return None


def _options(inputs, layer: dict) -> dict:
    """The loader options the analysis used for this layer: its own keys, then the inputs' harmonising."""
    options = {k: v for k, v in layer.items() if k not in ("name", "format", "path", "date")}
    options.update({k: v for k, v in inputs.harmonising().items() if k != "area_codes"})  # codes given apart
    return options


def demand_series(quarters: dict[str, Loaded], *, area_codes=None, wide: bool = True) -> pd.DataFrame:
    """Demand per area for every quarter loaded.

    Parameters
    ----------
    quarters
        Quarter to its loaded demand, e.g. from
        :func:`coverage_gaps.io.load_asy_d11_quarters` (each quarter harmonised
        to the boundaries it was loaded against); the value column is the one
        column besides ``area_code``.
    area_codes
        Areas to keep, in this order; every area loaded when None.
    wide
        One row per area and one column per quarter (ISO dates, oldest first;
        0 where the file lists nobody, as Asy_D11 leaves out areas with no one
        on support); otherwise long: ``area_code, date, <column>``.
    """
    frames, seen, name = [], [], None
    for loaded in quarters.values():
        values = [c for c in loaded.table.columns if c != AREA_CODE]
        if len(values) != 1 or (name is not None and values[0] != name):
            raise InvalidValueError(describe(
                "each quarter should hold area_code and one value column, the same in every quarter",
                file=loaded.source, value=", ".join(map(str, values)),
                fix="load every quarter with the same column= (coverage_gaps.io.load_asy_d11_quarters)"))
        name = values[0]
        frames.append(loaded.table[[AREA_CODE, name]].assign(date=loaded.date))
        seen.append(loaded.date)
    if not frames:
        raise InvalidValueError(describe("no quarter to list", value="{}",
                                         fix="pass coverage_gaps.io.load_asy_d11_quarters(path)"))
    long = pd.concat(frames, ignore_index=True)[[AREA_CODE, "date", name]]
    if area_codes is not None:
        long = long[long[AREA_CODE].isin([str(c) for c in area_codes])]
    long = long.sort_values([AREA_CODE, "date"], kind="mergesort").reset_index(drop=True)
    if not wide:
        return long
    table = long.pivot(index=AREA_CODE, columns="date", values=name)
    table = table.reindex(columns=sorted(set(seen))).fillna(0.0)
    if area_codes is not None:
        table = table.reindex([str(c) for c in area_codes]).fillna(0.0)
    table.columns.name = None
    return table.rename_axis(AREA_CODE).reset_index()


def with_trend(result: Result, profile, inputs, *, quarters: int = TREND_QUARTERS) -> Result:
    """``result`` with ``trend``: the need per study area at up to ``quarters`` quarters ending at the date used.

    Parameters
    ----------
    result
        The analysis of ``inputs``.
    profile
        The :class:`~coverage_gaps.config.Profile` the inputs came from (the demand layer's file and options).
    inputs
        The loaded inputs (the date used, the population weights).
    quarters
        How many quarters, the date used included.

    Returns
    -------
    Result
        With an empty ``trend`` when the demand is not Asy_D11 or its file has one quarter up to the
        date used; with a data note and ``trend`` None when an earlier quarter cannot be loaded.
    """
    from .io import asy_d11_quarters, load_asy_d11_quarters
    from .notes import collect_warnings

    name = str(result.settings.demand)
    layer = _layer(profile, name)
    used = inputs.demand[name].date if layer is not None and name in inputs.demand else None
    if used is None or quarters < 2:
        return replace(result, trend=_empty())
    codes = list(inputs.areas.table[AREA_CODE].astype(str))
    options = _options(inputs, layer)

    collected: list[str] = []

    def load(dates):
        with collect_warnings() as notes:  # earlier quarters' loader notes: counted in one data note below
            quarters = load_asy_d11_quarters(layer["path"], dates=dates, column="people", area_codes=codes,
                                             **options)
        collected.extend(notes)
        return demand_series(quarters, area_codes=codes, wide=False)

    try:
        past = load(_quarter_ends_before(str(used), quarters - 1))  # the usual case: no read to list the dates
    except CoverageGapsError:
        earlier = [q for q in asy_d11_quarters(layer["path"]) if q < str(used)][-(quarters - 1):]
        if not earlier:
            return replace(result, trend=_empty())
        try:
            past = load(earlier)
        except CoverageGapsError as exc:
            note = (f"The trend of {name.replace('_', ' ')} is not shown: an earlier quarter could not be loaded "
                    f"({exc})")
            return replace(result, notes=[*result.notes, note], trend=None)  # not loaded (not "one quarter only")
    now = inputs.demand[name].table[[AREA_CODE, name]].rename(columns={name: "people"}).assign(date=str(used))
    study = set(result.areas[AREA_CODE].astype(str))
    table = pd.concat([past[TREND_COLUMNS], now[TREND_COLUMNS]], ignore_index=True)
    table = table[table[AREA_CODE].astype(str).isin(study)]
    wide = table.pivot(index=AREA_CODE, columns="date", values="people").reindex(sorted(study))
    wide = wide.fillna(0.0)  # Asy_D11 leaves out areas with nobody on support that quarter
    long = wide.stack().rename("people").reset_index()
    long = long.sort_values(["date", AREA_CODE], kind="mergesort").reset_index(drop=True)
    notes = list(result.notes)
    if collected:
        notes.append(f"Loading the {len(past['date'].unique())} earlier quarter(s) for the trend gave "
                     f"{len(collected)} data note(s) of their own (the first: {collected[0]})")
    return replace(result, notes=notes,
                   trend=long[TREND_COLUMNS].astype({AREA_CODE: object, "date": object, "people": float}))


@dataclass(frozen=True)
class RegionChange:
    """The need in the study areas at the date used and four quarters earlier.

    ``then`` and ``then_date`` are None when the trend has no quarter a year earlier;
    ``why`` then says so in words.
    """

    now: float
    now_date: str
    then: float | None
    then_date: str | None
    why: str = ""

    @property
    def change(self) -> float:
        return float("nan") if self.then is None else self.now - self.then

    @property
    def share(self) -> float:
        """The change as a share of the figure a year earlier (NaN when that was 0 or is missing)."""
        return self.change / self.then if self.then else float("nan")


def _year_before(iso: str) -> str:
    day = date.fromisoformat(iso[:10])
    try:
        return day.replace(year=day.year - 1).isoformat()
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28).isoformat()


def region_change(result: Result) -> RegionChange | None:
    """The need in the study areas (inside the supply data's coverage) now and four quarters earlier.

    None when the Result has no trend (the demand is not quarterly, or one quarter only).
    """
    trend = result.trend
    if trend is None or not len(trend) or trend["date"].nunique() < 2:
        return None
    areas = result.areas
    inside = inside_coverage(areas)
    codes = set(areas.loc[inside, AREA_CODE].astype(str))
    totals = trend[trend[AREA_CODE].astype(str).isin(codes)].groupby("date")["people"].sum()
    totals = totals.reindex(sorted(set(trend["date"])), fill_value=0.0)
    now_date = str(totals.index[-1])
    then_date = _year_before(now_date)
    if then_date not in totals.index:
        oldest = str(totals.index[0])
        why = (f"the loaded quarters go back only to {quarter_words(oldest)}" if oldest > then_date
               else f"the figures have no count for {quarter_words(then_date)}, a year earlier")
        return RegionChange(float(totals.iloc[-1]), now_date, None, None, why=why)
    return RegionChange(float(totals.iloc[-1]), now_date, float(totals[then_date]), then_date)


def area_series(result: Result, codes) -> tuple[list[str], np.ndarray]:
    """The quarters (oldest first) and an ``len(codes) x quarters`` array of people for these area codes."""
    trend = result.trend
    wide = trend.pivot(index=AREA_CODE, columns="date", values="people")
    wide = wide.reindex(index=[str(c) for c in codes], columns=sorted(wide.columns)).fillna(0.0)
    return [str(d) for d in wide.columns], wide.to_numpy(dtype=float)
