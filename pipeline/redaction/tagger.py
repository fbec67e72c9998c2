"""A learned name tagger: a linear-chain CRF (CRFsuite) over Voikko-based word features.

Trained on the Turku NER and TurkuONE training splits (`python -m pipeline.redaction.train_names`,
see `data/README.md`); it gives each token the marginal probability of being part of a person
(PER), place (LOC), organisation (ORG) or other (MISC: product, event, work) name. The redactor
reads those probabilities beside its other evidence (`names.py`): the marginal, not the Viterbi
label, so the operating point is a threshold in `params.yaml` that can lean towards recall.

Why these features: a Finnish name is told apart by what Voikko knows of the word (a first or
last name, a place, an ordinary noun, or nothing at all), by its case ending (`Virtaselle`:
suffixes), by its shape and position (capitalised mid-sentence, or first in a sentence), by
its neighbours (`sosiaaliohjaaja Lindholm`, `Robin van Persie`, `Kelan päätös`), by the words
it resembles (the nearest centre of k-means clusterings of spacy-fi's floret word vectors, which
give any string a vector from its character n-grams: `McGovern` sits with other foreign
surnames, `Arduinolla` with products), and by what the rest of the document says of the same
word (`Hoskins` first in a sentence, `John Hoskins` two sentences earlier).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_PATH = DATA_DIR / "names_crf_fi.crfsuite"
CLUSTERS_PATH = DATA_DIR / "names_clusters_fi.npz"
DATA_FILES = (MODEL_PATH, CLUSTERS_PATH)  # a retrained model reruns the redact stage
VECTORS_MODEL = "spacy_fi_experimental_web_md"  # floret vectors: every string has one
CLUSTER_SIZES = (128, 512, 2048)
NEAR_CLUSTERS = 512  # the clustering a neighbour's feature names
DOCUMENT_BLOCK = 20  # TurkuONE has no document ids: blocks of consecutive sentences stand in

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


def vectors_identity() -> str:
    """The word-vector package and its version (part of the redaction cache's identity)."""
    from importlib import metadata

    try:
        return f"{VECTORS_MODEL}=={metadata.version(VECTORS_MODEL)}"
    except metadata.PackageNotFoundError:
        return f"{VECTORS_MODEL}==missing"


class WordClusters:
    """A word's nearest centre in each of the k-means clusterings of `CLUSTERS_PATH` (arrays
    `k128`, `k512`, `k2048`: unit-length centres of unit-length floret vectors). The vectors
    load on first use (about 2 s, from the installed spaCy package; offline)."""

    def __init__(self, centres: dict[int, np.ndarray]) -> None:
        self.centres = {k: c.astype(np.float32) for k, c in sorted(centres.items())}
        self._vocab: Any = None
        self._ids: dict[str, list[tuple[int, int]]] = {}

    @classmethod
    def load(cls, path: Path = CLUSTERS_PATH) -> WordClusters:
        with np.load(path) as data:
            return cls({int(name[1:]): data[name] for name in data.files})

    def save(self, path: Path) -> None:
        arrays = {f"k{k}": c.astype(np.float16) for k, c in self.centres.items()}
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, **arrays)

    @classmethod
    def fit(cls, words: Sequence[str], sizes: Sequence[int] = CLUSTER_SIZES) -> WordClusters:
        """Mini-batch k-means (seeded: deterministic) of the words' unit vectors."""
        from sklearn.cluster import MiniBatchKMeans

        clusters = cls({})
        vectors = clusters.vectors(words)
        centres = {}
        for k in sizes:
            km = MiniBatchKMeans(n_clusters=k, random_state=0, n_init=3, batch_size=4096)
            centres[k] = _unit(km.fit(vectors).cluster_centers_).astype(np.float16)
        return cls(centres)

    def vectors(self, words: Sequence[str]) -> np.ndarray:
        """Unit-length floret vectors of `words`."""
        if self._vocab is None:
            import spacy

            meta = spacy.util.load_meta(spacy.util.get_package_path(VECTORS_MODEL) / "meta.json")
            pipes = sorted({*meta.get("pipeline", []), *meta.get("components", [])})
            self._vocab = spacy.load(VECTORS_MODEL, exclude=pipes).vocab
        return _unit(self._vocab.vectors.get_batch(list(words)).astype(np.float32))

    def prepare(self, words: Iterable[str]) -> None:
        """Find the nearest centres of the words not seen before, as one batch."""
        new = sorted({w for w in words if w not in self._ids})
        if not new:
            return
        if len(self._ids) > 500_000:
            self._ids.clear()
        vectors = self.vectors(new)
        with _one_blas_thread():  # small products: BLAS threads only contend (1.6x slower)
            nearest = [(k, np.argmax(vectors @ c.T, axis=1)) for k, c in self.centres.items()]
        for n, word in enumerate(new):
            self._ids[word] = [(k, int(best[n])) for k, best in nearest]

    def ids(self, word: str) -> list[tuple[int, int]]:
        """(clustering size, nearest centre) for each clustering."""
        if word not in self._ids:
            self.prepare([word])
        return self._ids[word]


_BLAS: Any = None


def _one_blas_thread() -> Any:
    global _BLAS
    if _BLAS is None:
        from threadpoolctl import ThreadpoolController

        _BLAS = ThreadpoolController()
    return _BLAS.limit(limits=1, user_api="blas")


def _unit(m: np.ndarray) -> np.ndarray:
    return m / (np.linalg.norm(m, axis=1, keepdims=True) + 1e-9)


def document_key(word: str) -> str:
    """What counts as the same word across a document: the first five letters, lowercased
    (`Hoskins`, `Hoskinsin`; `Saramäki`, `Saramäen`)."""
    low = word.lower().split(":", 1)[0]
    return low[:5]


class Featuriser:
    """Per-token feature lists; a word's own features are cached (names repeat)."""

    def __init__(self, morph: Any, clusters: WordClusters | None = None) -> None:
        self._morph = morph
        self._clusters = clusters
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
            if self._clusters is not None:
                for k, c in self._clusters.ids(token):
                    own.append(f"k{k}={c}")
                    if k == NEAR_CLUSTERS:
                        near.append(f"k{k}={c}")
        return own, near

    def _first_name(self, word: str) -> bool:
        return word[:1].isupper() and any(
            a.get("CLASS") == "etunimi" for a in self._morph.analyse(word)
        )

    def document(self, sentences: Sequence[Sequence[str]]) -> list[list[tuple[str, ...]]]:
        """Each word's document features: the same word (`document_key`) elsewhere in the
        document, and how it stands there: capitalised mid-sentence, in lower case, after a
        first name, before another capitalised word."""
        if self._clusters is not None:  # the document's new words as one batch, not one by one
            self._clusters.prepare(w for words in sentences for w in words if w[:1].isalpha())
        own: dict[tuple[int, int], set[str]] = {}
        totals: dict[str, Counter[str]] = {}
        for si, words in enumerate(sentences):
            for i, w in enumerate(words):
                if w[:1].isalpha():
                    own[si, i] = self._occurrence(words, i)
                    totals.setdefault(document_key(w), Counter()).update(own[si, i])
        out = []
        for si, words in enumerate(sentences):
            feats: list[tuple[str, ...]] = []
            for i, w in enumerate(words):
                found: tuple[str, ...] = ()
                if w[:1].isalpha() and len(w) > 1:
                    mine = own[si, i]  # what the other occurrences say: all minus this one
                    total = totals[document_key(w)]
                    found = tuple(sorted(f for f, n in total.items() if n - (f in mine) > 0))
                feats.append(found)
            out.append(feats)
        return out

    def _occurrence(self, words: Sequence[str], j: int) -> set[str]:
        other = words[j]
        found = {"doc_again"}
        if other[:1].isupper() and j > 0:
            found.add("doc_mid_cap")
        if other[:1].islower():
            found.add("doc_lower")
        if j > 0 and self._first_name(words[j - 1]):
            found.add("doc_after_first")
        after = words[j + 1] if j + 1 < len(words) else ""
        if other[:1].isupper() and after[:1].isalpha() and after[:1].isupper():
            found.add("doc_before_cap")
        return found

    def sequence(
        self, words: Sequence[str], document: Sequence[Sequence[str]] = ()
    ) -> list[list[str]]:
        """Features of each word of one sentence; `document`: its words' `document` features."""
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
            if document:
                feats.extend(document[i])
            out.append(feats)
        return out


class NameTagger:
    """A trained CRFsuite model; `probabilities(text)` gives each token's PER/LOC/ORG marginals."""

    def __init__(
        self, morph: Any, model: Path = MODEL_PATH, clusters: Path = CLUSTERS_PATH
    ) -> None:
        import pycrfsuite

        self.model = Path(model)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.model))
        known = set(self._tagger.labels())
        self._four = tuple(
            label if label in known else None for label in ("PER", "LOC", "ORG", "MISC")
        )
        self._cache: dict[tuple, list] = {}
        self.features = Featuriser(morph, WordClusters.load(clusters))

    def probabilities(self, text: str) -> list[TokenProbs]:
        """Marginals of the word tokens of every sentence that has a capital letter. A sentence
        without one is left out (its words get no marginals, so rules alone judge them): names
        in lower case are Voikko's and the record's business (`liisalle`), not the tagger's.
        A sentence seen before with the same document features (boilerplate, or the unchanged
        sentences of a second redaction round) is not tagged again."""
        tokens = tokenise(text)
        out: list[TokenProbs] = []
        seqs = sequences(tokens, text)
        all_words = [tuple(tokens[i][2] for i in seq) for seq in seqs]
        context = self.features.document(all_words)
        for seq, words, document in zip(seqs, all_words, context, strict=True):
            if not any(w[:1].isupper() for w in words):
                continue
            key = (words, tuple(document))
            marginals = self._cache.get(key)
            if marginals is None:
                marginals = self._tag(words, document)
                if len(self._cache) >= SENTENCE_CACHE:
                    self._cache.clear()
                self._cache[key] = marginals
            for i, m in zip(seq, marginals, strict=True):
                if m is not None:
                    out.append(TokenProbs(tokens[i][0], tokens[i][1], *m))
        return out

    def _tag(
        self, words: tuple[str, ...], document: Sequence[tuple[str, ...]]
    ) -> list[tuple[float, float, float, float] | None]:
        tagger = self._tagger
        tagger.set(self.features.sequence(words, document))
        return [
            tuple(tagger.marginal(label, pos) if label else 0.0 for label in self._four)
            if word[:1].isalpha()  # punctuation, numbers, placeholders: never a name here
            else None
            for pos, word in enumerate(words)
        ]
