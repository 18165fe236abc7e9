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

from . import inputs as input_kinds
from ._settings import Setting, _benchmark, _catchments, _decay_table, _grid_decays, _iso_date, _region
from ._settings import problem as _value_problem
from .errors import ProfileError

__all__ = ["Profile", "load_profile", "parse_overrides", "DEFAULT_ANALYSIS"]

_STR, _NUM, _BOOL, _LIST, _TABLE = str, (int, float), bool, list, dict


#: Territories the supply data can cover; "" = from the provider formats (coverage_gaps.inputs).
_TERRITORIES = ("",) + input_kinds.TERRITORIES
_KM = 1_000.0  # no catchment or search distance beyond 1,000 km means anything in Great Britain

#: Every setting of a profile, by section: the one place settings are typed, ranged and defaulted.
#: The [inputs.*] sections and their keys come from the registry of input kinds (coverage_gaps.inputs).
_SCHEMA: dict[str, dict[str, Setting]] = {
    "profile": {
        "title": Setting(_STR),
        "description": Setting(_STR),
        "synthetic": Setting(_BOOL),
        "region": Setting((str, list), check=_region),
        "region_name": Setting(_STR),
        "generated_on": Setting(_STR, check=_iso_date),
        "data_dir": Setting(_STR),
        "location_precision": Setting(_STR, choices=("exact", "district", "area")),
    },
    "analysis": {
        "demand": Setting(_STR, "asylum_support"),  # demand column that drives access and ranking
        "population": Setting(_STR, "population"),  # residents, for rates per 10,000
        "catchment_km": Setting(_NUM, 30.0, low=0, low_open=True, high=_KM),
        "decay": Setting(_STR, "gaussian", choices=("step", "gaussian", "table")),  # step = plain 2SFCA
        "decay_table": Setting(_LIST, [], check=_decay_table),  # [[upper_km, weight], ...] when decay = "table"
        "rule": Setting(_STR, "asylum", choices=("asylum", "immigration", "any")),  # which providers are supply
        "drought_share": Setting(_NUM, 0.5, low=0, low_open=True, high=1),  # drought: access below this share
        "benchmark": Setting((str, int, float), "all", check=_benchmark),  # "all", or a number per 1,000
        "people_per_adviser": Setting(_NUM, 0.0, low=0),  # a standard: one adviser per N people (0 = unused)
        "rank_by": Setting(_STR, "unmet_demand", choices=("unmet_demand", "demand", "nearest_km", "demand_per_10k",
                                                          "access", "coverage_share", "capacity_per_1k_demand")),
        "min_demand": Setting(_NUM, 0.0, low=0),
        "candidate_km": Setting(_NUM, 20.0, low=0, high=_KM),  # candidates to train: inside or within this
        "top": Setting(int, 10, low=1),
        "trained_capacity": Setting(_NUM, 1.0, low=0, high=10_000),  # one organisation once trained (scenarios)
        "subareas": Setting(_BOOL, True),  # use the finer layer for demand points when one is given
        # issue 13: gap categories, capacity units, headline figures, rank stability, the report's table
        "part_desert_share": Setting(_NUM, 0.5, low=0, low_open=True, high=1),  # part desert: need beyond reach
        "capacity_unit": Setting(_STR, "office", choices=("office", "organisation")),  # without a capacity column
        "headline_min_demand": Setting(_NUM, 100.0, low=0),  # headline: areas with more need and no local provider
        "stability_catchment_km": Setting(_LIST, [20.0, 30.0, 45.0], check=_catchments),  # rank stability grid
        "stability_decay": Setting(_LIST, ["step", "gaussian"], check=_grid_decays),  # ([] = no stability columns)
        "report_top": Setting(int, 200, low=1),  # the report's table lists this many areas; CSV/XLSX every one
        # territory the supply data covers; "" = from the provider files (the LAA directory: England and Wales)
        "coverage": Setting(_STR, "", choices=_TERRITORIES),
    },
}
#: Keys a [sources.<input>] table may hold (see coverage_gaps.sources.describe_source).
_SOURCE_KEYS = ("name", "date", "licence", "attribution", "url")

#: Defaults for the ``[analysis]`` section.
DEFAULT_ANALYSIS: dict = {k: copy.copy(v.default) for k, v in _SCHEMA["analysis"].items()}


@dataclass
class Profile:
    """A validated profile: inputs with resolved paths, and analysis settings."""

    path: Path | None
    meta: dict
    inputs: dict
    analysis: dict
    sources: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.meta.get("title", "Immigration and asylum advice coverage")

    def with_settings(self, **settings) -> "Profile":
        """A copy with some ``[analysis]`` settings replaced (checked like ``--set``)."""
        problems: list[str] = []
        _check_table("analysis", settings, problems)
        if problems:
            raise ProfileError(self.path, problems)
        return Profile(path=self.path, meta=dict(self.meta), inputs=self.inputs,
                       analysis={**self.analysis, **settings}, sources=self.sources)

    @property
    def regions(self) -> list[str]:
        region = self.meta.get("region", [])
        return [region] if isinstance(region, str) and region else list(region)


def _check_table(where: str, table: object, problems: list[str]) -> None:
    if not isinstance(table, dict):
        problems.append(f"[{where}] should be a table of settings, got {type(table).__name__}")
        return
    schema, required = _schema(where)
    for key, value in table.items():
        if key not in schema:
            close = difflib.get_close_matches(key, list(schema), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(schema)}"
            problems.append(f"[{where}] unknown key {key!r}{hint}")
            continue
        problem = _value_problem(schema[key], value)
        if problem:
            problems.append(f"[{where}] {key} = {value!r}: {problem}")
    for key in required:
        if key not in table:
            problems.append(f"[{where}] is missing the required key {key!r}")
    problems.extend(f"[{where}] {p}" for p in input_kinds.kind_problem(where.removeprefix("inputs."), table))


def _schema(where: str) -> tuple[dict[str, Setting], tuple[str, ...]]:
    """The keys a section takes and those it requires ([inputs.*]: from the registry of input kinds)."""
    if where.startswith("inputs."):
        return input_kinds.section_keys(where.removeprefix("inputs.")) or ({}, ())
    return _SCHEMA[where], ()


def _check_sources(sources: dict, inputs: dict, problems: list[str]) -> None:
    """Each [sources.<name>] must name an input of the profile and hold known keys only."""
    names = [n for n in inputs if n not in input_kinds.LIST_SECTIONS]
    for section in input_kinds.LIST_SECTIONS:
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


def _validate(raw: dict, base: Path, problems: list[str]) -> tuple[dict, dict, dict, dict]:
    known_top = {"profile", "inputs", "analysis", "sources"}
    for key in raw:
        if key not in known_top:
            problems.append(f"unknown section [{key}]; known sections: {', '.join(sorted(known_top))}")
    meta = raw.get("profile", {})
    _check_table("profile", meta, problems)
    inputs = raw.get("inputs", {})
    if not isinstance(inputs, dict):
        problems.append("[inputs] should hold [inputs.<name>] tables")
        inputs = {}
    if "areas" not in inputs:
        problems.append("[inputs.areas] is missing: every profile needs area boundaries")
    for name, value in inputs.items():
        where = f"inputs.{name}"
        if input_kinds.section_keys(name) is None:
            close = difflib.get_close_matches(where, [f"inputs.{k}" for k in input_kinds.sections()], n=1)
            problems.append(f"unknown input [{where}]" + (f"; did you mean [{close[0]}]?" if close else ""))
            continue
        if name in input_kinds.LIST_SECTIONS:
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
    return meta, inputs, analysis, sources


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
    meta, inputs, analysis, sources = _validate(raw, base, problems)
    settings = dict(DEFAULT_ANALYSIS)
    settings.update(analysis if isinstance(analysis, dict) else {})
    if overrides:
        wrong = []
        _check_table("analysis", overrides, wrong)
        problems.extend(f"--set {p.removeprefix('[analysis] ')}" for p in wrong)
        settings.update(overrides)
    if settings.get("decay") == "table" and not settings.get("decay_table"):
        problems.append("[analysis] decay = 'table' needs decay_table = [[upper_km, weight], ...]")
    if problems:
        raise ProfileError(path, problems)
    return Profile(path=path, meta=meta, inputs=inputs, analysis=settings, sources=sources)


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
