"""``coverage-gaps demo``: copy the embedded demo to edit, or regenerate it from its generator."""

from __future__ import annotations

from .. import demo

__all__ = ["add_commands"]


def add_commands(sub) -> None:
    """Add ``demo`` to the subparsers ``sub``."""
    p = sub.add_parser("demo", help="where the embedded synthetic demo is; copy it (inputs and profile) to edit, "
                                    "or regenerate it")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--copy", metavar="DIR",
                      help="write the demo inputs and its profile (demo.toml) into DIR, to edit and run "
                           "with `coverage-gaps run DIR/demo.toml --out OUT`")
    what.add_argument("--regenerate", action="store_true",
                      help="rewrite the package's demo data from the generator (byte for byte; for developers)")
    what.add_argument("--out", metavar="DIR", help="write freshly generated demo data (no profile) into DIR")
    p.set_defaults(handler=_demo)


def _demo(args) -> int:
    if args.copy:
        files = demo.copy_to(args.copy)
        for f in files:
            print(f"wrote {f}")
        print(f"Run it with: coverage-gaps run {files[-1]} --out OUT_FOLDER")
        return 0
    if not args.regenerate and not args.out:
        print(f"The embedded synthetic demo: {demo.profile_path()} (every command's default profile).\n"
              "Run it:           coverage-gaps run --out out/demo\n"
              "Copy it to edit:  coverage-gaps demo --copy DIR")
        return 0
    for f in demo.generate(args.out) if args.out else demo.regenerate():
        print(f"wrote {f}")
    return 0
