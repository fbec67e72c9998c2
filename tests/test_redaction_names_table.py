"""A reviewable table of names in social-services notes, in the spacy-fi style: each row a
sentence we wrote (not drawn from the Turku files), the words that must be gone and the words
that must stay. Known misses stay visible as xfail.

Real Voikko and the shipped name tagger (no spaCy NER: off by default, as in params.yaml).
"""

from __future__ import annotations

import re

import pytest

from pipeline.config import load_params
from pipeline.redaction.redactor import Redactor


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(tagger=load_params().redact.tagger)


def xfail(text, gone, stay=(), reason=""):
    return pytest.param(text, gone, stay, marks=pytest.mark.xfail(reason=reason, strict=False))


# (sentence, words that must disappear, words that must stay readable)
TABLE = [
    # signatures and initials
    ("Lastensuojeluilmoitus tehty. /M.J.", ["M.J"], ["Lastensuojeluilmoitus"]),
    ("Asiakas ohjattu päihdepoliklinikalle. /N.P.", ["N.P"], ["päihdepoliklinikalle"]),
    ("Soitettu asiakkaalle, ei vastannut -MJ", ["MJ"], ["asiakkaalle"]),
    ("Kotikäynti peruttu.\nMV/ss", ["MV/ss"], ["Kotikäynti"]),
    ("Kiitos avusta! t. Maija", ["Maija"], ["Kiitos"]),
    ("Terveisin Maija V.", ["Maija", "V"], ["Terveisin"]),
    ("Ystävällisin terveisin,\nPekka Lindroos", ["Pekka", "Lindroos"], ["terveisin"]),
    ("Palaveri siirtyy ensi viikkoon.\nT. Jaana", ["Jaana"], ["Palaveri"]),
    ("Hälsningar, Anna Lindqvist", ["Anna", "Lindqvist"], []),
    ("Kirjaus: AK/mt", ["AK/mt"], ["Kirjaus"]),
    ("Tilanne ennallaan.\nR.K.", ["R.K"], ["Tilanne"]),
    # titles before names
    ("Asiakas tapasi sosiaaliohjaaja Lindholmin eilen.", ["Lindholmin"], ["sosiaaliohjaaja"]),
    ("Lääkäri Nieminen arvioi työkyvyn.", ["Nieminen"], ["arvioi"]),
    ("Keskustelu kuraattori Salosen kanssa sovittiin.", ["Salosen"], ["kuraattori"]),
    ("Omaohjaaja Heikkilä soittaa perjantaina.", ["Heikkilä"], ["perjantaina"]),
    ("Psykologi Anttila suositteli terapiaa.", ["Anttila"], ["terapiaa"]),
    # particles, hyphens, Arabic articles
    ("Robin van Persie vieraili koululla.", ["Robin", "van", "Persie"], ["koululla"]),
    ("Eduardo da Silva haki toimeentulotukea.", ["Eduardo", "da", "Silva"], ["toimeentulotukea"]),
    ("Asiakkaan naapuri Mouyyad al-Lamin soitti.", ["Mouyyad", "al-Lamin"], ["naapuri"]),
    ("Ludwig van Beethovenin musiikki rauhoitti.", ["Ludwig", "van", "Beethovenin"], []),
    ("Sara el-Amin kävi vastaanotolla.", ["Sara", "el-Amin"], ["vastaanotolla"]),
    ("Halla-ahon perhe muutti.", ["Halla-ahon"], ["perhe"]),
    ("Puhuttiin Anna-Liisa Mäkelä-Virtasen kanssa.", ["Anna-Liisa", "Mäkelä-Virtasen"], []),
    ("Asiakas Marja-Leena soitti aamulla.", ["Marja-Leena"], ["aamulla"]),
    ("Jukka-Pekan isä oli paikalla.", ["Jukka-Pekan"], ["isä"]),
    # names that are also words
    ("Onni tuli kouluun myöhässä.", ["Onni"], ["kouluun"]),
    ("Toivo kertoi, että rahat loppuivat.", ["Toivo"], ["rahat"]),
    # a first name that is also a noun and a verb at a sentence start, no cue
    ("Tuuli ja hänen äitinsä saapuivat.", ["Tuuli"], []),
    ("Asiakas Mäki kertoi asunnostaan.", ["Mäki"], ["asunnostaan"]),
    ("Sovittiin, että Tuulin äiti soittaa.", ["Tuulin"], ["soittaa"]),
    ("Poika Usko oli mukana tapaamisessa.", ["Usko"], ["tapaamisessa"]),
    xfail(
        "Kivi ja Mäki olivat molemmat paikalla.",
        ["Kivi", "Mäki"],
        reason="`Kivi` first in a sentence: a noun to Voikko and to the tagger",
    ),
    ("Lahja kertoi vuokrarästeistä.", ["Lahja"], ["vuokrarästeistä"]),
    ("Aulis perääntyi ovelta.", ["Aulis"], ["ovelta"]),
    ("Hämäläinen sai kärsiä pitkään.", ["Hämäläinen"], ["kärsiä"]),
    ("Saarisen mummo soitti.", ["Saarisen"], ["mummo"]),
    # foreign names
    ("Mohamed Abdi haki asumistukea.", ["Mohamed", "Abdi"], ["asumistukea"]),
    ("Nguyen Van An tuli tulkin kanssa.", ["Nguyen", "Van", "An"], ["tulkin"]),
    ("Olena Kovalenko odottaa oleskelulupaa.", ["Olena", "Kovalenko"], ["oleskelulupaa"]),
    ("Asiakas Ali Mohammed kertoi velastaan.", ["Ali", "Mohammed"], ["velastaan"]),
    # `Ali` first in a sentence, also the adposition `ali`
    ("Ali Mohammedin kanssa sovittiin tapaaminen.", ["Ali", "Mohammedin"], []),
    ("Fatima Hassan ja Ahmed Yusuf saapuivat.", ["Fatima", "Hassan", "Ahmed", "Yusuf"], []),
    ("Tapasin Oksana Petrenkon perheen.", ["Oksana", "Petrenkon"], ["perheen"]),
    ("Jiang Li soitti, Jiangille kerrottiin ajasta.", ["Jiang", "Li", "Jiangille"], []),
    ("Asiakas Dmitri Ivanov jätti hakemuksen.", ["Dmitri", "Ivanov"], ["hakemuksen"]),
    ("Maryam Ahmadi tarvitsee tulkin.", ["Maryam", "Ahmadi"], ["tulkin"]),
    ("Nimeltään Abdirahman soitti.", ["Abdirahman"], []),
    # case forms and possessives
    ("Soitin Virtaselle ja Virtasen äiti vastasi.", ["Virtaselle", "Virtasen"], ["äiti"]),
    ("Annoin lomakkeen Liisalle.", ["Liisalle"], ["lomakkeen"]),
    ("Matilta ei ole kuulunut mitään.", ["Matilta"], ["kuulunut"]),
    ("Kävimme Lindholmien luona.", ["Lindholmien"], ["luona"]),
    ("Pekkakin oli paikalla.", ["Pekkakin"], ["paikalla"]),
    ("Keskustelimme Hannan kanssa asumisesta.", ["Hannan"], ["asumisesta"]),
    ("Tieto tuli Korhoselta.", ["Korhoselta"], ["Tieto"]),
    ("Sovimme Kaisan kanssa uudesta ajasta.", ["Kaisan"], ["ajasta"]),
    ("Lähetimme kirjeen Heikkiselle.", ["Heikkiselle"], ["kirjeen"]),
    ("Järvisen poika aloitti koulun.", ["Järvisen"], ["koulun"]),
    ("sano et liisalle pitää soittaa", ["liisalle"], ["soittaa"]),
    ("ritvalle soitettiin eilen", ["ritvalle"], ["eilen"]),
    ("Asiakas tapasi Zhannan. sit zhannalle soitettiin", ["Zhannan", "zhannalle"], []),
    # organisations and services stay; places are places
    ("Asiakas ohjattiin Kelaan ja TE-palveluihin.", [], ["Kelaan", "TE-palveluihin"]),
    ("Nuori kävi Ohjaamossa ja A-klinikalla.", [], ["Ohjaamossa", "A-klinikalla"]),
    ("Kelan päätös tuli eilen.", [], ["Kelan", "päätös"]),
    ("Asiakas on Kelan asiakas ja käy Ohjaamossa.", [], ["Kelan", "Ohjaamossa"]),
    ("Tukea haettiin Kelasta ja TE-toimistosta.", [], ["Kelasta", "TE-toimistosta"]),
    ("Mielenterveystalo ja Omaolo eivät auttaneet.", [], ["Mielenterveystalo", "Omaolo"]),
    ("Asiakas asioi Kelan toimistossa Tampereella.", ["Tampereella"], ["Kelan"]),
    ("Perhe muutti Kuopiosta Ouluun.", ["Kuopiosta", "Ouluun"], ["Perhe"]),
    ("Toimeentulotuesta keskusteltiin sosiaalitoimistossa.", [], ["Toimeentulotuesta"]),
    ("Asiakas maksoi vuokran ajallaan.", [], ["Asiakas", "vuokran"]),
    # several people, the same person again
    ("Matti Virtanen soitti. Myöhemmin Virtaselle lähti kirje.", ["Matti", "Virtaselle"], []),
    ("Äiti Sanna ja isä Jari tulivat tapaamiseen.", ["Sanna", "Jari"], ["tapaamiseen"]),
    ("Sisko Satu tuli mukaan.", ["Satu"], ["mukaan"]),
    ("Masa sano et kaikki ok.", ["Masa"], ["kaikki"]),
    ("Helmi sano et pitää soittaa.", ["Helmi"], ["soittaa"]),
    ("Keskustelimme Joonaksen ja Eliaksen kanssa.", ["Joonaksen", "Eliaksen"], []),
    ("Tapaamiseen osallistuivat Minna, Jonna ja Henna.", ["Minna", "Jonna", "Henna"], []),
    # known misses
    xfail(
        "Ilman kanssa sovittiin.",
        ["Ilman"],
        reason="`Ilma` the name first in a sentence; the tagger reads `ilman` (without, of air)",
    ),
    xfail("Mopsi on kaveri koulusta.", ["Mopsi"], reason="a nickname that is only a noun"),
    xfail("Tingin kanssa mentiin kauppaan.", ["Tingin"], reason="a nickname read as a verb"),
    xfail("toivo tuli käymään", ["toivo"], reason="lowercase name that is also a word, no cue"),
]


def _word_present(word: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def test_table_is_big_enough():
    assert len(TABLE) >= 80


@pytest.mark.parametrize(("text", "gone", "stay"), TABLE)
def test_names_table(redactor, text, gone, stay):
    out = redactor.redact(text).text
    for word in gone:
        assert not _word_present(word, out), out
    for word in stay:
        assert _word_present(word, out), out
    assert redactor.redact(out).text == out  # and the result is a fixpoint
