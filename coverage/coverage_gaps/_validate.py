"""Shared validation plumbing: the rejects log and the Loaded bundle.

Every loader returns a :class:`Loaded`: the validated table, a rejects table
(``file, row, column, value, reason``) and row counts that reconcile::

    rows read = rows used + rows filtered + rows rejected

"Filtered" rows are ones the user asked to leave out (another date, another
support type); "rejected" rows are ones that could not be used, each with a
reason.  Rows are numbered as a spreadsheet shows them (the header is row 1 of
a plain CSV, so the first data row is row 2).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import AllRowsRejectedError, MissingColumnError, RowsRejectedWarning, describe
from .schema import REJECT_COLUMNS

__all__ = ["RejectLog", "Loaded", "require_columns", "finish"]


class RejectLog:
    """Collect rejected rows of one input file.

    Parameters
    ----------
    file
        The input's file name as the user knows it.
    """

    def __init__(self, file: str | Path):
        self.file = Path(file).name if isinstance(file, Path) else str(file)
        self._rows: list[dict] = []

    def add(self, row: int | None, reason: str, *, column: str | None = None, value: object = None,
            people: float | None = None) -> None:
        """Record one rejected row (``row`` as a spreadsheet shows it); a missing value is recorded as missing.

        ``people``: the people a rejected demand row counts, so they stay visible in people.
        """
        if value is not None and pd.api.types.is_scalar(value) and pd.isna(value):
            value = None  # not the text "<NA>" or "nan"
        self._rows.append(
            {
                "file": self.file,
                "row": None if row is None else int(row),
                "column": column,
                "value": None if value is None else str(value),
                "reason": reason,
                "people": None if people is None or pd.isna(people) else float(people),
            }
        )

    def add_many(self, rows, reason: str, *, column: str | None = None, values=None) -> None:
        """Record several rows that share a reason."""
        values = [None] * len(rows) if values is None else list(values)
        for r, v in zip(rows, values):
            self.add(r, reason, column=column, value=v)

    def __len__(self) -> int:
        return len(self._rows)

    def frame(self) -> pd.DataFrame:
        """The rejects as a DataFrame with the standard columns, in spreadsheet-row order.

        Loaders find problems check by check, so rows are sorted (stably: a
        row's reasons keep the order they were found in).
        """
        df = pd.DataFrame(self._rows, columns=REJECT_COLUMNS)
        df["row"] = df["row"].astype("Int64")
        df["people"] = df["people"].astype(float)
        return df.sort_values("row", kind="stable").reset_index(drop=True)


@dataclass
class Loaded:
    """A validated input: its table, its rejects and reconciled row counts.

    Attributes
    ----------
    table
        The validated (Geo)DataFrame in the project's data contract.
    rejects
        One row per rejected input row: ``file, row, column, value, reason``.
    read, used, filtered
        Row counts; ``rejected`` is ``len(rejects)`` (one reject per row).
    source
        File name the rows came from.
    date
        Date (ISO string) of the figures, when the input has one.
    notes
        Plain-English notes for the user (repairs made, choices taken).
    harmonised
        Demand codes of another boundary vintage moved onto the boundaries
        (:data:`coverage_gaps.vintages.HARMONISED_COLUMNS`); ``None`` when not a demand input.
    unplaced
        People in rejected demand rows, by ``date, reason, people``; ``None`` when not a demand input.
    """

    table: pd.DataFrame
    rejects: pd.DataFrame
    read: int
    used: int
    filtered: int = 0
    source: str = ""
    date: str | None = None
    notes: list[str] = field(default_factory=list)
    harmonised: pd.DataFrame | None = None
    unplaced: pd.DataFrame | None = None

    @property
    def rejected(self) -> int:
        return int(self.rejects["row"].nunique(dropna=False)) if len(self.rejects) else 0

    def reconciles(self) -> bool:
        """True when rows read = used + filtered + rejected."""
        return self.read == self.used + self.filtered + self.rejected

    def summary(self, first: int = 5) -> dict:
        """Counts and the first rejects, as plain data for printing or JSON."""
        head = self.rejects.head(first)
        return {
            "source": self.source,
            "date": self.date,
            "rows_read": self.read,
            "rows_used": self.used,
            "rows_filtered": self.filtered,
            "rows_rejected": self.rejected,
            "first_rejects": head.astype(object).where(head.notna(), None).to_dict("records"),
            "notes": list(self.notes),
        }


def require_columns(df: pd.DataFrame, columns, *, file, fix: str | None = None) -> None:
    """Raise :class:`MissingColumnError` naming every absent column."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        names = ", ".join(repr(c) for c in missing)
        have = ", ".join(repr(str(c)) for c in df.columns)
        raise MissingColumnError(
            describe(
                f"missing column(s) {names}",
                file=file,
                expected=f"a header row with {names}; the file has {have}",
                fix=fix or "rename the column in the file, or map it in the profile",
            )
        )


def finish(loaded: Loaded, *, what: str) -> Loaded:
    """Warn when some rows were rejected; raise when all were.

    Also asserts the counts reconcile, which every loader must guarantee.
    """
    if not loaded.reconciles():  # a bug in a loader, not in the user's data
        raise AssertionError(
            f"{loaded.source}: rows read {loaded.read} != used {loaded.used} + "
            f"filtered {loaded.filtered} + rejected {loaded.rejected}"
        )
    if loaded.used == 0 and loaded.rejected:  # (counts reconcile, so every unfiltered row was rejected)
        first = loaded.rejects.iloc[0]
        raise AllRowsRejectedError(
            f"{loaded.source}: all {loaded.rejected} {what} rows were rejected; "
            f"the first, row {first['row']}: {first['reason']}",
            rejects=loaded.rejects,
        )
    if loaded.rejected:
        note = f"{loaded.source}: {loaded.rejected} of {loaded.read} {what} rows rejected (see the rejects table)"
        first = loaded.rejects.iloc[0]
        warnings.warn(RowsRejectedWarning(f"{note}; first: row {first['row']}: {first['reason']}", note=note),
                      stacklevel=3)
    return loaded
