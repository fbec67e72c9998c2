"""Exports as Finnish offices produce them: delimiters, encodings, workbook layouts, JSONL.

Every file here is written by the test in the shape a real export takes; each must be read
with its rows intact, or refused with one line naming the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import json

import pandas as pd
import pytest
from openpyxl import Workbook

from pipeline.config import Params
from pipeline.errors import InputError
from pipeline.sources import SourceOptions, decode, read_source, sniff_delimiter
from pipeline.stages import ingest

IDS, TEXTS = ["id", "doc_id"], ["text", "teksti"]
TEXT = "Asiakkaalla on vuokrarästejä ja häätö uhkaa; hän pyytää neuvoa."


def read(path, **options):
    return read_source(path, IDS, TEXTS, SourceOptions(**options))


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed_from_the_header(tmp_path, delimiter):
    path = tmp_path / "vienti.csv"
    rows = [["id", "asiakas", "pvm", "teksti"], ["1", "A1", "1.2.2024", TEXT], ["2", "A2", "", "x"]]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    source = read(path)
    assert source.detected["delimiter"] == delimiter
    assert list(source.frame.columns) == ["id", "asiakas", "pvm", "teksti"]
    assert source.frame.loc[2, "teksti"] == TEXT


def test_semicolon_file_with_commas_in_the_text():
    text = 'id;teksti\n1;"Asiakas, 45 v, hakee tukea; toimeentulo ei riitä"\n'
    assert sniff_delimiter(text, ({"id"}, {"teksti"})) == ";"


def test_delimiter_param_overrides_the_sniffing(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id;teksti\n1;a,b\n", encoding="utf-8")
    assert list(read(path, delimiter=",").frame.columns) == ["id;teksti"]


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("cp1252", "cp1252"),
        ("utf-16", "utf-16"),
    ],
)
def test_encodings_of_real_exports(tmp_path, encoding, detected):
    path = tmp_path / "x.csv"
    text = "id;teksti\n1;Äiti kertoo, että öisin on vaikeaa – ”apua ei saa”\n"
    path.write_bytes(text.encode(encoding))
    source = read(path)
    assert source.detected["encoding"] == detected
    assert source.frame.loc[2, "teksti"] == "Äiti kertoo, että öisin on vaikeaa – ”apua ei saa”"


def test_latin_1_when_the_bytes_are_not_windows_1252():
    # 0x81 is undefined in Windows-1252; Latin-1 reads it as a control code (kept below 1 %).
    data = ("id,text\n1," + "ä" * 200 + "\n").encode("latin-1") + b"\x81"
    assert decode(data, None, "x.csv")[1] == "latin-1"


def test_binary_file_is_refused_with_one_line(tmp_path):
    path = tmp_path / "kuva.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match="not a text file") as err:
        read(path)
    assert "\n" not in err.value.one_line() and "kuva.csv" in err.value.one_line()


def test_wrong_explicit_encoding_names_the_byte(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("id,text\n1,äiti\n".encode("cp1252"))
    with pytest.raises(InputError, match="not valid utf-8 at byte 10"):
        read(path, encoding="utf-8")


def test_row_with_wrong_field_count_is_rejected_not_the_file(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(f"id,text\n1,{TEXT}\n2,kaksi,kenttää,liikaa\n3,{TEXT}\n", encoding="utf-8")
    source = read(path)
    assert list(source.frame.index) == [2, 4]
    assert source.rejected == [
        {
            "source_row": 3,
            "doc_id": "2",
            "reason": "row has 4 fields, the header 2: check the delimiter and the quoting of "
            "the text",
        }
    ]


def test_jsonl_text_with_line_separators_stays_one_row(tmp_path):
    path = tmp_path / "aloitteet.jsonl"
    text = "Ensimmäinen kappale.\u2028Toinen rivi.\u2029Uusi kappale.\x85Loppu."
    path.write_text(json.dumps({"id": "1", "text": text}, ensure_ascii=False) + "\n")
    source = read(path)
    assert len(source.frame) == 1 and not source.rejected
    assert source.frame.loc[1, "text"] == text


def test_jsonl_values_of_every_json_type(tmp_path):
    path = tmp_path / "x.jsonl"
    record = {"id": 7, "text": TEXT, "flag": True, "tags": ["a"], "none": None}
    path.write_text(json.dumps(record) + "\r\n\r\n[1, 2]\n", encoding="utf-8")
    source = read(path)
    assert source.frame.loc[1].to_dict() == {
        "id": "7",
        "text": TEXT,
        "flag": "true",
        "tags": '["a"]',
        "none": "",
    }
    assert source.rejected == [
        {"source_row": 3, "doc_id": "", "reason": "the line is not a JSON object"}
    ]


def _workbook(path, sheets: dict[str, list[list]]):
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)


def test_xlsx_data_on_the_second_sheet_under_a_title_block(tmp_path):
    path = tmp_path / "raportti.xlsx"
    _workbook(
        path,
        {
            "Kansilehti": [["Asiakaskirjaukset 2024"], ["Laatija: tietopalvelu"]],
            "Kirjaukset": [
                ["Poiminta 1.1.–31.12.2024"],
                [],
                ["ID", "Asiakas_ID", "Päivämäärä", "Teksti"],
                [101, "A1", dt.datetime(2024, 3, 5), TEXT],
                [102, "A2", 45366, TEXT],  # an Excel serial day number: 2024-03-15
                [None, None, None, None],
            ],
        },
    )
    source = read(path)
    assert source.detected["sheet"] == "Kirjaukset" and source.detected["header_row"] == 3
    assert list(source.frame.index) == [4, 5]
    good, _, metrics = ingest.ingest_file(path, Params())
    assert list(good["doc_id"]) == ["101", "102"]
    assert list(good["date"]) == ["2024-03-05", "2024-03-15"]
    assert metrics["source"]["sheet"] == "Kirjaukset"


def test_xlsx_sheet_and_header_row_from_params(tmp_path):
    path = tmp_path / "x.xlsx"
    _workbook(
        path,
        {
            "A": [["id", "text"], ["1", TEXT]],
            "B": [["otsikko"], ["id", "text"], ["9", TEXT]],
        },
    )
    source = read(path, sheet="B", header_row=2)
    assert source.frame["id"].tolist() == ["9"]
    assert read(path, sheet=2, header_row=2).frame["id"].tolist() == ["9"]


def test_xlsx_without_the_columns_names_the_sheets(tmp_path):
    path = tmp_path / "x.xlsx"
    _workbook(path, {"Yksi": [["a", "b"], [1, 2]], "Kaksi": [["c"]]})
    with pytest.raises(InputError, match=r"sheets: Yksi, Kaksi"):
        read(path)


def test_parquet_with_typed_columns(tmp_path):
    path = tmp_path / "x.parquet"
    pd.DataFrame(
        {"id": [1, 2], "text": [TEXT, None], "date": pd.to_datetime(["2024-01-02", None])}
    ).to_parquet(path)
    frame = read(path).frame
    assert frame.to_dict("records") == [
        {"id": "1", "text": TEXT, "date": "2024-01-02"},
        {"id": "2", "text": "", "date": ""},
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05 00:00:00", "2024-03-05"),
        ("2024-03-05T10:22:00", "2024-03-05"),
        ("5.3.2024", "2024-03-05"),
        ("05.03.2024 klo 14.30", "2024-03-05"),
        ("45356", "2024-03-05"),
        ("45356.0", "2024-03-05"),
        ("2024/3/5", "2024-03-05"),
        ("", ""),
        ("31.2.2024", None),
        ("12345", None),  # a five-digit number before 1954 is not a date in these records
        ("eilen", None),
    ],
)
def test_dates_in_the_forms_exports_use(value, expected):
    assert ingest.normalise_date(value) == expected


def test_invisible_characters_are_removed_and_counted(tmp_path):
    path = tmp_path / "x.csv"
    text = "Asiakas Virta\u00adnen\x00 soitti\x1b[31m; hän\u200b tarvitsee\r\napua."
    path.write_text(f'id,client_id,text\n1,A,"{text}"\n', encoding="utf-8")
    good, _, metrics = ingest.ingest_file(path, Params())
    assert good["text_raw"].item() == "Asiakas Virtanen soitti[31m; hän tarvitsee\napua."
    assert metrics["invisible_chars_removed"] == 4
