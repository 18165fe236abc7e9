"""The coverage-gaps command on the embedded demo: what a user types and sees."""

from __future__ import annotations

import json
import sqlite3

import pandas as pd

from coverage_gaps.cli import DEMO_PROFILE, main


def test_run_writes_every_output_and_prints_the_top_ten(tmp_path, capsys):
    assert main(["run", str(DEMO_PROFILE), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "(synthetic demo data): top 10 target areas" in out
    assert {"targets.csv", "targets.xlsx", "areas.gpkg", "rejects.csv", "map.html", "report.html"} <= {
        p.name for p in tmp_path.iterdir()}
    targets = pd.read_csv(tmp_path / "targets.csv")
    assert list(targets.columns[:11]) == ["rank", "area_code", "area_name", "demand", "local_providers",
                                          "nearest_km", "access", "unmet_demand", "desert", "drought", "reason"]
    assert targets["rank"].tolist() == list(range(1, len(targets) + 1))
    # every export made from the demo says so
    assert (targets["data_note"] == "synthetic demo data").all()
    about = pd.read_excel(tmp_path / "targets.xlsx", sheet_name="about").set_index("item")["value"]
    assert about["data"].startswith("synthetic demo data")
    with sqlite3.connect(tmp_path / "areas.gpkg") as db:
        descriptions = [d for (d,) in db.execute("select description from gpkg_contents order by table_name")]
    assert descriptions and all("synthetic demo data" in d for d in descriptions)
    assert "synthetic demo data" in (tmp_path / "map.html").read_text().lower()
    assert "synthetic demo data" in (tmp_path / "report.html").read_text().lower()
    # the rejects file lists the demo's two unknown postcodes
    rejects = pd.read_csv(tmp_path / "rejects.csv")
    assert len(rejects) == 2 and rejects["reason"].str.contains("unknown postcode").all()
    assert "people" in rejects.columns and rejects["people"].isna().all()  # provider rows count no people
    # the summary states the demand date used and how many areas it covers (issue 12 / 14)
    assert "note: asy_d11.csv: figures for " in out and " area code(s)" in out
    assert pd.read_csv(tmp_path / "harmonised.csv").columns.tolist() == ["input", "date", "code", "to_codes",
                                                                         "people", "method"]


def test_run_twice_gives_byte_identical_outputs(tmp_path):
    for name in ("a", "b"):
        assert main(["run", str(DEMO_PROFILE), "--out", str(tmp_path / name)]) == 0
    for f in sorted((tmp_path / "a").iterdir()):
        assert f.read_bytes() == (tmp_path / "b" / f.name).read_bytes(), f.name


def test_set_overrides_change_the_analysis(tmp_path, capsys):
    assert main(["targets", "--top", "3", "--format", "json", "--set", "catchment_km=80"]) == 0
    wide = json.loads(capsys.readouterr().out)
    assert main(["targets", "--top", "3", "--format", "json"]) == 0
    default = json.loads(capsys.readouterr().out)
    assert len(wide) == len(default) == 3
    assert sum(r["desert"] for r in wide) < sum(r["desert"] for r in default)


def test_targets_csv_and_xlsx(tmp_path, capsys):
    assert main(["targets", "--top", "5", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("rank,area_code,area_name") and len(lines) == 6
    assert main(["targets", "--top", "5", "--format", "xlsx", "-o", str(tmp_path / "t.xlsx")]) == 0
    assert len(pd.read_excel(tmp_path / "t.xlsx")) == 5


def test_check_reports_counts_that_reconcile(capsys):
    assert main(["check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    for name, s in report.items():
        assert s["rows_read"] == s["rows_used"] + s["rows_filtered"] + s["rows_rejected"], name
    assert report["providers:partners"]["rows_rejected"] == 2


def test_bad_profile_is_a_message_not_a_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[inputs.areas]\npath = "nowhere.geojson"\n[analysis]\ncatchment = 5\n')
    assert main(["run", str(bad), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "has 2 problem(s)" in err and "did you mean 'catchment_km'?" in err and "Traceback" not in err
