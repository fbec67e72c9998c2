"""Language routing: Finnish vs Finland-Swedish vs other."""

from __future__ import annotations

import pytest

from pipeline.nlp.language import detect_language

FINNISH = [
    "Asiakas kertoi, että vuokra on maksamatta kolmelta kuukaudelta.",
    "<HENKILÖ_1>:n kanssa sovittiin uusi tapaaminen.",
    "Asiakkaan kanssa keskusteltiin päihteiden käytöstä.",
    "Jatketaan suunnitelman mukaisesti.",
    "Toimeentulotukihakemus käsiteltiin.",
    "Hyvä tapaaminen.",
    "mä en jaksa enää mitään",
]
SWEDISH = [
    "Klienten berättade att hyran är obetald sedan tre månader.",
    "<HENKILÖ_1> bor hos sin mamma och mår bättre nu.",
    "Hon har ansökt om utkomststöd från FPA.",
    "Vi fortsätter enligt planen.",
    "Socialarbetaren träffade familjen i hemmet.",
    "Klienten önskar stöd i boendet.",
]
OTHER = ["", "123 456", "Ok.", "The client was informed.", "<HENKILÖ_1> <HETU_1>"]


@pytest.mark.parametrize("text", FINNISH)
def test_finnish(text):
    assert detect_language(text) == "fi"


@pytest.mark.parametrize("text", SWEDISH)
def test_swedish(text):
    assert detect_language(text) == "sv"


@pytest.mark.parametrize("text", OTHER)
def test_other(text):
    assert detect_language(text) == "other"


def test_placeholders_do_not_decide():
    assert detect_language("<HENKILÖ_1> <HENKILÖ_2> och hans bror") == "sv"
