"""Reductions whose result does not depend on the machine.

NumPy sums with pairwise summation in SIMD-width blocks, and BLAS splits a dot product over
threads: the same vectors give sums that differ in the last bit on another CPU or thread
count. A centroid written to disk then hashes differently and `dvc.lock` records one
machine's noise (two machines gave different `06_centroids.npy` for identical themes). Here
every stored reduction adds in one fixed order, in float64: `np.cumsum` is sequential by
definition, and IEEE-754 makes each addition, division and square root exactly rounded.

Sums run over blocks of `BLOCK` rows with the running total carried in as the first row of
the next block: the same additions in the same order, so the same bits as one `np.cumsum`,
with memory of one block instead of two float64 copies of the whole array.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

BLOCK = 4096  # rows a reduction holds in float64 at a time


def ordered_sum_blocks(blocks: Iterable[np.ndarray]) -> np.ndarray | None:
    """Sum over axis 0 of the blocks stacked in order (None when there are no rows)."""
    total = None
    for block in blocks:
        block = np.asarray(block, dtype=np.float64)
        if len(block) == 0:
            continue
        if total is not None:
            block = np.concatenate([total[None], block])
        total = np.cumsum(block, axis=0)[-1]
    return total


def ordered_sum(values: np.ndarray, axis: int = 0) -> np.ndarray:
    """Sum along `axis` in index order, in float64 (the same bits on every machine)."""
    values = np.moveaxis(np.asarray(values), axis, 0)
    total = ordered_sum_blocks(values[i : i + BLOCK] for i in range(0, len(values), BLOCK))
    return np.zeros(values.shape[1:], dtype=np.float64) if total is None else total


def ordered_mean(values: np.ndarray, axis: int = 0) -> np.ndarray:
    values = np.asarray(values)
    return ordered_sum(values, axis) / max(values.shape[axis], 1)


def unit_rows(values: np.ndarray) -> np.ndarray:
    """Each row divided by its L2 norm (zero rows stay zero), norms summed in order; float64."""
    values = np.asarray(values)
    out = np.empty(values.shape, dtype=np.float64)
    for i in range(0, len(values), BLOCK):
        block = np.asarray(values[i : i + BLOCK], dtype=np.float64)
        norms = np.sqrt(ordered_sum(block * block, axis=1))[:, None]
        out[i : i + BLOCK] = block / np.where(norms == 0, 1.0, norms)
    return out
