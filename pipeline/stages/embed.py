"""Embed segments with a local sentence-transformers model, cached by text hash and model.

Each segment's redacted surface text (never lemmas) is embedded with the params prefix
(`query: ` for e5 when clustering). Boilerplate segments are embedded too: the topic stage
decides what to do with them, and their rows keep the array aligned with the segment table.
Identical texts are embedded once. The cache keeps vectors and SHA-256 hashes only, never
text, so a rerun on grown data embeds only the new segments; its shards are memory-mapped, so a
large cache costs page cache, not process memory. Inputs longer than the model's token limit
are counted (`n_truncated`) and logged: their tail is not embedded.

Reads:  03_segments.parquet, the model folder (params embed.model), the cache (embed.cache_dir)
Writes: 05_embeddings.npy (float32, one unit row per segment, segment order),
        05_embeddings_index.parquet (`segment_id`, same row order; model identity in metadata),
        metrics/embed.json (n_segments, n_unique, n_truncated, max_seq_length, model; n_cached,
        n_embedded, segments_per_s in metrics/run/embed.json: they depend on the cache, not on
        the data)
Params: params.yaml > embed (model, backend, prefix, batch_size, cache_dir); compute
        (where the partitions run: pipeline.compute)
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import time
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd

from pipeline import artefacts, compute, config
from pipeline.components import EMBEDDERS
from pipeline.config import Params
from pipeline.contract import META, Stage
from pipeline.nlp import embedders  # noqa: F401 - registers the embedder backends
from pipeline.rowcache import next_shard

log = logging.getLogger(__name__)


class TextEmbedder(Protocol):
    identity: str

    def encode(self, texts: list[str], *, prefix: str, batch_size: int) -> np.ndarray: ...

    # Optional (pipeline.nlp.embedders has both): `max_seq_length` and
    # `truncated(texts, *, prefix) -> bool array` (longer than the model's token limit).


def text_key(prefix: str, text: str) -> str:
    """Cache key of one input: SHA-256 of exactly what the model sees."""
    return hashlib.sha256((prefix + text).encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors on disk, one folder per model identity, append-only shards.

    `<cache_dir>/<identity>/part-NNNNN.npy` holds float32 rows and `part-NNNNN.parquet` their
    keys (`text_key`) in the same order, and whether each text was longer than the model's
    token limit (`truncated`; shards written before it have no such column). A shard is
    written to a temporary name and renamed, so an interrupted run never leaves a half shard
    behind.
    """

    def __init__(self, cache_dir: Path, identity: str) -> None:
        self.identity = identity
        self.folder = Path(cache_dir) / re.sub(r"[^A-Za-z0-9._-]+", "_", identity)
        self._rows: dict[str, tuple[int, int]] | None = None  # key -> (shard, row)
        self._shards: list[np.ndarray] = []
        self._truncated: dict[str, bool] = {}

    def _load(self) -> None:
        if self._rows is not None:
            return
        self._rows = {}
        for npy in sorted(self.folder.glob("part-*.npy")):
            index = npy.with_suffix(".parquet")
            if not index.exists():
                continue
            block = np.load(npy, mmap_mode="r")  # read-only pages, read when a key is asked for
            table = pd.read_parquet(index)
            part_keys = table["key"].tolist()
            if len(part_keys) != len(block):
                log.warning("skipping inconsistent cache shard %s", npy.name)
                continue
            if "truncated" in table.columns:
                for key, flag in zip(part_keys, table["truncated"].tolist(), strict=True):
                    self._truncated.setdefault(key, bool(flag))
            shard = len(self._shards)
            self._shards.append(block)
            for row, key in enumerate(part_keys):
                self._rows.setdefault(key, (shard, row))

    def __len__(self) -> int:
        self._load()
        return len(self._rows or {})

    def get(self, keys: list[str]) -> dict[str, np.ndarray]:
        """The cached vector of each key that is in the cache."""
        self._load()
        assert self._rows is not None
        found = {}
        for key in keys:
            if key in self._rows:
                shard, row = self._rows[key]
                found[key] = np.array(self._shards[shard][row])  # a copy: the file stays closed
        return found

    def truncated(self, keys: list[str]) -> dict[str, bool]:
        """Whether the text of each key that the cache knows it for was truncated."""
        self._load()
        return {k: self._truncated[k] for k in keys if k in self._truncated}

    def add(
        self, keys: list[str], vectors: np.ndarray, truncated: list[bool] | None = None
    ) -> None:
        """Append new vectors (and their texts' truncation, if given) as one shard (keys
        already cached are skipped)."""
        self._load()
        assert self._rows is not None
        fresh = [i for i, k in enumerate(keys) if k not in self._rows]
        if not fresh:
            return
        flags = None if truncated is None else [bool(truncated[i]) for i in fresh]
        keys = [keys[i] for i in fresh]
        vectors = np.asarray(vectors, dtype=np.float32)[fresh]
        stem = next_shard(self.folder)
        tmp_index = stem.with_suffix(".parquet.tmp")
        index = pd.DataFrame({"key": keys})
        if flags is not None:
            index["truncated"] = flags
            self._truncated.update(zip(keys, flags, strict=True))
        index.to_parquet(tmp_index, index=False)
        with open(stem.with_suffix(".npy.tmp"), "wb") as handle:
            np.save(handle, vectors)
        os.replace(tmp_index, stem.with_suffix(".parquet"))
        os.replace(stem.with_suffix(".npy.tmp"), stem.with_suffix(".npy"))
        shard = len(self._shards)
        self._shards.append(vectors)
        for row, key in enumerate(keys):
            self._rows[key] = (shard, row)


def embed_with_stats(
    segments: pd.DataFrame,
    embedder: TextEmbedder,
    *,
    prefix: str,
    batch_size: int,
    cache: EmbeddingCache | None,
) -> tuple[np.ndarray, dict[str, float | int | str]]:
    """`embed_frame` plus counts: unique texts, truncated texts, rows served by the cache,
    texts embedded."""
    identity = getattr(embedder, "identity", None)
    if cache is not None and identity is not None and cache.identity != identity:
        raise ValueError(f"cache is for {cache.identity}, embedder is {identity}")
    texts = segments["text"].astype(str).tolist()
    keys = [text_key(prefix, t) for t in texts]
    first: dict[str, int] = {}
    for row, key in enumerate(keys):
        first.setdefault(key, row)
    known = cache.get(list(first)) if cache is not None else {}
    todo = [k for k in first if k not in known]
    # Texts over the token limit: from the cache where it knows, measured for the rest.
    flags = cache.truncated(list(first)) if cache is not None else {}
    measure = getattr(embedder, "truncated", None)
    unmeasured = [k for k in first if k not in flags]
    if measure is not None and unmeasured:
        measured = measure([texts[first[k]] for k in unmeasured], prefix=prefix)
        flags = {**flags, **dict(zip(unmeasured, map(bool, measured), strict=True))}
    started = time.perf_counter()
    if todo:
        fresh = embedder.encode(
            [texts[first[k]] for k in todo], prefix=prefix, batch_size=batch_size
        )
        fresh = np.asarray(fresh, dtype=np.float32)
        if cache is not None:
            cache.add(todo, fresh, [flags[k] for k in todo] if measure is not None else None)
        known = {**known, **dict(zip(todo, fresh, strict=True))}
    seconds = time.perf_counter() - started
    if keys:
        out = np.stack([known[k] for k in keys]).astype(np.float32, copy=False)
    else:
        out = np.zeros((0, _dim(embedder)), dtype=np.float32)
    new = set(todo)
    n_cached = sum(1 for k in keys if k not in new) if cache is not None else 0
    n_truncated = sum(1 for k in first if flags.get(k, False))
    stats = {
        "n_segments": len(keys),
        "n_unique": len(first),
        "n_truncated": n_truncated,  # distinct texts over the token limit: their tail is lost
        "max_seq_length": int(getattr(embedder, "max_seq_length", 0)),
        "n_cached": n_cached,
        "n_embedded": len(todo),
        "segments_per_s": round(len(todo) / seconds, 1) if todo and seconds > 0 else 0.0,
        "model": identity or type(embedder).__name__,
    }
    return out, stats


def embed_frame(
    segments: pd.DataFrame,
    embedder: TextEmbedder,
    *,
    prefix: str,
    batch_size: int,
    cache: EmbeddingCache | None,
) -> np.ndarray:
    """One float32 unit row per segment, in the frame's row order (boilerplate included).

    Only the cache is written; `segments` is not modified.
    """
    vectors, _ = embed_with_stats(
        segments, embedder, prefix=prefix, batch_size=batch_size, cache=cache
    )
    return vectors


def _dim(embedder: TextEmbedder) -> int:
    dim = getattr(embedder, "dim", None)
    if dim is None:
        dim = embedder.encode(["x"], prefix="", batch_size=1).shape[1]
    return int(dim)


@functools.cache
def worker_embedder(backend, model: Path) -> TextEmbedder:
    """One loaded model per worker process, kept between partitions."""
    return EMBEDDERS.make(backend, model=config.resolve(model))


def identity_partition(_: object, backend, model: Path) -> tuple[str, int]:
    """The identity and token limit of the model a worker embeds with (loaded once)."""
    embedder = worker_embedder(backend, model)
    return embedder.identity, embedder.max_seq_length


def order_partition(texts: list[str], backend, model: Path, prefix: str) -> list[int]:
    """The order in which the model batches `texts` (its tokenizer, where the model is)."""
    return worker_embedder(backend, model).batch_order(texts, prefix=prefix)


def truncated_partition(texts: list[str], backend, model: Path, prefix: str) -> np.ndarray:
    """Which of `texts` are over the model's token limit (where the model is)."""
    return worker_embedder(backend, model).truncated(texts, prefix=prefix)


def embed_partition(
    texts: list[str], backend, model: Path, prefix: str, batch_size: int
) -> tuple[str, np.ndarray]:
    """(model identity, vectors) of one partition of texts (pipeline.compute). `model` is
    resolved where the partition runs: a cluster's workers read the model from their own
    (shared) project folder."""
    embedder = worker_embedder(backend, model)
    return embedder.identity, embedder.encode(texts, prefix=prefix, batch_size=batch_size)


class PartitionedEmbedder:
    """A `TextEmbedder` whose texts are embedded over partitions (pipeline.compute).

    The texts are put in the order `Embedder.encode` itself batches them (`batch_order`: by
    token length for the runtime backends, asked of a worker, which has the tokenizer) and cut
    into partitions of whole batches, so every batch holds the same texts as in a one-process
    run, whatever the number of workers: the vectors do not depend on where they were computed
    (bf16 and padded batches would otherwise differ in the last bits).
    """

    def __init__(self, pool: compute.Workers, backend, model: Path, rows: int) -> None:
        self._pool, self._backend, self._model, self._rows = pool, backend, model, rows
        self.identity, self.max_seq_length = next(
            pool.map(identity_partition, [None], backend, model)
        )

    def truncated(self, texts: list[str], *, prefix: str) -> np.ndarray:
        """Which texts are over the model's token limit, measured by a worker."""
        job = (truncated_partition, [texts], self._backend, self._model, prefix)
        return next(self._pool.map(*job))

    def encode(self, texts: list[str], *, prefix: str, batch_size: int) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        order = next(self._pool.map(order_partition, [texts], self._backend, self._model, prefix))
        rows = max(batch_size, self._rows // batch_size * batch_size)
        parts = [[texts[i] for i in order[a:b]] for a, b in compute.bounds(len(order), rows)]
        done = self._pool.map(
            embed_partition, parts, self._backend, self._model, prefix, batch_size, desc="embed"
        )
        out: np.ndarray | None = None
        for (a, b), (identity, vectors) in zip(compute.bounds(len(order), rows), done, strict=True):
            if identity != self.identity:
                raise ValueError(f"a worker embeds with {identity}, expected {self.identity}")
            if out is None:
                out = np.empty((len(texts), vectors.shape[1]), dtype=np.float32)
            out[order[a:b]] = vectors
        return out if out is not None else np.zeros((0, 0), dtype=np.float32)


def run(inputs: dict, params: Params) -> tuple[dict, dict]:
    """The stage: segments -> one embedding per segment, and the index of their order."""
    p = params.embed
    segments = inputs["segments"]
    # On one machine the model's own threads use every core; worker processes would each
    # hold a copy of the model (~1 GB for e5-small in ONNX Runtime) for no more speed. On a
    # Dask cluster the partitions go to the workers.
    pool = compute.Workers(1, params.compute.scheduler)
    with pool:
        if pool.local:
            embedder = EMBEDDERS.make(p.backend, model=config.resolve(p.model))
        else:
            embedder = PartitionedEmbedder(pool, p.backend, p.model, params.compute.partition_rows)
        cache = (
            EmbeddingCache(config.resolve(p.cache_dir), embedder.identity) if p.cache_dir else None
        )
        vectors, stats = embed_with_stats(
            segments, embedder, prefix=p.prefix, batch_size=p.batch_size, cache=cache
        )
    index = segments[["segment_id"]].reset_index(drop=True)
    index.attrs[META] = {
        "model": embedder.identity,
        "backend": p.backend.name,
        "prefix": p.prefix,
        "dim": str(vectors.shape[1]),
    }
    if stats["n_truncated"]:
        log.warning(
            "%d distinct segments are longer than %d tokens: only their first %d are embedded",
            stats["n_truncated"],
            stats["max_seq_length"],
            stats["max_seq_length"],
        )
    log.info(
        "embedded %d segments (%d from cache, %d new, %.1f segments/s)",
        stats["n_segments"],
        stats["n_cached"],
        stats["n_embedded"],
        stats["segments_per_s"],
    )
    return {"embeddings": vectors, "embedding_index": index}, stats


STAGE = Stage(
    name="embed",
    help="segment embeddings (cached by text hash and model)",
    inputs=(artefacts.SEGMENTS,),
    outputs=(artefacts.EMBEDDINGS, artefacts.EMBEDDING_INDEX),
    params=("embed",),
    run=run,
    run_metrics=("n_cached", "n_embedded", "segments_per_s"),
    runtime=("compute",),
)
