"""coverage-gaps: find immigration and asylum advice deserts and droughts.

``import coverage_gaps as cg``::

    result = cg.run_profile("data/profiles/west-midlands.toml")
    result.targets.head(10)                 # ranked areas with reasons
    cg.maps.coverage_map(result)            # interactive map (offline)
    cg.report.write_report(result, "report.html")
"""

from __future__ import annotations

import importlib

from .config import Profile, load_profile, parse_overrides
from .errors import CoverageGapsError
from .pipeline import Inputs, analyse, load_inputs, run_profile
from .result import Result, Source

from ._version import __version__
__all__ = [
    "CoverageGapsError",
    "Inputs",
    "Profile",
    "Result",
    "Source",
    "analyse",
    "load_inputs",
    "load_profile",
    "parse_overrides",
    "run_profile",
    "__version__",
]

_SUBMODULES = {
    "io", "geocode", "measures", "gaps", "maps", "report", "export", "scenarios", "demo", "schema", "errors",
    "widgets", "check", "pipeline", "config", "sources", "notebook", "columns",
}


def __getattr__(name: str):
    """Import submodules on first use (``cg.maps``, ``cg.report`` ...)."""
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'coverage_gaps' has no attribute {name!r}")
