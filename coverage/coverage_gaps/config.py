"""Analysis profiles: one TOML file names every input and every setting.

A profile makes a run reproducible.  Paths are relative to ``--data-dir`` when
given, else to the profile's own ``[profile] data_dir``, else to the profile's
folder.  Unknown keys, missing files and wrong types are gathered into one
:class:`~coverage_gaps.errors.ProfileError` that lists every problem.

See ``data/profiles/README.md`` for the format, and ``demo.toml`` for an example.
"""

from __future__ import annotations

import copy
import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ._rules import (Setting, _benchmark, _catchments, _columns, _decay_table, _grid_decays, _iso_date, _region,
                        _texts)
from ._rules import problem as _value_problem
from .errors import ProfileError
from .settings import POINT_PRECISIONS, AnalysisSettings, PublishSettings

__all__ = ["Profile", "load_profile", "parse_overrides", "check_analysis", "DEFAULT_ANALYSIS", "AnalysisSettings",
           "PublishSettings"]

_STR, _NUM, _BOOL, _LIST, _TABLE = str, (int, float), bool, list, dict


#: Territories a provider file can cover (measures.benchmark.TERRITORIES); "" = from the provider formats.
_TERRITORIES = ("", "United Kingdom", "Great Britain", "England and Wales", "England", "Wales", "Scotland", "Northern Ireland")
_KM = 1_000.0  # no catchment or search distance beyond 1,000 km means anything in Great Britain

#: Every setting of a profile, by section: the one place settings are typed, ranged and defaulted.
_SCHEMA: dict[str, dict[str, Setting]] = {
    "profile": {
        "title": Setting(_STR),
        "description": Setting(_STR),
        "synthetic": Setting(_BOOL),
        "region": Setting((str, list), check=_region),
        "region_name": Setting(_STR),
        "generated_on": Setting(_STR, check=_iso_date),
        "data_dir": Setting(_STR),
    },
    "publish": {"point_precision": Setting(_STR, choices=POINT_PRECISIONS)},  # the grid points are published on
    "inputs.areas": {"path": Setting(_STR), "code_column": Setting(_STR), "name_column": Setting(_STR),
                     "layer": Setting(_STR)},
    "inputs.region_lookup": {"path": Setting(_STR), "area_code_column": Setting(_STR),
                             "region_code_column": Setting(_STR), "region_name_column": Setting(_STR)},
    "inputs.subareas": {"path": Setting(_STR), "code_column": Setting(_STR), "name_column": Setting(_STR),
                        "parent_column": Setting(_STR), "weight_column": Setting(_STR), "layer": Setting(_STR)},
    "inputs.postcodes": {"path": Setting(_STR)},
    "inputs.code_lookup": {"path": Setting(_STR)},  # an ONS LADyy-to-LADzz lookup, added to the built-in code changes
    "inputs.postcode_districts": {"path": Setting(_STR)},
    "inputs.geocoder": {"online": Setting(_BOOL), "base_url": Setting(_STR), "cache_dir": Setting(_STR)},
    "inputs.demand": {
        "name": Setting(_STR),
        "format": Setting(_STR, choices=("asy_d11", "nomis", "table")),
        "path": Setting(_STR),
        "date": Setting(_STR),
        "support_types": Setting(_LIST, check=_texts),
        "accommodation_types": Setting(_LIST, check=_texts),
        "geography_type": Setting(_STR),
        "age": Setting(_STR),
        "code_column": Setting(_STR),
        "columns": Setting(_LIST, check=_texts),
        "sheet": Setting(_STR),
        "max_people": Setting(_NUM, low=0, low_open=True),  # rows above this many people are implausible: rejects
    },
    "inputs.providers": {
        "name": Setting(_STR),
        "format": Setting(_STR, choices=("partners", "laa_directory")),
        "path": Setting(_STR),
        "sheet": Setting(_STR),
        "columns": Setting(_TABLE, check=_columns),
        "categories": Setting(_LIST, check=_texts),
        "decimal": Setting(_STR, choices=(".", ",")),  # the file's decimal mark: "1,5" is 1.5 only with ","
        "max_capacity": Setting(_NUM, low=0, low_open=True),  # capacities above it per office are rejects
        # laa_directory only: "supply" (contract holders, the default) or "candidates" (trainable, for plan)
        "role": Setting(_STR, choices=("supply", "candidates")),
        "coverage": Setting(_STR, choices=_TERRITORIES[1:]),  # territory the file covers (partner lists)
    },
    # the rules of each [analysis] setting; its type and default: coverage_gaps.settings.AnalysisSettings
    "analysis": {
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
    },
}
#: Keys a [sources.<input>] table may hold (see coverage_gaps.sources.describe_source).
_SOURCE_KEYS = ("name", "date", "licence", "attribution", "url")

if list(_SCHEMA["analysis"]) != AnalysisSettings.profile_keys():  # a setting added to one and not the other
    raise RuntimeError("config._SCHEMA['analysis'] and settings.AnalysisSettings name different settings: "
                       f"{sorted(set(_SCHEMA['analysis']) ^ set(AnalysisSettings.profile_keys()))}")
#: Defaults for the ``[analysis]`` section, as a dict (the defaults themselves: :class:`AnalysisSettings`).
DEFAULT_ANALYSIS: dict = AnalysisSettings().as_dict()
_REQUIRED = {
    "inputs.areas": ("path",),
    "inputs.region_lookup": ("path",),
    "inputs.subareas": ("path",),
    "inputs.postcodes": ("path",),
    "inputs.code_lookup": ("path",),
    "inputs.postcode_districts": ("path",),
    "inputs.demand": ("name", "format", "path"),
    "inputs.providers": ("format", "path"),
}
_LIST_SECTIONS = ("inputs.demand", "inputs.providers")


@dataclass
class Profile:
    """A validated profile: inputs with resolved paths, and typed analysis and publishing settings."""

    path: Path | None
    meta: dict
    inputs: dict
    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)
    sources: dict = field(default_factory=dict)
    publish: PublishSettings = field(default_factory=PublishSettings)

    @property
    def title(self) -> str:
        return self.meta.get("title", "Immigration and asylum advice coverage")

    def with_settings(self, **settings) -> "Profile":
        """A copy with some ``[analysis]`` settings replaced (checked like ``--set``)."""
        check_analysis(settings, where=self.path)
        return Profile(path=self.path, meta=dict(self.meta), inputs=self.inputs,
                       analysis=self.analysis.replace(**settings), sources=self.sources, publish=self.publish)

    @property
    def regions(self) -> list[str]:
        region = self.meta.get("region", [])
        return [region] if isinstance(region, str) and region else list(region)


def check_analysis(settings: dict, *, where="settings") -> None:
    """Check ``[analysis]`` settings (some or all) against their rules; one ProfileError lists every problem.

    ``where`` names the source in the message (a profile path, ``--set`` or ``settings``).
    """
    problems: list[str] = []
    internal = set(AnalysisSettings.__dataclass_fields__) - set(AnalysisSettings.profile_keys())
    _check_table("analysis", {k: v for k, v in settings.items() if k not in internal}, problems)
    problems.extend(_together_problems(settings))
    if problems:
        raise ProfileError(where, problems)


def _together_problems(settings: dict) -> list[str]:
    """What is wrong with settings taken together (each alone may be right)."""
    if settings.get("decay") == "table" and not settings.get("decay_table"):
        return ["[analysis] decay = 'table' needs decay_table = [[upper_km, weight], ...]"]
    return []


def _check_table(where: str, table: object, problems: list[str]) -> None:
    if not isinstance(table, dict):
        problems.append(f"[{where}] should be a table of settings, got {type(table).__name__}")
        return
    schema = _SCHEMA[where]
    for key, value in table.items():
        if key not in schema:
            close = difflib.get_close_matches(key, list(schema), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(schema)}"
            problems.append(f"[{where}] unknown key {key!r}{hint}")
            continue
        problem = _value_problem(schema[key], value)
        if problem:
            problems.append(f"[{where}] {key} = {value!r}: {problem}")
    for key in _REQUIRED.get(where, ()):
        if key not in table:
            problems.append(f"[{where}] is missing the required key {key!r}")


def _check_sources(sources: dict, inputs: dict, problems: list[str]) -> None:
    """Each [sources.<name>] must name an input of the profile and hold known keys only."""
    names = [n for n in inputs if n not in _LIST_SECTIONS_SHORT]
    for section in _LIST_SECTIONS_SHORT:
        for item in inputs.get(section, []) if isinstance(inputs.get(section), list) else []:
            if isinstance(item, dict):
                path = item.get("path")
                names.append(item.get("name") or (Path(path).stem if isinstance(path, (str, Path)) else ""))
    for name, table in sources.items():
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1)
            hint = f"; did you mean [sources.{close[0]}]?" if close else f"; the inputs are: {', '.join(names)}"
            problems.append(f"[sources.{name}] names no input of this profile{hint}")
            continue
        if not isinstance(table, dict):
            problems.append(f"[sources.{name}] should be a table (date, licence, attribution, url, name)")
            continue
        for key, value in table.items():
            if key not in _SOURCE_KEYS:
                close = difflib.get_close_matches(key, _SOURCE_KEYS, n=1)
                problems.append(f"[sources.{name}] unknown key {key!r}"
                                + (f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(_SOURCE_KEYS)}"))
            elif not isinstance(value, (str, int)) or isinstance(value, bool):
                problems.append(f"[sources.{name}] {key} = {value!r}: expected text")


_LIST_SECTIONS_SHORT = tuple(s.removeprefix("inputs.") for s in _LIST_SECTIONS)


def _resolve(where: str, table: dict, base: Path, problems: list[str]) -> None:
    if "path" in table and isinstance(table["path"], str):
        path = Path(table["path"]).expanduser()
        path = path if path.is_absolute() else (base / path)
        if path.is_symlink() and not path.exists():
            problems.append(f"[{where}] path {table['path']!r}: {os.path.abspath(path)} is a symbolic link that "
                            "leads nowhere (a loop of links, or a missing target); point it at the file itself")
        elif not path.exists():
            problems.append(f"[{where}] path {table['path']!r}: file not found at {os.path.abspath(path)} "
                            "(check the name, or pass --data-dir)")
        table["path"] = path


def _validate(raw: dict, base: Path, problems: list[str]) -> tuple[dict, dict, dict, dict, dict]:
    known_top = {"profile", "inputs", "analysis", "sources", "publish"}
    for key in raw:
        if key not in known_top:
            problems.append(f"unknown section [{key}]; known sections: {', '.join(sorted(known_top))}")
    meta = raw.get("profile", {})
    if isinstance(meta, dict) and "location_precision" in meta:  # renamed: it is not a provider's geocoding precision
        problems.append(f"[profile] location_precision = {meta.pop('location_precision')!r} has moved: write it as "
                        "[publish] point_precision (the grid provider points are published on)")
    _check_table("profile", meta, problems)
    publish = raw.get("publish", {})
    _check_table("publish", publish, problems)
    inputs = raw.get("inputs", {})
    if not isinstance(inputs, dict):
        problems.append("[inputs] should hold [inputs.<name>] tables")
        inputs = {}
    if "areas" not in inputs:
        problems.append("[inputs.areas] is missing: every profile needs area boundaries")
    for name, value in inputs.items():
        where = f"inputs.{name}"
        if where not in _SCHEMA:
            close = difflib.get_close_matches(where, [k for k in _SCHEMA if k.startswith("inputs.")], n=1)
            problems.append(f"unknown input [{where}]" + (f"; did you mean [{close[0]}]?" if close else ""))
            continue
        if where in _LIST_SECTIONS:
            if not isinstance(value, list):
                problems.append(f"[{where}] should be an array of tables: write [[{where}]]")
                continue
            for i, item in enumerate(value, start=1):
                _check_table(where, item, problems)
                if isinstance(item, dict):
                    _resolve(f"{where} #{i}", item, base, problems)
        else:
            _check_table(where, value, problems)
            if isinstance(value, dict):
                _resolve(where, value, base, problems)
    analysis = raw.get("analysis", {})
    _check_table("analysis", analysis, problems)
    sources = raw.get("sources", {})
    if not isinstance(sources, dict):
        problems.append("[sources] should be a table of [sources.<name>] tables")
    else:
        _check_sources(sources, inputs, problems)
    return meta, inputs, analysis, sources, publish


def load_profile(path: str | Path, *, data_dir: str | Path | None = None, overrides: dict | None = None) -> Profile:
    """Read and validate a profile.

    Parameters
    ----------
    path
        The TOML profile.
    data_dir
        Folder that input paths are relative to (overrides ``[profile] data_dir``).
    overrides
        Analysis settings that replace the profile's (``--set key=value``).

    Raises
    ------
    ProfileError
        Listing every unknown key, wrong type and missing file at once.
    """
    path = Path(path)
    if not path.is_file():
        raise ProfileError(path, [f"profile file not found: {os.path.abspath(path)}"])
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # Notepad may add a byte-order mark
    except UnicodeDecodeError:
        raise ProfileError(path, ["not UTF-8 text: save the profile as UTF-8 (TOML files must be UTF-8)"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(path, [f"not valid TOML: {exc}"]) from None
    problems: list[str] = []
    meta_dir = raw.get("profile", {}).get("data_dir") if isinstance(raw.get("profile"), dict) else None
    if data_dir is not None:
        base = Path(data_dir)
        if not base.is_dir():
            problems.append(f"--data-dir {data_dir}: folder not found")
    elif isinstance(meta_dir, str):
        base = (path.parent / meta_dir).resolve()
    else:
        base = path.parent
    raw = copy.deepcopy(raw)
    meta, inputs, analysis, sources, publish = _validate(raw, base, problems)
    settings = dict(analysis if isinstance(analysis, dict) else {})
    if overrides:
        wrong = []
        _check_table("analysis", overrides, wrong)
        problems.extend(f"--set {p.removeprefix('[analysis] ')}" for p in wrong)
        settings.update(overrides)
    problems.extend(_together_problems(settings))
    if problems:
        raise ProfileError(path, problems)
    return Profile(path=path, meta=meta, inputs=inputs, analysis=AnalysisSettings(**settings), sources=sources,
                   publish=PublishSettings(**publish))


def parse_overrides(items: list[str] | None) -> dict:
    """Turn ``["catchment_km=20", "decay=step"]`` into typed settings.

    Values are read as TOML (numbers, true/false, lists); anything else is text.
    A leading ``analysis.`` is allowed.
    """
    result: dict = {}
    for item in items or []:
        if "=" not in item:
            raise ProfileError("--set", [f"--set {item!r}: expected key=value, for example --set catchment_km=20"])
        key, value = item.split("=", 1)
        key = key.strip().removeprefix("analysis.")
        try:
            result[key] = tomllib.loads(f"v = {value}")["v"]
        except tomllib.TOMLDecodeError:
            result[key] = value
    return result
