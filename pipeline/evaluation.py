"""Built-in evaluation of a topic fit (OCTIS-style measures; BERTopic has none).

- coherence: NPMI of each topic's keywords over the segments' lemma lists (gensim `c_npmi`);
- diversity: share of unique words among all topics' keywords;
- stability: adjusted Rand index between the fit and a refit with another seed;
- agreement with a `label` column, when the input has one: NMI, ARI and V-measure of the
  primary theme (documents without a theme count as one more cluster).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def npmi_coherence(
    keyword_lists: list[list[str]], lemma_lists: list[list[str]], top_n: int = 10
) -> float | None:
    """Mean NPMI coherence (gensim `c_npmi`, sliding window over each segment's lemmas)."""
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    texts = [list(t) for t in lemma_lists if len(t)]
    dictionary = Dictionary(texts)
    topics = [[w for w in kws[:top_n] if w in dictionary.token2id] for kws in keyword_lists]
    topics = [t for t in topics if len(t) >= 2]
    if not topics or not texts:
        return None
    model = CoherenceModel(
        topics=topics, texts=texts, dictionary=dictionary, coherence="c_npmi", processes=1
    )
    return round(float(np.nanmean(model.get_coherence_per_topic())), 4)


def label_agreement(doc_themes: pd.DataFrame, labels: pd.Series) -> dict[str, float]:
    """NMI, ARI and V-measure of the primary theme against `labels` (indexed by doc_id)."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, v_measure_score

    frame = doc_themes.assign(label=doc_themes["doc_id"].map(labels))
    frame = frame[frame["label"].notna() & (frame["label"] != "")]
    if frame.empty:
        return {}
    truth, found = frame["label"], frame["theme_id"].replace("", "(none)")
    return {
        "label_nmi": round(normalized_mutual_info_score(truth, found), 4),
        "label_ari": round(adjusted_rand_score(truth, found), 4),
        "label_v_measure": round(v_measure_score(truth, found), 4),
        "label_n_docs": len(frame),
    }


def seed_stability(first: pd.DataFrame, second: pd.DataFrame) -> float:
    """ARI between two segment-topic assignments (SEGMENT_TOPICS frames) of the same segments."""
    from sklearn.metrics import adjusted_rand_score

    a = first.set_index("segment_id")["topic"]
    b = second.set_index("segment_id")["topic"].loc[a.index]
    return round(float(adjusted_rand_score(a.to_numpy(), b.to_numpy())), 4)
