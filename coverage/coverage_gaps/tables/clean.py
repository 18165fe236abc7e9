"""Cleaning every table as it is read: control characters out, unsaved formulas found.

Word's soft line break (``\\x0b``), tabs, line breaks inside a cell and terminal
escape sequences never belong in a name or a code: they crash spreadsheet
writers and can rewrite an analyst's terminal.  They are removed before any
loader or writer sees the cell, and a note says where.  A formula cell that a
workbook holds no saved value for reads as blank; loaders reject its row
(:func:`unsaved_formula_rows`) rather than let it take a default.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import describe

__all__ = ["clean_control", "unsaved_formula_rows", "unsaved_formula_reason", "CONTROL_RE", "ESCAPE_RE"]


#: Escape sequences (ANSI CSI/OSC and two-character escapes), then other control characters
#: (tab, line breaks and Word's soft line break \x0b among them): none belongs in a name or a code.
ESCAPE_RE = r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]"
CONTROL_RE = r"[\x00-\x1f\x7f-\x9f]"


def clean_control(df: pd.DataFrame, file: str, *, first_row: int, columns=None) -> list[str]:
    """Replace control characters in text cells by spaces, in place; return a note naming where.

    ``columns``: only these may hold one (the caller checked the others); every column when None.
    """
    hits: list[tuple[str, int]] = []
    for col in df.columns if columns is None else columns:
        values = df[col]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        text = values.astype("string")
        if "".join(text.to_numpy(dtype=object, na_value="")).isprintable():  # one C pass: usually clean
            continue
        found = text.str.contains(CONTROL_RE, regex=True).fillna(False).to_numpy(dtype=bool)
        if not found.any():
            continue
        fixed = (text[found].str.replace(ESCAPE_RE, "", regex=True).str.replace(CONTROL_RE, " ", regex=True)
                 .str.split().str.join(" "))
        df.loc[found, col] = fixed.astype(object).where(fixed != "", None).to_numpy() \
            if values.dtype == object else fixed.where(fixed != "", pd.NA)
        hits += [(str(col), first_row + int(i)) for i in np.flatnonzero(found)]
    if not hits:
        return []
    where = "; ".join(f"column {c!r} row {r}" for c, r in hits[:5]) + (f"; and {len(hits) - 5} more" if len(hits) > 5
                                                                         else "")
    return [f"{file}: {len(hits)} cell(s) held control characters (a line break from Word, a tab or a terminal "
            f"escape sequence), cleaned: escape sequences removed, other control characters made spaces: {where}"]


def unsaved_formula_rows(df: pd.DataFrame, first: int) -> dict[int, tuple[str, str]]:
    """Data rows (by position in ``df``) holding a formula cell without a saved value: ``{i: (column, formula)}``.

    Such a cell reads as blank, which would silently take a default; loaders reject the row instead.
    """
    out: dict[int, tuple[str, str]] = {}
    for row, column, formula in df.attrs.get("unsaved_formulas", []):
        out.setdefault(row - first, (column, formula))
    return out


def unsaved_formula_reason(formula: str) -> str:
    """The reject reason for a formula cell the workbook holds no saved value for."""
    return describe("formula cell with no saved value: the workbook was saved without calculated values, so the "
                    "cell reads as blank", value=formula,
                    fix="open the workbook in Excel (or LibreOffice) and save it, so the values are stored; "
                    "or type the value in place of the formula")
