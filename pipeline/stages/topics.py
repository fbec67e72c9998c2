"""Discover recurring phenomena: BERTopic over segment embeddings, c-TF-IDF over lemmas.

Countering "register beats theme" (DESIGN.md §7), in this order:
1. boilerplate segments never enter the fit (the segment stage flags them, headers included);
2. the mean embedding of each register group (document type × language) is subtracted, so
   that professional notes, client feedback and Swedish records do not form their own topics;
3. inputs are sorted by `segment_id` and the default clusterer has no random step, so that
   the row order of the input and repeated runs give the same topics;
4. the number of topics comes from the data (`spectral-modularity.v1`: pipeline.clustering);
5. honest assignment: a segment belongs to a topic only when it is about as close to the
   centre as the topic's own members (`assign_mads`); the rest stay without a topic;
6. keywords come from c-TF-IDF over lemmas without stop words, placeholders and person names;
   names from the top nouns (pipeline.naming);
7. each topic is described for the review: administrative or not (pipeline.admin, with the
   signals measured), its nearest topics and parent (pipeline.hierarchy), its representative
   excerpts, checked (pipeline.excerpts).

Reads:  03_segments.parquet, 04_lemmas.parquet, 05_embeddings.npy + index, 02_redacted.parquet,
        configs/theme_registry.yaml + theme_centroids.npy (accepted themes steer the fit,
        rejected ones mark topics administrative); with `topics.keep_model`, an earlier run's
        model folder, whose topics every segment is assigned to without a refit
        (pipeline.topicstate)
Writes: models/topics/ (BERTopic, safetensors, and the assignment rule), 06_segment_topics.parquet,
        06_topics.parquet, 06_centroids.npy, metrics/topics.json
Params: params.yaml > seed, topics, themes.registry, themes.match_threshold;
        compute.working_memory_mb (memory, not results: scikit-learn's chunk of pairwise
        distances)
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline import artefacts, clustering  # noqa: F401 - registers the reducers and clusterers
from pipeline.components import CLUSTERERS, REDUCERS
from pipeline.config import Params, TopicsParams, resolve
from pipeline.contract import META, Artefact, Stage, Writer
from pipeline.numeric import BLOCK, ordered_mean, ordered_sum_blocks, unit_rows
from pipeline.progress import progress
from pipeline.topicstate import TopicState, fingerprint, load_state, save_state
from pipeline.workgroup.registry.steering import (
    guide_embeddings,
    rejected_centroids,
    seed_centroids,
    seed_topics,
)
from pipeline.workgroup.registry.store import Registry, load_registry, registry_files

log = logging.getLogger(__name__)

OUTLIER = -1


@dataclass(frozen=True)
class TopicResult:
    """Everything the topic stage produces, in memory."""

    segment_topics: pd.DataFrame  # SEGMENT_TOPICS
    topics: pd.DataFrame  # TOPICS
    centroids: np.ndarray  # one row per topic id 0..k-1, in the register-free space
    model: object | None  # fitted BERTopic, or None when too little data (or kept)
    metrics: dict
    state: TopicState  # the assignment rule, for a later run that keeps this model


def _blocks(rows: np.ndarray) -> list[np.ndarray]:
    # Block by block: a float64 copy of every vector was 1.2 GB at 100,000 records.
    return [rows[i : i + BLOCK] for i in range(0, len(rows), BLOCK)]


def register_means(vectors: np.ndarray, groups: pd.Series) -> dict[str, np.ndarray]:
    """Each register group's mean vector (float64; the same bits on every machine)."""
    keys = groups.to_numpy()
    means = {}
    for key in sorted(set(keys)):
        rows = np.flatnonzero(keys == key)
        means[key] = ordered_sum_blocks(vectors[b] for b in _blocks(rows)) / len(rows)
    return means


def remove_register(
    vectors: np.ndarray,
    groups: pd.Series,
    means: dict[str, np.ndarray] | None = None,
    *,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Subtract each register group's mean vector (`means`, else the groups' own), then
    L2-normalise; into `out` if given (float32, may be `vectors` itself: a row is read before
    it is written).

    e5 places all client feedback (or all Swedish text) close together whatever it is about;
    the group mean is that shared offset. Groups are sorted for a deterministic result.
    """
    means = register_means(vectors, groups) if means is None else means
    out = np.empty(np.shape(vectors), dtype=np.float32) if out is None else out
    keys = groups.to_numpy()
    for key in sorted(set(keys)):
        for b in _blocks(np.flatnonzero(keys == key)):
            out[b] = unit_rows(np.asarray(vectors[b], dtype=np.float64) - means[key])
    return out


def fit_mask(segments: pd.DataFrame, lemmas: pd.Series, *, min_lemmas: int = 3) -> np.ndarray:
    """Segments the topic model is fitted on: Finnish content with enough lemmas."""
    return (
        (~segments["boilerplate"]).to_numpy()
        & (segments["lang"] == "fi").to_numpy()
        & (lemmas.map(len) >= min_lemmas).to_numpy()
    )


def stratified_sample(keys: pd.Series, strata: pd.Series, size: int, seed: int) -> np.ndarray:
    """Boolean mask choosing `size` rows, proportionally per stratum, order-free."""
    if len(keys) <= size:
        return np.ones(len(keys), dtype=bool)
    order = pd.DataFrame({"key": keys.to_numpy(), "stratum": strata.to_numpy()})
    order["rank"] = order["key"].map(lambda k: _stable_hash(k, seed))
    share = size / len(keys)
    chosen = (
        order.sort_values(["stratum", "rank"])
        .groupby("stratum", sort=True)
        .apply(lambda g: g.head(max(1, round(len(g) * share))), include_groups=False)
    )
    mask = np.zeros(len(keys), dtype=bool)
    mask[chosen.index.get_level_values(-1)] = True
    return mask


def _stable_hash(key: str, seed: int) -> int:
    import hashlib

    return int.from_bytes(hashlib.sha256(f"{seed}:{key}".encode()).digest()[:8], "big")


def build_reducer(params: TopicsParams, seed: int, n_docs: int):
    """The dimension reducer named by `topics.reducer` (pipeline.components)."""
    return REDUCERS.make(params.reducer, seed=seed, n_docs=n_docs)


def build_clusterer(params: TopicsParams, seed: int, docs: list[str] | None = None):
    """The clusterer named by `topics.clusterer` (pipeline.components); `docs` are the fit
    segments' lemma strings, for clusterers that read words too."""
    return CLUSTERERS.make(params.clusterer, seed=seed, docs=docs)


def vocabulary(docs: list[str], min_df: int) -> list[str]:
    """Lemmas found in at least `min_df` of the fit segments, sorted.

    Given to the vectorizer as a fixed vocabulary: BERTopic fits its vectorizer on one document
    per *topic*, so a `min_df` there would count topics, drop every word of a single topic, and
    fail outright when there are fewer topics than `min_df`.
    """
    from collections import Counter

    df = Counter(word for doc in docs for word in set(doc.split()))
    return sorted(word for word, n in df.items() if n >= min_df)


def fit_problem(docs: list[str], vocab: list[str], min_docs: int) -> dict | None:
    """Why no topic model can be fitted on these segments (a reason code and its figures,
    worded for people by `i18n.no_themes_text`), or None."""
    if len(docs) < min_docs:
        return {"reason": "too_few_segments", "n": len(docs), "min": min_docs}
    if len(set(docs)) < min_docs:
        return {"reason": "too_few_distinct_segments", "n": len(set(docs)), "min": min_docs}
    if len(vocab) < 2:
        return {"reason": "too_few_words", "n": len(vocab), "min": 2}
    return None


def build_bertopic(
    params: TopicsParams,
    seed: int,
    docs: list[str],
    seed_words: list[list[str]] | None = None,
    vocab: list[str] | None = None,
):
    """A BERTopic with explicit, seeded parts and a lemma vectorizer (never a hub model)."""
    from bertopic import BERTopic
    from bertopic.vectorizers import ClassTfidfTransformer
    from sklearn.feature_extraction.text import CountVectorizer

    umap_model = build_reducer(params, seed, len(docs))
    hdbscan_model = build_clusterer(params, seed, docs)
    # Documents handed to BERTopic are already lemma strings: split on spaces only.
    vectorizer = CountVectorizer(
        tokenizer=str.split, lowercase=False, token_pattern=None, vocabulary=vocab
    )
    return BERTopic(
        embedding_model=None,
        umap_model=umap_model,
        hdbscan_model=hdbscan_model,
        vectorizer_model=vectorizer,
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        top_n_words=params.top_n_words * 3,  # room for `without_parts` and dropped names
        seed_topic_list=seed_words or None,
        # Any value but "english": BERTopic's English preprocessing deletes every non-ASCII
        # letter, turning "häätö" into "ht".
        language="multilingual",
        calculate_probabilities=False,
        verbose=False,
    )


def centroids_of(vectors: np.ndarray, labels: np.ndarray, n_topics: int) -> np.ndarray:
    """Normalised mean vector of each topic 0..n_topics-1 (the same bits on every machine:
    pipeline.numeric)."""
    out = np.zeros((n_topics, vectors.shape[1]), dtype=np.float32)
    for topic in range(n_topics):
        members = vectors[labels == topic]
        if len(members):
            out[topic] = unit_rows(ordered_mean(members)[None, :])[0]
    return out


def assign_nearest(
    vectors: np.ndarray,
    centroids: np.ndarray,
    *,
    threshold: float | np.ndarray,
    temperature: float = 0.05,
) -> tuple[np.ndarray, np.ndarray]:
    """(topic, probability) by cosine similarity to centroids; below `threshold` (one value,
    or one per topic) → outlier.

    The probability is the softmax weight of the chosen topic over all topics.
    """
    if len(centroids) == 0 or len(vectors) == 0:
        return np.full(len(vectors), OUTLIER), np.zeros(len(vectors))
    sims = vectors @ centroids.T
    best = sims.argmax(axis=1)
    logits = (sims - sims.max(axis=1, keepdims=True)) / temperature
    weights = np.exp(logits)
    prob = weights[np.arange(len(best)), best] / weights.sum(axis=1)
    floor = np.broadcast_to(np.asarray(threshold, dtype=np.float64), (centroids.shape[0],))
    topic = np.where(sims[np.arange(len(best)), best] >= floor[best], best, OUTLIER)
    return topic, np.where(topic == OUTLIER, 0.0, prob)


def closeness_thresholds(
    vectors: np.ndarray, labels: np.ndarray, centroids: np.ndarray, *, mads: float, floor: float
) -> np.ndarray:
    """Per topic, the lowest similarity to its centre that still counts as belonging: `mads`
    robust deviations (1.4826 × median absolute deviation) below the median similarity of its
    members, and never below `floor`.

    Relative to each topic's own spread, because e5 cosines are compressed and a loose topic
    (colloquial posts) has lower similarities to its centre than a tight one (a form's
    wording): one absolute threshold would empty one and keep everything in the other.
    """
    out = np.full(len(centroids), floor, dtype=np.float64)
    for topic in range(len(centroids)):
        members = vectors[labels == topic]
        if not len(members):
            continue
        sims = members @ centroids[topic]
        median = float(np.median(sims))
        spread = 1.4826 * float(np.median(np.abs(sims - median)))
        out[topic] = max(floor, median - mads * spread)
    return out


@dataclass(frozen=True)
class Prepared:
    """The topic stage's inputs in `segment_id` order, register removed, and the fit mask."""

    segs: pd.DataFrame
    vecs: np.ndarray  # register-free unit rows
    lemmas: pd.Series  # list of lemmas per segment
    fit: np.ndarray  # segments the model is fitted on
    docs: list[str]  # lemma strings of the fit segments
    means: dict[str, np.ndarray]  # the register means removed (empty: none)


def prepare(
    segments: pd.DataFrame,
    lemmas: pd.DataFrame,
    embeddings: np.ndarray,
    doc_types: pd.Series,
    params: TopicsParams,
    seed: int,
    kept_means: dict[str, np.ndarray] | None = None,
) -> Prepared:
    """Sort by `segment_id`, remove the register (a kept model's means where it has one for
    the group), choose the segments the model is fitted on."""
    order = np.argsort(segments["segment_id"].to_numpy(), kind="stable")
    segs = segments.iloc[order].reset_index(drop=True)
    vecs = np.asarray(embeddings, dtype=np.float32)[order]  # a copy: the register goes in place
    lem = lemmas.set_index("segment_id").loc[segs["segment_id"], "lemmas"].reset_index(drop=True)
    lem = lem.map(list)
    doc_type = segs["doc_id"].map(doc_types).fillna("")
    means: dict[str, np.ndarray] = {}
    if params.remove_register:
        groups = doc_type + "|" + segs["lang"]
        means = register_means(vecs, groups) | (kept_means or {})
        vecs = remove_register(vecs, groups, means, out=vecs)
    fit = fit_mask(segs, lem)
    fit &= stratified_sample(segs["segment_id"], doc_type, params.max_fit_segments, seed)
    return Prepared(segs, vecs, lem, fit, lem[fit].map(" ".join).tolist(), means)


def assign_segments(
    prep: Prepared, labels: np.ndarray, probs: np.ndarray, params: TopicsParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Honest assignment after the fit: (labels, probabilities, thresholds, centres). The
    centres and thresholds are the rule: a segment joins its nearest centre when within that
    topic's threshold.

    A fitted segment keeps its cluster only when it is close enough to the cluster's centre
    (`closeness_thresholds`); the fit's outliers (with `reduce_outliers`) and the segments
    not fitted (Swedish, short, beyond the sample) go to their nearest centre when close
    enough to it. Everything else, and boilerplate always, stays without a topic.
    """
    labels, probs = labels.copy(), probs.copy()
    n_topics = int(labels.max()) + 1 if len(labels) else 0
    centroids = centroids_of(prep.vecs, labels, n_topics)
    thresholds = closeness_thresholds(
        prep.vecs, labels, centroids, mads=params.assign_mads, floor=params.outlier_threshold
    )
    held = np.flatnonzero(labels >= 0)
    own = np.einsum("ij,ij->i", prep.vecs[held], centroids[labels[held]])
    far = held[own < thresholds[labels[held]]]
    labels[far], probs[far] = OUTLIER, 0.0
    todo = (labels == OUTLIER) & ~prep.segs["boilerplate"].to_numpy()
    if not params.reduce_outliers:
        todo &= ~prep.fit | np.isin(np.arange(len(labels)), far)
    near, near_p = assign_nearest(prep.vecs[todo], centroids, threshold=thresholds)
    labels[todo], probs[todo] = near, near_p
    return labels, probs, thresholds, centroids


def fit_labels(
    prep: Prepared, params: TopicsParams, *, seed: int, registry: Registry | None = None
) -> tuple[np.ndarray, np.ndarray, object | None, dict | None, object | None]:
    """(labels, probabilities, fitted BERTopic or None, why nothing was fitted or None,
    the clusterer) for every prepared segment; -1 where the fit left a segment out."""
    labels = np.full(len(prep.segs), OUTLIER)
    probs = np.zeros(len(prep.segs))
    vocab = vocabulary(prep.docs, min(params.min_df, max(1, len(prep.docs) // 10)))
    problem = fit_problem(prep.docs, vocab, max(params.clusterer.min_cluster_size * 2, 10))
    if problem is not None:
        return labels, probs, None, problem, None
    seeds = seed_centroids(registry) if registry is not None else np.zeros((0, 0))
    guide, fit_vecs = guide_embeddings(prep.vecs[prep.fit], seeds, weight=params.seed_weight)
    model = build_bertopic(
        params,
        seed,
        prep.docs,
        seed_words=seed_topics(registry) if registry is not None else None,
        vocab=vocab,
    )
    fitted, _ = model.fit_transform(
        prep.docs, embeddings=fit_vecs, y=guide if (guide >= 0).any() else None
    )
    labels[prep.fit] = np.asarray(fitted)
    probs[prep.fit] = _fit_probabilities(model, labels[prep.fit])
    return labels, probs, model, None, model.hdbscan_model


def cluster_only(prep: Prepared, params: TopicsParams, *, seed: int) -> np.ndarray:
    """The reducer and clusterer alone on the fit segments (no BERTopic, no keywords), then
    `assign_segments`: the labels a full fit would give, at a fraction of its cost (for the
    subsample stability check)."""
    labels = np.full(len(prep.segs), OUTLIER)
    vocab = vocabulary(prep.docs, min(params.min_df, max(1, len(prep.docs) // 10)))
    if fit_problem(prep.docs, vocab, max(params.clusterer.min_cluster_size * 2, 10)):
        return labels
    reduced = build_reducer(params, seed, len(prep.docs)).fit(prep.vecs[prep.fit])
    reduced = reduced.transform(prep.vecs[prep.fit])
    clusterer = build_clusterer(params, seed, prep.docs).fit(reduced)
    labels[prep.fit] = relabel_by_size(np.asarray(clusterer.labels_))
    labels, *_ = assign_segments(prep, labels, np.where(labels >= 0, 1.0, 0.0), params)
    return labels


def relabel_by_size(labels: np.ndarray) -> np.ndarray:
    """Clusters renumbered 0.. by decreasing size (ties by old label), outliers kept: as
    BERTopic numbers its topics."""
    values, counts = np.unique(labels[labels >= 0], return_counts=True)
    order = sorted(
        zip(values.tolist(), counts.tolist(), strict=True), key=lambda vc: (-vc[1], vc[0])
    )
    mapping = {v: i for i, (v, _) in enumerate(order)}
    return np.array([mapping.get(v, OUTLIER) for v in labels.tolist()], dtype=np.int64)


def fit_topics(
    segments: pd.DataFrame,
    lemmas: pd.DataFrame,
    embeddings: np.ndarray,
    doc_types: pd.Series,
    params: TopicsParams,
    *,
    seed: int,
    registry: Registry | None = None,
    doc_meta: pd.DataFrame | None = None,
    match_threshold: float = 0.5,
) -> TopicResult:
    """Fit the topic model and assign every segment. Pure; output sorted by `segment_id`.

    Args:
        segments: SEGMENTS frame.
        lemmas: LEMMAS frame (same segment ids).
        embeddings: one row per row of `segments`, in the same order.
        doc_types: document type per `doc_id` (index), for register groups.
        registry: the theme registry; its accepted themes steer the fit (their centroids pull
            nearby segments, their keywords are up-weighted in c-TF-IDF) so that a refit
            finds them again rather than merging them away; a topic matching a rejected theme
            (centre cosine >= `match_threshold`) is administrative.
        doc_meta: `service` and `doc_type` per `doc_id` (index), for the administrative
            topics' spread; without it every document counts as one stratum.
    """
    prep = prepare(segments, lemmas, embeddings, doc_types, params, seed)
    fitted, probs, model, problem, clusterer = fit_labels(
        prep, params, seed=seed, registry=registry
    )
    labels, probs, thresholds, rule = assign_segments(prep, fitted, probs, params)
    n_topics = int(fitted.max()) + 1 if len(fitted) else 0
    centroids = centroids_of(prep.vecs, labels, n_topics)
    fit = prep.fit
    if model is not None and params.reduce_outliers:
        # Keywords from the final assignment (outliers reduced, far members left out).
        model.update_topics(
            prep.docs,
            topics=labels[fit].tolist(),
            vectorizer_model=model.vectorizer_model,
            ctfidf_model=model.ctfidf_model,
            top_n_words=params.top_n_words * 3,
        )
    ranked = [
        without_parts([w for w, _ in (model.get_topic(t) or []) if w]) if model else []
        for t in range(n_topics)
    ]
    fit_metrics = {"n_fit_segments": int(fit.sum()), **_clusterer_metrics(clusterer)}
    state = TopicState("", rule, thresholds, prep.means, ranked, fit_metrics)
    result = described(
        prep, labels, probs, centroids, state, params, registry, doc_meta, match_threshold
    )
    metrics = {
        **result.metrics,
        "outlier_share_fit": round(float((labels[fit] == OUTLIER).mean()), 4) if fit.any() else 1.0,
    }
    if n_topics == 0:
        metrics["no_themes"] = problem or {"reason": "no_clusters", "n": 0, "min": 1}
        log.warning("no themes found: %s", metrics["no_themes"]["reason"])
    return replace(result, model=model, metrics=metrics)


def assign_kept(
    segments: pd.DataFrame,
    lemmas: pd.DataFrame,
    embeddings: np.ndarray,
    doc_types: pd.Series,
    params: TopicsParams,
    state: TopicState,
    *,
    registry: Registry | None = None,
    doc_meta: pd.DataFrame | None = None,
    match_threshold: float = 0.5,
) -> TopicResult:
    """Every segment assigned by a kept model's rule (`topics.keep_model`), nothing refitted:
    a content segment joins its nearest centre when within that topic's threshold, boilerplate
    never. The topics' keywords are the fit's; sizes, excerpts, administrative signals and
    the hierarchy are of this run's segments."""
    prep = prepare(segments, lemmas, embeddings, doc_types, params, 0, state.register_means)
    labels = np.full(len(prep.segs), OUTLIER)
    probs = np.zeros(len(prep.segs))
    content = ~prep.segs["boilerplate"].to_numpy()
    labels[content], probs[content] = assign_nearest(
        prep.vecs[content], state.centroids, threshold=state.thresholds
    )
    # Each topic's centre of this run's members (as a fit's are of its members); the rule's
    # centre for a topic left without members.
    centroids = centroids_of(prep.vecs, labels, len(state.centroids))
    empty = ~centroids.any(axis=1)
    centroids[empty] = state.centroids[empty]
    return described(
        prep, labels, probs, centroids, state, params, registry, doc_meta, match_threshold
    )


def described(
    prep: Prepared,
    labels: np.ndarray,
    probs: np.ndarray,
    centroids: np.ndarray,
    state: TopicState,
    params: TopicsParams,
    registry: Registry | None,
    doc_meta: pd.DataFrame | None,
    match_threshold: float,
) -> TopicResult:
    """The stage's tables and figures for segments assigned to the topics of `state`, whose
    centres of members are `centroids`."""
    segment_topics = pd.DataFrame(
        {
            "segment_id": prep.segs["segment_id"],
            "doc_id": prep.segs["doc_id"],
            "topic": labels.astype("int64"),
            "probability": np.round(probs, 4).astype(float),
        }
    )
    rejected = rejected_centroids(registry) if registry is not None else np.zeros((0, 0))
    topics = topic_table(
        state.ranked,
        prep,
        labels,
        centroids,
        params,
        strata=_strata(prep.segs, doc_meta),
        rejected=rejected,
        match_threshold=match_threshold,
    )
    content_labels = labels[~prep.segs["boilerplate"].to_numpy()]
    metrics = {
        "n_segments": len(prep.segs),
        **state.fit_metrics,
        "n_topics": len(centroids),
        "n_admin_topics": int(topics["admin"].sum()),
        "outlier_share_content": round(float((content_labels == OUTLIER).mean()), 4)
        if len(content_labels)
        else 1.0,
        "topic_diversity": topic_diversity(topics["keywords"].tolist()),
    }
    return TopicResult(segment_topics, topics, centroids, None, metrics, state)


def _strata(segs: pd.DataFrame, doc_meta: pd.DataFrame | None) -> pd.Series:
    if doc_meta is None or doc_meta.empty:
        return pd.Series("", index=segs.index)
    meta = doc_meta.reindex(segs["doc_id"])
    return (meta["service"].fillna("") + "|" + meta["doc_type"].fillna("")).set_axis(segs.index)


def _clusterer_metrics(clusterer) -> dict:
    """The number of clusters a data-driven clusterer chose and its modularity."""
    scores = getattr(clusterer, "modularity_", None)
    if not scores:
        return {}
    return {"chosen_k": int(clusterer.k_), "modularity": round(float(scores[clusterer.k_]), 4)}


def _fit_probabilities(model, labels: np.ndarray) -> np.ndarray:
    """HDBSCAN's membership strength; 1.0 for clusterers without one (outliers 0)."""
    probs = getattr(model, "probabilities_", None)
    if probs is None or len(np.shape(probs)) != 1:
        return np.where(labels >= 0, 1.0, 0.0)
    return np.asarray(probs, dtype=float)


def evaluate_fit(
    result: TopicResult,
    segments: pd.DataFrame,
    lemmas: pd.DataFrame,
    embeddings: np.ndarray,
    doc_types: pd.Series,
    params: TopicsParams,
    *,
    seed: int,
) -> dict:
    """NPMI coherence of the keywords and, if `params.stability_check`, the subsample
    stability of the partition (pipeline.evaluation)."""
    from pipeline.evaluation import npmi_coherence, subsample_stability

    out: dict = {
        "coherence_npmi": npmi_coherence(
            result.topics["keywords"].tolist(), lemmas["lemmas"].map(list).tolist()
        )
    }
    if params.stability_check and result.metrics["n_topics"] > 0:

        def refit(keep: pd.Series) -> pd.DataFrame:
            part = segments[keep.to_numpy()].reset_index(drop=True)
            vectors = np.asarray(embeddings)[keep.to_numpy()]
            prep = prepare(part, lemmas, vectors, doc_types, params, seed)
            return pd.DataFrame(
                {
                    "segment_id": prep.segs["segment_id"],
                    "topic": cluster_only(prep, params, seed=seed),
                }
            )

        ari = subsample_stability(
            result.segment_topics,
            segments["doc_id"],
            refit,
            draws=params.stability_draws,
            share=params.stability_share,
            seed=seed,
        )
        out["subsample_ari"] = ari
        out["subsample_ari_mean"] = round(float(np.mean(ari)), 4) if ari else None
    return out


def topic_table(
    ranked: list[list[str]],
    prep: Prepared,
    labels: np.ndarray,
    centroids: np.ndarray,
    params: TopicsParams,
    *,
    strata: pd.Series,
    rejected: np.ndarray,
    match_threshold: float,
) -> pd.DataFrame:
    """One row per topic (outliers excluded): name, keywords, size, administrative flag and
    its signals, nearest topics, parent, representative excerpt segment ids."""
    from pipeline.admin import SIGNALS, admin_signals, is_administrative
    from pipeline.excerpts import representative_segments
    from pipeline.hierarchy import nearest_topics, topic_parents
    from pipeline.naming import safe_word_classes, shown_keywords, theme_name

    k = len(centroids)
    classes = safe_word_classes({w for words in ranked for w in words})
    keywords = [shown_keywords(words, classes)[: params.top_n_words] for words in ranked]
    counts, vocabulary = _lemma_counts(prep.lemmas, labels, k)
    is_rejected = [
        bool(len(rejected))
        and rejected.shape[1] == centroids.shape[1]
        and bool(np.any(centroids[t]))
        and float((rejected @ centroids[t]).max()) >= match_threshold
        for t in range(k)
    ]
    signals = admin_signals(
        prep.segs,
        labels,
        keywords,
        counts,
        vocabulary,
        strata,
        template_min_docs=params.admin.template_min_docs,
        rejected=is_rejected,
    )
    admin = is_administrative(signals, params.admin)
    sizes = [int((labels == t).sum()) for t in range(k)]
    nearest, nearest_sim = nearest_topics(centroids)
    parents = topic_parents(centroids, sizes, admin.tolist())
    excerpts = representative_segments(
        prep.segs["segment_id"].tolist(),
        prep.segs["text"].tolist(),
        prep.lemmas.tolist(),
        prep.segs["boilerplate"].to_numpy(),
        labels,
        prep.vecs @ centroids.T if k else np.zeros((len(labels), 0)),
        keywords,
    )
    table = pd.DataFrame(
        {
            "topic": np.arange(k, dtype=np.int64),
            "label": [theme_name(shown_keywords(ranked[t], classes), classes) for t in range(k)],
            "keywords": keywords,
            "size": np.asarray(sizes, dtype=np.int64),
            "admin": np.asarray(admin, dtype=bool),
            **{f"admin_{name}": signals[name].to_numpy() for name in SIGNALS},
            "nearest": nearest,
            "nearest_sim": nearest_sim,
            "parent": np.asarray(parents, dtype=np.int64),
            "excerpt_ids": excerpts if k else [],
        }
    )
    return table.astype({"topic": "int64", "size": "int64", "parent": "int64", "admin": bool})


def _lemma_counts(lemmas: pd.Series, labels: np.ndarray, k: int) -> tuple[np.ndarray, dict]:
    """Topics × vocabulary lemma counts over the assigned segments, and the vocabulary."""
    vocabulary: dict[str, int] = {}
    cells: dict[tuple[int, int], int] = {}
    for words, topic in zip(lemmas.tolist(), labels.tolist(), strict=True):
        if topic < 0:
            continue
        for word in words:
            j = vocabulary.setdefault(word, len(vocabulary))
            cells[(topic, j)] = cells.get((topic, j), 0) + 1
    counts = np.zeros((k, len(vocabulary)))
    for (topic, j), n in cells.items():
        counts[topic, j] = n
    return counts, vocabulary


def without_parts(words: list[str]) -> list[str]:
    """Keywords without compound parts whose whole compound is also a keyword.

    c-TF-IDF scores parts too (so that `vuokrarästi` and `vuokra` support each other), but a
    reader gains nothing from `väki, valta, väkivalta`: the compound alone is kept.
    """
    return [w for w in words if not any(w != other and w in other for other in words)]


def topic_diversity(keyword_lists: list[list[str]]) -> float:
    """Share of unique words among all topics' top words (1.0 = no overlap)."""
    words = [w for kws in keyword_lists for w in kws]
    return round(len(set(words)) / len(words), 4) if words else 0.0


def save_model(model, path: Path, embedding_model: str) -> None:
    """BERTopic in safetensors form (never pickle), with c-TF-IDF; no embedding model inside,
    only `embedding_model` (the `embed.model` path) recorded as the one to embed with.

    `path` is a new folder (the stage command publishes it whole: pipeline.outputs)."""
    path.mkdir(parents=True, exist_ok=True)
    if model is None:
        (path / "EMPTY").write_text("too little data to fit a topic model\n", encoding="utf-8")
        return
    model.save(
        str(path),
        serialization="safetensors",
        save_ctfidf=True,
        save_embedding_model=embedding_model,
    )


def aligned(embeddings: np.ndarray, index: pd.DataFrame, segments: pd.DataFrame) -> np.ndarray:
    """Embeddings re-ordered to the rows of `segments` (`index` gives their segment ids)."""
    ids = index["segment_id"].to_numpy()
    if len(ids) == len(segments) and (ids == segments["segment_id"].to_numpy()).all():
        return embeddings  # the embed stage's own order: no copy (a memory map stays one)
    pos = pd.Series(np.arange(len(index)), index=ids)
    return np.asarray(embeddings)[pos.loc[segments["segment_id"]].to_numpy()]


def fit_and_evaluate(
    segments: pd.DataFrame,
    lemmas: pd.DataFrame,
    vectors: np.ndarray,
    docs: pd.DataFrame,
    params: Params,
    registry: Registry,
    kept: TopicState | None = None,
) -> tuple[TopicResult, dict]:
    """`fit_topics` (or `assign_kept`, with `kept`) and `evaluate_fit` with the seed and
    settings from params."""
    meta = docs.set_index("doc_id")
    args = (segments, lemmas, vectors, meta["doc_type"], params.topics)
    described_by = {
        "registry": registry,
        "doc_meta": meta[["service", "doc_type"]],
        "match_threshold": params.themes.match_threshold,
    }
    with progress(total=2, desc="topics", unit="step") as bar:  # the fit, the stability fits
        if kept is not None:
            result = assign_kept(*args, kept, **described_by)
        else:
            result = fit_topics(*args, seed=params.seed, **described_by)
        bar.update()
        if kept is not None:  # the kept fit's own figures (in result.metrics) stand
            return result, {}
        return result, evaluate_fit(result, *args, seed=params.seed)


def one_blas_thread():
    """A context in which BLAS (OpenBLAS, MKL) and OpenMP (scikit-learn's neighbour search) run
    one thread.

    The matrices here have a few thousand rows: a second thread gains little, and on a shared
    server the threads spin while they wait for a core. Under load on the 2-core development
    machine a truncated SVD of the sample's lemma matrix took 15 s with two threads and
    0.19 s with one, and the whole stage ran 2x longer.

    The limit holds for the libraries loaded when it is set: SciPy brings its own OpenBLAS,
    so SciPy's and scikit-learn's compiled parts are loaded first."""
    import scipy.linalg
    import scipy.sparse.linalg
    import sklearn.neighbors
    from threadpoolctl import threadpool_limits

    del scipy, sklearn  # imported only so that their thread pools exist when the limit is set
    return threadpool_limits(limits=1)


@dataclass(frozen=True)
class FittedModel:
    """The fitted BERTopic (None: too little data, or kept), the embedding model it was fitted
    with, its assignment rule, and the folder of the kept model it came from (if kept)."""

    model: object | None
    embedding_model: str
    state: TopicState
    kept_from: Path | None = None


def save_fitted(fitted: FittedModel, path: Path) -> None:
    """A kept model is copied whole; a fitted one is saved with its assignment rule."""
    if fitted.kept_from is not None:
        shutil.copytree(fitted.kept_from, path, dirs_exist_ok=True)
        return
    save_model(fitted.model, path, fitted.embedding_model)
    save_state(fitted.state, path)


def run(inputs: dict, params: Params) -> tuple[dict, dict]:
    """The stage: segments, lemmas, embeddings -> topics, segment topics, centroids, model."""
    import sklearn

    segments = inputs["segments"]
    vectors = aligned(inputs["embeddings"], inputs["embedding_index"], segments)
    registry = load_registry(resolve(params.themes.registry))
    identity = fingerprint(
        params.topics, params.seed, inputs["embedding_index"].attrs.get(META, {})
    )
    keep = resolve(params.topics.keep_model)
    kept = load_state(keep, identity) if keep is not None else None
    # scikit-learn computes pairwise distances (the kNN graph) in chunks of `working_memory`
    # MiB; its default, 1 GiB, plus the neighbour sort of each chunk put 2.4 GB on top of the
    # run at 14,000 fit segments. Same distances, same graph, in smaller chunks.
    with (
        one_blas_thread(),
        sklearn.config_context(working_memory=params.compute.working_memory_mb),
    ):
        result, quality = fit_and_evaluate(
            segments, inputs["lemmas"], vectors, inputs["redacted"], params, registry, kept
        )
    # The fit's figures travel with the model: a run that keeps it reports them as they were.
    fit_figures = {**result.state.fit_metrics, **quality}
    state = replace(result.state, fingerprint=identity, fit_metrics=fit_figures)
    outputs = {
        "model": FittedModel(result.model, str(params.embed.model), state, keep),
        "segment_topics": result.segment_topics,
        "topics": result.topics,
        "centroids": result.centroids,
    }
    return outputs, {**result.metrics, **quality, "kept_model": kept is not None}


MODEL = Artefact(
    "model",
    "models/topics",
    Writer(save_fitted),
    run_path="model",
    folder=True,
)
STAGE = Stage(
    name="topics",
    help="fit the topic model and assign segments",
    inputs=(
        artefacts.SEGMENTS,
        artefacts.LEMMAS,
        artefacts.EMBEDDINGS,
        artefacts.EMBEDDING_INDEX,
        artefacts.REDACTED,
    ),
    outputs=(MODEL, artefacts.SEGMENT_TOPICS, artefacts.TOPICS, artefacts.CENTROIDS),
    params=("seed", "topics", "themes.registry", "themes.match_threshold", "embed.model"),
    run=run,
    files=lambda params: registry_files(resolve(params.themes.registry)),
    runtime=("compute",),
)
