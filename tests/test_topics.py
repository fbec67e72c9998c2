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
    params=[PARAMS, WARD, UMAP_HDBSCAN],
    ids=["spectral", "pca-ward", "umap-hdbscan"],
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
@pytest.mark.parametrize("params", [PARAMS, WARD], ids=["spectral", "pca-ward"])
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
