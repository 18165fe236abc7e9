"""The planners' workbook and CSV on the demo: headings in words, formats, definitions, names, whole numbers."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from coverage_gaps import export
from coverage_gaps.cli import DEMO_PROFILE
from coverage_gaps.pipeline import run_profile


@pytest.fixture(scope="module")
def demo():
    return run_profile(DEMO_PROFILE)


@pytest.fixture(scope="module")
def workbook(demo, tmp_path_factory):
    folder = tmp_path_factory.mktemp("xlsx")
    export.write_exports(demo, folder)
    return load_workbook(folder / "targets.xlsx"), folder


def _rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def test_every_heading_is_words_bold_and_frozen(workbook):
    wb, _ = workbook
    for ws in wb.worksheets:
        header = next(ws.iter_rows(max_row=1))
        assert ws.freeze_panes == "A2", ws.title
        for cell in header:
            assert cell.font.bold, (ws.title, cell.value)
            if ws.title != "definitions":
                text = str(cell.value)
                assert "_" not in text and text[0].isupper() and " " in text or text in {
                    "Rank", "Area", "Gap", "Why", "Residents", "Organisation", "File", "Row", "Column", "Value",
                    "Item"}, (ws.title, text)


def test_every_numeric_column_has_a_number_format(workbook):
    wb, _ = workbook
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(min_row=2))
        for j, head in enumerate(next(ws.iter_rows(max_row=1, values_only=True))):
            numbers = [r[j] for r in rows if isinstance(r[j].value, (int, float)) and not isinstance(r[j].value, bool)]
            assert all(c.number_format != "General" for c in numbers), (ws.title, head)


def test_definitions_cover_every_column_of_every_sheet(workbook):
    wb, _ = workbook
    defined = {(sheet, name) for sheet, name, *_ in _rows(wb["definitions"])[1:]}
    for ws in wb.worksheets:
        if ws.title == "definitions":
            continue
        for head in _rows(ws)[0]:
            assert (ws.title, head) in defined, (ws.title, head)
    meanings = [meaning for *_, meaning, _unit in _rows(wb["definitions"])[1:]]
    assert "not described" not in meanings


def test_targets_have_one_gap_column_and_candidates_have_area_names_and_level_words(demo, workbook):
    wb, _ = workbook
    targets = pd.DataFrame(_rows(wb["targets"])[1:], columns=_rows(wb["targets"])[0])
    assert "Gap" in targets.columns and "Advice desert" not in targets.columns and "Advice drought" not in targets
    areas = demo.targets.set_index("area_code")
    expected = ["desert" if areas.loc[c, "desert"] else "drought" if areas.loc[c, "drought"] else None
                for c in targets["Area code"]]
    assert [g if g in ("desert", "drought") else None for g in targets["Gap"]] == expected
    candidates = pd.DataFrame(_rows(wb["candidates"])[1:], columns=_rows(wb["candidates"])[0])
    assert (candidates["Area"] == candidates["Area code"].map(areas["area_name"])).all()
    levels = dict(zip(demo.candidates["provider_id"], demo.candidates["oisc_level"]))
    words = {0: "none (not accredited)", 1: "Level 1: advice and assistance", 2: "Level 2: casework"}
    assert [words[levels[p]] for p in candidates["Provider ID"]] == candidates["OISC level"].tolist()
    assert set(wb.sheetnames) == {"targets", "candidates", "rejects", "about", "definitions"}


def test_csv_keeps_code_names_and_writes_whole_numbers_as_integers(tmp_path):
    table = pd.DataFrame({"area_code": ["E08000025", "E06000021"], "population": [1_142_494.0, 258_366.0],
                          "access": [0.123456789, float("nan")], "rank": pd.array([1, None], dtype="Int64")})
    text = export.write_csv(table, tmp_path / "t.csv").read_text()
    assert text.splitlines() == ["area_code,population,access,rank", "E08000025,1142494,0.123457,1",
                                 "E06000021,258366,,"]


def test_columns_without_a_definition_still_get_a_heading_and_a_number_format(tmp_path):
    table = pd.DataFrame({"mystery_count": [1, 2], "mystery_rate": [0.5, 1.25]})
    wb = load_workbook(export.write_xlsx({"extra": table}, tmp_path / "x.xlsx"))
    ws = wb["extra"]
    assert [c.value for c in ws[1]] == ["Mystery count", "Mystery rate"]
    assert [ws["A2"].number_format, ws["B2"].number_format] == ["#,##0", "#,##0.00"]
    assert _rows(wb["definitions"])[1] == ("extra", "Mystery count", "mystery_count", "not described", None)
