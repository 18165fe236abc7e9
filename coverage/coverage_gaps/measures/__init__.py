"""Coverage measures: pure functions from areas, providers and demand to numbers.

Supply (:mod:`.supply`), distance decay (:mod:`.decay`), neighbour search
(:mod:`.distance`), the (E)2SFCA (:mod:`.fca`), demand points
(:mod:`.apportion`), local counts (:mod:`.local`), capacity units (:mod:`.capacity`), everything per area
(:mod:`.area`) and the benchmark, unmet demand and desert/drought flags
(:mod:`.benchmark`).
"""

from .apportion import POINT_CODE, demand_points, split_exact
from .area import NEAREST_LEVEL_KM, area_measures
from .benchmark import benchmark_access, flags, unmet_demand
from .capacity import CAPACITY_UNITS, capacity_units, organisation_key
from .decay import DECAYS, Decay, gaussian, make_decay, step, step_table
from .distance import coords, nearest_km, pair_blocks, pairs_within
from .fca import fca_access, fca_access_xy, fca_ratio, fca_ratio_xy
from .local import local_measures, provider_areas
from .supply import RULES, is_qualifying, is_signposting

__all__ = [
    "CAPACITY_UNITS",
    "capacity_units",
    "organisation_key",
    "DECAYS",
    "Decay",
    "NEAREST_LEVEL_KM",
    "POINT_CODE",
    "RULES",
    "area_measures",
    "benchmark_access",
    "coords",
    "demand_points",
    "fca_access",
    "fca_access_xy",
    "fca_ratio",
    "fca_ratio_xy",
    "flags",
    "gaussian",
    "is_qualifying",
    "is_signposting",
    "local_measures",
    "make_decay",
    "nearest_km",
    "pair_blocks",
    "pairs_within",
    "provider_areas",
    "split_exact",
    "step",
    "step_table",
    "unmet_demand",
]
