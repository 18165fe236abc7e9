"""The built-in input kinds (see :mod:`coverage_gaps.inputs`): one entry each, in the order check tries them.

Each loader adapter takes ``(path, context, **options)``: ``options`` are the
profile keys of the kind (``sheet``, ``columns`` ...), ``context`` what the other
inputs tell (:class:`~coverage_gaps.inputs.LoadContext`).  Loaders are imported
when first called.
"""

from __future__ import annotations

from ._settings import Setting, _columns, _texts
from .inputs import InputKind, LoadContext, _given, register

_STR, _NUM, _BOOL, _LIST, _TABLE = str, (int, float), bool, list, dict

OGL = "Open Government Licence v3.0"
ONS_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data (c) Crown copyright and database right."
)
_ONS_PORTAL = "https://geoportal.statistics.gov.uk/"
_PARTNER_HINTS = {"name", "organisation", "organisationname", "provider", "providername"}
_LOCATION_HINTS = {"postcode", "latitude", "lat", "longitude", "lon", "easting", "northing"}


# --- loader adapters ---------------------------------------------------------


def _areas(path, context: LoadContext, **options):
    from .io import load_areas

    return load_areas(path, **options)


def _subareas(path, context: LoadContext, *, parent_column=None, weight_column=None, **options):
    from .io import load_areas, reject_orphan_subareas

    loaded = load_areas(path, **options)  # weight_column is read when demand is spread (pipeline.place_demand)
    return reject_orphan_subareas(loaded, context.areas, parent_column=parent_column)


def _region_lookup(path, context: LoadContext, **options):
    from .io import read_region_lookup

    return read_region_lookup(path, area_codes=context.area_codes, **options)


def _asy_d11(path, context: LoadContext, **options):
    from .io import load_asy_d11

    return load_asy_d11(path, area_codes=context.area_codes, **_given(
        column=context.name, weights=context.weights, changes=context.changes, weight_label=context.weight_label,
        today=context.today), **options)


def _nomis(path, context: LoadContext, **options):
    from .io import load_population

    return load_population(path, area_codes=context.area_codes, **_given(column=context.name), **options)


def _table(path, context: LoadContext, **options):
    from .io import load_demand_table

    return load_demand_table(path, area_codes=context.area_codes, **options)


def _laa_directory(path, context: LoadContext, *, categories=None, **options):
    from .io import load_laa_offices

    return load_laa_offices(path, geocoder=context.geocoder, areas=context.areas,
                            **_given(categories=tuple(categories) if categories is not None else None), **options)


def _partners(path, context: LoadContext, **options):
    from .io import load_partners

    return load_partners(path, geocoder=context.geocoder, areas=context.areas, **options)


# --- the table ---------------------------------------------------------------

register(InputKind(
    "areas", "areas", label="an area boundary file", load=_areas,
    keys={"path": Setting(_STR), "code_column": Setting(_STR), "name_column": Setting(_STR), "layer": Setting(_STR)},
    source={"name": "Area boundaries (ONS Open Geography Portal)", "licence": OGL, "attribution": ONS_ATTRIBUTION,
            "url": _ONS_PORTAL}))
register(InputKind(
    "asy_d11", "demand", label="Asy_D11", load=_asy_d11,
    signature=frozenset({"supporttype", "accommodationtype", "people"}),
    keys={"date": Setting(_STR), "support_types": Setting(_LIST, check=_texts),
          "accommodation_types": Setting(_LIST, check=_texts), "sheet": Setting(_STR),
          "max_people": Setting(_NUM, low=0, low_open=True)},  # rows above this many people are implausible
    source={"name": "People on asylum support (Home Office, table Asy_D11)", "licence": OGL,
            "attribution": "Contains public sector information licensed under the Open Government Licence v3.0 "
                           "(Home Office).",
            "url": "https://www.gov.uk/government/statistical-data-sets/immigration-system-statistics-data-tables"}))
register(InputKind(
    "nomis", "demand", label="Nomis population", load=_nomis,
    signature=frozenset({"geographycode", "obsvalue"}),
    keys={"date": Setting(_STR), "geography_type": Setting(_STR), "age": Setting(_STR)},
    source={"name": "Population estimates (ONS via Nomis)", "licence": OGL,
            "attribution": "Source: Office for National Statistics licensed under the Open Government Licence v.3.0.",
            "url": "https://www.nomisweb.co.uk/"}))
register(InputKind(
    "laa_directory", "providers", label="the LAA directory", load=_laa_directory, coverage="England and Wales",
    signature=frozenset({"officeid", "organisation", "categories"}),
    # role: "supply" (contract holders, the default) or "candidates" (trainable, for plan)
    keys={"categories": Setting(_LIST, check=_texts), "role": Setting(_STR, choices=("supply", "candidates"))},
    source={"name": "Legal aid provider offices (Legal Aid Agency directory)", "licence": OGL,
            "attribution": "Contains public sector information licensed under the Open Government Licence v3.0 "
                           "(Legal Aid Agency).",
            "url": "https://www.gov.uk/government/publications/directory-of-legal-aid-providers"}))
register(InputKind(
    "region_lookup", "region_lookup", load=_region_lookup,
    signature=frozenset({"rgn22cd"}), guess=lambda names: any(n.startswith("rgn") and n.endswith("cd") for n in names),
    keys={"path": Setting(_STR), "area_code_column": Setting(_STR), "region_code_column": Setting(_STR),
          "region_name_column": Setting(_STR)},
    source={"name": "Local authority to region lookup (ONS)", "licence": OGL, "attribution": ONS_ATTRIBUTION,
            "url": _ONS_PORTAL}))
register(InputKind(  # read by the geocoder (coverage_gaps.geocode.PostcodeLookup), not by a loader of its own
    "postcodes", "postcodes", signature=frozenset({"pcds"}), keys={"path": Setting(_STR)},
    source={"name": "Postcode lookup (ONS Postcode Directory / NSPL / Code-Point Open)", "licence": OGL,
            "attribution": ONS_ATTRIBUTION + " Contains Royal Mail data (c) Royal Mail copyright and database right.",
            "url": _ONS_PORTAL}))
register(InputKind(
    "postcode_districts", "postcode_districts", signature=frozenset({"postcode", "easting", "northing", "city"}),
    keys={"path": Setting(_STR)},
    source={"name": "Postcode district centroids (fallback, district precision)",
            "licence": "Check the file's own licence", "attribution": "", "url": ""}))
register(InputKind(
    "partners", "providers", label="a partner list", load=_partners,
    guess=lambda names: bool(names & _PARTNER_HINTS and names & _LOCATION_HINTS),
    keys={"sheet": Setting(_STR), "columns": Setting(_TABLE, check=_columns),
          "decimal": Setting(_STR, choices=(".", ",")),  # the file's decimal mark: "1,5" is 1.5 only with ","
          "max_capacity": Setting(_NUM, low=0, low_open=True)},  # capacities above it per office are rejects
    source={"name": "Partner organisations (charity's own list)",
            "licence": "Private: only allow-listed fields are published", "attribution": "", "url": ""}))
register(InputKind(
    "table", "demand", label="a table of area codes", load=_table,
    guess=lambda names: any(n.endswith("cd") or "code" in n for n in names),
    keys={"code_column": Setting(_STR), "columns": Setting(_LIST, check=_texts), "sheet": Setting(_STR),
          "date": Setting(_STR)},
    source={"name": "Demand table", "licence": "", "attribution": "", "url": ""}))
register(InputKind(
    "subareas", "subareas", load=_subareas,
    keys={"path": Setting(_STR), "code_column": Setting(_STR), "name_column": Setting(_STR),
          "parent_column": Setting(_STR), "weight_column": Setting(_STR), "layer": Setting(_STR)},
    source={"name": "Small-area boundaries (ONS LSOA/MSOA)", "licence": OGL, "attribution": ONS_ATTRIBUTION,
            "url": _ONS_PORTAL}))
register(InputKind(  # an ONS LADyy-to-LADzz lookup, added to the built-in code changes (coverage_gaps.vintages)
    "code_lookup", "code_lookup", keys={"path": Setting(_STR)}))
register(InputKind(  # not a file: the online postcode lookup (postcodes.io)
    "geocoder", "geocoder", keys={"online": Setting(_BOOL), "base_url": Setting(_STR), "cache_dir": Setting(_STR)},
    required=()))
