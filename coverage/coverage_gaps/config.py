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
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ProfileError

__all__ = ["Profile", "load_profile", "parse_overrides", "DEFAULT_ANALYSIS"]

_STR, _NUM, _BOOL, _LIST, _TABLE = str, (int, float), bool, list, dict

#: Defaults for the ``[analysis]`` section.
DEFAULT_ANALYSIS: dict = {
    "demand": "asylum_support",  # demand column that drives access and ranking
    "population": "population",  # residents, for rates per 10,000
    "catchment_km": 30.0,
    "decay": "gaussian",  # "step" (plain 2SFCA), "gaussian" (E2SFCA) or "table"
    "decay_table": [],  # [[upper_km, weight], ...] when decay = "table"
    "rule": "asylum",  # which providers count as supply: asylum, immigration, any
    "drought_share": 0.5,  # drought: access below this share of the benchmark
    "benchmark": "all",  # "all" providers' supply per demand, or a number per 1,000
    "people_per_adviser": 0.0,  # a standard such as one adviser per N people (0 = unused)
    "rank_by": "unmet_demand",
    "min_demand": 0.0,
    "candidate_km": 20.0,  # candidate partners to train: inside or within this distance
    "top": 10,
    "trained_capacity": 1.0,  # capacity of one organisation once trained (scenarios)
    "subareas": True,  # use the finer layer for demand points when one is given
    "coverage": "",  # territory the supply data covers ("England and Wales"); "" = from the provider formats
}

_SCHEMA: dict[str, dict[str, object]] = {
    "profile": {
        "title": _STR,
        "description": _STR,
        "synthetic": _BOOL,
        "region": (str, list),
        "region_name": _STR,
        "generated_on": _STR,
        "data_dir": _STR,
        "location_precision": _STR,
    },
    "inputs.areas": {"path": _STR, "code_column": _STR, "name_column": _STR, "layer": _STR},
    "inputs.region_lookup": {
        "path": _STR,
        "area_code_column": _STR,
        "region_code_column": _STR,
        "region_name_column": _STR,
    },
    "inputs.subareas": {
        "path": _STR,
        "code_column": _STR,
        "name_column": _STR,
        "parent_column": _STR,
        "weight_column": _STR,
        "layer": _STR,
    },
    "inputs.postcodes": {"path": _STR},
    "inputs.code_lookup": {"path": _STR},  # an ONS LADyy-to-LADzz lookup, added to the built-in code changes
    "inputs.postcode_districts": {"path": _STR},
    "inputs.geocoder": {"online": _BOOL, "base_url": _STR, "cache_dir": _STR},
    "inputs.demand": {
        "name": _STR,
        "format": _STR,
        "path": _STR,
        "date": _STR,
        "support_types": _LIST,
        "accommodation_types": _LIST,
        "geography_type": _STR,
        "age": _STR,
        "code_column": _STR,
        "columns": _LIST,
        "sheet": _STR,
        "max_people": _NUM,  # rows above this many people are rejected as implausible
    },
    "inputs.providers": {
        "name": _STR,
        "format": _STR,
        "path": _STR,
        "sheet": _STR,
        "columns": _TABLE,
        "categories": _LIST,
        "coverage": _STR,  # territory the file covers, e.g. "England" (partner lists)
    },
    "analysis": {
        "demand": _STR,
        "population": _STR,
        "catchment_km": _NUM,
        "decay": _STR,
        "decay_table": _LIST,
        "rule": _STR,
        "drought_share": _NUM,
        "benchmark": (str, int, float),
        "people_per_adviser": _NUM,
        "rank_by": _STR,
        "min_demand": _NUM,
        "candidate_km": _NUM,
        "top": int,
        "trained_capacity": _NUM,
        "subareas": _BOOL,
        "coverage": _STR,
    },
    "sources": {},  # free-form: [sources.<name>] licence/attribution/url overrides
}
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
_CHOICES = {
    ("inputs.demand", "format"): ("asy_d11", "nomis", "table"),
    ("inputs.providers", "format"): ("partners", "laa_directory"),
    ("analysis", "decay"): ("step", "gaussian", "table"),
    ("analysis", "rule"): ("asylum", "immigration", "any"),
    ("profile", "location_precision"): ("exact", "district", "area"),
}
_LIST_SECTIONS = ("inputs.demand", "inputs.providers")


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


def _type_name(expected) -> str:
    names = {str: "text", bool: "true/false", int: "a whole number", float: "a number", list: "a list", dict: "a table"}
    if isinstance(expected, tuple):
        return " or ".join(dict.fromkeys(names[t] for t in expected))
    return names[expected]


def _check_table(where: str, table: object, problems: list[str]) -> None:
    if not isinstance(table, dict):
        problems.append(f"[{where}] should be a table of settings, got {type(table).__name__}")
        return
    schema = _SCHEMA[where]
    if not schema:
        return
    for key, value in table.items():
        if key not in schema:
            close = difflib.get_close_matches(key, list(schema), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(schema)}"
            problems.append(f"[{where}] unknown key {key!r}{hint}")
            continue
        expected = schema[key]
        ok = isinstance(value, expected) and (expected is bool or not isinstance(value, bool))  # true is not 1
        if not ok:
            problems.append(f"[{where}] {key} = {value!r}: expected {_type_name(expected)}")
            continue
        choices = _CHOICES.get((where, key))
        if choices and value not in choices:
            problems.append(f"[{where}] {key} = {value!r}: expected one of {', '.join(choices)}")
    for key in _REQUIRED.get(where, ()):
        if key not in table:
            problems.append(f"[{where}] is missing the required key {key!r}")


def _resolve(where: str, table: dict, base: Path, problems: list[str]) -> None:
    if "path" in table and isinstance(table["path"], str):
        path = Path(table["path"]).expanduser()
        path = path if path.is_absolute() else (base / path)
        if not path.exists():
            problems.append(f"[{where}] path {table['path']!r}: file not found at {path.resolve()} (check the name, or pass --data-dir)")
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
        raise ProfileError(path, [f"profile file not found: {path.resolve()}"])
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
