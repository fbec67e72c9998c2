"""Administrative topics: the way notes are written, not what happens to clients.

Some topics gather how records are kept rather than a phenomenon: form templates ("Arvio on
tehty asiakkaan pyynnöstä"), contact and report headers, identifier lines built around
placeholders (`henkilötunnus <HETU_1>`), procedural phrasing. They must not be reported as
findings. A topic is marked administrative from signals measured on its own segments:

- `placeholder_rate`: placeholders per word. Contact, identity and signature lines are
  mostly placeholders; a note about a client's situation mentions a name now and then.
- `template_share`: share of its sentences that recur word for word (digits and placeholder
  numbers aside) in at least `template_min_docs` documents: forms, not narration.
- `spread`: how closely its documents follow the corpus over services and document types
  (1 - Jensen-Shannon divergence, base 2): a form's phrasing turns up wherever notes are
  written, a phenomenon gathers where it is met.
- `generic`: how evenly its top keywords occur across all topics (normalised entropy of each
  keyword's counts over topics, mean over the keywords): `tehdä, arvio, yhteistyö`.
- `accompanying`: share of its documents that carry another topic too. A form's phrasing or
  a plan's wording never makes a record on its own; it accompanies whatever the record is
  about (on the sample, the planned-measure topics: 0.95 and 0.99; phenomena: 0.53 to 0.82).
  With one segment per document it is 0 and says nothing.
- `rejected`: the topic matches a theme the workgroup rejected (registry status `rejected`,
  centre cosine at least `themes.match_threshold`).

Rule (params `topics.admin`): administrative when rejected, or when placeholders dominate
(`placeholder_rate` at least `max_placeholder_rate`), or when the topic is procedural: it
accompanies other topics (`accompanying`), spreads over services and document types like the
corpus (`spread`), and its wording recurs (`template_share`) or its keywords are generic
(`generic`), each at least its threshold. Thresholds were set on the
bundled sample, where two planned-measure topics (`Haetaan ...`, `Sovitaan ...`) mix the gold
themes (the largest gold theme among their documents 2.4 and 3.2 times its corpus share,
against 3.7 to 16 for the phenomena), and checked to flag nothing on the
public dev sets (benchmarks/theme_corpora.py); identifier and contact lines mostly never reach
a topic now (the segment stage sets them aside), the placeholder rule catches what remains.

How the workgroup's rejections feed the boilerplate lists: a rejected theme keeps its centre
in the registry, and every later run marks the topic matching it administrative (signal
`rejected`), so its documents stop counting towards findings without anyone editing a file;
the sentences its excerpts show are the candidates the data team adds to
`configs/boilerplate_sentences_fi.txt` (regular expressions, reviewed by a domain expert), after
which the segment stage flags them before embedding.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

_PLACEHOLDER = re.compile(r"<[A-ZÄÖÅ]+_\d+>")
SIGNALS = ("placeholder_rate", "template_share", "spread", "generic", "accompanying", "rejected")


def sentence_documents(segments: pd.DataFrame) -> Counter:
    """How many documents each sentence key occurs in (all segments, boilerplate included)."""
    from pipeline.excerpts import text_key
    from pipeline.sentences import split_sentences

    docs: dict[str, set[str]] = {}
    for doc_id, text in zip(segments["doc_id"], segments["text"], strict=True):
        for sentence in split_sentences(text):
            docs.setdefault(text_key(sentence), set()).add(doc_id)
    return Counter({key: len(ids) for key, ids in docs.items()})


def admin_signals(
    segments: pd.DataFrame,
    labels: np.ndarray,
    keywords: list[list[str]],
    lemma_counts: np.ndarray,
    vocabulary: dict[str, int],
    strata: pd.Series,
    *,
    template_min_docs: int,
    rejected: list[bool],
) -> pd.DataFrame:
    """One row of signals per topic 0..k-1 (see the module docstring).

    `segments` (SEGMENTS rows, aligned with `labels`); `lemma_counts`: topics × vocabulary
    counts over assigned segments; `strata`: the service × document type of each segment's
    document (aligned with `segments`)."""
    from pipeline.excerpts import text_key
    from pipeline.sentences import split_sentences

    k = len(keywords)
    recurring = sentence_documents(segments)
    accompanied = _accompanied(segments["doc_id"], labels, k)
    corpus = strata[labels >= 0].value_counts()
    totals = lemma_counts.sum(axis=0)
    rows = []
    for topic in range(k):
        member = labels == topic
        texts = segments.loc[member, "text"].tolist()
        words = sum(len(t.split()) for t in texts)
        sentences = [text_key(s) for t in texts for s in split_sentences(t)]
        own = strata[member].value_counts().reindex(corpus.index, fill_value=0)
        rows.append(
            {
                "placeholder_rate": round(
                    sum(len(_PLACEHOLDER.findall(t)) for t in texts) / words, 4
                )
                if words
                else 0.0,
                "template_share": round(
                    float(np.mean([recurring[s] >= template_min_docs for s in sentences])), 4
                )
                if sentences
                else 0.0,
                "spread": round(1.0 - js_divergence(own.to_numpy(), corpus.to_numpy()), 4)
                if own.sum()
                else 0.0,
                "generic": round(_evenness(keywords[topic], lemma_counts, totals, vocabulary), 4),
                "accompanying": accompanied[topic],
                "rejected": bool(rejected[topic]) if topic < len(rejected) else False,
            }
        )
    return pd.DataFrame(rows, columns=list(SIGNALS))


def is_administrative(signals: pd.DataFrame, params) -> np.ndarray:
    """The rule of the module docstring over `admin_signals` rows; `params`: AdminParams."""
    if signals.empty:
        return np.zeros(0, dtype=bool)
    templated = (
        (signals["accompanying"] >= params.min_accompanying)
        & (signals["spread"] >= params.min_spread)
        & (
            (signals["template_share"] >= params.min_template_share)
            | (signals["generic"] >= params.min_generic)
        )
    )
    return (
        signals["rejected"].to_numpy(dtype=bool)
        | (signals["placeholder_rate"] >= params.max_placeholder_rate).to_numpy()
        | templated.to_numpy()
    )


def _accompanied(doc_ids: pd.Series, labels: np.ndarray, k: int) -> list[float]:
    """Per topic, the share of its documents that carry another topic as well."""
    pairs = pd.DataFrame({"doc_id": doc_ids.to_numpy(), "topic": labels})
    pairs = pairs[pairs["topic"] >= 0].drop_duplicates()
    topics_per_doc = pairs.groupby("doc_id")["topic"].nunique()
    pairs = pairs.assign(others=pairs["doc_id"].map(topics_per_doc) > 1)
    share = pairs.groupby("topic")["others"].mean()
    return [round(float(share.get(t, 0.0)), 4) for t in range(k)]


def js_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen-Shannon divergence (base 2, 0..1) of two count vectors."""
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    if p.sum() == 0 or q.sum() == 0:
        return 0.0
    p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2
    return float(0.5 * _kl(p, m) + 0.5 * _kl(q, m))


def _kl(p: np.ndarray, q: np.ndarray) -> float:
    mask = p > 0
    return float(np.sum(p[mask] * np.log2(p[mask] / q[mask])))


def _evenness(
    words: list[str], counts: np.ndarray, totals: np.ndarray, vocabulary: dict[str, int]
) -> float:
    """Mean normalised entropy of the words' counts over topics (1: spread evenly)."""
    k = counts.shape[0]
    if k < 2:
        return 0.0
    values = []
    for word in words:
        j = vocabulary.get(word)
        if j is None or totals[j] == 0:
            continue
        share = counts[:, j] / totals[j]
        share = share[share > 0]
        values.append(float(-(share * np.log(share)).sum() / np.log(k)))
    return float(np.mean(values)) if values else 0.0
