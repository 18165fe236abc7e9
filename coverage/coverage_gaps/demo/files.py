"""Demo files: render the geography, providers and demand as the texts of :data:`FILES`.

GeoJSON in EPSG:27700 with integer metres, one feature per line; CSVs with
``\n`` line ends; everything built in one pass from one seeded generator
(:func:`_build`, cached), so the files are byte-identical on every run.
"""

from __future__ import annotations

import csv
import io
import json
from functools import lru_cache

import numpy as np
import shapely

from .demand import _asy_d11, _demand, _population
from .geography import _geography
from .providers import _laa_offices, _lonlat, _partners, _Postcodes
from .readme import _readme
from .spec import NOTICE, SEED


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _geojson(name: str, features: list[tuple[dict, object]]) -> str:
    """A GeoJSON FeatureCollection in EPSG:27700, one feature per line, integer metres."""
    head = {"type": "FeatureCollection", "name": name, "description": NOTICE,
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}}
    lines = []
    for props, geom in features:
        rings = [geom.exterior] + list(geom.interiors)
        coords = [[[int(x), int(y)] for x, y in ring.coords] for ring in rings]
        lines.append(json.dumps({"type": "Feature", "properties": props,
                                 "geometry": {"type": "Polygon", "coordinates": coords}},
                                ensure_ascii=False, separators=(",", ":")))
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
    return text[:-1] + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


def _areas(geo: dict) -> str:
    features = []
    points = [d["geometry"].representative_point() for d in geo["districts"]]
    lon, lat = _lonlat([p.x for p in points], [p.y for p in points])
    for k, (d, p) in enumerate(zip(geo["districts"], points)):
        props = {"LAD22CD": d["code"], "LAD22NM": d["name"], "BNG_E": round(p.x), "BNG_N": round(p.y),
                 "LONG": round(float(lon[k]), 5), "LAT": round(float(lat[k]), 5), "OBJECTID": k + 1}
        features.append((props, d["geometry"]))
    return _geojson("areas", features)


def _postcode_files(geo: dict, postcodes: _Postcodes) -> tuple[str, str]:
    keys = sorted(postcodes.rows)
    xs, ys = [postcodes.rows[k][0] for k in keys], [postcodes.rows[k][1] for k in keys]
    lon, lat = _lonlat(xs, ys)
    rows = [["pcd", "pcd2", "pcds", "dointr", "doterm", "usertype", "oseast1m", "osnrth1m", "osgrdind", "lsoa11",
             "laua", "rgn", "ctry", "lat", "long"]]
    for k, pc in enumerate(keys):
        out, inw = pc.split(" ")
        x, y, laua, rgn, lsoa = postcodes.rows[pc]
        pcd = f"{out:<4}{inw}" if len(out) == 4 else f"{out} {inw}"
        rows.append([pcd, f"{out:<4} {inw}", pc, "202301", "", "0", str(x), str(y), "1", lsoa, laua, rgn,
                     "X92000001", f"{lat[k]:.6f}", f"{lon[k]:.6f}"])
    ds = sorted(geo["districts"], key=lambda d: int(d["outcode"][2:]))
    dlon, dlat = _lonlat([d["outcode_xy"][0] for d in ds], [d["outcode_xy"][1] for d in ds])
    districts = [["postcode", "easting", "northing", "latitude", "longitude", "city", "county", "country_code",
                  "country_name", "iso3166-2", "region_code", "region_name"]]
    for k, d in enumerate(ds):
        districts.append([d["outcode"], str(d["outcode_xy"][0]), str(d["outcode_xy"][1]), f"{dlat[k]:.5f}",
                          f"{dlon[k]:.5f}", d["name"], d["region"][1], "ENG", "England", "GB-ENG",
                          d["region"][1].upper().replace(" ", ""), d["region"][1]])
    return _csv(rows), _csv(districts)


def _outcode_centres(geo: dict) -> None:
    """Each district's postcode-district centroid: a point inside it, on a 100 m grid like the real file."""
    for d in geo["districts"]:
        p = d["geometry"].representative_point()
        x, y = int(round(p.x, -2)), int(round(p.y, -2))
        if not shapely.contains_xy(d["geometry"].buffer(-50), x, y):
            x, y = round(p.x), round(p.y)
        d["outcode_xy"] = (x, y)


def _render(geo: dict, rng) -> dict[str, str]:
    _outcode_centres(geo)
    _demand(rng, geo)
    geo["qualifying"] = []
    postcodes = _Postcodes(rng, geo)
    texts = {
        "areas.geojson": _areas(geo),
        "lad_to_region.csv": _csv([["LAD22CD", "LAD22NM", "RGN22CD", "RGN22NM", "ObjectId"]] + [
            [d["code"], d["name"], d["region"][0], d["region"][1], str(k)] for k, d in enumerate(geo["districts"], 1)]),
        "subareas.geojson": _geojson("subareas", [
            ({"LSOA11CD": s["code"], "LSOA11NM": s["name"], "LAD_CODE": s["parent"]}, s["geometry"])
            for s in geo["subareas"]]),
        "population.csv": _population(rng, geo),
        "asy_d11.csv": _csv(_asy_d11(rng, geo)),
        "partners.csv": _csv(_partners(rng, geo, postcodes)),
        "laa_offices.csv": _csv(_laa_offices(rng, geo, postcodes)),
    }
    for d in geo["districts"]:  # a few more postcodes per district, as a real lookup has
        for s in [s for s in geo["subareas"] if s["parent"] == d["code"]][:3] or [{"geometry": d["geometry"]}]:
            p = s["geometry"].representative_point()
            postcodes.new(d, p.x, p.y)
    texts["postcodes.csv"], texts["postcode_districts.csv"] = _postcode_files(geo, postcodes)
    texts["README.md"] = _readme(geo)
    return texts


@lru_cache(maxsize=1)
def _build() -> dict[str, str]:
    rng = np.random.default_rng(SEED)
    return _render(_geography(rng), rng)
