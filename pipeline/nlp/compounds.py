"""Compound splitting with Voikko, so c-TF-IDF can count both a compound and its parts.

`lastensuojeluilmoitus` -> `lastensuojelu`, `ilmoitus`;
`asumisongelmista` -> parts `asuminen`, `ongelma`; `toimeentulotuki` -> `toimeentulo`, `tuki`.

Voikko's WORDBASES lists the pieces of a word: `+lasten(lapsi)+suojel(suojella)+u(+u)+ilmoit
(ilmoittaa)+us(+us)`. A piece whose base starts with `+` is a derivational suffix (`-u`, `-us`,
`-ys`, `-inen`): it belongs to the piece before it and is never a part of its own (we want
`suojelu`, not `suojel` + `u`). A part in the genitive (`lasten`, `mielen`, `työn`) is the
attribute of the next part and stays with it: `lastensuojelu`, `mielenterveys`, `työntekijä` —
the Finnish way of writing a fixed phrase as one word. Parts shorter than 3 letters are dropped.
"""

from __future__ import annotations

import re
from typing import Any

# Prefixes that are no words of their own: epä+vakaa is "unstable", not "epä" + "vakaa".
BOUND_PREFIXES = frozenset({"epä", "esi", "ali", "yli", "vasta", "ylös"})
# One piece of WORDBASES: `+vara(vara)`, or a suffix written without `+` whose base holds
# one: `ymis(+yä)` in `+itsenäist(itsenäistää)ymis(+yä)+vara(vara)`.
_PIECE_RE = re.compile(r"\+?([^+()]+)(?:\(([^)]*)\))?")
MIN_PART = 3


class CompoundSplitter:
    """Splits words into compound parts (lemma form), with a per-word cache."""

    def __init__(self, voikko: Any | None = None) -> None:
        if voikko is None:
            from pipeline.nlp.voikko import open_voikko

            voikko = open_voikko()
        self.voikko = voikko
        self.cache: dict[tuple[str, str], tuple[str, ...]] = {}

    def parts(self, word: str, lemma: str | None = None) -> tuple[str, ...]:
        """Parts of `word` in lemma form; () when it is not a compound.

        `lemma` (the lemmatiser's choice) picks the matching Voikko analysis.
        """
        key = (word, lemma or "")
        hit = self.cache.get(key)
        if hit is None:
            hit = self._split(word, lemma)
            if len(self.cache) > 200_000:
                self.cache.clear()
            self.cache[key] = hit
        return hit

    def _split(self, word: str, lemma: str | None) -> tuple[str, ...]:
        if "-" in word.strip("-"):
            # Hyphenated: Kela-kortti -> Kela, kortti; each side may split further.
            head_lemma = lemma.rsplit("-", 1)[-1] if lemma and "-" in lemma else None
            first, _, last = word.strip("-").rpartition("-")
            out = [p for p in first.split("-") if len(p) >= MIN_PART]
            if head_lemma is None:
                analyses = self.voikko.analyze(last)
                head_lemma = analyses[0].get("BASEFORM", last) if analyses else last
            out += list(self.parts(last, head_lemma) or [head_lemma])
            return tuple(out) if len(out) > 1 else ()
        analyses = self.voikko.analyze(word)
        if not analyses:
            return ()
        # Fewest parts among the readings with the right lemma: `aktivoi+nti+suunnitelma`,
        # not `akti+voi+nti+suunnitelma`.
        matching = [a for a in analyses if a.get("BASEFORM") == lemma] or analyses
        chosen = min(matching, key=lambda a: a.get("STRUCTURE", "").count("="))
        return split_analysis(self.voikko, chosen)


def split_analysis(voikko: Any, analysis: dict[str, str]) -> tuple[str, ...]:
    """Parts of one Voikko analysis (see module docstring)."""
    pieces = _PIECE_RE.findall(analysis.get("WORDBASES", ""))
    # components: [surface, base of first piece, genitive?]
    comps: list[list[Any]] = []
    bound = ""  # a bound prefix with no base form of its own: `+epä` in epä+vakaa
    for surface, base in pieces:
        if surface == "-" or (not surface and not base):
            continue
        if not base and not comps and surface.lower() in BOUND_PREFIXES:
            bound += surface
            continue
        if bound:
            surface, base, bound = bound + surface, None, ""
        if comps and (base.startswith("+") or (not base and len(surface) <= 2)):
            # derivational suffix (`+u(+u)`) or glue (`+n` in neuvo+n+ta) joins the piece before
            comps[-1][0] += surface  # derivational suffix: suojel + u -> suojelu
            comps[-1][1] = None
        else:
            comps.append([surface, base or surface])
    if len(comps) < 2:
        return ()
    fst_parts = re.split(r"\[Bc\]", analysis.get("FSTOUTPUT", ""))
    genitive = [("[Sg]" in f) for f in fst_parts] if len(fst_parts) == len(comps) else []
    baseform = analysis.get("BASEFORM", "")
    # Merge genitive attributes into the next component: lasten + suojelu -> lastensuojelu
    merged: list[list[Any]] = []
    carry = ""
    for i, (surface, base) in enumerate(comps):
        if i < len(comps) - 1 and genitive and genitive[i]:
            carry += surface
            continue
        merged.append([carry + surface, None if carry else base])
        carry = ""
    if len(merged) < 2:
        return ()
    out = []
    prefix = "".join(s for s, _ in merged[:-1])
    for surface, base in merged[:-1]:
        out.append(_part_lemma(voikko, surface, base))
    last = baseform[len(prefix) :] if baseform.lower().startswith(prefix.lower()) else None
    out.append(last or _part_lemma(voikko, merged[-1][0], merged[-1][1]))
    # `palkkatuki-` (as in "palkkatuki- ja työkokeilu") ends in a hyphen: its part is `tuki`.
    kept = tuple(p.strip("-") for p in out if p and len(p.strip("-")) >= MIN_PART)
    return kept if len(kept) > 1 else ()


def _part_lemma(voikko: Any, surface: str, base: str | None) -> str:
    """Lemma of a non-final part: `asumis` -> `asuminen`, `ihmis` -> `ihminen`, `koti` -> `koti`."""
    low = surface.lower()
    for a in voikko.analyze(low):
        if a.get("SIJAMUOTO") == "nimento" and a.get("BASEFORM", "").lower() == low:
            return a["BASEFORM"]
    if base and "=" not in base and base.lower() == low:
        return base
    if low.endswith("s"):  # compound form of -nen words: asumis-, ihmis-, nais-
        cand = low[:-1] + "nen"
        if voikko.analyze(cand):  # asuminen is analysed as the verb asua, so any analysis
            return cand
    if base and "=" in base:
        return base.replace("=", "")
    if base and low.startswith(base[:3].lower()) and voikko.analyze(base):
        a = voikko.analyze(base)[0]
        if a.get("CLASS") != "teonsana":
            return base
    return low
