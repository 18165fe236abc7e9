"""Warnings collected as data notes, never silenced.

Loaders warn when they reject rows, repair geometries or skip hidden sheets.
A command or a run that must not print Python warnings collects them with
:func:`collect_warnings` and hands the words on (the Result's data notes, a
command's printed notes) instead of dropping them.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["collect_warnings", "attach_notes"]

_PACKAGE = Path(__file__).resolve().parent


class Notes(list):
    """The notes collected (text), and in :attr:`messages` the warnings they came from, once each."""

    messages: list


@contextmanager
def collect_warnings() -> Iterator[Notes]:
    """Collect the package's warnings raised inside the block into the list yielded, once each, in order.

    The package's own warnings (a :class:`UserWarning` raised by its code) become
    notes; any other (a library's deprecation, numpy's ``RuntimeWarning``) is
    raised again as it was, after the block.  Rows rejected
    (:class:`~coverage_gaps.errors.RowsRejectedWarning`) become their note, which
    quotes no row: the rejects table holds the rows.  ``.messages`` keeps the
    warnings themselves (to raise them again for a notebook's ``DataNotes``).

    Examples
    --------
    ::

        with collect_warnings() as notes:
            inputs = _load_inputs(profile)  # a loader warns "partners.csv: 2 of 80 provider rows rejected ..."
        notes  # ['partners.csv: 2 of 80 provider rows rejected (see the rejects table)']
    """
    found = Notes()
    found.messages = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield found
        finally:
            texts = {}
            for w in caught:
                if _ours(w):
                    texts.setdefault(str(w.message), w.message)
            found.messages.extend(texts.values())
            found.extend(dict.fromkeys(getattr(m, "note", str(m)) for m in texts.values()))
    for w in caught:
        if not _ours(w):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)


def _ours(w: warnings.WarningMessage) -> bool:
    return issubclass(w.category, UserWarning) and Path(w.filename).resolve().is_relative_to(_PACKAGE)


def attach_notes(loaded: dict, notes) -> None:
    """Add each note to the notes of the input it names (its file name first), else of the first input.

    ``loaded`` maps names to :class:`~coverage_gaps._validate.Loaded`; a note
    already among an input's notes is not added again.
    """
    if not loaded:
        return
    for text in notes:
        if any(text in one.notes for one in loaded.values()):
            continue
        named = [one for one in loaded.values() if one.source and text.startswith(f"{one.source}:")]
        (named[0] if named else next(iter(loaded.values()))).notes.append(text)
