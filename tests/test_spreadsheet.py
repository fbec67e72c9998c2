"""Spreadsheet-facing files hold values, never formulas (OWASP CSV injection rule)."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from pipeline.spreadsheet import neutralise, set_cell, write_csv, write_rows

ATTACKS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.invalid","klikkaa")',
    "+1+1",
    "-2+3",
    "@SUM(0)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", ATTACKS)
def test_formula_starts_get_a_quote(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["T0001", "asiakas = 1", "1+1", "", "'jo lainattu", 5, None])
def test_other_values_unchanged(value):
    assert neutralise(value) == value


def test_csv_fields_never_start_a_formula(tmp_path):
    frame = pd.DataFrame({"doc_id": ATTACKS, "n": range(len(ATTACKS))})
    path = tmp_path / "x.csv"
    write_csv(frame, path, sep=";", bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    fields = [f for row in rows[1:] for f in row]
    assert not [f for f in fields if f[:1] in ("=", "+", "-", "@", "\t", "\r")]
    # A carriage return inside a field is written as a newline (and the field quoted).
    assert [row[0] for row in rows[1:]] == ["'" + a.replace("\r", "\n") for a in ATTACKS]
    assert frame["doc_id"].tolist() == ATTACKS  # the caller's frame is not changed


def test_xlsx_cells_are_values_and_control_codes_dropped(tmp_path):
    wb = Workbook()
    ws = wb.active
    write_rows(ws, [["id", "n"], *([a, 1.5] for a in ATTACKS), ["teksti\x00\x07 loppu", 2]])
    set_cell(ws, 20, 1, True)
    path = tmp_path / "x.xlsx"
    wb.save(path)
    cells = [c for row in load_workbook(path).active.iter_rows() for c in row if c.value]
    assert not [c for c in cells if c.data_type == "f"]
    assert {c.value for c in cells if c.data_type == "n"} == {1.5, 2}
    assert "teksti loppu" in {c.value for c in cells}
    assert all(c.quotePrefix for c in cells if str(c.value).startswith(("=", "+", "-", "@")))


def test_excel_csv_in_the_report_languages_dialect(tmp_path):
    """Finnish Excel: BOM, `;`, decimal comma; English: BOM, `,`, decimal point; the formula
    rule holds in both."""
    from pipeline.spreadsheet import read_excel_csv, write_excel_csv

    frame = pd.DataFrame({"nimi": ["häätö", "=1+1"], "per_100": [12.5, None], "n": [3, 40]})
    for language, sep, number in (("fi", ";", "12,5"), ("en", ",", "12.5")):
        path = tmp_path / f"{language}.csv"
        write_excel_csv(frame, path, language)
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        lines = raw[3:].decode("utf-8").splitlines()
        assert lines[0] == sep.join(["nimi", "per_100", "n"])
        assert lines[1] == sep.join(["häätö", number, "3"]) and lines[2].startswith("'=1+1")
        back = read_excel_csv(path, language)
        assert back["per_100"].iloc[0] == 12.5 and back["n"].tolist() == [3, 40]
