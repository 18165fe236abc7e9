"""Typed settings: what an analysis computes with, and what publishing may show.

A profile's ``[analysis]`` table loads into :class:`AnalysisSettings` and its
``[publish]`` table into :class:`PublishSettings`: frozen dataclasses whose
defaults are written here and nowhere else.  Code reads attributes
(``settings.catchment_km``), never string keys.  The rule each ``[analysis]``
value must follow (type, range, words) sits beside it in :data:`ANALYSIS_RULES`;
:mod:`coverage_gaps.config` checks a whole profile once, with one message
listing every problem.

Library callers may still pass a plain dict: :meth:`AnalysisSettings.of`
checks it with the same rules and fills in the defaults.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

from ._rules import Setting, _benchmark, _catchments, _decay_table, _grid_decays, table_problems
from .errors import ProfileError
from .inputs import TERRITORIES

__all__ = ["AnalysisSettings", "PublishSettings", "POINT_PRECISIONS", "DEFAULTS", "ANALYSIS_RULES", "check_analysis"]

#: The grids providers' points may be published on (their sizes: :data:`coverage_gaps.publish.PRECISIONS`).
POINT_PRECISIONS = ("exact", "district", "area")

_INTERNAL = {"internal": True}  # set by code (scenarios), never by a profile


@dataclass(frozen=True)
class AnalysisSettings:
    """The ``[analysis]`` settings of a run, with their defaults.

    See ``data/profiles/README.md`` for each setting in words.  Lists from the
    profile are held as tuples (the settings are frozen); :meth:`as_dict`
    gives them back as lists, JSON-able.
    """

    demand: str = "asylum_support"  # the demand column that drives access and ranking
    population: str = "population"  # residents, for rates per 10,000
    catchment_km: float = 30.0
    decay: str = "gaussian"  # step = plain 2SFCA; table = decay_table
    decay_table: tuple = ()  # ((upper_km, weight), ...) when decay = "table"
    rule: str = "asylum"  # which providers count as supply: asylum, immigration, any
    drought_share: float = 0.5  # drought: access below this share of the benchmark
    benchmark: str | float = "all"  # "all" (every provider's supply per demand) or a number per 1,000
    people_per_adviser: float = 0.0  # a standard: one adviser per N people (0 = unused)
    rank_by: str = "unmet_demand"
    min_demand: float = 0.0  # areas with less demand are not ranked
    candidate_km: float = 20.0  # partners to train: inside a target or within this distance
    top: int = 10  # the targets: the first `top` ranks
    trained_capacity: float = 1.0  # one organisation once trained (scenarios)
    subareas: bool = True  # use the finer layer for demand points when one is given
    part_desert_share: float = 0.5  # part desert: this share of need beyond reach or more
    capacity_unit: str = "office"  # capacity without a capacity column: one per office, or per organisation
    headline_min_demand: float = 100.0  # headline: areas with more need than this and no local provider
    stability_catchment_km: tuple = (20.0, 30.0, 45.0)  # rank stability grid
    stability_decay: tuple = ("step", "gaussian")  # (() = no stability columns)
    report_top: int = 200  # the report's table lists this many areas; CSV/XLSX every one
    coverage: str = ""  # territory the supply data covers; "" = from the provider files
    # set by scenarios when the "after" run holds the "before" benchmark: "average" or "standard" (words stay true)
    benchmark_held: str = field(default="", metadata=_INTERNAL)

    def __post_init__(self):
        for name in ("decay_table", "stability_catchment_km", "stability_decay"):
            value = getattr(self, name)
            if not isinstance(value, tuple):  # a list from TOML or a caller: frozen as a tuple
                object.__setattr__(self, name, _frozen(value))

    @classmethod
    def of(cls, settings: AnalysisSettings | Mapping | None = None, **changes) -> AnalysisSettings:
        """Settings from a dict (checked like a profile's ``[analysis]``), or these settings with ``changes``.

        Raises
        ------
        ProfileError
            Listing every unknown key and wrong value at once.
        """
        if isinstance(settings, cls):
            return settings.replace(**changes) if changes else settings
        given = {**dict(settings or {}), **changes}
        check_analysis(given, where="settings")
        return cls(**given)

    def replace(self, **changes) -> AnalysisSettings:
        """A copy with some settings replaced (checked like ``--set``)."""
        if not changes:
            return self
        check_analysis({**self.as_dict(), **changes}, where="settings")  # each value, and all together
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict:
        """The settings as a JSON-able dict (lists, not tuples), without internal ones left at their default."""
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.metadata.get("internal") and value == f.default:
                continue
            out[f.name] = _thawed(value)
        return out

    @classmethod
    def profile_keys(cls) -> list[str]:
        """The keys a profile's ``[analysis]`` may hold."""
        return [f.name for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


@dataclass(frozen=True)
class PublishSettings:
    """The ``[publish]`` settings: what leaves the machine.

    ``point_precision`` is the grid providers' points are published on
    (``exact``, ``district``: a 2 km grid, ``area``: the area's representative
    point); it is not a provider's ``location_precision`` (how its point was
    geocoded).
    """

    point_precision: str = "exact"

    def __post_init__(self):
        if self.point_precision not in POINT_PRECISIONS:
            from .errors import InvalidValueError, describe

            raise InvalidValueError(describe(
                "point precision not recognised", column="[publish] point_precision", value=self.point_precision,
                expected=", ".join(POINT_PRECISIONS), fix="set [publish] point_precision to exact, district or area"))


#: The default analysis settings: lower layers' keyword defaults read these, so each default is written once.
DEFAULTS = AnalysisSettings()

_STR, _NUM, _BOOL, _LIST = str, (int, float), bool, list
_TERRITORIES = ("",) + TERRITORIES  # "" = from the provider formats (coverage_gaps.inputs)
_KM = 1_000.0  # no catchment or search distance beyond 1,000 km means anything in Great Britain

#: The rule of each ``[analysis]`` setting (type, range or words, check), beside its type and default above.
ANALYSIS_RULES: dict[str, Setting] = {
    "demand": Setting(_STR),  # demand column that drives access and ranking
    "population": Setting(_STR),  # residents, for rates per 10,000
    "catchment_km": Setting(_NUM, low=0, low_open=True, high=_KM),
    "decay": Setting(_STR, choices=("step", "gaussian", "table")),  # step = plain 2SFCA
    "decay_table": Setting(_LIST, check=_decay_table),  # [[upper_km, weight], ...] when decay = "table"
    "rule": Setting(_STR, choices=("asylum", "immigration", "any")),  # which providers are supply
    "drought_share": Setting(_NUM, low=0, low_open=True, high=1),  # drought: access below this share
    "benchmark": Setting((str, int, float), check=_benchmark),  # "all", or a number per 1,000
    "people_per_adviser": Setting(_NUM, low=0),  # a standard: one adviser per N people (0 = unused)
    "rank_by": Setting(_STR, choices=("unmet_demand", "demand", "nearest_km", "demand_per_10k",
                                          "access", "coverage_share", "capacity_per_1k_demand")),
    "min_demand": Setting(_NUM, low=0),
    "candidate_km": Setting(_NUM, low=0, high=_KM),  # candidates to train: inside or within this
    "top": Setting(int, low=1),
    "trained_capacity": Setting(_NUM, low=0, high=10_000),  # one organisation once trained (scenarios)
    "subareas": Setting(_BOOL),  # use the finer layer for demand points when one is given
    # issue 13: gap categories, capacity units, headline figures, rank stability, the report's table
    "part_desert_share": Setting(_NUM, low=0, low_open=True, high=1),  # part desert: need beyond reach
    "capacity_unit": Setting(_STR, choices=("office", "organisation")),  # without a capacity column
    "headline_min_demand": Setting(_NUM, low=0),  # headline: areas with more need and no local provider
    "stability_catchment_km": Setting(_LIST, check=_catchments),  # rank stability grid
    "stability_decay": Setting(_LIST, check=_grid_decays),  # ([] = no stability columns)
    "report_top": Setting(int, low=1),  # the report's table lists this many areas; CSV/XLSX every one
    # territory the supply data covers; "" = from the provider files (the LAA directory: England and Wales)
    "coverage": Setting(_STR, choices=_TERRITORIES),
}

if list(ANALYSIS_RULES) != AnalysisSettings.profile_keys():  # a setting added to one and not the other
    raise RuntimeError("settings.ANALYSIS_RULES and AnalysisSettings name different settings: "
                       f"{sorted(set(ANALYSIS_RULES) ^ set(AnalysisSettings.profile_keys()))}")


def check_analysis(settings: Mapping, *, where="settings") -> None:
    """Check ``[analysis]`` settings (some or all) against their rules; one ProfileError lists every problem.

    ``where`` names the source in the message (a profile path, ``--set`` or ``settings``).
    """
    internal = set(AnalysisSettings.__dataclass_fields__) - set(AnalysisSettings.profile_keys())
    problems = table_problems("analysis", {k: v for k, v in settings.items() if k not in internal}, ANALYSIS_RULES)
    problems.extend(together_problems(settings))
    if problems:
        raise ProfileError(where, problems)


def together_problems(settings: Mapping) -> list[str]:
    """What is wrong with ``[analysis]`` settings taken together (each alone may be right)."""
    if settings.get("decay") == "table" and not settings.get("decay_table"):
        return ["[analysis] decay = 'table' needs decay_table = [[upper_km, weight], ...]"]
    return []


def _frozen(value):
    return tuple(_frozen(v) for v in value) if isinstance(value, (list, tuple)) else value


def _thawed(value):
    return [_thawed(v) for v in value] if isinstance(value, tuple) else value
