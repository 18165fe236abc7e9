"""Loaders: read user files, validate them and return :class:`~coverage_gaps._validate.Loaded`.

Every loader returns the validated table in the project's data contract
(:mod:`coverage_gaps.schema`), a rejects table and row counts that reconcile.
"""

from ..tables import match_column, read_table
from .areas import load_areas
from .candidates import read_candidates
from .demand import load_asy_d11, load_population
from .demand_table import load_demand_table
from .laa import load_laa_offices
from .partners import PARTNER_COLUMNS, load_partners
from .quarters import asy_d11_quarters, load_asy_d11_quarters
from .regions import load_region_lookup, lookup_against_areas, read_region_lookup
from .subareas import reject_orphan_subareas

__all__ = [
    "read_table",
    "match_column",
    "load_areas",
    "load_region_lookup",
    "read_region_lookup",
    "lookup_against_areas",
    "reject_orphan_subareas",
    "load_asy_d11",
    "load_population",
    "asy_d11_quarters",
    "load_asy_d11_quarters",
    "load_demand_table",
    "load_partners",
    "load_laa_offices",
    "PARTNER_COLUMNS",
    "read_candidates",
]
