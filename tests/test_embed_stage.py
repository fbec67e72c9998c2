"""Embed stage: row order kept, boilerplate embedded, cache embeds only new texts."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline import dag, io
from pipeline.config import EmbedParams, Params
from pipeline.stages import embed

ROOT = Path(__file__).resolve().parent.parent


class CountingEmbedder:
    """Deterministic fake: a unit vector from the hash of prefix+text; records every call."""

    identity = "fake@sha256:0000000000000000"
    dim = 8
    max_seq_length = 4  # "tokens" are words here

    def truncated(self, texts: list[str], *, prefix: str) -> np.ndarray:
        return np.asarray([len((prefix + t).split()) > self.max_seq_length for t in texts])

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str], *, prefix: str, batch_size: int) -> np.ndarray:
        self.calls.append(list(texts))
        rows = []
        for text in texts:
            seed = int(hashlib.sha256((prefix + text).encode()).hexdigest()[:8], 16)
            v = np.random.default_rng(seed).normal(size=self.dim)
            rows.append(v / np.linalg.norm(v))
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), self.dim)


def segments(texts: list[str], boilerplate: list[bool] | None = None) -> pd.DataFrame:
    n = len(texts)
    return pd.DataFrame(
        {
            "segment_id": [f"d{i // 2}#{i % 2}" for i in range(n)],
            "doc_id": [f"d{i // 2}" for i in range(n)],
            "n": [i % 2 for i in range(n)],
            "text": texts,
            "lang": ["fi"] * n,
            "boilerplate": boilerplate or [False] * n,
        }
    )


TEXTS = [
    "Asiakkaalla on vuokrarästejä.",
    "Jatketaan suunnitelman mukaisesti.",
    "Nuori odottaa terapiaan pääsyä.",
    "Jatketaan suunnitelman mukaisesti.",
    "Bussi kulkee kerran päivässä.",
]


def test_rows_in_segment_order_and_boilerplate_embedded() -> None:
    frame = segments(TEXTS, boilerplate=[False, True, False, True, False])
    before = frame.copy()
    fake = CountingEmbedder()
    out = embed.embed_frame(frame, fake, prefix="query: ", batch_size=2, cache=None)
    assert out.shape == (5, 8) and out.dtype == np.float32
    expected = CountingEmbedder().encode(TEXTS, prefix="query: ", batch_size=2)
    np.testing.assert_array_equal(out, expected)
    assert sorted(fake.calls[0]) == sorted(set(TEXTS))  # duplicates embedded once
    pd.testing.assert_frame_equal(frame, before)  # input not mutated


def test_cache_second_call_embeds_nothing_new(tmp_path: Path) -> None:
    fake = CountingEmbedder()
    cache = embed.EmbeddingCache(tmp_path, fake.identity)
    first = embed.embed_frame(segments(TEXTS), fake, prefix="query: ", batch_size=2, cache=cache)
    fresh = embed.EmbeddingCache(tmp_path, fake.identity)  # as a new run would open it
    again, stats = embed.embed_with_stats(
        segments(TEXTS), fake, prefix="query: ", batch_size=2, cache=fresh
    )
    assert len(fake.calls) == 1
    assert stats["n_embedded"] == 0 and stats["n_cached"] == len(TEXTS)
    np.testing.assert_array_equal(first, again)


def test_cache_grows_by_new_texts_only_and_keeps_no_text(tmp_path: Path) -> None:
    fake = CountingEmbedder()
    cache = embed.EmbeddingCache(tmp_path, fake.identity)
    embed.embed_frame(segments(TEXTS[:3]), fake, prefix="query: ", batch_size=2, cache=cache)
    grown = segments([*TEXTS[::-1], "Uusi teksti tulee tähän."])
    out, stats = embed.embed_with_stats(
        grown,
        fake,
        prefix="query: ",
        batch_size=2,
        cache=embed.EmbeddingCache(tmp_path, fake.identity),
    )
    assert sorted(fake.calls[1]) == sorted(
        {
            "Bussi kulkee kerran päivässä.",
            "Nuori odottaa terapiaan pääsyä.",
            "Uusi teksti tulee tähän.",
        }
        - set(TEXTS[:3])
    )
    assert stats["n_embedded"] == 2
    np.testing.assert_array_equal(
        out, CountingEmbedder().encode(grown["text"].tolist(), prefix="query: ", batch_size=9)
    )
    blob = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert "vuokrarästejä".encode() not in blob and b"Bussi" not in blob


def test_prefix_and_model_are_part_of_the_key(tmp_path: Path) -> None:
    fake = CountingEmbedder()
    cache = embed.EmbeddingCache(tmp_path, fake.identity)
    embed.embed_frame(segments(TEXTS), fake, prefix="query: ", batch_size=8, cache=cache)
    embed.embed_frame(segments(TEXTS), fake, prefix="passage: ", batch_size=8, cache=cache)
    assert len(fake.calls) == 2
    other = embed.EmbeddingCache(tmp_path, "other@sha256:1111111111111111")
    assert len(other) == 0
    with pytest.raises(ValueError):
        embed.embed_frame(segments(TEXTS), fake, prefix="query: ", batch_size=8, cache=other)


def test_truncated_distinct_texts_are_counted() -> None:
    # "query: " + 4 words = 5 > 4; the repeated boilerplate sentence is one distinct text
    _, stats = embed.embed_with_stats(
        segments(TEXTS), CountingEmbedder(), prefix="query: ", batch_size=2, cache=None
    )
    assert stats["n_truncated"] == 2 and stats["max_seq_length"] == 4
    assert stats["n_unique"] == 4 and stats["n_embedded"] == 4


def test_the_cache_knows_which_texts_were_truncated(tmp_path: Path) -> None:
    """A later run counts truncated texts from the cache: only texts it has not seen are
    tokenized again, and the count is the one a run without the cache gives."""
    fake = CountingEmbedder()
    measured: list[list[str]] = []
    original = fake.truncated

    def recording(texts: list[str], *, prefix: str) -> np.ndarray:
        measured.append(list(texts))
        return original(texts, prefix=prefix)

    fake.truncated = recording  # type: ignore[method-assign]
    grown = [*TEXTS, "Uusi pitkä teksti jossa on monta sanaa"]
    cache = embed.EmbeddingCache(tmp_path, fake.identity)
    embed.embed_with_stats(segments(TEXTS), fake, prefix="query: ", batch_size=2, cache=cache)
    reopened = embed.EmbeddingCache(tmp_path, fake.identity)  # as the next run opens it
    _, stats = embed.embed_with_stats(
        segments(grown), fake, prefix="query: ", batch_size=2, cache=reopened
    )
    _, plain = embed.embed_with_stats(
        segments(grown), CountingEmbedder(), prefix="query: ", batch_size=2, cache=None
    )
    assert measured[-1] == [grown[-1]]
    assert stats["n_truncated"] == plain["n_truncated"] == 3


def test_cache_reads_shards_memory_mapped(tmp_path: Path) -> None:
    fake = CountingEmbedder()
    first = embed.embed_frame(
        segments(TEXTS),
        fake,
        prefix="query: ",
        batch_size=2,
        cache=embed.EmbeddingCache(tmp_path, fake.identity),
    )
    reopened = embed.EmbeddingCache(tmp_path, fake.identity)
    assert len(reopened) == 4
    assert all(isinstance(shard, np.memmap) for shard in reopened._shards)
    got = reopened.get([embed.text_key("query: ", TEXTS[0])])
    vector = next(iter(got.values()))
    assert not isinstance(vector, np.memmap) and vector.flags.writeable
    np.testing.assert_array_equal(vector, first[0])


def test_empty_frame() -> None:
    out = embed.embed_frame(
        segments([]), CountingEmbedder(), prefix="query: ", batch_size=8, cache=None
    )
    assert out.shape == (0, 8)


@pytest.mark.slow
def test_main_with_the_real_model(tmp_path: Path) -> None:
    from pipeline.nlp import e5_rebuild

    model = ROOT / "models" / "e5-small"
    if not (model / e5_rebuild.IDENTITY_FILE).exists():
        model = e5_rebuild.build_e5_folder(tmp_path / "e5-small")
    src = tmp_path / "03_segments.parquet"
    segments(TEXTS, boilerplate=[False, True, False, True, False]).to_parquet(src, index=False)
    params = Params(embed=EmbedParams(model=model, cache_dir=tmp_path / "cache", batch_size=4))
    dst, index, metrics = tmp_path / "05.npy", tmp_path / "05_index.parquet", tmp_path / "m.json"
    files = {"segments": src, "embeddings": dst, "embedding_index": index}
    dag.execute(embed.STAGE, files, metrics, params)
    vectors = np.load(dst)
    assert vectors.shape == (5, 384) and vectors.dtype == np.float32
    np.testing.assert_array_equal(vectors[1], vectors[3])
    assert pd.read_parquet(index)["segment_id"].tolist() == segments(TEXTS)["segment_id"].tolist()
    first = json.loads(metrics.read_text())
    run = io.run_metrics_path(metrics)
    assert first["n_segments"] == 5 and json.loads(run.read_text())["n_embedded"] == 4
    assert first["n_truncated"] == 0 and first["max_seq_length"] == 512
    assert "segments_per_s" not in first  # run-dependent figures stay out of dvc.lock
    meta = io.read_meta(index)
    assert meta["model"].startswith("multilingual-e5-small@sha256:")
    assert meta["backend"] == params.embed.backend.name == "openvino.v1"
    dag.execute(embed.STAGE, {**files, "embeddings": tmp_path / "again.npy"}, metrics, params)
    assert json.loads(run.read_text())["n_embedded"] == 0
    assert json.loads(metrics.read_text()) == first  # same data, same DVC metric bytes
    assert (tmp_path / "again.npy").read_bytes() == dst.read_bytes()
