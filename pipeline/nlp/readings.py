"""Readings of a word form: every (UD part of speech, lemma) pair Voikko's analyses allow,
with the static features the lemmatiser's context model scores.

Most forms have one lemma whatever the POS (`toimeentulotukea` -> `toimeentulotuki`) and need
no model; `kuin` (kuu/kuin), `vuotta` (vuo/vuosi), `Suomen` (suomi/Suomi) have several. Forms
Voikko does not know get guessed readings (case endings stripped from foreign names:
`Hypatialle` -> `Hypatia`), and spoken forms are restored first (`siel` -> `siellä`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pipeline.nlp.tokens import NUM_RE, PUNCT_RE
from pipeline.nlp.ud_lemmas import AUX_LEMMAS, POS_ORDER, compatible, lemma_for
from pipeline.nlp.voikko import FastVoikko


@dataclass(frozen=True)
class Reading:
    pos: str
    lemma: str
    feats: tuple[str, ...]  # static features (form + analysis), scored once per form


def unknown_lemma(orth: str) -> tuple[str, str]:
    """Lemma and POS of a form Voikko does not know (punctuation, numbers, foreign names)."""
    if PUNCT_RE.match(orth):
        return orth, "PUNCT"
    if NUM_RE.match(orth):
        return orth, "NUM"
    if ":" in orth and not orth.startswith(":"):
        return orth[: orth.find(":")], "PROPN" if orth[0].isupper() else "NOUN"
    if orth[0].isupper():
        return orth, "PROPN"
    return orth.lower(), "X"


# Case endings stripped from words Voikko does not know (mostly foreign names): Leafin -> Leaf,
# Hypatialle -> Hypatia, Iglesiaksen -> Iglesias. Longest first.
_GUESS_ENDINGS = tuple(
    sorted(
        (
            "ta",
            "tä",
            "na",
            "nä",
            "ksi",
            "lla",
            "llä",
            "lle",
            "lta",
            "ltä",
            "ssa",
            "ssä",
            "sta",
            "stä",
            "iin",
            "in",
            "ia",
            "iä",
            "ineen",
            "tta",
            "ttä",
            "sen",
        ),
        key=len,
        reverse=True,
    )
)


_KSE_RE = re.compile(r"(\w{3,})kse(?:n|lle|llä|lla|ltä|lta|ssa|ssä|sta|stä|na|nä|ksi|en)$")


def guess_readings(orth: str) -> list[Reading]:
    """Readings for an unknown word: the form itself and case endings stripped."""
    cap = "cap" if orth[:1].isupper() else "low"
    pos = "PROPN" if cap == "cap" else "X"
    base = orth if cap == "cap" else orth.lower()
    cands: dict[str, set[str]] = {base: {"g=self"}}
    if len(orth) >= 5 and orth.isalpha():
        kse = _KSE_RE.match(base)
        if kse:  # Iglesiaksen, Kalymnokselle: an -s name's stem is -kse-
            cands.setdefault(kse.group(1) + "s", set()).add("g=kse")
        for end in _GUESS_ENDINGS:
            if not base.endswith(end) or len(base) - len(end) < 3:
                continue
            stem = base[: -len(end)]
            cands.setdefault(stem, set()).add(f"g=-{end}")
            if stem.endswith("kse"):  # Iglesiakse-n -> Iglesias
                cands.setdefault(stem[:-3] + "s", set()).add(f"g=-{end}|kse")
            elif stem.endswith("i") and len(stem) > 3 and stem[-2] not in "aeiouyäö":
                cands.setdefault(stem[:-1], set()).add(f"g=-{end}|i")  # Leafi-n -> Leaf
            elif stem.endswith("e") and stem[-2:-1] == "e":  # Simonidee-lle -> Simonides
                cands.setdefault(stem[:-1] + "s", set()).add(f"g=-{end}|ee")
    out = []
    for lemma, feats in cands.items():
        feats = {*feats, f"g|{cap}", f"g|fin={lemma[-1:] in 'aeiouyäö'}", f"g|len={len(cands)}"}
        feats |= {f"{f}|{cap}" for f in list(feats) if f.startswith("g=")}
        out.append(Reading(pos, lemma, tuple(sorted(feats))))
    return out


def make_readings(
    voikko: FastVoikko,
    orth: str,
    exc: dict[str, tuple[tuple[str, str], ...]],
    memory: dict[str, list[str]] | None = None,
    closed: frozenset[str] | None = None,
) -> list[Reading]:
    """All (POS, lemma) readings of a form, with static features. Empty list: unknown word."""
    if len(orth) > 2 and orth.strip("-"):
        orth = orth.strip("-")  # -listalla (after "Hesari") -> listalla; talous- (ja) -> talous
    head, prefix = orth, ""
    if "-" in orth and orth[-1] != "-":
        # Analyse the head of a hyphenated compound: Kela-korttia -> Kela- + kortti
        first, _, last = orth.rpartition("-")
        if first and last:
            head, prefix = last, first + "-"
    analyses = voikko.analyze(head)
    if not analyses and prefix:
        analyses, prefix = voikko.analyze(orth), ""
    if not analyses and not prefix:
        for full in colloquial_candidates(orth):
            analyses = voikko.analyze(full)
            if analyses or full in exc:
                orth = full
                break
    return _readings(orth, prefix, analyses, exc, memory, closed)


def colloquial_candidates(word: str) -> list[str]:
    """Standard forms a spoken-language form Voikko does not know may stand for (client
    feedback is written as spoken): `siel` -> `siellä`, `mul` -> `mulla`, `ollu` -> `ollut`,
    `kaks` -> `kaksi`. Only tried for words Voikko does not know, all lowercase or capitalised
    at a sentence start (`Siel`); the first candidate Voikko knows wins."""
    if len(word) < 3 or not word.isalpha() or not word[1:].islower():
        return []
    word = word.lower()
    back = any(c in "aou" for c in word)
    if word.endswith("l"):
        return [word + ("la" if back else "lä")]
    if word.endswith(("u", "y")):
        return [word + "t"]
    if word.endswith("s"):
        return [word + "i"]
    return []


def _readings(
    orth: str,
    prefix: str,
    analyses: list[Any],
    exc: dict[str, tuple[tuple[str, str], ...]],
    memory: dict[str, list[str]] | None,
    closed: frozenset[str] | None,
) -> list[Reading]:
    low = orth.lower()
    # First the (POS, lemma) pairs alone: most forms end here with a single lemma.
    found: dict[tuple[str, str], list[tuple[int, dict[str, str]]]] = {}
    for pos_lemma in exc.get(low, ()):
        found.setdefault(pos_lemma, []).append((-1, {}))
    # Speed: a noun is read as an adposition/adverb of its own form (`vuoksi`, `paljon`) only
    # when the form is a known closed-class word, else every noun would be ambiguous.
    closed_form = closed is None or low in closed
    if len(analyses) == 1 and not found and not closed_form and not (memory and low in memory):
        # Fast path, same answer as the loop below: one analysis that allows only one POS.
        pos = _single_pos(analyses[0])
        lemma = lemma_for(pos, orth, analyses[0], prefix) if pos else None
        if lemma:
            return [Reading(pos, lemma, ())]
    adverbish = closed_form
    for rank, a in enumerate(analyses):
        if a.get("SIJAMUOTO") in _ADVERBISH_CASES or a.get("COMPARISON") in _COMPARED:
            adverbish = True  # usein, kovin, tarkemmin, asiassa
        cls = a.get("CLASS", "")
        for pos in _POS_BY_CLASS.get(cls, POS_ORDER):
            if not compatible(pos, cls, a) or (
                pos == "ADP" and not closed_form and cls == "nimisana"
            ):
                continue
            lemma = lemma_for(pos, orth, a, prefix)
            if lemma:
                found.setdefault((pos, lemma), []).append((rank, a))
    if not found:
        return []
    # A known word may also be its own lemma (adverbs like `paljon`, `usein`) or a lemma
    # remembered from the training part of UD (colloquial `et` -> `että`, `sitte` -> `sitten`).
    if adverbish and not any(lemma == low for _, lemma in found):
        found[("ADV", low)] = [(-2, {})]
    for lemma in (memory or {}).get(low, ()):
        found.setdefault(("X", lemma), []).append((-3, {}))
    if len({lemma for _, lemma in found}) == 1:
        return [Reading(pos, lemma, ()) for pos, lemma in found]
    cap = "cap" if orth[:1].isupper() else "low"
    # Voikko over-segments some compounds (kasvatus+tie+tie for kasvatus+tiede): the reading
    # with the fewest parts is usually the right one.
    fewest = min((_parts(a) for srcs in found.values() for r, a in srcs if r >= 0), default=0)
    readings = []
    for (pos, lemma), sources in found.items():
        feats = {
            f"p={pos}",
            f"p={pos}|same={lemma == low}",
            f"L={lemma}",
            f"FL={low}|{lemma}",
            f"p={pos}|suf={low[-2:]}",
        }
        for rank, a in sources:
            if rank < 0:
                feats.update(
                    {"exc", f"exc|{pos}"} if rank == -1 else {"ident"} if rank == -2 else {"mem"}
                )
                continue
            cls = a.get("CLASS", "?")
            feats.update(
                {
                    f"p={pos}|fewest={_parts(a) == fewest}",
                    f"c={cls}",
                    f"p={pos}|c={cls}",
                    f"p={pos}|r={min(rank, 3)}",
                    f"p={pos}|n={min(a.get('STRUCTURE', '').count('='), 3)}",
                    f"p={pos}|s={a.get('SIJAMUOTO', '-')}",
                    f"p={pos}|pt={a.get('PARTICIPLE', '-')}",
                    f"p={pos}|m={a.get('MOOD', '-')}",
                    f"p={pos}|{cap}",
                    f"p={pos}|lc={lemma[:1].isupper()}",
                    f"p={pos}|n={a.get('NUMBER', '-')}",
                }
            )
        readings.append(Reading(pos, lemma, tuple(sorted(feats))))
    return readings


_SINGLE_POS = {
    "nimisana": "NOUN",
    "laatusana": "ADJ",
    "nimi": "PROPN",
    "etunimi": "PROPN",
    "sukunimi": "PROPN",
    "paikannimi": "PROPN",
}


def _single_pos(a: dict[str, str]) -> str | None:
    """The only POS an analysis of an open-class form can take, or None when it may take more
    (participles, -minen nouns, adverbial cases, comparatives, auxiliaries)."""
    if (
        "PARTICIPLE" in a
        or a.get("MOOD") == "MINEN-infinitive"
        or a.get("SIJAMUOTO") in _ADVERBISH_CASES
        or a.get("COMPARISON") in _COMPARED
    ):
        return None
    cls = a.get("CLASS", "")
    if cls == "teonsana":
        return None if a.get("BASEFORM") in AUX_LEMMAS else "VERB"
    return _SINGLE_POS.get(cls)


def _parts(a: dict[str, str]) -> int:
    return a.get("STRUCTURE", "").count("=")


_ADVERBISH_CASES = frozenset({"keinonto", "kerrontosti", "olento", "sisaolento"})
_COMPARED = frozenset({"comparative", "superlative"})
# Which POS each Voikko class can be (checked further by compatible); in POS_ORDER order.
_POS_BY_CLASS = {
    cls: tuple(p for p in POS_ORDER if p in ps)
    for cls, ps in {
        "nimisana": {"NOUN", "ADP", "VERB"},  # pronouns come from asemosana or the exc table
        "laatusana": {"ADJ", "VERB", "ADV"},
        "nimisana_laatusana": {"NOUN", "ADJ"},
        "teonsana": {"VERB", "AUX", "NOUN"},
        "seikkasana": {"ADV", "ADP"},
        "asemosana": {"PRON"},
        "suhdesana": {"ADP"},
        "sidesana": {"CCONJ", "SCONJ"},
        "kieltosana": {"AUX"},
        "huudahdussana": {"INTJ"},
        "lukusana": {"NUM", "ADV"},
        "lyhenne": {"NOUN"},
        "nimi": {"PROPN"},
        "etunimi": {"PROPN"},
        "sukunimi": {"PROPN"},
        "paikannimi": {"PROPN"},
    }.items()
}
