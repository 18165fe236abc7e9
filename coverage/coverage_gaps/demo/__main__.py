"""``python -m coverage_gaps.demo --regenerate [--out DIR]``."""

from . import main

if __name__ == "__main__":
    raise SystemExit(main())
