"""Person (and place) names in running Finnish text, in every case form.

Evidence is combined, because each source alone misses too much (Turku NER dev: spaCy-fi NER
alone leaves ~23 % of person-name tokens; rules fitted to dev left 54 /1000 on the unseen Turku
NER training split):
- the learned tagger's marginals (`tagger.py`, trained on the Turku NER and TurkuONE training
  splits): alone at P(person) >= `threshold`, and as a veto on the rules below `veto`
  (`NameFinder._weigh`),
- spaCy-fi NER `PERSON` entities (optional and off by default: it added no recall over the
  other sources on Turku NER dev or the sample, at 10-30x the time),
- Voikko's proper-name classes: `etunimi`, `sukunimi` (person), `paikannimi` (place),
- capitalised words Voikko does not know (`Jonnan`, `Showroomilla`: most are names),
- a first name at a sentence start even when it is also a word (`Helmi saano et…`),
- context cues from `configs/redaction.yaml` (`sisko Satu`, `nimeltään Usko`),
- the same name elsewhere in the document, in any case form and also in lowercase,
- names from the record's structured fields, matched by Voikko baseform or by stem, so
  `Virtanen` in the client column also finds `Virtaselle` and `virtasen`,
- name particles between parts of a name (`Robin van Persie`, `al-Lamin`), regnal numbers
  (`Kaarle XII`), initials with their full stop (`J. Straw`).

Each hit carries the Finnish case ending to keep (`Virtaselle` -> `lle`) and a key (baseform)
so the same person gets the same placeholder number throughout a document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.redaction.identifiers import HENKILO, PAIKKA
from pipeline.redaction.tagger import TokenProbs

# `nimi` is Voikko's class for other proper names (`Poseidon`); in our texts mostly people.
PERSON_CLASSES = frozenset({"etunimi", "sukunimi", "nimi"})
PLACE_CLASSES = frozenset({"paikannimi"})
PROPER_CLASSES = PERSON_CLASSES | PLACE_CLASSES
# Readings that a proper noun can share: nouns and adjectives (`Kivi`, `Aalto`, `Onni`), never
# pronouns, verbs or conjunctions (`Se`, `Tee`, `Kun` at a sentence start are not names).
NOMINAL_CLASSES = PROPER_CLASSES | {"nimisana", "laatusana", "nimisana_laatusana"}
COMMON_CLASSES = frozenset({"nimisana", "laatusana", "nimisana_laatusana", "teonsana"})
NOUN_CLASSES = frozenset({"nimisana", "nimisana_laatusana"})
# `Hypatia-niminen tytär`: the part before the hyphen is a name.
NAMED = frozenset({"niminen", "nimi"})
# Never a name even when capitalised mid-sentence (titles: `Tee Se Itse`).
FUNCTION_CLASSES = frozenset(
    {
        "asemosana",
        "sidesana",
        "suhdesana",
        "kieltosana",
        "lukusana",
        "huudahdussana",
        "seikkasana",
        "lyhenne",
    }
)

# Evidence that only the record or its writer can give: the tagger does not overrule it.
STRONG_SOURCES = frozenset(
    {"known_name", "cue", "nickname", "name_before_hyphen", "ner", "particle_name"}
)

# A regnal number after a name: `Kaarle XII`, `Antiokhos IV:n`.
REGNAL_RE = re.compile(r"[IVX]{1,5}(?::[a-zäö]+)?")

# Letters with inner hyphens, apostrophes or a colon before a case ending:
# `Anna-Liisalle`, `O'Brienin`, `Jiang:lle`.
WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’:][^\W\d_]+)*")
SENTENCE_BREAK = set('.!?:;"»”“(–—-•*\n')

# Where the case ending sits at the end of the surface form, by Voikko's SIJAMUOTO.
# `Mattia` -> `a`, `Virtasta` -> `ta`, `Virtaseen` -> `een`, `Liisalle` -> `lle`.
CASE_ENDINGS: dict[str, re.Pattern[str]] = {
    "omanto": re.compile(r"n$"),
    "osanto": re.compile(r"(?<=[^aeiouyäö])t[aä]$|[aä]$"),
    "sisaolento": re.compile(r"ss[aä]$"),
    "sisaeronto": re.compile(r"st[aä]$"),
    "sisatulento": re.compile(r"(?:h[aeiouyäö]n|seen|siin|[aeiouyäö]{1,2}n)$"),
    "ulkoolento": re.compile(r"ll[aä]$"),
    "ulkoeronto": re.compile(r"lt[aä]$"),
    "ulkotulento": re.compile(r"lle$"),
    "olento": re.compile(r"n[aä]$"),
    "tulento": re.compile(r"ksi$"),
    "vajanto": re.compile(r"tt[aä]$"),
    "seuranto": re.compile(r"ine$"),
}
CLITIC_RE = re.compile(r"(?:kin|kaan|kään|ko|kö|han|hän|pa|pä|s)$")
# For words Voikko does not know: the endings we dare to strip (longest first).
GUESS_ENDINGS = (
    "ltä",
    "lta",
    "llä",
    "lla",
    "lle",
    "ssa",
    "ssä",
    "sta",
    "stä",
    "ksi",
    "ineen",
    "iin",
    "lle",
    "n",
)


@dataclass(frozen=True)
class NameConfig:
    """Word lists from `configs/redaction.yaml` (see the comments there)."""

    cues_before: frozenset[str] = frozenset()
    cues_after: frozenset[str] = frozenset()
    allow_words: frozenset[str] = frozenset()
    nicknames: frozenset[str] = frozenset()
    place_names: bool = True
    ner_non_person: frozenset[str] = frozenset()
    unknown_capitalised: bool = True
    capitalised_common: bool = False
    initial_first_names: bool = True
    particles: frozenset[str] = frozenset()
    # The learned tagger's operating point (params.yaml > redact.tagger): a token whose marginal
    # P(person) reaches `threshold` is a name on the tagger's word alone; rule evidence for a
    # person (Voikko name class, unknown capitalised word...) stands unless P(person) is below
    # `veto`; a token with P(place) >= `place_threshold` is a place.
    threshold: float = 0.1
    veto: float = 0.01
    place_threshold: float = 0.5


@dataclass
class NameHit:
    start: int
    end: int
    label: str
    source: str
    key: str
    ending: str = ""


@dataclass
class _Token:
    start: int
    end: int
    text: str
    initial: bool
    analyses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def capitalised(self) -> bool:
        # a script without letter case (`天津飯`) counts as capitalised: in Finnish text such a
        # word is almost always a name
        first = self.text[:1]
        return first.isupper() or first.lower() == first.upper()

    @property
    def classes(self) -> set[str]:
        return {a.get("CLASS", "") for a in self.analyses}


class Morphology:
    """Voikko analyses with a per-word cache (names repeat a lot in a document)."""

    def __init__(self, voikko: Any) -> None:
        self._voikko = voikko
        self._cache: dict[str, list[dict[str, Any]]] = {}

    def analyse(self, word: str) -> list[dict[str, Any]]:
        hit = self._cache.get(word)
        if hit is None:
            base = word.split(":", 1)[0] if ":" in word else word
            hit = [dict(a) for a in self._voikko.analyze(base)] if base else []
            if len(self._cache) < 500_000:
                self._cache[word] = hit
        return hit

    def baseforms(self, word: str, classes: frozenset[str] | None = None) -> set[str]:
        return {
            a["BASEFORM"].lower()
            for a in self.analyse(word)
            if a.get("BASEFORM") and (classes is None or a.get("CLASS") in classes)
        }


def tokenise(text: str, protected: Sequence[tuple[int, int]] = ()) -> list[_Token]:
    """Word tokens with a sentence-initial flag; tokens inside `protected` ranges are skipped."""
    tokens = []
    for m in WORD_RE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in protected):
            continue
        before = text[: m.start()].rstrip(" \t")
        initial = not before or before[-1] in SENTENCE_BREAK or before.endswith("\n")
        tokens.append(_Token(m.start(), m.end(), m.group(0), initial))
    return tokens


def case_ending(surface: str, analyses: Iterable[dict[str, Any]]) -> str:
    """The inflectional ending to keep after a placeholder: `Virtaselle` -> `lle`, `Matti` -> ``."""
    if ":" in surface:  # `Jiang:lle`, `EU:ssa`: the writer already marked it
        return surface.rsplit(":", 1)[1].lower()
    word = surface.lower()
    for analysis in analyses:
        if analysis.get("CLASS") not in PROPER_CLASSES:
            continue
        case = analysis.get("SIJAMUOTO", "")
        if case == "nimento":
            return ""
        pattern = CASE_ENDINGS.get(case)
        if pattern is None:
            continue
        stem, clitic = word, ""
        if analysis.get("FOCUS") or analysis.get("KYSYMYSLIITE"):
            m = CLITIC_RE.search(word)
            if m:
                stem, clitic = word[: m.start()], m.group(0)
        m = pattern.search(stem)
        if m and m.start() >= 2:
            return m.group(0) + clitic
    return ""


def guess_ending(surface: str) -> str:
    """A conservative ending for a word Voikko does not know (`Jonnalle` -> `lle`)."""
    if ":" in surface:
        return surface.rsplit(":", 1)[1].lower()
    word = surface.lower()
    for ending in GUESS_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            if ending == "n" and word[-2] not in "aeiouyäö":
                return ""
            return ending
    return ""


class KnownNames:
    """Names from a record's structured fields, matched in any inflected form."""

    def __init__(self, names: Iterable[str], morph: Morphology) -> None:
        self.keys: dict[str, str] = {}  # baseform or surface (lower) -> key
        self.stems: list[tuple[str, str]] = []  # (stem, key) for names Voikko does not know
        for full in names:
            for part in re.split(r"[\s,;/]+", full or ""):
                part = part.strip(".()'\"")
                if len(part) < 2 or not WORD_RE.fullmatch(part):
                    continue
                pieces = [part] + (part.split("-") if "-" in part else [])
                for piece in pieces:
                    if len(piece) < 2:
                        continue
                    key = piece.lower()
                    self.keys[key] = key
                    for base in morph.baseforms(piece, PERSON_CLASSES | {"nimi"}):
                        self.keys[base] = key
                    # Hölttänen -> Hölttäse-, Jiang -> Jiang-: a stem for unknown inflections
                    stem = key[:-3] + "s" if key.endswith("nen") else key
                    if len(stem) >= 3:
                        self.stems.append((stem, key))

    def __bool__(self) -> bool:
        return bool(self.keys)

    def match(self, word: str, morph: Morphology) -> str | None:
        lower = word.lower().split(":", 1)[0]
        if lower in self.keys:
            return self.keys[lower]
        for base in morph.baseforms(word):
            if base in self.keys:
                return self.keys[base]
        for stem, key in self.stems:
            if lower.startswith(stem) and len(lower) - len(stem) <= 6:
                rest = lower[len(stem) :]
                if not rest or re.fullmatch(
                    r"[aeiouyäö]?(?:n|a|ä|ta|tä|lle|lla|llä|lta|ltä|ssa"
                    r"|ssä|sta|stä|ksi|na|nä|en|in|een|iin|lla)"
                    r"(?:kin|kaan|kään|han|hän|ko|kö)?",
                    rest,
                ):
                    return key
        return None


class NameFinder:
    """Finds person and place names; see the module docstring for the evidence used."""

    def __init__(self, voikko: Any, config: NameConfig) -> None:
        self.morph = Morphology(voikko)
        self.config = config

    def find(
        self,
        text: str,
        *,
        known: KnownNames | None = None,
        ner: Sequence[tuple[int, int, str]] = (),
        protected: Sequence[tuple[int, int]] = (),
        person_placeholders: Sequence[tuple[int, int]] = (),
        probs: Sequence[TokenProbs] | None = None,
    ) -> list[NameHit]:
        """Name hits in `text`. `ner` holds (start, end, label) entities from spaCy; `probs` the
        learned tagger's marginals (`tagger.NameTagger.probabilities`), None without it."""
        from pipeline.nlp.language import detect_language

        tokens = tokenise(text, protected)
        for token in tokens:
            token.analyses = self.morph.analyse(token.text)
        swedish = detect_language(text) == "sv"
        ner_label = _label_tokens(tokens, ner)
        tagged = _token_probs(tokens, probs) if probs is not None else None
        labels: list[tuple[str, str] | None] = [None] * len(tokens)
        # "" = not a name; "name" = also a name (`Onni`); "proper" = capitalised mid-sentence
        # (`Kivi`) or an unknown all-caps word (`FISCHLER`); "initial" = capitalised at a
        # sentence start only (`Lintu, Jonna ja Minttu`).
        ambiguous: list[str] = [""] * len(tokens)

        for i, tok in enumerate(tokens):
            labels[i], ambiguous[i] = self._classify(
                tok, ner_label[i], known, tokens, i, text, swedish=swedish
            )
            if tagged is not None and tagged[i] is not None:
                labels[i], ambiguous[i] = self._weigh(
                    tok, labels[i], ambiguous[i], tagged[i], swedish=swedish
                )
        self._particles(tokens, labels, text)

        # Evidence spreads until nothing changes: a neighbour of a name joins it (`Onni Kivi`),
        # the same name elsewhere is a name too; a name found one way may enable the other, and
        # a second pass over redacted text must find nothing new (idempotence).
        while True:
            self._join_neighbours(tokens, labels, ambiguous, text, person_placeholders)
            self._particles(tokens, labels, text)
            same = self._same_names(tokens, labels, ambiguous)
            lower = self._lowercase_same_names(tokens, labels, known)
            if not (same or lower):
                break

        hits: list[NameHit] = []
        for i, tok in enumerate(tokens):
            if labels[i] is None:
                continue
            label, source = labels[i]
            if source == "name_before_hyphen":  # `Matti-setä` -> `<HENKILÖ_1>-setä`
                first = tok.text.split("-", 1)[0]
                key = next(iter(sorted(self.morph.baseforms(first, PERSON_CLASSES))), first.lower())
                hits.append(NameHit(tok.start, tok.start + len(first), label, source, key))
                continue
            # an initial keeps its full stop inside the span (`J. Straw`: `J.` whole, not `J`)
            end = tok.end + 1 if _is_initial(tok, text) else tok.end
            hits.append(
                NameHit(tok.start, end, label, source, self._key(tok, known), self._ending(tok))
            )
        return _merge_adjacent(hits, text)

    def _weigh(
        self,
        tok: _Token,
        label: tuple[str, str] | None,
        ambiguous: str,
        p: tuple[float, float, float, float],
        *,
        swedish: bool = False,
    ) -> tuple[tuple[str, str] | None, str]:
        """The rules' verdict weighed against the tagger's marginals (person, place,
        organisation, other name).

        Evidence that only this record can give (its name fields, `sisko Satu`, a nickname,
        `Matti-setä`) stands. The tagger alone finds a person at P >= threshold (`Aulis
        perääntyi`, `Hämäläinen sai`, `van` in `Robin van Persie`) unless the word is on the
        allow list (`Kelalta`); in a Swedish record, only a capitalised word that is no Swedish
        noun (not `Situationen`, `saknar`: the tagger learnt Finnish only). Where the tagger is
        sure a rule's person is none (P(person) below `veto`: an organisation, a product, a
        common word at a sentence start; `Showroomilla`, `Lumia`, `Vappuna`), the word stays, or
        is a place when the tagger reads it as one."""
        per, loc, _org, _misc = p
        cfg = self.config
        if label is not None and label[1] in STRONG_SOURCES:
            return label, ambiguous
        if ambiguous and len(tok.text) == 1:
            return label, ambiguous  # an initial joins a name beside it, whatever the tagger says
        listed = self._allow_listed(tok) or (
            swedish and (not tok.capitalised or _swedish_noun(tok))
        )
        if per >= cfg.threshold and not listed:
            return (HENKILO, "tagger"), ambiguous
        place = cfg.place_names and not listed and loc >= cfg.place_threshold
        if per < cfg.veto:
            # the tagger is sure it is no person: a rule's person goes; it may still join a
            # name beside it if Voikko knows it as a name (`Kai Mäkelä`: `kai` = probably)
            keep = ambiguous if tok.classes & PERSON_CLASSES else ""
            if place:
                return (PAIKKA, "tagger_place"), keep
            if label is not None and (label[0] == HENKILO or loc < cfg.veto):
                return None, keep
            return label, keep
        if label is None and place:
            return (PAIKKA, "tagger_place"), ambiguous
        return label, ambiguous

    def _nickname_form(self, tok: _Token) -> bool:
        """A case form of a listed first name, by Voikko's first-name reading (`ritvalle` ->
        Ritva): the ordinary-word readings (`ritva`, a twig) do not count."""
        return any(
            a.get("CLASS") == "etunimi" and a.get("BASEFORM", "").lower() in self.config.nicknames
            for a in tok.analyses
        )

    def _allow_listed(self, tok: _Token) -> bool:
        """On the configured allow list in any case form (`Kelalta`), or its first part is
        (`Kela-taksin`)."""
        allow = self.config.allow_words
        base_word = tok.text.lower().split(":", 1)[0]
        return (
            base_word in allow
            or base_word.split("-", 1)[0] in allow
            or any(a.get("BASEFORM", "").lower() in allow for a in tok.analyses)
        )

    def _particles(
        self, tokens: list[_Token], labels: list[tuple[str, str] | None], text: str
    ) -> None:
        """A name particle between two parts of a name joins it: `Robin van Persie`, `Eduardo da
        Silva`, `Ludwig van der Rohe`; `al-Lamin`, `el-Sayed` are names by their shape."""
        particles = self.config.particles
        for i, tok in enumerate(tokens):
            if labels[i] is not None:
                continue
            if (
                i > 0
                and _is_person(labels[i - 1])
                and REGNAL_RE.fullmatch(tok.text)
                and text[tokens[i - 1].end : tok.start] == " "
            ):
                labels[i] = (HENKILO, "regnal_number")  # `Kaarle XII`, `Antiokhos IV:n`
                continue
            low = tok.text.lower()
            head, sep, rest = tok.text.partition("-")
            if sep and head.lower() in particles and rest[:1].isupper():
                labels[i] = (HENKILO, "particle_name")
                continue
            if low not in particles or i == 0 or not _is_person(labels[i - 1]):
                continue
            j = i + 1
            while j < len(tokens) and tokens[j].text.lower() in particles and labels[j] is None:
                j += 1
            if (
                j < len(tokens)
                and tokens[j].capitalised
                and _adjacent(text, tokens[i - 1], tok)
                and _adjacent(text, tokens[j - 1], tokens[j])
            ):
                for k in range(i, j):
                    labels[k] = (HENKILO, "particle")
                if labels[j] is None or labels[j][0] != HENKILO:
                    labels[j] = (HENKILO, "particle")

    def _join_neighbours(
        self,
        tokens: list[_Token],
        labels: list[tuple[str, str] | None],
        ambiguous: list[str],
        text: str,
        person_placeholders: Sequence[tuple[int, int]],
    ) -> None:
        """Neighbours of a person name that could be names themselves join it: `Onni Kivi`,
        `Liisa Mäen`. Placeholders already in the text count as names (idempotence)."""
        placeholder_ends = {e for _, e in person_placeholders}
        placeholder_starts = {s for s, _ in person_placeholders}
        changed = True
        while changed:
            changed = False
            for i, tok in enumerate(tokens):
                if _is_person(labels[i]) or not ambiguous[i]:
                    continue
                close = ambiguous[i] != "initial"
                lists = ambiguous[i] != "place"
                left = (
                    i > 0
                    and _is_person(labels[i - 1])
                    and _adjacent(text, tokens[i - 1], tok, near=close, lists=lists)
                )
                right = (
                    i + 1 < len(tokens)
                    and _is_person(labels[i + 1])
                    and _adjacent(text, tok, tokens[i + 1], near=close, lists=lists)
                )
                near_ph = close and (
                    _ends_with_placeholder(text, tok.start, placeholder_ends)
                    or _starts_placeholder(text, tok.end, placeholder_starts)
                )
                pair = (
                    close
                    and lists
                    and i + 1 < len(tokens)
                    and ambiguous[i + 1] in ("name", "proper")
                    and _adjacent(text, tok, tokens[i + 1])
                    and (
                        bool((tok.classes | tokens[i + 1].classes) & PERSON_CLASSES)
                        or (len(tok.text) == 1 and tokens[i + 1].capitalised)
                    )
                )
                # `Pilvi Hämäläinen` at a sentence start: a noun before a known surname
                surname_next = (
                    ambiguous[i] == "initial"
                    and "nimisana" in tok.classes
                    and i + 1 < len(tokens)
                    and _is_person(labels[i + 1])
                    and "sukunimi" in tokens[i + 1].classes
                    and _adjacent(text, tok, tokens[i + 1])
                )
                if left or right or near_ph or pair or surname_next:
                    labels[i] = (HENKILO, "adjacent")
                    if pair:
                        labels[i + 1] = (HENKILO, "adjacent")
                    changed = True

    def _same_names(
        self,
        tokens: list[_Token],
        labels: list[tuple[str, str] | None],
        ambiguous: list[str],
    ) -> bool:
        """The same name elsewhere in the document: `Matin` at a sentence start is a name when
        `Matti` mid-sentence was one; `Lintu` everywhere once `Lintu, Jonna ja Minttu` was.
        True when a token was added."""
        person_bases = {
            b
            for tok in _name_evidence(tokens, labels)
            for b in self.morph.baseforms(tok.text, PERSON_CLASSES) | {tok.text.lower()}
        }
        added = False
        if person_bases:
            for i, tok in enumerate(tokens):
                if (
                    labels[i] is None
                    and ambiguous[i]
                    and tok.capitalised
                    and (
                        tok.text.lower() in person_bases
                        or self.morph.baseforms(tok.text) & person_bases
                    )
                ):
                    labels[i] = (HENKILO, "same_name")
                    added = True
        return added

    def _lowercase_same_names(
        self,
        tokens: list[_Token],
        labels: list[tuple[str, str] | None],
        known: KnownNames | None,
    ) -> bool:
        """A name found capitalised in this document is also a name written in lowercase
        (`Jonnan ... sit jonnan kaa`, `Nereidien ... nereidien kaupunki`): colloquial text drops
        capitals. Only words Voikko does not know: an ordinary word (`maan`, `onni`) is never
        masked for a namesake, and lowercase words Voikko reads only as names are found anyway
        (`voikko_name_lowercase`)."""
        keys = {self._key(tok, known) for tok in _name_evidence(tokens, labels)}
        if not keys:
            return False
        doc_names = KnownNames(keys, self.morph)
        added = False
        for i, tok in enumerate(tokens):
            if (
                labels[i] is None
                and not tok.capitalised
                and len(tok.text) >= 3
                and not tok.analyses
                and doc_names.match(tok.text, self.morph)
            ):
                labels[i] = (HENKILO, "same_name_lowercase")
                added = True
        return added

    # -- one token -------------------------------------------------------------------------
    def _classify(
        self,
        tok: _Token,
        ner_label: str | None,
        known: KnownNames | None,
        tokens: list[_Token],
        i: int,
        text: str,
        *,
        swedish: bool = False,
    ) -> tuple[tuple[str, str] | None, str]:
        cfg = self.config
        word = tok.text
        lower = word.lower()
        base_word = lower.split(":", 1)[0]
        if known and known.match(word, self.morph):
            return (HENKILO, "known_name"), ""
        if self._allowed(tok, base_word, swedish=swedish):
            return None, ""
        if _name_before_hyphen(tok, self.morph):
            return (HENKILO, "name_before_hyphen"), ""
        classes = tok.classes
        if not tok.capitalised:
            # lowercase: a person only if every reading is a singular first or last name
            # (`liisalle`, `virtaselle`; not `kait` = Kai plural, not `maan` = Maa/maa)
            if tok.analyses and all(
                a.get("CLASS") in ("etunimi", "sukunimi") and a.get("NUMBER") == "singular"
                for a in tok.analyses
            ):
                return (HENKILO, "voikko_name_lowercase"), ""
            if base_word in cfg.nicknames or self._nickname_form(tok):
                return (HENKILO, "nickname"), ""  # `ritvalle`: a listed first name, inflected
            return None, ""
        if base_word in cfg.cues_before:  # titles and kin words: `Komisario Palmu`
            return None, ""
        person = bool(classes & PERSON_CLASSES)
        place = bool(classes & PLACE_CLASSES)
        common = bool(classes - PROPER_CLASSES)
        is_acronym = word.isupper() and len(word) > 1
        # A cue counts only right beside the name: "asiakas <HENKILÖ_1>:lle. Matin" must not
        # cue `Matin` through a placeholder or a full stop (redaction stays idempotent).
        cue = (
            i > 0
            and tokens[i - 1].text.lower() in cfg.cues_before
            and tok.capitalised
            and not text[tokens[i - 1].end : tok.start].strip()
        )

        if ner_label == "PERSON" and (tok.capitalised or person or not tok.analyses):
            return (HENKILO, "ner"), ""
        if base_word in cfg.nicknames:
            return (HENKILO, "nickname"), ""
        if cue and not is_acronym:
            return (HENKILO, "cue"), ""
        if person and not common:
            if place and not tok.capitalised:
                return None, ""
            if place and ner_label in ("GPE", "LOC", "FAC"):
                return ((PAIKKA, "voikko_place") if cfg.place_names else None), "place"
            return (HENKILO, "voikko_name"), ""
        if person and common:
            # `Onni`, `Toivo`, `Mäki`: a name when capitalised mid-sentence, or before a cue
            # (`Matin äiti`, `Usko kertoi`)
            if tok.capitalised and not tok.initial and not is_acronym:
                return (HENKILO, "voikko_name_context"), ""
            nxt = tokens[i + 1].text.lower() if i + 1 < len(tokens) else ""
            beside = i + 1 < len(tokens) and not text[tok.end : tokens[i + 1].start].strip()
            if tok.capitalised and beside and nxt in cfg.cues_after:
                return (HENKILO, "cue_after"), ""
            if (
                cfg.initial_first_names
                and tok.capitalised
                and _first_name_reading(tok)
                and classes - PROPER_CLASSES <= NOUN_CLASSES  # `Ilman`, `Toivo`: no
            ):
                # `Helmi saano et…`, `Sarilta en oo kuullu`: in records a sentence that starts
                # with a first name is about that person far more often than about pearls
                return (HENKILO, "first_name_initial"), ""
            return None, "name"
        if place and not common:
            if tok.capitalised:
                return ((PAIKKA, "voikko_place") if cfg.place_names else None), "place"
            return None, ""
        if place and common and tok.capitalised and not tok.initial:
            return ((PAIKKA, "voikko_place_context") if cfg.place_names else None), ""
        if not tok.analyses and tok.capitalised and not is_acronym and cfg.unknown_capitalised:
            if ner_label in cfg.ner_non_person:
                if ner_label in ("GPE", "LOC", "FAC") and cfg.place_names:
                    return (PAIKKA, "ner_place"), ""
                return None, ""
            if len(word) >= 14 and word.isalpha() and self._common_compound(word):
                return None, ""  # `Takaisinperintäpäätös` at a sentence start
            return (HENKILO, "unknown_capitalised"), ""
        if (
            ner_label in ("GPE", "LOC", "FAC")
            and tok.capitalised
            and cfg.place_names
            and (not common or not tok.initial)
        ):
            return (PAIKKA, "ner_place"), ""
        # a capitalised ordinary word mid-sentence is a proper noun of some kind: a surname
        # when it stands next to a name (`Onni Kivi`)
        if is_acronym:
            return None, "proper" if not tok.analyses else ""
        if len(word) == 1 and text[tok.end : tok.end + 2] == ". ":
            return None, "proper"  # an initial: `Maija S. Peltola`, `I. Yates`
        if classes & FUNCTION_CLASSES:
            return None, ""
        if not tok.initial and cfg.capitalised_common and not _after_comma(text, tok):
            # (after a comma, informal writing often starts a new sentence: `…, Sairaalaan on`)
            return (HENKILO, "capitalised_midsentence"), ""
        if not classes <= NOMINAL_CLASSES:
            return None, ""
        return None, "initial" if tok.initial else "proper"

    def _allowed(self, tok: _Token, base_word: str, *, swedish: bool) -> bool:
        """Never a name: an allowed word in any case form (`Kelalta`: baseform `kela`), a
        hyphenated compound of one (`Kela-taksin`) or of a common head word (`Suomi-loma`,
        `Wilma-viestit`; not `Matti-setä`, `Hypatia-niminen`), a Swedish noun in its definite
        or plural form when the record is Swedish (`Klienten`, `Mötet`)."""
        allow = self.config.allow_words
        if base_word in allow:
            return True
        if any(a.get("BASEFORM", "").lower() in allow for a in tok.analyses):
            return True
        if "-" in base_word.strip("-"):
            first, _, head = base_word.strip("-").rpartition("-")
            if first.split("-")[0] in allow:
                return True
            head_word = tok.text.strip("-").rpartition("-")[2]
            head_bases = self.morph.baseforms(head_word) | {head}
            if (
                head_word.islower()
                and len(head) >= 3
                and not head_bases & (self.config.cues_before | self.config.cues_after | NAMED)
                and not self.morph.baseforms(tok.text.split("-")[0], PERSON_CLASSES)
                and not (tok.text[:1].isupper() and tok.classes & PERSON_CLASSES)  # `Halla-ahon`
                and any(a.get("CLASS") in COMMON_CLASSES for a in self.morph.analyse(head_word))
            ):
                return True
        return swedish and _swedish_noun(tok)

    def _common_compound(self, word: str) -> bool:
        """A long word Voikko does not know that ends in a common word of 5+ letters after a
        4+ letter first part: a compound (`takaisinperintä|päätös`), not a name. Finnish
        surnames of 14+ letters that Voikko does not know are rare."""
        low = word.lower()
        return any(
            any(a.get("CLASS") in COMMON_CLASSES for a in self.morph.analyse(low[cut:]))
            for cut in range(4, len(low) - 4)
        )

    def _key(self, tok: _Token, known: KnownNames | None) -> str:
        if known:
            key = known.match(tok.text, self.morph)
            if key:
                return key
        for a in tok.analyses:
            if a.get("CLASS") in PROPER_CLASSES and a.get("BASEFORM"):
                return a["BASEFORM"].lower()
        lower = tok.text.lower().split(":", 1)[0]
        ending = guess_ending(tok.text)
        return lower[: len(lower) - len(ending)] if ending and ":" not in tok.text else lower

    def _ending(self, tok: _Token) -> str:
        if tok.analyses:
            return case_ending(tok.text, tok.analyses)
        return guess_ending(tok.text)


def _label_tokens(tokens: list[_Token], ents: Sequence[tuple[int, int, str]]) -> list[str | None]:
    out: list[str | None] = [None] * len(tokens)
    if not ents:
        return out
    ents = sorted(ents)
    j = 0
    for i, tok in enumerate(tokens):
        while j < len(ents) and ents[j][1] <= tok.start:
            j += 1
        k = j
        while k < len(ents) and ents[k][0] < tok.end:
            if ents[k][1] > tok.start:
                out[i] = ents[k][2]
                break
            k += 1
    return out


def _adjacent(text: str, a: _Token, b: _Token, *, near: bool = True, lists: bool = False) -> bool:
    """`Onni Kivi`; `I. Yates` (an initial); with `lists`, also `Lintu, Jonna ja Minttu`."""
    between = text[a.end : b.start]
    if near and between in (" ", "-", " - "):
        return True
    if between == ". " and len(a.text) == 1 and a.text.isupper():
        return True
    return lists and between in (", ", " , ", " ja ", " tai ", " & ", " and ", " och ")


def _name_before_hyphen(tok: _Token, morph: Morphology) -> bool:
    """`Matti-setä`, `Liisa-tädille`: a first or last name joined to a lowercase word."""
    first, sep, rest = tok.text.partition("-")
    return bool(
        sep
        and first[:1].isupper()
        and rest[:1].islower()
        and morph.baseforms(first, frozenset({"etunimi", "sukunimi"}))
    )


def _is_initial(tok: _Token, text: str) -> bool:
    return len(tok.text) == 1 and tok.text.isupper() and text[tok.end : tok.end + 1] == "."


def _after_comma(text: str, tok: _Token) -> bool:
    return text[: tok.start].rstrip(" \t").endswith(",")


def _swedish_noun(tok: _Token) -> bool:
    """A capitalised word Voikko does not know that is a Swedish noun in a definite or plural
    form (`Klienten`, `Situationen`): in a Swedish record, never a name."""
    return not tok.analyses and tok.capitalised and _swedish_inflected(tok.text)


def _swedish_inflected(word: str) -> bool:
    """A Swedish noun in a definite or plural form (`Klienten` -> klient, `Mötet` -> möte),
    by simplemma's Swedish dictionary; names (`Karlsson`) keep their form."""
    import simplemma

    low = word.lower()
    return simplemma.is_known(low, lang="sv") and simplemma.lemmatize(low, lang="sv") != low


def _first_name_reading(tok: _Token) -> bool:
    """A singular first-name reading (`Helmi`, `Sarilta`, `Matille`), not only a surname."""
    return any(
        a.get("CLASS") == "etunimi" and a.get("NUMBER", "singular") == "singular"
        for a in tok.analyses
    )


def _name_evidence(tokens: list[_Token], labels: list[tuple[str, str] | None]) -> Iterator[_Token]:
    """Capitalised person tokens found on their own evidence (not only as a neighbour): the
    names whose other occurrences in the document are names too."""
    for tok, label in zip(tokens, labels, strict=True):
        if _is_person(label) and tok.capitalised and label[1] != "adjacent":
            yield tok


def _is_person(label: tuple[str, str] | None) -> bool:
    return label is not None and label[0] == HENKILO


def _ends_with_placeholder(text: str, start: int, ends: set[int]) -> bool:
    """`<HENKILÖ_1> Kivi` or `<HENKILÖ_1>:n Kivi`: the token follows a person placeholder."""
    before = text[:start]
    stripped = before.rstrip(" ")
    if len(stripped) != len(before) - 1:
        return False
    m = re.search(r"(?::[^\W\d_]+)?$", stripped)
    return (len(stripped) - (len(m.group(0)) if m else 0)) in ends


def _starts_placeholder(text: str, end: int, starts: set[int]) -> bool:
    return text[end : end + 1] == " " and (end + 1) in starts


def _merge_adjacent(hits: list[NameHit], text: str) -> list[NameHit]:
    """`Matti Virtanen` becomes one span: one placeholder, the ending of the last word."""
    merged: list[NameHit] = []
    for hit in sorted(hits, key=lambda h: h.start):
        if (
            merged
            and merged[-1].label == hit.label == HENKILO
            and text[merged[-1].end : hit.start] in (" ", "-")
            and not merged[-1].ending
        ):
            last = merged[-1]
            merged[-1] = NameHit(
                last.start, hit.end, last.label, last.source, last.key + " " + hit.key, hit.ending
            )
        else:
            merged.append(hit)
    return merged


def _token_probs(
    tokens: list[_Token], probs: Sequence[TokenProbs]
) -> list[tuple[float, float, float, float] | None]:
    """Each name-finder token's (person, place, org, other) marginals: the highest of the
    tagger's tokens it overlaps (the two tokenisers cut `H&M:n` or `Jiang:lle` alike, mostly);
    None where the tagger gave none (a sentence without capitals)."""
    out: list[tuple[float, float, float, float] | None] = []
    j = 0
    for tok in tokens:
        while j < len(probs) and probs[j].end <= tok.start:
            j += 1
        per = loc = org = misc = 0.0
        k = j
        while k < len(probs) and probs[k].start < tok.end:
            per = max(per, probs[k].per)
            loc = max(loc, probs[k].loc)
            org = max(org, probs[k].org)
            misc = max(misc, probs[k].misc)
            k += 1
        out.append((per, loc, org, misc) if k > j else None)
    return out
