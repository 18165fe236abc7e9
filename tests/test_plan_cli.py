"""``coverage-gaps plan`` on the embedded demo, and the candidates file it reads."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from coverage_gaps.cli import DEMO_PROFILE, main
from coverage_gaps.errors import EmptyInputError, InputFileNotFoundError, MissingColumnError
from coverage_gaps.scenarios import PLAN_COLUMNS, CHANGE_COLUMNS, read_candidates

#: Two advice deserts (Cford 200 people, Dale 50) with partners inside both; see tests/test_scenarios.py.
TWO_DESERTS = Path(__file__).resolve().parent / "data" / "plan_two_deserts" / "profile.toml"


def test_plan_on_two_deserts_writes_the_picks_in_order_with_reasons(tmp_path, capsys):
    assert main(["plan", str(TWO_DESERTS), "--train", "2", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "People below the average access, in the study region: 250 -> 0" in printed  # relative: not "unmet"
    assert "Advice deserts closed: 2 (Cford, Dale)" in printed
    assert (tmp_path / "plan.csv").read_text(encoding="utf-8") == (
        "order,provider_id,organisation,area_code,area_name,gain,cumulative_gain,areas_served\n"
        "1,c1,Cford Refugee Forum,C,Cford,200,200,Cford (200)\n"
        "2,d1,Dale Drop-in,D,Dale,50,250,Dale (50)\n"
    )
    with open(tmp_path / "before_after.csv", encoding="utf-8", newline="") as f:
        table = {r["area_code"]: r for r in csv.DictReader(f)}
    assert {c: table[c]["status_change"] for c in "ABCD"} == {"A": "", "B": "", "C": "desert closed", "D": "desert closed"}
    assert table["C"]["unmet_demand_before"] == "200" and table["C"]["unmet_demand_after"] == "0"


def test_plan_json_and_a_candidates_file(tmp_path, capsys):
    shortlist = tmp_path / "shortlist.csv"
    shortlist.write_text("provider_id\nc2\nd1\n", encoding="utf-8")
    assert main(["plan", str(TWO_DESERTS), "--train", "1", "--candidates", str(shortlist), "--json",
                 "--set", "trained_capacity=0.5"]) == 0
    data = json.loads(capsys.readouterr().out)
    # c2 gives Cford access 0.5 / 200 * 1,000 = 2.5 against the benchmark 2 / 650 * 1,000 = 3.08:
    # 200 * 2.5 / 3.08 = 162.5 people's need met; d1 would meet Dale's 50
    assert (data["unmet_demand_before"], data["unmet_demand_after"]) == (250.0, 87.5)
    assert [(p["provider_id"], p["gain"]) for p in data["picks"]] == [("c2", 162.5)]
    assert data["deserts_closed"] == ["C"] and data["exact"]["ratio"] == 1.0


@pytest.fixture(scope="module")
def demo_plan(tmp_path_factory):
    """One CLI run on the demo: --train 3 --json, written to a folder."""
    out = tmp_path_factory.mktemp("plan")
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["plan", str(DEMO_PROFILE), "--train", "3", "--out", str(out), "--json"])
    return code, buffer.getvalue(), out


def test_plan_on_the_demo_writes_plan_and_before_after_csv(demo_plan):
    code, _, out = demo_plan
    assert code == 0
    with open(out / "plan.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == PLAN_COLUMNS
    assert [r["order"] for r in rows] == [str(i) for i in range(1, len(rows) + 1)] and 1 <= len(rows) <= 3
    assert all(float(r["gain"]) > 0 and r["areas_served"] for r in rows)
    with open(out / "before_after.csv", encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    assert list(table[0]) == CHANGE_COLUMNS
    assert all(float(r["change_unmet_demand"]) <= 1e-6 for r in table)  # training never adds unmet demand


def test_plan_json_parses_and_the_demo_plan_closes_a_desert(demo_plan):
    _, text, out = demo_plan
    data = json.loads(text)  # nothing but JSON on stdout
    assert data["unmet_demand_after"] < data["unmet_demand_before"]
    assert [p["order"] for p in data["picks"]] == list(range(1, len(data["picks"]) + 1))
    with open(out / "plan.csv", encoding="utf-8", newline="") as f:
        assert [p["provider_id"] for p in data["picks"]] == [r["provider_id"] for r in csv.DictReader(f)]
    assert len(data["deserts_closed"]) >= 1
    assert data["exact"]["exact_covered"] >= data["exact"]["greedy_covered"]


def test_plan_with_a_candidates_file_chooses_only_from_it(tmp_path, capsys):
    from coverage_gaps.config import load_profile
    from coverage_gaps.pipeline import run_profile

    providers = run_profile(load_profile(DEMO_PROFILE)).candidates
    assert providers["provider_id"].nunique() >= 2, "the demo has candidate partners near its target areas"
    chosen = providers["provider_id"].drop_duplicates().head(2).tolist()
    path = tmp_path / "shortlist.csv"
    path.write_text("provider_id\n" + "\n".join(chosen) + "\n", encoding="utf-8")
    assert main(["plan", str(DEMO_PROFILE), "--train", "1", "--candidates", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {p["provider_id"] for p in data["picks"]} <= set(chosen)


def test_candidates_file_problems_name_the_file_and_the_fix(tmp_path):
    with pytest.raises(InputFileNotFoundError, match=r"nope\.csv: candidates file not found\. Fix: give a CSV with a "
                                                     r"provider_id column to --candidates\."):
        read_candidates(tmp_path / "nope.csv")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("id\nP1\n", encoding="utf-8")
    with pytest.raises(MissingColumnError, match=r"wrong\.csv: missing column\(s\) 'provider_id' \(expected a header "
                                                 r"row with 'provider_id'; the file has 'id'\)"):
        read_candidates(wrong)
    blank = tmp_path / "blank.csv"
    blank.write_text("provider_id\n \n", encoding="utf-8")
    with pytest.raises(EmptyInputError, match="lists no provider_id"):
        read_candidates(blank)
    ok = tmp_path / "ok.csv"
    ok.write_text("\ufeffprovider_id,note\nP1, first\n P2 ,\n", encoding="utf-8")
    assert read_candidates(ok) == ["P1", "P2"]


def test_plan_cli_reports_a_bad_candidates_file_without_a_traceback(tmp_path, capsys):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("id\nP1\n", encoding="utf-8")
    assert main(["plan", str(DEMO_PROFILE), "--train", "1", "--candidates", str(wrong)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("coverage-gaps plan: wrong.csv: missing column(s) 'provider_id'") and "Traceback" not in err
