"""Matching a run's topics to registry themes, one to one (DESIGN.md §4).

Centroid cosine where both sides have a centroid, else keyword Jaccard; Hungarian assignment
above a threshold. Matched topics take the theme's id and name; unmatched ones become new
candidates; a topic matched to a merged theme lives on in the theme it was merged into.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.workgroup.registry.store import RegisteredTheme, Registry, has_centroid


def similarity_matrix(
    topic_centroids: np.ndarray, topic_keywords: list[list[str]], registry: Registry
) -> np.ndarray:
    """Topics × registry themes: centroid cosine when both sides have one, else keyword Jaccard."""
    sims = np.zeros((len(topic_keywords), len(registry.themes)))
    for j, theme in enumerate(registry.themes):
        for i, words in enumerate(topic_keywords):
            if (
                has_centroid(registry, j)
                and i < len(topic_centroids)
                and np.any(topic_centroids[i])
                and topic_centroids.shape[1] == registry.centroids.shape[1]
            ):
                sims[i, j] = float(topic_centroids[i] @ registry.centroids[j])
            else:
                a, b = set(words), set(theme.keywords)
                sims[i, j] = len(a & b) / len(a | b) if a | b else 0.0
    return sims


def match_topics(
    topics: pd.DataFrame, topic_centroids: np.ndarray, registry: Registry, *, threshold: float
) -> pd.DataFrame:
    """One row per topic: theme_id, name, status, is_new, merged_into. One-to-one, above
    `threshold`.

    A topic matched to a merged theme takes the theme it was merged into (the phenomenon lives
    on there) unless another topic already holds that theme; then it keeps the merged theme's
    id with status "merged" and `merged_into` naming the target, so the caller can fold it.
    """
    from scipy.optimize import linear_sum_assignment

    candidates = list(range(len(registry.themes)))
    matched: dict[int, RegisteredTheme] = {}
    if candidates and len(topics):
        topic_centroids = np.asarray(topic_centroids)
        if topic_centroids.ndim != 2:
            topic_centroids = np.zeros((0, 0))
        sims = similarity_matrix(topic_centroids, topics["keywords"].map(list).tolist(), registry)
        rows, cols = linear_sum_assignment(-sims)
        for i, j in zip(rows, cols, strict=True):
            if sims[i, j] >= threshold:
                matched[int(i)] = registry.themes[j]
    held = {t.id for t in matched.values() if t.status != "merged"}
    out, new = [], 0
    for i, topic in enumerate(topics.itertuples(index=False)):
        theme = matched.get(i)
        if theme is None:
            out.append(
                {
                    "topic": topic.topic,
                    "theme_id": registry.next_id(new),
                    "name": topic.label,
                    "status": "candidate",
                    "is_new": True,
                    "merged_into": "",
                }
            )
            new += 1
            continue
        if theme.status == "merged":
            target = registry.final_target(theme.id)
            if target is not None and target.id not in held:
                held.add(target.id)
                theme = target
            else:
                out.append(
                    {
                        "topic": topic.topic,
                        "theme_id": theme.id,
                        "name": theme.name,
                        "status": "merged",
                        "is_new": False,
                        "merged_into": target.id if target is not None else "",
                    }
                )
                continue
        out.append(
            {
                "topic": topic.topic,
                "theme_id": theme.id,
                "name": theme.name,
                "status": theme.status,
                "is_new": False,
                "merged_into": "",
            }
        )
    return pd.DataFrame(
        out, columns=["topic", "theme_id", "name", "status", "is_new", "merged_into"]
    )
