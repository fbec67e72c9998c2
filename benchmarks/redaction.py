"""Redaction quality and speed on a Turku-NER-format file.

    python benchmarks/redaction.py --turku-ner ../shared/data/turku_ner/turku_ner_dev.jsonl

Input: one sentence per line with `tokens`, IOB2 `tags` (PER/PERSON, LOC, ...), `text` and
optionally `doc` (`turku_ner_dev.jsonl`); or one document per line with `text` and character
`spans` (`turku_ner_dev_docs.jsonl`; tokens are then the whitespace-separated words).
Sentences of one `doc` are redacted together as one document (one line per
sentence), as records are redacted whole. Punctuation inside a gold name span (the quotes of
`Thomas ( " Thom " ) Yorke`) counts as a person token; a third figure leaves such tokens out
(they identify no one). Two criteria: a token is masked when any redaction
span overlaps it (`any part`), or only when every character of it lies inside spans (`whole
token`: a half-masked name leaks). Prints person-name tokens left unmasked per 1,000 person-name
tokens by both, token-level precision and recall for PERSON (precision = tokens touched by a
HENKILÖ span that are gold PERSON) and LOC, non-person and gold-O tokens masked per 1,000, and
tokens/s; the last line is `key=value` pairs.

`--cv K` on a training file (`turku_ner_train.jsonl`, `turku_one_train.jsonl`): K name-tagger
models, each trained by `pipeline.redaction.train_names` on every fold but one (folds by
document, as that module defines them), each measured on its held-out fold; the figures pool
the K folds. TurkuONE has no document field: its kept sentences are measured in blocks of 20
consecutive sentences, each inside one fold.

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


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load(path: Path, limit: int | None, rows: list[dict] | None = None) -> list[dict]:
    """Documents: text, token char offsets and gold entity type per token."""
    by_doc: dict[object, list[dict]] = defaultdict(list)
    order: list[object] = []
    for n, row in enumerate(rows if rows is not None else read_rows(path)):
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


def cv_folds(path: Path, k: int, cache: Path) -> list[tuple[Path, list[dict]]]:
    """(fold model, held-out rows) per fold of a training file."""
    from pipeline.redaction import train_names

    models = train_names.fold_models(path.parent, k, cache)
    ner, one = train_names.training_rows(path.parent)
    if path.name == train_names.NER_TRAIN:
        return [(models[i], [r for r in ner if int(r["doc"]) % k == i]) for i in range(k)]
    if path.name == train_names.ONE_TRAIN:
        out = []
        for i in range(k):
            held = [
                {**r, "doc": f"one{n // 20}"}
                for n, r in enumerate(one)
                if n * k // max(len(one), 1) == i
            ]
            out.append((models[i], held))
        return out
    names = f"{train_names.NER_TRAIN}, {train_names.ONE_TRAIN}"
    raise SystemExit(f"--cv needs a training file ({names})")


def masked_fraction(start: int, end: int, spans: list[tuple[int, int, str]]) -> float:
    """Share of the characters of [start, end) inside some span."""
    covered = [False] * (end - start)
    for s, e, _ in spans:
        for i in range(max(s, start), min(e, end)):
            covered[i - start] = True
    return sum(covered) / max(end - start, 1)


def score(docs: list[dict], all_spans: list[list[tuple[int, int, str]]], counts, misses, show):
    """Add each gold token's outcome to `counts` (by gold kind)."""
    for doc, spans in zip(docs, all_spans, strict=True):
        for start, end, kind in doc["tokens"]:
            touching = [sp for sp in spans if sp[0] < end and start < sp[1]]
            labels = {lab for _, _, lab in touching}
            masked = bool(labels)
            whole = masked and masked_fraction(start, end, touching) == 1.0
            counts[f"gold_{kind}"] += 1
            counts[f"masked_{kind}"] += masked
            counts[f"whole_{kind}"] += whole
            if kind == "PER" and not any(c.isalnum() for c in doc["text"][start:end]):
                counts["punct_PER"] += 1  # a quote or bracket inside a name span
                counts["punct_whole_PER"] += whole
            counts[f"person_{kind}"] += "HENKILÖ" in labels
            counts[f"place_{kind}"] += "PAIKKA" in labels
            if kind == "PER" and not whole and len(misses) < show:
                misses.append(
                    doc["text"][max(0, start - 30) : end + 30].replace("\n", " | ")
                    + f"   [{doc['text'][start:end]}]{' (part)' if masked else ''}"
                )


def figures_of(counts, n_docs: int, elapsed: float) -> dict:
    n_tokens = sum(v for k, v in counts.items() if k.startswith("gold_"))
    per = counts["gold_PER"]
    person_masked = sum(v for k, v in counts.items() if k.startswith("person_"))
    place_masked = sum(v for k, v in counts.items() if k.startswith("place_"))
    non_person = n_tokens - per
    non_person_masked = sum(
        v for k, v in counts.items() if k.startswith("masked_") and k != "masked_PER"
    )
    return {
        "docs": n_docs,
        "tokens": n_tokens,
        "person_tokens": per,
        "person_unmasked_per_1000": 1000 * (per - counts["masked_PER"]) / max(per, 1),
        "person_unmasked_whole_per_1000": 1000 * (per - counts["whole_PER"]) / max(per, 1),
        "person_word_unmasked_whole_per_1000": 1000
        * (per - counts["punct_PER"] - (counts["whole_PER"] - counts["punct_whole_PER"]))
        / max(per - counts["punct_PER"], 1),
        "person_recall": counts["masked_PER"] / max(per, 1),
        "person_recall_whole": counts["whole_PER"] / max(per, 1),
        "person_precision": counts["person_PER"] / max(person_masked, 1),
        "nonperson_masked_per_1000": 1000 * non_person_masked / max(non_person, 1),
        "o_masked_per_1000": 1000 * counts["masked_O"] / max(counts["gold_O"], 1),
        "org_masked_per_1000": 1000 * counts["masked_ORG"] / max(counts["gold_ORG"], 1),
        "loc_recall": counts["masked_LOC"] / max(counts["gold_LOC"], 1),
        "loc_precision": counts["place_LOC"] / max(place_masked, 1),
        "tokens_per_s": n_tokens / max(elapsed, 1e-9),
    }


def make_redactor(args, model: Path | None = None):
    from pipeline.config import load_params
    from pipeline.redaction.redactor import Redactor

    tagger = load_params().redact.tagger
    updates = {
        k: v for k, v in (("threshold", args.threshold), ("veto", args.veto)) if v is not None
    }
    if args.no_tagger:
        updates["enabled"] = False
    tagger = tagger.model_copy(update=updates)
    return Redactor(patterns=args.patterns, use_ner=args.ner, tagger=tagger, tagger_model=model)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turku-ner", type=Path, required=True, help="Turku NER jsonl file")
    parser.add_argument("--system", choices=["redactor", "ner-only"], default="redactor")
    parser.add_argument("--ner", action="store_true", help="redactor with spaCy-fi NER as well")
    parser.add_argument("--patterns", type=Path, default=None, help="redaction config YAML")
    parser.add_argument("--limit", type=int, default=None, help="first N documents only")
    parser.add_argument("--cv", type=int, default=0, help="K-fold cross-validation (training file)")
    parser.add_argument(
        "--cv-cache", type=Path, default=Path("data/work/names_cv"), help="fold models kept here"
    )
    parser.add_argument("--threshold", type=float, default=None, help="redact.tagger.threshold")
    parser.add_argument("--veto", type=float, default=None, help="redact.tagger.veto")
    parser.add_argument("--no-tagger", action="store_true", help="the rules alone")
    parser.add_argument(
        "--show-misses",
        type=int,
        default=0,
        help="print up to N missed person tokens (development data only)",
    )
    args = parser.parse_args(argv)

    if args.cv:
        runs = [
            (model, load(args.turku_ner, None, rows))
            for model, rows in cv_folds(args.turku_ner, args.cv, args.cv_cache)
        ]
    else:
        runs = [(None, load(args.turku_ner, args.limit))]

    counts: dict[str, int] = defaultdict(int)
    misses: list[str] = []
    elapsed = 0.0
    n_docs = 0
    for model, docs in runs:
        texts = [d["text"] for d in docs]
        n_docs += len(docs)
        if args.system == "ner-only":
            started = time.perf_counter()
            all_spans = spans_ner_only(texts)
            elapsed += time.perf_counter() - started
        else:
            redactor = make_redactor(args, model)
            redactor.redact("Lämmittely.")  # loads lazily initialised parts outside the timing
            started = time.perf_counter()
            results = redactor.redact_many(texts)
            elapsed += time.perf_counter() - started
            all_spans = [[(s.start, s.end, s.label) for s in r.spans] for r in results]
        score(docs, all_spans, counts, misses, args.show_misses)

    figures = figures_of(counts, n_docs, elapsed)
    for miss in misses:
        print("MISS", miss)
    tagger = "rules only" if args.no_tagger else "with the name tagger"
    print(
        f"system: {args.system} ({tagger}){' (with NER)' if args.ner else ''};"
        f" file: {args.turku_ner}{f'; {args.cv}-fold CV' if args.cv else ''}"
    )
    print(
        f"documents {figures['docs']}, tokens {figures['tokens']},"
        f" person-name tokens {figures['person_tokens']}"
    )
    print(
        "person-name tokens left unmasked per 1,000 person tokens:"
        f" {figures['person_unmasked_per_1000']:.1f} (any part masked),"
        f" {figures['person_unmasked_whole_per_1000']:.1f} (whole token masked);"
        f" {figures['person_word_unmasked_whole_per_1000']:.1f} of the tokens with a letter or"
        " digit (whole token)"
    )
    print(
        f"PERSON precision {figures['person_precision']:.3f} recall {figures['person_recall']:.3f}"
        f" (whole token {figures['person_recall_whole']:.3f})"
    )
    print(f"LOC precision {figures['loc_precision']:.3f} recall {figures['loc_recall']:.3f}")
    print(
        f"non-person tokens masked: {figures['nonperson_masked_per_1000']:.1f} per 1,000"
        f" (gold-O tokens: {figures['o_masked_per_1000']:.1f} per 1,000;"
        f" ORG tokens: {figures['org_masked_per_1000']:.1f} per 1,000)"
    )
    print(f"speed: {figures['tokens_per_s']:.0f} tokens/s")
    print(
        " ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items())
    )


if __name__ == "__main__":
    main()
