"""Demo providers: the partner list, the LAA office directory and their fictional postcodes.

Recipes (:data:`_PARTNERS`, :data:`_LAA`) name the organisations and where
they are; points are drawn near each district's centre, and every qualifying
provider is checked to stay well clear of the two deserts.  Postcodes use the
area ``ZX``, which no Royal Mail postcode area does.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np
import shapely

from .spec import _KM

_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters the inward code may use (no C I K M O V)

#: OSGB36 / British National Grid to WGS84 by the fixed 7-parameter Helmert (EPSG:1314), so the
#: demo's latitudes and longitudes never depend on which PROJ grids a machine has installed.
_TO_WGS84 = ("+proj=pipeline +step +inv +proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 "
             "+y_0=-100000 +ellps=airy +step +proj=push +v_3 +step +proj=cart +ellps=airy +step +proj=helmert "
             "+x=446.448 +y=-125.157 +z=542.06 +rx=0.15 +ry=0.247 +rz=0.842 +s=-20.489 "
             "+convention=position_vector +step +inv +proj=cart +ellps=WGS84 +step +proj=pop +v_3 "
             "+step +proj=unitconvert +xy_in=rad +xy_out=deg")
_CATS = {"A": "Immigration; Asylum and Protection", "I": "Immigration", "P": "Asylum and Protection", "": ""}
# where | organisation | OISC level | categories | LAA | regulated | capacity | status | located by | IAAS grade
_PARTNERS = """
city|Refugee Legal Project|Level 3|A|no|no|4|partner|postcode|
city|Asylum Casework Centre|Level 3|A|no|no|3.5|partner|postcode|
city|Sanctuary Advice Service|Level 2|A|no|no|2.5|partner|both|
city|Migrant Rights Network|L2|A|no|no|2||postcode|
city|Community Law Clinic|Level 2|P|no|yes|2|partner|postcode|Senior Caseworker
city|Immigration Law Practice|0|A|no|yes|3||postcode|Supervisor
city|Family Reunion Project|Level 2|A|no|no|1.5|trained|postcode|
city|Welcome Centre|Level 2|A|no|no|2|partner|latlon|
city|Destitution Project|Level 3|A|no|no|1|partner|postcode|
city|Young Refugees Advice|Level 2|A|no|no|2|partner|postcode|
city|Northgate Advice Centre|Level 2|A|no|no|1.5||district|
city|University Law Clinic|0||no|yes|1.5||postcode|Caseworker
city|Eastside Community Hub|L1|I|no|no|1|partner|postcode|
city|Mosque Advice Desk|Level 1|I|no|no|0.5|prospective|postcode|
city|Refugee Women's Group|Level 1|A|no|no|1|partner|postcode|
city|Night Shelter|0||no|no|||postcode|
neighbour_city|Asylum Advice Centre|Level 3|A|no|no|3|partner|postcode|
neighbour_city|Refugee Support Project|Level 2|A|no|no|2|partner|both|
neighbour_city|Chambers Advice Desk|0|A|yes|yes|1||postcode|Supervisor
neighbour_city|Welcome Network|L1|I|no|no|1|prospective|postcode|
neighbour:0|Migrant Help Point|Level 2|A|no|no|1||postcode|
neighbour:1|Community Cafe|0||no|no|0.5||postcode|
drought|Refugee Advice Project|Level 2|A|no|no|1|partner|postcode|
drought|Visa and Settlement Advice|Level 2|I|no|no|1||postcode|
drought|Welcome Project|Level 1|I|no|no|1.5|partner|postcode|
drought|Migrant Support Group|L1|I|no|no|1|prospective|postcode|
drought|Churches Drop-in|Level 1|I|no|no|0.5|trained|latlon|
drought|Food Bank|none||no|no||prospective|postcode|
desert|Welcome Cafe|Level 1|I|no|no|1|partner|postcode|
desert|Community Advice Hub|Level 1|I|no|no|1.5|partner|postcode|
desert|Refugee Befrienders|L1|I|no|no|1|prospective|latlon|
desert|Food Bank|0||no|no|0.5||postcode|
remote|Rural Advice Network|0||no|no|0.5|prospective|postcode|
border|Migrant Welcome|Level 1|I|no|no|1|partner|postcode|
border|Advice Point|L1|I|no|no|0.5||postcode|
border|Family Centre|0||no|no|0.5||district|
south|Refugee Advice Service|Level 2|A|no|no|2|partner|postcode|
south|Welcome Group|Level 1|I|no|no|1|prospective|postcode|
south|Advice Centre|Level 1|I|no|no|1||postcode|
south|Community Larder|0||no|no|0.5||unknown|
north|Asylum Support Project|Level 2|A|no|no|1.5|partner|postcode|
north|Welcome Centre|L1|I|no|no|1|partner|postcode|
north|Library Advice Point|0||no|no|0.5||postcode|
far:0|Solicitors' Immigration Desk|0|A|no|yes|1||postcode|Senior Caseworker
far:1|Law Surgery|0|A|no|yes|1||latlon|
"""
_RURAL_KINDS = ("Community Advice Hub", "Welcome Cafe", "Migrant Support Group", "Churches Together Drop-in",
                "Family Centre", "Women's Network", "Food Bank", "Library Advice Point")
_RURAL_LEVELS = ("Level 1", "0", "L1", "none", "Level 1", "1", "", "Level 1")
_RURAL_STATUS = ("partner", "prospective", "", "trained", "", "prospective", "partner")
_RURAL_CAPACITY = ("1", "0.5", "", "1.5", "1", "0.5")
# where | organisation | organisation type | LAA categories | has coordinates
_LAA = """
city|Kestrelford Law Centre|Charity or Voluntary Org|IMMAS;HOU;DEB;WB;COM;PUB|yes
city|Kestrelford Law Centre|Charity or Voluntary Org|IMMAS;HOU|yes
city|Harrow & Finch Solicitors|Solicitor|IMMAS;FMED;MHE|yes
city|Quayle Okafor LLP|Solicitor|MAT;IMMAS;CRM|yes
city|Meridian Immigration Lawyers Ltd|Private Company|IMMAS|yes
city|Baptiste & Rowe Solicitors|Solicitor|IMMAS|no
city|Greaves Lamb Solicitors|Solicitor|CRM;FMED|yes
drought|Tolland & Price Solicitors|Solicitor|IMMAS;HOU|yes
drought|Brindlewick Housing Law Service|Charity or Voluntary Org|HOU;DEB|yes
south|Copperdale Chambers Solicitors|Solicitor|IMMAS;FMED|yes
north|Larkmere Advice Bureau|Charity or Voluntary Org|IMMAS;DEB;WB;HOU|yes
neighbour_city|Rookhaven Law Centre|Charity or Voluntary Org|IMMAS;HOU;MHE;COM|yes
neighbour_city|Vance Adeyemi Solicitors|Solicitor|IMMAS;CRM|yes
desert|Fellmarsh Family Law LLP|Solicitor|FMED;MAT|yes
desert|Holt & Sedge Defence Solicitors|Solicitor|CRM|yes
remote|Gorsemoor Rural Housing Advice|Charity or Voluntary Org|HOU|yes
border|Oakhollow Mediation Service|Mediation|MED|yes
rural:2|Pike Lorne Solicitors|Solicitor|CRM;PUB|yes
rural:7|Ellery Moss Solicitors|Solicitor|FMED|yes
rural:12|Community Health Law Project|Charity or Voluntary Org|MHE;COM|yes
rural:17|Ashby Wren Solicitors|Solicitor|EDU;DISC|yes
"""
_STREETS = ("High Street", "Market Street", "Station Road", "Church Lane", "Mill Road", "Bridge Street",
            "Queen's Parade", "Chapel Row", "Victoria Road", "Park Terrace")
_DESERT_CLEARANCE_M = 32 * _KM  # qualifying providers stay this far from the deserts


class _Postcodes:
    """Fictional ``ZX`` postcodes: one outward code per district, inward codes drawn at random."""

    def __init__(self, rng, geo: dict):
        self.rng, self.rows, self.used = rng, {}, set()
        self.subareas = geo["subareas"]
        self.tree = shapely.STRtree([s["geometry"] for s in self.subareas])

    def new(self, district: dict, x: float, y: float, *, listed: bool = True) -> str:
        while True:
            r = self.rng.random(3)
            letters = _INWARD_LETTERS[int(r[1] * 20)] + _INWARD_LETTERS[int(r[2] * 20)]
            pc = f"{district['outcode']} {1 + int(r[0] * 9)}{letters}"
            if pc not in self.used:
                break
        self.used.add(pc)
        if listed:
            hit = self.tree.query(shapely.Point(x, y), predicate="intersects")
            lsoa = self.subareas[int(hit.min())]["code"] if len(hit) else ""
            self.rows[pc] = (round(x), round(y), district["code"], district["region"][0], lsoa)
        return pc


def _place(rng, district: dict, radius_m: float, *, margin_m: float = 200.0) -> tuple[int, int]:
    """A point within ``radius_m`` of the district's centre and ``margin_m`` inside its boundary."""
    inner = district["geometry"].buffer(-margin_m)
    cx, cy = district["centre"]
    while True:
        a, r = rng.random() * 2 * np.pi, radius_m * math.sqrt(rng.random())
        x, y = round(cx + r * math.cos(a)), round(cy + r * math.sin(a))
        if shapely.contains_xy(inner, x, y):
            return x, y


@lru_cache(maxsize=1)
def _transformer():
    from pyproj import Transformer

    return Transformer.from_pipeline(_TO_WGS84)


def _lonlat(x, y) -> tuple[np.ndarray, np.ndarray]:
    """British National Grid metres to WGS84 longitude, latitude (degrees)."""
    lon, lat = _transformer().transform(np.asarray(x, float), np.asarray(y, float))
    return np.asarray(lon), np.asarray(lat)


def _where(geo: dict) -> dict:
    """Role keys of ``_PARTNERS``/``_LAA`` (``city``, ``rural:3``, ``far:0`` ...) to districts."""
    ds = geo["districts"]
    by = {d["role"]: d for d in ds if d["role"] not in ("rural", "neighbour")}
    rural = [d for d in ds if d["role"] == "rural"]
    by.update({f"rural:{i}": d for i, d in enumerate(rural)})
    by.update({f"neighbour:{i}": d for i, d in enumerate(d for d in ds if d["role"] == "neighbour")})
    deserts = [by["desert"]["geometry"], by["remote"]["geometry"]]
    far = sorted(rural, key=lambda d: -min(d["geometry"].distance(g) for g in deserts))
    by.update({f"far:{i}": d for i, d in enumerate(far)})
    return by


def _radius(where: str) -> float:
    return {"city": 4.0, "neighbour_city": 3.0}.get(where, 5.0 if ":" in where else 2.5) * _KM


def _check_clearance(by: dict, name: str, x: float, y: float) -> None:
    """Qualifying providers are placed well clear of the two deserts (else the layout, not the data, is wrong)."""
    for role in ("desert", "remote"):
        gap = by[role]["geometry"].distance(shapely.Point(x, y))
        if gap < _DESERT_CLEARANCE_M:
            raise AssertionError(f"demo layout: qualifying provider {name} is {gap / _KM:.1f} km "
                                 f"from {by[role]['name']}")


def _partners(rng, geo: dict, postcodes: _Postcodes) -> list[list[str]]:
    by = _where(geo)
    recipes = [line.split("|") for line in _PARTNERS.strip().splitlines()]
    rural = [k for k in by if k.startswith("rural:")]
    taken = {(by[r[0]]["code"], r[1]) for r in recipes}
    for i, key in enumerate(rural + rural[::2]):  # one or two small organisations in every rural district
        kind = next(k for j in range(len(_RURAL_KINDS)) for k in [_RURAL_KINDS[(i + j) % len(_RURAL_KINDS)]]
                    if (by[key]["code"], k) not in taken)
        taken.add((by[key]["code"], kind))
        level = _RURAL_LEVELS[i % len(_RURAL_LEVELS)]
        located = {4: "latlon", 9: "unknown", 15: "both", 21: "district"}.get(i, "postcode")
        recipes.append([key, kind, level, "I" if "1" in level else "", "no", "no",
                        _RURAL_CAPACITY[i % len(_RURAL_CAPACITY)], _RURAL_STATUS[i % len(_RURAL_STATUS)], located, ""])
    rows, unknown = [], 70
    for where, kind, level, cats, laa, regulated, capacity, status, located, iaas in recipes:
        d = by[where]
        name = f"{d['name']} {kind}"
        x, y = _place(rng, d, _radius(where))
        qualifying = "yes" in (laa, regulated) or (re.sub(r"\D", "", level) in ("2", "3") and "Asylum" in _CATS[cats])
        pc, lat, lon = "", "", ""
        if located in ("postcode", "both"):
            pc = postcodes.new(d, x, y)
        elif located == "district":
            pc = postcodes.new(d, x, y, listed=False)
            x, y = d["outcode_xy"]
        elif located == "unknown":
            pc = f"ZX{unknown} {1 + int(rng.random() * 9)}AB"
            unknown += 1
        if qualifying and located != "unknown":
            _check_clearance(by, name, x, y)
            geo["qualifying"].append((name, x, y))
        if located in ("latlon", "both"):
            lo, la = _lonlat([x], [y])
            lat, lon = f"{la[0]:.6f}", f"{lo[0]:.6f}"
        slug = "".join(c for c in name.lower().replace(" ", ".") if c.isalnum() or c == ".")
        note = {"district": "Postcode not in the lookup yet: placed at its district centroid",
                "unknown": "Postcode from an old leaflet: check it"}.get(located, "Synthetic demo record")
        rows.append([name, level, _CATS[cats], laa, regulated, capacity, status, pc, lat, lon, iaas,
                     f"{slug}@example.org", note, d["code"]])
    rows.sort(key=lambda r: (r[-1], r[0]))
    header = ["provider_id", "name", "oisc_level", "categories", "laa_contract", "regulated", "capacity", "status",
              "postcode", "latitude", "longitude", "iaas_grade", "contact_email", "notes"]
    return [header] + [[f"DEMO-P{i:03d}"] + r[:-1] for i, r in enumerate(rows, start=1)]


def _laa_offices(rng, geo: dict, postcodes: _Postcodes) -> list[list[str]]:
    by = _where(geo)
    rows, firms = [], {}
    for i, line in enumerate(_LAA.strip().splitlines()):
        where, organisation, kind, categories, coords = line.split("|")
        d = by[where]
        x, y = _place(rng, d, _radius(where))
        if "IMMAS" in categories:
            _check_clearance(by, organisation, x, y)
            geo["qualifying"].append((organisation, x, y))
        pc = postcodes.new(d, x, y)
        lon, lat = (f"{v[0]:.6f}" for v in _lonlat([x], [y])) if coords == "yes" else ("", "")
        r = rng.random(6)
        account = f"{int(r[0] * 10)}{chr(65 + int(r[1] * 26))}{int(r[2] * 900) + 100}{chr(65 + int(r[3] * 26))}"
        slug = "".join(c for c in organisation.lower() if c.isalnum())
        firm = firms.setdefault(organisation, str(7001 + int(r[4] * 2000)))  # one firm, several offices
        rows.append([account, organisation, kind, firm, "True", f"www.{slug}.example",
                     f"01632 960{100 + i * 37 % 900:03d}", f"{1 + int(r[5] * 180)} {_STREETS[i % len(_STREETS)]}",
                     d["name"], pc, lon, lat, categories])
    header = ["office_id", "account_number", "organisation", "organisation_type", "firm", "contracted", "website",
              "telephone", "address", "city", "postcode", "lon", "lat", "categories"]
    return [header] + [[str(9001 + i)] + r for i, r in enumerate(rows)]
