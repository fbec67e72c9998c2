"""What the review sees of a theme: its name, whether it is administrative, its nearest themes
and parent, and its excerpts (pipeline.naming, admin, hierarchy, excerpts)."""

import numpy as np
import pandas as pd
import pytest

from pipeline import admin, excerpts, hierarchy, naming
from pipeline.config import AdminParams

# Reviewable by a Finnish speaker: what may name a theme and what may not.
CLASSES = [
    ("vuokrarästi", naming.NOUN),  # compound, noun head
    ("ruoka-apu", naming.NOUN),
    ("talous-_ja_velkaneuvonta", naming.NOUN),  # phrase: its last word
    ("ylittää", naming.OTHER),  # verb
    ("jatkua", naming.OTHER),
    ("nykyinen", naming.OTHER),  # adjective
    ("ainoa", naming.OTHER),  # noun or adjective: generic in names
    ("virtanen", naming.NAME),  # a surname in every reading
]


@pytest.mark.parametrize(("lemma", "expected"), CLASSES)
def test_word_class_for_names(lemma, expected):
    assert naming.word_classes([lemma])[lemma] == expected


def test_name_is_the_top_nouns_and_person_names_are_not_keywords():
    ranked = ["ylittää", "velka", "nykyinen", "virtanen", "ulosotto", "<hetu>", "kela", "laina"]
    classes = naming.word_classes(ranked)
    keywords = naming.shown_keywords(ranked, classes)
    assert "virtanen" not in keywords and "<hetu>" not in keywords
    assert naming.theme_name(keywords, classes) == "velka, ulosotto, kela"


def test_name_falls_back_to_keywords_without_word_classes():
    assert naming.theme_name(["jee", "moi", "heh", "juu"], {}) == "jee, moi, heh"
    assert naming.theme_name([], {}) == "(ei avainsanoja)"


def excerpt_case():
    ids = ["A#1", "A#2", "B#1", "C#1", "D#1", "E#1", "F#1"]
    texts = [
        "Vuokrarästit kasvavat ja häätö uhkaa.",
        "Asiakas on tietoinen oikeuksistaan.",
        "Vuokrarästit kasvavat ja häätö uhkaa.",  # the same words again: shown once
        "Häätö uhkaa, koska vuokraa ei ole maksettu.",
        "Velka kasvaa ja ulosotto alkoi.",
        "Puh. <PUHELIN_1> <SÄHKÖPOSTI_1>",
        "Vuokranantaja uhkaa häädöllä, vuokra maksamatta.",
    ]
    lemmas = [
        ["vuokrarästi", "kasvaa", "häätö", "uhata"],
        ["tietoinen", "oikeus"],
        ["vuokrarästi", "kasvaa", "häätö", "uhata"],
        ["häätö", "uhata", "vuokra", "maksaa"],
        ["velka", "kasvaa", "ulosotto", "alkaa"],
        ["puh"],
        ["vuokranantaja", "uhata", "häätö", "vuokra", "maksaa"],
    ]
    labels = np.array([0, 0, 0, 0, 1, 0, 0])
    sims = np.array(
        [[0.9, 0.1], [0.5, 0.2], [0.9, 0.1], [0.8, 0.2], [0.1, 0.9], [0.95, 0.0], [0.3, 0.6]]
    )
    boilerplate = np.array([False, True, False, False, False, False, False])
    keywords = [["häätö", "vuokra", "vuokrarästi"], ["velka", "ulosotto"]]
    return ids, texts, lemmas, boilerplate, labels, sims, keywords


def test_excerpts_are_checked_ranked_and_deduplicated():
    out = excerpts.representative_segments(*excerpt_case())
    # A#1 first (closest); B#1 the same words; A#2 boilerplate; E#1 an identifier line;
    # F#1 assigned to 0 but nearest to 1: never shown for 0 (nor for 1: not assigned there).
    assert out == [["A#1", "C#1"], ["D#1"]]


def test_excerpts_do_not_depend_on_row_order():
    case = excerpt_case()
    perm = [6, 2, 5, 0, 4, 1, 3]
    shuffled = [
        [case[0][i] for i in perm],
        [case[1][i] for i in perm],
        [case[2][i] for i in perm],
        case[3][perm],
        case[4][perm],
        case[5][perm],
        case[6],
    ]
    assert excerpts.representative_segments(*shuffled) == excerpts.representative_segments(*case)


def test_nearest_topics_and_parents():
    centroids = np.array([[1.0, 0, 0], [0.9, 0.436, 0], [0, 1.0, 0], [0, 0, 1.0]])
    ids, sims = hierarchy.nearest_topics(centroids, n=2)
    assert ids[0] == [1, 2] and sims[0][0] == pytest.approx(0.9)
    assert all(i not in row for i, row in enumerate(ids))
    parents = hierarchy.topic_parents(centroids, sizes=[10, 30, 5, 8], skip=[False] * 4)
    assert parents[0] == 1 and parents[1] == -1  # the larger of the close pair heads it
    skipped = hierarchy.topic_parents(centroids, sizes=[10, 30, 5, 8], skip=[True] * 4)
    assert skipped == [-1, -1, -1, -1]


def signals_case():
    texts = {
        0: ["Vuokrarästit kasvavat ja häätö uhkaa nyt.", "Asunto on kylmä ja vuokra nousi."],
        1: ["Puh. <PUHELIN_1>, <SÄHKÖPOSTI_1>.", "Hetu <HETU_1>, osoite <OSOITE_1>."],
        2: ["Haetaan tukea ja seurataan tilannetta.", "Haetaan tukea ja seurataan tilannetta."],
    }
    rows, labels = [], []
    for topic, items in texts.items():
        for i, text in enumerate(items):
            for d in range(3):
                doc = f"D{d}"
                rows.append({"segment_id": f"{doc}#{topic}{i}", "doc_id": doc, "text": text})
                labels.append(topic)
    return pd.DataFrame(rows), np.array(labels)


def test_admin_signals_measure_placeholders_templates_and_company():
    segments, labels = signals_case()
    keywords = [["vuokra", "häätö"], ["puh"], ["tuki"]]
    vocab = {"vuokra": 0, "häätö": 1, "puh": 2, "tuki": 3}
    counts = np.array([[5.0, 5, 0, 1], [0, 0, 6, 1], [0, 0, 0, 1]])
    strata = pd.Series("s|t", index=segments.index)
    table = admin.admin_signals(
        segments,
        labels,
        keywords,
        counts,
        vocab,
        strata,
        template_min_docs=3,
        rejected=[False, False, True],
    )
    assert table.loc[1, "placeholder_rate"] > 0.3 > table.loc[0, "placeholder_rate"]
    assert table.loc[2, "template_share"] == 1.0  # every sentence in three documents
    assert table.loc[2, "generic"] == pytest.approx(1.0)  # `tuki` in every topic alike
    assert table.loc[0, "generic"] == 0.0
    assert (table["accompanying"] == 1.0).all()  # every document has all three topics
    assert table["spread"].eq(1.0).all()  # one stratum: spread like the corpus
    flags = admin.is_administrative(table, AdminParams())
    assert flags.tolist() == [True, True, True]
    strict = AdminParams(min_accompanying=1.0, min_template_share=1.0, min_generic=1.0)
    table.loc[0, "accompanying"] = 0.5
    assert admin.is_administrative(table, strict).tolist() == [False, True, True]


def test_js_divergence_bounds():
    assert admin.js_divergence(np.array([1, 0]), np.array([0, 1])) == pytest.approx(1.0)
    assert admin.js_divergence(np.array([2, 2]), np.array([1, 1])) == pytest.approx(0.0)
