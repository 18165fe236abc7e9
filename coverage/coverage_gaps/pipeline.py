"""The main job: profile -> inputs -> measures -> gaps -> Result.

``run_profile`` reads like the recipe it is: load and validate every input,
compute the measures over all areas (supply outside the study region counts),
then keep the study region, rank it, explain each rank and find partners to
train.  The CLI, notebooks and scenarios all call these functions.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from . import gaps, measures
from ._validate import Loaded
from .config import Profile, load_profile
from .errors import InvalidValueError, describe
from .result import Result, Source
from .settings import AnalysisSettings, PublishSettings
from .schema import (
    AREA_CODE,
    AREA_NAME,
    CAPACITY,
    CRS_BNG,
    DEMAND,
    GAP,
    IN_COVERAGE,
    LAA_CONTRACT,
    REGION_CODE,
    REGULATED,
    REJECT_COLUMNS,
    SHARE_BEYOND_REACH,
    STATUS,
)
from .sources import describe_source

__all__ = ["Inputs", "load_inputs", "place_demand", "analyse", "run_profile", "generated_on"]


@dataclass
class Inputs:
    """Every validated input of a profile, by name, in profile order."""

    areas: Loaded
    demand: dict[str, Loaded]
    providers: dict[str, Loaded]
    subareas: Loaded | None = None
    sources: list[Source] = field(default_factory=list)
    #: parent_column / weight_column for spreading demand over the sub-areas
    subarea_options: dict = field(default_factory=dict)
    #: Lookup files (region lookup, postcode files), reconciled like the main inputs, by name.
    lookups: dict[str, Loaded] = field(default_factory=dict)
    #: provider layer name -> territory it covers (None: the study areas' countries)
    coverage: dict = field(default_factory=dict)

    @property
    def loaded(self) -> dict[str, Loaded]:
        """All inputs by name (areas, subareas, demand layers, provider files, lookups)."""
        out = {"areas": self.areas}
        if self.subareas is not None:
            out["subareas"] = self.subareas
        out.update({f"demand:{k}": v for k, v in self.demand.items()})
        out.update({f"providers:{k}": v for k, v in self.providers.items()})
        out.update(self.lookups)
        return out

    @property
    def rejects(self) -> pd.DataFrame:
        frames = [v.rejects for v in self.loaded.values() if len(v.rejects)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=REJECT_COLUMNS)

    def provider_table(self) -> gpd.GeoDataFrame:
        """All provider files stacked into one GeoDataFrame (EPSG:27700)."""
        frames = [v.table for v in self.providers.values() if len(v.table)]
        if not frames:
            return gpd.GeoDataFrame({c: [] for c in ("provider_id", "name")}, geometry=[], crs=CRS_BNG)
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=CRS_BNG)


def generated_on(profile: Profile | None = None) -> str:
    """The date printed on outputs: the profile's, else SOURCE_DATE_EPOCH, else today (UTC)."""
    if profile is not None and profile.meta.get("generated_on"):
        return str(profile.meta["generated_on"])[:10]
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), tz=timezone.utc) if epoch else datetime.now(tz=timezone.utc)
    return when.date().isoformat()


def _geocoder(profile: Profile):
    from .geocode import PostcodeLookup, PostcodesIO

    spec = profile.inputs
    postcodes = spec.get("postcodes", {}).get("path")
    districts = spec.get("postcode_districts", {}).get("path")
    online_spec = spec.get("geocoder", {})
    online = None
    if online_spec.get("online"):
        kwargs = {k: online_spec[k] for k in ("base_url", "cache_dir") if k in online_spec}
        online = PostcodesIO(**kwargs)
    if postcodes is None and districts is None and online is None:
        return None
    lookup = PostcodeLookup.from_files(postcodes=postcodes, districts=districts)
    if online is not None:
        lookup.online = online
    return lookup


def load_inputs(profile: Profile) -> Inputs:
    """Load and validate every input a profile names.

    Returns
    -------
    Inputs
        Each input's validated table, rejects and counts.
    """
    from . import io

    spec = profile.inputs
    synthetic = bool(profile.meta.get("synthetic", False))
    overrides = profile.sources
    sources: list[Source] = []

    def note(kind: str, name: str, loaded: Loaded | None, path) -> None:
        sources.append(describe_source(kind, file=Path(path).name, date=getattr(loaded, "date", None),
                                      overrides=overrides.get(name), synthetic=synthetic))

    a = spec["areas"]
    lookup = spec.get("region_lookup")
    lookups: dict[str, Loaded] = {}
    if lookup:
        lookups["region_lookup"] = io.read_region_lookup(
            lookup["path"], **{k: v for k, v in lookup.items() if k != "path"}
        )
    areas = io.load_areas(a["path"], region_lookup=lookups["region_lookup"].table if lookup else None,
                          **{k: v for k, v in a.items() if k != "path"})
    note("areas", "areas", areas, a["path"])
    codes = set(areas.table[AREA_CODE])
    if lookup:
        lookups["region_lookup"] = io.lookup_against_areas(lookups["region_lookup"], codes)
        note("region_lookup", "region_lookup", None, lookup["path"])

    subareas = None
    if "subareas" in spec:
        s = spec["subareas"]
        subareas = io.load_areas(s["path"], **{k: v for k, v in s.items() if k in ("code_column", "name_column", "layer")})
        subareas = io.reject_orphan_subareas(subareas, areas.table, parent_column=s.get("parent_column"))
        note("subareas", "subareas", subareas, s["path"])

    demand = _load_demand(profile, codes, note)

    geocoder = _geocoder(profile)
    providers: dict[str, Loaded] = {}
    coverage: dict[str, str | None] = {}
    for i, p in enumerate(spec.get("providers", []), start=1):
        name = p.get("name") or Path(p["path"]).stem
        coverage[name] = p.get("coverage") or measures.benchmark.PROVIDER_COVERAGE.get(p["format"])
        if p["format"] == "laa_directory":
            loaded = io.load_laa_offices(p["path"], geocoder=geocoder, areas=areas.table,
                                         **({"categories": tuple(p["categories"])} if "categories" in p else {}),
                                         **({"role": p["role"]} if "role" in p else {}))
        else:
            loaded = io.load_partners(p["path"], geocoder=geocoder, areas=areas.table,
                                      **{k: v for k, v in p.items() if k in ("sheet", "columns", "decimal", "max_capacity")})
        providers[name] = loaded
        note(p["format"], name, loaded, p["path"])
    for kind in ("postcodes", "postcode_districts"):
        if kind in spec:
            note(kind, kind, None, spec[kind]["path"])
    lookups.update(geocoder.inputs() if geocoder is not None else {})
    sub_options = {k: spec["subareas"][k] for k in ("parent_column", "weight_column") if k in spec.get("subareas", {})}
    return Inputs(areas=areas, demand=demand, providers=providers, subareas=subareas, sources=sources,
                  subarea_options=sub_options, lookups=lookups, coverage=coverage)


def _load_demand(profile: Profile, codes: set, note) -> dict[str, Loaded]:
    """Every demand layer in profile order, harmonised to the boundaries' vintage.

    The population layer named in ``[analysis] population`` is loaded first:
    its figures split a successor district's people over its predecessors.
    """
    from . import io, vintages

    spec = profile.inputs
    lookup = spec.get("code_lookup")
    changes = vintages.code_changes(vintages.read_lookup(lookup["path"])) if lookup else None
    layers = spec.get("demand", [])
    weight_name = profile.analysis.population
    order = sorted(range(len(layers)), key=lambda i: layers[i]["name"] != weight_name)
    loaded: dict[int, Loaded] = {}
    weights = None
    for i in order:
        d = layers[i]
        options = {k: v for k, v in d.items() if k not in ("name", "format", "path")}
        if d["format"] == "asy_d11":
            one = io.load_asy_d11(d["path"], area_codes=codes, column=d["name"], weights=weights, changes=changes,
                                  weight_label=weight_name or "population", today=generated_on(profile), **options)
        elif d["format"] == "nomis":
            one = io.load_population(d["path"], area_codes=codes, column=d["name"], **options)
        else:
            one = io.load_demand_table(d["path"], area_codes=codes, **options)
        if d["name"] == weight_name and d["name"] in one.table.columns:
            weights = one.table.set_index(AREA_CODE)[d["name"]]
        loaded[i] = one
    demand: dict[str, Loaded] = {}
    for i, d in enumerate(layers):
        demand[d["name"]] = loaded[i]
        note(d["format"], d["name"], loaded[i], d["path"])
    return demand


def _provider_type(providers: pd.DataFrame) -> pd.Series:
    level = measures.supply.levels(providers)
    laa = providers[LAA_CONTRACT].fillna(False).astype(bool)
    kind = np.select(
        [laa, providers[REGULATED].fillna(False).astype(bool) | (level >= 2),
         providers[STATUS].fillna("").eq("prospective"), level == 1],
        ["LAA office", "OISC Level 2+", "Prospective partner", "OISC Level 1"],
        default="Not accredited",
    )
    return pd.Series(kind, index=providers.index)


def _area_table(inputs: Inputs, demand_column: str, population_column: str | None) -> gpd.GeoDataFrame:
    areas = inputs.areas.table.copy()
    for name, loaded in inputs.demand.items():
        values = loaded.table.set_index(AREA_CODE)
        for col in values.columns:
            areas[col] = areas[AREA_CODE].map(values[col])
    if demand_column not in areas.columns:
        raise InvalidValueError(describe(
            "the demand column is not among the demand layers", column="[analysis] demand", value=demand_column,
            expected=" or ".join(repr(c) for c in areas.columns if c in {
                col for loaded in inputs.demand.values() for col in loaded.table.columns} - {AREA_CODE}) or "a layer",
            fix="set [analysis] demand to the name of one [[inputs.demand]] layer"))
    # An area absent from the demand figures (after harmonising) has no data, not 0 people: NaN here;
    # the measures count it as 0 (measures.demand_points), the flags and ranks leave it out.
    areas[DEMAND] = areas[demand_column].astype(float)
    if population_column and population_column in areas.columns:
        pop = areas[population_column].astype(float)
        areas["demand_per_10k"] = np.where(pop > 0, areas[DEMAND] / pop * 10_000, np.nan)
    return areas


def place_demand(inputs: Inputs, settings: AnalysisSettings) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, str | None]:
    """Every area with its demand columns, and the demand points the measures start from.

    Returns
    -------
    areas, points, population
        ``areas`` (every area in the data, with ``demand`` and
        ``demand_per_10k``), ``points`` from
        :func:`coverage_gaps.measures.demand_points` (sub-area points when a
        finer layer is given) and the population column used, or None.
    """
    columns = {c for loaded in inputs.demand.values() for c in loaded.table.columns}
    population = settings.population if settings.population in columns else None
    areas = _area_table(inputs, settings.demand, population)
    value_columns = [DEMAND] + ([population] if population else [])
    use_sub = inputs.subareas is not None and settings.subareas
    points = measures.demand_points(areas, areas[[AREA_CODE] + value_columns], columns=value_columns,
                                    subareas=inputs.subareas.table if use_sub else None,
                                    **(inputs.subarea_options if use_sub else {}))
    return areas, points, population


def _locate_providers(providers: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, rule: str) -> gpd.GeoDataFrame:
    """Add ``qualifying``, ``provider_type`` and the area each provider sits in."""
    providers = providers.assign(qualifying=measures.is_qualifying(providers, rule=rule).to_numpy(),
                                 provider_type=_provider_type(providers).to_numpy())
    where = measures.provider_areas(areas, providers)  # a point on a shared edge is in its first area; -1: none
    found = areas[[AREA_CODE, AREA_NAME]].reset_index(drop=True).reindex(where).fillna("")
    providers[AREA_CODE] = found[AREA_CODE].to_numpy()
    providers[AREA_NAME] = found[AREA_NAME].array
    return providers


def _coverage(inputs: Inputs, areas: pd.DataFrame, settings: AnalysisSettings, regions) -> tuple[pd.Series, str]:
    """``in_coverage`` for every area, and the territory the supply data covers in words.

    ``[analysis] coverage`` overrides; else the union of the provider files'
    territories (a partner list without one: the study areas' countries).
    """
    named = settings.coverage or None
    territories = [named] if named else list(inputs.coverage.values()) or [None]
    codes = areas[AREA_CODE]
    if regions and REGION_CODE in areas.columns:
        codes = codes[areas[REGION_CODE].isin(list(regions))]
    letters, words = measures.benchmark.coverage_countries(territories, study_codes=codes)
    if not codes.astype(str).str.match(r"^[EWSN]\d{8}$").any():  # no ONS codes (the demo): no territory to name
        letters, words = "", ""
    return measures.benchmark.in_coverage(areas[AREA_CODE], letters).set_axis(areas.index), words


def _benchmark(providers: gpd.GeoDataFrame, areas: pd.DataFrame, s: AnalysisSettings, territory: str = "") -> tuple[float, str]:
    """The benchmark access and the words the reasons use for it (demand inside the coverage only)."""
    if isinstance(s.benchmark, (int, float)):
        return float(s.benchmark), "benchmark"
    people = float(s.people_per_adviser or 0)
    inside = areas[IN_COVERAGE] if IN_COVERAGE in areas.columns else pd.Series(True, index=areas.index)
    value = measures.benchmark_access(
        total_capacity=float(providers.loc[providers["qualifying"], CAPACITY].sum()),
        total_demand=float(areas.loc[inside, DEMAND].fillna(0.0).sum()),
        standard_people_per_adviser=people or None,
    )
    if value == 0:  # measures.unmet_demand would refuse it with a message about its own argument
        raise InvalidValueError(describe(
            "no provider in the data counts as supply, so the benchmark (their capacity per 1,000 people in demand) "
            "is 0", column="[analysis] rule", value=s.rule,
            fix="add a provider file with Level 2+ asylum advisers or LAA offices, or set [analysis] "
                "people_per_adviser (e.g. 200) to measure against a standard"))
    return value, (f"(the standard: one adviser per {people:,.0f} people)" if people
                   else f"across {'the ' if territory == 'United Kingdom' else ''}{territory}" if territory
                   else "across all areas in the data")


def _study_region(areas: gpd.GeoDataFrame, regions) -> gpd.GeoDataFrame:
    if not regions:
        return areas.copy()
    codes = areas.get(REGION_CODE, pd.Series("", index=areas.index))
    keep = areas[codes.isin(list(regions))].copy()
    if keep.empty:
        known = ", ".join(sorted(set(codes) - {""})[:12]) or "none (give [inputs.region_lookup])"
        raise InvalidValueError(describe("no area lies in the study region", column="[profile] region",
                                         value=list(regions), expected=f"region codes of the areas: {known}",
                                         fix="check the region codes, or add a region lookup to the profile"))
    return keep


def _regionless_note(areas: pd.DataFrame, regions, *, demand_label: str) -> list[str]:
    """A note, in people, on areas the region lookup gave no region: no study region can hold them."""
    if not regions or REGION_CODE not in areas.columns:
        return []
    lost = areas[areas[REGION_CODE].fillna("").eq("")]
    if lost.empty:
        return []
    people = float(lost[DEMAND].sum())
    names = ", ".join(f"{c} {n}" for c, n in zip(lost[AREA_CODE].head(10), lost[AREA_NAME].head(10)))
    return [f"{len(lost)} area(s) with {people:,.0f} people ({demand_label.replace('_', ' ')}) have no region in the "
            f"region lookup, so they are outside the study region: {names}" + (" ..." if len(lost) > 10 else "")
            + ". Add them to the lookup if they belong to it."]


def analyse(inputs: Inputs, settings: AnalysisSettings | dict | None = None, *, regions=(), title: str = "", region_name: str = "",
            generated: str = "", synthetic: bool = False, publish: PublishSettings | None = None) -> Result:
    """Compute every measure, flag, rank and reason for the study region.

    Measures are computed over every area in the data, so supply and
    competing demand outside the study region count; the study region then
    filters the output.

    Parameters
    ----------
    inputs
        From :func:`load_inputs` (or built by hand, e.g. by scenarios).
    settings
        The ``[analysis]`` settings (:class:`~coverage_gaps.settings.AnalysisSettings`; a dict is
        checked and filled with the defaults).
    regions
        Region codes that make the study region; empty means every area.
    """
    s = AnalysisSettings.of(settings)
    catchment_km = float(s.catchment_km)
    areas, points, population = place_demand(inputs, s)
    providers = _locate_providers(inputs.provider_table(), areas, s.rule)
    providers[CAPACITY] = measures.capacity_units(providers, unit=s.capacity_unit,
                                                  supply=providers["qualifying"]).to_numpy()
    areas = areas.join(measures.area_measures(
        areas, providers, points, demand_column=DEMAND, population_column=population, catchment_km=catchment_km,
        decay=s.decay, decay_table=s.decay_table or None, rule=s.rule), on=AREA_CODE)
    areas[IN_COVERAGE], territory = _coverage(inputs, areas, s, regions)
    benchmark, _ = _benchmark(providers, areas, s, territory)  # demand inside the supply data's coverage only
    areas["unmet_demand"] = measures.unmet_demand(areas[DEMAND].fillna(0.0), areas["access"], benchmark)

    regionless = _regionless_note(areas, regions, demand_label=s.demand)
    areas = _study_region(areas, regions)
    areas = _assess(areas, points, providers, benchmark=benchmark, settings=s, coverage=territory)
    areas = areas.sort_values(["rank", AREA_CODE], na_position="last", kind="mergesort").reset_index(drop=True)
    top = areas[areas["rank"].notna() & (areas["rank"] <= int(s.top))]
    return Result(
        areas=gpd.GeoDataFrame(areas, geometry="geometry", crs=CRS_BNG),
        providers=providers,
        rejects=inputs.rejects,
        candidates=gaps.find_candidates(top, providers, within_km=float(s.candidate_km)),
        settings=s,
        sources=list(inputs.sources),
        title=title,
        region_name=region_name,
        benchmark=float(benchmark),
        generated_on=generated,
        synthetic=synthetic,
        publish=publish or PublishSettings(),
        **_data_notes(inputs, s.demand, areas, territory, first=regionless),
    )


def _assess(study: gpd.GeoDataFrame, points, providers, *, benchmark: float, settings: AnalysisSettings,
            coverage: str) -> gpd.GeoDataFrame:
    """Gap category, share beyond reach, rank, rank stability and reason for each study area."""
    s = settings
    measure = gaps.shortfall(s, coverage=coverage)
    study[SHARE_BEYOND_REACH] = gaps.share_beyond_reach(study)
    study[GAP] = gaps.classify(study, benchmark=benchmark, drought_share=s.drought_share,
                               part_desert_share=s.part_desert_share, standard=measure.standard)
    study["desert"], study["drought"] = study[GAP].eq("desert"), study[GAP].eq("drought")  # one category each
    study["rank"] = gaps.rank_areas(study, by=s.rank_by, min_demand=float(s.min_demand))
    study = study.join(gaps.rank_stability(study, points, providers, benchmark=benchmark, settings=s))
    study["reason"] = gaps.reasons(study, benchmark=benchmark, demand_column=s.demand,
                                   catchment_km=float(s.catchment_km), measure=measure,
                                   drought_share=float(s.drought_share), coverage=coverage)
    return study


def _data_notes(inputs: Inputs, demand_name: str, study: pd.DataFrame, territory: str, *, first=()) -> dict:
    """``Result`` notes (after ``first``), unplaced people and harmonised codes, from the inputs."""
    from .vintages import HARMONISED_COLUMNS

    notes, unplaced, harmonised = list(first), [], []
    for name, loaded in inputs.demand.items():
        notes.extend(loaded.notes)
        if loaded.harmonised is not None and len(loaded.harmonised):
            harmonised.append(loaded.harmonised.assign(input=name))
        if name == demand_name and loaded.unplaced is not None:
            unplaced.append(loaded.unplaced)
    missing = study[DEMAND].isna() if DEMAND in study.columns else pd.Series(dtype=bool)
    if missing.any():
        notes.append(f"{int(missing.sum()):,} area(s) have no {demand_name} figure for the date used (no data, "
                      f"not 0 people; never ranked): " + ", ".join(study.loc[missing, AREA_NAME].astype(str).head(12))
                      + (" ..." if missing.sum() > 12 else ""))
    if territory:
        outside = int((~study[IN_COVERAGE]).sum())
        notes.append(f"The supply data covers {territory}: the benchmark uses the demand inside it only"
                     + (f"; {outside:,} area(s) lie outside it and are not assessed" if outside else ""))
    return {
        "notes": notes,
        "unplaced": pd.concat(unplaced, ignore_index=True) if unplaced else pd.DataFrame(
            columns=["date", "reason", "people"]),
        "harmonised": pd.concat(harmonised, ignore_index=True)[HARMONISED_COLUMNS] if harmonised else pd.DataFrame(
            columns=HARMONISED_COLUMNS),
        "coverage": territory,
    }


def run_profile(profile: Profile | str | Path, *, data_dir=None, overrides: dict | None = None,
                inputs: Inputs | None = None, trend: bool = False) -> Result:
    """Load a profile's inputs and analyse them (the whole main job).

    ``trend``: also load the quarters before the date used into ``Result.trend``
    (:func:`coverage_gaps.trend.with_trend`; Asy_D11 demand only), for the report's
    main points and trend chart.  Off by default: each quarter re-reads the file.
    """
    if not isinstance(profile, Profile):
        profile = load_profile(profile, data_dir=data_dir, overrides=overrides)
    elif overrides:
        profile = profile.with_settings(**overrides)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rejects are reported in the Result, not as warnings
        inputs = inputs or load_inputs(profile)
    result = analyse(
        inputs,
        profile.analysis,
        regions=profile.regions,
        title=profile.title,
        region_name=profile.meta.get("region_name", ""),
        generated=generated_on(profile),
        synthetic=bool(profile.meta.get("synthetic", False)),
        publish=profile.publish,
    )
    if not trend:
        return result
    from .trend import with_trend

    return with_trend(result, profile, inputs)
