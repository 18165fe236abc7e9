"""One error hierarchy for coverage-gaps.

Every error subclasses both :class:`CoverageGapsError` and the built-in type a
Python user would expect (``ValueError``, ``FileNotFoundError`` ...), so callers
can catch either.  Messages are written for an analyst: they name the file, the
row as a spreadsheet shows it, the column, the value, what was expected and how
to fix it.  Build them with :func:`describe`.
"""

from __future__ import annotations

__all__ = [
    "CoverageGapsError",
    "ProfileError",
    "InputFileNotFoundError",
    "EmptyInputError",
    "MissingColumnError",
    "InvalidValueError",
    "MissingCRSError",
    "DuplicateCodeError",
    "AllRowsRejectedError",
    "GeocoderError",
    "AssetsNotFoundError",
    "MissingExtraError",
    "OutputError",
    "RowsRejectedWarning",
    "describe",
]


def describe(
    message: str,
    *,
    file: object | None = None,
    row: int | None = None,
    column: str | None = None,
    value: object | None = None,
    expected: str | None = None,
    fix: str | None = None,
) -> str:
    """Compose an analyst-facing message.

    >>> describe("OISC level not recognised", file="partners.csv", row=7,
    ...          column="OISC level", value="two", expected="0, 1, 2 or 3",
    ...          fix="write the level as a number")
    "partners.csv, row 7, column 'OISC level': OISC level not recognised (got 'two'; expected 0, 1, 2 or 3). Fix: write the level as a number."
    """
    where = []
    if file is not None:
        where.append(str(getattr(file, "name", file)))
    if row is not None:
        where.append(f"row {row}")
    if column is not None:
        where.append(f"column {column!r}")
    text = (", ".join(where) + ": " if where else "") + message
    detail = []
    if value is not None:
        detail.append(f"got {value!r}")
    if expected:
        detail.append(f"expected {expected}")
    if detail:
        text += " (" + "; ".join(detail) + ")"
    text += "."
    if fix:
        text += f" Fix: {fix.rstrip('.')}."
    return text


class CoverageGapsError(Exception):
    """Base class of every error raised on purpose by coverage-gaps."""


class ProfileError(ValueError, CoverageGapsError):
    """The analysis profile has unknown keys, wrong types or missing files.

    ``problems`` lists every problem found, not just the first.
    """

    def __init__(self, path: object, problems: list[str]):
        self.path = path
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"Profile {path} has {len(self.problems)} problem(s):\n{lines}")


class InputFileNotFoundError(FileNotFoundError, CoverageGapsError):
    """An input file named by the user or the profile does not exist."""


class EmptyInputError(ValueError, CoverageGapsError):
    """An input file holds no data rows."""


class MissingColumnError(ValueError, CoverageGapsError):
    """A required column is absent from an input."""


class InvalidValueError(ValueError, CoverageGapsError):
    """A value cannot be used and the whole input must stop (not just one row)."""


class MissingCRSError(ValueError, CoverageGapsError):
    """A spatial input declares no coordinate reference system."""


class DuplicateCodeError(ValueError, CoverageGapsError):
    """Area codes that must be unique are repeated."""


class AllRowsRejectedError(ValueError, CoverageGapsError):
    """Every row of an input was rejected; ``rejects`` holds the reasons."""

    def __init__(self, message: str, rejects=None):
        super().__init__(message)
        self.rejects = rejects


class GeocoderError(RuntimeError, CoverageGapsError):
    """The online geocoder could not be reached or answered badly."""


class AssetsNotFoundError(FileNotFoundError, CoverageGapsError):
    """The JavaScript/CSS files that offline maps inline are not installed (the XStatic packages)."""


class UnsupportedVersionError(ImportError, CoverageGapsError):
    """An installed dependency is older than coverage-gaps supports (the message names the range and the fix)."""


class MissingExtraError(ImportError, CoverageGapsError):
    """A command needs an optional dependency (a pip "extra") that is not installed; the message names it."""


class OutputError(OSError, CoverageGapsError):
    """An output path cannot be written as asked (a file where a folder is wanted, or the reverse).

    Raised before any output is written; when writing fails part-way, the
    outputs already made are discarded and the message says nothing was written.
    """


class RowsRejectedWarning(UserWarning):
    """Some rows of an input were rejected: the text quotes the first; ``note`` says it without quoting any row.

    The note (file, how many rows of how many) is what reaches the Result's
    data notes, which the funder report prints: a rejected partner row's
    postcode or name never leaves the machine through it.
    """

    def __init__(self, text: str, *, note: str):
        super().__init__(text)
        self.note = note
