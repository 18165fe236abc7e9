"""Shared fixtures: where the real data lives, and per-test output folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).resolve().parent / "data"
BAD = TEST_DATA / "bad"
REAL_DATA = Path(os.environ.get("COVERAGE_GAPS_REAL_DATA", ROOT.parent / "shared" / "data" / "real"))


def _need_real_data() -> Path:
    if REAL_DATA.is_dir():
        return REAL_DATA
    message = f"real open data folder {REAL_DATA} is absent (see ../shared/data/real/PROVENANCE.md)"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI is set, so this is a failure, not a skip")
    pytest.skip(message)


@pytest.fixture(scope="session")
def real_data() -> Path:
    """Path to ../shared/data/real; skips when absent, fails when CI is set."""
    return _need_real_data()


@pytest.fixture
def out_dir(request) -> Path:
    """A folder under tests/output/ named after the test, kept after the run (screenshots)."""
    name = request.node.nodeid.replace("/", "_").replace("::", "__").replace("[", "_").replace("]", "")
    path = ROOT / "tests" / "output" / name
    path.mkdir(parents=True, exist_ok=True)
    return path


# One headless Chromium per test session, shared by every browser test (tests/browser.py).
from browser import chromium  # noqa: E402,F401  (a session fixture)
