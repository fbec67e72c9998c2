"""Finnish lemmatisers by name: `make("voikko-ctx")`, `make("spacy-fi")`, `make("simplemma")`.

Every backend has `lemmatise_tokens(sentences)` (gold tokens in, one full lemma per token out;
what benchmarks call) and `analyse(text)` (tokenise + lemma + coarse POS + compound parts; what
the lemmatise stage calls).

`voikko-ctx` (the default) is built on one observation: most Finnish word forms have a single
possible lemma, so a per-form cache answers them without any tagger. For each form we generate
*readings* — (UD part of speech, lemma) pairs from Voikko's analyses, converted to UD-TDT lemma
conventions the way spacy-fi does it for a known POS (participles -> verb: `tehty` -> `tehdä`;
`-minen` nouns; `EU:ssa` -> `EU`; adverbs/adpositions keep their form: `esimerkiksi`). Only
forms whose readings disagree on the lemma (`kuin`: kuu/kuin, `vuotta`: vuo/vuosi, `Suomen`:
suomi/Suomi) go to a small averaged-perceptron model that scores readings with features of the
form and of its neighbours' Voikko classes. The model is a JSON file in `nlp/data/`, trained by
`python -m pipeline.nlp.train_lemmas` on half of the UD dev documents (the other half held out).

Also: spoken forms Voikko does not know are restored before analysis (`siel` -> `siellä`,
`ollu` -> `ollut`, `kaks` -> `kaksi`: client feedback is written as spoken); pluralia tantum
keep a plural lemma (`vaaleissa` -> `vaalit`, `työmarkkinoilla` -> `työmarkkinat`). Speed: Voikko
is called through `fastvoikko` (only the attributes read here), each form once per cache, and
with `workers=2` a large batch of new forms is shared with a forked worker process.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pipeline.errors import ConfigError, EnvironmentProblem
from pipeline.nlp.fastvoikko import FastVoikko

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_PATH = DATA_DIR / "lemma_disambiguator_fi.json"
EXC_PATH = DATA_DIR / "lemma_exc_fi.json"

# Placeholders written by the redact stage, with an optional case ending: <HENKILÖ_1>:lle
PLACEHOLDER_RE = re.compile(r"<[A-ZÅÄÖ]+(?:_[A-ZÅÄÖ]+)*(?:_\d+)?>(?::[a-zåäö]+)?")
TOKEN_RE = re.compile(
    r"<[A-ZÅÄÖ]+(?:_[A-ZÅÄÖ]+)*(?:_\d+)?>(?::[a-zåäö]+)?"  # placeholder
    r"|\d+(?:[.,:]\d+)*(?::[a-zåäö]+)?"  # 1,5  12.3.2024  5:ssä
    r"|[^\W\d_]+(?:[-'’:][^\W\d_]+)*-?"  # words, aamu-uninen, EU:ssa, sosiaali- (ja terveys-)
    r"|\S",
)
_PUNCT_RE = re.compile(r"^[^\w]+$")
_NUM_RE = re.compile(r"^[\d.,:/%+\-–]+$")


@dataclass(frozen=True)
class Token:
    """One token of running text."""

    text: str
    lemma: str
    pos: str  # coarse UD POS; PLACEHOLDER for redaction placeholders, X when unknown
    start: int
    known: bool = True  # False: the analyser did not know the word
    parts: tuple[str, ...] = field(default_factory=tuple)  # compound parts, in lemma form


class Lemmatiser(Protocol):
    name: str

    def lemmatise_tokens(self, sentences: list[list[str]]) -> list[list[str]]: ...

    def analyse(self, text: str) -> list[Token]: ...


def tokenise(text: str) -> list[tuple[str, int]]:
    """Words, numbers, placeholders and single punctuation marks with their offsets."""
    return [(m.group(), m.start()) for m in TOKEN_RE.finditer(text)]


def is_placeholder(token: str) -> bool:
    return token[:1] == "<" and PLACEHOLDER_RE.fullmatch(token) is not None


# ---------------------------------------------------------------------------------------------
# Readings: Voikko analyses -> (UD POS, lemma), following spacy-fi's VoikkoLemmatizer rules
# (MIT, github.com/aajanki/spacy-fi) but generating every POS Voikko allows instead of one.

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
_POS_ORDER = (
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
_AUX_LEMMAS = frozenset(
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


def _compatible(pos: str, cls: str, a: dict[str, str]) -> bool:
    if cls in _CLASSES_BY_POS.get(pos, ()):
        if pos == "AUX" and cls == "teonsana":
            return a.get("BASEFORM") in _AUX_LEMMAS
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


def _lemma_for(pos: str, orth: str, a: dict[str, str], prefix: str) -> str | None:
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


@dataclass(frozen=True)
class Reading:
    pos: str
    lemma: str
    feats: tuple[str, ...]  # static features (form + analysis), scored once per form


def _unknown_lemma(orth: str) -> tuple[str, str]:
    """Lemma and POS of a form Voikko does not know (punctuation, numbers, foreign names)."""
    if _PUNCT_RE.match(orth):
        return orth, "PUNCT"
    if _NUM_RE.match(orth):
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
        lemma = _lemma_for(pos, orth, analyses[0], prefix) if pos else None
        if lemma:
            return [Reading(pos, lemma, ())]
    adverbish = closed_form
    for rank, a in enumerate(analyses):
        if a.get("SIJAMUOTO") in _ADVERBISH_CASES or a.get("COMPARISON") in _COMPARED:
            adverbish = True  # usein, kovin, tarkemmin, asiassa
        cls = a.get("CLASS", "")
        for pos in _POS_BY_CLASS.get(cls, _POS_ORDER):
            if not _compatible(pos, cls, a) or (
                pos == "ADP" and not closed_form and cls == "nimisana"
            ):
                continue
            lemma = _lemma_for(pos, orth, a, prefix)
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
        return None if a.get("BASEFORM") in _AUX_LEMMAS else "VERB"
    return _SINGLE_POS.get(cls)


def _parts(a: dict[str, str]) -> int:
    return a.get("STRUCTURE", "").count("=")


_ADVERBISH_CASES = frozenset({"keinonto", "kerrontosti", "olento", "sisaolento"})
_COMPARED = frozenset({"comparative", "superlative"})
# Which POS each Voikko class can be (checked further by _compatible); in _POS_ORDER order.
_POS_BY_CLASS = {
    cls: tuple(p for p in _POS_ORDER if p in ps)
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


# ---------------------------------------------------------------------------------------------


class _FormInfo:
    """What the cache keeps per word form."""

    __slots__ = ("amb_class", "known", "lemma", "pos", "readings", "static")

    def __init__(
        self,
        lemma: str,
        pos: str,
        known: bool,
        readings: list[Reading],
        static: list[float],
        amb_class: str,
    ) -> None:
        self.lemma = lemma  # the answer when the form is unambiguous (or the prior otherwise)
        self.pos = pos
        self.known = known
        self.readings = readings  # only kept for ambiguous forms
        self.static = static
        self.amb_class = amb_class  # neighbours see this: e.g. "NOUN|VERB", "PUNCT"


class VoikkoContextLemmatiser:
    """Voikko readings + per-form cache + a small context model for ambiguous forms."""

    name = "voikko-ctx"

    def __init__(
        self, model_path: Path | None = MODEL_PATH, cache_size: int = 500_000, workers: int = 1
    ) -> None:
        self.voikko = FastVoikko(_open_voikko(), bases_when_derived=True)
        self.exc = _exceptions_by_form(_read_json(EXC_PATH))
        self.weights: dict[str, float] = {}
        self.memory: dict[str, list[str]] = {}
        self.closed: frozenset[str] | None = None  # None: all forms may be closed-class
        self.vocab: frozenset[str] = frozenset()
        self.model_meta: dict[str, Any] = {}
        if model_path is not None:
            model = _read_json(model_path)
            self.weights = model["weights"]
            self.vocab = frozenset(model["context_vocab"])
            self.memory = model["memory"]
            self.closed = frozenset(model["closed_forms"])
            self.model_meta = {
                k: v
                for k, v in model.items()
                if k not in ("weights", "context_vocab", "memory", "closed_forms")
            }
        self.context_weights = _weights_by_pos(self.weights)
        self.cache: dict[str, _FormInfo] = {}
        self.cache_size = cache_size
        self._lock = threading.Lock()
        self._compounds: Any = None
        self.workers = max(int(workers), 1)
        self._pool: Any = None  # started at the first prefill that needs it
        self._finalizer: Any = None

    def close(self) -> None:
        """Stop the worker processes (also done when the lemmatiser is garbage-collected)."""
        if self._finalizer is not None:
            self._finalizer()
        self._pool = self._finalizer = None

    # -- per-form ----------------------------------------------------------------------------
    def clear_cache(self) -> None:
        """Forget every form seen (benchmarks measure the cold-cache speed)."""
        self.cache.clear()

    def info(self, orth: str) -> _FormInfo:
        """What the lemmatiser knows of a word form (cached)."""
        hit = self.cache.get(orth)
        if hit is not None:
            return hit
        info = self.analyse_form(orth)
        if len(self.cache) >= self.cache_size:
            self.cache.clear()  # simple bound; Zipf refills the frequent forms at once
        self.cache[orth] = info
        return info

    def analyse_form(self, orth: str) -> _FormInfo:
        """`info` without the cache."""
        readings = make_readings(self.voikko, orth, self.exc, self.memory, self.closed)
        known = bool(readings)
        if not readings:
            lemma, pos = _unknown_lemma(orth)
            if pos in ("PUNCT", "NUM"):
                return _FormInfo(lemma, pos, True, [], [], pos)
            readings = guess_readings(orth) if orth.isalpha() else [Reading(pos, lemma, ())]
            for mem in self.memory.get(orth.lower(), ()):
                readings.append(Reading("X", mem, ("mem", "mem|unk")))
        amb = "|".join(sorted({r.pos for r in readings})) if known else "UNK"
        if len({r.lemma for r in readings}) == 1:
            # One lemma (most forms): no scores needed; the first reading's POS is the answer.
            first = readings[0]
            return _FormInfo(first.lemma, first.pos, known, [], [], amb)
        w = self.weights
        static = [sum(w.get(f, 0.0) for f in r.feats) for r in readings]
        best = max(range(len(readings)), key=static.__getitem__)
        return _FormInfo(readings[best].lemma, readings[best].pos, known, readings, static, amb)

    def context_features(self, forms: list[str], infos: list[_FormInfo], i: int) -> list[str]:
        """Features of the neighbourhood of token i (conjoined with each reading's POS)."""
        n = len(forms)
        prev = infos[i - 1].amb_class if i > 0 else "BOS"
        nxt = infos[i + 1].amb_class if i + 1 < n else "EOS"
        prev2 = infos[i - 2].amb_class if i > 1 else "BOS"
        pw = forms[i - 1].lower() if i > 0 else "<s>"
        nw = forms[i + 1].lower() if i + 1 < n else "</s>"
        feats = [
            f"pc={prev}",
            f"nc={nxt}",
            f"pc2={prev2}|pc={prev}",
            f"pc={prev}|nc={nxt}",
            f"first={i == 0}",
            f"capmid={i > 0 and forms[i][:1].isupper()}",
        ]
        if pw in self.vocab:
            feats.append(f"pw={pw}")
        if nw in self.vocab:
            feats.append(f"nw={nw}")
        return feats

    def choose(self, info: _FormInfo, ctx: list[str]) -> int:
        """The reading with the best static + context score (the first one on a tie)."""
        best, best_score = 0, float("-inf")
        for k, r in enumerate(info.readings):
            score = info.static[k]
            w = self.context_weights.get(r.pos)
            if w:
                for f in ctx:
                    score += w.get(f, 0.0)
            if score > best_score:
                best, best_score = k, score
        return best

    def _sentence(self, forms: list[str]) -> list[tuple[str, _FormInfo, int]]:
        infos = [self.info(f) for f in forms]
        out = []
        for i, info in enumerate(infos):
            if info.readings:
                k = self.choose(info, self.context_features(forms, infos, i))
                out.append((info.readings[k].lemma, info, k))
            else:
                out.append((info.lemma, info, -1))
        return out

    def prefill(self, forms: Iterable[str]) -> int:
        """Analyse the forms not yet cached, sharing them with the worker processes.

        Worth it only for many new forms (a cold start on a large corpus); below
        `PARALLEL_MIN_FORMS`, or with `workers=1`, the forms are left to the serial path.
        Returns how many forms the workers analysed.
        """
        if self.workers < 2:
            return 0
        new = [f for f in dict.fromkeys(forms) if f not in self.cache]
        if len(new) < PARALLEL_MIN_FORMS:
            return 0
        if self._pool is None:
            self._pool = _start_pool(self, self.workers - 1)
            self._finalizer = weakref.finalize(self, self._pool.shutdown, cancel_futures=True)
        # The main process takes the first share and also unpickles the others' results.
        shares = [new[i :: self.workers] for i in range(self.workers)]
        futures = [self._pool.submit(_worker_infos, share) for share in shares[1:]]
        with self._lock:
            for f in shares[0]:
                self.info(f)
        done = 0
        for share, future in zip(shares[1:], futures, strict=True):
            infos = future.result()
            with self._lock:
                if len(self.cache) + len(share) > self.cache_size:
                    self.cache.clear()
                self.cache.update(zip(share, infos, strict=True))
            done += len(share)
        return done

    # -- public --------------------------------------------------------------------------------
    def lemmatise_tokens(self, sentences: list[list[str]]) -> list[list[str]]:
        self.prefill(f for s in sentences for f in s)
        with self._lock:  # libvoikko handles are not thread-safe
            return [[lemma for lemma, _, _ in self._sentence(s)] for s in sentences]

    def analyse(self, text: str) -> list[Token]:
        from pipeline.nlp import compounds

        if self._compounds is None:
            self._compounds = compounds.CompoundSplitter(FastVoikko(self.voikko.voikko))
        toks = tokenise(text)
        out: list[Token] = []
        with self._lock:
            # Placeholders are kept out of the model's view (as unknown words) and never lemmas.
            held = [is_placeholder(t) for t, _ in toks]
            forms = [t if not ph else "<PH>" for (t, _), ph in zip(toks, held, strict=True)]
            chosen = self._sentence(forms)
            for (orth, start), ph, (lemma, info, k) in zip(toks, held, chosen, strict=True):
                if ph:
                    out.append(Token(orth, orth, "PLACEHOLDER", start, known=False))
                    continue
                pos = info.readings[k].pos if k >= 0 else info.pos
                parts = ()
                if pos in _SPLIT_POS and len(orth) > 6:
                    parts = self._compounds.parts(orth, lemma)
                out.append(Token(orth, lemma, pos, start, info.known, parts))
        return out


_SPLIT_POS = frozenset({"NOUN", "ADJ", "PROPN"})

# Fewer new forms than this are analysed in the calling process: handing work to a worker and
# unpickling its answers costs more than it saves.
PARALLEL_MIN_FORMS = 1000
_WORKER: VoikkoContextLemmatiser | None = None


def _start_pool(lemmatiser: VoikkoContextLemmatiser, n: int) -> Any:
    """`n` forked worker processes holding a copy of `lemmatiser` (model and Voikko handle).

    Fork, not spawn: a worker is ready in milliseconds and needs no importable `__main__`. The
    workers only run Voikko and pure Python, so threads of the parent (pyarrow, BLAS) that do
    not survive the fork are never needed there.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=n,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_init_worker,
        initargs=(lemmatiser,),
    )


def _init_worker(lemmatiser: VoikkoContextLemmatiser) -> None:
    global _WORKER
    _WORKER = lemmatiser
    _WORKER.cache.clear()  # answers come from analyse_form; the parent keeps the cache


def _worker_infos(forms: list[str]) -> list[_FormInfo]:
    assert _WORKER is not None, "worker not initialised"
    return [_WORKER.analyse_form(f) for f in forms]


class SpacyFiLemmatiser:
    """spacy-fi (`spacy_fi_experimental_web_md`) with only tok2vec + morphologizer + lemmatizer.

    The lemmatiser reads token.dep for a few subject/object rules; without the parser those rules
    are skipped, which is the lemma-only configuration DESIGN.md measured.
    """

    name = "spacy-fi"
    keep = ("tok2vec", "morphologizer", "lemmatizer")

    def __init__(self) -> None:
        try:
            import spacy_fi_experimental_web_md
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise EnvironmentProblem(
                "spacy-fi model not installed (pip install spacy-fi-experimental-web-md)"
            ) from exc
        base = spacy_fi_experimental_web_md.load()
        exclude = [p for p in base.pipe_names if p not in self.keep]
        self.nlp = spacy_fi_experimental_web_md.load(exclude=exclude)
        self._compounds: Any = None

    def lemmatise_tokens(self, sentences: list[list[str]]) -> list[list[str]]:
        from spacy.tokens import Doc

        docs = (Doc(self.nlp.vocab, words=s) for s in sentences if s)
        done = iter(self.nlp.pipe(docs, batch_size=256))
        return [[t.lemma_ for t in next(done)] if s else [] for s in sentences]

    def analyse(self, text: str) -> list[Token]:
        from pipeline.nlp import compounds

        if self._compounds is None:
            self._compounds = compounds.CompoundSplitter(_open_voikko())
        out = []
        for t in self.nlp(text):
            if t.is_space:
                continue
            if is_placeholder(t.text):
                out.append(Token(t.text, t.text, "PLACEHOLDER", t.idx, known=False))
                continue
            parts = self._compounds.parts(t.text, t.lemma_) if t.pos_ in ("NOUN", "ADJ") else ()
            out.append(Token(t.text, t.lemma_, t.pos_ or "X", t.idx, True, parts))
        return out


class SimplemmaLemmatiser:
    """simplemma's Finnish dictionary: pip-only fallback, no POS, no compounds."""

    name = "simplemma"

    def __init__(self) -> None:
        import simplemma

        self._lemmatize = simplemma.lemmatize

    def lemmatise_tokens(self, sentences: list[list[str]]) -> list[list[str]]:
        return [[self._lemma(t) for t in s] for s in sentences]

    def _lemma(self, orth: str) -> str:
        if _PUNCT_RE.match(orth) or _NUM_RE.match(orth):
            return orth
        return self._lemmatize(orth, lang="fi")

    def analyse(self, text: str) -> list[Token]:
        out = []
        for orth, start in tokenise(text):
            if is_placeholder(orth):
                out.append(Token(orth, orth, "PLACEHOLDER", start, known=False))
            elif _PUNCT_RE.match(orth):
                out.append(Token(orth, orth, "PUNCT", start))
            elif _NUM_RE.match(orth):
                out.append(Token(orth, orth, "NUM", start))
            else:
                out.append(Token(orth, self._lemma(orth), "X", start))
        return out


_REGISTRY: dict[str, Callable[[], Lemmatiser]] = {
    "voikko-ctx": VoikkoContextLemmatiser,
    "voikko-nomodel": lambda: _named(VoikkoContextLemmatiser(model_path=None), "voikko-nomodel"),
    "spacy-fi": SpacyFiLemmatiser,
    "simplemma": SimplemmaLemmatiser,
}


def _named(obj: Any, name: str) -> Any:
    obj.name = name
    return obj


def names() -> list[str]:
    return sorted(_REGISTRY)


def make(name: str, *, workers: int = 1) -> Lemmatiser:
    """A lemmatiser by registry name (`params.yaml > lemmatise.backend`).

    `workers` > 1: voikko-ctx analyses large batches of new word forms in that many processes
    (the others ignore it).
    """
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise ConfigError(
            f"lemmatise.backend: unknown lemmatiser {name!r}; choose one of {', '.join(names())}"
        ) from None
    if workers > 1 and factory is VoikkoContextLemmatiser:
        return VoikkoContextLemmatiser(workers=workers)
    return factory()


def _open_voikko() -> Any:
    try:
        import libvoikko

        return libvoikko.Voikko("fi")
    except (ImportError, OSError, Exception) as exc:  # libvoikko raises a bare Exception
        raise EnvironmentProblem(
            "Voikko with a Finnish dictionary is needed: apt-get install libvoikko1 voikko-fi "
            f"({exc.__class__.__name__})"
        ) from exc


# Dialect pronouns Voikko does not know (eastern and spoken Finnish), beside the JSON table.
COLLOQUIAL_PRONOUNS = {"mie": "minä", "sie": "sinä", "miun": "minä", "siun": "sinä"}


def _weights_by_pos(weights: dict[str, float]) -> dict[str, dict[str, float]]:
    """`POS^feature` weights as {POS: {feature: weight}}: no string building per token."""
    by_pos: dict[str, dict[str, float]] = {}
    for key, weight in weights.items():
        pos, hat, feature = key.partition("^")
        if hat:
            by_pos.setdefault(pos, {})[feature] = weight
    return by_pos


def _exceptions_by_form(table: dict[str, Any]) -> dict[str, tuple[tuple[str, str], ...]]:
    """{POS: {form: lemma}} (the JSON file) -> {form: ((POS, lemma), ...)} in _POS_ORDER."""
    by_form: dict[str, list[tuple[str, str]]] = {}
    table = {**table, "PRON": {**table.get("PRON", {}), **COLLOQUIAL_PRONOUNS}}
    for pos in _POS_ORDER:
        for form, lemma in table.get(pos, {}).items():
            by_form.setdefault(form, []).append((pos, lemma))
    return {form: tuple(pairs) for form, pairs in by_form.items()}


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise EnvironmentProblem("lemmatiser data file missing", file=path) from exc
