"""Built-in evaluation of a topic fit (OCTIS-style measures; BERTopic has none).

- coherence: NPMI of each topic's keywords over the segments' lemma lists (gensim `c_npmi`).
  For two keywords, NPMI = log(p(a,b) / (p(a) p(b))) / -log p(a,b), with p counted over
  sliding windows of lemmas (gensim's default 10, about one segment here): 1 when the words
  only ever occur together, 0 when they co-occur as often as chance, -1 when never together.
  A topic's value is the mean over its keyword pairs, the fit's the mean over topics. Around
  0 means keywords that each mark the topic but rarely share a segment (a theme described
  in many ways: `yksinäisyys` in one note, `ystäväpiiri` in the next); below 0 means the
  keywords come from different segments altogether, typically a topic that mixes unrelated
  phenomena or rare words (each seen in one or two segments, so their pairs are never seen
  together). It reads the keywords, not the assignment, and is no substitute for agreement
  with a gold label.
- diversity: share of unique words among all topics' keywords;
- stability: adjusted Rand index between the full fit and fits on subsamples of the documents
  (`subsample_stability`: 80 % of documents, several draws), on the segments both saw. A
  deterministic clusterer refitted with another seed only measures that it ignores the seed
  (always 1.0); a subsample measures whether the partition is a property of the data;
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


def subsample_documents(doc_ids: pd.Series, share: float, draw: int, seed: int) -> pd.Series:
    """A boolean mask choosing about `share` of the documents, by a keyed hash of each id:
    the same documents whatever the row order."""
    import hashlib

    unique = sorted(set(doc_ids))
    ranked = sorted(unique, key=lambda d: hashlib.sha256(f"{seed}:{draw}:{d}".encode()).hexdigest())
    keep = set(ranked[: max(1, round(share * len(unique)))])
    return doc_ids.isin(keep)


def subsample_stability(
    full: pd.DataFrame,
    doc_ids: pd.Series,
    refit,
    *,
    draws: int,
    share: float,
    seed: int,
) -> list[float]:
    """ARI between the full fit (`full`: segment_id, topic) and `refit(mask)` (a fit on the
    segments of a subsample of documents), on the segments both assigned, one per draw.

    `doc_ids` are the documents of the rows `refit` masks. Segments left without a topic by
    either fit are left out: stability of the themes, not of the outlier rule."""
    out = []
    for draw in range(draws):
        part = refit(subsample_documents(doc_ids, share, draw, seed))
        both = full.merge(part, on="segment_id", suffixes=("", "_sub"))
        both = both[(both["topic"] >= 0) & (both["topic_sub"] >= 0)]
        out.append(
            seed_stability(
                both[["segment_id", "topic"]],
                both.rename(columns={"topic": "_", "topic_sub": "topic"})[["segment_id", "topic"]],
            )
        )
    return out


def seed_stability(first: pd.DataFrame, second: pd.DataFrame) -> float:
    """ARI between two segment-topic assignments (SEGMENT_TOPICS frames) of the same segments."""
    from sklearn.metrics import adjusted_rand_score

    a = first.set_index("segment_id")["topic"]
    b = second.set_index("segment_id")["topic"].loc[a.index]
    return round(float(adjusted_rand_score(a.to_numpy(), b.to_numpy())), 4)
