"""The XLSX writer (XML written directly): what openpyxl reads back is what was written, and the bytes repeat."""

from __future__ import annotations

import zipfile

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from coverage_gaps import _xlsx, export


@pytest.fixture
def awkward():
    """One column of each kind a planner's sheet can hold, with the values that trip writers up."""
    return pd.DataFrame({
        "area_name": ["Ash & Oak <north>", "  padded  ", "two\nlines", "bell\x07here", "=SUM(A1)", None],
        "people_in_need": pd.array([3, None, 0, 7, 12, 1], dtype="Int64"),
        "share_beyond_reach": [0.1 + 0.2, np.nan, np.inf, 1 / 3, 0.0, 1e-9],
        "access": pd.array([1.25, None, 2.0, 3.5, 0.5, 4.0], dtype="Float64"),
        "desert": [True, False, True, False, True, False],
        "value": ["text", 5, 2.5, None, "", True],
    })


def _cells(path, sheet):
    ws = load_workbook(path)[sheet]
    return [[(c.value, c.number_format) for c in row] for row in ws.iter_rows(min_row=2)]


def test_values_read_back_exactly_with_their_formats(tmp_path, awkward):
    path = export.write_xlsx({"extra": awkward}, tmp_path / "a.xlsx")
    rows = _cells(path, "extra")
    names = [r[0][0] for r in rows]
    assert names == ["Ash & Oak <north>", "  padded  ", "two\nlines", "bell\ufffdhere", "'=SUM(A1)", None]
    assert [r[1][0] for r in rows] == [3, None, 0, 7, 12, 1]
    assert rows[0][2] == (0.30000000000000004, "0%")  # the float as computed, not rounded to 15 digits
    assert [r[2][0] for r in rows[1:]] == [None, None, 1 / 3, 0.0, 1e-9]  # NaN and infinity: empty cells
    assert [r[3][0] for r in rows] == [1.25, None, 2.0, 3.5, 0.5, 4.0]
    assert [r[4][0] for r in rows] == [True, False, True, False, True, False]
    # a text column holding numbers: whole numbers "#,##0", others "#,##0.00##"; "" is an empty cell
    assert [r[5] for r in rows] == [("text", "General"), (5, "#,##0"), (2.5, "#,##0.00##"), (None, "General"),
                                    (None, "General"), (True, "General")]
    with zipfile.ZipFile(path) as zf:  # Excel drops spaces at either end of a text unless told to keep them
        assert '<t xml:space="preserve">  padded  </t>' in zf.read("xl/worksheets/sheet1.xml").decode()
    ws = load_workbook(path)["extra"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:F7"
    assert all(c.font.bold for c in ws[1]) and not ws["A2"].font.bold


def test_same_sheets_give_the_same_bytes_with_the_given_date_inside(tmp_path, awkward):
    first = export.write_xlsx({"extra": awkward}, tmp_path / "a.xlsx", generated_on="2026-03-04")
    second = export.write_xlsx({"extra": awkward}, tmp_path / "b.xlsx", generated_on="2026-03-04")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        assert {info.date_time for info in zf.infolist()} == {(2026, 3, 4, 0, 0, 0)}
        assert zf.namelist()[0] == "[Content_Types].xml"
    props = load_workbook(first).properties
    assert props.created.isoformat() == props.modified.isoformat() == "2026-03-04T00:00:00"


def test_rows_streamed_in_blocks_stay_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(_xlsx, "_ROWS_PER_BLOCK", 2)
    table = pd.DataFrame({"rank": np.arange(1, 8), "area_code": [f"E0{i}" for i in range(1, 8)]})
    path = export.write_xlsx({"targets": table}, tmp_path / "t.xlsx")
    back = pd.read_excel(path, sheet_name="targets")
    assert back["Rank"].tolist() == list(range(1, 8)) and back["Area code"].tolist() == table["area_code"].tolist()


def test_column_letters_past_z():
    assert [_xlsx.column_letter(i) for i in (1, 26, 27, 52, 53, 702, 703)] == ["A", "Z", "AA", "AZ", "BA", "ZZ",
                                                                                  "AAA"]
