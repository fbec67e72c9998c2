"""Finnish lemmatisers by versioned name (pipeline.components): `make("voikko-ctx.v1")`,
`make("spacy-fi.v1")`, `make("simplemma.v1")`.

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
import sys
import threading
import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline import components
from pipeline.components import LEMMATISERS
from pipeline.errors import EnvironmentProblem
from pipeline.nlp.readings import Reading, guess_readings, make_readings, unknown_lemma
from pipeline.nlp.tokens import Lemmatiser, Token, is_placeholder, tokenise
from pipeline.nlp.ud_lemmas import POS_ORDER
from pipeline.nlp.voikko import FastVoikko, open_voikko

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_PATH = DATA_DIR / "lemma_disambiguator_fi.json"
EXC_PATH = DATA_DIR / "lemma_exc_fi.json"
DATA_FILES = (MODEL_PATH, EXC_PATH)  # a retrained model reruns the lemmatise stage


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

    def __init__(
        self,
        model_path: Path | None = MODEL_PATH,
        cache_size: int = 500_000,
        workers: int = 1,
        name: str = "voikko-ctx.v1",
    ) -> None:
        self.name = name
        self.voikko = FastVoikko(open_voikko(), bases_when_derived=True)
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
            lemma, pos = unknown_lemma(orth)
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
        if self._pool is None and not _safe_to_fork():
            log.info("lemmatiser: an inference runtime is loaded; forms analysed here, not forked")
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


def _safe_to_fork() -> bool:
    """Whether a forked worker can start safely here: not once an inference runtime is loaded.

    ONNX Runtime, OpenVINO and torch objects wait on their own thread pools when they are
    freed; a forked child has none of those threads, so if its garbage collector frees an
    inherited object it hangs (seen: a child freeing an ONNX Runtime session waited forever in
    `pthread_cond_destroy`). A process that has embedded before it lemmatises (a second run
    in one process, the benchmarks) analyses its forms itself.
    """
    return not any(name in sys.modules for name in ("onnxruntime", "openvino", "torch"))


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


@LEMMATISERS.register("voikko-ctx.v1")
def _voikko_ctx(params: components.VoikkoCtxV1) -> Lemmatiser:
    return VoikkoContextLemmatiser(workers=params.workers, name=params.name)


@LEMMATISERS.register("voikko-nomodel.v1")
def _voikko_nomodel(params: components.VoikkoNoModelV1) -> Lemmatiser:
    return VoikkoContextLemmatiser(model_path=None, name=params.name)


def names() -> list[str]:
    from pipeline.nlp import baselines  # noqa: F401 - registers spacy-fi.v1 and simplemma.v1

    return LEMMATISERS.names()


def make(backend: components.Part | str, **settings: Any) -> Lemmatiser:
    """A lemmatiser from its params (`params.yaml > lemmatise.backend`) or its versioned name
    and settings (`make("voikko-ctx.v1", workers=2)`)."""
    if isinstance(backend, str):
        backend = LEMMATISERS.params({"name": backend, **settings})
    if backend.name in ("spacy-fi.v1", "simplemma.v1"):
        from pipeline.nlp import baselines  # noqa: F401 - registers them (imports spaCy lazily)
    return LEMMATISERS.make(backend)


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
    """{POS: {form: lemma}} (the JSON file) -> {form: ((POS, lemma), ...)} in POS_ORDER."""
    by_form: dict[str, list[tuple[str, str]]] = {}
    table = {**table, "PRON": {**table.get("PRON", {}), **COLLOQUIAL_PRONOUNS}}
    for pos in POS_ORDER:
        for form, lemma in table.get(pos, {}).items():
            by_form.setdefault(form, []).append((pos, lemma))
    return {form: tuple(pairs) for form, pairs in by_form.items()}


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise EnvironmentProblem("lemmatiser data file missing", file=path) from exc
