"""Spreadsheet-facing files carry values, never formulas (DESIGN.md §5).

The workgroup opens ilmio's CSV and XLSX files in Excel. A cell that starts with `=`, `+`, `-`
or `@` (or a tab or carriage return) is a formula to Excel: a record starting with
`=HYPERLINK("http://…")` or an id like `=cmd|' /C calc'!A0` would run when the file is opened.
Every writer goes through this module:

- CSV: a field starting with one of those characters gets a leading `'` (the OWASP rule);
- XLSX: every cell is written as a string or a number (never a formula), with characters the
  file format cannot hold (control codes) removed.

Ids keep their original value in Parquet; only these spreadsheet-facing copies are changed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so XLSX) cannot hold; openpyxl refuses them (IllegalCharacterError).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def neutralise(value: object) -> object:
    """A string that a spreadsheet would read as a formula, prefixed with `'`; other values
    unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every string cell (and column name) neutralised."""
    out = frame.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise).astype(object)
    return out


# How Excel reads a CSV depends on the Windows locale: Finnish Excel splits fields at `;` (the
# list separator, since `,` is the decimal mark) and reads UTF-8 only after a BOM. Files for
# people are written in the dialect of the report language.
EXCEL_DIALECTS = {"fi": {"sep": ";", "decimal": ","}, "en": {"sep": ",", "decimal": "."}}


def write_excel_csv(frame: pd.DataFrame, path: Path, language: str) -> None:
    """A CSV that Excel in `language`'s locale opens as columns, with ä/ö and numbers intact:
    UTF-8 with BOM; `;` and decimal comma for Finnish, `,` and decimal point for English."""
    write_csv(frame, path, bom=True, **EXCEL_DIALECTS[language])


def read_excel_csv(path: Path, language: str = "fi", **kwargs) -> pd.DataFrame:
    """Read back a CSV written by `write_excel_csv` (as Excel in that locale would)."""
    dialect = EXCEL_DIALECTS[language]
    return pd.read_csv(path, encoding="utf-8-sig", **dialect, **kwargs)


def write_csv(
    frame: pd.DataFrame, path: Path, *, sep: str = ",", bom: bool = False, decimal: str = "."
) -> None:
    """A CSV for people: every field neutralised; `bom` adds the UTF-8 BOM Excel looks for.

    A carriage return inside a field becomes a newline: rows end in `\n`, so a lone `\r`
    would not make the writer quote the field, and a reader would start a new row at it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = neutralise_frame(frame)
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: v.replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) else v
            )
    out.to_csv(
        path,
        index=False,
        sep=sep,
        decimal=decimal,
        encoding="utf-8-sig" if bom else "utf-8",
        lineterminator="\n",
    )


def xlsx_value(value: object) -> object:
    """A value for an XLSX cell: numbers stay numbers, the rest is text without illegal
    characters. Strings are marked as strings by `set_cell`, so `=…` stays text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return value
    return _ILLEGAL_XML.sub("", str(value))


def set_cell(ws, row: int, column: int, value: object):
    """Write one cell as a value: a string is stored as a string even if it starts with `=`."""
    cell = ws.cell(row=row, column=column)
    cell.value = xlsx_value(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_START):
            # Excel's own "this is text" marker: it stays text even when the cell is edited.
            cell.quotePrefix = True
    return cell


def write_rows(ws, rows: list[list[object]], *, first_row: int = 1) -> None:
    """Rows of values from `first_row` down, every cell through `set_cell`."""
    for r, values in enumerate(rows, start=first_row):
        for column, value in enumerate(values, start=1):
            set_cell(ws, r, column, value)
