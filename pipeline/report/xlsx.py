"""The review sheet as a workbook: values only (pipeline.spreadsheet), reproducible bytes."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from pipeline import spreadsheet
from pipeline.i18n import help_rows, texts
from pipeline.report.tables import REVIEW_KEYS


def write_xlsx(
    table: pd.DataFrame, path: Path, *, language: str, run: str, min_clients: int
) -> None:
    """The review sheet: themes, instructions in plain language, hidden run id."""
    from datetime import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    t = texts(language)
    wb = Workbook()
    ws = wb.active
    ws.title = t["sheet_themes"]
    spreadsheet.write_rows(ws, [list(table.columns), *map(list, table.itertuples(index=False))])
    review_cols = [table.columns.get_loc(t[k]) + 1 for k in REVIEW_KEYS]
    fill = PatternFill("solid", fgColor="FFF2CC")
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for col in range(1, len(table.columns) + 1):
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = 14 if col in review_cols else 30
        for cell in ws[letter][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if col in review_cols:
                cell.fill = fill
    decision = get_column_letter(review_cols[0])
    rule = DataValidation(type="list", formula1=f'"{t["decisions"]}"', allow_blank=True)
    rule.add(f"{decision}2:{decision}{max(len(table), 1) + 1}")
    ws.add_data_validation(rule)
    ws.freeze_panes = "C2"
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
