"""coverage-gaps: find immigration and asylum advice deserts and droughts.

``import coverage_gaps as cg``::

    result = cg.run_profile("data/profiles/west-midlands.toml")
    result.targets.head(10)                 # ranked areas with reasons
    cg.maps.coverage_map(result)            # interactive map (offline)
    cg.report.write_report(result, "report.html")

The face is lazy: importing the package loads nothing heavy (no pandas,
geopandas or folium); each name below and each submodule is imported on first
use, so ``coverage-gaps --help`` starts at once.
"""

from __future__ import annotations

import importlib

from ._version import __version__

#: Public names and the submodule each comes from.
_NAMES = {
    "CoverageGapsError": "errors",
    "Inputs": "pipeline",
    "Profile": "config",
    "Result": "result",
    "Source": "result",
    "analyse": "pipeline",
    "load_inputs": "pipeline",
    "load_profile": "config",
    "parse_overrides": "config",
    "run_profile": "pipeline",
}

__all__ = sorted(_NAMES) + ["__version__"]

_SUBMODULES = {
    "io", "geocode", "measures", "gaps", "maps", "report", "export", "scenarios", "demo", "schema", "errors",
    "widgets", "check", "pipeline", "config", "sources", "notebook", "columns", "result",
}


def __getattr__(name: str):
    """Import public names and submodules on first use (``cg.run_profile``, ``cg.maps`` ...)."""
    if name in _NAMES:
        value = getattr(importlib.import_module(f".{_NAMES[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'coverage_gaps' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_NAMES) | _SUBMODULES)
