"""Deterministic clustering for the topic stage, as BERTopic-compatible parts.

BERTopic's default UMAP + HDBSCAN gives different topic counts for different seeds and input
orders (BERTopic issues #1763, #1817, #2276) and, on Finnish text, one giant cluster or half
the data as outliers (DESIGN.md §7). The parts here have no random step: the same vectors give
the same labels. They follow the interface BERTopic expects (`fit`/`transform` for the reducer,
`fit`/`labels_` for the clusterer); a clusterer gets the fit segments' lemma strings as
`docs` in its context, for parts that read words as well as vectors.

`spectral-modularity.v1` (the default) chooses the number of themes from the data: spectral
partitions of one kNN graph for every k in a range, and the k whose partition has the highest
modularity on that graph (Newman 2006). The graph joins e5 embeddings with a lemma LSA, so that
both what a segment says and the words it says it with tie it to its neighbours. Calibrated on
the sample and its subsets and the public dev sets (benchmarks/theme_corpora.py).
"""

from __future__ import annotations

import logging

import numpy as np

from pipeline.components import (
    CLUSTERERS,
    REDUCERS,
    HdbscanV1,
    KMeansV1,
    NoReducerV1,
    PcaV1,
    SpectralModularityV1,
    SpectralV1,
    UmapV1,
    WardV1,
)
from pipeline.numeric import unit_rows

log = logging.getLogger(__name__)


@REDUCERS.register("none.v1")
class Identity:
    """A reducer that keeps the vectors as they are."""

    def __init__(self, params: NoReducerV1 | None = None, **context) -> None:
        pass

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return np.asarray(X)


@REDUCERS.register("pca.v1")
class PcaReducer:
    """PCA with a full, deterministic SVD (no randomised solver), then row normalisation."""

    def __init__(self, params: PcaV1, **context) -> None:
        self.n_components = params.n_components

    def fit(self, X, y=None):
        from sklearn.decomposition import PCA

        n = max(1, min(self.n_components, X.shape[0] - 1, X.shape[1]))
        self._pca = PCA(n_components=n, svd_solver="full").fit(X)
        return self

    def transform(self, X):
        out = self._pca.transform(X)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


@CLUSTERERS.register("ward.v1")
class WardClusterer:
    """Ward linkage, cut at the k in [min_k, max_k] with the best silhouette.

    Clusters smaller than `min_cluster_size` become outliers (-1); the topic stage later gives
    them the nearest topic if they are close enough. Labels are numbered by first occurrence so
    that equal input gives equal labels.
    """

    sample_size = 4000  # silhouette on a seeded sample above this many points

    def __init__(self, params: WardV1, *, seed: int, **context) -> None:
        self.min_k = params.min_k
        self.max_k = params.max_k
        self.min_cluster_size = params.min_cluster_size
        self.seed = seed

    def fit(self, X, y=None):
        from scipy.cluster.hierarchy import fcluster, ward

        X = np.asarray(X, dtype=np.float64)
        tree = ward(X)
        candidates = range(max(2, self.min_k), max(2, min(self.max_k, len(X) - 1)) + 1)
        scored = [(self._score(X, fcluster(tree, k, "maxclust")), k) for k in candidates]
        self.scores_ = {k: round(s, 4) for s, k in scored}
        best_k = max(scored, key=lambda sk: (sk[0], -sk[1]))[1]
        self.labels_ = relabel_small(fcluster(tree, best_k, "maxclust"), self.min_cluster_size)
        log.info("ward: k=%d chosen from %d candidates", best_k, len(scored))
        return self

    def _score(self, X, labels) -> float:
        from sklearn.metrics import silhouette_score

        if len(set(labels)) < 2:
            return -1.0
        size = min(self.sample_size, len(X))
        return float(
            silhouette_score(
                X, labels, sample_size=size if size < len(X) else None, random_state=self.seed
            )
        )


@CLUSTERERS.register("spectral.v1")
class SpectralClusterer:
    """Spectral clustering of a cosine k-nearest-neighbour graph, without randomness.

    The graph captures the local structure that UMAP exploits, but the rest is linear algebra:
    the leading eigenvectors of the normalised affinity are computed from a fixed start
    vector, and points are assigned by the QR-pivoting rule of Damle et al. (`cluster_qr`),
    which has no random initialisation. Equal vectors give equal labels whatever the seed.

    The number of clusters is a resolution set in params: `k` if given, else about one
    cluster per `segments_per_topic` segments, kept within [min_k, max_k]. (The eigengap
    heuristic picked 6 clusters on the 12-theme sample and 10 on the 15-label Eduskunta set,
    far too coarse; see benchmarks/themes.py.) Clusters smaller than `min_cluster_size` become
    outliers (-1); the topic stage gives them the nearest topic when close enough.
    """

    def __init__(self, params: SpectralV1, **context) -> None:
        self.k = params.k
        self.segments_per_topic = params.segments_per_topic
        self.min_k = params.min_k
        self.max_k = params.max_k
        self.n_neighbors = params.n_neighbors
        self.min_cluster_size = params.min_cluster_size

    def n_clusters(self, n: int) -> int:
        k = self.k or round(n / self.segments_per_topic)
        return int(max(2, min(max(k, self.min_k), self.max_k, n - 2)))

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=np.float64)
        k = self.n_clusters(len(X))
        vectors = spectral_vectors(X, n_neighbors=min(self.n_neighbors, len(X) - 1), n_vectors=k)
        self.k_ = k
        self.labels_ = relabel_small(cluster_qr(vectors), self.min_cluster_size)
        log.info("spectral: k=%d for %d points", k, len(X))
        return self


@CLUSTERERS.register("spectral-modularity.v1")
class SpectralModularityClusterer:
    """Spectral partitions of a kNN graph; k chosen by modularity, not by a ratio.

    1. The graph: cosine k-nearest neighbours over each segment's embedding joined with its
       lemma LSA (`lexical_weight` of the squared norm goes to the LSA). The embedding alone
       lets register and phrasing tie segments together; shared content words pull a theme's
       segments together and cost nothing to compute.
    2. The leading eigenvectors of the graph's normalised affinity, from a fixed start vector,
       once for `max_k`; a partition for every k in [min_k, max_k] by column-pivoted QR on the
       first k of them (no random initialisation).
    3. The modularity of each partition on the same graph (the share of edges inside clusters
       minus what chance gives for the same cluster sizes), and the smallest k whose modularity
       is within `tolerance` (relative) of the best: a theme is split in two only when that
       clearly separates the graph better. Without the tolerance the choice wanders over the
       flat top of the curve (it picked 8 clusters on the 4-theme subset of the sample,
       15 on the 8-theme one; with 1 %: 5 and 10; benchmarks/theme_corpora.py).

    Clusters smaller than `min_cluster_size` become outliers (-1).
    """

    def __init__(self, params: SpectralModularityV1, *, docs: list[str] | None = None, **context):
        self.params = params
        self.docs = docs

    def fit(self, X, y=None):
        p = self.params
        X = unit_rows(np.asarray(X, dtype=np.float64))
        lexical = lemma_lsa(self.docs, p.lexical_dims) if self.docs and p.lexical_weight else None
        if lexical is not None and len(lexical) == len(X):
            X = unit_rows(
                np.hstack([X * np.sqrt(1 - p.lexical_weight), lexical * np.sqrt(p.lexical_weight)])
            )
        affinity = knn_affinity(X, n_neighbors=min(p.n_neighbors, len(X) - 1))
        top = max(2, min(p.max_k, len(X) - 2))
        vectors = leading_vectors(affinity, n_vectors=top)
        partitions = {
            k: cluster_qr(vectors[:, :k]) for k in range(max(2, min(p.min_k, top)), top + 1)
        }
        self.modularity_ = {k: modularity(affinity, labels) for k, labels in partitions.items()}
        best = max(self.modularity_.values())
        self.k_ = min(k for k, q in self.modularity_.items() if q >= best * (1 - p.tolerance))
        self.labels_ = relabel_small(partitions[self.k_], p.min_cluster_size)
        log.info(
            "spectral-modularity: k=%d (modularity %.3f, best %.3f) for %d points",
            self.k_,
            self.modularity_[self.k_],
            best,
            len(X),
        )
        return self


@REDUCERS.register("umap.v1")
def umap_reducer(params: UmapV1, *, seed: int, n_docs: int):
    """UMAP, seeded, single-threaded (BERTopic's default reducer)."""
    from umap import UMAP

    return UMAP(
        n_neighbors=min(params.n_neighbors, max(2, n_docs - 1)),
        n_components=params.n_components,
        min_dist=params.min_dist,
        metric=params.metric,
        random_state=seed,
        n_jobs=1,
    )


@CLUSTERERS.register("hdbscan.v1")
def hdbscan_clusterer(params: HdbscanV1, **context):
    """HDBSCAN with prediction data (BERTopic's default clusterer)."""
    from hdbscan import HDBSCAN

    return HDBSCAN(
        min_cluster_size=params.min_cluster_size,
        min_samples=params.min_samples,
        cluster_selection_method=params.cluster_selection_method,
        metric="euclidean",
        prediction_data=True,
    )


@CLUSTERERS.register("kmeans.v1")
class KMeansClusterer:
    """k-means (scikit-learn), 10 seeded k-means++ starts; small clusters become outliers."""

    def __init__(self, params: KMeansV1, *, seed: int, **context) -> None:
        self.params, self.seed = params, seed

    def fit(self, X, y=None):
        from sklearn.cluster import KMeans

        k = min(self.params.k, len(X) - 1)
        labels = KMeans(k, n_init=10, random_state=self.seed).fit_predict(np.asarray(X))
        self.labels_ = relabel_small(labels, self.params.min_cluster_size)
        return self


def spectral_vectors(X: np.ndarray, *, n_neighbors: int, n_vectors: int) -> np.ndarray:
    """The leading `n_vectors` eigenvectors of the normalised kNN affinity, D^-1/2-scaled."""
    return leading_vectors(knn_affinity(X, n_neighbors=n_neighbors), n_vectors=n_vectors)


def knn_affinity(X: np.ndarray, *, n_neighbors: int):
    """Symmetric cosine kNN graph (sparse): 1 for a neighbour, 0.5 when only one way."""
    from sklearn.neighbors import kneighbors_graph

    graph = kneighbors_graph(X, n_neighbors=n_neighbors, metric="cosine", include_self=False)
    return (0.5 * (graph + graph.T)).tocsr()


def leading_vectors(affinity, *, n_vectors: int) -> np.ndarray:
    """The leading eigenvectors of the normalised `affinity`, D^-1/2-scaled, signs fixed."""
    from scipy.sparse import diags
    from scipy.sparse.linalg import eigsh

    n = affinity.shape[0]
    degree = np.asarray(affinity.sum(axis=1)).ravel()
    inv_sqrt = 1.0 / np.sqrt(np.where(degree > 0, degree, 1.0))
    normalised = diags(inv_sqrt) @ affinity @ diags(inv_sqrt)
    # A fixed start vector makes ARPACK deterministic (its default start vector is random).
    start = np.sqrt(np.where(degree > 0, degree, 1.0))
    values, vectors = eigsh(
        normalised,
        k=min(n_vectors, n - 1),
        which="LA",
        v0=start,
        tol=1e-8,
        maxiter=n * 20,
    )
    order = np.argsort(-values, kind="stable")
    scaled = vectors[:, order] * inv_sqrt[:, None]
    # Eigenvectors have an arbitrary sign: fix it so that the largest entry is positive.
    signs = np.sign(scaled[np.abs(scaled).argmax(axis=0), np.arange(scaled.shape[1])])
    return scaled * np.where(signs == 0, 1.0, signs)


def modularity(affinity, labels: np.ndarray) -> float:
    """Newman's modularity of `labels` on the weighted graph `affinity` (outliers excluded)."""
    from scipy.sparse import csr_matrix

    labels = np.asarray(labels)
    keep = labels >= 0
    graph = affinity[keep][:, keep]
    labels = labels[keep]
    total = float(graph.sum())
    if total == 0 or not len(labels):
        return 0.0
    k = int(labels.max()) + 1
    member = csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))), (k, len(labels)))
    inside = float((member @ graph).multiply(member).sum())
    volume = np.asarray(member @ np.asarray(graph.sum(axis=1))).ravel()
    return inside / total - float(((volume / total) ** 2).sum())


def lemma_lsa(docs: list[str], dims: int) -> np.ndarray | None:
    """Unit rows of a truncated SVD (LSA) of the segments' TF-IDF lemma vectors; None when
    the vocabulary is too small. ARPACK from a fixed start vector: no random step."""
    from scipy.sparse.linalg import svds
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        tokenizer=str.split, lowercase=False, token_pattern=None, min_df=2, sublinear_tf=True
    )
    try:
        tfidf = vectorizer.fit_transform(docs)
    except ValueError:  # no word in two segments
        return None
    k = min(dims, min(tfidf.shape) - 1)
    if k < 2:
        return None
    start = np.full(min(tfidf.shape), 1.0 / np.sqrt(min(tfidf.shape)))
    left, values, _ = svds(tfidf.astype(np.float64), k=k, v0=start, solver="arpack")
    return unit_rows(left * values)


def cluster_qr(vectors: np.ndarray) -> np.ndarray:
    """Labels from spectral vectors by column-pivoted QR (Damle, Minden & Ying 2019)."""
    from scipy.linalg import qr, svd

    k = vectors.shape[1]
    _, _, piv = qr(vectors.T, pivoting=True)
    ut, _, v = svd(vectors[piv[:k], :].T)
    return np.abs(vectors @ (ut @ v.conj())).argmax(axis=1)


def relabel_small(labels: np.ndarray, min_cluster_size: int) -> np.ndarray:
    """Clusters below `min_cluster_size` → -1; others renumbered 0.. by first occurrence."""
    labels = np.asarray(labels)
    values, counts = np.unique(labels, return_counts=True)
    big = {
        v for v, c in zip(values.tolist(), counts.tolist(), strict=True) if c >= min_cluster_size
    }
    order: dict[int, int] = {}
    out = np.full(len(labels), -1)
    for i, c in enumerate(labels.tolist()):
        if c in big:
            out[i] = order.setdefault(c, len(order))
    return out
