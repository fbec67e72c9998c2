"""Report outputs: Finnish by default, small cells suppressed, review sheet columns present."""

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from pipeline.config import ReportParams
from pipeline.stages import report, themes
from pipeline.workgroup.registry.store import Registry


def corpus(n_big_clients=6, n_small_clients=2):
    """Theme 0 spans many clients, theme 1 only two: theme 1 must be suppressed."""
    seg_rows, topic_rows, doc_rows = [], [], []
    for i in range(n_big_clients + n_small_clients):
        doc_id, topic = f"D{i:02d}", 0 if i < n_big_clients else 1
        seg_rows.append(
            {
                "segment_id": f"{doc_id}#1",
                "doc_id": doc_id,
                "n": 1,
                "text": f"Asiakkaalla {i} on vuokrarästejä ja häätö uhkaa.",
                "lang": "fi",
                "boilerplate": False,
            }
        )
        topic_rows.append(
            {"segment_id": f"{doc_id}#1", "doc_id": doc_id, "topic": topic, "probability": 0.9}
        )
        doc_rows.append(
            {
                "doc_id": doc_id,
                "text": "x",
                "client_key": f"p{i}",
                "date": f"2024-0{1 + i % 6}-01",
                "service": "aikuissosiaalityö" if i % 2 else "lastensuojelu",
                "area": "Kuopio",
                "doc_type": "t",
            }
        )
    topics = pd.DataFrame(
        {
            "topic": [0, 1],
            "label": ["vuokra, häätö", "harvinainen"],
            "keywords": [["vuokra", "häätö"], ["harvinainen"]],
            "size": [6, 2],
        }
    )
    segments, segment_topics = pd.DataFrame(seg_rows), pd.DataFrame(topic_rows)
    docs = pd.DataFrame(doc_rows)
    doc_themes, table = themes.assign_themes(
        segment_topics,
        topics,
        np.eye(2),
        segments,
        docs,
        Registry(),
        min_share=0.25,
        match_threshold=0.5,
    )
    return dict(
        doc_themes=doc_themes,
        themes=table,
        docs=docs,
        segment_topics=segment_topics,
        segments=segments,
    )


def test_small_theme_counts_are_suppressed(tmp_path):
    data = corpus()
    report.write_outputs(tmp_path, params=ReportParams(), metrics={}, demo_key=True, **data)
    table = pd.read_csv(tmp_path / "themes.csv", dtype=str, keep_default_na=False)
    small = table[table["teema_id"] == "T0002"].iloc[0]
    assert small["asiakirjoja"] == "alle 5" and small["asiakkaita"] == "alle 5"
    big = table[table["teema_id"] == "T0001"].iloc[0]
    assert big["asiakirjoja"] == "6" and big["asiakkaita"] == "6"
    # breakdown cells of fewer than 5 clients are folded away
    assert "lastensuojelu" not in big["osuus_palveluittain"]
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Asiakkaalla 6" not in html and "Asiakkaalla 7" not in html  # no excerpt of small theme
    assert "demoavainta" in html


def test_review_sheet_has_finnish_review_columns_and_hidden_run_id(tmp_path):
    data = corpus()
    report.write_outputs(tmp_path, params=ReportParams(), metrics={}, demo_key=False, **data)
    wb = load_workbook(tmp_path / "themes.xlsx")
    assert wb.sheetnames == ["Teemat", "Ohjeet", "_ilmio"]
    assert wb["_ilmio"].sheet_state == "hidden"
    header = [c.value for c in wb["Teemat"][1]]
    for column in (
        "teema_id",
        "päätös",
        "uusi_nimi",
        "yhdistä_teemaan",
        "kuvaus",
        "kommentti",
        "arvioija",
        "ote_1",
    ):
        assert column in header
    assert wb["_ilmio"]["B1"].value == report.run_id(data["doc_themes"], data["themes"])
    assert all(
        wb["Teemat"].cell(row=r, column=header.index("päätös") + 1).value is None
        for r in range(2, wb["Teemat"].max_row + 1)
    )


def test_english_on_request(tmp_path):
    data = corpus()
    report.write_outputs(
        tmp_path, params=ReportParams(language="en"), metrics={}, demo_key=False, **data
    )
    table = pd.read_csv(tmp_path / "themes.csv", dtype=str, keep_default_na=False)
    assert "theme_id" in table.columns and "clients" in table.columns
    assert "Recurring phenomena" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_html_is_self_contained(tmp_path):
    data = corpus()
    report.write_outputs(tmp_path, params=ReportParams(), metrics={}, demo_key=False, **data)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert "T0001" in html


def test_review_sheet_bytes_are_reproducible(tmp_path):
    import time

    data = corpus()
    for name in ("a", "b"):
        report.write_outputs(
            tmp_path / name, params=ReportParams(), metrics={}, demo_key=False, **data
        )
        time.sleep(2.1)  # zip entry times have 2-second resolution
    assert (tmp_path / "a" / "themes.xlsx").read_bytes() == (
        tmp_path / "b" / "themes.xlsx"
    ).read_bytes()
