"""Finnish sentence splitting, shared by the segment stage and the administrative-topic signals
(pipeline.admin), which count how many documents repeat a sentence."""

from __future__ import annotations

import re

# Abbreviations after which a full stop does not end a sentence ("esim. Kela", "n. 2 000 €").
ABBREVIATIONS = frozenset(
    "esim mm ns n noin ko ks klo yms jne tms vrt ym os puh s v p ja/tai tri prof nk".split()
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”')]*\s+(?=[\"“(]?[A-ZÅÄÖ0-9<])")


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph; a stop after a known abbreviation does not split."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        candidate = paragraph[start : match.start()].rstrip()
        last_word = candidate.rsplit(None, 1)[-1].rstrip(".").lower() if candidate else ""
        if last_word in ABBREVIATIONS:
            continue
        parts.append(candidate)
        start = match.end()
    parts.append(paragraph[start:].strip())
    return [" ".join(p.split()) for p in parts if p.strip()]
