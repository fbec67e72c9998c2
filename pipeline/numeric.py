"""Reductions whose result does not depend on the machine.

NumPy sums with pairwise summation in SIMD-width blocks, and BLAS splits a dot product over
threads: the same vectors give sums that differ in the last bit on another CPU or thread
count. A centroid written to disk then hashes differently and `dvc.lock` records one
machine's noise (two machines gave different `06_centroids.npy` for identical themes). Here
every stored reduction adds in one fixed order, in float64: `np.cumsum` is sequential by
definition, and IEEE-754 makes each addition, division and square root exactly rounded.
"""

from __future__ import annotations

import numpy as np


def ordered_sum(values: np.ndarray, axis: int = 0) -> np.ndarray:
    """Sum along `axis` in index order, in float64 (the same bits on every machine)."""
    values = np.asarray(values, dtype=np.float64)
    if values.shape[axis] == 0:
        return np.zeros(np.delete(values.shape, axis), dtype=np.float64)
    return np.take(np.cumsum(values, axis=axis), -1, axis=axis)


def ordered_mean(values: np.ndarray, axis: int = 0) -> np.ndarray:
    values = np.asarray(values)
    return ordered_sum(values, axis) / max(values.shape[axis], 1)


def unit_rows(values: np.ndarray) -> np.ndarray:
    """Each row divided by its L2 norm (zero rows stay zero), norms summed in order."""
    values = np.asarray(values, dtype=np.float64)
    norms = np.sqrt(ordered_sum(values * values, axis=1))[:, None]
    return values / np.where(norms == 0, 1.0, norms)
