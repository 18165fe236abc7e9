"""What the command groups share: the profile arguments, loading a Result, printing tables and written files."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..demo import profile_path

__all__ = ["DEMO_PROFILE", "add_profile_args", "load_result", "print_table", "print_written"]

#: The embedded demo profile (package data; a real file path), the default of every command.
DEMO_PROFILE: Path = profile_path()

_DIGITS = {"demand": 0, "unmet_demand": 0, "people_below_average": 0, "people_below_standard": 0, "nearest_km": 1,
           "access": 2}


def add_profile_args(p: argparse.ArgumentParser, *, sets: bool = True) -> None:
    """The profile positional, ``--data-dir`` and (unless ``sets=False``) ``--set``."""
    p.add_argument("profile", nargs="?", default=str(DEMO_PROFILE),
                   help="analysis profile (TOML); default: the embedded synthetic demo")
    p.add_argument("--data-dir", metavar="DIR", help="folder the profile's input paths are relative to")
    if sets:
        p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                       help="override an [analysis] setting, e.g. --set catchment_km=20 (repeatable)")


def load_result(args, *, trend: bool = False):
    """Run the analysis of ``args.profile`` with ``--data-dir`` and ``--set`` (``trend``: for a report)."""
    from ..config import load_profile, parse_overrides
    from ..pipeline import run_profile

    return run_profile(load_profile(args.profile, data_dir=args.data_dir, overrides=parse_overrides(args.set)),
                       trend=trend)


def print_table(table, columns) -> None:
    """Print ``columns`` of ``table`` with numbers rounded for reading."""
    import pandas as pd

    from .._text import fmt_number
    from ..publish import terminal_frame

    shown = terminal_frame(table[columns])  # names from input files: no escape sequence reaches the terminal
    for col, digits in _DIGITS.items():
        if col in shown:
            shown[col] = shown[col].map(lambda v, d=digits: fmt_number(v, d))
    with pd.option_context("display.width", 200, "display.max_colwidth", 90, "display.max_columns", 20):
        print(shown.to_string(index=False))


def print_written(stage) -> None:
    """Say which files a :class:`~coverage_gaps.staging.Staged` block wrote, replaced and left alone."""
    replaced = set(stage.replaced)
    for path in stage.written:
        print(f"wrote {path}" + (" (replaced the earlier file)" if path.name in replaced else ""))
    if stage.others:
        print(f"note: {stage.folder} also holds files this command did not write, left unchanged "
              f"(from an earlier run?): {', '.join(stage.others)}")
    if stage.leftovers:
        print(f"note: removed {len(stage.leftovers)} hidden partial folder(s) left by a run that was killed before "
              f"it finished: {', '.join(stage.leftovers)}")
