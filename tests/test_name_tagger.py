"""The learned name tagger's inputs: word clusters of floret vectors, document features.

Real Voikko, the shipped CRF model and clusters, spacy-fi's vectors (installed, offline).
"""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.redaction.tagger import CLUSTER_SIZES, NameTagger, WordClusters, document_key
from pipeline.redaction.train_names import open_morphology


@pytest.fixture(scope="module")
def tagger() -> NameTagger:
    return NameTagger(open_morphology())


def test_shipped_clusters_have_the_documented_sizes_and_unit_centres():
    clusters = WordClusters.load()
    assert sorted(clusters.centres) == sorted(CLUSTER_SIZES)
    for k, centres in clusters.centres.items():
        assert centres.shape == (k, 300)
        np.testing.assert_allclose(np.linalg.norm(centres, axis=1), 1.0, atol=1e-2)


def test_any_string_has_a_cluster_and_a_batch_gives_what_one_word_gives():
    words = ["Virtaselle", "Okafor", "Kelalta", "xqzv", "Nguyenille"]
    single = WordClusters.load()
    one_by_one = {word: single.ids(word) for word in words}  # each word a batch of one
    batch = WordClusters.load()
    batch.prepare(words)
    assert {w: batch.ids(w) for w in words} == one_by_one
    assert all(len(ids) == len(CLUSTER_SIZES) for ids in one_by_one.values())


def test_document_features_describe_the_other_occurrences(tagger):
    sentences = [
        ("Asiakas", "tapasi", "Kaarina", "Rautiaisen", "maanantaina", "."),
        ("Rautiainen", "lupasi", "soittaa", "."),
        ("Ilmoitus", "tehtiin", "ilmoitusta", "varten", "."),
    ]
    features = tagger.features.document(sentences)
    first = features[1][0]  # `Rautiainen`, first in its sentence
    assert {"doc_again", "doc_mid_cap", "doc_after_first"} <= set(first)
    assert "doc_again" not in features[1][1]  # `lupasi`: once only
    assert "doc_lower" in features[2][0]  # `Ilmoitus`: `ilmoitusta` in lower case
    assert document_key("Rautiaisen") == document_key("Rautiainen")


def test_a_surname_first_in_a_sentence_is_read_by_the_rest_of_the_record(tagger):
    alone = "Rautiainen lupasi soittaa huomenna."
    record = "Asiakas tapasi sosiaaliohjaaja Kaarina Rautiaisen maanantaina. " + alone

    def p_person(text: str) -> float:
        return next(
            p.per for p in tagger.probabilities(text) if text[p.start : p.end] == "Rautiainen"
        )

    assert p_person(record) > p_person(alone)
    assert p_person(record) > 0.9
