"""A learned name tagger: a linear-chain CRF (CRFsuite) over Voikko-based word features.

Trained on the Turku NER and TurkuONE training splits (`python -m pipeline.redaction.train_names`,
see `data/README.md`); it gives each token the marginal probability of being part of a person
(PER), place (LOC), organisation (ORG) or other (MISC: product, event, work) name. The redactor
reads those probabilities beside its other evidence (`names.py`): the marginal, not the Viterbi
label, so the operating point is a threshold in `params.yaml` that can lean towards recall.

Why these features: a Finnish name is told apart by what Voikko knows of the word (a first or
last name, a place, an ordinary noun, or nothing at all), by its case ending (`Virtaselle`:
suffixes), by its shape and position (capitalised mid-sentence, or first in a sentence) and by
its neighbours (`sosiaaliohjaaja Lindholm`, `Robin van Persie`, `Kelan päätös`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_PATH = DATA_DIR / "names_crf_fi.crfsuite"
DATA_FILES = (MODEL_PATH,)  # a retrained model reruns the redact stage

TAGS = ("PER", "LOC", "ORG", "MISC", "O")
# Tokens as the training corpora cut them: words with inner hyphens, apostrophes, `&` or a colon
# before a case ending (`Halla-ahon`, `O'Brien`, `H&M:n`), numbers, and single punctuation marks.
# A placeholder the redactor wrote (`<HENKILÖ_1>:lle`) is one token.
TOKEN_RE = re.compile(
    r"<[A-ZÄÖ]+_\d+>(?::[^\W\d_]+)?|[^\W_]+(?:[-'’:&][^\W_]+)*|[^\w\s]",
)
PLACEHOLDER_TOKEN = re.compile(r"<[A-ZÄÖ]+_\d+>")
SENTENCE_END = frozenset({".", "!", "?"})
MAX_SEQUENCE = 120
SENTENCE_CACHE = 20_000  # tagged sentences kept (cleared when full)
PROPER = frozenset({"etunimi", "sukunimi", "paikannimi", "nimi"})


@dataclass(frozen=True)
class TokenProbs:
    """One token's character range and the marginals of PER, LOC, ORG and MISC (other names)."""

    start: int
    end: int
    per: float
    loc: float
    org: float
    misc: float = 0.0


def tokenise(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) in text order."""
    return [(m.start(), m.end(), m.group(0)) for m in TOKEN_RE.finditer(text)]


def sequences(tokens: Sequence[tuple[int, int, str]], text: str) -> list[list[int]]:
    """Token indices cut into sentences: after `.`, `!`, `?` and at line breaks."""
    out: list[list[int]] = []
    current: list[int] = []
    for i, (start, _, token) in enumerate(tokens):
        if current and (
            "\n" in text[tokens[current[-1]][1] : start] or len(current) >= MAX_SEQUENCE
        ):
            out.append(current)
            current = []
        current.append(i)
        if token in SENTENCE_END:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def shape(word: str) -> str:
    """`Virtanen` -> `Xx`, `KELA` -> `X`, `A-klinikka` -> `X-x`, `2024` -> `d`: runs collapsed."""
    out = []
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:6]


class Featuriser:
    """Per-token feature lists; a word's own features are cached (names repeat)."""

    def __init__(self, morph: Any) -> None:
        self._morph = morph
        self._cache: dict[str, tuple[list[str], ...]] = {}

    def word(self, token: str) -> tuple[list[str], ...]:
        """The word's own features (with `bias`), then what its neighbours at -2, -1, +1, +2
        see of it, prefixed; built once per word form (a sentence only concatenates them)."""
        hit = self._cache.get(token)
        if hit is not None:
            return hit
        if PLACEHOLDER_TOKEN.match(token):
            own = near = ["ph", "sh=<ph>"]
        else:
            own, near = self._word(token)
        hit = (
            ["bias", *own],
            [f"-2:{f}" for f in near[:2]],
            [f"-1:{f}" for f in near],
            [f"1:{f}" for f in near],
            [f"2:{f}" for f in near[:2]],
        )
        if len(self._cache) < 300_000:
            self._cache[token] = hit
        return hit

    def _word(self, token: str) -> tuple[list[str], list[str]]:
        low = token.lower()
        sh = shape(token)
        own = [f"w={low}", f"sh={sh}", f"s2={low[-2:]}", f"s3={low[-3:]}", f"s4={low[-4:]}"]
        near = [f"w={low}", f"sh={sh}"]
        if token[:1].isalpha():
            analyses = self._morph.analyse(token)
            classes = sorted({a.get("CLASS", "") for a in analyses})
            if not analyses:
                own.append("unk")
                near.append("unk")
                if "-" in token:  # `Halla-ahon`: Voikko may know the last part
                    last = self._morph.analyse(token.rsplit("-", 1)[1])
                    own += sorted({f"hc={a.get('CLASS', '')}" for a in last})
            for c in classes:
                own.append(f"c={c}")
                near.append(f"c={c}")
            if classes and set(classes) <= PROPER:
                own.append("only_proper")
                near.append("only_proper")
            for a in analyses:
                if a.get("CLASS") in PROPER:
                    own.append(f"pcase={a.get('SIJAMUOTO', '')}")
                    own.append(f"b={a.get('BASEFORM', '').lower()}")
                    break
            if len(token) == 1 and token.isupper():
                own.append("initial_letter")
        return own, near

    def sequence(self, words: Sequence[str]) -> list[list[str]]:
        """Features of each word of one sentence."""
        base = [self.word(w) for w in words]
        n = len(words)
        out = []
        for i, own in enumerate(base):
            feats = list(own[0])
            title = words[i][:1].isupper()
            if i == 0:
                feats.append("BOS")
                feats.append(f"bos_title={title}")
            elif title:
                feats.append("title_mid")
            if i == n - 1:
                feats.append("EOS")
            feats.extend(base[i - 2][1] if i >= 2 else ["-2:pad"])
            feats.extend(base[i - 1][2] if i >= 1 else ["-1:pad"])
            feats.extend(base[i + 1][3] if i + 1 < n else ["1:pad"])
            feats.extend(base[i + 2][4] if i + 2 < n else ["2:pad"])
            out.append(feats)
        return out


class NameTagger:
    """A trained CRFsuite model; `probabilities(text)` gives each token's PER/LOC/ORG marginals."""

    def __init__(self, morph: Any, model: Path = MODEL_PATH) -> None:
        import pycrfsuite

        self.model = Path(model)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.model))
        known = set(self._tagger.labels())
        self._four = tuple(
            label if label in known else None for label in ("PER", "LOC", "ORG", "MISC")
        )
        self._cache: dict[tuple[str, ...], list] = {}
        self.features = Featuriser(morph)

    def probabilities(self, text: str) -> list[TokenProbs]:
        """Marginals of the word tokens of every sentence that has a capital letter. A sentence
        without one is left out (its words get no marginals, so rules alone judge them): names
        in lower case are Voikko's and the record's business (`liisalle`), not the tagger's.
        A sentence seen before (boilerplate, or the unchanged sentences of a second redaction
        round) is not tagged again."""
        tokens = tokenise(text)
        out: list[TokenProbs] = []
        for seq in sequences(tokens, text):
            words = tuple(tokens[i][2] for i in seq)
            if not any(w[:1].isupper() for w in words):
                continue
            marginals = self._cache.get(words)
            if marginals is None:
                marginals = self._tag(words)
                if len(self._cache) >= SENTENCE_CACHE:
                    self._cache.clear()
                self._cache[words] = marginals
            for i, m in zip(seq, marginals, strict=True):
                if m is not None:
                    out.append(TokenProbs(tokens[i][0], tokens[i][1], *m))
        return out

    def _tag(self, words: tuple[str, ...]) -> list[tuple[float, float, float, float] | None]:
        tagger = self._tagger
        tagger.set(self.features.sequence(words))
        return [
            tuple(tagger.marginal(label, pos) if label else 0.0 for label in self._four)
            if word[:1].isalpha()  # punctuation, numbers, placeholders: never a name here
            else None
            for pos, word in enumerate(words)
        ]
