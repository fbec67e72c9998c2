"""Deterministic clustering for the topic stage, as BERTopic-compatible parts.

BERTopic's default UMAP + HDBSCAN gives different topic counts for different seeds and input
orders (BERTopic issues #1763, #1817, #2276) and, on Finnish text, one giant cluster or half
the data as outliers (DESIGN.md §7). Ward's hierarchical clustering on PCA-reduced embeddings
has no randomness at all: the same vectors give the same tree, and the number of clusters is
chosen by a deterministic criterion. Both parts follow the interface BERTopic expects
(`fit`/`transform` for the reducer, `fit`/`labels_` for the clusterer).
"""

from __future__ import annotations

import logging

import numpy as np

log = logging.getLogger(__name__)


class Identity:
    """A reducer that keeps the vectors as they are."""

    def fit(self, X, y=None):  # noqa: N803 - scikit-learn naming
        return self

    def transform(self, X):  # noqa: N803
        return np.asarray(X)


class PcaReducer:
    """PCA with a full, deterministic SVD (no randomised solver), then row normalisation."""

    def __init__(self, n_components: int = 50):
        self.n_components = n_components

    def fit(self, X, y=None):  # noqa: N803
        from sklearn.decomposition import PCA

        n = max(1, min(self.n_components, X.shape[0] - 1, X.shape[1]))
        self._pca = PCA(n_components=n, svd_solver="full").fit(X)
        return self

    def transform(self, X):  # noqa: N803
        out = self._pca.transform(X)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


class WardClusterer:
    """Ward linkage, cut at the k in [min_k, max_k] with the best silhouette.

    Clusters smaller than `min_cluster_size` become outliers (-1); the topic stage later gives
    them the nearest topic if they are close enough. Labels are numbered by first occurrence so
    that equal input gives equal labels.
    """

    def __init__(self, min_k: int = 5, max_k: int = 40, min_cluster_size: int = 10,
                 sample_size: int = 4000, seed: int = 0):
        self.min_k = min_k
        self.max_k = max_k
        self.min_cluster_size = min_cluster_size
        self.sample_size = sample_size
        self.seed = seed

    def fit(self, X, y=None):  # noqa: N803
        from scipy.cluster.hierarchy import fcluster, ward

        X = np.asarray(X, dtype=np.float64)
        tree = ward(X)
        candidates = range(max(2, self.min_k), max(2, min(self.max_k, len(X) - 1)) + 1)
        scored = [(self._score(X, fcluster(tree, k, "maxclust")), k) for k in candidates]
        self.scores_ = {k: round(s, 4) for s, k in scored}
        best_k = max(scored, key=lambda sk: (sk[0], -sk[1]))[1]
        self.labels_ = self._relabel(fcluster(tree, best_k, "maxclust"))
        log.info("ward: k=%d chosen from %d candidates", best_k, len(scored))
        return self

    def _score(self, X, labels) -> float:  # noqa: N803
        from sklearn.metrics import silhouette_score

        if len(set(labels)) < 2:
            return -1.0
        size = min(self.sample_size, len(X))
        return float(silhouette_score(X, labels, sample_size=size if size < len(X) else None,
                                      random_state=self.seed))

    def _relabel(self, labels: np.ndarray) -> np.ndarray:
        sizes = {c: int((labels == c).sum()) for c in set(labels.tolist())}
        order: dict[int, int] = {}
        out = np.full(len(labels), -1)
        for i, c in enumerate(labels.tolist()):
            if sizes[c] < self.min_cluster_size:
                continue
            out[i] = order.setdefault(c, len(order))
        return out
