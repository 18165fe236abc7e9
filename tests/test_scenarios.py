"""Scenarios: what-if training, the best k to train, before/after tables.

Most tests use a tiny hand-made world (10 km squares in a row, BNG metres):

    A [0,10] km      demand 100, LAA office (capacity 2) at its centre
    B [10,20] km     demand 300, 10 km from the office
    C [100,110] km   demand 200, no adviser within 30 km: a desert; partners c1, c2 inside
    D [200,210] km   demand  50, a desert; partner d1 inside (region R2)

With the step decay and a 30 km catchment the office's ratio is 2 / (100 + 300),
so A and B have access 5 per 1,000; the benchmark is 2 / 650 * 1,000 = 3.077;
C and D have access 0, unmet demand 200 and 50.  Training c1 (capacity 1)
gives C access 1 / 200 * 1,000 = 5 and no unmet demand.
"""

from __future__ import annotations

import math
from itertools import combinations
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from coverage_gaps._validate import Loaded
from coverage_gaps.config import DEFAULT_ANALYSIS
from coverage_gaps.errors import InvalidValueError
from coverage_gaps.pipeline import Inputs, analyse
from coverage_gaps.scenarios import (
    AddProviders,
    CoverageGain,
    RemoveProviders,
    SetCapacity,
    UnmetReduction,
    Upskill,
    best_to_train,
    brute_force,
    build_model,
    change_layer,
    compare,
    demand_series,
    exact_cover,
    greedy,
    harmonised_to,
    what_if,
    with_demand,
    with_providers,
)
from coverage_gaps.schema import REJECT_COLUMNS

STEP = dict(DEFAULT_ANALYSIS, decay="step")
ROOT = Path(__file__).resolve().parents[1]


def _loaded(table) -> Loaded:
    return Loaded(table=table, rejects=pd.DataFrame(columns=REJECT_COLUMNS), read=len(table), used=len(table),
                  source="hand-made")


def _providers(rows) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "provider_id": [r[0] for r in rows], "name": [r[1] for r in rows], "oisc_level": [r[2] for r in rows],
            "categories": [r[3] for r in rows], "laa_contract": [r[4] for r in rows], "regulated": False,
            "capacity": [r[5] for r in rows], "status": [r[6] for r in rows], "source": "hand-made",
            "postcode": "", "location_precision": "exact",
        },
        geometry=[Point(r[7], r[8]) for r in rows], crs="EPSG:27700",
    )


PROVIDERS = [
    # id, name, level, categories, laa, capacity, status, x, y
    ("laa1", "LAA office", 0, "immigration;asylum", True, 2.0, "", 5_000, 5_000),
    ("c1", "Cford Refugee Forum", 1, "immigration", False, 1.0, "partner", 104_000, 5_000),
    ("c2", "Cford Welcome", 0, "", False, 1.0, "prospective", 106_000, 5_000),
    ("d1", "Dale Drop-in", 1, "immigration", False, 1.0, "partner", 205_000, 5_000),
    ("far", "Far Away Group", 1, "immigration", False, 1.0, "partner", 150_000, 5_000),  # 40 km from C
    ("b0", "Bton Church", 1, "immigration", False, 1.0, "", 15_000, 5_000),  # not a partner
]


def _world(providers=PROVIDERS) -> Inputs:
    areas = gpd.GeoDataFrame(
        {"area_code": ["A", "B", "C", "D"], "area_name": ["Aville", "Bton", "Cford", "Dale"],
         "region_code": ["R1", "R1", "R1", "R2"]},
        geometry=[box(0, 0, 10_000, 10_000), box(10_000, 0, 20_000, 10_000),
                  box(100_000, 0, 110_000, 10_000), box(200_000, 0, 210_000, 10_000)],
        crs="EPSG:27700",
    )
    demand = pd.DataFrame({"area_code": ["A", "B", "C", "D"], "asylum_support": [100.0, 300.0, 200.0, 50.0],
                           "population": [1e5, 2e5, 1e5, 5e4]})
    return Inputs(areas=_loaded(areas),
                  demand={"asylum_support": _loaded(demand[["area_code", "asylum_support"]]),
                          "population": _loaded(demand[["area_code", "population"]])},
                  providers={"partners": _loaded(_providers(providers))})


def _by_area(table, column):
    return dict(zip(table["area_code"], table[column]))


# --- what-if ------------------------------------------------------------------

def test_training_a_partner_inside_a_desert_closes_it_and_raises_no_area_s_unmet_demand():
    inputs = _world()
    s = what_if(inputs, STEP, [Upskill(("c1",))])
    assert s.before.benchmark == pytest.approx(2 / 650 * 1000)
    assert _by_area(s.table, "unmet_demand_before") == pytest.approx({"A": 0, "B": 0, "C": 200, "D": 50})
    assert _by_area(s.table, "unmet_demand_after") == pytest.approx({"A": 0, "B": 0, "C": 0, "D": 50})
    assert _by_area(s.table, "access_after")["C"] == pytest.approx(5.0)  # 1 / 200 people * 1,000
    assert (s.table["change_unmet_demand"] <= 1e-9).all()
    assert s.deserts_closed == ["C"] and s.n_deserts_closed == 1
    assert _by_area(s.table, "status_change") == {"A": "", "B": "", "C": "desert closed", "D": "still a desert"}
    assert s.summary() == "Unmet demand 250 -> 50 (-200); deserts closed: 1 (Cford)."
    trained = s.after.providers.set_index("provider_id").loc["c1"]
    assert (trained["oisc_level"], trained["categories"], trained["status"]) == (2, "immigration;asylum", "trained")
    assert s.changes.to_dict("records") == [{"action": "upskill", "provider_id": "c1", "name": "Cford Refugee Forum",
                                             "detail": "Level 1 -> Level 2 asylum; capacity 1"}]
    # the original inputs are untouched
    assert inputs.providers["partners"].table.set_index("provider_id").loc["c1", "oisc_level"] == 1


def test_changes_as_dicts_add_remove_and_capacity():
    inputs = _world()
    added = what_if(inputs, STEP, {"action": "add", "providers": [{"name": "Pop-up clinic", "x": 105_000, "y": 5_000,
                                                                   "capacity": 2}]})
    assert _by_area(added.table, "access_after")["C"] == pytest.approx(10.0)  # 2 / 200 * 1,000
    assert added.changes["provider_id"].tolist() == ["new-1"]
    assert "scenario" in added.after.providers["source"].tolist()

    removed = what_if(inputs, STEP, RemoveProviders(("laa1",)))
    assert set(removed.table.loc[removed.table["status_change"] == "new desert", "area_code"]) == {"A", "B"}
    # the benchmark is held, so A and B lose all 400 people's met need
    assert removed.unmet_demand_after == pytest.approx(650.0)

    doubled = what_if(inputs, STEP, {"action": "capacity", "capacities": {"laa1": 4}})
    assert _by_area(doubled.table, "access_after") == pytest.approx({"A": 10, "B": 10, "C": 0, "D": 0})
    assert doubled.changes["detail"].tolist() == ["capacity 2 -> 4"]
    # the typed changes do what their dict forms do
    typed = what_if(inputs, STEP, SetCapacity({"laa1": 4}))
    pd.testing.assert_frame_equal(typed.table, doubled.table)
    nothing = what_if(inputs, STEP, AddProviders([]))
    assert nothing.changes.empty and nothing.unmet_demand_after == pytest.approx(nothing.unmet_demand_before)


def test_unknown_provider_and_unknown_action_name_the_fix():
    with pytest.raises(InvalidValueError, match=r"column 'provider_id': cannot train a provider that is not in the "
                                                r"inputs \(got 'zz'\)\. Fix: use a provider_id from the providers"):
        what_if(_world(), STEP, [Upskill("zz")])
    with pytest.raises(InvalidValueError, match=r"column 'action'.*got 'close'; expected one of 'upskill'"):
        what_if(_world(), STEP, [{"action": "close", "provider_ids": ["c1"]}])


def test_compare_two_provider_snapshots_and_map_the_change():
    start = _world()
    end = with_providers(start, {"partners": _loaded(_providers(
        [p if p[0] != "d1" else ("d1", "Dale Drop-in", 2, "immigration;asylum", False, 1.0, "trained", 205_000, 5_000)
         for p in PROVIDERS]))})
    table = compare(analyse(start, STEP), analyse(end, STEP))
    # the benchmark rises with the new supply (3 / 650): nothing is held here
    assert table.loc[table["area_code"] == "D", "status_change"].item() == "desert closed"
    assert table["area_code"].tolist()[0] == "D"  # biggest fall in unmet demand first
    layer = change_layer(what_if(start, STEP, Upskill("d1")))
    assert layer.crs == "EPSG:27700" and layer.geometry.notna().all()
    assert _by_area(layer, "change_unmet_demand") == pytest.approx({"A": 0, "B": 0, "C": 0, "D": -50})


def test_float_noise_between_two_computations_is_no_change_and_leaves_the_order_to_the_area_code():
    from dataclasses import replace

    before = analyse(_world(), STEP)
    noisy = before.areas.copy()
    for col in ("access", "unmet_demand", "demand"):  # the last digit, as a sum in another order gives
        values = noisy[col].astype(float).to_numpy()
        noisy[col] = np.where(np.arange(len(values)) % 2 == 0, np.nextafter(values, -np.inf),
                              np.nextafter(values, np.inf))
    table = compare(before, replace(before, areas=noisy))
    for col in ("change_access", "change_unmet_demand", "change_demand"):
        assert (table[col] == 0).all() and not np.signbit(table[col].to_numpy()).any()  # no "-0.0"
    assert table["area_code"].tolist() == sorted(table["area_code"])
    assert set(table["status_change"]) <= {"", "still a desert", "still a drought"}


def test_another_snapshot_is_harmonised_as_the_inputs_were_for_the_trend_and_for_notebooks():
    from dataclasses import replace

    from coverage_gaps import trend
    from coverage_gaps.scenarios import harmonised_to

    world = _world()
    pop21 = _loaded(world.demand["population"].table.rename(columns={"population": "pop21"}))
    lookup = pd.DataFrame({"old_code": ["Z1"], "new_code": ["A"]})  # stands in for the profile's code lookup
    inputs = replace(world, demand={"asylum_support": world.demand["asylum_support"], "pop21": pop21},
                     weight_name="pop21", code_changes=lookup)
    options = harmonised_to(inputs)
    assert options["area_codes"] == {"A", "B", "C", "D"} and options["changes"] is lookup
    assert options["weight_label"] == "pop21" and options["weights"].to_dict() == {
        "A": 1e5, "B": 2e5, "C": 1e5, "D": 5e4}
    layer = {"name": "asylum_support", "format": "asy_d11", "path": "x.csv", "date": "latest",
             "support_types": ["Section 95"]}
    quarters = trend._options(inputs, layer)  # the trend's earlier quarters: the same, the layer's own keys too
    assert quarters.pop("support_types") == ["Section 95"] and "area_codes" not in quarters
    assert quarters["changes"] is lookup and quarters["weight_label"] == "pop21"
    assert "weights" not in harmonised_to(replace(inputs, weight_name=None))  # no layer named "population"


# --- greedy, brute force and the exact optimum on hand-made matrices -------------

def test_greedy_on_a_hand_made_unmet_matrix_equals_brute_force():
    # areas with demand 100, 50, 30 and no access; benchmark 1 per 1,000
    objective = UnmetReduction([100, 50, 30], [0, 0, 0], 1.0,
                               [[1.0, 0, 0], [0.5, 0.5, 0], [0, 0, 1.0], [0, 0, 0.2]])
    picks = greedy(objective, 2)
    assert [p.index for p in picks] == [0, 2]
    assert [p.gain for p in picks] == pytest.approx([100, 30])
    assert brute_force(objective, 2) == ((0, 2), pytest.approx(130.0))
    assert objective.value([1, 2]) == pytest.approx(50 + 25 + 30)


def test_lazy_greedy_is_plain_greedy_and_matches_brute_force_on_small_cases():
    rng = np.random.default_rng(7)
    optimal = 0
    for _ in range(150):
        n_areas, n_cand = rng.integers(1, 5), rng.integers(1, 6)
        gains = rng.random((n_cand, n_areas)) * (rng.random((n_cand, n_areas)) < 0.5) * 2
        objective = UnmetReduction(rng.integers(0, 100, n_areas), rng.random(n_areas), 1.5, gains)
        k = int(rng.integers(1, n_cand + 1))
        lazy = greedy(objective, k, stop_at_zero=False)
        plain = greedy(objective, k, lazy=False, stop_at_zero=False)
        assert [p.index for p in lazy] == [p.index for p in plain]
        assert lazy[-1].evaluations <= plain[-1].evaluations
        _, best = brute_force(objective, k)
        value = objective.value([p.index for p in lazy])
        assert value <= best + 1e-9 and value >= (1 - 1 / math.e) * best - 1e-9
        optimal += math.isclose(value, best, abs_tol=1e-9)
    assert optimal >= 140  # greedy is exact on nearly all tiny cases


def test_greedy_can_miss_the_covering_optimum_and_the_exact_solver_finds_it():
    # points a, b, c, d with demand 1, 2, 2, 1; candidates cover {a,b}, {c,d}, {b,c}
    reach = np.array([[1, 1, 0, 0], [0, 0, 1, 1], [0, 1, 1, 0]], dtype=bool)
    demand = np.array([1.0, 2.0, 2.0, 1.0])
    objective = CoverageGain(demand, np.zeros(4, dtype=bool), reach)
    assert [p.index for p in greedy(objective, 2)] == [2, 0]  # 4 first, then 1 more: 5
    assert brute_force(objective, 2) == ((0, 1), pytest.approx(6.0))
    km = np.where(reach.T, 5.0, np.inf)
    solution = exact_cover(demand, km, np.full((4, 1), np.inf), catchment_km=30, k=2)
    assert solution.chosen == (0, 1) and solution.covered == 6.0 and solution.status == "Optimal"
    # with b already covered by an existing provider, {c,d} is the best single pick: 2 + 3
    existing = np.array([[np.inf], [3.0], [np.inf], [np.inf]])
    assert exact_cover(demand, km, existing, catchment_km=30, k=1).covered == 5.0


def test_exact_is_never_worse_than_greedy_on_the_covered_objective():
    rng = np.random.default_rng(3)
    for _ in range(25):
        n, m, e = rng.integers(2, 9), rng.integers(1, 6), rng.integers(0, 3)
        demand = rng.integers(0, 30, n).astype(float)
        cand = np.where(rng.random((n, m)) < 0.4, rng.random((n, m)) * 30, np.inf)
        existing = np.where(rng.random((n, e)) < 0.3, 10.0, np.inf)
        k = int(rng.integers(1, m + 1))
        objective = CoverageGain(demand, (existing <= 30).any(axis=1), np.isfinite(cand).T)
        greedy_value = objective.covered_demand([p.index for p in greedy(objective, k)])
        solution = exact_cover(demand, cand, existing, catchment_km=30, k=k)
        assert solution.covered >= greedy_value - 1e-9
        assert solution.covered == pytest.approx(objective.covered_demand(()) + brute_force(objective, k)[1])


# --- best k to train --------------------------------------------------------------

def test_best_two_to_train_close_both_deserts_with_reasons():
    plan = best_to_train(_world(), STEP, 2)
    assert plan.candidates["provider_id"].tolist() == ["c1", "c2", "d1"]  # not 'far' (40 km), not 'b0' (no partner)
    assert plan.picks[["order", "provider_id", "area_name", "gain", "areas_served"]].to_dict("records") == [
        {"order": 1, "provider_id": "c1", "area_name": "Cford", "gain": pytest.approx(200.0), "areas_served": "Cford (200)"},
        {"order": 2, "provider_id": "d1", "area_name": "Dale", "gain": pytest.approx(50.0), "areas_served": "Dale (50)"},
    ]
    assert (plan.unmet_demand_before, plan.unmet_demand_after) == (pytest.approx(250.0), pytest.approx(0.0))
    assert plan.scenario.deserts_closed == ["C", "D"]
    assert plan.exact["greedy_covered"] == plan.exact["exact_covered"] == 650.0 and plan.exact["ratio"] == 1.0
    data = plan.to_dict()
    assert data["picks"][0]["organisation"] == "Cford Refugee Forum" and data["deserts_closed"] == ["C", "D"]


def test_plan_stops_when_no_candidate_gains_and_respects_the_study_region():
    plan = best_to_train(_world(), STEP, 5)
    assert plan.picks["provider_id"].tolist() == ["c1", "d1"]  # c2 adds nothing once c1 serves Cford
    assert any("only 2 of 3 candidates would gain anything" in n for n in plan.notes)
    region = best_to_train(_world(), STEP, 2, regions=("R1",))
    assert region.candidates["provider_id"].tolist() == ["c1", "c2"]
    assert region.unmet_demand_before == pytest.approx(200.0)


def test_covered_objective_and_explicit_candidates():
    plan = best_to_train(_world(), STEP, 1, objective="covered", candidates=["d1", "far", "laa1"])
    assert plan.candidates["provider_id"].tolist() == ["d1", "far"]  # the LAA office already counts
    assert any("1 candidate(s) already count as supply" in n for n in plan.notes)
    # 'far' is 45 km from C and D's centres: it reaches nobody; d1 brings D's 50 people in reach
    assert plan.picks["provider_id"].tolist() == ["d1"] and plan.covered_after - plan.covered_before == 50.0


def test_plan_rejects_bad_requests_with_the_fix():
    with pytest.raises(InvalidValueError, match=r"2 candidate\(s\) are not among the providers \(got \['x', 'y'\]"):
        best_to_train(_world(), STEP, 1, candidates=["x", "c1", "y"])
    with pytest.raises(InvalidValueError, match="unknown plan objective"):
        best_to_train(_world(), STEP, 1, objective="cheapest")
    with pytest.raises(InvalidValueError, match="column 'k': the number to train must be a whole number of 1 or more"):
        best_to_train(_world(), STEP, 0)


def test_incremental_model_matches_the_full_re_run_for_every_small_subset():
    # Gaussian decay; candidates spread so they compete for the same demand points
    rows = PROVIDERS + [("b2", "Bton Hub", 1, "immigration", False, 1.0, "partner", 18_000, 5_000),
                        ("c3", "Cford East", 0, "", False, 1.0, "partner", 109_000, 9_000)]
    inputs = _world(rows)
    settings = dict(DEFAULT_ANALYSIS, catchment_km=100.0, trained_capacity=0.5)
    model = build_model(inputs, settings, candidates=["c1", "c2", "d1", "b2", "c3"])
    ids = model.candidates["provider_id"].tolist()
    for size in (1, 2):
        for subset in combinations(range(len(ids)), size):
            s = what_if(inputs, settings, Upskill(tuple(ids[j] for j in subset), capacity=0.5), before=model.before)
            full = s.after.areas.set_index("area_code").loc[model.area_codes, "unmet_demand"].to_numpy()
            assert model.unmet.unmet_by_area(subset) == pytest.approx(full, rel=1e-9, abs=1e-9)


# --- time series and demand snapshots ---------------------------------------------

ASY_D11 = Path(__file__).resolve().parent / "data" / "asy_d11_three_quarters.csv"


def test_demand_series_lists_every_quarter_per_area_wide_and_long():
    from coverage_gaps.io import asy_d11_quarters, load_asy_d11_quarters

    assert asy_d11_quarters(ASY_D11) == ["2024-03-31", "2024-06-30", "2024-09-30"]
    wide = demand_series(load_asy_d11_quarters(ASY_D11))
    assert wide.columns.tolist() == ["area_code", "2024-03-31", "2024-06-30", "2024-09-30"]
    assert wide.set_index("area_code").loc["E06000021"].tolist() == [930.0, 1005.0, 1040.0]  # all support types
    # Telford is listed in one quarter only: Asy_D11 leaves out areas with nobody on support
    assert wide.set_index("area_code").loc["E06000020"].tolist() == [0.0, 40.0, 0.0]
    long = demand_series(load_asy_d11_quarters(ASY_D11, support_types=["Section 95"], area_codes=["E06000021"]),
                         wide=False, area_codes=["E06000021"])
    assert long.to_dict("list") == {"area_code": ["E06000021"] * 3, "date": ["2024-03-31", "2024-06-30", "2024-09-30"],
                                    "asylum_support": [930.0, 1000.0, 1040.0]}
    two = demand_series(load_asy_d11_quarters(ASY_D11, area_codes=["E08000026", "E06000020"],
                                              dates=["2024 Q2", "2024-09-30"]), area_codes=["E08000026", "E06000020"])
    assert two.to_dict("list") == {"area_code": ["E08000026", "E06000020"], "2024-06-30": [1600.0, 40.0],
                                   "2024-09-30": [1700.0, 0.0]}


def test_compare_two_quarters_of_demand_with_the_same_providers():
    from coverage_gaps.io import load_asy_d11

    codes = ["E06000021", "E08000026", "E06000020"]
    areas = gpd.GeoDataFrame({"area_code": codes, "area_name": ["Stoke-on-Trent", "Coventry", "Telford and Wrekin"]},
                             geometry=[box(0, 0, 10_000, 10_000), box(60_000, 0, 70_000, 10_000),
                                       box(200_000, 0, 210_000, 10_000)], crs="EPSG:27700")
    office = _providers([("o1", "Office", 3, "immigration;asylum", False, 5.0, "", 35_000, 5_000)])
    start = Inputs(areas=_loaded(areas), providers={"offices": _loaded(office)},
                   demand={"asylum_support": load_asy_d11(ASY_D11, date="2024-03-31", area_codes=codes)})
    end = with_demand(start, "asylum_support",
                      load_asy_d11(ASY_D11, date="2024-09-30", column="asylum_support", **harmonised_to(start)))
    assert start.demand["asylum_support"].date == "2024-03-31"  # the original is left alone
    settings = dict(STEP, population="")
    table = compare(analyse(start, settings), analyse(end, settings)).set_index("area_code")
    # Telford is in neither quarter: no data (NaN), not 0 people
    assert table["change_demand"].fillna(-1).to_dict() == {"E06000021": 110.0, "E08000026": 200.0, "E06000020": -1}
    # one office 30 km from both cities: 5 advisers shared by 2,430 then 2,740 people
    assert table.loc["E06000021", "access_before"] == pytest.approx(5 / 2430 * 1000)
    assert table.loc["E06000021", "access_after"] == pytest.approx(5 / 2740 * 1000)
    with pytest.raises(InvalidValueError, match="no demand layer of that name"):
        with_demand(start, "population", start.demand["asylum_support"])


def test_new_providers_from_lon_lat_or_bng_and_a_missing_location():
    s = what_if(_world(), STEP, AddProviders([{"name": "Clinic", "lon": -1.5, "lat": 52.4},
                                              {"provider_id": "pop-up", "x": 205_000, "y": 5_000}]))
    added = s.after.providers.set_index("provider_id").loc[["new-1", "pop-up"]]
    assert added.geometry.x.round(-3).tolist() == [434_000.0, 205_000.0]  # WGS84 reprojected to BNG metres
    assert s.deserts_closed == ["D"] and added["capacity"].tolist() == [1.0, 1.0]  # trained_capacity default
    with pytest.raises(InvalidValueError, match=r"a new provider needs a location \(got \{'name': 'nowhere'\}; "
                                                r"expected x and y \(British National Grid metres\) or lon and lat\)"):
        what_if(_world(), STEP, AddProviders([{"name": "nowhere"}]))


def test_ties_on_unmet_demand_go_to_the_candidate_that_reaches_new_people():
    # below the benchmark each trained adviser cuts unmet demand by the same amount;
    # candidate 1 also brings 40 people within reach for the first time
    unmet = UnmetReduction([100, 100], [0, 0], 1.0, [[0.2, 0], [0, 0.2]])
    cover = CoverageGain([60, 40], [True, False], [[True, False], [False, True]], area=[0, 1], n_areas=2)
    assert [p.index for p in greedy(unmet, 1)] == [0]
    assert [p.index for p in greedy(unmet, 1, tiebreak=cover)] == [1]
    assert [p.index for p in greedy(unmet, 2, tiebreak=cover, lazy=False)] == [1, 0]


def test_plan_on_england_and_wales_with_a_hundred_candidates_takes_seconds(real_data):
    import warnings

    import shapely

    from coverage_gaps.config import load_profile
    from coverage_gaps.pipeline import load_inputs, run_profile

    profile = load_profile(ROOT / "data" / "profiles" / "england-wales.toml", data_dir=real_data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inputs = load_inputs(profile)
    baseline = run_profile(profile, inputs=inputs)
    # one would-be partner (Level 1) inside each of the 100 areas with most unmet demand
    top = baseline.areas.sort_values(["unmet_demand", "area_code"], ascending=[False, True]).head(100)
    rows = [(f"cand-{c}", f"Partner in {n}", 1, "immigration", False, 1.0, "partner", 0, 0)
            for c, n in zip(top["area_code"], top["area_name"])]
    partners = _providers(rows).set_geometry(shapely.point_on_surface(top.geometry.to_numpy()), crs="EPSG:27700")
    inputs = with_providers(inputs, {"partners": _loaded(partners)})
    # only these 100: the profile's own candidate set (LAA offices in other categories of law) is left out
    plan = best_to_train(inputs, profile.analysis, 10, regions=profile.regions,
                         candidates=[r[0] for r in rows])  # timed by benchmarks, not here
    assert len(plan.candidates) == 100 and len(plan.picks) == 10
    # the incremental model agrees with the full re-run, and nobody's unmet demand rises
    assert plan.predicted_unmet_demand_after == pytest.approx(plan.unmet_demand_after, rel=1e-9)
    assert plan.unmet_demand_after < plan.unmet_demand_before
    assert (plan.before_after["change_unmet_demand"] <= 1e-6).all()
    assert plan.scenario.n_deserts_closed >= 1
    assert plan.exact["exact_covered"] >= plan.exact["greedy_covered"] > plan.covered_before
