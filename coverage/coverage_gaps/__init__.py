"""coverage-gaps: find immigration and asylum advice deserts and droughts.

``import coverage_gaps as cg``
"""

from .errors import CoverageGapsError
from .result import Result, Source

__version__ = "0.1.0"
__all__ = ["CoverageGapsError", "Result", "Source", "__version__"]
