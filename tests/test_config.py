"""Profiles: one error listing every problem; overrides typed; paths resolved."""

from __future__ import annotations

import dataclasses

import pytest

from coverage_gaps.config import DEFAULT_ANALYSIS, AnalysisSettings, load_profile, parse_overrides
from coverage_gaps.errors import ProfileError


def _write(tmp_path, text, files=("areas.geojson",)):
    for f in files:
        (tmp_path / f).write_text("{}")
    path = tmp_path / "p.toml"
    path.write_text(text)
    return path


def test_minimal_profile_gets_defaults_and_resolves_paths(tmp_path):
    path = _write(tmp_path, '[inputs.areas]\npath = "areas.geojson"\n')
    profile = load_profile(path)
    assert profile.inputs["areas"]["path"] == tmp_path / "areas.geojson"
    assert profile.analysis == AnalysisSettings() and profile.analysis.as_dict() == DEFAULT_ANALYSIS
    assert profile.analysis.catchment_km == 30.0 and profile.analysis.stability_catchment_km == (20.0, 30.0, 45.0)
    assert profile.publish.point_precision == "exact"


def test_every_problem_is_listed_in_one_error(tmp_path):
    path = _write(
        tmp_path,
        """
[profile]
titel = "typo"
[inputs.areas]
path = "missing.geojson"
[[inputs.demand]]
name = "asylum_support"
format = "asy_d12"
path = "areas.geojson"
[analysis]
catchment_km = "thirty"
decay = "cubic"
""",
    )
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    problems = err.value.problems
    assert len(problems) == 5, problems
    text = str(err.value)
    assert "[profile] unknown key 'titel'; did you mean 'title'?" in text
    assert "[inputs.areas] path 'missing.geojson': file not found" in text
    assert "[inputs.demand] format = 'asy_d12': expected one of asy_d11, nomis, table" in text
    assert "[analysis] catchment_km = 'thirty': expected a whole number or a number" in text
    assert "[analysis] decay = 'cubic': expected one of step, gaussian, table" in text
    assert isinstance(err.value, ValueError)


def test_data_dir_overrides_profile_folder(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "areas.geojson").write_text("{}")
    path = tmp_path / "p.toml"
    path.write_text('[inputs.areas]\npath = "areas.geojson"\n')
    assert load_profile(path, data_dir=data).inputs["areas"]["path"] == data / "areas.geojson"


def test_overrides_are_typed_and_checked(tmp_path):
    assert parse_overrides(["catchment_km=20", "decay=step", "analysis.top=5"]) == {
        "catchment_km": 20, "decay": "step", "top": 5}
    path = _write(tmp_path, '[inputs.areas]\npath = "areas.geojson"\n')
    assert load_profile(path, overrides={"catchment_km": 20}).analysis.catchment_km == 20
    with pytest.raises(ProfileError, match="--set catchment_km = True: expected"):
        load_profile(path, overrides={"catchment_km": True})
    with pytest.raises(ProfileError, match="expected key=value"):
        parse_overrides(["catchment_km"])


def test_missing_profile_and_bad_toml(tmp_path):
    with pytest.raises(ProfileError, match="profile file not found"):
        load_profile(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[analysis\n")
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile(bad)


def test_with_settings_copies_and_checks(tmp_path):
    path = _write(tmp_path, '[inputs.areas]\npath = "areas.geojson"\n')
    profile = load_profile(path)
    changed = profile.with_settings(catchment_km=15, decay="step")
    assert changed.analysis.catchment_km == 15 and profile.analysis.catchment_km == 30.0
    with pytest.raises(ProfileError, match=r"\[analysis\] unknown key 'catchment'; did you mean 'catchment_km'\?"):
        profile.with_settings(catchment=15)


def test_settings_are_typed_frozen_and_checked_once(tmp_path):
    path = _write(tmp_path, '[inputs.areas]\npath = "areas.geojson"\n[analysis]\nstability_catchment_km = [15, 25]\n')
    settings = load_profile(path).analysis
    assert settings.stability_catchment_km == (15, 25)  # a TOML list, held frozen
    assert settings.as_dict()["stability_catchment_km"] == [15, 25]  # and JSON-able again
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.catchment_km = 5
    # a library caller's dict is checked by the same rules, every problem at once
    with pytest.raises(ProfileError, match=r"(?s)catchment_km = -1: expected a number above 0.*unknown key 'catchmnt'"):
        AnalysisSettings.of({"catchment_km": -1, "catchmnt": 3})
    assert AnalysisSettings.of({"decay": "step"}).replace(top=3) == AnalysisSettings(decay="step", top=3)


def test_point_precision_is_a_publish_setting_not_a_profile_one(tmp_path):
    path = _write(tmp_path, '[profile]\nlocation_precision = "area"\n[inputs.areas]\npath = "areas.geojson"\n')
    with pytest.raises(ProfileError, match=r"\[profile\] location_precision = 'area' has moved: write it as "
                                           r"\[publish\] point_precision"):
        load_profile(path)
    path = _write(tmp_path, '[inputs.areas]\npath = "areas.geojson"\n[publish]\npoint_precision = "street"\n')
    with pytest.raises(ProfileError, match=r"\[publish\] point_precision = 'street': expected one of exact, district, area"):
        load_profile(path)
    path = _write(tmp_path, '[inputs.areas]\npath = "areas.geojson"\n[publish]\npoint_precision = "area"\n')
    assert load_profile(path).publish.point_precision == "area"
