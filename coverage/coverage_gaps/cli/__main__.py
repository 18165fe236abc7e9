"""``python -m coverage_gaps.cli``: the same as the ``coverage-gaps`` command."""

import sys

from . import main

sys.exit(main())
