"""The third-party files every map and report inlines: exactly which, from which installed package."""

from __future__ import annotations

import hashlib
import sys

import pytest

from coverage_gaps import _assets, maps
from coverage_gaps.errors import AssetsNotFoundError, CoverageGapsError

from _result_fixtures import tiny_result

#: asset -> (library version, PyPI distribution, file name, sha256 of the file as installed).
#: A change here changes the bytes of every map and report: say so in the change log.
PINNED = {
    "leaflet_css": ("1.9.3", "XStatic-Leaflet 1.9.3.0", "leaflet.css",
                    "90b693d86392a4779c861b28cf307e7e59c3fb35328c4d8b95f58f814d38c722"),
    "leaflet_js": ("1.9.3", "XStatic-Leaflet 1.9.3.0", "leaflet.js",
                   "5819285cec137b229c94e1ee5ad73e8b6b84345a4367d60f75fe477fe0fb7b03"),
    "markercluster_css": ("1.4.1", "XStatic-Leaflet-MarkerCluster 1.4.1.1", "MarkerCluster.css",
                          "614dea0a98ff3f4ead74f04918f6b1d1b9ba435c25b5fc23b21a394d1e3e4d87"),
    "markercluster_default_css": ("1.4.1", "XStatic-Leaflet-MarkerCluster 1.4.1.1", "MarkerCluster.Default.css",
                                  "61258232d98d64dc2a7b1e02130d67421bc5b9bda5994eef70228ff97570c170"),
    "markercluster_js": ("1.4.1", "XStatic-Leaflet-MarkerCluster 1.4.1.1", "leaflet.markercluster.js",
                         "58be871df61f6c512464e15db0941e63b9491bf1396a2ae3bea6f39e0854cd1c"),
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_each_inlined_file_is_the_pinned_version_from_its_python_package(name):
    version, distribution, filename, sha256 = PINNED[name]
    asset = _assets.load_asset(name)
    assert (asset.version, asset.distribution, asset.path.name) == (version, distribution, filename)
    assert hashlib.sha256(asset.path.read_bytes()).hexdigest() == sha256
    assert "site-packages" in asset.path.parts  # an installed package, not a repository checkout


def test_the_pins_cover_every_asset_and_match_pyproject():
    assert set(PINNED) == set(_assets.PACKAGES)
    import tomllib

    from conftest import ROOT

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    for requirement in _assets.DISTRIBUTIONS.values():
        assert requirement in deps
        name, version = requirement.split("==")
        assert {d for _, d, _, _ in PINNED.values()} >= {f"{name} {version}"}


def test_a_missing_package_names_the_pip_command(monkeypatch):
    _assets._load.cache_clear()
    monkeypatch.setitem(sys.modules, "xstatic.pkg.leaflet", None)  # import now raises ImportError
    try:
        with pytest.raises(AssetsNotFoundError) as err:
            maps.coverage_map(tiny_result())
    finally:
        _assets._load.cache_clear()
    assert isinstance(err.value, CoverageGapsError) and isinstance(err.value, FileNotFoundError)
    assert "expected the Python package XStatic-Leaflet" in str(err.value)
    assert 'python -m pip install "XStatic-Leaflet==1.9.3.0" "XStatic-Leaflet-MarkerCluster==1.4.1.1"' in str(err.value)


def test_a_package_without_its_files_is_named(monkeypatch, tmp_path):
    import xstatic.pkg.leaflet as pkg

    _assets._load.cache_clear()
    monkeypatch.setattr(pkg, "BASE_DIR", str(tmp_path))
    try:
        with pytest.raises(AssetsNotFoundError, match="incomplete.*leaflet.css, leaflet.js.*--force-reinstall"):
            _assets.load_asset("leaflet_js")
    finally:
        _assets._load.cache_clear()
