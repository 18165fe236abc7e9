"""The Result: everything downstream (maps, exports, report, notebooks) reads it."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from .settings import AnalysisSettings, PublishSettings

__all__ = ["Result", "Source"]


@dataclass(frozen=True)
class Source:
    """Where one input came from, for the report's sources section."""

    name: str  # what the layer is, e.g. "Asylum support (Home Office Asy_D11)"
    file: str  # file name as loaded
    date: str | None = None  # date of the figures (ISO), if known
    licence: str = ""
    attribution: str = ""
    url: str = ""  # official download page
    kind: str = ""  # input kind (areas, asy_d11, nomis, table, laa_directory, partners, ...): supply vs demand


@dataclass
class Result:
    """One analysis run.

    Attributes
    ----------
    areas
        GeoDataFrame in EPSG:27700, one row per study area, with every measure
        (see ``schema``: ``demand``, ``local_providers``, ``nearest_km``,
        ``access``, ``coverage_share``, ``unmet_demand``), the gap category
        ``gap`` and ``share_beyond_reach``, the ``desert`` and ``drought`` flags
        (which follow ``gap``), ``rank`` (1 = target first), ``rank_min``,
        ``rank_max`` and ``top10_in`` (rank stability) and a plain-English
        ``reason``.  Sorted by rank.  ``unmet_demand`` is the shortfall against
        the benchmark: people below the average, or unmet need against a
        standard (:func:`coverage_gaps.gaps.shortfall` names it).
    providers
        GeoDataFrame in EPSG:27700 of every provider considered (inside and
        outside the study region), in the Providers contract plus
        ``qualifying`` (bool: counts as supply), ``provider_type`` (display
        group) and ``area_code`` (area the provider sits in, "" if none).
    rejects
        Every rejected input row: ``file, row, column, value, reason``.
    candidates
        Partners to train for each target area: ``area_code, provider_id,
        name, oisc_level, status, distance_km`` (nearest first).
    settings
        The :class:`~coverage_gaps.settings.AnalysisSettings` used (``settings.catchment_km``, ...;
        ``settings.as_dict()`` is JSON-able).  A dict given here is checked and filled with defaults.
    sources
        One :class:`Source` per input.
    title, region_name
        For headings.
    benchmark
        The benchmark access (capacity per 1,000 people in demand).
    generated_on
        ISO date printed on outputs (from the profile or SOURCE_DATE_EPOCH).
    synthetic
        True for the embedded demo: every output then says "synthetic demo data".
    notes
        Plain-English data notes for the reader (rows rejected, codes harmonised,
        choices taken, warnings collected while loading), in the order they arose.
    unplaced
        People in need who could not be placed in an area, in people:
        ``date, reason, people`` (e.g. Home Office "Subsistence Only" rows).
    harmonised
        Codes of another boundary vintage mapped onto the boundaries in use:
        ``input, date, code, to_codes, people, method`` (summed / split by weight).
    coverage
        The territory the supply data covers, in words ("England and Wales"):
        benchmarks and "across all areas" comparisons use demand inside it only.
    publish
        The :class:`~coverage_gaps.settings.PublishSettings`: what outputs may show
        (``publish.point_precision``: the grid provider points are published on).
    trend
        The need in each study area at each loaded quarter (issue 15, the report's trend):
        ``area_code, date, people``, oldest first, ending at the date the analysis used;
        empty when the demand is not a quarterly table (Asy_D11) or holds one quarter only;
        None when the run did not look (``run_profile(..., trend=False)``, scenarios; see
        :mod:`coverage_gaps.trend`).
    """

    areas: gpd.GeoDataFrame
    providers: gpd.GeoDataFrame
    rejects: pd.DataFrame
    candidates: pd.DataFrame
    settings: AnalysisSettings = field(default_factory=AnalysisSettings)
    sources: list[Source] = field(default_factory=list)
    title: str = "Immigration and asylum advice coverage"
    region_name: str = ""
    benchmark: float = float("nan")
    generated_on: str = ""
    synthetic: bool = False
    notes: list[str] = field(default_factory=list)
    unplaced: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["date", "reason", "people"]))
    harmonised: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["input", "date", "code", "to_codes", "people", "method"]))
    coverage: str = ""
    publish: PublishSettings = field(default_factory=PublishSettings)
    #: Need per study area per quarter (issue 15): ``area_code, date, people``; empty when not quarterly,
    #: None when not looked for.
    trend: pd.DataFrame | None = None

    def __post_init__(self):
        if not isinstance(self.settings, AnalysisSettings):
            self.settings = AnalysisSettings.of(self.settings)

    @property
    def targets(self) -> pd.DataFrame:
        """The ranked target list (areas without geometry), rank 1 first."""
        return pd.DataFrame(self.areas.drop(columns="geometry")).sort_values("rank").reset_index(drop=True)
