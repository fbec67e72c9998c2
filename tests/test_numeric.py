"""Stored reductions give the same bits whatever the CPU kernel: the cross-machine dvc.lock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.numeric import ordered_mean, ordered_sum, unit_rows

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = """
import hashlib, numpy as np, pandas as pd
from pipeline.stages.topics import centroids_of, remove_register
rng = np.random.default_rng(0)
x = rng.normal(size=(3000, 384)).astype(np.float32)
labels = rng.integers(0, 12, size=3000)
c = centroids_of(remove_register(x, pd.Series(labels % 3)), labels, 12)
print(hashlib.sha256(c.tobytes()).hexdigest())
"""


def test_ordered_reductions():
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    np.testing.assert_array_equal(ordered_sum(x), x.sum(axis=0))
    np.testing.assert_array_equal(ordered_mean(x, axis=1), x.mean(axis=1))
    rows = unit_rows(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_array_equal(rows, [[0.6, 0.8], [0.0, 0.0]])
    assert ordered_sum(np.zeros((0, 3))).shape == (3,)


@pytest.mark.slow  # four interpreters
def test_centroids_are_the_same_bits_with_every_blas_kernel():
    """OpenBLAS picks its kernels by CPU (`OPENBLAS_CORETYPE` forces one): with BLAS norms the
    centroids differed between kernels, as they did between two machines' `make run`."""
    digests = set()
    for core in ("Haswell", "Sandybridge", "Prescott"):
        env = {**os.environ, "OPENBLAS_CORETYPE": core, "OPENBLAS_NUM_THREADS": "1"}
        out = subprocess.run(
            [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert out.returncode == 0, out.stderr
        digests.add(out.stdout.strip())
    assert len(digests) == 1
