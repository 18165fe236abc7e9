"""One registry of input kinds: what each file is, how it loads, how it is recognised, what a profile may say of it.

Every kind of input (area boundaries, Asy_D11, Nomis population, the LAA
directory, a partner list ...) is one :class:`InputKind` in :data:`KINDS`:

- its **profile section** (``[inputs.<section>]``; the list sections
  ``[[inputs.demand]]`` and ``[[inputs.providers]]`` name the kind in
  ``format =``) and the **profile keys** it accepts;
- its **loader** (``load(path, context, **options) -> Loaded``), given what the
  other inputs already tell (:class:`LoadContext`: the area codes, the
  boundaries, the geocoder ...);
- its **header signature**: the (folded) column names that let
  ``coverage-gaps check`` tell a loose file's kind;
- the **territory** a provider source covers, and the **source** words
  (publisher, licence, attribution) printed on every output.

:mod:`coverage_gaps.config` (profile validation), :func:`coverage_gaps.pipeline.load_inputs`
and :mod:`coverage_gaps.check` all read this table.  Adding an input kind is
one :func:`register` call (or one entry below) and one loader module.

This module imports no loader until one is called, so validating a profile
stays quick.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ._rules import Setting, _columns, _texts
from . import schema
from .errors import describe

__all__ = ["InputKind", "LoadContext", "KINDS", "LIST_SECTIONS", "load", "register", "unregister", "kinds_in",
           "section_keys", "guess_kind", "GEO_SUFFIXES", "COMMON_KEYS"]

_STR, _NUM, _BOOL, _LIST, _TABLE = str, (int, float), bool, list, dict

OGL = "Open Government Licence v3.0"
ONS_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data (c) Crown copyright and database right."
)
_ONS_PORTAL = "https://geoportal.statistics.gov.uk/"
_PARTNER_HINTS = {"name", "organisation", "organisationname", "provider", "providername"}
_LOCATION_HINTS = {"postcode", "latitude", "lat", "longitude", "lon", "easting", "northing"}

#: File endings read as area boundaries (vector GIS files), never as tables.
GEO_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".parquet", ".geoparquet", ".fgb", ".zip")

#: Territories a provider file can cover, by name (:data:`coverage_gaps.schema.TERRITORIES`).
TERRITORIES = tuple(schema.TERRITORIES)

#: Sections that hold an array of tables, each naming its kind in ``format``.
LIST_SECTIONS = ("demand", "providers")

#: Keys every entry of a list section takes (before the keys of its format), and the required ones.
COMMON_KEYS: dict[str, dict[str, Setting]] = {
    "demand": {"name": Setting(_STR), "format": Setting(_STR), "path": Setting(_STR)},
    "providers": {"name": Setting(_STR), "format": Setting(_STR), "path": Setting(_STR),
                  # territory the file covers (partner lists); else the format's own (the LAA directory's)
                  "coverage": Setting(_STR, choices=TERRITORIES)},
}
_LIST_REQUIRED = {"demand": ("name", "format", "path"), "providers": ("format", "path")}


@dataclass(frozen=True)
class LoadContext:
    """What a loader may use besides its file: known area codes, the boundaries, the geocoder ...

    ``check`` fills what loose files can tell (codes and boundaries from a
    boundary file, a geocoder from postcode files); :func:`load_inputs` fills
    the rest from the profile.
    """

    area_codes: set | None = None
    areas: object = None  # GeoDataFrame of the study's area boundaries (EPSG:27700)
    geocoder: object = None  # coverage_gaps.geocode.PostcodeLookup
    name: str | None = None  # the profile's name for the layer (a demand layer's column)
    changes: object = None  # boundary code changes (coverage_gaps.vintages.code_changes)
    weights: object = None  # population by area code, to split a successor district's people
    weight_label: str | None = None
    today: str | None = None  # the run's date: figures dated after it are refused


@dataclass(frozen=True)
class InputKind:
    """One kind of input file.

    Attributes
    ----------
    name
        The kind (``asy_d11``); in a list section, the ``format =`` that names it.
    section
        The profile section: ``[inputs.<section>]`` (one of :data:`LIST_SECTIONS`, or the kind's own).
    label
        The kind in words for messages (``"Asy_D11"``); ``""`` to leave it out of check's list.
    keys
        Profile keys the kind accepts besides :data:`COMMON_KEYS` (single sections: every key).
    load
        ``load(path, context, **options) -> Loaded``; ``None`` when another part reads the file
        (postcode files: the geocoder).
    signature
        Folded header names (:func:`coverage_gaps.tables.normalise_name`) that identify the kind.
    guess
        ``guess(names) -> bool``: a looser test, tried only when no signature matches.
    coverage
        The territory a provider source covers (``None``: the study areas' countries).
    source
        Publisher words for outputs: ``name``, ``licence``, ``attribution``, ``url``.
    required
        Keys a profile must give (single sections).
    """

    name: str
    section: str
    label: str = ""
    keys: dict[str, Setting] = field(default_factory=dict)
    load: Callable | None = None
    signature: frozenset = frozenset()
    guess: Callable | None = None
    coverage: str | None = None
    source: dict = field(default_factory=dict)
    required: tuple = ("path",)


#: Every input kind by name, in the order ``check`` tries their signatures.
KINDS: dict[str, InputKind] = {}


def register(kind: InputKind) -> InputKind:
    """Add (or replace) an input kind; profile validation, ``check`` and ``load_inputs`` see it at once."""
    KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Remove an input kind (tests restore the table with it)."""
    KINDS.pop(name, None)


def kinds_in(section: str) -> list[InputKind]:
    """The kinds a list section's ``format =`` may name, in registry order."""
    return [k for k in KINDS.values() if k.section == section]


def section_keys(section: str) -> tuple[dict[str, Setting], tuple[str, ...]] | None:
    """Every key ``[inputs.<section>]`` accepts, and the required ones; ``None`` for an unknown section.

    A list section takes its common keys, ``format`` (one of its kinds) and
    the keys of every kind it holds; :func:`kind_problem` checks an entry's keys
    against its own format.
    """
    if section in LIST_SECTIONS:
        kinds = kinds_in(section)
        keys = dict(COMMON_KEYS[section])
        keys["format"] = Setting(_STR, choices=tuple(k.name for k in kinds))
        for k in kinds:
            for key, setting in k.keys.items():
                keys.setdefault(key, setting)
        return keys, _LIST_REQUIRED[section]
    kind = KINDS.get(section)
    if kind is None or kind.section != section:
        return None
    return dict(kind.keys), kind.required


def sections() -> list[str]:
    """Every ``[inputs.<section>]`` a profile may hold, in registry order."""
    return list(dict.fromkeys(k.section for k in KINDS.values()))


def kind_problem(section: str, entry: dict) -> list[str]:
    """Keys of a list-section entry that its format does not take, in words (none: ``[]``)."""
    kind = KINDS.get(entry.get("format")) if isinstance(entry.get("format"), str) else None
    if section not in LIST_SECTIONS or kind is None or kind.section != section:
        return []
    own = set(COMMON_KEYS[section]) | set(kind.keys)
    other = [k for k in entry if k not in own and k in section_keys(section)[0]]
    return [f"{key} = {entry[key]!r} does not apply to format {kind.name!r} (its keys: "
            f"{', '.join(kind.keys) or 'none beyond name, format and path'})" for key in other]


def guess_kind(names: set[str], *, file: str = "", columns=()) -> str:
    """The kind a table's (folded) header names point to: signatures first, then the looser guesses.

    Raises
    ------
    InvalidValueError
        When no kind matches, naming the columns found and the kinds known.
    """
    from .errors import InvalidValueError

    for kind in KINDS.values():
        if kind.signature and kind.signature <= names:
            return kind.name
    for kind in KINDS.values():
        if kind.guess is not None and kind.guess(names):
            return kind.name
    labels = [k.label for k in KINDS.values() if k.label]
    raise InvalidValueError(describe(
        "cannot tell what kind of input this is from its header", file=file,
        value=", ".join(map(str, list(columns)[:8])),
        expected=", ".join(labels[:-1]) + " or " + labels[-1] if len(labels) > 1 else "".join(labels),
        fix="use a profile that names the file's format (see data/profiles/README.md)"))


def load(kind: str, path, context: LoadContext | None = None, **options):
    """Load one file with its kind's loader (``options``: the profile keys of the kind)."""
    return KINDS[kind].load(path, context or LoadContext(), **options)


def _given(**kwargs) -> dict:
    return {k: v for k, v in kwargs.items() if v is not None}


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
