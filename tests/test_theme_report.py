"""The report uses what the topic stage checked: excerpts in its order, administrative themes in
the review sheet (marked) and never among the findings, nearest themes beside each theme."""

import pandas as pd
from openpyxl import load_workbook

from pipeline.config import ReportParams
from pipeline.report.views import pick_excerpts
from pipeline.stages import report


def docs_and_segments(n=8):
    docs = pd.DataFrame(
        {
            "doc_id": [f"D{i}" for i in range(n)],
            "text": "x",
            "client_key": [f"p{i // 2}" for i in range(n)],  # two documents per client
            "date": "2024-03-01",
            "service": "aikuissosiaalityö",
            "area": "Kuopio",
            "doc_type": "t",
        }
    )
    segments = pd.DataFrame(
        {
            "segment_id": [f"D{i}#1" for i in range(n)],
            "doc_id": docs["doc_id"],
            "n": 1,
            "text": [f"Asiakkaalla {i} on vuokrarästejä ja häätö uhkaa." for i in range(n)],
            "lang": "fi",
            "boilerplate": False,
        }
    )
    return docs, segments


def test_excerpts_follow_the_given_order_one_per_client():
    docs, segments = docs_and_segments()
    order = ["D5#1", "D4#1", "D0#1", "D7#1", "missing#1"]
    out = pick_excerpts(order, segments, docs, n=3, chars=220)
    # D4 is the same client as D5: skipped; an id that is not a segment is ignored.
    assert out == [
        "Asiakkaalla 5 on vuokrarästejä ja häätö uhkaa.",
        "Asiakkaalla 0 on vuokrarästejä ja häätö uhkaa.",
        "Asiakkaalla 7 on vuokrarästejä ja häätö uhkaa.",
    ]
    assert pick_excerpts([], segments, docs, n=3, chars=220) == []


def test_administrative_theme_is_marked_in_the_sheet_and_kept_out_of_the_findings(tmp_path):
    docs, segments = docs_and_segments(12)
    doc_themes = pd.DataFrame(
        {
            "doc_id": docs["doc_id"],
            "theme_id": "T0001",
            "theme_ids": "T0001;T0002",
            "probability": 1.0,
        }
    )
    themes = pd.DataFrame(
        {
            "theme_id": ["T0001", "T0002"],
            "topic": [0, 1],
            "label": ["vuokrarästi, häätö", "puhelin, osoite"],
            "keywords": [["vuokrarästi", "häätö"], ["puhelin", "osoite"]],
            "status": "candidate",
            "is_new": True,
            "admin": [False, True],
            "nearest": [["T0002"], ["T0001"]],
            "nearest_sim": [[0.31], [0.31]],
            "parent": ["", "T0001"],
            "excerpt_ids": [["D0#1", "D2#1", "D4#1"], ["D1#1"]],
        }
    )
    # Through Parquet, as the report stage reads it under DVC: list columns come back as arrays.
    themes.to_parquet(tmp_path / "07_themes.parquet", index=False)
    themes = pd.read_parquet(tmp_path / "07_themes.parquet")
    segment_topics = segments[["segment_id", "doc_id"]].assign(topic=0, probability=1.0)
    report.write_outputs(
        tmp_path,
        doc_themes=doc_themes,
        themes=themes,
        docs=docs,
        segment_topics=segment_topics,
        segments=segments,
        params=ReportParams(),
        metrics={},
        demo_key=False,
    )
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "vuokrarästi, häätö" in html and "puhelin, osoite" not in html
    sheet = pd.read_excel(tmp_path / "themes.xlsx", sheet_name="Teemat", dtype=str).fillna("")
    rows = sheet.set_index("teema_id")
    assert (
        rows.loc["T0002", "hallinnollinen"] == "kyllä"
        and rows.loc["T0001", "hallinnollinen"] == "ei"
    )
    assert rows.loc["T0001", "lähimmät_teemat"] == "T0002 (0.31)"
    assert rows.loc["T0001", "ote_1"] == "Asiakkaalla 0 on vuokrarästejä ja häätö uhkaa."
    header = [c.value for c in load_workbook(tmp_path / "themes.xlsx")["Teemat"][1]]
    assert "päätös" in header and "yläteema" in header
    assert rows.loc["T0002", "yläteema"] == "T0001"
