"""pyproject.toml and environment.yml declare the same packages, bounds and Python floor; the README agrees."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT


def _name_and_bound(spec: str) -> tuple[str, str]:
    m = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*((?:>=|==)\s*[\w.]+)?", spec)
    return m.group(1).lower().replace("_", "-"), (m.group(2) or "").replace(" ", "")


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = data["project"]
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs.extend(extra)
    return dict(_name_and_bound(s) for s in specs)


def _environment() -> dict[str, str]:
    out = {}
    text = (ROOT / "environment.yml").read_text()
    for line in text[text.index("dependencies:"):].splitlines():
        m = re.match(r"^\s*-\s+([A-Za-z][^\s#]*)\s*(#.*)?$", line)  # a trailing comment says why a bound is there
        if m and m.group(1) not in {"pip", "pip:"} and not m.group(1).startswith("python"):
            name, bound = _name_and_bound(m.group(1))
            out[name] = bound
    return out


def test_environment_yml_lists_every_pyproject_dependency_with_the_same_bound():
    assert _environment() == _pyproject()


def test_extras_cover_tests_and_notebooks():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert {"test", "notebooks"} <= set(extras)
    assert any(s.startswith("nbval") for s in extras["test"])
    assert any(s.startswith("jupyterlab") for s in extras["notebooks"])


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make demo" in readme


def test_python_floor_is_the_same_in_pyproject_environment_and_readme():
    floor = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert floor == ">=3.11"  # config.py reads profiles with tomllib, new in 3.11
    assert re.search(r"^\s*-\s+python>=3\.11\b", (ROOT / "environment.yml").read_text(), re.MULTILINE)
    assert "Python 3.11" in (ROOT / "README.md").read_text()


def test_nothing_is_installed_with_npm():
    assert not (ROOT / "package.json").exists() and not (ROOT / "package-lock.json").exists()
    assert "npm" not in (ROOT / "Makefile").read_text()
