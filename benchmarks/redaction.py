"""Redaction quality and speed on a Turku-NER-format file.

    python benchmarks/redaction.py --turku-ner ../shared/data/turku_ner/turku_ner_dev.jsonl

Input: one sentence per line with `tokens`, IOB2 `tags` (PER/PERSON, LOC, ...), `text` and
optionally `doc` (`turku_ner_dev.jsonl`); or one document per line with `text` and character
`spans` (`turku_ner_dev_docs.jsonl`; tokens are then the whitespace-separated words).
Sentences of one `doc` are redacted together as one document (one line per
sentence), as records are redacted whole. A token counts as masked when any redaction span
overlaps it. Prints person-name tokens left unmasked per 1,000 person-name tokens, token-level
precision and recall for PERSON (precision = masked-as-HENKILÖ tokens that are gold PERSON) and
LOC, non-person tokens masked per 1,000, and tokens/s; the last line is `key=value` pairs.

`--system ner-only` measures the baseline: spaCy-fi NER PERSON entities alone.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def load(path: Path, limit: int | None) -> list[dict]:
    """Documents: text, token char offsets and gold entity type per token."""
    by_doc: dict[object, list[dict]] = defaultdict(list)
    order: list[object] = []
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if not line.strip():
                continue
            row = json.loads(line)
            key = row.get("doc", f"s{n}")
            if key not in by_doc:
                order.append(key)
            by_doc[key].append(row)
    docs = []
    for key in order[:limit] if limit else order:
        rows = by_doc[key]
        if "tokens" not in rows[0]:
            docs.append(_document_from_spans(path, rows))  # the *_docs.jsonl form
            continue
        text_parts, tokens = [], []
        offset = 0
        for row in by_doc[key]:
            sentence = row.get("text") or " ".join(row["tokens"])
            cursor = 0
            for token, tag in zip(row["tokens"], row["tags"], strict=True):
                at = sentence.find(token, cursor)
                if at < 0:
                    raise SystemExit(f"{path}: token {token!r} not found in its text")
                cursor = at + len(token)
                kind = tag.split("-", 1)[1] if "-" in tag else "O"
                kind = "PER" if kind in ("PER", "PERSON") else kind
                tokens.append((offset + at, offset + cursor, kind))
            text_parts.append(sentence)
            offset += len(sentence) + 1
        docs.append({"text": "\n".join(text_parts), "tokens": tokens})
    return docs


def _document_from_spans(path: Path, rows: list[dict]) -> dict:
    """A whole-document row (`text`, character `spans`): whitespace tokens, labelled by span."""
    if len(rows) != 1 or "text" not in rows[0] or "spans" not in rows[0]:
        raise SystemExit(f"{path}: a line needs `tokens` and `tags`, or `text` and `spans`")
    text, spans = rows[0]["text"], rows[0]["spans"]
    tokens = []
    for m in re.finditer(r"\S+", text):
        kind = next(
            (sp["label"] for sp in spans if sp["start"] < m.end() and m.start() < sp["end"]), "O"
        )
        tokens.append((m.start(), m.end(), "PER" if kind in ("PER", "PERSON") else kind))
    return {"text": text, "tokens": tokens}


def spans_ner_only(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    import spacy

    from pipeline.redaction.redactor import SPACY_EXCLUDE, SPACY_MODEL

    nlp = spacy.load(SPACY_MODEL, exclude=SPACY_EXCLUDE)
    return [
        [(e.start_char, e.end_char, "HENKILÖ") for e in doc.ents if e.label_ == "PERSON"]
        for doc in nlp.pipe(texts, batch_size=16)
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turku-ner", type=Path, required=True, help="Turku NER jsonl file")
    parser.add_argument("--system", choices=["redactor", "ner-only"], default="redactor")
    parser.add_argument("--ner", action="store_true", help="redactor with spaCy-fi NER as well")
    parser.add_argument("--patterns", type=Path, default=None, help="redaction config YAML")
    parser.add_argument("--limit", type=int, default=None, help="first N documents only")
    parser.add_argument(
        "--show-misses",
        type=int,
        default=0,
        help="print up to N missed person tokens (development data only)",
    )
    args = parser.parse_args(argv)

    docs = load(args.turku_ner, args.limit)
    texts = [d["text"] for d in docs]
    n_tokens = sum(len(d["tokens"]) for d in docs)

    if args.system == "ner-only":
        started = time.perf_counter()
        all_spans = spans_ner_only(texts)
        elapsed = time.perf_counter() - started
    else:
        from pipeline.redaction.redactor import Redactor

        redactor = Redactor(patterns=args.patterns, use_ner=args.ner)
        redactor.redact("Lämmittely.")  # loads lazily initialised parts outside the timing
        started = time.perf_counter()
        results = redactor.redact_many(texts)
        elapsed = time.perf_counter() - started
        all_spans = [[(s.start, s.end, s.label) for s in r.spans] for r in results]

    counts: dict[str, int] = defaultdict(int)
    misses = []
    for doc, spans in zip(docs, all_spans, strict=True):
        for start, end, kind in doc["tokens"]:
            labels = {lab for s, e, lab in spans if s < end and start < e}
            masked = bool(labels)
            as_person = "HENKILÖ" in labels
            as_place = "PAIKKA" in labels
            counts[f"gold_{kind}"] += 1
            counts[f"masked_{kind}"] += masked
            counts[f"person_{kind}"] += as_person
            counts[f"place_{kind}"] += as_place
            if kind == "PER" and not masked and len(misses) < args.show_misses:
                misses.append(
                    doc["text"][max(0, start - 30) : end + 30].replace("\n", " | ")
                    + f"   [{doc['text'][start:end]}]"
                )
    per = counts["gold_PER"]
    masked_per = counts["masked_PER"]
    person_masked = sum(v for k, v in counts.items() if k.startswith("person_"))
    place_masked = sum(v for k, v in counts.items() if k.startswith("place_"))
    non_person = n_tokens - per
    non_person_masked = sum(
        v for k, v in counts.items() if k.startswith("masked_") and k != "masked_PER"
    )
    o_tokens = counts["gold_O"]
    figures = {
        "docs": len(docs),
        "tokens": n_tokens,
        "person_tokens": per,
        "person_unmasked_per_1000": 1000 * (per - masked_per) / max(per, 1),
        "person_unmasked_per_1000_tokens": 1000 * (per - masked_per) / max(n_tokens, 1),
        "person_recall": masked_per / max(per, 1),
        "person_precision": counts["person_PER"] / max(person_masked, 1),
        "nonperson_masked_per_1000": 1000 * non_person_masked / max(non_person, 1),
        "o_masked_per_1000": 1000 * counts["masked_O"] / max(o_tokens, 1),
        "loc_recall": counts["masked_LOC"] / max(counts["gold_LOC"], 1),
        "loc_precision": counts["place_LOC"] / max(place_masked, 1),
        "tokens_per_s": n_tokens / max(elapsed, 1e-9),
    }
    for miss in misses:
        print("MISS", miss)
    print(f"system: {args.system}{' (with NER)' if args.ner else ''}; file: {args.turku_ner}")
    print(f"documents {len(docs)}, tokens {n_tokens}, person-name tokens {per}")
    print(
        f"person-name tokens left unmasked: {figures['person_unmasked_per_1000']:.1f} per 1,000"
        f" person tokens ({figures['person_unmasked_per_1000_tokens']:.2f} per 1,000 tokens)"
    )
    print(
        f"PERSON precision {figures['person_precision']:.3f} recall {figures['person_recall']:.3f}"
    )
    print(f"LOC precision {figures['loc_precision']:.3f} recall {figures['loc_recall']:.3f}")
    print(
        f"non-person tokens masked: {figures['nonperson_masked_per_1000']:.1f} per 1,000"
        f" (gold-O tokens: {figures['o_masked_per_1000']:.1f} per 1,000)"
    )
    print(f"speed: {figures['tokens_per_s']:.0f} tokens/s")
    print(
        " ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items())
    )


if __name__ == "__main__":
    main()
