"""Shared reading helpers: one table from a CSV or spreadsheet.

:func:`read_table` reads a CSV (UTF-8 with or without a byte-order mark,
Windows-1252 or UTF-16 as Excel writes it) or an Excel workbook, finds the header row
even when title rows sit above it (as in Home Office and ONS workbooks) and
says which spreadsheet row holds the first data row, so a reject can say
"row 7" exactly as Excel shows it.  The column, label and date matchers
(:func:`match_column` ...) live in :mod:`.match` and are re-exported here.
"""

from __future__ import annotations

import copy
import csv
import datetime as _dt
import hashlib
import io as _io
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import EmptyInputError, InputFileNotFoundError, InvalidValueError, describe
from .clean import clean_control, unsaved_formula_reason, unsaved_formula_rows
from .match import choose_date, iso_dates, match_column, norm_label, normalise_name

__all__ = [
    "read_table",
    "match_column",
    "normalise_name",
    "norm_label",
    "require_file",
    "iso_dates",
    "choose_date",
    "unsaved_formula_rows",
    "unsaved_formula_reason",
    "EXCEL_SUFFIXES",
]

#: File name endings read as spreadsheets; everything else is read as text.
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
#: How many rows at the top are searched for the header row.
_HEADER_SEARCH_ROWS = 30


def require_file(path: str | Path, *, what: str = "input") -> Path:
    """Return ``path`` as a :class:`~pathlib.Path`, or raise if it does not exist."""
    path = Path(path).expanduser()
    if not path.is_file():
        where = ("a folder, not a file" if path.is_dir() else
                 "is a symbolic link that leads nowhere (a loop of links, or a missing target)" if path.is_symlink()
                 else "not found")
        raise InputFileNotFoundError(
            describe(
                f"{what} file {where}",
                file=str(path),
                fix="check the path and file name (relative paths are read from "
                f"{Path.cwd()}; in a profile they are relative to data_dir)",
            )
        )
    return path


#: Tables read recently, by file (path and content) and options: a run that reads one file several
#: times (Asy_D11 for the date used, then each quarter of the trend) parses it once.  Files above
#: :data:`_CACHE_MAX_BYTES` (a national postcode lookup) are never kept.
_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 4
_CACHE_MAX_BYTES = 50_000_000


def read_table(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    header_hint: Iterable[str] | None = None,
    dtype: object = str,
) -> tuple[pd.DataFrame, int]:
    """Read a CSV or Excel table whose header row may sit below title rows.

    Parameters
    ----------
    path
        A ``.csv``/``.txt``/``.tsv`` file or an ``.xlsx``/``.xlsm`` (or ``.xls``,
        when ``xlrd`` is installed) workbook.
    sheet
        Worksheet name or 0-based position.  By default the first *visible*
        worksheet whose top rows hold the ``header_hint`` names, else the
        first visible worksheet: hidden sheets and chart sheets are skipped,
        as a person opening the file would.
    header_hint
        Column names expected in the header row (matched ignoring case,
        spaces and punctuation).  The header is the first of the top rows that
        holds the most of them; without a hint (or when none match) it is the
        first row whose cells are mostly filled.
    dtype
        ``str`` (default): every cell as text, blank cells missing (``NA``),
        spreadsheet dates as ISO ``YYYY-MM-DD``.  ``None``: cells as read.

    Returns
    -------
    (DataFrame, int)
        The table (columns named as in the header, stripped of surrounding
        spaces) and the spreadsheet row number of its first data row: the row
        of ``df.iloc[i]`` is ``first_data_row + i``.  ``df.attrs`` holds
        ``header_row``, ``sheet``, ``encoding``, ``notes`` (the worksheet
        read, hidden sheets skipped, control characters replaced) and
        ``unsaved_formulas``: ``(row, column, formula)`` of formula cells the
        workbook holds no saved value for (read as blank: see
        :func:`unsaved_formula_rows`).

    Raises
    ------
    InputFileNotFoundError
        The file does not exist.
    EmptyInputError
        The file holds no header or no data rows.
    InvalidValueError
        The named sheet does not exist or the workbook cannot be read.
    """
    path = require_file(path)
    if path.stat().st_size > _CACHE_MAX_BYTES:
        return _read_table(path, sheet=sheet, header_hint=header_hint, dtype=dtype)
    raw = path.read_bytes()
    content = hashlib.blake2b(raw, digest_size=16).hexdigest()  # the same bytes, not the same time
    key = (str(path.resolve()), content, sheet, tuple(header_hint or ()), str(dtype))
    if key in _CACHE:
        _CACHE.move_to_end(key)
    else:
        _CACHE[key] = _read_table(path, sheet=sheet, header_hint=header_hint, dtype=dtype, raw=raw)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    df, first = _CACHE[key]
    out = df.copy()  # the caller may change its table: the kept one stays as read
    out.attrs = copy.deepcopy(df.attrs)
    return out, first


def _read_table(path: Path, *, sheet, header_hint, dtype, raw: bytes | None = None) -> tuple[pd.DataFrame, int]:
    """:func:`read_table` without the memory of recent reads (``raw``: the file's bytes, when already read)."""
    hints = [normalise_name(h) for h in (header_hint or []) if normalise_name(h)]
    encoding = None
    sheet_name = None
    notes: list[str] = []
    formulas: list[tuple[int, int, str]] = []
    if path.suffix.lower() in EXCEL_SUFFIXES:
        rows, sheet_name, notes, formulas = _excel_rows(path, sheet, hints)
    else:
        rows, encoding = _csv_rows(path, raw)
    while rows and _blank(rows[-1]):
        rows.pop()
    if not rows:
        raise EmptyInputError(describe("the file is empty", file=path.name,
                                       fix="export the table again, with a header row and data rows"))
    header_at = _find_header(rows, hints)
    header = _column_names(rows[header_at])
    body = rows[header_at + 1:]
    if not body:
        raise EmptyInputError(
            describe("no data rows below the header", file=path.name, row=header_at + 1,
                     value=", ".join(header[:6]), fix="check that the right file (or sheet) was given")
        )
    width = max(len(header), max(len(r) for r in body))
    header += [f"Unnamed: {i}" for i in range(len(header), width)]
    suspect = None  # columns that may hold control characters: all of them, unless the CSV path checked
    if dtype is str and encoding is not None:  # CSV: every cell is text already
        df, suspect = _csv_text(body, header)
    else:
        df = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in body], columns=header, dtype=object)
        if dtype is str:
            df = df.apply(lambda col: col.map(_as_text)).astype("string")
        elif dtype is not None:
            df = df.astype(dtype)
    notes += clean_control(df, path.name, first_row=header_at + 2, columns=suspect)
    unsaved = [(i + 1, header[j], f) for i, j, f in formulas if i > header_at and j < len(header)]
    df.attrs.update({"header_row": header_at + 1, "sheet": sheet_name, "encoding": encoding, "file": path.name,
                     "notes": notes, "unsaved_formulas": unsaved})
    return df, header_at + 2


# --- private steps -----------------------------------------------------------


def _csv_rows(path: Path, raw: bytes | None = None) -> tuple[list[list[str]], str]:
    raw = path.read_bytes() if raw is None else raw
    encodings = ("utf-8-sig", "cp1252", "latin-1")  # latin-1 decodes any bytes
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" is UTF-16 with a byte-order mark
        encodings = ("utf-16",) + encodings
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text[:20000].splitlines()[:_HEADER_SEARCH_ROWS]
    if path.suffix.lower() in (".tsv", ".tab"):
        delimiter = "\t"
    else:
        counts = {d: sum(line.count(d) for line in first) for d in (",", ";", "\t", "|")}
        delimiter = max(counts, key=lambda d: (counts[d], d == ","))
        if counts[delimiter] == 0:
            delimiter = ","
    try:
        return list(csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter)), encoding
    except csv.Error as exc:  # e.g. a field longer than the csv module allows: a binary file named .csv
        raise InvalidValueError(
            describe(f"cannot read the file as a table ({exc})", file=path.name,
                     fix="check it is a CSV file; save it again from Excel as CSV UTF-8, or give the .xlsx")
        ) from None


def _excel_rows(path: Path, sheet, hints) -> tuple[list[list], str, list[str], list[tuple[int, int, str]]]:
    """Rows of the worksheet a person would read, notes on the choice, and formula cells with no saved value."""
    if path.suffix.lower() == ".xls":
        rows, name = _xls_rows(path, sheet, hints)
        return rows, name, [], []
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip/xml errors from a damaged or mislabelled file
        raise InvalidValueError(
            describe(f"cannot read the workbook ({type(exc).__name__}: {exc})", file=path.name,
                     fix="open it in Excel and save it again as .xlsx, or export the sheet to CSV")
        ) from None
    try:
        tables = {ws.title: ws for ws in book.worksheets}  # chart sheets hold no cells: never a table
        hidden = [n for n, ws in tables.items() if getattr(ws, "sheet_state", "visible") != "visible"]
        if sheet is not None and _named_sheet(book.sheetnames, sheet) not in tables:
            named = _named_sheet(book.sheetnames, sheet)
            if named is not None:
                raise InvalidValueError(describe(
                    "the sheet is a chart, not a table", file=path.name, value=sheet,
                    expected="one of the worksheets " + ", ".join(repr(n) for n in tables),
                    fix="name the worksheet that holds the table"))
        visible = [n for n in tables if n not in hidden]
        if not visible and sheet is None:
            raise InvalidValueError(describe(
                "the workbook has no visible worksheet", file=path.name,
                fix="unhide the sheet with the table (right-click a tab > Unhide), or name it with sheet ="))
        name = _pick_sheet(visible if sheet is None else list(tables), sheet, path,
                           lambda n: [list(r) for r in tables[n].iter_rows(min_row=1, max_row=_HEADER_SEARCH_ROWS,
                                                                            values_only=True)], hints)
        rows = [list(r) for r in tables[name].iter_rows(min_row=1, values_only=True)]
    finally:
        book.close()
    notes = [f"{path.name}: read worksheet {name!r}"
             + (" (hidden, named in the profile)" if name in hidden else "")
             + (f"; hidden sheet(s) skipped: {', '.join(repr(n) for n in hidden if n != name)}"
                if [n for n in hidden if n != name] else "")]
    return rows, name, notes, _unsaved_formulas(path, name, rows)


def _unsaved_formulas(path: Path, name: str, rows: list[list]) -> list[tuple[int, int, str]]:
    """(row index, column index, formula) of formula cells the workbook holds no saved value for."""
    if not any(v is None for r in rows for v in r):
        return []
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        found = []
        for i, formulas in enumerate(book[name].iter_rows(min_row=1, values_only=True)):
            if i >= len(rows):
                break
            for j, f in enumerate(formulas):
                if isinstance(f, str) and f.startswith("=") and (j >= len(rows[i]) or rows[i][j] is None):
                    found.append((i, j, f))
    finally:
        book.close()
    return found


def _named_sheet(names: list[str], sheet) -> str | None:
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        return names[sheet] if 0 <= sheet < len(names) else None
    if sheet in names:
        return sheet
    folded = {normalise_name(n): n for n in names}
    return folded.get(normalise_name(sheet))


def _xls_rows(path: Path, sheet, hints) -> tuple[list[list], str]:
    try:
        frames = pd.read_excel(path, sheet_name=None, header=None, dtype=object)
    except ImportError:
        raise InvalidValueError(
            describe("old-style .xls workbooks need the optional package xlrd", file=path.name,
                     fix="save the workbook as .xlsx (File > Save As) or `pip install xlrd`")
        ) from None

    def cells(df: pd.DataFrame) -> list[list]:
        df = df.astype(object)
        return df.where(df.notna(), None).values.tolist()

    name = _pick_sheet(list(frames), sheet, path, lambda n: cells(frames[n].head(_HEADER_SEARCH_ROWS)), hints)
    return cells(frames[name]), name


def _pick_sheet(names: list[str], sheet, path: Path, top_rows, hints) -> str:
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if 0 <= sheet < len(names):
            return names[sheet]
    elif sheet is not None:
        if sheet in names:
            return sheet
        folded = {normalise_name(n): n for n in names}
        if normalise_name(sheet) in folded:
            return folded[normalise_name(sheet)]
    if sheet is not None:
        raise InvalidValueError(
            describe("worksheet not found", file=path.name, value=sheet,
                     expected="one of " + ", ".join(repr(n) for n in names),
                     fix="give the sheet name exactly as the workbook's tab shows it")
        )
    if hints:
        for name in names:
            if any(_hint_score(r, hints) for r in top_rows(name)):
                return name
    return names[0]


def _blank(row) -> bool:
    return all(v is None or str(v).strip() == "" for v in row)


def _hint_score(row, hints) -> int:
    cells = {normalise_name(v) for v in row if v is not None}
    return sum(h in cells for h in hints)


def _find_header(rows: list[list], hints: list[str]) -> int:
    top = rows[:_HEADER_SEARCH_ROWS]
    if hints:
        scores = [_hint_score(r, hints) for r in top]
        best = max(scores)
        if best:
            return scores.index(best)
    filled = [sum(v is not None and str(v).strip() != "" for v in r) for r in top]
    widest = max(filled)
    for i, n in enumerate(filled):
        if n and n >= max(2, widest / 2) or (widest == 1 and n == 1):
            return i
    return 0


def _column_names(row) -> list[str]:
    names, seen = [], {}
    for i, v in enumerate(row):
        name = _as_text(v)
        name = f"Unnamed: {i}" if name is None else " ".join(name.split())
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        names.append(name)
    return names


def _csv_text(body: list[list[str]], header: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """:func:`_as_text` for the rows of a CSV (text cells; short rows padded), built column by column.

    A CSV cell is a ``str``, so :func:`_as_text` only strips it and turns a
    blank into a missing value.  Each column's cells are joined once (C speed)
    to see whether any needs stripping and whether any holds a control
    character; a clean column (nearly every one) is taken as it is.  Returns
    the table and the columns holding a control character (for
    :func:`~coverage_gaps.tables.clean_control`).
    """
    width = len(header)
    padded = (r if len(r) == width else [*r, *[None] * (width - len(r))] for r in body)
    out, suspect = {}, []
    for i, cells in enumerate(zip(*padded)):
        given = [c for c in cells if c is not None] if None in cells else cells
        joined = "\n".join(given)
        printable = "".join(given).isprintable()  # then the only whitespace is " " (and the "\n" joints)
        if not printable:
            suspect.append(header[i])
        if printable and not (joined.startswith(" ") or joined.endswith(" ") or " \n" in joined or "\n " in joined):
            values = np.array(cells, dtype=object)
        else:
            values = np.array([None if c is None else c.strip() for c in cells], dtype=object)
        values[values == ""] = None
        out[i] = pd.array(values, dtype="string")
    table = pd.DataFrame(out)
    table.columns = header
    return table, suspect


def _as_text(v) -> str | None:
    """One cell as text: blanks missing, whole dates as ISO, whole floats without '.0'."""
    if v is None:
        return None
    if isinstance(v, float):
        if v != v:
            return None
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, _dt.datetime):
        return v.date().isoformat() if v.time() == _dt.time() else v.isoformat(sep=" ")
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    text = str(v).strip()
    return text or None
