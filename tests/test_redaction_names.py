"""Person names in every case form, known names from structured fields, placeholders.

Real Voikko and spaCy-fi: loaded once for this module. Known misses stay visible as xfail.
"""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.redaction.identifiers import PLACEHOLDER_RE
from pipeline.redaction.redactor import Redacted, Redactor


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(use_ner=True)


@pytest.fixture(scope="module")
def fast_redactor() -> Redactor:
    """Voikko and patterns only: fast enough for property tests."""
    return Redactor(use_ner=False)


# Reviewable by a Finnish speaker: (text, name that must disappear, expected placeholder text)
CASES = [
    ("Soitin Virtaselle eilen.", "Virtaselle", "<HENKILÖ_1>:lle"),
    ("Tapasin Matin kotona.", "Matin", "<HENKILÖ_1>:n"),
    ("Annoin sen Liisalle.", "Liisalle", "<HENKILÖ_1>:lle"),
    ("Kävimme Mäen luona.", "Mäen", "<HENKILÖ_1>:n"),
    ("Puhuin Joonaksen kanssa.", "Joonaksen", "<HENKILÖ_1>:n"),
    ("Ilmoitin Virtaselta saadun tiedon.", "Virtaselta", "<HENKILÖ_1>:lta"),
    ("Keskustelimme Anna-Liisan kanssa.", "Anna-Liisan", "<HENKILÖ_1>:n"),
    ("Odotimme Mattia pitkään.", "Mattia", "<HENKILÖ_1>:a"),
    ("Kysyin Virtaselta asiaa.", "Virtaselta", "<HENKILÖ_1>:lta"),
    ("Asiakas Pekka kertoi tilanteesta.", "Pekka", "<HENKILÖ_1>"),
    ("sano et liisalle pitää soittaa", "liisalle", "<HENKILÖ_1>:lle"),  # lowercase, colloquial
    ("Sisko Satu tuli mukaan.", "Satu", "<HENKILÖ_1>"),  # also a word: satu = fairy tale
    ("Mukana oli myös Onni Kivi.", "Onni Kivi", "<HENKILÖ_1>"),  # both also ordinary words
    ("Tiedot antoi Jonna ja Minttu.", "Minttu", "<HENKILÖ_2>"),  # nickname-ish first names
    ("Kerroin Jiang:lle ajasta.", "Jiang:lle", "<HENKILÖ_1>:lle"),
    ("Masa sano et kaikki ok.", "Masa", "<HENKILÖ_1>"),  # nickname
    ("Tapaaminen Hölttäsen kanssa.", "Hölttäsen", "<HENKILÖ_1>"),
    # a name found capitalised is also a name in lowercase elsewhere in the document
    ("Asiakas tapasi Zhannan. sit zhannalle soitettiin", "zhannalle", "<HENKILÖ_1>:lle"),
    ("Helmi sano et pitää soittaa.", "Helmi", "<HENKILÖ_1>"),  # first name at a sentence start
    ("Sarilta en oo kuullu mitään.", "Sarilta", "<HENKILÖ_1>:lta"),
    pytest.param(
        "toivo tuli käymään",
        "toivo",
        "<HENKILÖ_1>",
        marks=pytest.mark.xfail(reason="lowercase name that is also a word, no cue"),
    ),
]


@pytest.mark.parametrize(("text", "name", "placeholder"), CASES)
def test_names_in_case_forms(redactor, text, name, placeholder):
    out = redactor.redact(text).text
    assert name not in out
    assert placeholder in out


def test_same_person_same_number_across_case_forms(redactor):
    text = "Soitin Virtaselle. Virtasen mukaan kaikki on hyvin. Liisalle kerroin myös."
    out = redactor.redact(text).text
    assert "<HENKILÖ_1>:lle" in out
    assert "<HENKILÖ_1>:n mukaan" in out
    assert "<HENKILÖ_2>:lle" in out


def test_full_name_and_later_part_share_number(redactor):
    out = redactor.redact("Matti Virtanen soitti. Myöhemmin Virtaselle lähti kirje.").text
    assert out.count("<HENKILÖ_1>") == 2 and "<HENKILÖ_2>" not in out


@pytest.mark.parametrize(
    ("known", "text", "gone"),
    [
        (["Toivo Kivi"], "kivi kertoi että toivon käynti meni hyvin", ["kivi", "toivon"]),
        (
            ["Mäki, Onni"],
            "Mäen Onnille soitettiin, onnin äiti vastasi",
            ["Mäen", "Onnille", "onnin"],
        ),
        (["Jiang Li"], "Jiangille kerrottiin. Jiangin asiat ok.", ["Jiangille", "Jiangin"]),
        (["Hölttänen"], "Hölttäselle ja hölttäsen perheelle", ["Hölttäselle", "hölttäsen"]),
        (["Usko Virta"], "usko asiaan on vahva, virran kanssa puhuttu", ["usko", "virran"]),
    ],
)
def test_known_names_any_inflection(redactor, known, text, gone):
    out = redactor.redact(text, known_names=known).text
    for word in gone:
        assert not re.search(rf"\b{re.escape(word)}\b", out), out


def test_spans_point_into_the_input(redactor):
    text = "Matti Virtanen (131052-308T) soitti numerosta 040 123 4567."
    result = redactor.redact(text)
    assert [text[s.start : s.end] for s in result.spans] == [
        "Matti Virtanen",
        "131052-308T",
        "040 123 4567",
    ]
    assert [s.label for s in result.spans] == ["HENKILÖ", "HETU", "PUHELIN"]


def test_ordinary_words_stay(redactor):
    text = (
        "Toimeentulotuesta keskusteltiin. Asiakas asuu vuokralla ja hakee työtä. "
        "Usko tulevaan on vahvistunut. Maan tapa on outo. Soittakaa huomenna, kiitos."
    )
    assert redactor.redact(text).text == text


def test_module_level_redact_is_lazy_and_works():
    import pipeline.redaction.redactor as redaction

    out = redaction.redact("Soitin Virtaselle.", known_names=["Virtanen"])
    assert isinstance(out, Redacted) and out.text == "Soitin <HENKILÖ_1>:lle."


# --- properties ---------------------------------------------------------------------------------
WORDS = [
    "Virtaselle",
    "Matin",
    "asiakas",
    "soitti",
    "Liisa",
    "kävi",
    "Mäen",
    "luona",
    "ja",
    "on",
    "040 123 4567",
    "131052-308T",
    "matti@example.fi",
    "Kauppakatu 12 B 7",
    "Onni",
    "Kivi",
    "toimeentulotuki",
    "12.3.2024",
    "klo 14.30",
    "SHL 36 §",
    "Jonna",
    "sisko",
    "Satu",
    ".",
    ",",
    "Hypatian",
    "KHO 2019:12",
    "1 234,50 €",
    "<HENKILÖ_1>:lle",
    "hetu",
    "Tammi",
    "FI21 1234 5600 0007 85",
    "Usko",
    "kertoi",
    "\n",
    "I.",
    "YATES",
    "Joonaksen",
]
texts = st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join)
text_or_noise = st.one_of(texts, st.text(max_size=60))
IDENTIFIER_RE = re.compile(r"131052-308T|040 123 4567|matti@example\.fi|FI21 1234 5600 0007 85")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_or_noise)
def test_redaction_is_idempotent(fast_redactor, text):
    once = fast_redactor.redact(text).text
    assert fast_redactor.redact(once).text == once


@settings(max_examples=300, deadline=None)
@given(texts)
def test_no_identifier_survives(fast_redactor, text):
    assert not IDENTIFIER_RE.search(fast_redactor.redact(text).text)


@settings(max_examples=300, deadline=None)
@given(text_or_noise)
def test_spans_are_ordered_disjoint_and_inside(fast_redactor, text):
    spans = fast_redactor.redact(text).spans
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


@pytest.mark.parametrize(
    "text",
    [
        "Matti Virtanen soitti Liisalle numerosta 040 123 4567.",
        "Mukana oli myös Onni Kivi. Kivi kertoi, että Matin äiti on sairas.",
        "Kun Hypatian tuli aika avioitua, Philokrates ja Theron kilpailivat.",
    ],
)
def test_idempotent_with_ner(redactor, text):
    once = redactor.redact(text).text
    assert redactor.redact(once).text == once
    assert PLACEHOLDER_RE.search(once)


def test_cue_does_not_reach_past_a_placeholder_or_full_stop(fast_redactor):
    # Found by hypothesis: the cue "asiakas" skipped the placeholder on the second pass.
    once = fast_redactor.redact("asiakas Virtaselle . Matin").text
    assert fast_redactor.redact(once).text == once


@pytest.mark.parametrize(
    "text",
    [
        "Kivi KHO 2019:12 Kivi",  # found by hypothesis: same-name evidence came after adjacency
        "Kivi YATES Kivi",
        "Kivi kertoi. Usko Kivi YATES",
    ],
)
def test_evidence_spreads_to_a_fixpoint(fast_redactor, text):
    once = fast_redactor.redact(text).text
    assert fast_redactor.redact(once).text == once
    assert "KHO 2019:12" in fast_redactor.redact("Kivi KHO 2019:12 Kivi").text  # case-law number


@pytest.mark.parametrize(
    "text",
    [
        "Asiakas soitti Kelalle, ja Kelasta luvattiin päätös. Kelan päätös tuli.",
        "Nuori ohjataan Ohjaamoon ja etsivään nuorisotyöhön.",
        "Takaisinperintäpäätös tuli eilen postissa.",
        "Hän tilasi Kela-taksin ja luki Wilma-viestit.",
        "Hetu: tarkistettu.",
        "ja nyt on ihan hankalaa, Sairaalaan on melkein sata kilsaa.",
        "Mun rahat ei riitä. Mulla ei oo ruokaa.",
        "Klienten kom inte till mötet. Tack för hjälpen!",
    ],
)
def test_service_names_and_ordinary_words_stay(fast_redactor, text):
    """Over-redaction hides what the workgroup needs (Kela, services) and breaks excerpts."""
    assert fast_redactor.redact(text).text == text


def test_hyphenated_kin_and_named_constructions_still_go(fast_redactor):
    out = fast_redactor.redact("Matti-setä tuli. Paikalla oli Zhanna-niminen nainen.").text
    assert "Matti" not in out and "Zhanna" not in out
