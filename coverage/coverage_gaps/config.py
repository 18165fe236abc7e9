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
from ._rules import Setting, _iso_date, _region, table_problems
from .errors import ProfileError
from .settings import (ANALYSIS_RULES, POINT_PRECISIONS, AnalysisSettings, PublishSettings, check_analysis,
                       together_problems)

__all__ = ["Profile", "load_profile", "parse_overrides", "check_analysis", "DEFAULT_ANALYSIS", "AnalysisSettings",
           "PublishSettings"]

_STR, _BOOL = str, bool


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
    },
    "publish": {"point_precision": Setting(_STR, choices=POINT_PRECISIONS)},  # the grid points are published on
    "analysis": ANALYSIS_RULES,  # the rules of each [analysis] setting, beside its type and default
}
#: Keys a [sources.<input>] table may hold (see coverage_gaps.sources.describe_source).
_SOURCE_KEYS = ("name", "date", "licence", "attribution", "url")

#: Defaults for the ``[analysis]`` section, as a dict (the defaults themselves: :class:`AnalysisSettings`).
DEFAULT_ANALYSIS: dict = AnalysisSettings().as_dict()


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


def _check_table(where: str, table: object, problems: list[str]) -> None:
    schema, required = _schema(where)
    problems.extend(table_problems(where, table, schema, required))
    if isinstance(table, dict):
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
    problems.extend(together_problems(settings))
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
