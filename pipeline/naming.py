"""Readable Finnish theme names: distinctive nouns, never names of people or generic words.

c-TF-IDF ranks the words that set a topic apart, but of every word class: a name made of its
first three words read `velka, ulosotto, ylittää` or `ainoa, kuolla, yksinäisyys`. A name here
is the topic's highest-ranked *nouns* (`nimisana` in Voikko; a compound is a noun when its head
is, so `vuokrarästi` and `ruoka-apu` count, and a phrase such as `talous-_ja_velkaneuvonta` by
its last word). Words Voikko reads as noun or adjective alike (`nimisana_laatusana`: `ainoa`,
`paha`, `katkonainen`, but also `nuori`) do not name a theme: on the sample they were the
generic ones. Verbs (`ylittää`, `jatkua`) and adjectives (`nykyinen`, `ainoa`) stay among the
keywords but never name a theme. Person names that slipped past redaction (every reading a first
name or a surname) and placeholders are dropped from the keywords too.

Voikko is read once per distinct keyword (a few hundred per run). Without Voikko (the
`simplemma.v1` lemmatiser needs none) names fall back to the top keywords, and the log says so.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

log = logging.getLogger(__name__)

NOUN = "noun"
NAME = "name"  # a person's first name or surname in every reading
OTHER = "other"
UNKNOWN = "unknown"
PERSON_CLASSES = frozenset({"etunimi", "sukunimi"})
NOUN_CLASSES = frozenset({"nimisana"})
NAME_WORDS = 3  # nouns in a theme's name


def word_classes(words: Iterable[str]) -> dict[str, str]:
    """Each lemma's class for naming: noun, name, other or unknown (no Voikko reading).

    Raises `EnvironmentProblem` when Voikko with a Finnish dictionary is missing."""
    from pipeline.nlp.voikko import open_voikko

    voikko = open_voikko()
    try:
        return {word: _class_of(voikko, word) for word in sorted(set(words))}
    finally:
        voikko.terminate()


def _class_of(voikko, lemma: str) -> str:
    head = lemma.replace("_", " ").split()[-1] if lemma.strip("_ ") else lemma
    analyses = voikko.analyze(head)
    if not analyses:
        return UNKNOWN
    own = [a for a in analyses if a.get("BASEFORM", "").lower() == head.lower()] or analyses
    classes = {a.get("CLASS", "") for a in own}
    if classes <= PERSON_CLASSES:
        return NAME
    return NOUN if classes & NOUN_CLASSES else OTHER


def safe_word_classes(words: Iterable[str]) -> dict[str, str]:
    """`word_classes`, or every word `unknown` (and a warning) when Voikko is missing."""
    from pipeline.errors import EnvironmentProblem

    try:
        return word_classes(words)
    except EnvironmentProblem as exc:
        log.warning("theme names from keywords of every word class: %s", exc)
        return {}


def shown_keywords(ranked: list[str], classes: dict[str, str]) -> list[str]:
    """Keywords in c-TF-IDF order without placeholders and person names."""
    return [w for w in ranked if not w.startswith("<") and classes.get(w, UNKNOWN) != NAME]


def theme_name(keywords: list[str], classes: dict[str, str], n: int = NAME_WORDS) -> str:
    """The top `n` nouns among `keywords` (c-TF-IDF order), as `velka, ulosotto, kela`; the top
    keywords when no word is known to be a noun (Voikko missing, or slang)."""
    nouns = [w for w in keywords if classes.get(w) == NOUN]
    chosen = nouns[:n] if nouns else keywords[:n]
    return ", ".join(w.replace("_", " ") for w in chosen) or "(ei avainsanoja)"
