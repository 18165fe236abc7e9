"""Demand loaders: Asy_D11, Nomis population and plain area tables, with hand-summed fixtures."""

from __future__ import annotations

import re

import pytest
from conftest import BAD, TEST_DATA

from coverage_gaps import errors, schema
from coverage_gaps.io import load_asy_d11, load_demand_table, load_population

ASY = TEST_DATA / "demand_asy_d11_small.csv"
NOMIS = TEST_DATA / "demand_nomis_small.csv"
IMD = TEST_DATA / "demand_imd_ltla.csv"
LONG = TEST_DATA / "demand_resettlement_long.csv"
XLSX = BAD / "demand_asy_d11_title_rows.xlsx"
AREAS = {"E06000021", "E08000026", "W06000015"}  # Stoke-on-Trent, Coventry, Cardiff


def values(loaded, column):
    return loaded.table.set_index(schema.AREA_CODE)[column].to_dict()


def counts(loaded):
    return loaded.read, loaded.used, loaded.filtered, loaded.rejected


# --- Asy_D11 --------------------------------------------------------------------


def test_asy_d11_latest_sums_every_support_and_accommodation_type():
    with pytest.warns(UserWarning, match="3 of 13 Asy_D11 rows rejected"):
        loaded = load_asy_d11(ASY, area_codes=AREAS)
    assert loaded.date == "2024-09-30"
    # Stoke: 1,040 + 30 + 5 (s4, the other spelling of Subsistence only) + 200 (s4) + 6 (s98); Coventry 1,800 + 217
    assert values(loaded, schema.ASYLUM_SUPPORT) == {"E06000021": 1281.0, "E08000026": 2017.0, "W06000015": 300.0}
    assert list(loaded.table.columns) == [schema.AREA_CODE, schema.ASYLUM_SUPPORT]
    assert counts(loaded) == (13, 8, 2, 3)  # the two June rows are filtered
    assert loaded.reconciles()


def test_asy_d11_rejects_name_row_column_and_reason():
    with pytest.warns(UserWarning):
        rejects = load_asy_d11(ASY, area_codes=AREAS).rejects
    assert rejects["row"].tolist() == [11, 12, 13]
    assert rejects["reason"].tolist() == [
        "code E06000065 (North Yorkshire) is a district of another boundary vintage, but neither it nor its "
        "predecessors or successors are among the boundaries' areas",
        "area code is empty (N/A - Subsistence Only); the row cannot be placed on an area",
        "People is not a number; expected a number",
    ]
    assert rejects["column"].tolist() == ["LAD Code", "LAD Code", "People"]
    assert rejects.loc[2, "value"] == "x"


def test_asy_d11_without_area_codes_keeps_unknown_codes():
    with pytest.warns(UserWarning, match="2 of 13"):
        loaded = load_asy_d11(ASY)
    assert values(loaded, "asylum_support")["E06000065"] == 120.0


def test_asy_d11_support_and_accommodation_types_case_insensitive():
    loaded = load_asy_d11(ASY, area_codes=AREAS, support_types=["section 95"],
                          accommodation_types="DISPERSAL ACCOMMODATION")
    assert values(loaded, "asylum_support") == {"E06000021": 1040.0, "E08000026": 1800.0, "W06000015": 300.0}
    assert counts(loaded) == (13, 3, 10, 0)  # rows out of scope are filtered, not rejected
    assert loaded.reconciles()


def test_asy_d11_both_spellings_of_subsistence_only_match():
    with pytest.warns(UserWarning, match="area code is empty"):
        loaded = load_asy_d11(ASY, area_codes=AREAS, accommodation_types=["Subsistence Only"])
    assert values(loaded, "asylum_support") == {"E06000021": 35.0}


def test_asy_d11_bare_section_number_and_custom_column():
    with pytest.warns(UserWarning, match="row 13: People is not a number"):
        loaded = load_asy_d11(ASY, area_codes=AREAS, support_types="4", column="s4")
    # Coventry's only s4 row is not a number: rejected, so Coventry is absent (not a silent zero)
    assert values(loaded, "s4") == {"E06000021": 205.0}  # 200 dispersal + 5 subsistence only


@pytest.mark.parametrize("date", ["2024-06-30", "30/06/2024", "2024 Q2"])
def test_asy_d11_a_chosen_date_in_several_spellings(date):
    loaded = load_asy_d11(ASY, area_codes=AREAS, date=date)
    assert loaded.date == "2024-06-30"
    assert values(loaded, "asylum_support") == {"E06000021": 900.0, "E08000026": 1500.0}
    assert counts(loaded) == (13, 2, 11, 0)


def test_asy_d11_absent_date_lists_the_nearest_dates():
    with pytest.raises(errors.InvalidValueError) as info:
        load_asy_d11(ASY, date="2024-08-31")
    assert str(info.value) == (
        "demand_asy_d11_small.csv, column 'Date': date not in the file (got '2024-08-31'; expected one of the "
        "nearest dates 2024-06-30, 2024-09-30 (the file has 2 date(s), 2024-06-30 to 2024-09-30)). "
        "Fix: use a date from the file, or date='latest'."
    )


def test_asy_d11_unknown_support_type_lists_the_files_types():
    with pytest.raises(errors.InvalidValueError, match=re.escape(
        "demand_asy_d11_small.csv, column 'Support Type': Support Type 'Section 96' not found in the file "
        "(expected one of 'Section 4', 'Section 95', 'Section 98')"
    )):
        load_asy_d11(ASY, support_types=["Section 96"])


def test_asy_d11_missing_column_is_pinned():
    with pytest.raises(errors.MissingColumnError) as info:
        load_asy_d11(BAD / "demand_asy_d11_missing_people.csv")
    assert str(info.value) == (
        "demand_asy_d11_missing_people.csv: missing column(s) 'People' (expected a header with 'People'; the file "
        "has 'Date', 'Support Type', 'Local Authority', 'LAD Code', 'Accommodation Type'). Fix: the Asy_D11 header "
        "is Date, Support Type, Local Authority, LAD Code, Accommodation Type, People; rename the column or export "
        "the 'Data - Asy_D11' sheet."
    )


def test_asy_d11_official_workbook_with_title_rows_reports_excel_rows():
    with pytest.warns(UserWarning, match="row 8: People is not a number"):
        loaded = load_asy_d11(XLSX, area_codes=AREAS)
    assert loaded.date == "2024-09-30"
    # Stoke 1,040 + 241; Coventry's dispersal "[x]" is rejected, its hotel (en dash spelling) counts
    assert values(loaded, "asylum_support") == {"E06000021": 1281.0, "E08000026": 217.0}
    assert loaded.rejects[["row", "column", "value"]].values.tolist() == [[8, "People", "[x]"]]
    assert counts(loaded) == (5, 3, 1, 1)
    hotel = load_asy_d11(XLSX, accommodation_types="Contingency Accommodation - Hotel")
    assert values(hotel, "asylum_support") == {"E08000026": 217.0}


def test_all_rows_rejected_raises(tmp_path):
    path = tmp_path / "asy.csv"
    path.write_text("Date,LAD Code,People\n2024-09-30,E09000001,5\n")
    with pytest.raises(errors.AllRowsRejectedError, match="all 1 Asy_D11 rows were rejected"):
        load_asy_d11(path, area_codes=AREAS)


def test_empty_inputs(tmp_path):
    with pytest.raises(errors.EmptyInputError, match=re.escape("demand_empty.csv: the file is empty.")):
        load_asy_d11(BAD / "demand_empty.csv")
    with pytest.raises(errors.EmptyInputError, match=re.escape(
        "demand_header_only.csv, row 1: no data rows below the header"
    )):
        load_demand_table(BAD / "demand_header_only.csv")
    with pytest.raises(errors.InputFileNotFoundError, match="absent.csv: input file not found"):
        load_asy_d11(tmp_path / "absent.csv")


# --- Nomis population -------------------------------------------------------------


def test_population_takes_the_district_type_so_nothing_counts_twice():
    with pytest.warns(UserWarning, match="1 of 8 population rows rejected"):
        loaded = load_population(NOMIS, area_codes=AREAS)
    assert values(loaded, "population") == {"E06000021": 258037.0, "E08000026": 343320.0, "W06000015": 362400.0}
    assert loaded.date == "2021"
    # region, two county rows and the 0-15 band are filtered; Craven matches no area
    assert counts(loaded) == (8, 3, 4, 1)
    assert loaded.rejects["reason"].iloc[0].startswith("code E07000163 (Craven) is a district of another boundary")
    assert any("district / unitary" in n for n in loaded.notes)


def test_population_other_type_and_age():
    loaded = load_population(NOMIS, geography_type="county", column="pop")
    assert values(loaded, "pop") == {"E10000028": 876104.0, "E06000021": 258037.0}
    young = load_population(NOMIS, age="aged 0 to 15")
    assert values(young, "population") == {"E06000021": 50103.0}


def test_population_unknown_age_and_date():
    with pytest.raises(errors.InvalidValueError, match=re.escape("C_AGE_NAME 'Aged 99' not found in the file")):
        load_population(NOMIS, age="Aged 99")
    with pytest.raises(errors.InvalidValueError, match=re.escape("date not in the file (got '2020'")):
        load_population(NOMIS, date="2020")


# --- any area table ---------------------------------------------------------------


def test_demand_table_detects_code_and_numeric_columns_and_rejects_text():
    with pytest.warns(UserWarning, match="1 of 3 demand rows rejected"):
        loaded = load_demand_table(IMD, area_codes=AREAS)
    assert list(loaded.table.columns) == [schema.AREA_CODE, "Score", "Proportion"]
    assert values(loaded, "Score") == {"E06000021": 34.5, "E08000026": 25.61}
    r = loaded.rejects.iloc[0]
    assert (r["row"], r["column"], r["value"], r["reason"]) == (4, "Score", "n/a", "Score is not a number; expected a number")
    assert counts(loaded) == (3, 2, 0, 1)


def test_demand_table_named_columns():
    loaded = load_demand_table(IMD, code_column="ltla22 code", columns=["proportion"])
    assert values(loaded, "Proportion") == {"E06000021": 0.35, "E08000026": 0.21, "W06000015": 0.10}
    with pytest.raises(errors.MissingColumnError, match=re.escape("missing column(s) 'Rank'")):
        load_demand_table(IMD, columns=["Rank"])


def test_demand_table_cp1252_file_loads():
    loaded = load_demand_table(BAD / "demand_cp1252_names.csv")
    assert values(loaded, "partners") == {"E06000021": 2.0, "E08000026": 5.0}


def test_long_table_date_filter_and_sum():
    loaded = load_demand_table(LONG, date="latest", columns=["Persons"], aggregate="sum")
    assert loaded.date == "2024-09-30"
    assert values(loaded, "Persons") == {"E06000021": 12.0, "E08000026": 11.0}
    assert counts(loaded) == (4, 3, 1, 0)
    ukrs = load_demand_table(LONG, date="2024-09-30", columns=["Persons"],
                             filters={"resettlement scheme": "UK Resettlement Scheme"})
    assert values(ukrs, "Persons") == {"E06000021": 5.0, "E08000026": 11.0}
    assert counts(ukrs) == (4, 2, 2, 0)


def test_long_table_repeated_code_is_rejected_without_aggregate():
    with pytest.warns(UserWarning):
        loaded = load_demand_table(LONG, date="latest", columns=["Persons"])
    assert loaded.rejects["reason"].tolist() == [
        "code E06000021 repeats row 3; each area must appear once (check the filters, or aggregate='sum' to add "
        "the rows up)"
    ]
    assert values(loaded, "Persons") == {"E06000021": 5.0, "E08000026": 11.0}


def test_not_applicable_code_is_rejected_even_without_area_codes(tmp_path):
    path = tmp_path / "asy.csv"
    path.write_text("Date,LAD Code,People\n2024-09-30,E06000021,5\n"
                    "2024-09-30,N/A - Subsistence Only (Dec 2023 - Sep 2024),2843\n")
    with pytest.warns(UserWarning, match="row 3: no area code"):
        loaded = load_asy_d11(path)
    assert values(loaded, "asylum_support") == {"E06000021": 5.0}
