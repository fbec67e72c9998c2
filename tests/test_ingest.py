"""Ingest: every source row ends up ingested or quarantined with a reason; formats agree."""

import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import Params
from pipeline.errors import InputError
from pipeline.stages import ingest

MAP = {
    "doc_id": ["id"],
    "text_raw": ["text"],
    "client_key": ["client_id"],
    "date": ["date"],
    "service": ["service"],
    "area": ["municipality"],
    "doc_type": ["doc_type"],
}


def frame(rows):
    """A source frame as `pipeline.sources` gives it: index = the row number in the file
    (the header is row 1)."""
    out = pd.DataFrame(rows).astype(str)
    out.index = range(2, len(out) + 2)
    return out


def test_bad_rows_are_quarantined_with_reasons():
    source = frame(
        [
            {
                "id": "D2",
                "text": "Asiakkaalla on vuokrarästejä kolmelta kuukaudelta.",
                "date": "2024-03-01",
            },
            {"id": "", "text": "Teksti ilman tunnistetta, joka on riittävän pitkä.", "date": ""},
            {"id": "D3", "text": "lyhyt", "date": ""},
            {
                "id": "D2",
                "text": "Sama tunniste toiseen kertaan, tämä on kaksoiskappale.",
                "date": "",
            },
            {
                "id": "D4",
                "text": "Päivämäärä on virheellinen tässä kirjauksessa.",
                "date": "31.02.2024",
            },
            {"id": "D1", "text": "Asiakas odottaa päihdehoitoon pääsyä.", "date": "5.1.2024"},
        ]
    )
    mapping = ingest.map_columns(list(source.columns), MAP)
    good, bad = ingest.ingest_frame(source, mapping, min_chars=10, max_chars=1000)
    assert len(good) + len(bad) == len(source)
    assert list(good["doc_id"]) == ["D1", "D2"]  # sorted by id
    assert good.loc[good["doc_id"] == "D1", "date"].item() == "2024-01-05"
    assert dict(zip(bad["source_row"], bad["reason"], strict=True)) == {
        3: "empty id",
        4: "text shorter than 10 characters",
        5: "duplicate id",
        6: "unparseable date",
    }
    assert "text" not in bad.columns and "text_raw" not in bad.columns


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["A", "B", "C", "", "D"]), st.text(min_size=0, max_size=40)),
        max_size=30,
    )
)
def test_counts_always_reconcile(rows):
    source = (
        frame([{"id": i, "text": t} for i, t in rows])
        if rows
        else pd.DataFrame({"id": [], "text": []}, dtype=str)
    )
    source.index = range(2, len(source) + 2)
    mapping = ingest.map_columns(list(source.columns), MAP)
    good, bad = ingest.ingest_frame(source, mapping, min_chars=5, max_chars=1000)
    assert len(good) + len(bad) == len(source)
    assert good["doc_id"].is_unique
    assert set(bad["source_row"]).isdisjoint(set(good["source_row"]))


def test_missing_text_column_names_the_column(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id,teksti_puuttuu\n1,abc\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest.ingest_file(path, Params())
    assert "text_raw" in str(err.value) and "x.csv" in str(err.value)


def test_windows_1252_export_is_read_and_the_encoding_reported(tmp_path):
    path = tmp_path / "vanha.csv"
    text = "id,client_id,text\n1,A1,Asiakas on yksinäinen – hänellä on vähän ystäviä\n"
    path.write_bytes(text.encode("cp1252"))
    good, _, metrics = ingest.ingest_file(path, Params())
    assert good["text_raw"].item() == "Asiakas on yksinäinen – hänellä on vähän ystäviä"
    assert metrics["source"]["encoding"] == "cp1252"


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx", ".parquet"])
def test_every_format_reads_the_same(tmp_path, suffix):
    rows = [
        {
            "id": "007",
            "text": "Asiakkaalla on velkaa ja ulosotto on alkanut.",
            "client_id": "A1",
            "date": "2024-02-03",
        },
        {
            "id": "008",
            "text": "Nuori odottaa pääsyä mielenterveyspalveluihin.",
            "client_id": "",
            "date": "",
        },
    ]
    source = pd.DataFrame(rows)
    path = tmp_path / f"in{suffix}"
    if suffix == ".csv":
        source.to_csv(path, index=False)
    elif suffix == ".jsonl":
        path.write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8"
        )
    elif suffix == ".xlsx":
        source.to_excel(path, index=False)
    else:
        source.to_parquet(path)
    good, _, metrics = ingest.ingest_file(path, Params())
    assert list(good["doc_id"]) == ["007", "008"]
    assert metrics["reconciles"] and metrics["n_quarantined"] == 0
    assert good["text_raw"].iloc[0].startswith("Asiakkaalla")


def test_broken_json_line_is_quarantined_with_its_line_number(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "1", "client_id": "a", "text": "ok teksti tässä"}\n{"id": 2, text}\n',
        encoding="utf-8",
    )
    good, bad, metrics = ingest.ingest_file(path, Params(ingest={"max_quarantine_share": 1.0}))
    assert list(good["doc_id"]) == ["1"]
    assert bad.to_dict("records") == [
        {
            "source_row": 2,
            "doc_id": "",
            "reason": "invalid JSON (Expecting property name enclosed in double quotes)",
        }
    ]
    assert metrics["reconciles"]
