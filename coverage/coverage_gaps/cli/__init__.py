"""The ``coverage-gaps`` command: find immigration and asylum advice deserts and droughts, rank target areas.

Subcommands: ``check`` (validate inputs), ``run`` (the main job), ``targets``
(the ranked list), ``report`` (funder HTML), ``plan`` (who to train) and
``demo`` (copy or regenerate the embedded demo).  One module per command group
(:mod:`.analysis`, :mod:`.plan`, :mod:`.demo`); each adds its subcommands with
``add_commands(sub)`` and calls the same public functions the notebooks use,
holding no logic of its own.  Every command that writes files stages them
(:mod:`coverage_gaps.staging`): a failed command changes no output.
"""

from __future__ import annotations

import argparse
import os
import sys

from .._version import __version__
from ..errors import CoverageGapsError
from . import analysis, demo, plan
from ._common import DEMO_PROFILE

__all__ = ["main", "console", "DEMO_PROFILE"]

_DESCRIPTION = "Find immigration and asylum advice deserts and droughts, rank target areas, and report them."
_EXAMPLES = """examples:
  coverage-gaps run --out out/demo                  # the embedded synthetic demo: targets, exports, map, report
  coverage-gaps targets my-region.toml --top 20 --format csv -o targets.csv
  coverage-gaps plan --train 3 --out out/plan       # the best 3 partners to train, on the demo

Every command without a profile runs on the embedded synthetic demo region.
`coverage-gaps demo --copy DIR` copies the demo inputs and profile to edit.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coverage-gaps", description=_DESCRIPTION, epilog=_EXAMPLES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"coverage-gaps {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    analysis.add_commands(sub)
    plan.add_commands(sub)
    demo.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command (``argv``: the command line without the program name); returns the exit code (2 on a user error)."""
    args = _parser().parse_args(argv)
    try:
        return args.handler(args)
    except CoverageGapsError as exc:
        notes = "".join(f"\n{note}" for note in getattr(exc, "__notes__", ()))
        from ..publish import terminal_text

        print(terminal_text(f"coverage-gaps {args.command}: {exc}{notes}"), file=sys.stderr)
        return 2


def console() -> None:
    """The ``coverage-gaps`` command (and ``python -m coverage_gaps.cli``): :func:`main`, then a quick exit.

    When :func:`main` returns, every output is written, closed and moved into
    place.  The interpreter's own teardown of the ~1,100 modules a run imports
    (pandas, geopandas, folium ...) would then take another 0.3 s of a 4 s West
    Midlands run while doing nothing a user needs; the streams are flushed and
    the process ends.  An exception still ends the usual way, with its traceback.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader (e.g. `| head`) has gone: nothing more to say
        pass
    os._exit(code)
