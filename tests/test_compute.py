"""Partitioned maps (pipeline.compute): results never depend on partitions, workers or where
they run; a Dask cluster of two worker processes gives the local run's bytes."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import compute
from pipeline.config import load_params
from pipeline.stages.embed import worker_embedder

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "records.csv"


@given(st.integers(0, 500), st.integers(1, 80))
def test_partitions_cover_every_row_once_in_order(n_rows, rows):
    parts = compute.bounds(n_rows, rows)
    assert [i for a, b in parts for i in range(a, b)] == list(range(n_rows))
    assert all(0 < b - a <= rows for a, b in parts)


def test_split_keeps_rows_and_order():
    frame = pd.DataFrame({"x": range(10)})
    parts = compute.split(frame, 4)
    assert [len(p) for p in parts] == [4, 4, 2]
    assert pd.concat(parts)["x"].tolist() == list(range(10))


def test_pool_results_come_back_in_partition_order():
    items = [list(range(n)) for n in (50_000, 3, 20_000, 0, 7)]
    with compute.Workers(workers=2) as pool:
        assert not pool.local
        assert list(pool.map(len, items)) == [50_000, 3, 20_000, 0, 7]


def test_one_worker_runs_in_this_process():
    with compute.Workers(workers=1) as pool:
        assert pool.local
        assert list(pool.map(len, ["ab", ""])) == [2, 0]


def test_worker_share_of_threads(monkeypatch):
    monkeypatch.setenv(compute.THREADS_ENV, "1")
    assert compute.threads() == 1
    monkeypatch.delenv(compute.THREADS_ENV)
    assert compute.threads() == compute.cores()


@pytest.mark.slow
def test_map_stages_give_the_same_tables_on_any_partitioning(tmp_path):
    """Redact, segment and lemmatise 60 sample records in one process and on two worker
    processes with partitions of 7 rows (the segment stage's repeated sentences are counted
    over the whole corpus either way); their segments embedded in one process and in
    partitions of 8 texts on the two workers, each without a cache."""
    from pipeline.contract import run_stage
    from pipeline.dag import stage
    from pipeline.stages.embed import PartitionedEmbedder, embed_frame

    source = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).head(60)
    path = tmp_path / "records.csv"
    source.to_csv(path, index=False)
    outputs = []
    for settings in (["compute.workers=1"], ["compute.workers=2", "compute.partition_rows=7"]):
        params = load_params(ROOT / "params.yaml", settings)
        artefacts: dict = {"src": path}
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("ILMIO_PSEUDONYM_KEY", "compute-test-key-0123456789")
            for name in ("ingest", "redact", "segment", "lemmatise"):
                out, _ = run_stage(stage(name), artefacts, params)
                artefacts.update(out)
        outputs.append(artefacts)
    for name in ("redacted", "spans", "segments", "lemmas"):
        pd.testing.assert_frame_equal(outputs[0][name], outputs[1][name])
    assert outputs[0]["segments"]["boilerplate"].any()  # repeated sentences were found

    p = params.embed
    segments = outputs[0]["segments"]
    args = {"prefix": p.prefix, "batch_size": 4, "cache": None}
    alone = embed_frame(segments, worker_embedder(p.backend, p.model), **args)
    with compute.Workers(workers=2) as pool:
        parted = embed_frame(segments, PartitionedEmbedder(pool, p.backend, p.model, 8), **args)
    assert alone.shape == (len(segments), 384)
    assert alone.tobytes() == parted.tobytes()


def allow_loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connections to this machine's loopback address only (the Dask scheduler and workers);
    every other address stays refused, as in every test. The socket module's functions are
    already guarded (conftest): loopback goes straight to the C-level originals."""
    import _socket

    loopback = {"127.0.0.1", "::1", "localhost"}

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in loopback:
            raise RuntimeError(f"network access attempted: {address!r}")
        return _socket.socket.connect(self, address)

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        if host not in loopback:
            raise RuntimeError(f"name look-up attempted: {host!r}")
        return _socket.getaddrinfo(host, port, family, type, proto, flags)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.slow
def test_dask_cluster_gives_the_local_runs_bytes(runs, tmp_path, monkeypatch):
    """The sample on a `LocalCluster` of two worker processes (its own embedding cache, so
    the workers embed every segment; partitions of 200 rows) against the local run."""
    import dask
    from distributed import LocalCluster

    from pipeline.run import run_pipeline

    allow_loopback_only(monkeypatch)
    monkeypatch.setenv("ILMIO_PSEUDONYM_KEY", "e2e-test-key-0123456789")  # the `runs` key
    # Records never spill to a worker's disk (see the README: "Past one machine").
    no_spill = {"distributed.worker.memory.target": False, "distributed.worker.memory.spill": False}
    with (
        dask.config.set(no_spill),
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            local_directory=str(tmp_path / "dask"),
        ) as cluster,
    ):
        params = load_params(
            ROOT / "params.yaml",
            [
                f"embed.cache_dir={tmp_path / 'cache'}",
                f"compute.scheduler={cluster.scheduler_address}",
                "compute.partition_rows=200",
            ],
        )
        out = run_pipeline(SAMPLE, tmp_path / "dask_run", params)
    for name in ("doc_themes.csv", "themes.csv"):
        assert (out / name).read_bytes() == (runs[0] / name).read_bytes(), name
    # the embed stage's figures too (texts over the token limit are measured by a worker)
    embed = [json.loads((d / "metrics.json").read_text("utf-8"))["embed"] for d in (out, runs[0])]
    assert embed[0] == embed[1] and embed[0]["max_seq_length"] == 512
