"""``plan --no-exact`` skips the exact covering check; ``--version`` answers without loading the analysis."""

from __future__ import annotations

import json
import subprocess
import sys

from coverage_gaps.cli import main

from test_plan_cli import TWO_DESERTS


def test_no_exact_skips_the_check_and_keeps_the_plan(capsys):
    assert main(["plan", str(TWO_DESERTS), "--train", "2", "--json"]) == 0
    with_check = json.loads(capsys.readouterr().out)
    assert with_check["exact"]["status"] == "Optimal" and with_check["exact"]["exact_covered"] == 650.0
    assert main(["plan", str(TWO_DESERTS), "--train", "2", "--json", "--no-exact"]) == 0
    without = json.loads(capsys.readouterr().out)
    assert without["exact"] is None
    assert without["picks"] == with_check["picks"] and without["unmet_demand_after"] == 0.0


def test_version_prints_the_package_version():
    from coverage_gaps import __version__

    done = subprocess.run([sys.executable, "-m", "coverage_gaps.cli", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == f"coverage-gaps {__version__}"


def test_a_plan_whose_candidates_reach_nobody_picks_nobody(tmp_path, capsys):
    # a 10 m catchment: the two Cford partners (1 km from its demand point) reach nobody: no pairs at all
    shortlist = tmp_path / "shortlist.csv"
    shortlist.write_text("provider_id\nc1\nc2\n", encoding="utf-8")
    assert main(["plan", str(TWO_DESERTS), "--train", "1", "--json", "--candidates", str(shortlist),
                 "--set", "catchment_km=0.01"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["picks"] == [] and data["unmet_demand_after"] == data["unmet_demand_before"]
