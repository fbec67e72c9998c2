"""Cheap language routing for segments: Finnish, (Finland-)Swedish or other.

Counts function words of each language and a few letter patterns; no model, no dependency,
microseconds per segment. Finland-Swedish records share Finnish place names, placeholders and
service names (`Kela`, `<HENKILÖ_1>`), so those are ignored: only common function words and
orthography decide. `å` never occurs in Finnish words; `ä`/`ö` occur in both languages, so they
are weak evidence; Finnish double vowels and `-ssa/-ssä/-lla/-llä` endings are strong.
"""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["fi", "sv", "other"]

_WORD_RE = re.compile(r"[^\W\d_]+")
_PLACEHOLDER_RE = re.compile(r"<[^>]*>(?::\w+)?")

FI_WORDS = frozenset(
    [
        "ja",
        "on",
        "ei",
        "että",
        "se",
        "hän",
        "oli",
        "ovat",
        "olla",
        "kun",
        "mutta",
        "myös",
        "tai",
        "jos",
        "niin",
        "kuin",
        "sitä",
        "siitä",
        "sen",
        "hänen",
        "hänellä",
        "hänelle",
        "häntä",
        "hänet",
        "nyt",
        "vielä",
        "jo",
        "sekä",
        "joka",
        "jotka",
        "mikä",
        "mitä",
        "tämä",
        "tässä",
        "tästä",
        "sitten",
        "kanssa",
        "ole",
        "ollut",
        "olisi",
        "voi",
        "pitää",
        "asiakas",
        "asiakkaan",
        "kanssa",
        "tulee",
        "kertoo",
        "kertoi",
        "todettiin",
        "sovittiin",
        "mukaan",
        "koska",
        "kotona",
        "kotiin",
        "lisäksi",
        "eikä",
        "nämä",
        "niitä",
        "heidän",
        "hänen",
        "minä",
        "sinä",
        "me",
        "te",
        "he",
        "oma",
        "oman",
        "myös",
        "vain",
        "paljon",
        "kaikki",
        "jälkeen",
        "ennen",
        "aikana",
        "sekä",
        "osalta",
        "tarvetta",
        "tuen",
        "tukea",
        "en",
        "et",
        "mä",
        "sä",
        "mun",
        "sun",
        "enää",
        "mitään",
        "ihan",
        "tosi",
        "kyllä",
        "sit",
        "niinku",
        "joo",
        "ei",
    ]
)
SV_WORDS = frozenset(
    [
        "och",
        "att",
        "det",
        "är",
        "som",
        "en",
        "ett",
        "på",
        "för",
        "med",
        "av",
        "till",
        "har",
        "inte",
        "den",
        "de",
        "om",
        "han",
        "hon",
        "hans",
        "hennes",
        "henne",
        "honom",
        "var",
        "vara",
        "kan",
        "ska",
        "skall",
        "så",
        "men",
        "eller",
        "när",
        "också",
        "efter",
        "under",
        "vid",
        "från",
        "hos",
        "klienten",
        "klient",
        "hade",
        "har",
        "fått",
        "får",
        "enligt",
        "samt",
        "mycket",
        "utan",
        "sig",
        "sin",
        "sitt",
        "sina",
        "vi",
        "ni",
        "jag",
        "du",
        "dem",
        "deras",
        "här",
        "där",
        "nu",
        "redan",
        "bara",
        "alla",
        "kommer",
        "gick",
        "mår",
        "bor",
        "behöver",
        "önskar",
        "i",
    ]
)
# Words that are function words in both (or names) carry no evidence.
_SHARED = FI_WORDS & SV_WORDS
_FI_SUFFIX_RE = re.compile(
    r"(?:ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|ksi|aa|ää|ii|uu|yy|oo|taan|tään|sesti|nen|ksen|"
    r"isi|iin|mme|nne|ttu|tty|eet)$"
)
_FI_DOUBLE_RE = re.compile(r"(?:aa|ää|ii|uu|yy|öö|uo|yö|ie)")
_SV_SUFFIX_RE = re.compile(
    r"(?:ning|ningen|het|heten|tion|erna|arna|orna|ligt|iga|ade|andet|ende)$"
)


def detect_language(text: str, *, min_words: int = 2) -> Language:
    """`"fi"`, `"sv"` or `"other"` (too little text, numbers only, or another language)."""
    words = [w.lower() for w in _WORD_RE.findall(_PLACEHOLDER_RE.sub(" ", text))]
    if len(words) < min_words and not (words and len(words[0]) > 8):
        return "other"
    fi = sv = 0.0
    for w in words:
        if w in _SHARED:
            continue
        if w in FI_WORDS:
            fi += 2.0
        elif w in SV_WORDS:
            sv += 2.0
        if "å" in w:
            sv += 2.0
        if _FI_SUFFIX_RE.search(w) and len(w) > 4:
            fi += 1.0
        if _FI_DOUBLE_RE.search(w) and len(w) > 4:
            fi += 0.75
        if _SV_SUFFIX_RE.search(w) and len(w) > 5:
            sv += 1.0
        if re.search(r"[äöy][a-zäö]*[aou]|[aou][a-zäö]*[äöy]", w):
            sv += 0.5  # Finnish vowel harmony forbids mixing a/o/u with ä/ö/y in a simple word
    total = fi + sv
    if total < 1.5:
        return "other"
    if fi >= 1.5 * sv:
        return "fi"
    if sv >= 1.5 * fi:
        return "sv"
    return "fi" if fi >= sv else "sv"
