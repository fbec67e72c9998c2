"""Lemmatise segments: content lemmas per segment, compounds split, fixed phrases joined.

Reads:  03_segments.parquet (segment_id, doc_id, n, text, lang, boilerplate)
Writes: 04_lemmas.parquet (segment_id, lemmas, n_tokens), metrics/lemmatise.json
        (tokens_per_s in metrics/run/lemmatise.json)
Params: params.yaml > lemmatise (backend, stopwords, boilerplate, compounds, phrases,
        cache_dir: segment texts seen before, pipeline.rowcache); compute (where the
        partitions run: pipeline.compute).

What a lemma list holds: lemmas of nouns, verbs and adjectives (proper nouns, unknown words,
numbers, punctuation, stop words and boilerplate removed) in text order. Redaction placeholders
(`<HENKILÖ_1>:lle`) are never lemmas. With `compounds`, a compound's parts follow it
(`lastensuojeluilmoitus`, `lastensuojelu`, `ilmoitus`). A fixed phrase becomes one term joined
with `_` (`kuntouttava_työtoiminta`) and is not split further. Segments whose `lang` is not
"fi" (Finland-Swedish records) get an empty list: lemmatising Swedish as Finnish would only add
noise; they are counted in the metrics.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import artefacts
from pipeline.contract import Stage
from pipeline.progress import progress

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.config import LemmatiseParams, Params
    from pipeline.nlp.lemmatisers import Lemmatiser, Token

log = logging.getLogger(__name__)

CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ"})
UNKNOWN = "n_unknown"  # words the lemmatiser did not know, per segment (the metrics' rate)
_SKIP_POS = frozenset({"PUNCT", "PLACEHOLDER"})


def phrase_table(entries: Iterable[str], lemmatiser: Lemmatiser) -> dict[tuple[str, ...], str]:
    """Word-list entries (surface or lemma form) by lemma sequence -> the term to emit.

    `kuntouttava työtoiminta` is matched as the lemmas the lemmatiser gives it (`kuntouttaa
    työtoiminta`: participles are lemmatised as verbs) and emitted as written:
    `kuntouttava_työtoiminta`.
    """
    out: dict[tuple[str, ...], str] = {}
    for entry in entries:
        term = "_".join(entry.lower().split())
        lemmas = tuple(t.lemma.lower() for t in lemmatiser.analyse(entry) if t.pos not in _SKIP_POS)
        for seq in (lemmas, tuple(entry.lower().split())):
            if seq:
                out.setdefault(seq, term)
    return out


def _match_at(seq: list[str], i: int, phrases: dict[str, list[tuple[str, ...]]]) -> int:
    """Length of the longest phrase starting at seq[i], 0 if none."""
    for phrase in phrases.get(seq[i], ()):
        n = len(phrase)
        if tuple(seq[i : i + n]) == phrase:
            return n
    return 0


def _index(phrases: Iterable[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:
        index.setdefault(p[0], []).append(p)
    for lst in index.values():
        lst.sort(key=len, reverse=True)
    return index


def segment_lemmas(
    tokens: list[Token],
    *,
    stopwords: frozenset[str],
    boilerplate_words: frozenset[str],
    boilerplate_phrases: dict[str, list[tuple[str, ...]]],
    phrases: dict[str, list[tuple[str, ...]]],
    compounds: bool,
    terms: dict[tuple[str, ...], str] | None = None,
) -> list[str]:
    """Content lemmas of one analysed segment (see module docstring)."""
    words = [t for t in tokens if t.pos not in _SKIP_POS or t.pos == "PLACEHOLDER"]
    seq = [t.lemma.lower() if t.pos != "PLACEHOLDER" else "\x00" for t in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        n = _match_at(seq, i, boilerplate_phrases) if seq[i] in boilerplate_phrases else 0
        if n:
            i += n
            continue
        n = _match_at(seq, i, phrases) if seq[i] in phrases else 0
        if n:
            key = tuple(seq[i : i + n])
            out.append((terms or {}).get(key) or "_".join(key))
            i += n
            continue
        tok = words[i]
        lemma = seq[i].strip("-")  # `tuki-` in "tuki- ja palveluohjaus" is the word tuki
        i += 1
        if tok.pos not in CONTENT_POS or not tok.known or len(lemma) < 2:
            continue
        if lemma in stopwords or lemma in boilerplate_words or not is_term(lemma):
            continue
        out.append(lemma)
        if compounds:
            out.extend(
                p.lower()
                for p in tok.parts
                if p.lower() not in stopwords and p.lower() != lemma and is_term(p)
            )
    return out


_TERM_RE = re.compile(r"[\w-]*[^\W\d_][\w-]*")


def is_term(word: str) -> bool:
    """Letters (and digits, `-`, `_`) with at least one letter: never `yä)` or `§`."""
    return _TERM_RE.fullmatch(word) is not None


def lemmatise_frame(
    segments: pd.DataFrame,
    lemmatiser: Lemmatiser,
    *,
    stopwords: frozenset[str],
    boilerplate: frozenset[str],
    phrases: list[str],
    compounds: bool,
    stats: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """One LEMMAS row per segment, same order and ids, and each segment's count of words
    the lemmatiser did not know (`n_unknown`). Pure: `segments` is not modified.

    `boilerplate` holds single lemmas and multi-word phrases (one string each); multi-word
    entries are removed as sequences. `stats`, if given, receives counts for the metrics.
    """
    import pandas as pd

    stop = frozenset(w.lower() for w in stopwords)
    bp_single = frozenset(w.lower() for w in boilerplate if " " not in w.strip())
    bp_multi = _index(
        p
        for p in phrase_table([w for w in boilerplate if " " in w.strip()], lemmatiser)
        if len(p) > 1
    )
    terms = phrase_table(phrases, lemmatiser)
    phrase_index = _index(terms)
    lemmas_col: list[list[str]] = []
    n_tokens_col: list[int] = []
    n_unknown_col: list[int] = []
    n_words = n_unknown = n_other = n_sv = 0
    texts = segments["text"].tolist()
    langs = segments["lang"].tolist()
    if hasattr(lemmatiser, "prefill"):  # share a cold start between worker processes
        from pipeline.nlp.lemmatisers import tokenise

        lemmatiser.prefill(
            t
            for text, lang in zip(texts, langs, strict=True)
            if lang == "fi"
            for t, _ in tokenise(text or "")
        )
    rows = progress(zip(texts, langs, strict=True), total=len(texts), desc="lemmatise", unit="seg")
    for text, lang in rows:
        if lang != "fi":
            from pipeline.nlp.lemmatisers import tokenise

            n_sv += lang == "sv"
            n_other += lang != "sv"
            n_tokens_col.append(sum(1 for t, _ in tokenise(text or "") if t[:1].isalnum()))
            n_unknown_col.append(0)
            lemmas_col.append([])
            continue
        tokens = lemmatiser.analyse(text or "")
        words = [t for t in tokens if t.pos not in _SKIP_POS]
        n_words += len(words)
        n_unknown_col.append(sum(1 for t in words if not t.known))
        n_unknown += n_unknown_col[-1]
        n_tokens_col.append(len(words))
        lemmas_col.append(
            segment_lemmas(
                tokens,
                stopwords=stop,
                boilerplate_words=bp_single,
                boilerplate_phrases=bp_multi,
                phrases=phrase_index,
                compounds=compounds,
                terms=terms,
            )
        )
    if stats is not None:
        stats.update(
            n_words=n_words,
            n_unknown=n_unknown,
            swedish_segments=n_sv,
            other_language_segments=n_other,
        )
    out = pd.DataFrame(
        {
            "segment_id": pd.Series(segments["segment_id"].tolist(), dtype=object),
            "lemmas": pd.Series(lemmas_col, dtype=object, index=None),
            "n_tokens": pd.Series(n_tokens_col, dtype="int64"),
            UNKNOWN: pd.Series(n_unknown_col, dtype="int64"),  # for the metrics; not written
        }
    )
    return out


def lemmatise_with_params(
    segments: pd.DataFrame, p: LemmatiseParams, *, stats: dict[str, Any] | None = None
) -> pd.DataFrame:
    """`lemmatise_frame` with the backend and word lists named in params."""
    from pipeline import io
    from pipeline.config import resolve
    from pipeline.nlp import lemmatisers

    lemmatiser = lemmatisers.make(p.backend)
    try:
        return lemmatise_frame(
            segments,
            lemmatiser,
            stopwords=frozenset(io.read_wordlist(resolve(p.stopwords))),
            boilerplate=frozenset(io.read_wordlist(resolve(p.boilerplate))),
            phrases=io.read_wordlist(resolve(p.phrases)),
            compounds=p.compounds,
            stats=stats,
        )
    finally:
        if hasattr(lemmatiser, "close"):
            lemmatiser.close()


@functools.cache
def _worker_lemmatiser(backend: Any) -> Lemmatiser:
    """One lemmatiser per worker process, its form cache kept between partitions."""
    from pipeline.nlp import lemmatisers

    return lemmatisers.make(backend)


def lemmatise_partition(segments: pd.DataFrame, p: LemmatiseParams) -> tuple[pd.DataFrame, dict]:
    """`lemmatise_frame` of one partition (pipeline.compute) and its counts. The partitions
    are the parallelism here: the lemmatiser starts no processes of its own."""
    from pipeline import io
    from pipeline.config import resolve

    backend = p.backend
    if hasattr(backend, "workers"):
        backend = backend.model_copy(update={"workers": 1})
    stats: dict[str, Any] = {}
    out = lemmatise_frame(
        segments,
        _worker_lemmatiser(backend),
        stopwords=frozenset(io.read_wordlist(resolve(p.stopwords))),
        boilerplate=frozenset(io.read_wordlist(resolve(p.boilerplate))),
        phrases=io.read_wordlist(resolve(p.phrases)),
        compounds=p.compounds,
        stats=stats,
    )
    return out, stats


def lemmatise_partitioned(segments: pd.DataFrame, params: Params, stats: dict) -> pd.DataFrame:
    """Lemmas of every segment: in this process (the lemmatiser's own `workers`), or over
    partitions on local processes or a Dask cluster (pipeline.compute)."""
    import pandas as pd

    from pipeline import compute

    pool = compute.workers(params.compute)
    if pool.local:
        return lemmatise_with_params(segments, params.lemmatise, stats=stats)
    parts = compute.split(segments[["segment_id", "text", "lang"]], params.compute.partition_rows)
    frames = []
    with pool:
        for frame, part_stats in pool.map(
            lemmatise_partition, parts, params.lemmatise, desc="lemmatise"
        ):
            frames.append(frame)
            for key, value in part_stats.items():
                stats[key] = stats.get(key, 0) + value
    if not frames:
        return lemmatise_with_params(segments, params.lemmatise, stats=stats)
    return pd.concat(frames, ignore_index=True)


def lemmatise_cached(segments: pd.DataFrame, params: Params) -> tuple[pd.DataFrame, int]:
    """`lemmatise_partitioned` for the segment texts not in `lemmatise.cache_dir` (each
    distinct text and language once; pipeline.rowcache), the rest from the cache: (the frame
    with `n_unknown`, rows served by the cache)."""
    import pandas as pd

    from pipeline.config import resolve
    from pipeline.rowcache import RowCache, cached_rows, identity

    p = params.lemmatise
    cache = None
    if p.cache_dir is not None:
        lists = [resolve(f) for f in (p.stopwords, p.boilerplate, p.phrases)]
        files = [Path(__file__), Path(__file__).parent.parent / "nlp", *lists]
        settings = p.model_dump_json(exclude={"cache_dir": True, "backend": {"workers"}})
        cache = RowCache(resolve(p.cache_dir), identity(files, settings + _model_versions()))
    texts, langs = segments["text"].astype(str).tolist(), segments["lang"].tolist()
    columns = ["lemmas", "n_tokens", UNKNOWN]

    def compute(rows: list[int]) -> list[list]:
        frame = lemmatise_partitioned(segments.iloc[rows], params, {})
        return frame[columns].to_numpy().tolist()

    rows, n_cached = cached_rows(
        cache,
        [f"{lang}\x1f{text}" for text, lang in zip(texts, langs, strict=True)],
        compute,
        lambda row: json.dumps([list(row[0]), int(row[1]), int(row[2])], ensure_ascii=False),
        json.loads,
    )
    out = pd.DataFrame(
        {
            "segment_id": pd.Series(segments["segment_id"].tolist(), dtype=object),
            "lemmas": pd.Series([list(r[0]) for r in rows], dtype=object),
            "n_tokens": pd.Series([int(r[1]) for r in rows], dtype="int64"),
            UNKNOWN: pd.Series([int(r[2]) for r in rows], dtype="int64"),
        }
    )
    return out, n_cached


def _model_versions() -> str:
    """Versions of the packages a lemmatiser backend may load (spaCy and its Finnish model)."""
    from importlib import metadata

    versions = []
    for name in ("spacy", "spacy-fi-experimental-web-md", "simplemma"):
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return ";".join(versions)


def run(inputs: dict, params: Params) -> tuple[dict, dict]:
    """The stage: segments -> content lemmas per segment."""
    p = params.lemmatise
    segments = inputs["segments"]
    t0 = time.perf_counter()
    frame, n_cached = lemmatise_cached(segments, params)
    seconds = time.perf_counter() - t0
    out = frame.drop(columns=[UNKNOWN])
    finnish = (segments["lang"] == "fi").to_numpy()
    n_words = int(frame["n_tokens"].to_numpy()[finnish].sum())
    n_tokens = int(out["n_tokens"].sum())
    log.info("lemmatised %d segments (%d tokens) in %.1f s", len(out), n_tokens, seconds)
    metrics = {
        "backend": p.backend.name,
        "n_segments": len(out),
        "n_tokens": n_tokens,
        "unknown_rate": round(int(frame[UNKNOWN].sum()) / max(n_words, 1), 4),
        "swedish_segments": int((segments["lang"] == "sv").sum()),
        "other_language_segments": int((~segments["lang"].isin(["fi", "sv"])).sum()),
        "empty_segments": int((out["lemmas"].map(len) == 0).sum()),
        "n_cached": n_cached,
        "tokens_per_s": round(n_tokens / max(seconds, 1e-9)),
    }
    return {"lemmas": out}, metrics


STAGE = Stage(
    name="lemmatise",
    help="content lemmas per segment, compounds split",
    inputs=(artefacts.SEGMENTS,),
    outputs=(artefacts.LEMMAS,),
    params=("lemmatise",),
    run=run,
    run_metrics=("tokens_per_s", "n_cached"),
    runtime=("compute",),
)
