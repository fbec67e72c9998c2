"""Document themes from segment topics; counts by documents and distinct clients; registry ids."""

import numpy as np
import pandas as pd

from pipeline.stages import themes
from pipeline.workgroup.registry.matching import match_topics
from pipeline.workgroup.registry.store import RegisteredTheme, Registry


def fixture():
    segments = pd.DataFrame(
        {
            "segment_id": ["A#1", "A#2", "A#3", "B#1", "C#1", "D#1"],
            "doc_id": ["A", "A", "A", "B", "C", "D"],
            "n": [1, 2, 3, 1, 1, 1],
            "text": [
                "yksi kaksi kolme neljä",
                "viisi kuusi",
                "rutiini lause",
                "a b c",
                "d e f g",
                "h i j",
            ],
            "lang": "fi",
            "boilerplate": [False, False, True, False, False, False],
        }
    )
    segment_topics = pd.DataFrame(
        {
            "segment_id": segments["segment_id"],
            "doc_id": segments["doc_id"],
            "topic": [0, 1, -1, 0, 1, -1],
            "probability": [0.9, 0.8, 0.0, 0.7, 0.6, 0.0],
        }
    )
    topics = pd.DataFrame(
        {
            "topic": [0, 1],
            "label": ["vuokra, häätö", "velka, ulosotto"],
            "keywords": [["vuokra", "häätö"], ["velka", "ulosotto"]],
            "size": [2, 2],
        }
    )
    docs = pd.DataFrame(
        {
            "doc_id": ["A", "B", "C", "D"],
            "text": "x",
            "client_key": ["p1", "p1", "p2", ""],
            "date": "2024-01-01",
            "service": "s",
            "area": "a",
            "doc_type": "t",
        }
    )
    return segments, segment_topics, topics, docs


def test_document_gets_all_themes_above_share_and_a_primary():
    segments, segment_topics, topics, docs = fixture()
    doc_themes, table = themes.assign_themes(
        segment_topics,
        topics,
        np.eye(2, dtype=np.float32),
        segments,
        docs,
        Registry(),
        min_share=0.25,
        match_threshold=0.5,
    )
    rows = doc_themes.set_index("doc_id")
    assert rows.loc["A", "theme_id"] == "T0001"  # 4 of 6 content words
    assert rows.loc["A", "theme_ids"] == "T0001;T0002"
    assert rows.loc["A", "probability"] == round(4 / 6, 4)
    assert rows.loc["D", "theme_id"] == "" and rows.loc["D", "theme_ids"] == ""
    counts = table.set_index("theme_id")
    assert counts.loc["T0001", "n_docs"] == 2
    assert counts.loc["T0001", "n_clients"] == 1  # A and B are the same client
    assert counts.loc["T0002", "n_clients"] == 2


def test_registry_ids_survive_and_rejected_themes_disappear():
    segments, segment_topics, topics, docs = fixture()
    registry = Registry(
        (
            RegisteredTheme("T0007", "Velkaantuminen", "accepted", ("velka", "ulosotto")),
            RegisteredTheme("T0003", "Asuminen", "rejected", ("vuokra", "häätö")),
        )
    )
    doc_themes, table = themes.assign_themes(
        segment_topics,
        topics,
        np.eye(2, dtype=np.float32),
        segments,
        docs,
        registry,
        min_share=0.25,
        match_threshold=0.5,
    )
    assert table["theme_id"].tolist() == ["T0007"]
    assert table["label"].tolist() == ["Velkaantuminen"]
    assert not table["is_new"].any()
    assert set(doc_themes["theme_ids"]) == {"T0007", ""}


def test_unmatched_topic_becomes_new_candidate_after_registry_ids():
    registry = Registry((RegisteredTheme("T0004", "Yksinäisyys", "accepted", ("yksin",)),))
    topics = pd.DataFrame({"topic": [0], "label": ["velka"], "keywords": [["velka"]], "size": [3]})
    out = match_topics(topics, np.zeros((1, 2)), registry, threshold=0.3)
    assert out.loc[0, "theme_id"] == "T0005" and bool(out.loc[0, "is_new"])


def described(topics):
    """The fixture's topics as the topic stage describes them: topic 1 administrative."""
    return topics.assign(
        admin=[False, True],
        nearest=[[1], [0]],
        nearest_sim=[[0.4], [0.4]],
        parent=[-1, 0],
        excerpt_ids=[["A#1", "B#1"], ["A#2"]],
    )


def assign(describe=lambda topics: topics, min_share=0.25):
    """`assign_themes` on the fixture, its topics passed through `describe`."""
    segments, segment_topics, topics, docs = fixture()
    return themes.assign_themes(
        segment_topics,
        describe(topics),
        np.eye(2, dtype=np.float32),
        segments,
        docs,
        Registry(),
        min_share=min_share,
        match_threshold=0.5,
    )


def test_primary_theme_is_never_administrative_and_nobody_is_forced_into_a_theme():
    doc_themes, table = assign(described)
    rows = doc_themes.set_index("doc_id")
    # A: 4 words of theme 1, 2 of the administrative theme 2: its share is of the 4 words only.
    assert rows.loc["A", "theme_id"] == "T0001" and rows.loc["A", "probability"] == 1.0
    assert rows.loc["A", "theme_ids"] == "T0001;T0002"  # the administrative theme is counted
    assert rows.loc["C", "theme_id"] == "" and rows.loc["C", "theme_ids"] == "T0002"
    assert rows.loc["D", "theme_id"] == ""  # its only segment has no topic
    by_id = table.set_index("theme_id")
    assert by_id.loc["T0002", "admin"] and not by_id.loc["T0001", "admin"]
    assert by_id.loc["T0001", "nearest"] == ["T0002"] and by_id.loc["T0002", "parent"] == "T0001"
    assert by_id.loc["T0001", "excerpt_ids"] == ["A#1", "B#1"]
    metrics = themes.theme_metrics(doc_themes, table)
    assert metrics["n_admin_themes"] == 1 and metrics["share_without_theme"] == 0.5


def test_a_document_below_min_share_everywhere_has_no_theme():
    doc_themes, _ = assign(min_share=0.7)  # A's largest theme covers 4 of 6 words
    assert doc_themes.set_index("doc_id").loc["A", "theme_id"] == ""
