"""The map leans on folium's and branca's insides in one module, for the versions it pins.

``coverage_gaps/maps/_folium.py`` is the only place that touches private
attributes of folium or branca elements.  These tests fail loudly when the
installed folium or branca is one the map was not tested with, when
pyproject's pins drift from the module's range, or when private attributes
leak into another module.
"""

from __future__ import annotations

import re
import tomllib
import warnings
from importlib import metadata
from pathlib import Path

import pytest
from _result_fixtures import tiny_result
from packaging.requirements import Requirement
from packaging.version import Version

from coverage_gaps import maps
from coverage_gaps.errors import CoverageGapsError, UnsupportedVersionError
from coverage_gaps.maps import _folium

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "coverage" / "coverage_gaps"
#: folium/branca private attributes (and the macro module of a template) the map needs.
PRIVATE = re.compile(r"\._(children|id|name|parent|template)\b|\.module\.__dict__")


def _range(package: str) -> tuple[Version, Version]:
    low, high = _folium.SUPPORTED[package]
    return Version(".".join(map(str, low))), Version(".".join(map(str, high)))


@pytest.mark.parametrize("package", ["folium", "branca"])
def test_installed_version_is_one_the_map_supports(package):
    installed = Version(metadata.version(package))
    low, high = _range(package)
    assert low <= installed < high, (
        f"{package} {installed} is installed but coverage_gaps/maps/_folium.py supports {package}>={low},<{high}. "
        f"Check {_folium.WHAT_TO_CHECK}; then widen SUPPORTED there and the pins in pyproject.toml and "
        "environment.yml together.")


@pytest.mark.parametrize("package", ["folium", "branca"])
def test_pyproject_and_environment_pin_the_same_range(package):
    low, high = _range(package)
    wanted = {f">={low}", f"<{high}"}
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    (req,) = [Requirement(d) for d in deps if Requirement(d).name == package]
    assert {str(s) for s in req.specifier} == wanted, f"pyproject.toml pins {req}, _folium.SUPPORTED says {wanted}"
    conda = re.search(rf"^\s*-\s*{package}(\S*)\s*$", (ROOT / "environment.yml").read_text(encoding="utf-8"), re.M)
    assert conda and set(conda.group(1).split(",")) == wanted, f"environment.yml: {conda and conda.group(0)}"


def test_an_older_folium_is_refused_with_the_range_and_the_fix():
    with pytest.raises(UnsupportedVersionError) as err:
        _folium.check_versions({"folium": "0.17.1", "branca": "0.8.2"})
    assert isinstance(err.value, ImportError) and isinstance(err.value, CoverageGapsError)
    text = str(err.value)
    assert "folium 0.17.1 is older than the map supports" in text
    assert ">=0.18,<0.21" in text and "pip install 'folium>=0.18,<0.21'" in text


def test_a_newer_folium_warns_naming_it_and_what_to_check_and_the_map_is_built(monkeypatch):
    real = _folium._installed
    monkeypatch.setattr(_folium, "_installed", lambda p: "0.21.0" if p == "folium" else real(p))
    with pytest.warns(_folium.FoliumVersionWarning) as caught:
        m = maps.coverage_map(tiny_result())
    (warning,) = caught
    text = str(warning.message)
    assert text.startswith("folium 0.21.0 is newer than the versions the map was tested with (>=0.18,<0.21)")
    assert "Element._children" in text and "tests/test_maps" in text
    assert "cgMap.areas(" in maps.map_html(m)


def test_supported_versions_build_the_map_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", _folium.FoliumVersionWarning)
        maps.coverage_map(tiny_result())


def test_no_module_but_maps_folium_touches_folium_or_branca_insides():
    leaks = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "_folium.py" and path.parent.name == "maps":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if PRIVATE.search(line) and not line.lstrip().startswith("#"):
                leaks.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert leaks == [], "private folium/branca attributes outside maps/_folium.py:\n" + "\n".join(leaks)
