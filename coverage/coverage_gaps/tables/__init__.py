"""Reading tables: one CSV or spreadsheet, its columns, labels and dates.

The floor below :mod:`coverage_gaps.io` (the loaders) and
:mod:`coverage_gaps.geocode` (the postcode lookups): both read tables with
these helpers, so neither imports the other's insides.

- :mod:`.read`: :func:`read_table` (header row found below title rows, the
  spreadsheet row of each record), :func:`require_file`.
- :mod:`.match`: :func:`match_column`, :func:`normalise_name`,
  :func:`norm_label`, :func:`norm_labels`, :func:`iso_dates`, :func:`choose_date`, the ONS code and
  name column patterns.
- :mod:`.clean`: control characters out of every cell, formula cells with no
  saved value found.
"""

from .clean import CONTROL_RE, ESCAPE_RE, clean_control, unsaved_formula_reason, unsaved_formula_rows
from .match import ONS_CODE, ONS_NAME, choose_date, iso_dates, match_column, norm_label, norm_labels, normalise_name
from .read import EXCEL_SUFFIXES, read_table, require_file

__all__ = [
    "read_table",
    "require_file",
    "EXCEL_SUFFIXES",
    "match_column",
    "normalise_name",
    "norm_label",
    "norm_labels",
    "iso_dates",
    "choose_date",
    "ONS_CODE",
    "ONS_NAME",
    "clean_control",
    "unsaved_formula_rows",
    "unsaved_formula_reason",
    "CONTROL_RE",
    "ESCAPE_RE",
]
