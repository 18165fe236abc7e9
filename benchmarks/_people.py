"""Benchmark inputs placed where people live, from the real open data in ../shared/data/real.

Points are spread over the England and Wales local authority districts (ONS LAD
Dec 2022 boundaries) in proportion to each district's mid-2021 population
(ONS via Nomis), uniformly inside the district's polygon (rejection sampling
from a seeded RNG, so the same seed gives the same points).  Within a district
people are not uniform (towns), so these inputs are, if anything, less
clustered than real demand.  Providers can be the real LAA office locations
(November 2015 directory, every category of law, with coordinates) or more
points placed by population.

Only the benchmark scripts use this module; it reads the real files in place
and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real"
ALL_AGES = "All Ages"
DISTRICTS = "local authorities: district / unitary (as of April 2021)"


def districts(real: Path = REAL):
    """England and Wales districts (BNG) with their mid-2021 population, sorted by code."""
    import geopandas as gpd
    import pandas as pd

    lad = gpd.read_file(real / "lad_dec2022_uk_buc.geojson").to_crs(27700)
    lad = lad[lad["LAD22CD"].str[0].isin(["E", "W"])].copy()
    lad["geometry"] = lad.geometry.make_valid()
    pop = pd.read_csv(real / "nomis_mye2021_population_by_la_age_bands.csv", low_memory=False)
    pop = pop[(pop["C_AGE_NAME"] == ALL_AGES) & (pop["GEOGRAPHY_TYPE"] == DISTRICTS)]
    pop = pop.drop_duplicates("GEOGRAPHY_CODE").set_index("GEOGRAPHY_CODE")["OBS_VALUE"].astype(float)
    lad["population"] = lad["LAD22CD"].map(pop).fillna(0.0)
    return lad.sort_values("LAD22CD").reset_index(drop=True)


def _split(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole counts summing to ``total`` in proportion to ``weights`` (largest remainders)."""
    share = weights / weights.sum() * total
    counts = np.floor(share).astype(int)
    short = total - counts.sum()
    counts[np.argsort(-(share - counts), kind="stable")[:short]] += 1
    return counts


def points_in(geometries, counts: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``counts[k]`` uniform points inside each polygon ``k``; returns (xy, polygon index)."""
    import shapely

    out, owner = [], []
    for k, (geom, count) in enumerate(zip(geometries, counts)):
        if count == 0:
            continue
        x0, y0, x1, y1 = geom.bounds
        fill = max(geom.area / max((x1 - x0) * (y1 - y0), 1.0), 0.05)
        got = np.empty((0, 2))
        shapely.prepare(geom)
        while len(got) < count:
            draw = int((count - len(got)) / fill * 1.3) + 16
            xy = np.column_stack([rng.uniform(x0, x1, draw), rng.uniform(y0, y1, draw)])
            got = np.vstack([got, xy[shapely.contains_xy(geom, xy[:, 0], xy[:, 1])]])
        out.append(got[:count])
        owner.append(np.full(count, k))
    return np.vstack(out), np.concatenate(owner)


def people(n: int, *, seed: int, lad=None) -> np.ndarray:
    """``n`` points placed by population over England and Wales (BNG metres)."""
    lad = districts() if lad is None else lad
    rng = np.random.default_rng(seed)
    xy, _ = points_in(lad.geometry.to_numpy(), _split(n, lad["population"].to_numpy()), rng)
    return xy


def laa_offices(real: Path = REAL) -> np.ndarray:
    """The LAA directory's office locations with coordinates (every category of law), BNG metres."""
    import pandas as pd
    from pyproj import Transformer

    offices = pd.read_csv(real / "laa_legal_aid_provider_offices_2015.csv", usecols=["lon", "lat"]).dropna()
    x, y = Transformer.from_crs(4326, 27700, always_xy=True).transform(offices["lon"].to_numpy(),
                                                                      offices["lat"].to_numpy())
    return np.column_stack([x, y])
