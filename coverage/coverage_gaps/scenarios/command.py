"""``coverage-gaps plan``: choose the best K partners to train, from the command line.

Writes ``plan.csv`` (the picks, in order, with why) and ``before_after.csv``
(the per-area change table) in ``--out``; ``--json`` prints the totals and
picks as JSON and nothing else.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd

from .._validate import require_columns
from ..errors import EmptyInputError, InputFileNotFoundError, describe
from ..schema import PROVIDER_ID

__all__ = ["plan_command", "read_candidates"]


def read_candidates(path: str | Path) -> list[str]:
    """provider_id values from a CSV with a ``provider_id`` column (blank cells skipped).

    Raises
    ------
    InputFileNotFoundError, MissingColumnError, EmptyInputError
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileNotFoundError(describe("candidates file not found", file=path,
                                              fix="give a CSV with a provider_id column to --candidates"))
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise EmptyInputError(describe("the candidates file is empty", file=path,
                                       fix="add a header row provider_id and one id per row")) from None
    require_columns(table, [PROVIDER_ID], file=path, fix="name the column of organisation ids provider_id")
    ids = [v.strip() for v in table[PROVIDER_ID] if v.strip()]
    if not ids:
        raise EmptyInputError(describe("the candidates file lists no provider_id", file=path, column=PROVIDER_ID,
                                       fix="add one provider_id per row"))
    return ids


def _print_plan(plan, files: list[Path]) -> None:
    label = " (synthetic demo data)" if plan.scenario.before.synthetic else ""
    print(f"{plan.scenario.before.title}{label}")
    print(f"Training plan: {len(plan.picks)} of {plan.k} asked, from {len(plan.candidates)} candidates "
          f"(objective: {plan.objective})")
    with pd.option_context("display.width", 200, "display.max_colwidth", 80, "display.max_columns", 20):
        if len(plan.picks):
            print(plan.picks[["order", "provider_id", "organisation", "area_name", "gain", "areas_served"]]
                  .to_string(index=False, float_format=lambda v: f"{v:,.1f}"))
    print(f"\nUnmet demand in the study region: {plan.unmet_demand_before:,.0f} -> {plan.unmet_demand_after:,.0f}")
    closed = plan.scenario.table[plan.scenario.table["desert_closed"]]
    print(f"Advice deserts closed: {len(closed)}" + (f" ({', '.join(closed['area_name'].astype(str))})" if len(closed) else ""))
    if plan.exact:
        e = plan.exact
        print(f"Demand within reach: greedy {e['greedy_covered']:,.0f}, exact optimum {e['exact_covered']:,.0f} "
              f"(greedy / exact = {e['ratio']:.3f})")
    for note in plan.notes + plan.scenario.notes:
        print(f"note: {note}")
    for f in files:
        print(f"wrote {f}")


def plan_command(args) -> int:
    """Run ``coverage-gaps plan`` from parsed arguments (see :mod:`coverage_gaps.cli`)."""
    from ..config import load_profile, parse_overrides
    from ..export import write_csv
    from ..pipeline import load_inputs, run_profile
    from .plan import best_to_train

    candidates = read_candidates(args.candidates) if args.candidates else None  # fail fast, before loading
    profile = load_profile(args.profile, data_dir=args.data_dir, overrides=parse_overrides(args.set))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rejects are in the Result, not warnings
        inputs = load_inputs(profile)
    before = run_profile(profile, inputs=inputs)
    plan = best_to_train(inputs, profile.analysis, args.train, candidates=candidates, regions=profile.regions,
                         objective=getattr(args, "objective", "unmet_demand"),
                         exact=not getattr(args, "no_exact", False), before=before)
    files: list[Path] = []
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        files.append(write_csv(plan.picks, out / "plan.csv"))
        files.append(write_csv(plan.before_after, out / "before_after.csv"))
    if args.json:
        print(json.dumps(plan.to_dict(), indent=2, default=str))
    else:
        _print_plan(plan, files)
    return 0
