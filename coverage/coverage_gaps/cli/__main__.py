"""``python -m coverage_gaps.cli``: the same as the ``coverage-gaps`` command."""

from . import console

console()
