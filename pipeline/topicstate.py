"""What a later run needs to assign segments to topics fitted earlier (`topics.keep_model`).

The workgroup reviews themes; between reviews, new records should land in the themes they
reviewed rather than in a refit that renumbers and reshapes them, and a run that adds a month
of records should not pay for a refit. The topic stage therefore writes beside the BERTopic
files the state of its assignment rule: each topic's centre and closeness threshold (in the
register-free space), each register group's mean, the topics' ranked keywords and the fit's
own figures (coherence and subsample stability included). A run with `topics.keep_model`
pointing at such a folder assigns every segment by that rule, refits nothing and reports the
fit's figures as they were.

The state carries a fingerprint of what decided the fit (the topic settings that shape it, the
seed, the embedding model's identity and prefix): a run whose settings would give another fit
refuses the kept model rather than mixing spaces.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.config import TopicsParams
from pipeline.errors import ConfigError

STATE_JSON = "assignment.json"
STATE_ARRAYS = "assignment.npz"
# Settings that shape neither the fit nor the assignment: the review's administrative flags
# and the stability diagnostic are recomputed on every run, and keep_model is this very choice.
NOT_FITTED = {"keep_model", "admin", "stability_check", "stability_draws", "stability_share"}


@dataclass(frozen=True)
class TopicState:
    """The assignment rule of a fitted topic model."""

    fingerprint: str
    centroids: np.ndarray  # (k, dim) the fit's centres, unit rows, register-free space
    thresholds: np.ndarray  # (k,) lowest cosine to the centre that still belongs
    register_means: dict[str, np.ndarray]  # register group -> mean embedding
    ranked: list[list[str]]  # each topic's c-TF-IDF keywords, best first
    fit_metrics: dict  # the fit's figures: n_fit_segments, chosen_k, coherence, stability…


def fingerprint(params: TopicsParams, seed: int, embedding: dict) -> str:
    """SHA-256 of what decides a fit: the topic settings that shape it, the seed and the
    embedding model's identity and prefix (the embed stage's index metadata)."""
    fitted = params.model_dump(mode="json", exclude=NOT_FITTED)
    material = {
        "topics": fitted,
        "seed": seed,
        "model": embedding.get("model", ""),
        "prefix": embedding.get("prefix", ""),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def save_state(state: TopicState, folder: Path) -> None:
    """The state as JSON (names, keywords, figures) and NumPy arrays (no pickle)."""
    groups = sorted(state.register_means)
    dim = state.centroids.shape[1] if state.centroids.ndim == 2 else 0
    means = np.array([state.register_means[g] for g in groups]).reshape(len(groups), -1)
    np.savez(
        folder / STATE_ARRAYS,
        centroids=np.asarray(state.centroids, dtype=np.float32).reshape(-1, dim),
        thresholds=np.asarray(state.thresholds, dtype=np.float64),
        register_means=means.astype(np.float64),
    )
    document = {
        "fingerprint": state.fingerprint,
        "register_groups": groups,
        "ranked": state.ranked,
        "fit_metrics": state.fit_metrics,
    }
    (folder / STATE_JSON).write_text(
        json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def model_record(folder: Path, kept_from: Path | None) -> dict:
    """What a run's manifest says of its topic model: fitted here or kept (and from where), its
    fingerprint and the SHA-256 of its assignment rule (to check a reproduction against)."""
    folder = Path(folder)
    if not (folder / STATE_JSON).is_file():
        return {"kept_from": str(kept_from) if kept_from else None}
    digest = hashlib.sha256()
    for name in (STATE_JSON, STATE_ARRAYS):
        digest.update((folder / name).read_bytes())
    return {
        "kept_from": str(kept_from) if kept_from else None,
        "fingerprint": json.loads((folder / STATE_JSON).read_text(encoding="utf-8"))["fingerprint"],
        "assignment_sha256": digest.hexdigest(),
    }


def load_state(folder: Path, expected: str) -> TopicState:
    """The state saved in `folder`; a `ConfigError` when it is missing or was fitted with
    other settings than `expected` (a fingerprint)."""
    folder = Path(folder)
    if not (folder / STATE_JSON).is_file() or not (folder / STATE_ARRAYS).is_file():
        raise ConfigError(
            f"topics.keep_model: {folder} holds no fitted topic model (no {STATE_JSON}); "
            "point it at the `model` folder of an earlier run, or set it to null to fit"
        )
    document = json.loads((folder / STATE_JSON).read_text(encoding="utf-8"))
    if document["fingerprint"] != expected:
        raise ConfigError(
            f"topics.keep_model: the model in {folder} was fitted with other topic settings, "
            "seed or embedding model than this run's; set topics.keep_model to null to refit"
        )
    with np.load(folder / STATE_ARRAYS, allow_pickle=False) as arrays:
        centroids = arrays["centroids"]
        thresholds = arrays["thresholds"]
        means = arrays["register_means"]
    return TopicState(
        fingerprint=document["fingerprint"],
        centroids=centroids,
        thresholds=thresholds,
        register_means=dict(zip(document["register_groups"], means, strict=True)),
        ranked=document["ranked"],
        fit_metrics=document["fit_metrics"],
    )
