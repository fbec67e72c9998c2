"""Topic stage with the real BERTopic/UMAP/HDBSCAN on small synthetic embeddings."""

import numpy as np
import pandas as pd
import pytest

from pipeline.config import TopicsParams
from pipeline.stages import topics

VOCAB = {
    0: ["vuokra", "häätö", "asunto", "rästi", "vuokranantaja"],
    1: ["velka", "ulosotto", "toimeentulotuki", "kela", "laina"],
    2: ["yksinäisyys", "ikäihminen", "ystävä", "kotihoito", "seura"],
}


def synthetic(n_per_topic: int = 30, seed: int = 0):
    """Segments in two registers whose embeddings carry a register offset plus a topic signal."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, 64))
    register = {"palaute": rng.normal(size=64) * 3, "raportti": rng.normal(size=64) * 3}
    rows, vecs, lemmas = [], [], []
    for topic, words in VOCAB.items():
        for i in range(n_per_topic):
            doc_type = "palaute" if i % 2 else "raportti"
            seg_id = f"D{topic}{i:03d}#1"
            rows.append(
                {
                    "segment_id": seg_id,
                    "doc_id": seg_id[:-2],
                    "n": 1,
                    "text": " ".join(words),
                    "lang": "fi",
                    "boilerplate": False,
                }
            )
            vecs.append(centres[topic] + register[doc_type] + rng.normal(size=64) * 0.3)
            lemmas.append(
                {
                    "segment_id": seg_id,
                    "lemmas": list(rng.choice(words, size=4, replace=False)),
                    "n_tokens": 6,
                }
            )
    segments = pd.DataFrame(rows).astype({"n": "int64"})
    vectors = np.asarray(vecs, dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    doc_types = pd.Series(
        {r["doc_id"]: ("palaute" if int(r["doc_id"][-3:]) % 2 else "raportti") for r in rows}
    )
    return segments, pd.DataFrame(lemmas), vectors, doc_types


PARAMS = TopicsParams.model_validate(
    {
        "clusterer": {
            "name": "spectral.v1",
            **{"min_k": 2, "max_k": 3, "segments_per_topic": 30, "min_cluster_size": 5},
        },
        "min_df": 1,
    }
)
# The default part: k from the data (modularity), embeddings joined with lemma LSA.
MODULARITY = TopicsParams.model_validate(
    {"clusterer": {"name": "spectral-modularity.v1", "min_cluster_size": 5}, "min_df": 1}
)
WARD = TopicsParams.model_validate(
    {
        "reducer": {"name": "pca.v1"},
        "clusterer": {"name": "ward.v1", "min_k": 2, "max_k": 8, "min_cluster_size": 5},
        "min_df": 1,
    }
)
# BERTopic's usual parts, seeded: still supported through params.
UMAP_HDBSCAN = TopicsParams.model_validate(
    {
        "reducer": {"name": "umap.v1", "n_neighbors": 10},
        "clusterer": {"name": "hdbscan.v1", "min_cluster_size": 8, "min_samples": 3},
        "min_df": 1,
    }
)


@pytest.fixture(
    scope="module",
    params=[MODULARITY, PARAMS, WARD, UMAP_HDBSCAN],
    ids=["spectral-modularity", "spectral", "pca-ward", "umap-hdbscan"],
)
def fitted(request):
    segments, lemmas, vectors, doc_types = synthetic()
    params = request.param
    return topics.fit_topics(segments, lemmas, vectors, doc_types, params, seed=1), segments, params


@pytest.mark.slow  # fits BERTopic
def test_finds_the_planted_topics_not_the_registers(fitted):
    result, segments, _ = fitted
    assert result.metrics["n_topics"] == 3
    truth = segments["segment_id"].str[1].astype(int)
    found = result.segment_topics.set_index("segment_id").loc[segments["segment_id"], "topic"]
    from sklearn.metrics import adjusted_rand_score

    assert adjusted_rand_score(truth, found.to_numpy()) > 0.95


@pytest.mark.slow  # fits BERTopic
def test_keywords_are_the_topic_lemmas(fitted):
    result, _, _ = fitted
    for keywords in result.topics["keywords"]:
        owners = {t for t, words in VOCAB.items() if set(keywords[:3]) <= set(words)}
        assert len(owners) == 1, keywords


@pytest.mark.slow  # fits BERTopic
def test_row_order_does_not_matter(fitted):
    result, segments, params = fitted
    _, lemmas, vectors, doc_types = synthetic()
    perm = np.random.default_rng(5).permutation(len(segments))
    shuffled = topics.fit_topics(
        segments.iloc[perm].reset_index(drop=True),
        lemmas.iloc[perm[::-1]].reset_index(drop=True),
        vectors[perm],
        doc_types,
        params,
        seed=1,
    )
    pd.testing.assert_frame_equal(shuffled.segment_topics, result.segment_topics)
    pd.testing.assert_frame_equal(shuffled.topics, result.topics)


@pytest.mark.slow  # fits BERTopic
def test_boilerplate_never_gets_a_topic():
    segments, lemmas, vectors, doc_types = synthetic()
    segments.loc[::7, "boilerplate"] = True
    result = topics.fit_topics(segments, lemmas, vectors, doc_types, PARAMS, seed=1)
    flagged = segments.loc[segments["boilerplate"], "segment_id"]
    assigned = result.segment_topics.set_index("segment_id").loc[flagged, "topic"]
    assert (assigned == topics.OUTLIER).all()


def test_remove_register_centres_each_group():
    vecs = np.array([[1.0, 0, 0], [1.0, 1, 0], [0, 0, 1.0], [0, 1, 1.0]], dtype=np.float32)
    out = topics.remove_register(vecs, pd.Series(["a", "a", "b", "b"]))
    np.testing.assert_allclose(out[0], [0, -1, 0], atol=1e-6)
    np.testing.assert_allclose(out[2], [0, -1, 0], atol=1e-6)


@pytest.mark.slow  # fits BERTopic
@pytest.mark.parametrize(
    "params", [MODULARITY, PARAMS, WARD], ids=["spectral-modularity", "spectral", "pca-ward"]
)
def test_deterministic_clusterers_ignore_the_seed(params):
    segments, lemmas, vectors, doc_types = synthetic()
    a = topics.fit_topics(segments, lemmas, vectors, doc_types, params, seed=1)
    b = topics.fit_topics(segments, lemmas, vectors, doc_types, params, seed=99)
    pd.testing.assert_frame_equal(a.segment_topics, b.segment_topics)


def test_assign_nearest_threshold():
    centroids = np.eye(3, dtype=np.float32)
    vecs = np.array([[0.9, 0.1, 0], [0.3, 0.3, 0.3]], dtype=np.float32)
    topic, prob = topics.assign_nearest(vecs, centroids, threshold=0.5)
    assert topic.tolist() == [0, topics.OUTLIER]
    assert 0.5 < prob[0] <= 1.0 and prob[1] == 0.0


@pytest.mark.slow  # fits BERTopic
def test_saved_model_is_safetensors_not_pickle(fitted, tmp_path):
    result, _, _ = fitted
    topics.save_model(result.model, tmp_path / "m", "models/e5-small")
    names = {p.name for p in (tmp_path / "m").iterdir()}
    assert "topic_embeddings.safetensors" in names
    assert not any(n.endswith((".pkl", ".pickle", ".bin")) for n in names)


def test_keywords_drop_parts_of_listed_compounds():
    words = ["väki", "valta", "väkivalta", "poliisi", "vuokra"]
    assert topics.without_parts(words) == ["väkivalta", "poliisi", "vuokra"]


@pytest.mark.slow  # fits BERTopic
def test_kmeans_part_finds_the_planted_topics_with_its_k():
    from sklearn.metrics import adjusted_rand_score

    segments, lemmas, vectors, doc_types = synthetic()
    params = TopicsParams.model_validate(
        {"clusterer": {"name": "kmeans.v1", "k": 3, "min_cluster_size": 5}, "min_df": 1}
    )
    result = topics.fit_topics(segments, lemmas, vectors, doc_types, params, seed=1)
    truth = segments["segment_id"].str[1].astype(int)
    found = result.segment_topics.set_index("segment_id").loc[segments["segment_id"], "topic"]
    assert result.metrics["n_topics"] == 3
    assert adjusted_rand_score(truth, found.to_numpy()) > 0.95


def blobs(n_topics: int, per_topic: int = 40, seed: int = 3):
    """`n_topics` planted topics, each its own direction and its own five lemmas."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n_topics, 48))
    vectors = np.vstack([c + rng.normal(size=(per_topic, 48)) * 0.35 for c in centres])
    words = [[f"sana{t}_{i}" for i in range(5)] for t in range(n_topics)]
    docs = [
        " ".join(rng.choice(words[t], size=4, replace=False))
        for t in range(n_topics)
        for _ in range(per_topic)
    ]
    truth = np.repeat(np.arange(n_topics), per_topic)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), docs, truth


@pytest.mark.parametrize("n_topics", [3, 6, 9])
def test_number_of_topics_follows_the_data_with_one_setting(n_topics):
    from sklearn.metrics import adjusted_rand_score

    from pipeline.components import CLUSTERERS

    vectors, docs, truth = blobs(n_topics)
    part = CLUSTERERS.make(MODULARITY.clusterer, seed=0, docs=docs).fit(vectors)
    assert part.k_ == n_topics
    assert adjusted_rand_score(truth, part.labels_) > 0.95
    assert max(part.modularity_.values()) == pytest.approx(part.modularity_[part.k_], rel=0.01)


def test_modularity_part_is_order_free():
    from pipeline.components import CLUSTERERS

    vectors, docs, _ = blobs(4)
    perm = np.random.default_rng(0).permutation(len(docs))
    a = CLUSTERERS.make(MODULARITY.clusterer, seed=0, docs=docs).fit(vectors)
    b = CLUSTERERS.make(MODULARITY.clusterer, seed=0, docs=[docs[i] for i in perm]).fit(
        vectors[perm]
    )
    from sklearn.metrics import adjusted_rand_score

    assert a.k_ == b.k_ and adjusted_rand_score(a.labels_[perm], b.labels_) == 1.0


def test_a_segment_far_from_every_centre_gets_no_topic():
    segments, lemmas, vectors, doc_types = synthetic(n_per_topic=20)
    prep = topics.prepare(segments, lemmas, vectors, doc_types, MODULARITY, seed=1)
    truth = prep.segs["segment_id"].str[1].astype(int).to_numpy()
    labels = truth.copy()
    # One fitted segment turned into noise, one segment never fitted: neither is close enough.
    noise = np.random.default_rng(9).normal(size=prep.vecs.shape[1])
    prep.vecs[0] = noise / np.linalg.norm(noise)
    prep.fit[1] = False
    labels[1] = topics.OUTLIER
    out, probs, thresholds, _ = topics.assign_segments(
        prep, labels, np.ones(len(labels)), MODULARITY
    )
    assert out[0] == topics.OUTLIER and probs[0] == 0.0
    assert out[1] == truth[1]  # a genuine member that was not fitted still finds its topic
    assert (out[2:] == truth[2:]).mean() > 0.95
    assert thresholds.shape == (3,) and (thresholds > 0).all()


@pytest.mark.slow  # fits BERTopic four times
def test_stability_is_measured_on_subsamples_not_seeds():
    segments, lemmas, vectors, doc_types = synthetic()
    result = topics.fit_topics(segments, lemmas, vectors, doc_types, MODULARITY, seed=1)
    quality = topics.evaluate_fit(result, segments, lemmas, vectors, doc_types, MODULARITY, seed=1)
    assert "seed_stability_ari" not in quality
    assert len(quality["subsample_ari"]) == MODULARITY.stability_draws
    assert all(0.9 < a <= 1.0 for a in quality["subsample_ari"])  # three clear topics


@pytest.mark.slow  # fits BERTopic
def test_topics_table_describes_each_topic(fitted):
    result = fitted[0]
    table = result.topics
    k = len(table)
    assert set(table.columns) >= {"admin", "nearest", "nearest_sim", "parent", "excerpt_ids"}
    for row in table.itertuples(index=False):
        assert row.topic not in row.nearest and len(row.nearest) == min(3, k - 1)
        assert list(row.nearest_sim) == sorted(row.nearest_sim, reverse=True)
        assigned = set(
            result.segment_topics.loc[result.segment_topics["topic"] == row.topic, "segment_id"]
        )
        assert set(row.excerpt_ids) <= assigned
        assert row.label.split(", ")[0] in row.keywords or row.label == "(ei avainsanoja)"


@pytest.mark.slow  # fits BERTopic twice
def test_a_topic_matching_a_rejected_theme_is_administrative():
    from pipeline.workgroup.registry.store import RegisteredTheme, Registry

    segments, lemmas, vectors, doc_types = synthetic()
    first = topics.fit_topics(segments, lemmas, vectors, doc_types, MODULARITY, seed=1)
    assert not first.topics["admin"].any()
    registry = Registry(
        (RegisteredTheme("T0009", "kirjaustapa", "rejected", ("vuokra",)),),
        centroids=first.centroids[:1].copy(),
    )
    again = topics.fit_topics(
        segments, lemmas, vectors, doc_types, MODULARITY, seed=1, registry=registry
    )
    flagged = again.topics.loc[again.topics["admin"], "topic"].tolist()
    assert flagged == [0] and bool(again.topics.loc[0, "admin_rejected"])
    assert again.topics.loc[0, "parent"] == -1  # kept out of the hierarchy


def test_a_kept_model_is_refused_when_its_fit_would_differ(tmp_path):
    """The fingerprint covers what shapes a fit (clusterer, seed, embedding model), not what is
    measured anew each run (administrative thresholds, the stability check)."""
    from pipeline.errors import ConfigError
    from pipeline.topicstate import TopicState, fingerprint, load_state, save_state

    base = TopicsParams()
    embedding = {"model": "e5@sha256:abc", "prefix": "query: "}
    same = fingerprint(base, 42, embedding)
    measured = TopicsParams.model_validate(
        {"stability_check": False, "admin": {"min_spread": 0.5}, "keep_model": "models/x"}
    )
    assert fingerprint(measured, 42, embedding) == same
    refit = TopicsParams.model_validate({"clusterer": {"name": "kmeans.v1", "k": 5}})
    for other in (
        fingerprint(refit, 42, embedding),
        fingerprint(base, 7, embedding),
        fingerprint(base, 42, {**embedding, "model": "e5@sha256:def"}),
    ):
        assert other != same
    state = TopicState(
        same,
        np.eye(2, 4, dtype=np.float32),
        np.array([0.5, 0.6]),
        {"muistio|fi": np.arange(4.0)},
        [["velka", "ulosotto"], ["yksinäisyys"]],
        {"n_fit_segments": 10},
    )
    save_state(state, tmp_path)
    loaded = load_state(tmp_path, same)
    assert loaded.ranked == state.ranked and loaded.fit_metrics == state.fit_metrics
    np.testing.assert_array_equal(loaded.centroids, state.centroids)
    np.testing.assert_array_equal(loaded.register_means["muistio|fi"], np.arange(4.0))
    with pytest.raises(ConfigError, match="other topic settings"):
        load_state(tmp_path, fingerprint(refit, 42, embedding))
    with pytest.raises(ConfigError, match="no fitted topic model"):
        load_state(tmp_path / "missing", same)
