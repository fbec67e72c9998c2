"""Proposals for action found by their shape in redacted text (reviewable by a Finnish speaker)."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.report.proposals import extract_proposals, proposals_frame, theme_proposals

CASES = [
    # a label with the proposal on the same line
    (
        "Havainnot kirjattu.\nEhdotus: Kuntaan perustetaan päivystys.",
        ["Kuntaan perustetaan päivystys."],
    ),
    # a label on its own line; the proposal runs to the blank line
    (
        "Toimenpide-ehdotus:\nLisätään kuljetuksia.\nSeurataan käyttöä.\n\nAsiakas kotiutui.",
        ["Lisätään kuljetuksia. Seurataan käyttöä."],
    ),
    # the next label ends the proposal
    (
        "Ratkaisuehdotukset: Lisätään tulkkeja alueelle.\nSeuranta: syksyllä",
        ["Lisätään tulkkeja alueelle."],
    ),
    # the writer's own verb opening a line: the whole line
    (
        "Ehdotamme, että vapaata lisätään. Lisäksi kysytään tarpeet.\n/JV",
        ["Ehdotamme, että vapaata lisätään. Lisäksi kysytään tarpeet."],
    ),
    # ... or mid-paragraph: that sentence only
    (
        "Tilanne on vaikea. Esitän, että asia viedään johtoryhmään. Asiakas ohjataan eteenpäin.",
        ["Esitän, että asia viedään johtoryhmään."],
    ),
    (
        "Ehdotan, että <HENKILÖ_1> saa tukihenkilön.",
        ["Ehdotan, että <HENKILÖ_1> saa tukihenkilön."],
    ),
    ("Ehdotetaan yhteistä palaveria koululle.", ["Ehdotetaan yhteistä palaveria koululle."]),
    ("Förslag: Tolkning ordnas på distans.", ["Tolkning ordnas på distans."]),
    # not the writer's proposal: a third person, a noun in running text, a quoted offer
    ("Asiakas esittää toiveen, että hän saa asunnon.", []),
    ("Asiakkaan ehdotus oli hyvä, mutta sitä ei toteutettu.", []),
    ("Sovitaan seuraava tapaaminen.", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_extract(text, expected):
    assert extract_proposals(text) == expected


def test_proposals_go_under_every_theme_of_their_document_primary_first():
    docs = pd.DataFrame(
        {"doc_id": ["A", "B"], "text": ["Ehdotus: Lisätään asuntoja nuorille.", "Ei ehdotusta."]}
    )
    doc_themes = pd.DataFrame(
        {"doc_id": ["A", "B"], "theme_id": ["T2", "T1"], "theme_ids": ["T1;T2", "T1"]}
    )
    out = theme_proposals(proposals_frame(docs), doc_themes)
    assert out[["theme_id", "primary"]].values.tolist() == [["T1", False], ["T2", True]]
    assert set(out["proposal"]) == {"Lisätään asuntoja nuorille."}
