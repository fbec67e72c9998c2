"""How themes relate: each theme's nearest themes and a two-level hierarchy, for merge decisions.

The workgroup merges themes; to do that it needs to see which themes lie close. Closeness is the
cosine of theme centres (mean segment embeddings in the topic stage's register-free space).
The hierarchy groups themes by average linkage of those centres, cut into about √k groups
(a reading aid: 16 themes in 4 groups, not a second clustering); each theme's parent is the
largest theme of its group, and the largest theme itself has none. Administrative themes stay
out of the hierarchy: they are not phenomena.
"""

from __future__ import annotations

import numpy as np

NEAREST = 3  # nearest themes listed per theme


def nearest_topics(
    centroids: np.ndarray, n: int = NEAREST
) -> tuple[list[list[int]], list[list[float]]]:
    """For each topic, the `n` other topics with the most similar centre, and the cosines
    (rounded to 3 decimals); ties by topic id."""
    k = len(centroids)
    if k == 0:
        return [], []
    sims = np.asarray(centroids, dtype=np.float64) @ np.asarray(centroids, dtype=np.float64).T
    ids, values = [], []
    for i in range(k):
        others = [j for j in range(k) if j != i and np.any(centroids[j])]
        ranked = sorted(others, key=lambda j: (-round(float(sims[i, j]), 6), j))[:n]
        ids.append(ranked)
        values.append([round(float(sims[i, j]), 3) for j in ranked])
    return ids, values


def topic_parents(centroids: np.ndarray, sizes: list[int], skip: list[bool]) -> list[int]:
    """Each topic's parent (-1: none): the largest topic of its group when the topics that are
    not `skip`ped are cut into round(√k) groups by average linkage of their centres."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist

    parents = [-1] * len(centroids)
    members = [i for i in range(len(centroids)) if not skip[i] and np.any(centroids[i])]
    if len(members) < 3:
        return parents
    distances = np.clip(pdist(np.asarray(centroids, dtype=np.float64)[members], "cosine"), 0, 2)
    groups = fcluster(
        linkage(distances, "average"), max(1, round(np.sqrt(len(members)))), "maxclust"
    )
    for group in sorted(set(groups.tolist())):
        inside = [m for m, g in zip(members, groups.tolist(), strict=True) if g == group]
        head = min(inside, key=lambda i: (-sizes[i], i))
        for i in inside:
            if i != head:
                parents[i] = head
    return parents
