"""Leftovers of killed runs: a hidden partial folder whose process is gone is removed by the next run beside it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

from coverage_gaps.staging import Staged


def _partial(where, name, owner: str | None, *, age_s: float = 0.0):
    folder = where / f".coverage-gaps-partial-{name}"
    folder.mkdir()
    (folder / "report.html").write_text("half written", encoding="utf-8")
    if owner is not None:
        (folder / ".coverage-gaps-owner").write_text(owner, encoding="utf-8")
    if age_s:
        old = time.time() - age_s
        os.utime(folder, (old, old))
    return folder


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_killed_runs_partial_folder_goes_and_live_ones_stay(tmp_path):
    host = socket.gethostname()
    killed = _partial(tmp_path, "killed", f"{host} {_dead_pid()}")
    running = _partial(tmp_path, "running", f"{host} {os.getpid()}")  # this very process: alive
    other_host_new = _partial(tmp_path, "elsewhere", "another-machine 12345")
    other_host_old = _partial(tmp_path, "elsewhere-old", "another-machine 12345", age_s=2 * 24 * 3600)
    with Staged(tmp_path / "out") as stage:
        stage.path("report.html").write_text("new", encoding="utf-8")
    assert sorted(stage.leftovers) == sorted([killed.name, other_host_old.name])
    assert not killed.exists() and not other_host_old.exists()
    assert running.exists() and other_host_new.exists()
    # the owner file is the stage's own bookkeeping: it is never moved into the out folder
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.html"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".coverage-gaps-partial-")) == sorted(
        [running.name, other_host_new.name])
