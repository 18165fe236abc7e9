"""The data contracts: one place defines every column name.

Areas, Providers, Demand, Rejects and the Result table use these names; loaders
produce them and everything downstream reads them.  See ``DESIGN.md``.
"""

from __future__ import annotations

#: British National Grid, for every distance and area.
CRS_BNG = "EPSG:27700"
#: WGS84 longitude/latitude, for display.
CRS_WGS84 = "EPSG:4326"

#: Territories a provider file can cover or a benchmark can average over, by name, as the first letters of their
#: ONS area codes (``E06000021`` is in England).
TERRITORIES = {
    "United Kingdom": "ENSW",
    "Great Britain": "ESW",
    "England and Wales": "EW",
    "England": "E",
    "Wales": "W",
    "Scotland": "S",
    "Northern Ireland": "N",
}

# --- Areas -----------------------------------------------------------------
AREA_CODE = "area_code"
AREA_NAME = "area_name"
REGION_CODE = "region_code"
REGION_NAME = "region_name"
AREA_COLUMNS = [AREA_CODE, AREA_NAME, "geometry"]

# --- Providers -------------------------------------------------------------
PROVIDER_ID = "provider_id"
PROVIDER_NAME = "name"
OISC_LEVEL = "oisc_level"  # 0 none, 1, 2, 3
CATEGORIES = "categories"  # ";"-joined subset of CATEGORY_VALUES
LAA_CONTRACT = "laa_contract"  # bool
REGULATED = "regulated"  # bool: SRA / CILEx / Bar regulated lawyers
CAPACITY = "capacity"  # advisers, FTE or matter starts; default 1 per office
#: True where the provider file had a capacity column (issue 13): only providers without one take the
#: profile's capacity_unit (one unit per office, or per organisation per area).  Missing means False.
CAPACITY_GIVEN = "capacity_given"
STATUS = "status"  # partner, prospective, trained (or "" when not a partner)
SOURCE = "source"
POSTCODE = "postcode"
LOCATION_PRECISION = "location_precision"  # "exact", "postcode", "district"
IAAS_GRADE = "iaas_grade"  # Law Society IAAS accreditation: a separate scale
PROVIDER_COLUMNS = [
    PROVIDER_ID,
    PROVIDER_NAME,
    OISC_LEVEL,
    CATEGORIES,
    LAA_CONTRACT,
    REGULATED,
    CAPACITY,
    STATUS,
    SOURCE,
    POSTCODE,
    LOCATION_PRECISION,
    "geometry",
]
CATEGORY_IMMIGRATION = "immigration"
CATEGORY_ASYLUM = "asylum"
CATEGORY_VALUES = (CATEGORY_IMMIGRATION, CATEGORY_ASYLUM)
STATUS_VALUES = ("partner", "prospective", "trained", "")
OISC_LEVELS = (0, 1, 2, 3)

#: Provider fields that may be published (maps, reports, exports).  Anything
#: else a user brings (emails, phone numbers, notes) is carried but never shown.
PUBLIC_PROVIDER_FIELDS = (
    PROVIDER_ID,
    PROVIDER_NAME,
    "provider_type",
    OISC_LEVEL,
    CATEGORIES,
    LAA_CONTRACT,
    STATUS,
    AREA_CODE,
    AREA_NAME,
    LOCATION_PRECISION,
)

# --- Demand ----------------------------------------------------------------
# Demand tables: AREA_CODE plus one numeric column per demand layer; the date
# of each figure travels in the Loaded.date / Result.sources metadata.
POPULATION = "population"
ASYLUM_SUPPORT = "asylum_support"

# --- Rejects ---------------------------------------------------------------
#: ``people``: for a demand row that could not be used, the people it counts (issue 12: a row
#: count is never the only trace of people); empty for other inputs.
REJECT_COLUMNS = ["file", "row", "column", "value", "reason", "people"]

# --- Result (one row per area) ---------------------------------------------
DEMAND = "demand"
LOCAL_PROVIDERS = "local_providers"
LOCAL_CAPACITY = "local_capacity"
LEVEL1_PROVIDERS = "level1_providers"
PER_10K = "capacity_per_10k_residents"
PER_1K_DEMAND = "capacity_per_1k_demand"
NEAREST_KM = "nearest_km"
ACCESS = "access"  # E2SFCA capacity per 1,000 people in demand
COVERAGE_SHARE = "coverage_share"
UNMET_DEMAND = "unmet_demand"
DESERT = "desert"
DROUGHT = "drought"
RANK = "rank"
REASON = "reason"

# --- Contract columns added in round 2 (one name each; see the issues) -------
#: One gap category per area (issue 13); values are GAP_CATEGORIES, in this order of severity.
GAP = "gap"
GAP_CATEGORIES = (
    "desert",            # nobody in the area is within reach of a qualifying provider
    "part desert",       # at least part_desert_share of the area's need is beyond reach
    "drought",           # in reach, but access below drought_share of the benchmark
    "below average",     # below the benchmark when it is the average across the coverage (relative)
    "below standard",    # below the benchmark when it is a stated standard (absolute)
    "at or above",       # access at or above the benchmark
    "no recorded need",  # 0 people in need: never a desert or drought
    "no data",           # the demand figure is missing for the date used: never ranked as 0
    "outside coverage",  # outside the territory the supply data covers: not a desert
)
#: Share (0-1) of an area's need at points beyond the catchment of every qualifying provider.
SHARE_BEYOND_REACH = "share_beyond_reach"
#: True where the area lies inside the territory the supply data covers (issue 12).
IN_COVERAGE = "in_coverage"
#: Rank stability over a grid of settings (issue 13).
RANK_MIN = "rank_min"
RANK_MAX = "rank_max"
TOP_IN = "top10_in"
#: The target list's columns, in order (exports rename unmet_demand to the measure's name:
#: people_below_average or people_below_standard, see coverage_gaps.gaps.shortfall).
TARGET_COLUMNS = [
    RANK,
    AREA_CODE,
    AREA_NAME,
    GAP,
    DEMAND,
    LOCAL_PROVIDERS,
    NEAREST_KM,
    SHARE_BEYOND_REACH,
    ACCESS,
    UNMET_DEMAND,
    RANK_MIN,
    RANK_MAX,
    TOP_IN,
    DESERT,
    DROUGHT,
    REASON,
]
