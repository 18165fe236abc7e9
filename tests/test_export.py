"""Exports: formula cells neutralised, private fields left out, same input -> same bytes."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from openpyxl import load_workbook
from shapely.geometry import Point, box

from coverage_gaps.export import neutralise, public_providers, target_table, write_exports
from coverage_gaps.result import Result


def _result() -> Result:
    areas = gpd.GeoDataFrame(
        {
            "area_code": ["A", "B"],
            "area_name": ["=HYPERLINK(\"http://x\")", "Bton"],
            "region_code": ["R1", "R1"],
            "demand": [120.0, 30.0],
            "local_providers": [0, 2],
            "nearest_km": [41.0, 1.5],
            "access": [0.0, 3.2],
            "unmet_demand": [120.0, 0.0],
            "desert": [True, False],
            "drought": [True, False],
            "rank": pd.array([1, 2], dtype="Int64"),
            "reason": ["+ first", "-second"],
            "coverage_share": [0.0, 1.0],
        },
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)],
        crs="EPSG:27700",
    )
    providers = gpd.GeoDataFrame(
        {
            "provider_id": ["p1"], "name": ["@mention"], "oisc_level": [1], "categories": ["asylum"],
            "laa_contract": [False], "status": ["partner"], "area_code": ["B"], "area_name": ["Bton"],
            "location_precision": ["exact"], "contact_email": ["secret@example.org"], "notes": ["private note"],
        },
        geometry=[Point(1500, 500)], crs="EPSG:27700",
    )
    candidates = pd.DataFrame({"area_code": ["A"], "provider_id": ["p1"], "name": ["@mention"], "oisc_level": [1],
                               "status": ["partner"], "categories": ["asylum"], "distance_km": [0.5]})
    rejects = pd.DataFrame({"file": ["x.csv"], "row": [3], "column": ["postcode"], "value": ["=cmd"],
                            "reason": ["malformed postcode"]})
    return Result(areas=areas, providers=providers, rejects=rejects, candidates=candidates,
                  generated_on="2026-01-02")


def test_neutralise_prefixes_formula_starts_only():
    assert [neutralise(v) for v in ["=1+1", "+44", "-3", "@x", "\tx", "ok", 5]] == [
        "'=1+1", "'+44", "'-3", "'@x", "'\tx", "ok", 5]


def test_target_table_has_contract_columns_and_candidates():
    table = target_table(_result())
    present = ["rank", "area_code", "area_name", "demand", "local_providers", "nearest_km", "access",
               "people_below_average", "desert", "drought", "reason"]  # the hand-made Result has no gap columns
    assert list(table.columns[:11]) == present
    assert table.loc[0, "candidates"] == "@mention"


def test_a_region_no_ranked_area_has_is_refused_not_an_empty_list():
    import pytest

    from coverage_gaps.errors import InvalidValueError

    result = _result()
    result.areas["region_code"] = ["R1", "R2"]
    assert target_table(result, region="R2")["area_code"].tolist() == ["B"]
    with pytest.raises(InvalidValueError, match=r"column 'region': no ranked area is in this region \(got 'R9'; "
                                                r"expected one of R1, R2\)\. Fix: use one of those codes, or leave "
                                                r"region out"):
        target_table(result, region="R9")


def test_exports_neutralise_cells_and_are_byte_identical(tmp_path):
    first = write_exports(_result(), tmp_path / "a")
    second = write_exports(_result(), tmp_path / "b")
    for name in ["targets.csv", "targets.xlsx", "areas.gpkg", "rejects.csv"]:
        assert first[name].read_bytes() == second[name].read_bytes(), name
    csv = (tmp_path / "a" / "targets.csv").read_text()
    assert "'=HYPERLINK" in csv and "'+ first" in csv and "'-second" in csv
    assert "'=cmd" in (tmp_path / "a" / "rejects.csv").read_text()
    wb = load_workbook(tmp_path / "a" / "targets.xlsx")
    ws = wb["targets"]
    assert ws.freeze_panes == "A2"
    # 11 contract columns with one gap column for desert and drought, + region_code, coverage_share, candidates
    assert ws.auto_filter.ref == "A1:M3"
    assert ws["G1"].value == "Access per 1,000 in need" and ws["G2"].number_format == "#,##0.00"
    assert ws["I1"].value == "Gap" and [ws["I2"].value, ws["I3"].value] == ["desert", "at or above"]
    assert ws["C2"].value == "'=HYPERLINK(\"http://x\")" and ws["C2"].data_type == "s"
    assert wb.sheetnames == ["targets", "candidates", "rejects", "about", "definitions"]
    about = {r[0]: r[1] for r in wb["about"].iter_rows(min_row=2, values_only=True)}
    assert about["generated on"] == "2026-01-02" and "data" not in about  # real data: no synthetic note
    layer = gpd.read_file(tmp_path / "a" / "areas.gpkg", layer="areas")
    assert len(layer) == 2 and layer.crs.to_epsg() == 27700


def test_private_provider_fields_never_exported(tmp_path):
    write_exports(_result(), tmp_path)
    pub = public_providers(_result())
    assert "contact_email" not in pub.columns and "notes" not in pub.columns
    providers = gpd.read_file(tmp_path / "areas.gpkg", layer="providers")
    assert "contact_email" not in providers.columns and "notes" not in providers.columns
    for f in tmp_path.iterdir():
        data = f.read_bytes()
        assert b"secret@example.org" not in data and b"private note" not in data, f.name
