"""The UD-TDT lemma of a Voikko analysis read as a given part of speech.

Follows spacy-fi's VoikkoLemmatizer rules (MIT, github.com/aajanki/spacy-fi), but for every POS
Voikko allows instead of one: participles are verbs (`tehty` -> `tehdä`), `-minen` nouns keep
their noun lemma, adverbs and adpositions keep their form (`esimerkiksi`), proper nouns keep
their capital, pluralia tantum keep the plural (`vaaleissa` -> `vaalit`).
"""

from __future__ import annotations

import re

_CLASSES_BY_POS = {
    "ADJ": ("laatusana", "nimisana_laatusana"),
    "ADP": ("nimisana", "seikkasana", "suhdesana"),
    "ADV": ("seikkasana",),
    "AUX": ("teonsana", "kieltosana"),
    "CCONJ": ("sidesana",),
    "SCONJ": ("sidesana",),
    "INTJ": ("huudahdussana",),
    "NOUN": ("nimisana", "nimisana_laatusana", "lyhenne"),
    "NUM": ("lukusana",),
    "PRON": ("asemosana", "nimisana", "nimisana_laatusana"),
    "PROPN": ("nimi", "etunimi", "sukunimi", "paikannimi"),
}
POS_ORDER = (
    "NOUN",
    "VERB",
    "ADJ",
    "PROPN",
    "ADV",
    "PRON",
    "AUX",
    "ADP",
    "NUM",
    "CCONJ",
    "SCONJ",
    "INTJ",
)
AUX_LEMMAS = frozenset(
    {
        "olla",
        "ei",
        "voida",
        "pitää",
        "saattaa",
        "täytyä",
        "joutua",
        "tulla",
        "taitaa",
        "mahtaa",
        "saada",
        "aikoa",
        "pystyä",
        "kyetä",
    }
)
_PROPER_CLASSES = frozenset(_CLASSES_BY_POS["PROPN"])
_COMPOUND_RE = re.compile(r"\+(\w+)(?:\(\+?[\w=]+\))?")
_MINEN_RE = re.compile(r"\b(\w+)\[Tn4\]mi")
_NY_RE = re.compile(r"\[X\]\[\w+\]\[Ny\](\w+)")
_DERIVED_VERB_RE = re.compile(r"\+(\w+)\([\w=]+\)\w*\(\+(\w+[aä])\)")
_POSSESSIVE_SUFFIXES = {"1s": ("ni",), "2s": ("si",), "1p": ("mme",), "2p": ("nne",)}


def compatible(pos: str, cls: str, a: dict[str, str]) -> bool:
    if cls in _CLASSES_BY_POS.get(pos, ()):
        if pos == "AUX" and cls == "teonsana":
            return a.get("BASEFORM") in AUX_LEMMAS
        return True
    mood = a.get("MOOD")
    if pos == "NOUN":
        return cls == "teonsana" and mood == "MINEN-infinitive"
    if pos == "VERB":
        part = a.get("PARTICIPLE")
        return (cls == "teonsana" and mood != "MINEN-infinitive") or (
            part is not None
            and (
                (cls == "nimisana" and part == "agent")
                or (
                    cls == "laatusana"
                    and part in ("past_active", "past_passive", "present_active", "present_passive")
                )
            )
        )
    if pos == "ADV":
        return cls in ("laatusana", "lukusana") and a.get("SIJAMUOTO") == "kerrontosti"
    return False


def _participle_lemma(a: dict[str, str]) -> str:
    """`tehty` -> `tehdä`, `asioita hoitava` -> `hoitaa` (UD lemmatises participles as verbs)."""
    wordbases = a.get("WORDBASES", "")
    num_bases = max(a.get("STRUCTURE", "").count("="), 1)
    derived = _DERIVED_VERB_RE.match(wordbases)
    if derived and num_bases == 1:
        # +vähen(vähetä)ty(+tyä)+n+yt(+yt): the participle of the derived verb vähentyä
        return derived.group(1) + derived.group(2)
    i, forms = 0, []
    for base in re.finditer(r"\+([^+]+)", wordbases):
        full = base.group(1)
        paren = re.search(r"(.+)\((.+)\)", full)
        if paren:
            k = paren.group(2).count("=") + 1
            form = paren.group(1) if i < num_bases - k else paren.group(2)
        else:
            form = full
        split = form.split("=")
        forms.extend(split)
        i += len(split)
        if i >= num_bases:
            break
    return "".join(forms)


def _minen_lemma(a: dict[str, str]) -> str | None:
    """`asumista` -> `asuminen` (Voikko's baseform would be the verb `asua`)."""
    fst = a.get("FSTOUTPUT", "")
    ny = _NY_RE.search(fst)
    if ny:
        return ny.group(1)
    m = _MINEN_RE.search(fst)
    if not m:
        return None
    compounds = _COMPOUND_RE.findall(a.get("WORDBASES", ""))
    prefix = "".join(compounds[:-1]) if len(compounds) > 1 else ""
    return prefix + m.group(1) + "minen"


def _adv_lemma(a: dict[str, str], word: str) -> str:
    """Adverbs and adpositions keep their form minus clitics: `kanssani` -> `kanssa`."""
    if "KYSYMYSLIITE" in a:
        word = word[:-2]
    focus = a.get("FOCUS")
    if focus:
        word = word[: -len(focus)]
    poss = a.get("POSSESSIVE")
    if poss is not None and poss != "3":
        suffix = next((s for s in _POSSESSIVE_SUFFIXES.get(poss, ()) if word.endswith(s)), None)
        if suffix:
            word = word[: -len(suffix)]
            if a.get("SIJAMUOTO") == "tulento" and word.endswith("e"):
                word = word[:-1] + "i"
            elif a.get("SIJAMUOTO") == "sisatulento" or (
                suffix.startswith("n") and a.get("BASEFORM", "").endswith("n")
            ):
                word += "n"
    return word


def lemma_for(pos: str, orth: str, a: dict[str, str], prefix: str) -> str | None:
    base = a.get("BASEFORM")
    if pos in ("AUX", "VERB") and "PARTICIPLE" in a:
        return prefix + _participle_lemma(a)
    if pos == "NOUN" and a.get("MOOD") == "MINEN-infinitive":
        lemma = _minen_lemma(a)
        return prefix + lemma if lemma else None
    if pos in ("NOUN", "NUM", "PROPN") and ":" in orth:
        return orth[: orth.find(":")]  # EU:ssa -> EU
    if pos in ("ADV", "ADP"):
        return _adv_lemma(a, orth.lower())
    if base is None:
        return None
    if base == "joka" and a.get("FOCUS") == "kin":
        return "jokin"  # jossakin, jotakin: the indefinite pronoun, not the relative one
    if a.get("NUMBER") == "plural":
        base = _plurale_tantum(base)  # vaaleissa -> vaalit, työmarkkinoilla -> työmarkkinat
    if pos == "PROPN" and base and base[0].islower() and orth[0].isupper():
        base = base[0].upper() + base[1:]
    return prefix + base


# Words used only in the plural keep a plural lemma (UD): Voikko's baseform is singular.
PLURALIA_TANTUM = {
    "vaali": "vaalit",
    "hää": "häät",
    "kasvo": "kasvot",
    "aivo": "aivot",
    "housu": "housut",
    "saksi": "sakset",
    "markkina": "markkinat",
    "silmälasi": "silmälasit",
    "tikas": "tikkaat",
    "yhdysvalta": "Yhdysvallat",
    "alankomaa": "Alankomaat",
    "filippiini": "Filippiinit",
}


def _plurale_tantum(base: str) -> str:
    """The plural lemma if `base` (or its compound head) is only used in the plural."""
    low = base.lower()
    for singular, plural in PLURALIA_TANTUM.items():
        if low.endswith(singular):
            cut = len(base) - len(singular)
            return base[:cut] + (plural if cut else base[:1] + plural[1:])
    return base
