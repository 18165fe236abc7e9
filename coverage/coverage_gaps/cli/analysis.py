"""``check``, ``run``, ``targets`` and ``report``: the main analysis from the command line."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from ..errors import InvalidValueError, describe
from ..staging import Staged, check_file, check_folder
from ._common import DEMO_PROFILE, add_profile_args, load_result, print_table, print_written


def terminal_text(text: str) -> str:
    """:func:`coverage_gaps.publish.terminal_text`, imported when first printing (``--help`` stays quick)."""
    from ..publish import terminal_text as policy

    return policy(text)


def terminal_frame(table):
    """:func:`coverage_gaps.publish.terminal_frame`, imported when first printing."""
    from ..publish import terminal_frame as policy

    return policy(table)

__all__ = ["add_commands"]

_SUFFIX_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}


def add_commands(sub) -> None:
    """Add ``check``, ``run``, ``targets`` and ``report`` to the subparsers ``sub``."""
    p = sub.add_parser("check", help="load and validate every input; print rows read, used and rejected")
    p.add_argument("profile", nargs="*", default=[str(DEMO_PROFILE)], metavar="PROFILE_OR_FILES",
                   help="a profile (TOML), or input files whose kind is guessed from their header; "
                        "default: the embedded demo")
    p.add_argument("--data-dir", metavar="DIR", help="folder the profile's input paths are relative to")
    p.add_argument("--json", action="store_true", help="print the same as JSON")
    p.add_argument("--first", type=int, default=5, metavar="N", help="how many rejects to show per input (default 5)")
    p.set_defaults(handler=_check)

    p = sub.add_parser("run", help="run the analysis and write targets, exports, map and report")
    add_profile_args(p)
    p.add_argument("--out", required=True, metavar="DIR",
                   help="output folder; files are written only when every output succeeded")
    p.add_argument("--json", action="store_true",
                   help="print one JSON document (headline figures, warnings, notes, top targets) and nothing else")
    p.set_defaults(handler=_run)

    p = sub.add_parser("targets", help="print or write the ranked target list")
    add_profile_args(p)
    p.add_argument("--top", type=int, metavar="N",
                   help="how many ranked areas to list (default: the profile's [analysis] top, 10 unless set)")
    p.add_argument("--region", metavar="CODE",
                   help="keep only areas in this region (an ONS region code such as E12000005)")
    p.add_argument("--format", choices=["table", "csv", "xlsx", "json"], default="table",
                   help="table (printed; the default), csv, xlsx (needs -o) or json")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to this file instead of printing (format from --format, else from .csv/.xlsx/.json)")
    p.set_defaults(handler=_targets)

    p = sub.add_parser("report", help="write the self-contained HTML report for funders")
    add_profile_args(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="report file, e.g. report.html")
    p.set_defaults(handler=_report)


def _check(args) -> int:
    from ..check import check_files
    from ..config import load_profile
    from ..notes import collect_warnings
    from ..pipeline import load_inputs

    if len(args.profile) == 1 and args.profile[0].endswith(".toml"):
        profile = load_profile(args.profile[0], data_dir=args.data_dir)
        with collect_warnings():  # each loader's warnings are in its input's notes, printed below
            loaded = load_inputs(profile).loaded
    else:
        loaded = check_files(args.profile)
    report = {name: one.summary(first=args.first) for name, one in loaded.items()}
    if args.json:
        print(json.dumps(report, indent=2, default=str))
        return 0
    for name, s in report.items():  # names, notes and reasons quote input files: printed through terminal_text
        date = f" (figures dated {s['date']})" if s["date"] else ""
        print(terminal_text(f"{name}{date}" if s["source"] in name else f"{name}: {s['source']}{date}"))
        print(f"  rows read {s['rows_read']:,}; used {s['rows_used']:,}; "
              f"filtered {s['rows_filtered']:,}; rejected {s['rows_rejected']:,}")
        for note in s["notes"]:
            print(terminal_text(f"  note: {note}"))
        for r in s["first_rejects"]:
            col = f", column {r['column']!r}" if r.get("column") else ""
            print(terminal_text(f"  reject: row {r['row']}{col}: {r['reason']}"))
    return 0


def _run(args) -> int:
    from ..export import target_table, write_exports
    from ..report import write_report_and_map
    from ..summary import data_warnings, headline_figures, run_summary

    start = time.perf_counter()
    out = check_folder(args.out)  # before the analysis: a bad path fails fast
    result = load_result(args, trend=True)  # the report's main points and trend chart
    with Staged(out) as stage:
        write_exports(result, stage.dir)
        write_report_and_map(result, stage.path("report.html"), stage.path("map.html"))
    if args.json:
        print(json.dumps(run_summary(result, files={p.name: p for p in stage.written}), indent=2,
                         ensure_ascii=False))
        return 0
    top = target_table(result, top=int(result.settings.top))
    said = "synthetic demo data" in str(result.title).lower()  # the demo's title already says so
    label = " (synthetic demo data)" if result.synthetic and not said else ""
    for warning in data_warnings(result):
        print(terminal_text(f"WARNING: {warning}"))
    print(terminal_text(f"{result.title}{label}"))
    _print_headline(headline_figures(result))
    for note in result.notes:
        print(terminal_text(f"note: {note}"))
    print(f"\nTop {len(top)} target areas")
    shortfall = [c for c in top.columns if c.startswith("people_below_")]
    print_table(top, ["rank", "area_code", "area_name", "demand", "nearest_km", "access", *shortfall, "gap",
                      "rank_min", "rank_max"])
    print(f"\nRejected input rows: {len(result.rejects):,} (see {out / 'rejects.csv'})")
    print_written(stage)
    print(f"done in {time.perf_counter() - start:.1f} s")
    return 0


def _print_headline(figures: dict) -> None:
    """Each headline figure with its one-line definition."""
    for key, fig in figures.items():
        if key == "providers_by_type":
            text = ", ".join(f"{n:,} {kind}" for kind, n in fig["value"].items()) or "none"
        else:
            text = fig["text"] or "n/a"
        print(terminal_text(f"  {text}: {fig['definition']}"))


def _target_format(args) -> str:
    """The format to write: ``--format``, or with ``-o`` and the default ``table`` the file's suffix."""
    if args.format == "xlsx" and not args.output:
        raise InvalidValueError(describe("--format xlsx writes a file", column="-o", fix="add -o FILE.xlsx"))
    if args.format != "table" or not args.output:
        return args.format
    suffix = Path(args.output).suffix.lower()
    if suffix not in _SUFFIX_FORMATS:
        raise InvalidValueError(describe(
            "-o needs a file format: the printed table is not a file format", file=args.output,
            expected="a file ending .csv, .xlsx or .json, or --format csv, xlsx or json",
            fix="name the file targets.csv (or .xlsx, .json), or add --format"))
    return _SUFFIX_FORMATS[suffix]


def _targets(args) -> int:
    from ..export import check_region, target_table, write_csv, write_xlsx

    fmt = _target_format(args)
    path = check_file(args.output, example=f"targets.{fmt}") if args.output else None
    result = load_result(args)
    if args.region:
        check_region(result, args.region, column="--region")
    table = target_table(result, top=args.top or result.settings.top, region=args.region)
    if path is None:
        if fmt == "table":
            shortfall = [c for c in table.columns if c.startswith("people_below_")]
            print_table(table, ["rank", "area_code", "area_name", "demand", *shortfall, "gap", "reason"])
        elif fmt == "csv":
            write_csv(terminal_frame(table), sys.stdout)
        else:
            print(table.to_json(orient="records", indent=2))
        return 0
    with Staged(path, single_file=True) as stage:
        if fmt == "xlsx":
            write_xlsx({"targets": table}, stage.path(), generated_on=result.generated_on)
        elif fmt == "json":
            stage.path().write_text(table.to_json(orient="records", indent=2), encoding="utf-8")
        else:
            write_csv(table, stage.path())
    print_written(stage)
    return 0


def _report(args) -> int:
    from ..report import write_report

    path = check_file(args.output)
    result = load_result(args, trend=True)
    with Staged(path, single_file=True) as stage:
        write_report(result, stage.path())
    print_written(stage)
    print(f"report size {Path(path).stat().st_size / 1e6:.2f} MB")
    return 0
