"""Partitioned maps for the row-wise stages (redact, segment, lemmatise, embed; DESIGN.md §11).

One place decides where a stage's partitions run:
- `compute.scheduler` names a Dask scheduler (`tcp://10.1.2.3:8786`, `tls://...`): the
  partitions are tasks of that `dask.distributed` cluster;
- otherwise local processes, `compute.workers` of them (null: every core this process may
  use); one worker runs in the calling process, without a pool. (The embed stage maps only on
  a cluster: on one machine its model's threads use every core, and a second process would
  hold a second copy of the model.)

A partition is a contiguous slice of the stage's input in the input's own row order, of
`compute.partition_rows` rows. Each function mapped is a pure, module-level function of one
partition (and small picklable settings), and results come back in partition order, so a
stage's output never depends on the number of workers, on where they run or on which finished
first. Heavy objects (a redactor, a lemmatiser, an embedding model) are built once per worker
process by the stage's own cached builder.

Nothing here is a job queue of our own: local runs use the standard library's process pool,
clusters use Dask's scheduler.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import AbstractContextManager
from typing import Any

from pipeline.progress import progress

log = logging.getLogger(__name__)

THREADS_ENV = "ILMIO_THREADS"  # threads a worker's numeric libraries may use (embedders)


def cores() -> int:
    """Cores this process may use (CPU affinity and container limits respected)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def bounds(n_rows: int, rows: int) -> list[tuple[int, int]]:
    """[start, stop) of each partition of `rows` rows (the last one shorter)."""
    return [(start, min(start + rows, n_rows)) for start in range(0, n_rows, max(1, rows))]


def split(frame: Any, rows: int) -> list[Any]:
    """`frame` (a DataFrame or a list) cut into partitions of `rows` rows, order kept."""
    if hasattr(frame, "iloc"):
        return [frame.iloc[a:b] for a, b in bounds(len(frame), rows)]
    return [frame[a:b] for a, b in bounds(len(frame), rows)]


def _init_local_worker(threads: int) -> None:
    # Two processes on two cores, each with a thread pool the size of the machine, would
    # fight for the cores: each worker gets its share.
    os.environ[THREADS_ENV] = str(threads)
    os.environ.setdefault("ILMIO_NO_PROGRESS", "1")  # one bar, the caller's


class Workers(AbstractContextManager):
    """Where the partitions of one stage run: in this process, a local pool, or a Dask cluster.

    `map(fn, items, *args)` calls `fn(item, *args)` for each item and yields the results in
    the order of `items`, as soon as each one and every one before it is done.
    """

    def __init__(self, workers: int | None = None, scheduler: str | None = None) -> None:
        self.scheduler = scheduler
        self.n = 1 if scheduler is None and workers == 1 else (workers or cores())
        self._pool: Executor | None = None
        self._client: Any = None

    @property
    def local(self) -> bool:
        """Whether everything runs in this process (no pool, no cluster)."""
        return self.scheduler is None and self.n == 1

    def __enter__(self) -> Workers:
        if self.scheduler is not None:
            from distributed import Client

            self._client = Client(self.scheduler, set_as_default=False)
            log.info("partitions run on the Dask cluster at %s", self.scheduler)
        elif self.n > 1:
            threads = max(1, cores() // self.n)
            # spawn, not fork: the caller may hold threads (ONNX Runtime, BLAS, pyarrow).
            self._pool = ProcessPoolExecutor(
                max_workers=self.n,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_local_worker,
                initargs=(threads,),
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None

    def map(
        self, fn: Callable[..., Any], items: Sequence[Any], *args: Any, desc: str = ""
    ) -> Iterator[Any]:
        bar = progress(total=len(items), desc=desc, unit="part")
        try:
            if self._client is not None:
                yield from self._map_dask(fn, items, args, bar)
            elif self._pool is not None:
                futures = [self._pool.submit(fn, item, *args) for item in items]
                for future in futures:
                    yield future.result()
                    bar.update()
            else:
                for item in items:
                    yield fn(item, *args)
                    bar.update()
        finally:
            bar.close()

    def _map_dask(self, fn, items, args, bar) -> Iterator[Any]:
        # Settings travel with each task (they are small; scattering the same settings twice
        # with `broadcast=True` hung). `pure=False`: a rerun is a new computation.
        futures = [self._client.submit(fn, item, *args, pure=False) for item in items]
        for future in futures:
            yield future.result()
            future.release()
            bar.update()


def workers(params: Any) -> Workers:
    """The `Workers` named by the `compute` params section."""
    return Workers(params.workers, params.scheduler)


def threads() -> int:
    """Threads the numeric libraries of this process may use: the worker's share of cores."""
    value = os.environ.get(THREADS_ENV, "")
    return int(value) if value.isdigit() and int(value) > 0 else cores()
