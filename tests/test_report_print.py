"""The demo report printed to PDF by Chromium (``page.pdf``, A4): short, with whole rows under a full header.

The PDF's text is read back with pypdf.  A row split across two pages would
leave its tail at the top of the next page, so every page that carries rows
must start its rows (right after the repeated header) with a whole row: its
rank, then its area's name, with the area code further down the same page.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from browser import offline_page
from conftest import ROOT

from coverage_gaps import report
from coverage_gaps.cli import DEMO_PROFILE
from coverage_gaps.pipeline import run_profile

pytestmark = pytest.mark.browser


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def printed(chromium, tmp_path_factory):
    pypdf = pytest.importorskip("pypdf")
    result = run_profile(DEMO_PROFILE, trend=True)  # as `coverage-gaps run` prints it: with the trend chart
    folder = ROOT / "tests" / "output" / "test_report_print"  # kept for people to look at
    folder.mkdir(parents=True, exist_ok=True)
    path = report.write_report(result, tmp_path_factory.mktemp("print") / "report.html")
    with offline_page(chromium, path) as (page, log):
        page.emulate_media(media="print")
        page.screenshot(path=str(folder / "report_print_media.png"), full_page=True)
        headers = page.eval_on_selector_all("#targets thead th", "ths => ths.map(th => th.innerText)")
        page.pdf(path=str(folder / "report.pdf"), format="A4", print_background=True, prefer_css_page_size=True)
    assert log.clean, log.summary()
    pages = [p.extract_text() for p in pypdf.PdfReader(folder / "report.pdf").pages]
    return result, headers, pages, folder / "report.pdf"


def test_demo_report_prints_on_at_most_eight_a4_pages(printed):
    result, _, pages, path = printed
    assert 1 <= len(pages) <= 8
    text = " ".join(pages)
    assert "Areas to target" in text and "Sources, dates and licences" in text  # nothing cut off at the end


def test_every_page_with_rows_repeats_the_full_header_and_no_row_is_split(printed):
    result, headers, pages, _ = printed
    targets = result.targets
    header = _squash("".join(headers))
    assert len(headers) >= 10 and "Why" in headers and "Rank" in headers  # the words, not sort buttons
    unranked = targets[targets["rank"].isna()]
    targets = targets[targets["rank"].notna()].reset_index(drop=True)  # ranked areas print as rows
    codes = targets["area_code"].tolist()
    seen = []
    for number, text in enumerate(pages, start=1):
        here = [c for c in codes if c in text]
        if not here:
            continue
        flat = _squash(text)
        assert header in flat, f"page {number} carries rows but not the full header row"
        after = flat[flat.index(header) + len(header):]
        first = targets.iloc[min(codes.index(c) for c in here)]
        rank = "notranked" if pd.isna(first["rank"]) else str(int(first["rank"]))
        assert after.startswith(_squash(f"{rank}{first['area_name']}")), (
            f"page {number} starts its rows with part of a row: {after[:80]!r}")
        seen += here
    assert sorted(seen) == sorted(codes)  # every row printed, each on exactly one page
    # areas not ranked (no data, no recorded need, outside coverage) are named in one line instead of rows
    listing = _squash(" ".join(pages))
    assert unranked.empty or _squash(f"Not ranked, so not printed as rows ({len(unranked)} areas)") in listing
    assert all(_squash(name) in listing for name in unranked["area_name"])
    assert not any(code in " ".join(pages) for code in unranked["area_code"])
