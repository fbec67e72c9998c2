"""The review sheet as a workbook for Finnish Excel: values only (pipeline.spreadsheet),
reproducible bytes.

- *Teemat*: id and name, then the reviewer's columns (wide, yellow), then the figures as
  numbers; a drop-down for `päätös` that refuses any other value with a Finnish message, a
  list of theme ids for `yhdistä_teemaan`, an autofilter, frozen id and name, print setup
  (landscape, fit to one page wide, header row on every page). Administrative themes (when
  the themes stage marks them) come last, greyed.
- *Kunnat*, *Palvelut*, *Asiakirjatyypit*, *Neljännekset*: long form, one row per theme ×
  group, numbers only (pivot-ready); *Ehdotukset*: one row per proposal found in the records.
- *Ohjeet*: instructions; hidden *_ilmio*: run id and language; hidden *_listat*: the ids
  the `yhdistä_teemaan` list offers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from pipeline import spreadsheet
from pipeline.i18n import help_rows, texts
from pipeline.report.tables import REVIEW_KEYS

WIDE = {"description": 26, "interpretation": 26, "proposals": 26, "comment": 18}
NUMBER_FORMATS = {"per_100": "0.0", "previous_per_100": "0.0", "current_per_100": "0.0"}


def write_xlsx(
    table: pd.DataFrame,
    path: Path,
    *,
    language: str,
    run: str,
    min_clients: int,
    long_sheets: dict[str, pd.DataFrame] | None = None,
    merge_targets: list[str] | None = None,
    admin_rows: list[int] | None = None,
) -> None:
    """The review sheet, the long-form sheets, instructions and the hidden run id.

    `long_sheets`: sheet name -> long table; `merge_targets`: theme ids offered for
    `yhdistä_teemaan` (default: the sheet's own); `admin_rows`: 0-based rows of
    administrative themes (set apart)."""
    from datetime import datetime

    from openpyxl import Workbook

    t = texts(language)
    wb = Workbook()
    ws = wb.active
    ws.title = t["sheet_themes"]
    _table_sheet(ws, table, language)
    _review_columns(ws, table, language, admin_rows or [])
    ids = [str(i) for i in table[t["theme_id"]]] if len(table) else []
    lists = wb.create_sheet(t["sheet_lists"])
    spreadsheet.write_rows(lists, [[i] for i in (merge_targets or ids)] or [[""]])
    lists.sheet_state = "hidden"
    _validations(ws, table, language, len(merge_targets or ids) or 1)
    for name, frame in (long_sheets or {}).items():
        _table_sheet(wb.create_sheet(name), frame, language)
    help_ws = wb.create_sheet(t["sheet_help"])
    spreadsheet.write_rows(help_ws, [[line.format(n=min_clients)] for line in help_rows(language)])
    help_ws.column_dimensions["A"].width = 110
    meta = wb.create_sheet("_ilmio")
    spreadsheet.write_rows(meta, [["run_id", run], ["language", language]])
    meta.sheet_state = "hidden"
    fixed = datetime(2000, 1, 1)
    wb.properties.creator = "ilmio"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    fix_zip_timestamps(path)


def _table_sheet(ws, frame: pd.DataFrame, language: str) -> None:
    """A table: bold header, autofilter, frozen header, number formats, print setup."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    t = texts(language)
    rows = [[None if _missing(v) else v for v in row] for row in frame.itertuples(index=False)]
    spreadsheet.write_rows(ws, [list(frame.columns), *rows])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    formats = {t[k]: f for k, f in NUMBER_FORMATS.items()} | {t["index"]: "0.00"}
    for col, name in enumerate(frame.columns, start=1):
        letter = get_column_letter(col)
        values = [str(v) for v in frame[name] if not _missing(v)]
        longest = max((len(v) for v in values), default=0)
        # Sized to the values; a long header wraps (per_100_edellinen_jakso over a number).
        ws.column_dimensions[letter].width = max(8, min(45, longest + 2))
        if name in formats:
            for cell in ws[letter][1:]:
                cell.number_format = formats[name]
    ws.row_dimensions[1].height = 45
    last = f"{get_column_letter(max(1, len(frame.columns)))}{max(1, len(frame)) + 1}"
    ws.auto_filter.ref = f"A1:{last}"
    ws.freeze_panes = "C2" if len(frame.columns) > 2 else "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def _review_columns(ws, table: pd.DataFrame, language: str, admin_rows: list[int]) -> None:
    """Reviewer columns wide and yellow; long text wrapped; administrative rows grey."""
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    t = texts(language)
    review = PatternFill("solid", fgColor="FFF2CC")
    admin = PatternFill("solid", fgColor="E7E6E6")
    for key in REVIEW_KEYS:
        letter = get_column_letter(table.columns.get_loc(t[key]) + 1)
        ws.column_dimensions[letter].width = WIDE.get(key, 16)
        ws[f"{letter}1"].fill = review
        for cell in ws[letter][1:]:
            cell.fill = review
    long_text = [c for c in table.columns if str(c).startswith((t["excerpt"], t["doc_proposals"]))]
    for name in [*long_text, t["keywords"], t["over_where"]]:
        letter = get_column_letter(table.columns.get_loc(name) + 1)
        ws.column_dimensions[letter].width = 60 if name in long_text else 28
    printed = table.columns.get_loc(t["keywords"]) + 1
    for row in ws.iter_rows(min_row=2):
        lines = 1
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            width = ws.column_dimensions[cell.column_letter].width or 10
            if isinstance(cell.value, str) and cell.value and cell.column <= printed:
                wrapped = sum(
                    -(-len(part) // max(1, int(width - 1))) for part in cell.value.split("\n")
                )
                lines = max(lines, wrapped)
        # Row heights written out (from the printed columns): neither Excel nor LibreOffice
        # grows a row for wrapped text that a program wrote.
        ws.row_dimensions[row[0].row].height = 15 * min(lines, 8)
    for i in admin_rows:
        for cell in ws[i + 2]:
            cell.fill = admin
    # Printed for a meeting: the columns up to the keywords (excerpts and proposals from the
    # records stay on screen), one page wide.
    ws.print_area = f"A1:{get_column_letter(printed)}{len(table) + 1}"


def _validations(ws, table: pd.DataFrame, language: str, n_targets: int) -> None:
    """`päätös` only from its list, `yhdistä_teemaan` only a listed theme id: any other value
    is refused with a Finnish message (Excel's stop style)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    t = texts(language)
    last = max(len(table), 1) + 1

    def column(key: str) -> str:
        return get_column_letter(table.columns.get_loc(t[key]) + 1)

    def refuse_others(key: str, formula: str, prompt: str, error: str) -> None:
        rule = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=t[f"{error}_title"],
            error=t[error],
            showInputMessage=True,
            promptTitle=t[key],
            prompt=t[prompt],
        )
        rule.add(f"{column(key)}2:{column(key)}{last}")
        ws.add_data_validation(rule)

    refuse_others("decision", f'"{t["decisions"]}"', "decision_prompt", "decision_error")
    refuse_others(
        "merge_into",
        f"'{t['sheet_lists']}'!$A$1:$A${n_targets}",
        "merge_prompt",
        "merge_error",
    )


def fix_zip_timestamps(path: Path) -> None:
    """Rewrite an .xlsx (a zip) with fixed entry times and a fixed `modified` property (openpyxl
    stamps the save time on both), so equal sheets give equal bytes."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    stamp = rb"\g<1>2000-01-01T00:00:00Z\g<2>"
    entries = [
        (
            name,
            re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", stamp, data)
            if name == "docProps/core.xml"
            else data,
        )
        for name, data in entries
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            target.writestr(
                zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )
