"""The built wheel, installed into a fresh venv, runs the documented commands from any folder.

Built once per module: ``pip wheel --no-deps`` from a copy of the sources, installed with ``--no-deps`` into a
new venv whose dependencies are borrowed from this environment through a ``.pth`` file (so nothing is downloaded,
and ``coverage_gaps`` itself can only come from the wheel).  A ``sitecustomize`` in that venv installs an audit
hook that records every file opened, and every module imported, under the repository root (apart from the
borrowed ``.venv``); the test fails if the installed package read anything from the checkout.  The commands run
from a temporary folder with no ``node_modules`` above it; the map and report are then opened in headless
Chromium with the network blocked.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from browser import offline_page

from conftest import ROOT

#: Written into the test venv's site-packages: records reads under the repository root.
SITECUSTOMIZE = '''
import os, sys
_ROOT = {root!r}
_ALLOWED = {allowed!r}
_LOG = os.environ.get("COVERAGE_GAPS_AUDIT_LOG")
_seen = []

def _under_root(path):
    try:
        path = os.path.abspath(os.fsdecode(path))
    except (TypeError, ValueError):
        return None
    if (path == _ROOT or path.startswith(_ROOT + os.sep)) and not any(path.startswith(a) for a in _ALLOWED):
        return path
    return None

def _hook(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        hit = _under_root(args[0])
    elif event == "import" and len(args) > 1 and args[1]:
        hit = _under_root(args[1])
    else:
        return
    if hit and _LOG:
        _seen.append(event + " " + hit)
        with open(_LOG, "a", encoding="utf-8") as f:
            f.write(event + " " + hit + "\\n")

if _LOG:
    sys.addaudithook(_hook)
'''


def _run(cmd, *, cwd, env, timeout=300):
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{cmd} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv, work folder, env, audit log): the wheel installed in a fresh venv, and a clean folder to run in."""
    base = tmp_path_factory.mktemp("wheel")
    assert not any((p / "node_modules").exists() for p in (base, *base.parents)), "node_modules above the test folder"
    # build from a copy of what the wheel is made of: no stale build/ folder, nothing written into the checkout
    src = base / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "coverage", src / "coverage",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"))
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--quiet", "-w", str(dist)], cwd=base,
         env=os.environ.copy(), timeout=600)
    (wheel,) = dist.glob("coverage_gaps-*.whl")

    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=base, env=os.environ.copy())
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "--quiet",
          str(wheel)], cwd=base, env=os.environ.copy())
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # dependencies from this environment: its site-packages as a plain path entry (its own .pth files, such as
    # the editable install of coverage_gaps, are not processed), after the venv's own site-packages
    borrowed = sysconfig.get_path("purelib")
    (site / "borrowed_dependencies.pth").write_text(borrowed + "\n", encoding="utf-8")
    allowed = [str(Path(sys.prefix).resolve()) + os.sep, os.path.realpath(borrowed) + os.sep]
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE.format(root=str(ROOT.resolve()), allowed=allowed),
                                           encoding="utf-8")

    work = base / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COVERAGE_GAPS_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", COVERAGE_GAPS_AUDIT_LOG=str(base / "audit.log"),
               HOME=str(base))
    return venv, work, env, base / "audit.log"


@pytest.fixture(scope="module")
def ran(installed):
    """The README's first commands, run from the clean folder with the wheel's console script."""
    venv, work, env, audit = installed
    where = _run([str(venv / "bin" / "python"), "-c", "import coverage_gaps, json; print(coverage_gaps.__file__)"],
                 cwd=work, env=env).stdout.strip()
    outputs = {
        "run": _run(["coverage-gaps", "run", "--out", "out"], cwd=work, env=env).stdout,
        "plan": _run(["coverage-gaps", "plan", "--train", "2", "--out", "plan", "--json"], cwd=work, env=env).stdout,
        "report": _run(["coverage-gaps", "report", "-o", "report.html"], cwd=work, env=env).stdout,
    }
    return where, outputs


def test_the_package_comes_from_the_wheel_and_reads_nothing_from_the_checkout(installed, ran):
    venv, work, env, audit = installed
    where, _ = ran
    assert Path(where).is_relative_to(venv), where
    assert (venv / "bin" / "coverage-gaps").is_file()
    reads = audit.read_text(encoding="utf-8").splitlines() if audit.exists() else []
    assert reads == [], "the installed package read from the repository:\n" + "\n".join(reads[:20])


def test_the_audit_hook_would_see_a_read_from_the_checkout(installed):
    venv, work, env, audit = installed
    probe = ROOT / "data" / "profiles" / "README.md"
    seen = audit.parent / "probe.log"
    _run([str(venv / "bin" / "python"), "-c", f"open({str(probe)!r}).close()"], cwd=work,
         env={**env, "COVERAGE_GAPS_AUDIT_LOG": str(seen)})
    assert seen.read_text(encoding="utf-8").splitlines() == [f"open {probe.resolve()}"]


def test_run_plan_and_report_write_their_files(installed, ran):
    venv, work, env, audit = installed
    _, outputs = ran
    assert sorted(p.name for p in (work / "out").iterdir()) == sorted(
        ["targets.csv", "targets.xlsx", "areas.gpkg", "rejects.csv", "harmonised.csv", "map.html", "report.html"])
    assert outputs["run"].startswith("Demo region (synthetic demo data)\n") and "\nTop 10 target areas\n" in outputs["run"]
    plan = json.loads(outputs["plan"])
    assert len(plan["picks"]) == 2 and plan["unmet_demand_after"] < plan["unmet_demand_before"]
    assert sorted(p.name for p in (work / "plan").iterdir()) == ["before_after.csv", "plan.csv"]
    assert (work / "report.html").is_file()


def _expected_areas() -> int:
    """Districts of the demo's study region, counted from the raw lookup CSV of the package data."""
    import csv

    from coverage_gaps.cli import DEMO_PROFILE

    with open(DEMO_PROFILE.parent / "lad_to_region.csv", encoding="utf-8", newline="") as f:
        return sum(row["RGN22CD"] == "X12000001" for row in csv.DictReader(f))


@pytest.mark.browser
@pytest.mark.parametrize("name", ["out/map.html", "report.html"])
def test_the_installed_maps_draw_every_area_offline(installed, ran, chromium, out_dir, name):
    venv, work, env, audit = installed
    with offline_page(chromium, work / name, out_dir=out_dir) as (page, log):
        frame = page.frame_locator("iframe.map-frame") if name == "report.html" else page
        frame.locator("path.cg-area").first.wait_for()
        drawn = frame.locator(".leaflet-cgareas-pane path.cg-area").count()
    assert log.clean, log.summary()
    assert drawn == _expected_areas()
