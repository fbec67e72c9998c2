"""Built-in evaluation: coherence, label agreement and seed stability on small real inputs."""

import pandas as pd
import pytest

from pipeline.evaluation import label_agreement, npmi_coherence, seed_stability


def test_coherent_keywords_score_higher_than_random_ones():
    docs = [["vuokra", "häätö", "asunto"]] * 20 + [["velka", "ulosotto", "laina"]] * 20
    coherent = npmi_coherence([["vuokra", "häätö", "asunto"], ["velka", "ulosotto", "laina"]], docs)
    mixed = npmi_coherence([["vuokra", "velka", "laina"], ["häätö", "ulosotto", "asunto"]], docs)
    assert coherent > 0.9 and mixed < coherent


def test_label_agreement_perfect_and_missing_labels():
    doc_themes = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "theme_id": ["T1", "T1", "T2", ""]})
    labels = pd.Series({"a": "x", "b": "x", "c": "y", "d": "z"})
    out = label_agreement(doc_themes, labels)
    assert out["label_nmi"] == pytest.approx(1.0) and out["label_n_docs"] == 4
    assert label_agreement(doc_themes, pd.Series(dtype=str)) == {}


def test_seed_stability_ignores_label_names_and_order():
    a = pd.DataFrame({"segment_id": ["s1", "s2", "s3", "s4"], "topic": [0, 0, 1, 1]})
    b = pd.DataFrame({"segment_id": ["s4", "s3", "s2", "s1"], "topic": [5, 5, 7, 7]})
    assert seed_stability(a, b) == 1.0


def test_subsample_is_order_free_and_about_the_share():
    from pipeline.evaluation import subsample_documents

    ids = pd.Series([f"D{i}" for i in range(200)])
    mask = subsample_documents(ids, 0.8, draw=0, seed=1)
    again = subsample_documents(ids[::-1].reset_index(drop=True), 0.8, draw=0, seed=1)
    assert mask.sum() == 160 and set(ids[mask]) == set(ids[::-1].reset_index(drop=True)[again])
    assert set(ids[subsample_documents(ids, 0.8, draw=1, seed=1)]) != set(ids[mask])


def test_subsample_stability_compares_on_the_segments_both_fits_assigned():
    from pipeline.evaluation import subsample_stability

    full = pd.DataFrame({"segment_id": [f"s{i}" for i in range(8)], "topic": [0] * 4 + [1] * 4})
    docs = pd.Series([f"D{i}" for i in range(8)])

    def same(mask):  # a refit that finds the same partition, renamed, one segment unassigned
        part = full[mask.to_numpy()].assign(topic=lambda f: 5 - f["topic"])
        return part.assign(topic=part["topic"].where(part["segment_id"] != "s0", -1))

    def split(mask):  # a refit that cuts across the themes
        part = full[mask.to_numpy()]
        return part.assign(topic=[i % 2 for i in range(len(part))])

    assert subsample_stability(full, docs, same, draws=2, share=0.75, seed=0) == [1.0, 1.0]
    assert max(subsample_stability(full, docs, split, draws=2, share=0.75, seed=0)) < 0.5
