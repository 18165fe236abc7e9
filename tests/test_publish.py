"""The one publishing policy, end to end: private columns never leave, points never finer than asked.

One run of the demo whose partner list has ``Organisation``, ``Name`` (a contact
person), ``Contact``, ``Phone``, ``Email`` and ``Notes`` columns, published with
``[publish] point_precision = "area"``.  Every output is searched: map.html,
report.html, targets.csv, targets.xlsx, areas.gpkg, rejects.csv, plan.csv, the
notebook widget's drill-down, ``check`` (text and ``--json``) and what ``run``,
``targets`` and ``plan`` print.
"""

from __future__ import annotations

import contextlib
import io
import re
import sqlite3
import warnings
import zipfile
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from coverage_gaps.cli import DEMO_PROFILE, main
from coverage_gaps.pipeline import run_profile
from coverage_gaps.publish import terminal_text
from coverage_gaps.schema import AREA_CODE, CRS_BNG, CRS_WGS84
from coverage_gaps.settings import AnalysisSettings
from coverage_gaps.widgets import area_details

DEMO = DEMO_PROFILE.parent  # the demo profile sits beside its data
PRIVATE = ("Name", "Contact", "Phone", "Email", "Notes")


def _private_partners(path) -> pd.DataFrame:
    """The demo partner list with an organisation column and five private ones (values easy to search for)."""
    raw = pd.read_csv(DEMO / "partners.csv", dtype=str, keep_default_na=False)
    n = len(raw)
    table = raw.drop(columns=["contact_email", "notes"]).rename(columns={"name": "Organisation"})
    table["Name"] = [f"Personzq{i:03d} Smith" for i in range(n)]
    table["Contact"] = [f"Contactvx{i:03d} Jones" for i in range(n)]
    table["Phone"] = [f"+44 7700 9{i:05d}" for i in range(n)]  # starts like a formula: neutralised, still private
    table["Email"] = [f"privatemail{i:03d}@example.org" for i in range(n)]
    table["Notes"] = [f"=HYPERLINK(\"http://x\",\"secretnote{i:03d}\")" for i in range(n)]
    table.loc[5, "oisc_level"] = "Level 9"  # a rejected row: its private values must not reach rejects either
    table.to_csv(path, index=False)
    return table


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """Run every command on the private partner list; return the texts of every output and the Result."""
    tmp = tmp_path_factory.mktemp("publish")
    partners = _private_partners(tmp / "partners.csv")
    profile = DEMO_PROFILE.read_text(encoding="utf-8").replace('path = "partners.csv"',
                                                                 f'path = "{tmp / "partners.csv"}"')
    assert str(tmp) in profile
    profile = profile.replace("[profile]\n", f'[profile]\ndata_dir = "{DEMO}"\n', 1) + '\n[publish]\npoint_precision = "area"\n'
    (tmp / "profile.toml").write_text(profile, encoding="utf-8")
    args = str(tmp / "profile.toml")
    texts: dict[str, str] = {}
    for name, argv in {"run": ["run", args, "--out", str(tmp / "out")],
                       "targets": ["targets", args],
                       "targets csv": ["targets", args, "--format", "csv"],
                       "check": ["check", args],
                       "check --json": ["check", args, "--json"],
                       "plan": ["plan", args, "--train", "2", "--out", str(tmp / "plan")]}.items():
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert main(argv) == 0, err.getvalue()
        texts[f"terminal: {name}"] = out.getvalue() + err.getvalue()
    for path in sorted((tmp / "out").iterdir()) + sorted((tmp / "plan").iterdir()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                texts[path.name] = "\n".join(z.read(n).decode("utf-8") for n in z.namelist())
        else:
            texts[path.name] = path.read_bytes().decode("utf-8", errors="replace")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run_profile(tmp / "profile.toml")
    texts["widget"] = "\n".join(t.to_csv() for code in result.areas[AREA_CODE]
                                for t in area_details(result, code).values())
    return SimpleNamespace(texts=texts, partners=partners, result=result, out=tmp / "out")


def test_every_output_was_searched(published):
    assert {"map.html", "report.html", "targets.csv", "targets.xlsx", "areas.gpkg", "rejects.csv", "plan.csv",
            "widget", "terminal: run", "terminal: plan", "terminal: check", "terminal: check --json",
            "terminal: targets", "terminal: targets csv"} <= set(published.texts)


def test_no_private_value_appears_in_any_output(published):
    values = {v for col in PRIVATE for v in published.partners[col]}
    values |= {v.split(" ")[0] for v in published.partners["Name"]}  # a first name alone is private too
    values |= {re.search(r"secretnote\d+", v).group(0) for v in published.partners["Notes"]}
    leaks = {where: sorted(v for v in values if v in text)[:3] for where, text in published.texts.items()}
    assert {k: v for k, v in leaks.items() if v} == {}
    # the search can see names: organisation names are published (the map, report and widget show them)
    shown = [name for name in published.partners["Organisation"] if name in published.texts["map.html"]]
    assert len(shown) > 20 and any(name in published.texts["widget"] for name in shown)


def test_a_rejected_rows_private_values_stay_out_of_rejects(published):
    rejects = pd.read_csv(published.out / "rejects.csv")
    assert "OISC level not recognised" in " ".join(rejects["reason"])
    assert published.partners.loc[5, "Email"] not in published.texts["rejects.csv"]


def _rep_points(result) -> dict[str, tuple[float, float]]:
    pts = result.areas.set_index(AREA_CODE).geometry.representative_point().to_crs(CRS_WGS84)
    return {c: (round(p.y, 5), round(p.x, 5)) for c, p in pts.items()}


def test_no_output_carries_a_provider_point_finer_than_its_area(published):
    result = published.result
    exact = result.providers.geometry.to_crs(CRS_WGS84)
    exact_pairs = {(round(p.y, 5), round(p.x, 5)) for p in exact}
    allowed = set(_rep_points(result).values())
    assert exact_pairs - allowed, "the demo must have providers away from their area's point for this test to bite"
    finer = exact_pairs - allowed
    for name in ("map.html", "report.html"):
        pairs = {(float(a), float(b)) for a, b in re.findall(r"\[(-?\d+\.\d+), ?(-?\d+\.\d+)", published.texts[name])}
        assert not pairs & finer, name
        assert pairs & allowed, f"{name}: no area point found, the search is blind"
    # GeoPackage: every provider sits on its area's representative point (or a 10 km cell centre outside the study)
    layer = gpd.read_file(published.out / "areas.gpkg", layer="providers").to_crs(CRS_BNG)
    centres = result.areas.set_index(AREA_CODE).geometry.representative_point()
    inside = layer[AREA_CODE].isin(centres.index)
    assert inside.sum() > 20
    assert np.allclose(np.c_[layer[inside].geometry.x, layer[inside].geometry.y],
                       np.c_[centres[layer.loc[inside, AREA_CODE]].x, centres[layer.loc[inside, AREA_CODE]].y])
    outside = layer[~inside].geometry
    assert (np.isclose(outside.x % 10_000, 5_000) & np.isclose(outside.y % 10_000, 5_000)).all()
    assert set(layer["location_precision"]) == {"area"}
    # the widget's drill-down: lon/lat are area points
    code = result.providers[AREA_CODE].iloc[0]
    shown = area_details(result, code)["providers"]
    assert len(shown) and set(zip(shown["lat"].round(4), shown["lon"].round(4))) == {
        (round(_rep_points(result)[code][0], 4), round(_rep_points(result)[code][1], 4))}
    # the tables carry no coordinates at all
    with sqlite3.connect(published.out / "areas.gpkg") as db:
        assert [c for (_, c, *_) in db.execute("pragma table_info(providers)") if c in ("lat", "lon")] == []
    for sheet in ("targets", "candidates"):
        columns = pd.read_excel(published.out / "targets.xlsx", sheet_name=sheet).columns
        assert not {"lat", "lon", "latitude", "longitude", "easting", "northing"} & set(columns)


def test_gpkg_text_is_neutralised_like_csv_and_xlsx(published, tmp_path):
    from dataclasses import replace

    from coverage_gaps.export import write_gpkg

    result = published.result
    providers = result.providers.copy()
    providers.loc[providers.index[0], "name"] = "=cmd|' /C calc'!A0"

    write_gpkg(replace(result, providers=providers), tmp_path / "a.gpkg")
    names = gpd.read_file(tmp_path / "a.gpkg", layer="providers")["name"]
    assert "'=cmd|' /C calc'!A0" in set(names) and "=cmd|' /C calc'!A0" not in set(names)


# --- terminals ---------------------------------------------------------------------------

ESCAPED = "\x1b]0;owned\x07\x1b[2J\x1b[31mRed Vale\x1b[0m\x9b6n"


def test_terminal_text_strips_escape_sequences_and_controls():
    assert terminal_text(ESCAPED) == "Red Vale"
    assert terminal_text("a\x0bb\tc\nd") == "a b\tc\nd"


def test_targets_and_run_print_no_escape_sequence(published, monkeypatch, capsys):
    from dataclasses import replace

    import coverage_gaps.cli.analysis as cli

    areas = published.result.areas.copy()
    areas["area_name"] = ESCAPED
    monkeypatch.setattr(cli, "load_result", lambda args: replace(published.result, areas=areas))
    assert main(["targets"]) == 0
    out = capsys.readouterr().out
    assert "Red Vale" in out and "\x1b" not in out and "\x9b" not in out and "\x07" not in out


def test_plan_prints_no_escape_sequence(capsys):
    from coverage_gaps.cli.plan import _print_plan

    picks = pd.DataFrame({"order": [1], "provider_id": ["P1"], "organisation": [ESCAPED], "area_name": [ESCAPED],
                          "gain": [1.0], "areas_served": [ESCAPED]})
    table = pd.DataFrame({"desert_closed": [True], "area_name": [ESCAPED]})
    plan = SimpleNamespace(scenario=SimpleNamespace(before=SimpleNamespace(synthetic=False, title=ESCAPED,
                                                                          settings=AnalysisSettings(), coverage=""),
                                                    table=table, notes=[ESCAPED]),
                           picks=picks, k=1, candidates=[1], objective="unmet_demand", unmet_demand_before=2.0,
                           unmet_demand_after=1.0, exact=None, notes=[])
    _print_plan(plan)
    out = capsys.readouterr().out
    assert out.count("Red Vale") == 6 and "\x1b" not in out and "\x9b" not in out and "\x07" not in out
