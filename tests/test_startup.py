"""Fast start-up without changed results: a lazy package face, numpy Fisher-Jenks, vectorised CSV cells."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coverage_gaps.tables.read import _as_text, read_table
from coverage_gaps.maps._classify import MEASURES, classify, fisher_jenks

from conftest import ROOT, TEST_DATA

HEAVY = ("pandas", "geopandas", "folium", "scipy", "mapclassify", "sklearn", "matplotlib", "numba", "openpyxl")


def _imported_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True).stdout.split()
    return {m for m in HEAVY if m in out}


def test_the_package_face_and_the_cli_import_nothing_heavy():
    assert _imported_after("import coverage_gaps as cg; cg.__version__") == set()
    assert _imported_after("import coverage_gaps.cli") == set()


def test_names_on_the_face_still_resolve_on_first_use():
    import coverage_gaps as cg
    from coverage_gaps.pipeline import run_profile

    assert cg.run_profile is run_profile and cg.Result.__name__ == "Result"
    assert "load_profile" in dir(cg) and cg.maps.__name__ == "coverage_gaps.maps"
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        cg.nothing  # noqa: B018


def test_classing_a_map_does_not_import_mapclassify_or_scikit_learn():
    code = ("from coverage_gaps.maps._classify import classify, MEASURES\n"
            "import numpy as np\n"
            "classify(np.random.default_rng(1).gamma(2, 3, 500), k=5, spec=MEASURES['access'])")
    assert not _imported_after(code) & {"mapclassify", "sklearn", "matplotlib"}


@pytest.mark.parametrize("seed", range(18))
def test_fisher_jenks_equals_mapclassify(seed):
    mapclassify = pytest.importorskip("mapclassify")
    rng = np.random.default_rng(seed)
    n = int(rng.integers(12, 200))
    values = [rng.gamma(2.0, 3.0, n), rng.integers(0, 40, n).astype(float), rng.normal(0, 1e4, n),
              np.r_[np.zeros(n // 2), rng.uniform(0, 1, n - n // 2)],
              np.arange(n, dtype=float),  # evenly spaced: many splits cost the same (ties)
              1e6 + rng.uniform(0, 10, n),  # float32 sums of squares lose the detail: same breaks all the same
              ][seed % 6]
    k = int(rng.integers(2, 10))
    np.testing.assert_array_equal(fisher_jenks(values, k), mapclassify.FisherJenks(values, k=k).bins)


def test_fisher_jenks_on_a_hand_made_case():
    # three clear groups: the breaks are each group's top
    assert fisher_jenks([1, 2, 3, 10, 11, 12, 30, 31], 3).tolist() == [3.0, 12.0, 31.0]
    classes = classify([1, 2, 3, 10, 11, 12, 30, 31, np.nan], k=3, spec=MEASURES["unmet_demand"])
    assert classes.bins == (3.0, 12.0, 31.0) and classes.index.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, -1]


def _same_as_per_cell(paths) -> int:
    checked = 0
    for path in paths:
        try:
            raw, first = read_table(path, dtype=None)
        except Exception:  # noqa: BLE001 - files that are meant to be refused are refused the same either way
            continue
        expected = raw.apply(lambda col: col.map(_as_text)).astype("string")
        got, first_again = read_table(path)
        pd.testing.assert_frame_equal(got, expected, obj=path.name)
        assert first_again == first
        checked += 1
    return checked


def test_csv_cells_read_exactly_as_the_per_cell_conversion_did():
    demo = ROOT / "coverage" / "coverage_gaps" / "demo" / "data"
    corpus = sorted(TEST_DATA.rglob("*.csv")) + sorted(demo.glob("*.csv"))
    assert _same_as_per_cell(corpus) >= 20


@pytest.mark.realdata
def test_real_csv_files_read_exactly_as_the_per_cell_conversion_did(real_data):
    names = ["laa_legal_aid_provider_offices_2015.csv", "lad22_to_region22_england_lookup.csv",
             "uk_postcode_outcode_centroids_2014.csv", "imd2025_england_ltla24.csv"]
    assert _same_as_per_cell([real_data / n for n in names]) == 4


def test_csv_cells_are_stripped_and_blanks_are_missing(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('a,b,c\n  x ," y\t",\n\u3000z\x1f,,\nlonely\n', encoding="utf-8")
    df, first = read_table(path)
    assert first == 2
    assert df.astype(object).where(df.notna(), None).values.tolist() == [
        ["x", "y", None], ["z", None, None], ["lonely", None, None]]


def test_a_clean_column_with_one_padded_cell_is_still_stripped(tmp_path):
    path = tmp_path / "t.csv"  # printable columns take the quick path unless a cell starts or ends with a space
    path.write_text("a,b,c\nx,1,p\ny ,2,q\n ,3,r\nw,4, s\n", encoding="utf-8")
    df, _ = read_table(path)
    assert df.astype(object).where(df.notna(), None).values.tolist() == [
        ["x", "1", "p"], ["y", "2", "q"], [None, "3", "r"], ["w", "4", "s"]]
