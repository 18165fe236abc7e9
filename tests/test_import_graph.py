"""The import graph of the package: no cycle between its parts, no private name taken across them.

Read from the source with ``ast`` (nothing is imported), counting imports inside
functions too: a lazy import still ties two parts together.

Parts: each subpackage of ``coverage_gaps`` (``io``, ``geocode``, ``tables``,
``measures``, ``gaps``, ``maps``, ``scenarios``, ``cli``, ``demo``) is one part;
each top-level module (``pipeline``, ``report``, ``config`` ...) is a part of its
own for cycles, and the top-level modules together are one part for private names.

Private names:

- a private *name* (``from .measures.area import _area_mean``) may be imported only
  inside the part that defines it;
- a private *module* (``io._read``, ``maps._data``) may be imported only inside
  the package that holds it.  The one tolerance this allows, on purpose: the
  top-level private modules (``_validate``, ``_text``, ``_gap``, ``_rules``,
  ``_version``, ``_extras``, ``_assets``) are the package's ground floor, held by
  ``coverage_gaps`` itself, so every part may import their public names.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import coverage_gaps

ROOT = Path(coverage_gaps.__file__).resolve().parent
PACKAGES = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}
#: Top-level modules counted as one part for cycles (none: the [analysis] rules live in settings, below config).
SAME_PART: dict[str, str] = {}


def _imports(module: str, path: Path):
    """(imported module, imported name or None, line) for every import of the package in ``module``."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "coverage_gaps":
                    yield alias.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "coverage_gaps":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                yield (sub, None, node.lineno) if sub in MODULES else (target, alias.name, node.lineno)


def _part(module: str, *, top_together: bool) -> str:
    """The subpackage a module belongs to, else the top-level module itself (or "top-level")."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in PACKAGES:
        return parts[1]
    if top_together:
        return "top-level"
    return SAME_PART.get(parts[1], parts[1]) if len(parts) > 1 else "__init__"


def _private_imports(modules: dict[str, Path]) -> list[str]:
    found = []
    for module, path in modules.items():
        for target, name, line in _imports(module, path):
            segments = target.split(".")
            for i, segment in enumerate(segments):
                if segment.startswith("_") and not segment.startswith("__"):
                    holder = ".".join(segments[:i])  # the package that holds the private module
                    if not (module == holder or module.startswith(holder + ".")):
                        found.append(f"{module} (line {line}) imports the private module {target}")
                    break
            if name and name.startswith("_") and not name.startswith("__") and (
                    _part(module, top_together=True) != _part(target, top_together=True)):
                found.append(f"{module} (line {line}) imports the private name {name} from {target}")
    return found


def _cycles(modules: dict[str, Path]) -> list[list[str]]:
    """Strongly connected groups of parts (Tarjan), each with more than one part."""
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        a = _part(module, top_together=False)
        for target, _, _ in _imports(module, path):
            b = _part(target, top_together=False)
            if a != b and b != "__init__":  # the package face imports everything; nothing may import it back
                graph.setdefault(a, set()).add(b)
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_part_of_the_package_imports_another_part_that_imports_it_back():
    assert _cycles(MODULES) == []


def test_nothing_inside_the_package_imports_the_package_face():
    face = [f"{m} (line {line})" for m, p in MODULES.items() if m != "coverage_gaps"
            for target, name, line in _imports(m, p) if target == "coverage_gaps"
            and (name is None or f"coverage_gaps.{name}" not in MODULES)]
    assert face == []


def test_no_private_name_or_module_is_imported_across_parts():
    assert _private_imports(MODULES) == []


def test_importing_geocode_does_not_load_the_loaders():
    import subprocess
    import sys

    code = ("import sys, coverage_gaps.geocode, coverage_gaps.tables; "
            "print(sorted(m for m in sys.modules if m.startswith('coverage_gaps.io')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("source, expected", [
    ("from ..io._read import read_table", "imports the private module coverage_gaps.io._read"),
    ("from ..measures.area import _area_mean", "imports the private name _area_mean from coverage_gaps.measures.area"),
])
def test_the_checks_see_a_private_import_across_parts(tmp_path, source, expected):
    """The walker itself: a module of ``gaps`` that reaches into ``io`` or ``measures`` is caught."""
    fake = tmp_path / "stability.py"
    fake.write_text(source + "\n")
    assert [expected in f for f in _private_imports({"coverage_gaps.gaps.stability": fake})] == [True]


def test_the_checks_see_a_cycle(tmp_path):
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("from ..tables import read_table\n")  # io -> tables, as it should be
    b.write_text("from ..io import load_areas\n")  # tables -> io: the knot
    assert _cycles({"coverage_gaps.io._locate": a, "coverage_gaps.tables.read": b}) == [["io", "tables"]]


_READERS = {"read_csv", "read_excel", "read_file", "read_table", "read_text", "read_bytes", "load_workbook",
            "read_parquet", "open"}


def _file_reads(modules: dict[str, Path]) -> list[str]:
    """Imports of the loaders or table readers, and calls of a file reader, in the given modules."""
    found = []
    for module, path in modules.items():
        for target, _, line in _imports(module, path):
            if target.split(".")[1:2] in (["io"], ["tables"], ["geocode"]):
                found.append(f"{module} (line {line}) imports {target}")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in _READERS:
                    found.append(f"{module} (line {node.lineno}) calls {name}")
    return found


def test_scenarios_take_loaded_inputs_and_read_no_file(tmp_path):
    scenarios = {m: p for m, p in MODULES.items() if m.startswith("coverage_gaps.scenarios")}
    assert _file_reads(scenarios) == []
    reader = tmp_path / "series.py"  # the walker itself sees a quarter read from a file
    reader.write_text("def demand_at(path):\n    from .. import io\n    return io.load_asy_d11(io.read_table(path))\n")
    assert _file_reads({"coverage_gaps.scenarios.series": reader}) == [
        "coverage_gaps.scenarios.series (line 2) imports coverage_gaps.io",
        "coverage_gaps.scenarios.series (line 3) calls read_table"]
