"""Benchmark: the planners' workbook (targets.xlsx) at national scale, ours against openpyxl write-only.

Builds the demo's planner sheets, repeats the target rows to ``--rows``
(35,000 by default, the national LSOA-like layer: about 900,000 cells), then
writes the workbook twice: with :func:`coverage_gaps.export.write_xlsx` (XML
written directly, :mod:`coverage_gaps._xlsx`) and with openpyxl's write-only
mode as ``export.py`` did before issue 16 (one styled cell object per column
and format, reused row after row).  Prints wall time and file size of each
(and the peak traced Python memory of ours), checks that openpyxl reads both back to the
same values and number formats, and that ours is byte-identical run to run.

Usage::

    .venv/bin/python benchmarks/bench_xlsx.py [--rows 35000] [--no-openpyxl]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd


def national_sheets(rows: int) -> dict[str, pd.DataFrame]:
    """The demo's planner sheets with the target list repeated to ``rows`` rows (codes and ranks made unique)."""
    from coverage_gaps.cli import DEMO_PROFILE
    from coverage_gaps.export import planner_sheets
    from coverage_gaps.pipeline import run_profile

    sheets = planner_sheets(run_profile(DEMO_PROFILE))
    targets = sheets["targets"]
    big = targets.iloc[np.resize(np.arange(len(targets)), rows)].reset_index(drop=True)
    big["area_code"] = [f"E01{i:06d}" for i in range(rows)]
    big["rank"] = np.arange(1, rows + 1)
    return {**sheets, "targets": big}


def openpyxl_write_only(sheets: dict[str, pd.DataFrame], path: Path) -> None:
    """The writer export.py used before issue 16 (openpyxl write-only, reused styled cells), for comparison."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from coverage_gaps.columns import column, definitions
    from coverage_gaps.export import _number_format
    from coverage_gaps.publish import neutralise_frame

    sheets = {**sheets, "definitions": definitions(sheets)}
    wb = Workbook(write_only=True)
    for name, table in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        table = neutralise_frame(table)
        formats = [_number_format(table, c) for c in table.columns]
        ws.freeze_panes = "A2"
        header = []
        for c in table.columns:
            cell = WriteOnlyCell(ws, value=column(str(c)).heading if name != "definitions" else str(c))
            cell.font = Font(bold=True)
            header.append(cell)
        ws.append(header)
        styled = {}
        for row in table.itertuples(index=False):
            cells = []
            for j, (value, fmt) in enumerate(zip(row, formats)):
                if value is None or value is pd.NA or (isinstance(value, float) and not np.isfinite(value)):
                    value = None
                elif isinstance(value, np.generic):
                    value = value.item()
                if not fmt and isinstance(value, (int, float)) and not isinstance(value, bool):
                    fmt = "#,##0" if isinstance(value, int) else "#,##0.00##"
                if (j, fmt) not in styled:
                    styled[(j, fmt)] = WriteOnlyCell(ws)
                    if fmt:
                        styled[(j, fmt)].number_format = fmt
                styled[(j, fmt)].value = value
                cells.append(styled[(j, fmt)])
            ws.append(cells)
    wb.save(path)


def timed(fn, *args) -> float:
    """Wall seconds of ``fn(*args)``."""
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def traced_peak(fn, *args) -> float:
    """Peak traced Python memory (MB) of ``fn(*args)`` (a separate, slower run under tracemalloc)."""
    tracemalloc.start()
    fn(*args)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return peak


def same_cells(a: dict, b: dict) -> bool:
    """Equal sheets, floats equal to 15 significant digits (openpyxl writes 16 or 17, ours the shortest exact)."""
    def close(x, y):
        if isinstance(x, float) and isinstance(y, float):
            return abs(x - y) <= 1e-14 * max(abs(x), abs(y))
        return x == y
    return a.keys() == b.keys() and all(
        len(a[k]) == len(b[k]) and all(len(r) == len(q) and all(close(x[0], y[0]) and x[1] == y[1]
                                                                  for x, y in zip(r, q))
                                        for r, q in zip(a[k], b[k])) for k in a)


def read_back(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's (value, number format) cells, as openpyxl reads them (empty cells as None)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    return {ws.title: [tuple((c.value, c.number_format if c.value is not None else None) for c in row)
                       for row in ws.iter_rows()] for ws in wb.worksheets}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=35_000)
    parser.add_argument("--no-openpyxl", action="store_true", help="skip the openpyxl comparison")
    args = parser.parse_args(argv)
    from coverage_gaps.export import write_xlsx

    sheets = national_sheets(args.rows)
    cells = sum(t.size for t in sheets.values())
    print(f"sheets: {', '.join(f'{k} {len(v):,} rows' for k, v in sheets.items())} ({cells:,} cells)")
    with tempfile.TemporaryDirectory(prefix="bench-xlsx-") as tmp:
        ours, again = Path(tmp) / "ours.xlsx", Path(tmp) / "again.xlsx"
        seconds = timed(write_xlsx, sheets, ours)
        peak = traced_peak(write_xlsx, sheets, again)
        print(f"ours (XML written directly): {seconds:6.2f} s wall, {ours.stat().st_size / 1e6:.2f} MB file, "
              f"peak traced Python memory {peak:.0f} MB")
        write_xlsx(sheets, again)
        print(f"byte-identical run to run: {ours.read_bytes() == again.read_bytes()}")
        if not args.no_openpyxl:
            theirs = Path(tmp) / "openpyxl.xlsx"
            seconds = timed(openpyxl_write_only, sheets, theirs)
            print(f"openpyxl write-only:         {seconds:6.2f} s wall, {theirs.stat().st_size / 1e6:.2f} MB file")
            same = same_cells(read_back(ours), read_back(theirs))
            print(f"openpyxl reads both back to the same values (to 15 digits) and number formats: {same}")
            if not same:
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
