"""Segmentation: Finnish sentence splitting, windows within the token limit, boilerplate."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.stages import segment

# Reviewable by a Finnish speaker: where a sentence ends and where it does not.
SPLITS = [
    ("Asiakas asuu yksin. Hän toivoo apua.", ["Asiakas asuu yksin.", "Hän toivoo apua."]),
    ("Velkaa on n. 2 000 euroa. Ulosotto alkoi.", ["Velkaa on n. 2 000 euroa.", "Ulosotto alkoi."]),
    (
        "Tapaaminen klo 14.30 sovittu. Esim. Kela ei vastannut.",
        ["Tapaaminen klo 14.30 sovittu.", "Esim. Kela ei vastannut."],
    ),
    (
        "<HENKILÖ_1>:n kanssa sovittu. <HENKILÖ_1>:lle soitetaan.",
        ["<HENKILÖ_1>:n kanssa sovittu.", "<HENKILÖ_1>:lle soitetaan."],
    ),
    ("Onko apua tulossa? En tiedä!", ["Onko apua tulossa?", "En tiedä!"]),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_split_sentences(text, expected):
    assert segment.split_sentences(text) == expected


def test_windows_respect_limits():
    sentences = [f"Lause numero {i} on tässä." for i in range(7)]
    out = segment.windows(sentences, max_sentences=3, max_words=100)
    assert [len(w) for w in out] == [3, 3, 1]
    long = " ".join(["sana"] * 250)
    cut = segment.windows([long], max_sentences=3, max_words=90)
    assert all(len(" ".join(w).split()) <= 90 for w in cut)
    assert sum(len(" ".join(w).split()) for w in cut) == 250


def test_boilerplate_gets_its_own_flagged_segment():
    patterns = segment.compile_boilerplate(["jatketaan suunnitelman mukaisesti.*"])
    text = (
        "Asiakkaalla on vuokrarästejä kolmelta kuukaudelta ja häätö uhkaa. "
        "Jatketaan suunnitelman mukaisesti."
    )
    pieces = segment.segment_document(
        text, patterns=patterns, repeated=frozenset(), max_sentences=3, max_words=90
    )
    assert pieces == [
        ("Asiakkaalla on vuokrarästejä kolmelta kuukaudelta ja häätö uhkaa.", False),
        ("Jatketaan suunnitelman mukaisesti.", True),
    ]


def test_repeated_sentences_are_found_across_documents():
    texts = [f"Asiakas on tietoinen oikeuksistaan. Oma lause {i} asumisesta." for i in range(10)]
    repeated = segment.repeated_sentences(texts, min_docs=5, share=0.02)
    assert repeated == frozenset({"asiakas on tietoinen oikeuksistaan"})


def _docs(texts):
    return pd.DataFrame(
        {
            "doc_id": [f"D{i}" for i in range(len(texts))],
            "text": texts,
            "client_key": "",
            "date": "",
            "service": "",
            "area": "",
            "doc_type": "",
        }
    )


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.text(alphabet="abcdefgh äö.?!\n", min_size=1, max_size=200), min_size=1, max_size=8)
)
def test_ids_unique_and_every_word_kept(texts):
    docs = _docs(texts)
    segs = segment.segment_frame(
        docs, boilerplate_patterns=[], max_sentences=3, max_words=20, min_words=2
    )
    assert segs["segment_id"].is_unique
    assert set(segs["doc_id"]) <= set(docs["doc_id"])
    for doc_id, text in zip(docs["doc_id"], docs["text"], strict=True):
        words = "".join(segs.loc[segs["doc_id"] == doc_id, "text"]).split()
        assert sorted("".join(words)) == sorted("".join(text.split()))


# Form headers: taken out of the text (into the paragraph's boilerplate segment), content kept.
HEADERS = [
    ("Sosiaalityöntekijän arvio:\nVuokra on maksamatta.", ["Sosiaalityöntekijän arvio:"]),
    ("Tilanne: Asiakkaan puoliso toimii omaishoitajana.", ["Tilanne:"]),
    ("Palvelutarpeen arviointi\nAsiakas asuu yksin.", ["Palvelutarpeen arviointi"]),
    ("Havaittu ilmiö: Luvat viipyvät.", ["Havaittu ilmiö:"]),
    ("Välimatkat ovat pitkiä:\nkauppaan on 30 km.", []),  # a sentence leading into a list
    ("tv on ainoa seura,\nei ketään muuta", []),  # colloquial lines without punctuation
    ("Mun sähköposti on <SÄHKÖPOSTI_1>\nkiitos", []),
    ("Asiakas asuu yksin.", []),
]


@pytest.mark.parametrize(("paragraph", "headers"), HEADERS)
def test_split_headers(paragraph, headers):
    found, body = segment.split_headers(paragraph)
    assert found == headers
    assert sorted(" ".join([*found, body]).split()) == sorted(paragraph.split())


IDENTIFIER_LINES = [
    ("Asiakkaan henkilötunnus on <HETU_1>.", True),
    ("Puh. <PUHELIN_1>", True),
    ("<HENKILÖ_1>, sosiaalityöntekijä", True),  # a signature
    ("<HENKILÖ_1>:n äiti soitti ja kertoi olevansa huolissaan.", False),
    ("Hän on soittanut numeroon <PUHELIN_1> monta kertaa, mutta kukaan ei vastaa.", False),
    ("Asiakas asuu yksin.", False),
]


@pytest.mark.parametrize(("sentence", "expected"), IDENTIFIER_LINES)
def test_identifier_lines(sentence, expected):
    assert segment.is_identifier_line(sentence) is expected


def test_header_no_longer_hides_a_repeated_sentence():
    texts = [
        f"Taustatiedot:\nKotikäynti tehtiin yhdessä.\nVuokra {i} on rästissä." for i in range(6)
    ]
    repeated = segment.repeated_sentences(texts, min_docs=5, share=0.02)
    assert "kotikäynti tehtiin yhdessä" in repeated
    pieces = segment.segment_document(
        texts[0], patterns=[], repeated=repeated, max_sentences=3, max_words=90
    )
    assert pieces == [
        ("Vuokra 0 on rästissä.", False),
        ("Taustatiedot: Kotikäynti tehtiin yhdessä.", True),
    ]
