"""Split redacted documents into segments: sentence windows within a paragraph.

Topics are fitted on segments, not whole records: one needs assessment can cover housing, debt
and substance use, and a whole-document embedding would blur them (DESIGN.md §3).
Routine boilerplate sentences, identifier and contact lines (`Puh. <PUHELIN_1>`), and form
headers (`Sosiaalityöntekijän arvio:`, `Tilanne:` at the start of a line, a title line such as
`Palvelutarpeen arviointi`) get segments of their own, flagged, so that they never drive
clustering ("register beats theme", DESIGN.md §7) and never reach an excerpt. A header glued
to the sentence after it would also hide that sentence from the repeated-sentence rule
(`Taustatiedot: Kotikäynti tehtiin...` is not `Kotikäynti tehtiin...`).

Reads:  02_redacted.parquet
Writes: 03_segments.parquet, metrics/segment.json
Params: params.yaml > segment; compute (where the partitions run: pipeline.compute)
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from pipeline import artefacts, compute, io
from pipeline.config import Params, SegmentParams, resolve
from pipeline.contract import Stage
from pipeline.sentences import split_sentences

log = logging.getLogger(__name__)

_PARAGRAPH = re.compile(r"\n\s*\n+")
_WORD = re.compile(r"\w+", re.UNICODE)
# A form label at the start of a line: one to three words (no digits), a colon, then text
# ("Tilanne: Asiakkaan puoliso...", "Havaittu ilmiö: Oleskelulupien...").
_LABEL = re.compile(r"^([^\W\d_][\w-]*(?: [^\W\d_][\w-]*){0,2}):(?:\s+|$)")
_LINE_END = re.compile(r"[.!?…,;]$")
HEADER_MAX_WORDS = 4  # a title line ("Sosiaalinen raportti") is at most this long
# Redaction placeholders (`<PUHELIN_1>`, `<HENKILÖ_2>:lle`). Person and place placeholders
# occur in narrative; the others (identity numbers, phones, e-mails, addresses, client numbers,
# bank accounts) make a sentence an identifier or contact line.
_PLACEHOLDER = re.compile(r"<([A-ZÄÖÅ]+)_\d+>")
NARRATIVE_PLACEHOLDERS = frozenset({"HENKILÖ", "PAIKKA"})
IDENTIFIER_MAX_WORDS = 10  # a longer sentence around a phone number is still narration
# A label or title is a noun phrase: with a finite "olla" or a negation verb it is a sentence
# that leads into a list ("Välimatkat ovat pitkiä:", "Mun sähköposti on ..."), not a header.
_FINITE = frozenset("on ovat oli olivat olen olet olemme olette ei en et emme ette eivät".split())


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _PARAGRAPH.split(text) if p.strip()]


def split_headers(paragraph: str) -> tuple[list[str], str]:
    """(headers, body) of one paragraph: form labels and title lines taken out of the text.

    A header is a line-initial label of one to three words ending in a colon (the rest of the
    line stays in the body), or a short line without final punctuation followed by more lines
    (`Palvelutarpeen arviointi`). A greeting such as `hei` on its own line counts as one too.
    """
    headers: list[str] = []
    body: list[str] = []
    lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
    for i, line in enumerate(lines):
        label = _LABEL.match(line)
        if label and _is_phrase(label.group(1)):
            headers.append(label.group(1) + ":")
            line = line[label.end() :].strip()
        elif i + 1 < len(lines) and _is_title(line):
            headers.append(line)
            line = ""
        if line:
            body.append(line)
    return headers, "\n".join(body)


def _is_phrase(words: str) -> bool:
    return not _FINITE & set(words.lower().split())


def _is_title(line: str) -> bool:
    return (
        len(line.split()) <= HEADER_MAX_WORDS
        and line[:1].isupper()
        and not _LINE_END.search(line)
        and "<" not in line
        and _is_phrase(line)
    )


def sentence_key(sentence: str) -> str:
    """Normalised form for boilerplate matching: lower case, words only, placeholders kept."""
    return " ".join(_WORD.findall(sentence.lower()))


def compile_boilerplate(patterns: Iterable[str]) -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in patterns]


def repeated_sentences(texts: Iterable[str], *, min_docs: int, share: float) -> frozenset[str]:
    """Sentence keys found in at least max(min_docs, share × n_docs) documents."""
    texts = list(texts)
    return repeated_from_counts(
        sentence_doc_counts(texts), len(texts), min_docs=min_docs, share=share
    )


def sentence_doc_counts(texts: Iterable[str]) -> Counter[str]:
    """In how many of `texts` each sentence key occurs (summable over partitions)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(
            {
                sentence_key(s)
                for p in split_paragraphs(text)
                for s in split_sentences(split_headers(p)[1])
            }
        )
    return counts


def repeated_from_counts(
    counts: Counter[str], n_docs: int, *, min_docs: int, share: float
) -> frozenset[str]:
    """`repeated_sentences` from the document counts of the whole corpus."""
    threshold = max(min_docs, share * n_docs)
    return frozenset(k for k, c in counts.items() if c >= threshold and len(k.split()) >= 3)


def is_boilerplate(
    sentence: str, patterns: list[re.Pattern[str]], repeated: frozenset[str]
) -> bool:
    key = sentence_key(sentence)
    return (
        key in repeated or any(p.fullmatch(key) for p in patterns) or is_identifier_line(sentence)
    )


def is_identifier_line(sentence: str) -> bool:
    """A short sentence that carries an identifier or contact placeholder
    ("Asiakkaan henkilötunnus on <HETU_1>.", "Puh. <PUHELIN_1>"), or that is mostly person
    placeholders (a signature: "<HENKILÖ_1>, sosiaalityöntekijä"): record keeping, not the
    client's situation."""
    labels = _PLACEHOLDER.findall(sentence)
    if not labels:
        return False
    words = len(sentence.split())
    if any(label not in NARRATIVE_PLACEHOLDERS for label in labels):
        return words <= IDENTIFIER_MAX_WORDS
    return words <= 4 and 2 * len(labels) >= words


def windows(sentences: list[str], *, max_sentences: int, max_words: int) -> list[list[str]]:
    """Consecutive sentences grouped greedily, at most `max_sentences` and `max_words` a window.

    A single sentence longer than `max_words` is cut at word boundaries so that no segment
    exceeds the embedder's token limit.
    """
    out: list[list[str]] = []
    current: list[str] = []
    words = 0
    for sentence in sentences:
        for piece in _cut_long(sentence, max_words):
            n = len(piece.split())
            if current and (len(current) >= max_sentences or words + n > max_words):
                out.append(current)
                current, words = [], 0
            current.append(piece)
            words += n
    if current:
        out.append(current)
    return out


def _cut_long(sentence: str, max_words: int) -> list[str]:
    tokens = sentence.split()
    return [" ".join(tokens[i : i + max_words]) for i in range(0, len(tokens), max_words)] or [""]


def segment_document(
    text: str,
    *,
    patterns: list[re.Pattern[str]],
    repeated: frozenset[str],
    max_sentences: int,
    max_words: int,
) -> list[tuple[str, bool]]:
    """(segment text, is_boilerplate) in document order."""
    segments: list[tuple[str, bool]] = []
    for paragraph in split_paragraphs(text):
        headers, body = split_headers(paragraph)
        sentences = split_sentences(body)
        flags = [is_boilerplate(s, patterns, repeated) for s in sentences]
        content = [s for s, b in zip(sentences, flags, strict=True) if not b]
        routine = headers + [s for s, b in zip(sentences, flags, strict=True) if b]
        segments += [
            (" ".join(w), False)
            for w in windows(content, max_sentences=max_sentences, max_words=max_words)
        ]
        if routine:
            segments.append((" ".join(routine), True))
    return segments


def segment_frame(
    docs: pd.DataFrame,
    *,
    boilerplate_patterns: list[str],
    max_sentences: int,
    max_words: int,
    min_words: int,
    repeat_min_docs: int = 5,
    repeat_share: float = 0.02,
    repeated: frozenset[str] | None = None,
) -> pd.DataFrame:
    """One row per segment (`segment_id = doc_id#n`). Pure; documents in input order.

    `repeated`: the corpus's repeated sentence keys when `docs` is one partition of it
    (None: counted in `docs`).
    """
    from pipeline.nlp.language import detect_language

    patterns = compile_boilerplate(boilerplate_patterns)
    if repeated is None:
        repeated = repeated_sentences(docs["text"], min_docs=repeat_min_docs, share=repeat_share)
    rows = []
    for doc_id, text in zip(docs["doc_id"], docs["text"], strict=True):
        lang = detect_language(text)
        pieces = segment_document(
            text,
            patterns=patterns,
            repeated=repeated,
            max_sentences=max_sentences,
            max_words=max_words,
        )
        pieces = _merge_short(pieces, min_words)
        for n, (segment, routine) in enumerate(pieces, start=1):
            rows.append(
                {
                    "segment_id": f"{doc_id}#{n}",
                    "doc_id": doc_id,
                    "n": n,
                    "text": segment,
                    "lang": lang,
                    "boilerplate": routine,
                }
            )
    frame = pd.DataFrame(rows, columns=["segment_id", "doc_id", "n", "text", "lang", "boilerplate"])
    return frame.astype({"n": "int64", "boilerplate": "bool"})


def _merge_short(pieces: list[tuple[str, bool]], min_words: int) -> list[tuple[str, bool]]:
    """Fold a content segment shorter than `min_words` into its content neighbour."""
    out: list[tuple[str, bool]] = []
    for text, routine in pieces:
        short = len(text.split()) < min_words
        prev = next((i for i in range(len(out) - 1, -1, -1) if not out[i][1]), None)
        if not routine and short and prev is not None:
            out[prev] = (f"{out[prev][0]} {text}", False)
        elif not routine and out and not out[-1][1] and len(out[-1][0].split()) < min_words:
            out[-1] = (f"{out[-1][0]} {text}", False)
        else:
            out.append((text, routine))
    return out


def segment_with_params(
    docs: pd.DataFrame, p: SegmentParams, repeated: frozenset[str] | None = None
) -> pd.DataFrame:
    """`segment_frame` with its settings and boilerplate list from params."""
    return segment_frame(
        docs,
        boilerplate_patterns=io.read_wordlist(resolve(p.boilerplate)),
        max_sentences=p.max_sentences,
        max_words=p.max_words,
        min_words=p.min_words,
        repeat_min_docs=p.repeat_min_docs,
        repeat_share=p.repeat_share,
        repeated=repeated,
    )


def count_partition(docs: pd.DataFrame) -> Counter[str]:
    """`sentence_doc_counts` of one partition (pipeline.compute)."""
    return sentence_doc_counts(docs["text"])


def segment_partition(
    docs: pd.DataFrame, p: SegmentParams, repeated: frozenset[str]
) -> pd.DataFrame:
    """`segment_with_params` of one partition, with the whole corpus's repeated sentences."""
    return segment_with_params(docs, p, repeated)


def segment_partitioned(docs: pd.DataFrame, params: Params) -> pd.DataFrame:
    """Segments of every document in two maps over partitions (pipeline.compute): count the
    sentences of each partition, then segment each with the repeated sentences of all."""
    p = params.segment
    parts = compute.split(docs[["doc_id", "text"]], params.compute.partition_rows)
    with compute.workers(params.compute) as pool:
        counts: Counter[str] = Counter()
        for part in pool.map(count_partition, parts, desc="segment: count"):
            counts.update(part)
        repeated = repeated_from_counts(
            counts, len(docs), min_docs=p.repeat_min_docs, share=p.repeat_share
        )
        del counts
        frames = list(pool.map(segment_partition, parts, p, repeated, desc="segment"))
    if not frames:
        return segment_with_params(docs.iloc[:0], p, repeated)
    return pd.concat(frames, ignore_index=True)


def run(inputs: dict, params: Params) -> tuple[dict, dict]:
    """The stage: redacted documents -> segments."""
    docs = inputs["redacted"]
    segments = segment_partitioned(docs, params)
    return {"segments": segments}, segment_metrics(docs, segments)


def segment_metrics(docs: pd.DataFrame, segments: pd.DataFrame) -> dict:
    words = segments["text"].str.split().str.len()
    return {
        "n_docs": len(docs),
        "n_segments": len(segments),
        "n_boilerplate_segments": int(segments["boilerplate"].sum()),
        "docs_without_segments": int((~docs["doc_id"].isin(segments["doc_id"])).sum()),
        "segments_by_lang": segments["lang"].value_counts().sort_index().to_dict(),
        "words_per_segment_mean": round(float(words.mean()), 2) if len(words) else 0.0,
        "words_per_segment_max": int(words.max()) if len(words) else 0,
    }


STAGE = Stage(
    name="segment",
    help="split documents into sentence windows, flag boilerplate",
    inputs=(artefacts.REDACTED,),
    outputs=(artefacts.SEGMENTS,),
    params=("segment",),
    run=run,
    runtime=("compute",),
)
