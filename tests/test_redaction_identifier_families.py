"""The identifier families of issue #12 on a test set written to break their patterns.

`tests/data/identifier_families_positive.tsv` (one identifier a line, with its label): case
and decision numbers after a cue (`Dnro SOS/123/2024`, `päätös nro TOTU-2024-55511`), Kela card
and customer numbers (`KELA 123 456 789`), phones with any country code and with dots, spaces,
brackets or no separators (`+380 67 123 4567`, `358401234567`, `044.765.4321`), e-mails with
spaced or bracketed `at`/`dot`, IBANs whose checksum fails (masked by shape), henkilötunnus-
shaped strings with a wrong check character (masked whole), car plates, street addresses after
a place name (`Pispalan valtatie 33 B 7`). `identifier_families_negative.tsv`: dates, sums,
times, law references, percentages, postcodes alone, years, versions, counts after `nro`,
abbreviations with numbers (`COVID-19`, `EU-27`, `ICD-10`), lab values and near misses of each
family. Recall 1.0 and no false hit, through the redactor's own identifier pass (configured
cues and patterns included).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import TaggerParams
from pipeline.redaction import identifiers as recognisers
from pipeline.redaction.redactor import Redactor

DATA = Path(__file__).parent / "data"
LABELS = {"HETU", "PUHELIN", "SÄHKÖPOSTI", "IBAN", "OSOITE", "ASIAKASNUMERO", "REKISTERINUMERO"}


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


POSITIVES = _rows("identifier_families_positive.tsv")
NEGATIVES = [row[0] for row in _rows("identifier_families_negative.tsv")]


@pytest.fixture(scope="module")
def find():
    redactor = Redactor(tagger=TaggerParams(enabled=False))

    def _find(text: str) -> list[recognisers.Span]:
        return recognisers.resolve_overlaps(redactor.find_identifiers(text))

    return _find


def test_test_set_is_big_enough():
    assert len(POSITIVES) >= 300
    assert len(NEGATIVES) >= 300
    assert {row[0] for row in POSITIVES} == LABELS


def test_recall_is_one(find):
    missed = []
    for label, text, ident in POSITIVES:
        start = text.index(ident)
        end = start + len(ident)
        spans = find(text)
        if not any(s.label == label and s.start <= start and s.end >= end for s in spans):
            missed.append((label, text, [(s.label, text[s.start : s.end]) for s in spans]))
    assert not missed, f"{len(missed)} of {len(POSITIVES)} missed: {missed[:20]}"


def test_no_false_hits(find):
    hits = [(text, [(s.label, text[s.start : s.end]) for s in find(text)]) for text in NEGATIVES]
    hits = [h for h in hits if h[1]]
    assert not hits, f"{len(hits)} of {len(NEGATIVES)} negatives hit: {hits[:20]}"


def test_positives_do_not_overreach(find):
    """A span may cover the identifier, not swallow much of its sentence."""
    for label, text, ident in POSITIVES:
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
    redactor = Redactor(tagger=TaggerParams(enabled=False))
    assert redactor.redact(text).text == expected
