"""Identifier recognisers on hand-written test sets: every positive found, no hard negative hit.

The TSVs under tests/data/ are reviewable: one identifier (or trap) a line.

`identifiers_*.tsv`. Positives: every henkilötunnus century sign incl. the 2023 ones (B–F,
Y–U), typed with a space or no separator; +358 / mobile / landline phones with spaces, dashes
and slashes; plain and obfuscated emails; IBAN FI; street addresses with staircase, flat and
postcode; configured client/case numbers. Negatives: dates, sums, times, law references,
case-law numbers, lab values, broken checksums of strings that are not identifier-shaped.

`identifier_families_*.tsv` (issue #12, written to break the patterns): case and decision
numbers after a cue (`Dnro SOS/123/2024`, `päätös nro TOTU-2024-55511`), Kela card and customer
numbers (`KELA 123 456 789`), phones with any country code and with dots, spaces, brackets or
no separators (`+380 67 123 4567`, `358401234567`, `044.765.4321`), e-mails with spaced or
bracketed `at`/`dot`, IBANs whose checksum fails (masked by shape), henkilötunnus-shaped strings
with a wrong check character (masked whole), car plates, street addresses after a place name
(`Pispalan valtatie 33 B 7`). Negatives: dates, sums, times, law references, percentages,
postcodes alone, years, versions, counts after `nro`, abbreviations with numbers (`COVID-19`,
`EU-27`, `ICD-10`), lab values, near misses of each family and of the signature patterns.

Everything goes through the redactor's own identifier pass (configured cues, patterns and
signatures included).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import TaggerParams
from pipeline.redaction import identifiers as recognisers
from pipeline.redaction.redactor import Redactor

DATA = Path(__file__).parent / "data"
LABELS = {"HETU", "PUHELIN", "SÄHKÖPOSTI", "IBAN", "OSOITE", "ASIAKASNUMERO"}
# (test set, labels its positives cover)
SETS = {
    "identifiers": LABELS,
    "identifier_families": LABELS | {"REKISTERINUMERO"},
}


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def _positives(name: str) -> list[list[str]]:
    return _rows(f"{name}_positive.tsv")


def _negatives(name: str) -> list[str]:
    return [row[0] for row in _rows(f"{name}_negative.tsv")]


@pytest.fixture(scope="module")
def find():
    redactor = Redactor(tagger=TaggerParams(enabled=False))

    def _find(text: str) -> list[recognisers.Span]:
        return recognisers.resolve_overlaps(redactor.find_identifiers(text))

    return _find


@pytest.mark.parametrize("name", SETS)
def test_test_set_is_big_enough(name):
    assert len(_positives(name)) >= 300
    assert len(_negatives(name)) >= 300
    assert {row[0] for row in _positives(name)} == SETS[name]


@pytest.mark.parametrize("name", SETS)
def test_recall_is_one(find, name):
    positives = _positives(name)
    missed = []
    for label, text, ident in positives:
        start = text.index(ident)
        end = start + len(ident)
        spans = find(text)
        if not any(s.label == label and s.start <= start and s.end >= end for s in spans):
            missed.append((label, text, [(s.label, text[s.start : s.end]) for s in spans]))
    assert not missed, f"{len(missed)} of {len(positives)} missed: {missed[:20]}"


@pytest.mark.parametrize("name", SETS)
def test_no_false_hits(find, name):
    negatives = _negatives(name)
    hits = [(text, [(s.label, text[s.start : s.end]) for s in find(text)]) for text in negatives]
    hits = [h for h in hits if h[1]]
    assert not hits, f"{len(hits)} of {len(negatives)} negatives hit: {hits[:20]}"


@pytest.mark.parametrize("name", SETS)
def test_positives_do_not_overreach(find, name):
    """A span may cover the identifier, not swallow much of its sentence."""
    for label, text, ident in _positives(name):
        for span in find(text):
            if span.label == label:
                assert span.end - span.start <= len(ident) + 2, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("m.virtanen (at) gmail . com", "<SÄHKÖPOSTI_1>"),
        ("Tunnus 010199-123A kirjattu.", "Tunnus <HETU_1> kirjattu."),
        ("Osoite Pispalan valtatie 33 B 7.", "Osoite <OSOITE_1>."),
        ("Dnro SOS/123/2024 käsitelty.", "Dnro <ASIAKASNUMERO_1> käsitelty."),
    ],
)
def test_whole_identifier_becomes_one_placeholder(text, expected):
    assert Redactor(tagger=TaggerParams(enabled=False)).redact(text).text == expected


@pytest.mark.parametrize(
    ("hetu", "valid"),
    [
        ("131052-308T", True),  # the classic example, 1900s
        ("131052A308T", True),  # same digits, 2000s: the check char does not see the sign
        ("131052B308T", True),  # 2023 sign for 2000s
        ("131052Y308T", True),  # 2023 sign for 1900s
        ("131052+308T", True),
        ("131052-308U", False),  # wrong check character (masked by its shape: below)
        ("321052-308T", False),  # no 32nd day
        ("131352-308T", False),  # no 13th month
        ("131052G308T", False),  # G is no century sign
    ],
)
def test_hetu_checksum_and_signs(find, hetu, valid):
    spans = [s for s in find(f"hetu {hetu} .") if s.label == "HETU"]
    assert any(s.source == "hetu" for s in spans) is valid


def test_hetu_with_a_wrong_check_character_is_masked_whole_by_its_shape(find):
    assert [(s.start, s.end, s.source) for s in find("hetu 131052-308U .")] == [
        (5, 16, "hetu_shape")
    ]


def test_iban_mod97():
    assert recognisers.iban_valid("FI21 1234 5600 0007 85")
    assert not recognisers.iban_valid("FI21 1234 5600 0007 86")
    assert not recognisers.iban_valid("FI21 1234 5600 0007")


HETU_SIGNS = "+-ABCDEFYXWVU"


@st.composite
def hetus(draw):
    dd, mm = draw(st.integers(1, 28)), draw(st.integers(1, 12))
    yy, nnn = draw(st.integers(0, 99)), draw(st.integers(2, 899))
    sign = draw(st.sampled_from(HETU_SIGNS))
    digits = f"{dd:02d}{mm:02d}{yy:02d}{nnn:03d}"
    return f"{digits[:6]}{sign}{digits[6:]}{recognisers.HETU_CHECK[int(digits) % 31]}"


@settings(max_examples=200, deadline=None)
@given(hetus(), st.sampled_from(["Hetu {}.", "({})", "{}", "asiakas {} soitti"]))
def test_every_valid_hetu_is_found(find, hetu, context):
    text = context.format(hetu)
    assert any(s.label == "HETU" and text[s.start : s.end] == hetu for s in find(text))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 28), st.integers(1, 12), st.integers(1990, 2030))
def test_dates_are_never_identifiers(find, day, month, year):
    for text in (
        f"{day}.{month}.{year}",
        f"{day:02d}.{month:02d}.{year}",
        f"{year}-{month:02d}-{day:02d}",
        f"{day}.{month}.{year} klo {day % 24}.{month:02d}",
    ):
        assert find(f"Tapaaminen {text} sovittu.") == []


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10_000_000), st.sampled_from(["€", " €", " euroa", " e", " EUR"]))
def test_sums_are_never_identifiers(find, cents, unit):
    euros = f"{cents // 100:,}".replace(",", " ") + f",{cents % 100:02d}"
    assert find(f"Maksettu {euros}{unit} tilille.") == []


def test_placeholders_are_not_identifiers(find):
    text = "<HETU_1> <PUHELIN_2> <SÄHKÖPOSTI_1> <IBAN_1> <OSOITE_3>:ssa <ASIAKASNUMERO_1>"
    assert find(text) == []
    assert re.fullmatch(recognisers.PLACEHOLDER_RE, "<HENKILÖ_12>")
