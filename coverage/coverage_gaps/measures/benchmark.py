"""The benchmark, unmet demand, and the desert and drought flags.

* **Benchmark access**: capacity per 1,000 people in demand that counts as
  "enough".  By default the whole data set's qualifying capacity over its
  whole demand (every area at the national or regional average); or a
  standard of one adviser per ``N`` people, i.e. ``1000 / N``.
* **Unmet demand**: people in an area beyond what its access covers at the
  benchmark, ``demand * max(0, 1 - access / benchmark)``.
* **Advice desert**: no qualifying provider within the catchment of any of
  the area's people (``coverage_share == 0``).
* **Advice drought**: providers within reach, but access below
  ``drought_share * benchmark`` (half the benchmark by default).

* **Coverage**: the territory the supply data covers (the LAA directory:
  England and Wales).  The benchmark uses the demand inside it only, and an
  area outside it is never a desert or a drought (nothing is known about its
  supply); see :func:`coverage_countries` and :func:`in_coverage`.
* An area with no recorded need (demand 0) or no demand figure (NaN) is
  never flagged either: a gap needs people in need.

A desert is *not* also flagged as a drought: the two flags are exclusive, so
that each area gets one plain reason ("no adviser within 30 km" vs "advisers
within reach, but too few for the demand").  Both columns are always reported.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .._validate import require_columns
from ..errors import InvalidValueError, describe
from ..schema import ACCESS, COVERAGE_SHARE, DEMAND, IN_COVERAGE, NEAREST_KM, TERRITORIES
from ..settings import DEFAULTS

__all__ = ["benchmark_access", "unmet_demand", "flags", "TERRITORIES", "coverage_countries",
           "in_coverage"]

_COUNTRY = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}


def _letters(codes) -> pd.Series:
    """The country letter of each ONS area code (``E06000021`` -> ``E``); "" when not an ONS code."""
    text = pd.Series(codes, dtype="string").str.strip()
    return text.str.extract(r"^([EWSN])\d{8}$", expand=False).fillna("").astype(str)


def coverage_countries(territories, *, study_codes=()) -> tuple[str, str]:
    """Country letters and the name in words of the union of ``territories``.

    Parameters
    ----------
    territories
        Territory names (keys of :data:`TERRITORIES`); ``None`` entries stand
        for the study areas' own countries (from ``study_codes``).

    Returns
    -------
    letters, name
        ``("EW", "England and Wales")``; ``("", "")`` when the areas have no
        ONS codes (the demo): then every area counts as covered.

    Raises
    ------
    InvalidValueError
        A name that is not a territory.
    """
    letters = set()
    for name in territories:
        if name is None:
            letters |= set(_letters(list(study_codes))) - {""}
            continue
        hit = next((v for k, v in TERRITORIES.items() if k.casefold() == str(name).strip().casefold()), None)
        if hit is None:
            raise InvalidValueError(describe("unknown coverage territory", column="coverage", value=name,
                                             expected="one of " + ", ".join(map(repr, TERRITORIES)),
                                             fix="name the territory the provider data covers"))
        letters |= set(hit)
    key = "".join(sorted(letters))
    words = next((k for k, v in TERRITORIES.items() if v == key), None)
    if words is None and key:
        names = [_COUNTRY[c] for c in key]
        words = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return key, words or ""


def in_coverage(codes, letters: str) -> pd.Series:
    """True where an area code lies in the territory ``letters`` (or is not an ONS code, or no territory is known)."""
    country = _letters(codes)
    if not letters:
        return pd.Series(True, index=country.index)
    return country.eq("") | country.isin(list(letters))


def _positive(value, column: str, expected: str, fix: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not (number > 0 and math.isfinite(number)):
        raise InvalidValueError(describe(f"{column} must be a number above 0", column=column, value=value,
                                         expected=expected, fix=fix))
    return number


def benchmark_access(total_capacity: float, total_demand: float, *,
                     standard_people_per_adviser: float | None = None) -> float:
    """Benchmark access in capacity per 1,000 people in demand.

    Parameters
    ----------
    total_capacity
        Qualifying capacity of the whole provider set (inside and outside the
        study region).
    total_demand
        Demand of every area in the data.
    standard_people_per_adviser
        A user standard of one adviser per this many people; when given the
        benchmark is ``1000 / standard_people_per_adviser`` and the totals are
        not used.

    Raises
    ------
    InvalidValueError
        Demand not above 0, negative capacity, or a standard not above 0.
    """
    if standard_people_per_adviser is not None:
        people = _positive(standard_people_per_adviser, "standard_people_per_adviser",
                           "people per adviser, e.g. 200", "give the standard as people per adviser")
        return 1_000.0 / people
    demand = _positive(total_demand, "total_demand", "the people in need across all areas",
                       "check the demand column has figures")
    capacity = float(total_capacity)
    if not (capacity >= 0 and math.isfinite(capacity)):
        raise InvalidValueError(describe("total_capacity must be 0 or more", column="total_capacity",
                                         value=total_capacity, expected="the qualifying capacity"))
    return capacity / demand * 1_000.0


def unmet_demand(demand, access, benchmark: float):
    """People whose need is not met at the benchmark: ``demand * max(0, 1 - access / benchmark)``.

    ``demand`` and ``access`` are aligned arrays or Series (access per 1,000
    people in demand); a Series ``demand`` gives a Series named
    ``unmet_demand`` on its index.
    """
    level = _positive(benchmark, "benchmark", "capacity per 1,000 people in demand",
                      "use measures.benchmark_access")
    d = np.asarray(demand, dtype=float)
    a = np.asarray(access, dtype=float)
    unmet = d * np.maximum(0.0, 1.0 - a / level)
    if isinstance(demand, pd.Series):
        return pd.Series(unmet, index=demand.index, name="unmet_demand")
    return unmet


def flags(measures: pd.DataFrame, *, benchmark: float, catchment_km: float | None = None,
          drought_share: float = DEFAULTS.drought_share) -> tuple[pd.Series, pd.Series]:
    """Desert and drought flags for each area.

    Parameters
    ----------
    measures
        Per-area measures with ``access`` and ``coverage_share`` (from
        :func:`coverage_gaps.measures.area_measures`).  Without
        ``coverage_share``, a desert is ``nearest_km > catchment_km``, the
        same thing when each area has one demand point.
    benchmark
        Benchmark access (capacity per 1,000 people in demand).
    catchment_km
        Needed only when ``coverage_share`` is absent.
    drought_share
        An area with providers in reach is in drought when its access is below
        ``drought_share * benchmark``; above 0 and at most 1.

    Returns
    -------
    desert, drought
        Boolean Series on ``measures``' index, exclusive (a desert is not also
        a drought).  An area with no measure (NaN) is neither; nor is an area
        whose ``demand`` (when the column is given) is 0 or missing, or whose
        ``in_coverage`` is False.
    """
    level = _positive(benchmark, "benchmark", "capacity per 1,000 people in demand", "use measures.benchmark_access")
    share = float(drought_share) if isinstance(drought_share, (int, float)) else float("nan")
    if not 0 < share <= 1:
        raise InvalidValueError(describe("drought_share must be above 0 and at most 1", column="drought_share",
                                         value=drought_share, expected="a fraction of the benchmark, e.g. 0.5"))
    require_columns(measures, [ACCESS], file="measures", fix="compute them with measures.area_measures")
    if COVERAGE_SHARE in measures.columns:
        desert = measures[COVERAGE_SHARE].astype(float).to_numpy() == 0
    else:
        require_columns(measures, [NEAREST_KM], file="measures", fix="compute them with measures.area_measures")
        reach = _positive(catchment_km, "catchment_km", "a number of km above 0, e.g. 30",
                          "give catchment_km when the measures have no coverage_share")
        desert = measures[NEAREST_KM].astype(float).to_numpy() > reach
    access = measures[ACCESS].astype(float).to_numpy()
    drought = ~desert & (access < share * level)
    eligible = np.ones(len(measures), dtype=bool)
    if DEMAND in measures.columns:
        eligible &= measures[DEMAND].astype(float).fillna(0.0).to_numpy() > 0
    if IN_COVERAGE in measures.columns:
        eligible &= measures[IN_COVERAGE].fillna(False).astype(bool).to_numpy()
    desert, drought = desert & eligible, drought & eligible
    return (pd.Series(desert, index=measures.index, name="desert"),
            pd.Series(drought, index=measures.index, name="drought"))
