"""One registry of input kinds: a kind registered once is validated, loaded and recognised everywhere.

A fake kind ("refugee_count": a table of ``refcode, refugees``) is registered in
a fixture and removed afterwards; profile validation, ``load_inputs`` and
``check`` must each accept it with no other change.  Its loader warns about a
negative count, and that warning must reach the Result's data notes.
"""

from __future__ import annotations

import shutil
import warnings

import pandas as pd
import pytest

from coverage_gaps import inputs as registry
from coverage_gaps._rules import Setting
from coverage_gaps._validate import Loaded
from coverage_gaps.check import check_files, sniff
from coverage_gaps.cli import DEMO_PROFILE
from coverage_gaps.config import load_profile
from coverage_gaps.errors import InvalidValueError, ProfileError
from coverage_gaps.pipeline import load_inputs, run_profile
from coverage_gaps.schema import AREA_CODE, REJECT_COLUMNS

DEMO = DEMO_PROFILE.parent
#: refcode, refugees: two demo districts, one code of no demo district (filtered), one negative count (dropped)
COUNTS = "refcode,refugees\nX06000001,12\nX06000002,30\nZZ0000009,5\nX06000003,-4\n"
WARNING = "counts.csv: 1 negative count dropped (X06000003)"


def _load_counts(path, context, *, scale=1.0):
    """A loader of the fake kind, written with plain pandas as a new loader module would be."""
    table = pd.read_csv(path, dtype={"refcode": str})
    negative = table["refugees"] < 0
    if negative.any():
        warnings.warn(f"{path.name}: {int(negative.sum())} negative count dropped "
                      f"({', '.join(table.loc[negative, 'refcode'])})", stacklevel=2)
    known = table["refcode"].isin(context.area_codes) if context.area_codes else pd.Series(True, index=table.index)
    keep = known & ~negative
    out = pd.DataFrame({AREA_CODE: table.loc[keep, "refcode"],
                        context.name or "refugees": table.loc[keep, "refugees"] * float(scale)})
    rejects = pd.DataFrame([{"file": path.name, "row": i + 2, "column": "refugees", "value": str(v),
                             "reason": "negative count", "people": None}
                            for i, v in table.loc[negative, "refugees"].items()], columns=REJECT_COLUMNS)
    return Loaded(table=out.reset_index(drop=True), rejects=rejects, read=len(table), used=int(keep.sum()),
                  filtered=int((~known & ~negative).sum()), source=path.name)


@pytest.fixture
def fake_kind():
    """Register ``refugee_count`` as a demand format; the registry is restored afterwards."""
    before = dict(registry.KINDS)
    kind = registry.register(registry.InputKind(
        "refugee_count", "demand", label="a refugee count", load=_load_counts,
        signature=frozenset({"refcode", "refugees"}), keys={"scale": Setting((int, float), low=0)},
        source={"name": "Refugee counts (test)", "licence": "test licence", "attribution": "", "url": ""}))
    yield kind
    registry.KINDS.clear()
    registry.KINDS.update(before)


@pytest.fixture
def demo_with_counts(tmp_path):
    """The demo profile with a [[inputs.demand]] layer of the fake kind, beside the demo's own files."""
    shutil.copytree(DEMO, tmp_path / "demo", ignore=shutil.ignore_patterns("*.toml"))
    (tmp_path / "demo" / "counts.csv").write_text(COUNTS)
    text = DEMO_PROFILE.read_text() + '\n[[inputs.demand]]\nname = "refugees"\nformat = "refugee_count"\n' \
                                      'path = "counts.csv"\nscale = 2\n'
    profile = tmp_path / "demo" / "with_counts.toml"
    profile.write_text(text)
    return profile


def test_a_format_the_registry_does_not_know_is_refused_with_the_known_ones(demo_with_counts):
    with pytest.raises(ProfileError) as caught:
        load_profile(demo_with_counts)
    text = str(caught.value)
    assert "format = 'refugee_count'" in text and "asy_d11" in text and "nomis" in text and "table" in text


def test_profile_validation_accepts_a_registered_kind_and_its_own_keys_only(fake_kind, demo_with_counts):
    profile = load_profile(demo_with_counts)
    layer = next(d for d in profile.inputs["demand"] if d["format"] == "refugee_count")
    assert layer["scale"] == 2 and layer["path"].name == "counts.csv"
    # a key of the fake kind on another format is named, with that format's own keys
    wrong = demo_with_counts.with_name("wrong.toml")
    wrong.write_text(demo_with_counts.read_text().replace('format = "nomis"', 'format = "nomis"\nscale = 3'))
    with pytest.raises(ProfileError, match=r"\[inputs.demand\] scale = 3 does not apply to format 'nomis' "
                                           r"\(its keys: date, geography_type, age\)"):
        load_profile(wrong)


def test_load_inputs_loads_a_registered_kind_with_its_loader_and_options(fake_kind, demo_with_counts):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inputs = load_inputs(load_profile(demo_with_counts))
    got = inputs.demand["refugees"].table.set_index(AREA_CODE)["refugees"].to_dict()
    assert got == {"X06000001": 24.0, "X06000002": 60.0}  # scale = 2; the unknown code and the negative count out
    loaded = inputs.demand["refugees"]
    assert (loaded.read, loaded.used, loaded.filtered, loaded.rejected) == (4, 2, 1, 1)
    names = [s.name for s in inputs.sources if s.kind == "refugee_count"]
    assert names == ["Refugee counts (test) - synthetic demo data"]  # the kind's source words (the demo is synthetic)


def test_check_recognises_a_registered_kind_by_its_header_and_loads_it_against_the_areas(fake_kind, tmp_path):
    counts = tmp_path / "counts.csv"
    counts.write_text(COUNTS)
    assert sniff(counts) == "refugee_count"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # check collects the loader's warning into the input's notes: none escapes
        out = check_files([counts, DEMO / "areas.geojson"])
    assert list(out) == ["areas:areas.geojson", "refugee_count:counts.csv"]  # boundaries first
    loaded = out["refugee_count:counts.csv"]
    assert loaded.table[AREA_CODE].tolist() == ["X06000001", "X06000002"] and loaded.filtered == 1
    assert WARNING in loaded.notes


def test_check_without_the_kind_cannot_tell_the_file_and_lists_the_known_kinds(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("ward,people\nA,1\n")
    with pytest.raises(InvalidValueError, match="an area boundary file, Asy_D11, Nomis population, the LAA "
                                                "directory, a partner list or a table of area codes"):
        sniff(other)


def test_a_loader_warning_reaches_the_result_data_notes(fake_kind, demo_with_counts):
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        result = run_profile(demo_with_counts)
    assert WARNING in result.notes
    assert not [w for w in shown if WARNING in str(w.message)]  # collected, not printed as a Python warning


def test_the_demo_partner_rejects_reach_the_data_notes_without_quoting_a_partner_row():
    result = run_profile(DEMO_PROFILE)
    partners = pd.read_csv(DEMO / "partners.csv", dtype=str)
    rejected = result.rejects[result.rejects["file"] == "partners.csv"]
    assert rejected["row"].nunique() == 2
    assert f"partners.csv: 2 of {len(partners)} provider rows rejected (see the rejects table)" in result.notes
    # the funder report prints the notes: no rejected partner's postcode or name is quoted in them
    quoted = partners.iloc[rejected["row"].astype(int) - 2][["postcode", "name"]].to_numpy().ravel()
    assert len(quoted) == 4 and not [q for q in quoted for n in result.notes if q in n]


def test_load_inputs_raises_the_loaders_warnings_again_in_full_for_a_notebook():
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        inputs = load_inputs(load_profile(DEMO_PROFILE))
    texts = [str(w.message) for w in shown]
    assert "partners.csv: 2 of 80 provider rows rejected (see the rejects table)" in inputs.notes
    assert [t for t in texts if t.startswith("partners.csv: 2 of 80 provider rows rejected (see the rejects table); "
                                             "first: row 14: unknown postcode")]


def test_the_registry_territories_are_the_benchmark_territories():
    from coverage_gaps.measures.benchmark import TERRITORIES

    assert registry.TERRITORIES == tuple(TERRITORIES)
    assert registry.KINDS["laa_directory"].coverage in TERRITORIES


def test_check_and_plan_print_the_loaders_warnings_as_notes(capsys, tmp_path):
    import json

    from coverage_gaps.cli import main

    summary = "partners.csv: 2 of 80 provider rows rejected (see the rejects table)"
    assert main(["check", "--json"]) == 0  # the demo profile
    assert summary in json.loads(capsys.readouterr().out)["providers:partners"]["notes"]
    loose = [str(DEMO / f) for f in ("partners.csv", "postcodes.csv", "postcode_districts.csv")]
    assert main(["check", *loose, "--json"]) == 0
    assert summary in json.loads(capsys.readouterr().out)["partners:partners.csv"]["notes"]
    assert main(["plan", str(DEMO_PROFILE), "--train", "1", "--no-exact"]) == 0
    assert f"data note: {summary}" in capsys.readouterr().out.splitlines()
