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
