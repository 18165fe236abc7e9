"""A file read twice in one run is parsed once; what a caller does to its table never reaches the next reader."""

from __future__ import annotations

from coverage_gaps.tables import read


def test_a_second_read_of_an_unchanged_file_is_not_parsed_again(tmp_path, monkeypatch):
    path = tmp_path / "asy_d11.csv"
    path.write_text("Date,LAD Code,People\n2024-09-30,E08000026,120\n", encoding="utf-8")
    parsed = []
    real = read._read_table
    monkeypatch.setattr(read, "_read_table", lambda *a, **k: parsed.append(a) or real(*a, **k))
    first, row = read.read_table(path, header_hint=["Date"])
    first.loc[0, "People"] = "999"  # a loader editing its copy
    first.attrs["notes"].append("a note of that loader")
    second, _ = read.read_table(path, header_hint=["Date"])
    assert len(parsed) == 1 and row == 2
    assert second.loc[0, "People"] == "120" and second.attrs["notes"] == []
    # a file saved again with other figures (same size, same second) is read again
    path.write_text("Date,LAD Code,People\n2024-09-30,E08000026,121\n", encoding="utf-8")
    third, _ = read.read_table(path, header_hint=["Date"])
    assert len(parsed) == 2 and third.loc[0, "People"] == "121"
