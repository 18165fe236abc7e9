"""Demo demand: people on asylum support (Asy_D11, 8 quarters) and residents (a Nomis export).

The named places have fixed counts and growth; other districts draw theirs.
Totals are split into whole numbers that add up (largest remainder).
"""

from __future__ import annotations

import numpy as np

from .spec import _PLACES, DISTRICT_TYPE, NEIGHBOUR, POPULATION_YEAR, QUARTERS, REGION

_MIXES = {  # (support type, accommodation type): share of an area's people
    "city": {("Section 95", "Dispersal Accommodation"): .62, ("Section 95", "Contingency Accommodation - Hotel"): .10,
             ("Section 95", "Initial Accommodation"): .08, ("Section 95", "Subsistence Only"): .08,
             ("Section 4", "Dispersal Accommodation"): .06, ("Section 98", "Initial Accommodation"): .03,
             ("Section 98", "Contingency Accommodation - Hotel"): .03},
    "drought": {("Section 95", "Dispersal Accommodation"): .72,
                ("Section 95", "Contingency Accommodation - Hotel"): .14,
                ("Section 95", "Subsistence Only"): .04, ("Section 4", "Dispersal Accommodation"): .06,
                ("Section 98", "Contingency Accommodation - Hotel"): .04},
    "town": {("Section 95", "Dispersal Accommodation"): .75, ("Section 95", "Subsistence Only"): .12,
             ("Section 4", "Dispersal Accommodation"): .08, ("Section 95", "Contingency Accommodation - Hotel"): .05},
    "rural": {("Section 95", "Subsistence Only"): .7, ("Section 95", "Dispersal Accommodation"): .3},
}
_GROWTH = {"steady": np.linspace(0.86, 1.0, 8), "surge": np.linspace(0.35, 1.0, 8),
           "new": np.array([0, 0, .2, .4, .6, .75, .9, 1.0]), "flat": np.ones(8)}


def _demand(rng, geo: dict) -> None:
    """People on asylum support at the last quarter and residents, added to each district."""
    spec = {p[1]: p for p in _PLACES}
    for d in geo["districts"]:
        if d["name"] in spec:
            _, _, _, _, people, residents, growth = spec[d["name"]]
        else:
            r = rng.random(3)
            people = 0 if r[0] < 0.45 else 5 + int(r[1] * 40)
            residents, growth = 60_000 + 1000 * int(r[2] * 85), "flat"
        d.update(people=people, residents=residents, growth=growth)


def _mix(role: str) -> dict:
    return _MIXES.get(role, _MIXES["town"] if role in ("desert", "border", "south", "north", "neighbour_city")
                      else _MIXES["rural"])


def _split(total: int, shares: list[float]) -> list[int]:
    """``total`` split by ``shares`` into whole numbers that add up (largest remainder)."""
    raw = np.array(shares) / sum(shares) * total
    out = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - out), kind="stable")[: total - out.sum()]:
        out[i] += 1
    return out.tolist()


def _asy_d11(rng, geo: dict) -> list[list[str]]:
    rows = []
    for d in geo["districts"]:
        if not d["people"]:
            continue
        mix = _mix(d["role"])
        for q, date in enumerate(QUARTERS):
            noise = 1.0 if q == len(QUARTERS) - 1 else 1 + 0.08 * (rng.random() - 0.5)
            total = int(round(d["people"] * _GROWTH[d["growth"]][q] * noise))
            shares = [s * (1 + 0.2 * (rng.random() - 0.5)) for s in mix.values()]
            for (support, accommodation), people in zip(mix, _split(total, shares)):
                if people == 0:
                    continue  # like the published table: no row when nobody is supported
                if accommodation == "Subsistence Only" and date >= "2024-06-30":
                    accommodation = "Subsistence only"  # the published table spells it both ways
                rows.append([date, date[:4], str((int(date[5:7]) + 2) // 3), support, d["region"][1], d["name"],
                             d["code"], accommodation, str(people)])
    rows.sort(key=lambda r: (r[0], r[5], r[3], r[7]))
    return [["Date", "Year", "Quarter", "Support Type", "UK Region", "Local Authority", "LAD Code",
             "Accommodation Type", "People"]] + rows


_AGES = (("200", "All Ages"), ("201", "Aged 0 to 15"), ("250", "Aged 16 to 24"), ("207", "Aged 25 to 49"),
         ("208", "Aged 50 to 64"), ("209", "Aged 65+"))
_NOMIS_HEADER = ("DATE,DATE_NAME,DATE_CODE,DATE_TYPE,DATE_TYPECODE,DATE_SORTORDER,GEOGRAPHY,GEOGRAPHY_NAME,"
                 "GEOGRAPHY_CODE,GEOGRAPHY_TYPE,GEOGRAPHY_TYPECODE,GEOGRAPHY_SORTORDER,GENDER,GENDER_NAME,GENDER_CODE,"
                 "GENDER_TYPE,GENDER_TYPECODE,GENDER_SORTORDER,C_AGE,C_AGE_NAME,C_AGE_CODE,C_AGE_TYPE,C_AGE_TYPECODE,"
                 "C_AGE_SORTORDER,MEASURES,MEASURES_NAME,OBS_VALUE,OBS_STATUS,OBS_STATUS_NAME,OBS_CONF,OBS_CONF_NAME,"
                 "URN,RECORD_OFFSET,RECORD_COUNT").split(",")


def _population(rng, geo: dict) -> str:
    """A Nomis long-format export: region rows (filtered by the loader), then district rows, six age bands."""
    ages = {}
    for d in geo["districts"]:
        young = 0.03 if d["role"] in ("city", "neighbour_city") else 0.0
        shares = [0.19 + young * 0.3, 0.11 + young, 0.33 + young, 0.19 - young, 0.18 - young * 1.3]
        jittered = [s * (1 + 0.1 * (rng.random() - 0.5)) for s in shares]
        ages[d["code"]] = [d["residents"]] + _split(d["residents"], jittered)
    geographies = []
    for k, (code, name) in enumerate((REGION, NEIGHBOUR)):
        members = [ages[d["code"]] for d in geo["districts"] if d["region"][0] == code]
        geographies.append((f"20999990{k + 1:02d}", name, code, "regions", "480", k, np.sum(members, axis=0).tolist()))
    for k, d in enumerate(geo["districts"]):
        geographies.append((f"18999990{k + 1:02d}", d["name"], d["code"], DISTRICT_TYPE, "432", k, ages[d["code"]]))
    total = len(geographies) * len(_AGES)
    lines = [",".join(f'"{h}"' for h in _NOMIS_HEADER)]
    for g, (geo_id, name, code, kind, kind_code, order, values) in enumerate(geographies):
        for a, ((age_code, age_name), value) in enumerate(zip(_AGES, values)):
            text = (POPULATION_YEAR, POPULATION_YEAR, POPULATION_YEAR, "date", 0, 0, geo_id, name, code, kind,
                    int(kind_code), order, "0", "Total", "0", "Sex", 1000, 0, age_code, age_name, age_code,
                    "Labour Market category", 5000, a, "20100", "Value", int(value), "A", "Normal Value", "F",
                    "Free (free for publication)", f"Nm-2002d1d32336e0d{geo_id}d0d{age_code}d20100",
                    g * len(_AGES) + a, total)
            lines.append(",".join(str(v) if isinstance(v, int) else f'"{v}"' for v in text))
    return "\n".join(lines) + "\n"
