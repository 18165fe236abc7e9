"""Inputs: every file a profile names, loaded and validated with the loader its kind registers.

:func:`load_inputs` is the first step of the main job (:mod:`coverage_gaps.pipeline`):
area boundaries first (so every other input is checked against their codes),
then the demand layers (harmonised to the boundaries' vintage), then the
provider files (geocoded and placed in an area).  Which loader reads which
file is the registry's (:mod:`coverage_gaps.inputs`).  The loaders' warnings
are collected as data notes (:mod:`coverage_gaps.notes`).
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import geopandas as gpd
import pandas as pd

from . import inputs as input_kinds
from ._validate import Loaded
from .config import Profile
from .inputs import COMMON_KEYS, KINDS, LoadContext
from .notes import attach_notes, collect_warnings
from .result import Source
from .schema import AREA_CODE, CRS_BNG, POPULATION, REJECT_COLUMNS
from .sources import describe_source

__all__ = ["Inputs", "load_inputs", "generated_on"]


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
    #: Warnings the loaders raised, in words, once each (they reach the Result's data notes).
    notes: list[str] = field(default_factory=list)
    #: The boundary code changes the demand was harmonised with (built-in plus the profile's code lookup), so
    #: another snapshot of the same demand (the trend's quarters) is loaded the same way without re-reading them.
    code_changes: object = None
    #: The demand layer whose figures split a successor's people over its predecessors (``[analysis]
    #: population``); a layer named ``population`` when None.
    weight_name: str | None = None

    def harmonising(self) -> dict:
        """Loader options that load another snapshot of the demand the way this one was loaded.

        ``area_codes`` (the boundaries in use), ``weights`` and
        ``weight_label`` (the population layer, when loaded) and ``changes``
        (the code changes, when the profile added a code lookup).  The
        trend's quarters and :func:`coverage_gaps.scenarios.harmonised_to` both
        use them, so every quarter is harmonised as the date used was.
        """
        options: dict = {"area_codes": set(self.areas.table[AREA_CODE])}
        name = self.weight_name or POPULATION
        weights = _weights(self.demand.get(name), name)
        if weights is not None:
            options.update(weights=weights, weight_label=name)
        if self.code_changes is not None:
            options["changes"] = self.code_changes
        return options

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


def _weights(layer: Loaded | None, name: str) -> pd.Series | None:
    """A population layer's figures by area code, which split a successor's people over its predecessors."""
    if layer is None or name not in layer.table.columns:
        return None
    return layer.table.set_index(AREA_CODE)[name]


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
    """Load and validate every input a profile names, each with the loader its kind registers.

    Warnings the loaders raise (rows rejected, geometries repaired ...) are
    collected into :attr:`Inputs.notes` (and so into the Result's data notes;
    rows rejected as a count, never quoting a row) and raised again once each,
    so a notebook's ``DataNotes`` still shows them.

    Returns
    -------
    Inputs
        Each input's validated table, rejects and counts.
    """
    with collect_warnings() as caught:
        inputs = _load_inputs(profile)
    inputs.notes = list(caught)
    attach_notes(inputs.loaded, inputs.notes)  # e.g. the region lookup's, raised outside its loader
    for message in caught.messages:  # as the loaders raised them (the first reject quoted), for the analyst
        warnings.warn(message, stacklevel=2)
    return inputs


def _load_inputs(profile: Profile) -> Inputs:
    from .io import lookup_against_areas

    spec = profile.inputs
    synthetic = bool(profile.meta.get("synthetic", False))
    overrides = profile.sources
    sources: list[Source] = []

    def note(kind: str, name: str, loaded: Loaded | None, path) -> None:
        sources.append(describe_source(kind, file=Path(path).name, date=getattr(loaded, "date", None),
                                      overrides=overrides.get(name), synthetic=synthetic))

    def load(kind: str, entry: dict, context: LoadContext = LoadContext(), *, skip=("path",)) -> Loaded:
        return input_kinds.load(kind, entry["path"], context, **{k: v for k, v in entry.items() if k not in skip})

    lookup = spec.get("region_lookup")
    lookups: dict[str, Loaded] = {}
    if lookup:
        lookups["region_lookup"] = load("region_lookup", lookup)
    areas = load("areas", {**spec["areas"], **({"region_lookup": lookups["region_lookup"].table} if lookup else {})})
    note("areas", "areas", areas, spec["areas"]["path"])
    codes = set(areas.table[AREA_CODE])
    if lookup:
        lookups["region_lookup"] = lookup_against_areas(lookups["region_lookup"], codes)
        note("region_lookup", "region_lookup", None, lookup["path"])

    subareas = None
    if "subareas" in spec:
        subareas = load("subareas", spec["subareas"], LoadContext(areas=areas.table))
        note("subareas", "subareas", subareas, spec["subareas"]["path"])

    demand, changes = _load_demand(profile, codes, note)

    geocoder = _geocoder(profile)
    providers: dict[str, Loaded] = {}
    coverage: dict[str, str | None] = {}
    context = LoadContext(area_codes=codes, areas=areas.table, geocoder=geocoder)
    common = tuple(COMMON_KEYS["providers"])
    for p in spec.get("providers", []):
        name = p.get("name") or Path(p["path"]).stem
        coverage[name] = p.get("coverage") or KINDS[p["format"]].coverage
        providers[name] = load(p["format"], p, context, skip=common)
        note(p["format"], name, providers[name], p["path"])
    for kind in ("postcodes", "postcode_districts"):
        if kind in spec:
            note(kind, kind, None, spec[kind]["path"])
    lookups.update(geocoder.inputs() if geocoder is not None else {})
    sub_options = {k: spec["subareas"][k] for k in ("parent_column", "weight_column") if k in spec.get("subareas", {})}
    return Inputs(areas=areas, demand=demand, providers=providers, subareas=subareas, sources=sources,
                  subarea_options=sub_options, lookups=lookups, coverage=coverage, code_changes=changes,
                  weight_name=profile.analysis.population or None)


def _load_demand(profile: Profile, codes: set, note) -> tuple[dict[str, Loaded], object]:
    """Every demand layer in profile order, harmonised to the boundaries' vintage, and the code changes used.

    The population layer named in ``[analysis] population`` is loaded first:
    its figures split a successor district's people over its predecessors.
    """
    from . import vintages

    spec = profile.inputs
    lookup = spec.get("code_lookup")
    changes = vintages.code_changes(vintages.read_lookup(lookup["path"])) if lookup else None
    layers = spec.get("demand", [])
    weight_name = profile.analysis.population
    order = sorted(range(len(layers)), key=lambda i: layers[i]["name"] != weight_name)
    loaded: dict[int, Loaded] = {}
    weights = None
    common = tuple(COMMON_KEYS["demand"])
    for i in order:
        d = layers[i]
        context = LoadContext(area_codes=codes, name=d["name"], weights=weights, changes=changes,
                              weight_label=weight_name or "population", today=generated_on(profile))
        one = input_kinds.load(d["format"], d["path"], context, **{k: v for k, v in d.items() if k not in common})
        if d["name"] == weight_name:
            weights = _weights(one, weight_name)
        loaded[i] = one
    demand: dict[str, Loaded] = {}
    for i, d in enumerate(layers):
        demand[d["name"]] = loaded[i]
        note(d["format"], d["name"], loaded[i], d["path"])
    return demand, changes
