"""Discover recurring phenomena: BERTopic over segment embeddings, c-TF-IDF over lemmas.

Countering "register beats theme" (DESIGN.md §7), in this order:
1. boilerplate segments never enter the fit (the segment stage flags them);
2. the mean embedding of each register group (document type × language) is subtracted, so
   that professional notes, client feedback and Swedish records do not form their own topics;
3. inputs are sorted by `segment_id` and every random step is seeded, so that the row order
   of the input and repeated runs give the same topics;
4. keywords come from c-TF-IDF over lemmas without stop words and placeholders;
5. outliers are assigned to the nearest topic centroid above a similarity threshold.

Reads:  03_segments.parquet, 04_lemmas.parquet, 05_embeddings.npy + index, 02_redacted.parquet,
        configs/theme_registry.yaml + theme_centroids.npy (accepted themes steer the fit)
Writes: models/topics/ (BERTopic, safetensors), 06_segment_topics.parquet, 06_topics.parquet,
        06_centroids.npy, metrics/topics.json
Params: params.yaml > seed, topics, themes.registry; compute.working_memory_mb (memory, not
        results: scikit-learn's chunk of pairwise distances)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline import artefacts, clustering  # noqa: F401 - registers the reducers and clusterers
from pipeline.components import CLUSTERERS, REDUCERS
from pipeline.config import Params, TopicsParams, resolve
from pipeline.contract import Artefact, Stage, Writer
from pipeline.numeric import BLOCK, ordered_mean, ordered_sum_blocks, unit_rows
from pipeline.progress import progress
from pipeline.workgroup.registry.steering import guide_embeddings, seed_centroids, seed_topics
from pipeline.workgroup.registry.store import Registry, load_registry, registry_files

log = logging.getLogger(__name__)

OUTLIER = -1


@dataclass(frozen=True)
class TopicResult:
    """Everything the topic stage produces, in memory."""

    segment_topics: pd.DataFrame  # SEGMENT_TOPICS
    topics: pd.DataFrame  # TOPICS
    centroids: np.ndarray  # one row per topic id 0..k-1, in the register-free space
    model: object | None  # fitted BERTopic, or None when too little data
    metrics: dict


def remove_register(vectors: np.ndarray, groups: pd.Series) -> np.ndarray:
    """Subtract each register group's mean vector, then L2-normalise.

    e5 places all client feedback (or all Swedish text) close together whatever it is about;
    the group mean is that shared offset. Groups are sorted for a deterministic result.
    """
    # Block by block: a float64 copy of every vector was 1.2 GB at 100,000 records.
    out = np.empty(np.shape(vectors), dtype=np.float32)
    keys = groups.to_numpy()
    for key in sorted(set(keys)):
        rows = np.flatnonzero(keys == key)
        blocks = [rows[i : i + BLOCK] for i in range(0, len(rows), BLOCK)]
        mean = ordered_sum_blocks(vectors[b] for b in blocks) / len(rows)
        for b in blocks:
            out[b] = unit_rows(np.asarray(vectors[b], dtype=np.float64) - mean)
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


def build_clusterer(params: TopicsParams, seed: int):
    """The clusterer named by `topics.clusterer` (pipeline.components)."""
    return CLUSTERERS.make(params.clusterer, seed=seed)


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
    n_docs: int,
    seed_words: list[list[str]] | None = None,
    vocab: list[str] | None = None,
):
    """A BERTopic with explicit, seeded parts and a lemma vectorizer (never a hub model)."""
    from bertopic import BERTopic
    from bertopic.vectorizers import ClassTfidfTransformer
    from sklearn.feature_extraction.text import CountVectorizer

    umap_model = build_reducer(params, seed, n_docs)
    hdbscan_model = build_clusterer(params, seed)
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
        top_n_words=params.top_n_words * 2,  # room for `without_parts`
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
    vectors: np.ndarray, centroids: np.ndarray, *, threshold: float, temperature: float = 0.05
) -> tuple[np.ndarray, np.ndarray]:
    """(topic, probability) by cosine similarity to centroids; below `threshold` → outlier.

    The probability is the softmax weight of the chosen topic over all topics.
    """
    if len(centroids) == 0 or len(vectors) == 0:
        return np.full(len(vectors), OUTLIER), np.zeros(len(vectors))
    sims = vectors @ centroids.T
    best = sims.argmax(axis=1)
    logits = (sims - sims.max(axis=1, keepdims=True)) / temperature
    weights = np.exp(logits)
    prob = weights[np.arange(len(best)), best] / weights.sum(axis=1)
    topic = np.where(sims[np.arange(len(best)), best] >= threshold, best, OUTLIER)
    return topic, np.where(topic == OUTLIER, 0.0, prob)


def fit_topics(
    segments: pd.DataFrame,
    lemmas: pd.DataFrame,
    embeddings: np.ndarray,
    doc_types: pd.Series,
    params: TopicsParams,
    *,
    seed: int,
    registry: Registry | None = None,
) -> TopicResult:
    """Fit the topic model and assign every segment. Pure; output sorted by `segment_id`.

    Args:
        segments: SEGMENTS frame.
        lemmas: LEMMAS frame (same segment ids).
        embeddings: one row per row of `segments`, in the same order.
        doc_types: document type per `doc_id` (index), for register groups.
        registry: the theme registry; its accepted themes steer the fit (their centroids pull
            nearby segments, their keywords are up-weighted in c-TF-IDF) so that a refit
            finds them again rather than merging them away.
    """
    order = np.argsort(segments["segment_id"].to_numpy(), kind="stable")
    segs = segments.iloc[order].reset_index(drop=True)
    vecs = np.asarray(embeddings, dtype=np.float32)[order]
    lem = lemmas.set_index("segment_id").loc[segs["segment_id"], "lemmas"].reset_index(drop=True)
    lem = lem.map(list)
    if params.remove_register:
        groups = segs["doc_id"].map(doc_types).fillna("") + "|" + segs["lang"]
        vecs = remove_register(vecs, groups)
    fit = fit_mask(segs, lem)
    fit &= stratified_sample(
        segs["segment_id"], segs["doc_id"].map(doc_types).fillna(""), params.max_fit_segments, seed
    )
    docs = lem[fit].map(" ".join).tolist()
    labels = np.full(len(segs), OUTLIER)
    probs = np.zeros(len(segs))
    model = None
    vocab = vocabulary(docs, min(params.min_df, max(1, len(docs) // 10)))
    problem = fit_problem(docs, vocab, max(params.clusterer.min_cluster_size * 2, 10))
    if problem is None:
        seeds = seed_centroids(registry) if registry is not None else np.zeros((0, 0))
        guide, fit_vecs = guide_embeddings(vecs[fit], seeds, weight=params.seed_weight)
        model = build_bertopic(
            params,
            seed,
            len(docs),
            seed_words=seed_topics(registry) if registry is not None else None,
            vocab=vocab,
        )
        fitted, _ = model.fit_transform(
            docs, embeddings=fit_vecs, y=guide if (guide >= 0).any() else None
        )
        labels[fit] = np.asarray(fitted)
        probs[fit] = _fit_probabilities(model, labels[fit])
    n_topics = int(labels.max()) + 1 if len(labels) else 0
    centroids = centroids_of(vecs, labels, n_topics)
    # Outliers of the fit and everything not fitted (Swedish, short, beyond the sample) go to
    # the nearest centroid; boilerplate never gets a topic.
    todo = (labels == OUTLIER) & ~segs["boilerplate"].to_numpy()
    if not params.reduce_outliers:
        todo &= ~fit
    near, near_p = assign_nearest(vecs[todo], centroids, threshold=params.outlier_threshold)
    labels[todo], probs[todo] = near, near_p
    if model is not None and params.reduce_outliers:
        # Keywords from the final assignment, outliers reduced.
        model.update_topics(
            docs,
            topics=labels[fit].tolist(),
            vectorizer_model=model.vectorizer_model,
            ctfidf_model=model.ctfidf_model,
            top_n_words=params.top_n_words * 2,
        )
    segment_topics = pd.DataFrame(
        {
            "segment_id": segs["segment_id"],
            "doc_id": segs["doc_id"],
            "topic": labels.astype("int64"),
            "probability": np.round(probs, 4).astype(float),
        }
    )
    topics = topic_table(model, labels, params.top_n_words)
    content_labels = labels[~segs["boilerplate"].to_numpy()]
    metrics = {
        "n_segments": len(segs),
        "n_fit_segments": int(fit.sum()),
        "n_topics": n_topics,
        "outlier_share_fit": round(float((labels[fit] == OUTLIER).mean()), 4) if fit.any() else 1.0,
        "outlier_share_content": round(float((content_labels == OUTLIER).mean()), 4)
        if len(content_labels)
        else 1.0,
        "topic_diversity": topic_diversity(topics["keywords"].tolist()),
    }
    if n_topics == 0:
        metrics["no_themes"] = problem or {"reason": "no_clusters", "n": 0, "min": 1}
        log.warning("no themes found: %s", metrics["no_themes"]["reason"])
    return TopicResult(segment_topics, topics, centroids, model, metrics)


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
    registry: Registry | None = None,
) -> dict:
    """NPMI coherence of the keywords and, if `params.stability_check`, the ARI between this
    fit and a refit with `seed + 1` (pipeline.evaluation)."""
    from pipeline.evaluation import npmi_coherence, seed_stability

    out: dict = {
        "coherence_npmi": npmi_coherence(
            result.topics["keywords"].tolist(), lemmas["lemmas"].map(list).tolist()
        )
    }
    if params.stability_check:
        refit = fit_topics(
            segments, lemmas, embeddings, doc_types, params, seed=seed + 1, registry=registry
        )
        out["seed_stability_ari"] = seed_stability(result.segment_topics, refit.segment_topics)
    return out


def topic_table(model, labels: np.ndarray, top_n: int) -> pd.DataFrame:
    """One row per topic (outliers excluded): auto-label, keywords, size in segments."""
    rows = []
    for topic in range(int(labels.max()) + 1 if len(labels) else 0):
        words = [w for w, _ in (model.get_topic(topic) or []) if w] if model else []
        words = without_parts(words)[:top_n]
        rows.append(
            {
                "topic": topic,
                "label": auto_label(words),
                "keywords": words,
                "size": int((labels == topic).sum()),
            }
        )
    return pd.DataFrame(rows, columns=["topic", "label", "keywords", "size"]).astype(
        {"topic": "int64", "size": "int64"}
    )


def without_parts(words: list[str]) -> list[str]:
    """Keywords without compound parts whose whole compound is also a keyword.

    c-TF-IDF scores parts too (so that `vuokrarästi` and `vuokra` support each other), but a
    reader gains nothing from `väki, valta, väkivalta`: the compound alone is kept.
    """
    return [w for w in words if not any(w != other and w in other for other in words)]


def auto_label(keywords: list[str], n: int = 3) -> str:
    """A readable Finnish label from the top keywords: `velka, ulosotto, toimeentulotuki`."""
    return ", ".join(k.replace("_", " ") for k in keywords[:n]) or "(ei avainsanoja)"


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
) -> tuple[TopicResult, dict]:
    """`fit_topics` and `evaluate_fit` with the seed and settings from params."""
    doc_types = docs.set_index("doc_id")["doc_type"]
    args = (segments, lemmas, vectors, doc_types, params.topics)
    with progress(total=2, desc="topics", unit="fit") as bar:  # the fit, the stability refit
        result = fit_topics(*args, seed=params.seed, registry=registry)
        bar.update()
        return result, evaluate_fit(result, *args, seed=params.seed, registry=registry)


@dataclass(frozen=True)
class FittedModel:
    """The fitted BERTopic (None: too little data) and the embedding model it was fitted with."""

    model: object | None
    embedding_model: str


def run(inputs: dict, params: Params) -> tuple[dict, dict]:
    """The stage: segments, lemmas, embeddings -> topics, segment topics, centroids, model."""
    import sklearn

    segments = inputs["segments"]
    vectors = aligned(inputs["embeddings"], inputs["embedding_index"], segments)
    registry = load_registry(resolve(params.themes.registry))
    # scikit-learn computes pairwise distances (the kNN graph) in chunks of `working_memory`
    # MiB; its default, 1 GiB, plus the neighbour sort of each chunk put 2.4 GB on top of the
    # run at 14,000 fit segments. Same distances, same graph, in smaller chunks.
    with sklearn.config_context(working_memory=params.compute.working_memory_mb):
        result, quality = fit_and_evaluate(
            segments, inputs["lemmas"], vectors, inputs["redacted"], params, registry
        )
    outputs = {
        "model": FittedModel(result.model, str(params.embed.model)),
        "segment_topics": result.segment_topics,
        "topics": result.topics,
        "centroids": result.centroids,
    }
    return outputs, {**result.metrics, **quality}


MODEL = Artefact(
    "model",
    "models/topics",
    Writer(lambda fitted, path: save_model(fitted.model, path, fitted.embedding_model)),
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
    params=("seed", "topics", "themes.registry", "embed.model"),
    run=run,
    files=lambda params: registry_files(resolve(params.themes.registry)),
    runtime=("compute",),
)
