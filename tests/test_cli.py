"""The coverage-gaps command on the embedded demo: what a user types and sees."""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
from pathlib import Path

import pandas as pd
import pytest

from coverage_gaps.cli import DEMO_PROFILE, main


def test_run_writes_every_output_and_prints_the_top_ten(tmp_path, capsys):
    assert main(["run", str(DEMO_PROFILE), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Demo region (synthetic demo data)\n") and "\nTop 10 target areas\n" in out
    assert "Share of residents who live in an area with no qualifying provider inside it" in out
    assert {"targets.csv", "targets.xlsx", "areas.gpkg", "rejects.csv", "map.html", "report.html"} <= {
        p.name for p in tmp_path.iterdir()}
    targets = pd.read_csv(tmp_path / "targets.csv")
    assert list(targets.columns[:16]) == ["rank", "area_code", "area_name", "gap", "demand", "local_providers", "nearest_km",
                                          "share_beyond_reach", "access", "people_below_average", "rank_min",
                                          "rank_max", "top10_in", "desert", "drought", "reason"]
    assert targets["rank"].tolist() == list(range(1, len(targets) + 1))
    # every export made from the demo says so
    assert (targets["data_note"] == "synthetic demo data").all()
    about = pd.read_excel(tmp_path / "targets.xlsx", sheet_name="about").set_index("Item")["Value"]  # headings in words
    assert about["data"].startswith("synthetic demo data")
    with sqlite3.connect(tmp_path / "areas.gpkg") as db:
        descriptions = [d for (d,) in db.execute("select description from gpkg_contents order by table_name")]
    assert descriptions and all("synthetic demo data" in d for d in descriptions)
    assert "synthetic demo data" in (tmp_path / "map.html").read_text().lower()
    assert "synthetic demo data" in (tmp_path / "report.html").read_text().lower()
    # the report `run` writes has the demo's trend (issue 15): five quarters for the first five targets
    assert (tmp_path / "report.html").read_text().count('<circle class="point"') == 25
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


# --- what a new user meets first ---------------------------------------------------------------


def test_version_and_top_level_help(capsys):
    from coverage_gaps._version import __version__

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"coverage-gaps {__version__}"
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "Find immigration and asylum advice deserts and droughts, rank target areas, and report them." in text
    examples = [line for line in text.splitlines() if line.startswith("  coverage-gaps ")]
    assert len(examples) == 3


def test_every_option_of_every_command_has_help_text():
    from coverage_gaps.cli import _parser

    parser = _parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(sub.choices) == {"check", "run", "targets", "report", "plan", "demo"}
    silent = [f"{name} {a.dest}" for name, p in sub.choices.items() for a in p._actions
              if not a.help and a.dest != "help"]
    assert silent == []


def test_an_unknown_region_is_an_error_naming_the_known_regions(capsys):
    assert main(["targets", "--region", "E12000005", "--format", "csv"]) == 2
    err = capsys.readouterr().err
    assert "column '--region': no ranked area is in this region (got 'E12000005'; expected one of X12000001)" in err
    assert main(["targets", "--region", "X12000001", "--top", "3", "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 4


def test_targets_file_format_follows_the_file_name(tmp_path, capsys):
    assert main(["targets", "--top", "4", "-o", str(tmp_path / "t.xlsx")]) == 0
    assert len(pd.read_excel(tmp_path / "t.xlsx")) == 4
    assert main(["targets", "-o", str(tmp_path / "t.txt")]) == 2
    assert "a file ending .csv, .xlsx or .json" in capsys.readouterr().err
    assert not (tmp_path / "t.txt").exists()


# --- no half-written outputs ---------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def earlier_run(tmp_path_factory) -> Path:
    """An out folder holding an earlier run's six outputs and a file of the user's own."""
    out = tmp_path_factory.mktemp("earlier") / "out"
    assert main(["run", "--out", str(out)]) == 0
    (out / "targets.csv").write_text("an earlier run's targets\n", encoding="utf-8")
    (out / "my-notes.txt").write_text("mine\n", encoding="utf-8")
    return out


def _fail_the_map_step(monkeypatch):
    """Leaflet cannot be found when the map is built: after targets, XLSX, GPKG and rejects are written."""
    from coverage_gaps import _assets
    from coverage_gaps.errors import AssetsNotFoundError

    def missing(names):
        raise AssetsNotFoundError("the Leaflet files that offline maps inline are not installed (injected)")

    monkeypatch.setattr(_assets, "inline_html", missing)


def test_a_run_that_fails_at_the_map_leaves_the_out_folder_unchanged(earlier_run, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    shutil.copytree(earlier_run, out)
    before = _snapshot(out)
    _fail_the_map_step(monkeypatch)
    assert main(["run", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "not installed (injected)" in err and f"Nothing was written: {out} is unchanged." in err
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary folder left beside it


def test_a_failed_run_into_a_new_folder_creates_nothing(tmp_path, monkeypatch):
    _fail_the_map_step(monkeypatch)
    assert main(["run", "--out", str(tmp_path / "new" / "deeper" / "out")]) == 2
    assert list(tmp_path.iterdir()) == []


def test_a_bug_mid_run_leaves_the_folder_unchanged_and_says_so(earlier_run, tmp_path, monkeypatch):
    from coverage_gaps import report

    out = tmp_path / "out"
    shutil.copytree(earlier_run, out)
    before = _snapshot(out)

    def broken(result, report_path, map_path):
        Path(report_path).write_text("half a report", encoding="utf-8")
        raise RuntimeError("a bug in the report step")

    monkeypatch.setattr(report, "write_report_and_map", broken)
    with pytest.raises(RuntimeError, match="a bug in the report step") as err:
        main(["run", "--out", str(out)])
    assert f"Nothing was written: {out} is unchanged." in err.value.__notes__
    assert _snapshot(out) == before


def test_a_rerun_replaces_its_files_and_lists_the_others(earlier_run, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(earlier_run, out)
    assert main(["run", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"wrote {out / 'targets.csv'} (replaced the earlier file)" in printed
    assert (f"note: {out} also holds files this command did not write, left unchanged (from an earlier run?): "
            "my-notes.txt") in printed
    assert (out / "targets.csv").read_text(encoding="utf-8").startswith("rank,area_code")
    assert (out / "my-notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_out_naming_a_file_and_report_naming_a_folder_are_clear_errors(tmp_path, capsys):
    a_file = tmp_path / "results.csv"
    a_file.write_text("keep me\n", encoding="utf-8")
    assert main(["run", "--out", str(a_file)]) == 2
    assert "--out must name a folder, but this is an existing file" in capsys.readouterr().err
    assert main(["plan", "--train", "1", "--out", str(a_file)]) == 2
    assert "--out must name a folder" in capsys.readouterr().err
    assert main(["report", "-o", str(tmp_path)]) == 2
    assert f"-o must name a file, but this is an existing folder. Fix: give a file name, e.g. -o {tmp_path / 'report.html'}" in (
        capsys.readouterr().err)
    assert a_file.read_text(encoding="utf-8") == "keep me\n"


def test_a_failed_report_leaves_the_earlier_report_in_place(earlier_run, tmp_path, monkeypatch, capsys):
    target = tmp_path / "report.html"
    shutil.copy(earlier_run / "report.html", target)
    _fail_the_map_step(monkeypatch)
    assert main(["report", "-o", str(target)]) == 2
    assert f"Nothing was written: {target} is unchanged." in capsys.readouterr().err
    assert target.read_bytes() == (earlier_run / "report.html").read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_plan_that_fails_on_its_second_file_writes_neither(tmp_path, monkeypatch):
    from coverage_gaps import export

    two_deserts = Path(__file__).resolve().parent / "data" / "plan_two_deserts" / "profile.toml"
    real, calls = export.write_csv, []

    def disk_full_on_the_second(table, path, **options):
        calls.append(Path(path).name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(table, path, **options)

    monkeypatch.setattr(export, "write_csv", disk_full_on_the_second)
    with pytest.raises(OSError, match="No space left") as err:
        main(["plan", str(two_deserts), "--train", "1", "--out", str(tmp_path / "plan")])
    assert calls == ["plan.csv", "before_after.csv"]
    assert f"Nothing was written: {tmp_path / 'plan'} is unchanged." in err.value.__notes__
    assert list(tmp_path.iterdir()) == []


# --- the demo, from any folder --------------------------------------------------------------------


def test_demo_copy_writes_inputs_and_a_profile_that_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    assert f"The embedded synthetic demo: {DEMO_PROFILE}" in capsys.readouterr().out
    assert main(["demo", "--copy", "mine"]) == 0
    copied = tmp_path / "mine" / "demo.toml"
    assert copied.is_file() and (tmp_path / "mine" / "asy_d11.csv").is_file()
    assert f"Run it with: coverage-gaps run {Path('mine') / 'demo.toml'}" in capsys.readouterr().out
    assert main(["targets", str(copied), "--top", "5", "--format", "json"]) == 0
    from_copy = json.loads(capsys.readouterr().out)
    assert main(["targets", "--top", "5", "--format", "json"]) == 0
    assert from_copy == json.loads(capsys.readouterr().out)
    # a second copy would overwrite the user's edits: refused, nothing written
    copied.write_text("# edited\n", encoding="utf-8")
    assert main(["demo", "--copy", "mine"]) == 2
    assert "already holds files of the same name" in capsys.readouterr().err
    assert copied.read_text(encoding="utf-8") == "# edited\n"


def test_the_default_profile_is_the_installed_package_data():
    import coverage_gaps

    package = Path(coverage_gaps.__file__).parent
    assert DEMO_PROFILE == package / "demo" / "data" / "demo.toml" and DEMO_PROFILE.is_file()


def test_a_zipped_install_extracts_the_demo_to_a_real_folder(tmp_path, monkeypatch):
    import zipfile

    from coverage_gaps import demo

    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name in (*demo.FILES, demo.PROFILE_NAME):
            z.write(DEMO_PROFILE.parent / name, f"data/{name}")
    monkeypatch.setattr(demo, "_data", lambda: zipfile.Path(archive, "data/"))
    demo.profile_path.cache_clear()
    try:
        extracted = demo.profile_path()
    finally:
        demo.profile_path.cache_clear()
    try:
        assert isinstance(extracted, Path) and extracted.is_file() and extracted != DEMO_PROFILE
        assert extracted.read_bytes() == DEMO_PROFILE.read_bytes()
        for name in demo.FILES:
            assert (extracted.parent / name).read_bytes() == (DEMO_PROFILE.parent / name).read_bytes(), name
    finally:
        shutil.rmtree(extracted.parent)


# --- optional dependencies ------------------------------------------------------------------------


def test_plan_needs_neither_pulp_nor_spopt(monkeypatch, capsys):
    # the exact check is scipy's HiGHS: pulp and spopt are test oracles only
    for name in ("pulp", "spopt", "spopt.locate"):
        monkeypatch.setitem(sys.modules, name, None)  # as if they were not installed
    assert main(["plan", "--train", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["exact"]["status"] == "Optimal"


def test_a_folder_in_the_way_of_an_output_stops_before_anything_moves(earlier_run, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(earlier_run, out)
    (out / "targets.csv").unlink()
    (out / "targets.csv").mkdir()  # a folder where an output file goes
    before = _snapshot_files(out)
    assert main(["run", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "an output file would replace a folder of the same name" in err
    assert f"Nothing was written: {out} is unchanged." in err
    assert _snapshot_files(out) == before


def _snapshot_files(folder: Path) -> dict[str, bytes | None]:
    return {p.name: (p.read_bytes() if p.is_file() else None) for p in sorted(folder.iterdir())}


def test_the_command_ends_with_the_exit_code_and_every_line_it_wrote(tmp_path):
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # stdout to a pipe is block-buffered
    command = [sys.executable, "-m", "coverage_gaps.cli"]
    listed = subprocess.run([*command, "targets", "--format", "csv", "--top", "3"], capture_output=True, text=True,
                            env=env, timeout=300)
    assert listed.returncode == 0
    assert [line.split(",")[0] for line in listed.stdout.splitlines()] == ["rank", "1", "2", "3"]
    missing = tmp_path / "none.toml"
    refused = subprocess.run([*command, "run", str(missing), "--out", str(tmp_path / "out")], capture_output=True,
                             text=True, env=env, timeout=300)
    assert refused.returncode == 2 and f"profile file not found: {missing}" in refused.stderr
