"""Accepted themes steer the next fit, so that a refit finds them again (DESIGN.md §4):
their keywords are up-weighted in c-TF-IDF and their centroids pull nearby segments. Rejected
themes mark the topics that match them administrative (pipeline.admin)."""

from __future__ import annotations

import numpy as np

from pipeline.workgroup.registry.store import Registry, has_centroid


def accepted(registry: Registry) -> list[int]:
    return [j for j, t in enumerate(registry.themes) if t.status == "accepted"]


def seed_topics(registry: Registry) -> list[list[str]]:
    """Accepted themes' keyword lists, for BERTopic's `seed_topic_list` (ordered by id).

    With precomputed embeddings and no embedding model BERTopic uses these only to up-weight
    the seed words in c-TF-IDF; `guide_embeddings` does the embedding-side steering.
    """
    themes = sorted((registry.themes[j] for j in accepted(registry)), key=lambda t: t.id)
    return [list(t.keywords) for t in themes if t.keywords]


def seed_centroids(registry: Registry) -> np.ndarray:
    """Accepted themes' centroids (k × dim, ordered by id); empty when none are known."""
    rows = sorted(
        (registry.themes[j].id, j) for j in accepted(registry) if has_centroid(registry, j)
    )
    if not rows:
        return np.zeros(
            (0, 0 if registry.centroids is None else registry.centroids.shape[1]), dtype=np.float32
        )
    return np.stack([registry.centroids[j] for _, j in rows]).astype(np.float32)


def guide_embeddings(
    vectors: np.ndarray, seeds: np.ndarray, *, weight: float = 0.25
) -> tuple[np.ndarray, np.ndarray]:
    """BERTopic's guided step, done with theme centroids in our own (register-free) space.

    Each vector nearer to a seed centroid than to the mean vector is pulled towards that seed
    (`(1 - weight) * v + weight * seed`, renormalised) and labelled with the seed's index; the
    rest get -1. Returns (labels for UMAP's `y`, new vectors). Pure: `vectors` is not changed.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    if len(seeds) == 0 or len(vectors) == 0 or seeds.shape[1] != vectors.shape[1]:
        return np.full(len(vectors), -1), vectors.copy()
    mean = vectors.mean(axis=0, keepdims=True)
    anchors = np.vstack([seeds, mean])
    anchors = anchors / np.maximum(np.linalg.norm(anchors, axis=1, keepdims=True), 1e-12)
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    best = (unit @ anchors.T).argmax(axis=1)
    labels = np.where(best == len(seeds), -1, best)
    out = vectors.copy()
    pulled = labels >= 0
    out[pulled] = (1 - weight) * vectors[pulled] + weight * seeds[labels[pulled]]
    out[pulled] /= np.maximum(np.linalg.norm(out[pulled], axis=1, keepdims=True), 1e-12)
    return labels, out


def rejected_centroids(registry: Registry) -> np.ndarray:
    """Rejected themes' centroids (k × dim, ordered by id): the workgroup said these are not
    phenomena, so a topic that matches one is administrative (pipeline.admin)."""
    rows = sorted(
        (t.id, j)
        for j, t in enumerate(registry.themes)
        if t.status == "rejected" and has_centroid(registry, j)
    )
    if not rows:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([registry.centroids[j] for _, j in rows]).astype(np.float32)
