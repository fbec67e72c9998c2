"""Shared fixtures: no network in any test, the project's paths, the real model folder."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from hypothesis import settings

import pipeline  # noqa: F401 - sets the offline environment before any HF import

# CI runs the property tests on a fixed example sequence (a red build must be reproducible);
# local runs explore new random examples each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "records.csv"
MODEL = ROOT / "models" / "e5-small"


class NetworkBlocked(RuntimeError):
    """Raised when code under test tries to open a network connection."""


def _refuse(*args, **kwargs):
    raise NetworkBlocked(f"network access attempted: {args[:2]!r}")


def block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse outbound IP connections and name look-ups (AF_UNIX stays usable)."""
    real_connect = socket.socket.connect

    def guarded_connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _refuse(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with the network refused."""
    block_network(monkeypatch)


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """Two whole runs of the bundled sample (original and shuffled rows), both with the network
    refused: (original output dir, shuffled-input output dir). Shared by the end-to-end and
    notebook tests, so the slow run happens once a session."""
    import pandas as pd

    from pipeline.config import load_params
    from pipeline.run import run_pipeline

    base = tmp_path_factory.mktemp("e2e")
    shuffled = base / "shuffled.csv"
    source = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    source.sample(frac=1.0, random_state=3).to_csv(shuffled, index=False)
    params = load_params(ROOT / "params.yaml", [f"embed.cache_dir={base / 'cache'}"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ILMIO_PSEUDONYM_KEY", "e2e-test-key-0123456789")
        block_network(mp)
        first = run_pipeline(SAMPLE, base / "original", params)
        second = run_pipeline(shuffled, base / "shuffled", params)
    return first, second


@pytest.fixture(scope="session")
def model_dir() -> Path:
    """The real e5 folder (`make model` builds it); tests that need it fail loudly without it."""
    if not (MODEL / "modules.json").exists():
        pytest.fail(f"{MODEL} missing: run `make model` (ilmio prepare-model)")
    return MODEL
