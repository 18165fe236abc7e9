"""The ``coverage-gaps`` command.

Subcommands: ``check`` (validate inputs), ``run`` (the main job), ``targets``
(the ranked list), ``report`` (funder HTML), ``plan`` (who to train) and
``demo`` (regenerate the embedded demo data).  Each calls the same public
functions the notebooks use; none holds logic of its own.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

from .errors import CoverageGapsError

__all__ = ["main", "DEMO_PROFILE"]

ROOT = Path(__file__).resolve().parents[2]
DEMO_PROFILE = ROOT / "data" / "profiles" / "demo.toml"


def _profile_args(p: argparse.ArgumentParser, *, sets: bool = True) -> None:
    p.add_argument("profile", nargs="?", default=str(DEMO_PROFILE),
                   help="analysis profile (TOML); default: the embedded demo")
    p.add_argument("--data-dir", help="folder the profile's input paths are relative to")
    if sets:
        p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                       help="override an [analysis] setting, e.g. --set catchment_km=20 (repeatable)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coverage-gaps", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="load and validate every input; print rows read, used and rejected")
    p.add_argument("profile", nargs="*", default=[str(DEMO_PROFILE)], metavar="PROFILE_OR_FILES",
                   help="a profile (TOML), or input files whose kind is guessed from their header")
    p.add_argument("--data-dir", help="folder the profile's input paths are relative to")
    p.add_argument("--json", action="store_true", help="print the same as JSON")
    p.add_argument("--first", type=int, default=5, help="how many rejects to show per input")

    p = sub.add_parser("run", help="run the analysis and write targets, exports, map and report")
    _profile_args(p)
    p.add_argument("--out", required=True, help="output folder")

    p = sub.add_parser("targets", help="print or write the ranked target list")
    _profile_args(p)
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--region", help="keep areas in this region code")
    p.add_argument("--format", choices=["table", "csv", "xlsx", "json"], default="table")
    p.add_argument("-o", "--output", help="write to this file instead of printing")

    p = sub.add_parser("report", help="write the self-contained HTML report for funders")
    _profile_args(p)
    p.add_argument("-o", "--output", required=True, help="report file, e.g. report.html")

    p = sub.add_parser("plan", help="choose the best K partners to train")
    _profile_args(p)
    p.add_argument("--train", type=int, required=True, metavar="K")
    p.add_argument("--candidates", help="CSV of provider_id values to choose from")
    p.add_argument("--objective", choices=["unmet_demand", "covered"], default="unmet_demand",
                   help="minimise unmet demand (default) or maximise demand within the catchment")
    p.add_argument("--out", help="output folder for plan.csv and the before/after summary")
    p.add_argument("--json", action="store_true", help="print unmet demand before and after as JSON")

    p = sub.add_parser("demo", help="regenerate the embedded synthetic demo data")
    p.add_argument("--regenerate", action="store_true", help="rewrite data/demo/ from the generator")
    p.add_argument("--out", help="write to this folder instead of data/demo/")
    return parser


_DIGITS = {"demand": 0, "unmet_demand": 0, "nearest_km": 1, "access": 2}


def _print_table(table, columns) -> None:
    import pandas as pd

    from ._text import fmt_number

    shown = table[columns].copy()
    for col, digits in _DIGITS.items():
        if col in shown:
            shown[col] = shown[col].map(lambda v, d=digits: fmt_number(v, d))
    with pd.option_context("display.width", 200, "display.max_colwidth", 90, "display.max_columns", 20):
        print(shown.to_string(index=False))


def _check(args) -> int:
    from .check import check_files
    from .config import load_profile
    from .pipeline import load_inputs

    if len(args.profile) == 1 and args.profile[0].endswith(".toml"):
        profile = load_profile(args.profile[0], data_dir=args.data_dir)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loaded = load_inputs(profile).loaded
    else:
        loaded = check_files(args.profile)
    report = {name: one.summary(first=args.first) for name, one in loaded.items()}
    if args.json:
        print(json.dumps(report, indent=2, default=str))
        return 0
    for name, s in report.items():
        date = f" (figures dated {s['date']})" if s["date"] else ""
        print(f"{name}{date}" if s["source"] in name else f"{name}: {s['source']}{date}")
        print(f"  rows read {s['rows_read']:,}; used {s['rows_used']:,}; "
              f"filtered {s['rows_filtered']:,}; rejected {s['rows_rejected']:,}")
        for note in s["notes"]:
            print(f"  note: {note}")
        for r in s["first_rejects"]:
            col = f", column {r['column']!r}" if r.get("column") else ""
            print(f"  reject: row {r['row']}{col}: {r['reason']}")
    return 0


def _result(args):
    from .config import load_profile, parse_overrides
    from .pipeline import run_profile

    return run_profile(load_profile(args.profile, data_dir=args.data_dir, overrides=parse_overrides(args.set)))


def _run(args) -> int:
    from .export import target_table, write_exports
    from .report import write_report_and_map

    start = time.perf_counter()
    result = _result(args)
    out = Path(args.out)
    files = write_exports(result, out)
    report_path, map_path = write_report_and_map(result, out / "report.html", out / "map.html")
    files.update({"map.html": map_path, "report.html": report_path})
    top = target_table(result, top=int(result.settings.get("top", 10)))
    said = "synthetic demo data" in str(result.title).lower()  # the demo's title already says so
    label = " (synthetic demo data)" if result.synthetic and not said else ""
    print(f"{result.title}{label}: top {len(top)} target areas")
    _print_table(top, ["rank", "area_code", "area_name", "demand", "nearest_km", "access", "unmet_demand",
                       "desert", "drought"])
    print(f"\nRejected input rows: {len(result.rejects):,} (see {out / 'rejects.csv'})")
    for note in result.notes:  # the date used, codes harmonised, people not placed in an area, coverage
        print(f"note: {note}")
    for path in files.values():
        print(f"wrote {path}")
    print(f"done in {time.perf_counter() - start:.1f} s")
    return 0


def _targets(args) -> int:
    from .export import target_table, write_csv, write_xlsx

    result = _result(args)
    table = target_table(result, top=args.top, region=args.region)
    if args.format == "xlsx":
        if not args.output:
            raise SystemExit("--format xlsx needs -o FILE.xlsx")
        write_xlsx({"targets": table}, args.output, generated_on=result.generated_on)
    elif args.format == "csv":
        write_csv(table, args.output or sys.stdout)
    elif args.format == "json":
        text = table.to_json(orient="records", indent=2)
        Path(args.output).write_text(text) if args.output else print(text)
    else:
        _print_table(table, ["rank", "area_code", "area_name", "demand", "unmet_demand", "reason"])
    return 0


def _report(args) -> int:
    from .report import write_report

    result = _result(args)
    path = write_report(result, args.output)
    print(f"wrote {path} ({Path(path).stat().st_size / 1e6:.2f} MB)")
    return 0


def _plan(args) -> int:
    from .scenarios import plan_command

    return plan_command(args)


def _demo(args) -> int:
    from . import demo

    if not args.regenerate and not args.out:
        print("Nothing to do: pass --regenerate (rewrite data/demo/) or --out DIR.")
        return 2
    files = demo.generate(args.out) if args.out else demo.regenerate()
    for f in files:
        print(f"wrote {f}")
    return 0


_COMMANDS = {"check": _check, "run": _run, "targets": _targets, "report": _report, "plan": _plan, "demo": _demo}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``coverage-gaps`` console command."""
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except CoverageGapsError as exc:
        print(f"coverage-gaps {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
