"""The main job: profile -> inputs -> measures -> gaps -> Result.

``run_profile`` reads like the recipe it is: load and validate every input,
compute the measures over all areas (supply outside the study region counts),
then keep the study region, rank it, explain each rank and find partners to
train.  The CLI, notebooks and scenarios all call these functions.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from . import gaps, measures
from .config import Profile, load_profile
from .errors import InvalidValueError, describe
from .loading import Inputs, generated_on, load_inputs
from .notes import collect_warnings
from .result import Result
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
    SHARE_BEYOND_REACH,
    STATUS,
)

__all__ = ["Inputs", "load_inputs", "place_demand", "analyse", "run_profile", "generated_on"]


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

    notes, unplaced, harmonised = list(first) + list(inputs.notes), [], []
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
        "notes": list(dict.fromkeys(notes)),
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
    if inputs is None:
        with collect_warnings():  # the loaders' warnings are in inputs.notes, and so in the Result's data notes
            inputs = load_inputs(profile)
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
