"""Representative excerpts of a theme, chosen in the topic stage and checked.

A reader judges a theme by its excerpts, so a wrong one misleads more than a missing one (a
domestic-violence quote under digital services, one template sentence under three themes). A
segment is a candidate for topic t only when
- it is assigned to t and t is also its nearest centre (a segment whose own nearest theme is
  another one is never shown for t),
- it carries at least one of t's keywords (lemmas),
- it is not boilerplate (headers and routine sentences are their own segments: pipeline.stages
  .segment) and not mostly placeholders (an identifier or contact line),
and candidates are ranked by similarity to t's centre, ties by segment id. Near-duplicates are
dropped: the same words (lower case, digits and placeholder numbers ignored) anywhere in the
run, or lemma sets with Jaccard >= 0.8 within the theme. The report then takes them in this
order, one per client, under small-cell suppression.
"""

from __future__ import annotations

import re

import numpy as np

CANDIDATES = 20  # ids kept per topic: the report shows a few, one per client
NEAR_DUPLICATE = 0.8  # lemma-set Jaccard above which two excerpts say the same
MAX_PLACEHOLDER_SHARE = 0.2  # share of words that are placeholders: an identifier line
_PLACEHOLDER = re.compile(r"<[A-ZÄÖÅ]+_\d+>")
_WORD = re.compile(r"\w+", re.UNICODE)


def text_key(text: str) -> str:
    """The words of a text, lower case, digits and placeholder numbers ignored."""
    return " ".join(_WORD.findall(re.sub(r"\d+", "0", text.lower())))


def placeholder_share(text: str) -> float:
    words = len(text.split())
    return len(_PLACEHOLDER.findall(text)) / words if words else 0.0


def representative_segments(
    segment_ids: list[str],
    texts: list[str],
    lemmas: list[list[str]],
    boilerplate: np.ndarray,
    labels: np.ndarray,
    similarities: np.ndarray,
    keywords: list[list[str]],
    n: int = CANDIDATES,
) -> list[list[str]]:
    """For each topic 0..k-1, up to `n` segment ids, most representative first.

    `similarities` is segments x topics (cosine to each centre); rows in the order of
    `segment_ids`. Pure: the same inputs give the same lists whatever their row order, as long
    as `segment_ids` are unique (ties go by id)."""
    k = similarities.shape[1] if similarities.ndim == 2 else 0
    if k == 0:
        return []
    nearest = similarities.argmax(axis=1)
    seen: set[str] = set()
    out = []
    for topic in range(k):
        words = set(keywords[topic]) if topic < len(keywords) else set()
        rows = [
            i
            for i in np.flatnonzero((labels == topic) & (nearest == topic) & ~boilerplate)
            if words & set(lemmas[i]) and placeholder_share(texts[i]) <= MAX_PLACEHOLDER_SHARE
        ]
        rows.sort(key=lambda i: (-round(float(similarities[i, topic]), 6), segment_ids[i]))
        chosen: list[int] = []
        for i in rows:
            key = text_key(texts[i])
            if key in seen or any(_jaccard(lemmas[i], lemmas[j]) >= NEAR_DUPLICATE for j in chosen):
                continue
            seen.add(key)
            chosen.append(i)
            if len(chosen) == n:
                break
        out.append([segment_ids[i] for i in chosen])
    return out


def _jaccard(a: list[str], b: list[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0
