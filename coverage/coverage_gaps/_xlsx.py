"""A small, fast, reproducible XLSX writer: the workbook's XML parts written directly into a zip.

:func:`coverage_gaps.export.write_xlsx` decides what a planner's workbook
holds (headings in words, number formats, column widths); this module only
serialises it.  openpyxl (even in write-only mode) builds one Python object
and one XML element per cell, which took about 48 s for a 35,000-row national
target list (800,000 cells); here each cell is one f-string and the sheet is
streamed into the zip in blocks of rows, so the same workbook takes a few
seconds and memory stays bounded by a block.

What is written: inline strings (``t="inlineStr"``, as openpyxl's write-only
mode does), numbers with the shortest text that reads back as the same float,
booleans, and empty cells left out.  One bold header row, frozen, with an
auto-filter over the table; a number format and a width per column.  Every
zip entry carries the same date, and ``docProps/core.xml`` the given date, so
the same inputs give the same bytes.
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["Sheet", "write_workbook", "column_letter"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
#: Excel's built-in number formats that the exports use (ids from ECMA-376 part 1, 18.8.30).
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10}
_ROWS_PER_BLOCK = 4096


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its name, heading per column, number format per column ("" = by value) and widths.

    ``number_for_mixed`` gives the format of a number found in a column whose
    own format is "" (a text column holding some numbers), by ``int`` or ``float``.
    """

    name: str
    table: pd.DataFrame
    headings: list[str]
    formats: list[str]
    widths: list[float]
    number_for_mixed: tuple[str, str] = ("#,##0", "#,##0.00##")


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 1-based column index (1 -> A, 27 -> AA)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


#: XML escapes in one pass; characters XML 1.0 cannot carry (openpyxl refuses them) become U+FFFD.
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;",
                         **{c: "\ufffd" for c in map(chr, [*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])}})


def _text(value: str) -> str:
    return value.translate(_ESCAPE)


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;")


def _inline(value: str) -> str:
    """The ``<is>`` part of a text cell (whitespace at either end or a line break kept)."""
    space = ' xml:space="preserve"' if value != value.strip() or "\n" in value else ""
    return f"<is><t{space}>{_text(value)}</t></is>"


def _string_cell(ref: str, value: str, style: int) -> str:
    if not value:
        return ""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="inlineStr">{_inline(value)}</c>'


class _Styles:
    """Cell formats (``cellXfs``): 0 plain, 1 bold, then one per number format, numbered as first asked for."""

    def __init__(self):
        self.formats: list[str] = []

    def number(self, fmt: str) -> int:
        if not fmt or fmt == "General":
            return 0
        if fmt not in self.formats:
            self.formats.append(fmt)
        return 2 + self.formats.index(fmt)

    def xml(self) -> str:
        custom = [f for f in self.formats if f not in _BUILTIN_FORMATS]
        ids = {f: _BUILTIN_FORMATS.get(f, 164 + custom.index(f) if f in custom else 0) for f in self.formats}
        num_fmts = "".join(f'<numFmt numFmtId="{ids[f]}" formatCode="{_attr(f)}"/>' for f in custom)
        xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
               '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>']
        xfs += [f'<xf numFmtId="{ids[f]}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                for f in self.formats]
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
                + (f'<numFmts count="{len(custom)}">{num_fmts}</numFmts>' if custom else "")
                + '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
                '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
                '<fills count="2"><fill><patternFill patternType="none"/></fill>'
                '<fill><patternFill patternType="gray125"/></fill></fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                '</styleSheet>')


def _column_cells(series: pd.Series, letter: str, rows: list[str], fmt: str, styles: _Styles,
                  mixed: tuple[str, str]) -> list[str]:
    """The ``<c>`` elements of one column, one string per row ("" for an empty cell)."""
    refs = [letter + r for r in rows]
    numpy_dtype = isinstance(series.dtype, np.dtype)
    values = series.to_numpy()
    if numpy_dtype and series.dtype.kind == "f":  # float64: finite values as the shortest text that reads back the same
        s = f' s="{styles.number(fmt)}"' if styles.number(fmt) else ""
        return [f'<c r="{ref}"{s}><v>{v!r}</v></c>' if math.isfinite(v) else ""
                for ref, v in zip(refs, values.tolist())]
    if numpy_dtype and series.dtype.kind in "iu":
        s = f' s="{styles.number(fmt)}"' if styles.number(fmt) else ""
        return [f'<c r="{ref}"{s}><v>{v}</v></c>' for ref, v in zip(refs, values.tolist())]
    if numpy_dtype and series.dtype.kind == "b":
        s = f' s="{styles.number(fmt)}"' if styles.number(fmt) else ""
        return [f'<c r="{ref}"{s} t="b"><v>{int(v)}</v></c>' for ref, v in zip(refs, values.tolist())]
    if pd.api.types.is_integer_dtype(series) or pd.api.types.is_float_dtype(series):  # nullable Int64 / Float64
        s = f' s="{styles.number(fmt)}"' if styles.number(fmt) else ""
        missing = series.isna().to_numpy()
        numbers = series.to_numpy(dtype=object, na_value=None).tolist()
        return ["" if gap or (type(v) is float and not math.isfinite(v)) else f'<c r="{ref}"{s}><v>{v!r}</v></c>'
                for ref, v, gap in zip(refs, numbers, missing.tolist())]
    values = series.astype(object).tolist()
    style = styles.number(fmt)
    s = f' s="{style}"' if style else ""
    texts = {v: _inline(v) for v in set(v for v in values if type(v) is str and v)}  # text repeats: escape once
    return [f'<c r="{ref}"{s} t="inlineStr">{texts[v]}</c>' if type(v) is str and v
            else _any_cell(ref, v, fmt, styles, mixed) for ref, v in zip(refs, values)]


def _any_cell(ref: str, value, fmt: str, styles: _Styles, mixed: tuple[str, str]) -> str:
    """One cell of an object (or nullable) column: text, number, boolean or empty."""
    if value is None or value is pd.NA or value is pd.NaT or value == "":
        return ""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        return _string_cell(ref, value, styles.number(fmt))
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return ""
        style = styles.number(fmt or mixed[0 if isinstance(value, int) else 1])
        s = f' s="{style}"' if style else ""
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    return _string_cell(ref, str(value), styles.number(fmt))  # dates and other objects as their text


def _sheet_parts(sheet: Sheet, styles: _Styles):
    """The worksheet XML, in pieces (head, blocks of rows, tail)."""
    table = sheet.table
    n_cols, n_rows = len(table.columns), len(table)
    last = column_letter(max(n_cols, 1))
    cols = "".join(f'<col min="{j}" max="{j}" width="{w:g}" customWidth="1"/>'
                   for j, w in enumerate(sheet.widths, start=1))
    yield (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" '
           f'xmlns:r="{_REL}"><dimension ref="A1:{last}{n_rows + 1}"/>'
           '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
           'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
           '<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>"
           '<row r="1">' + "".join(_string_cell(f"{column_letter(j)}1", h, 1) for j, h in
                                   enumerate(sheet.headings, start=1)) + "</row>")
    letters = [column_letter(j) for j in range(1, n_cols + 1)]
    for start in range(0, n_rows, _ROWS_PER_BLOCK):
        block = table.iloc[start:start + _ROWS_PER_BLOCK]
        rows = [str(i) for i in range(start + 2, start + 2 + len(block))]
        columns = [_column_cells(block.iloc[:, j], letters[j], rows, sheet.formats[j], styles,
                                 sheet.number_for_mixed) for j in range(n_cols)]
        yield "".join(f'<row r="{r}">{"".join(cells)}</row>' for r, cells in zip(rows, zip(*columns)))
    yield ("</sheetData>" + (f'<autoFilter ref="A1:{last}{n_rows + 1}"/>' if n_cols else "")
           + '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>')


def _workbook_xml(sheets: list[Sheet]) -> str:
    entries = "".join(f'<sheet name="{_attr(s.name)}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, s in enumerate(sheets, start=1))
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"'{_attr(s.name.replace(chr(39), chr(39) * 2))}'!$A$1:${column_letter(len(s.table.columns))}"
        f"${len(s.table) + 1}</definedName>"
        for i, s in enumerate(sheets) if len(s.table.columns))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_REL}"><bookViews><workbookView activeTab="0"/></bookViews><sheets>{entries}</sheets>'
            + (f"<definedNames>{names}</definedNames>" if names else "") + '<calcPr calcId="124519"/></workbook>')


def _package_parts(sheets: list[Sheet], when: date, creator: str) -> dict[str, str]:
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    stamp = f"{when.isoformat()}T00:00:00Z"
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
                        for i in range(1, len(sheets) + 1))
    rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, len(sheets) + 1))
    n = len(sheets) + 1
    return {
        "[Content_Types].xml": (
            f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>{overrides}'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'),
        "_rels/.rels": (
            f'{head}<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>"),
        "docProps/app.xml": (
            f'{head}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>{_text(creator)}</Application></Properties>"),
        "docProps/core.xml": (
            f'{head}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{_text(creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'),
        "xl/workbook.xml": _workbook_xml(sheets),
        "xl/_rels/workbook.xml.rels": (
            f'{head}<Relationships xmlns="{_PKG_REL}">{rels}'
            f'<Relationship Id="rId{n}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'),
    }


def write_workbook(sheets: list[Sheet], path: str | Path, *, when: date, creator: str = "coverage-gaps") -> Path:
    """Write ``sheets`` as an XLSX at ``path``, every timestamp inside it set to ``when``.

    Parameters
    ----------
    sheets
        The worksheets in order; tables already neutralised (text that a
        spreadsheet would run as a formula prefixed with ``'``).
    when
        The date stored as the workbook's created and modified time and on
        every zip entry: the same sheets give the same bytes.
    """
    path = Path(path)
    styles = _Styles()
    stamp = (when.year, when.month, when.day, 0, 0, 0)

    def entry(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in _package_parts(sheets, when, creator).items():  # [Content_Types].xml first
            zf.writestr(entry(name), text)
        for i, sheet in enumerate(sheets, start=1):
            with zf.open(entry(f"xl/worksheets/sheet{i}.xml"), "w", force_zip64=True) as out:
                for part in _sheet_parts(sheet, styles):
                    out.write(part.encode("utf-8"))
        zf.writestr(entry("xl/styles.xml"), styles.xml())  # last: the sheets register their number formats
    return path
