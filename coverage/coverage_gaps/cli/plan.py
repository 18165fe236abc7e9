"""``coverage-gaps plan``: choose the best K partners to train, from the command line.

Writes ``plan.csv`` (the picks, in order, with why) and ``before_after.csv``
(the per-area change table) in ``--out`` (with ``--report``, also the funder
report with the plan's section), staged so a failed plan changes no file;
``--json`` prints the totals and picks as JSON and nothing else.

To add an option: one ``add_argument`` in :func:`add_commands` and one entry
in :func:`plan_options` (the keyword arguments of
:func:`coverage_gaps.scenarios.best_to_train`).
"""

from __future__ import annotations

import builtins
import json

from ..staging import Staged, check_folder
from ._common import add_profile_args, print_written

__all__ = ["add_commands", "plan_options"]


def add_commands(sub) -> None:
    """Add ``plan`` to the subparsers ``sub``."""
    p = sub.add_parser("plan", help="choose the best K partners to train to OISC Level 2 (asylum)")
    add_profile_args(p)
    p.add_argument("--train", type=int, required=True, metavar="K", help="how many organisations to train")
    p.add_argument("--candidates", metavar="CSV",
                   help="CSV with a provider_id column: choose only among these organisations")
    p.add_argument("--objective", choices=["unmet_demand", "covered"], default="unmet_demand",
                   help="minimise unmet demand (default) or maximise demand within the catchment")
    p.add_argument("--out", metavar="DIR", help="output folder for plan.csv and before_after.csv")
    p.add_argument("--json", action="store_true", help="print unmet demand before and after, and the picks, as JSON")
    p.add_argument("--report", action="store_true",
                   help="also write report.html in --out: the funder report with this plan's picks and totals")
    p.add_argument("--no-exact", action="store_true",
                   help="skip the exact covering optimum (greedy / exact is then not reported)")
    p.set_defaults(handler=_plan)


def plan_options(args) -> dict:
    """Keyword arguments of :func:`~coverage_gaps.scenarios.best_to_train` from the parsed options."""
    return {"objective": args.objective, "exact": not args.no_exact}


def _print_plan(plan, *, data_notes=()) -> None:
    import pandas as pd  # here, not at the top: `coverage-gaps --help` stays quick
    from ..gaps import shortfall
    from ..publish import terminal_text

    def print(*parts) -> None:  # every line through the publishing policy: no escape sequence reaches the terminal
        builtins.print(terminal_text(" ".join(map(str, parts))))

    label = " (synthetic demo data)" if plan.scenario.before.synthetic else ""
    print(f"{plan.scenario.before.title}{label}")
    print(f"Training plan: {len(plan.picks)} of {plan.k} asked, from {len(plan.candidates)} candidates "
          f"(objective: {plan.objective})")
    with pd.option_context("display.width", 200, "display.max_colwidth", 80, "display.max_columns", 20):
        if len(plan.picks):
            print(plan.picks[["order", "provider_id", "organisation", "area_name", "gain", "areas_served"]]
                  .to_string(index=False, float_format=lambda v: f"{v:,.1f}"))
    before = plan.scenario.before
    measure = shortfall(before.settings, coverage=before.coverage)  # a relative shortfall is not unmet need
    print(f"\n{measure.label[:1].upper() + measure.label[1:]}, in the study region: "
          f"{plan.unmet_demand_before:,.0f} -> {plan.unmet_demand_after:,.0f}")
    closed = plan.scenario.table[plan.scenario.table["desert_closed"]]
    print(f"Advice deserts closed: {len(closed)}" + (f" ({', '.join(closed['area_name'].astype(str))})" if len(closed) else ""))
    if plan.exact:
        e = plan.exact
        print(f"Demand within reach: greedy {e['greedy_covered']:,.0f}, exact optimum {e['exact_covered']:,.0f} "
              f"(greedy / exact = {e['ratio']:.3f})")
    for note in plan.notes + plan.scenario.notes:
        print(f"note: {note}")
    for note in data_notes:  # the loaders' warnings (rows rejected ...), in words
        print(f"data note: {note}")


def _plan(args) -> int:
    from ..config import load_profile, parse_overrides
    from ..export import write_csv
    from ..notes import collect_warnings
    from ..pipeline import load_inputs, run_profile
    from ..io import read_candidates
    from ..scenarios import best_to_train

    if args.report and not args.out:
        from ..errors import InvalidValueError, describe

        raise InvalidValueError(describe("--report writes report.html into the output folder", column="--out",
                                         fix="add --out DIR"))
    out = check_folder(args.out) if args.out else None  # fail fast, before loading
    candidates = read_candidates(args.candidates) if args.candidates else None
    profile = load_profile(args.profile, data_dir=args.data_dir, overrides=parse_overrides(args.set))
    with collect_warnings():  # the loaders' warnings are in inputs.notes: printed as data notes below
        inputs = load_inputs(profile)
    before = run_profile(profile, inputs=inputs, trend=args.report)  # the trend only for the report
    plan = best_to_train(inputs, profile.analysis, args.train, candidates=candidates, regions=profile.regions,
                         before=before, **plan_options(args))
    stage = None
    if out is not None:
        with Staged(out) as stage:
            write_csv(plan.picks, stage.path("plan.csv"))
            write_csv(plan.before_after, stage.path("before_after.csv"))
            if args.report:
                from ..report import write_report

                write_report(before, stage.path("report.html"), plan=plan)
    if args.json:
        print(json.dumps({**plan.to_dict(), "data_notes": list(inputs.notes)}, indent=2, default=str))
    else:
        _print_plan(plan, data_notes=inputs.notes)
        if stage is not None:
            print_written(stage)
    return 0
