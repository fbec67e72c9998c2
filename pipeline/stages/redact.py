"""Redact personal data from ingested records and pseudonymise client keys.

Identifiers (henkilötunnus, phones, emails, IBAN, addresses, client numbers) and names become
typed placeholders that keep the Finnish case ending (`<HENKILÖ_1>:lle`); names from the
record's structured fields (client and worker columns) are always redacted in that record.
Raw text and name columns stop here: nothing downstream can see them.

Reads:  01_ingested.parquet
Writes: 02_redacted.parquet (doc_id, text, client_key pseudonym, date, service, area, doc_type),
        redaction_spans.parquet (doc_id, start, end, label, source: offsets and labels only),
        metrics/redact.json (n_docs, redactions per label, demo_key; docs_per_s of the documents
        redacted and n_cached in metrics/run/: they depend on the cache)
Params: params.yaml > redact (patterns, name_fields, ner, tagger, pseudonym_key_file, cache_dir:
        results of documents seen before, pipeline.rowcache); compute (where the partitions
        run: pipeline.compute)
Data:   the name tagger's model and word clusters, pipeline/redaction/data/names_crf_fi.crfsuite
        and names_clusters_fi.npz; spacy-fi's floret word vectors (installed package)
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from pipeline import artefacts, compute
from pipeline.config import Params, TaggerParams, resolve
from pipeline.contract import META, Stage
from pipeline.progress import progress
from pipeline.redaction import redactor as redactor_module
from pipeline.redaction.identifiers import LABELS, Span
from pipeline.redaction.pseudonyms import PseudonymKey, pseudonymise, resolve_key
from pipeline.redaction.redactor import Redacted, Redactor
from pipeline.redaction.tagger import vectors_identity
from pipeline.rowcache import RowCache, cached_rows, identity

log = logging.getLogger(__name__)

REDACTED_COLUMNS = ["doc_id", "text", "client_key", "date", "service", "area", "doc_type"]
SPAN_COLUMNS = ["doc_id", "start", "end", "label", "source"]


def redact_frame(
    docs: pd.DataFrame,
    redactor: Redactor,
    *,
    key: PseudonymKey,
    name_fields: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(redacted docs, redaction spans) for an INGESTED frame. Pure; order and ids kept.

    Name columns listed in `name_fields` that exist in `docs` feed the redactor and are dropped;
    `text_raw` is dropped; client keys become keyed pseudonyms.
    """
    return assemble(docs, redact_texts(docs, redactor, name_fields), key=key)


def record_names(docs: pd.DataFrame, name_fields: list[str]) -> list[list[str]]:
    """Each record's own names: the non-empty values of its `name_fields` columns."""
    present = [f for f in name_fields if f in docs.columns]
    rows = docs[present].itertuples(index=False, name=None) if present else [()] * len(docs)
    return [[str(v) for v in row if isinstance(v, str) and v.strip()] for row in rows]


def redact_texts(docs: pd.DataFrame, redactor: Redactor, name_fields: list[str]) -> list:
    """The redactor's result for each record's `text_raw`, with the record's own names."""
    texts = docs["text_raw"].astype(str).tolist()
    known = record_names(docs, name_fields)
    step = 64  # documents per progress step
    return [
        r
        for i in progress(range(0, len(texts), step), desc="redact", unit=f"×{step} docs")
        for r in redactor.redact_many(texts[i : i + step], known[i : i + step])
    ]


@functools.cache
def _redactor(patterns: Path, ner: bool, tagger: str) -> Redactor:
    """One redactor per worker process (its name lexicon and tagger load once); `tagger` is
    the tagger's params as JSON (hashable, and it travels as plain text)."""
    return Redactor(patterns=patterns, use_ner=ner, tagger=TaggerParams.model_validate_json(tagger))


def redact_partition(
    docs: pd.DataFrame, patterns: Path, ner: bool, tagger: str, name_fields: tuple
) -> list:
    """`redact_texts` on one partition (pipeline.compute): runs where the partition is sent.

    Only texts and name fields travel; the pseudonym key never leaves the calling process.
    """
    return redact_texts(docs, _redactor(patterns, ner, tagger), list(name_fields))


def assemble(docs: pd.DataFrame, results: list, *, key: PseudonymKey) -> tuple:
    """(redacted docs, spans) from the redactor's results, one per row of `docs`."""
    out = pd.DataFrame(
        {
            "doc_id": docs["doc_id"].astype(str).to_numpy(),
            "text": [r.text for r in results],
            "client_key": [pseudonymise(str(k), key) for k in docs["client_key"].astype(str)],
            **{c: docs[c].astype(str).to_numpy() for c in ("date", "service", "area", "doc_type")},
        },
        columns=REDACTED_COLUMNS,
    )
    if "label" in docs.columns:  # a gold label for evaluation, never personal data
        out["label"] = docs["label"].astype(str).to_numpy()
    rows = [
        (doc_id, s.start, s.end, s.label, s.source)
        for doc_id, r in zip(out["doc_id"], results, strict=True)
        for s in r.spans
    ]
    spans = pd.DataFrame(rows, columns=SPAN_COLUMNS).astype(
        {"doc_id": str, "start": "int64", "end": "int64", "label": str, "source": str}
    )
    return out, spans


def redact_partitioned(docs: pd.DataFrame, params: Params) -> list:
    """The redactor's result for each record, partitions mapped by pipeline.compute."""
    p = params.redact
    columns = ["text_raw", *[f for f in p.name_fields if f in docs.columns]]
    parts = compute.split(docs[columns], params.compute.partition_rows)
    with compute.workers(params.compute) as pool:
        done = pool.map(
            redact_partition, parts, *redactor_settings(params), desc="redact partitions"
        )
        return [r for part in done for r in part]


def redactor_settings(params: Params) -> tuple:
    """What a worker needs to build the redactor (plain, picklable values)."""
    p = params.redact
    return (resolve(p.patterns), p.ner, p.tagger.model_dump_json(), tuple(p.name_fields))


def redact_cached(docs: pd.DataFrame, params: Params, key: PseudonymKey) -> tuple[list, int]:
    """(the redactor's result for each record, how many came from the cache): only records
    not in `redact.cache_dir` are redacted (pipeline.rowcache; the rows are keyed with the
    pseudonym key, the input being raw text), and their results are added to it."""
    p = params.redact
    cache = None
    if p.cache_dir is not None:
        patterns, ner, tagger, _ = redactor_settings(params)
        settings = json.dumps([ner, tagger, p.name_fields, vectors_identity()])
        code = Path(redactor_module.__file__).parent  # the redaction package: code, model, lists
        cache = RowCache(resolve(p.cache_dir), identity([code, patterns], settings), key.key)
    texts = docs["text_raw"].astype(str).tolist()
    names = record_names(docs, p.name_fields)
    return cached_rows(
        cache,
        [json.dumps([text, *known]) for text, known in zip(texts, names, strict=True)],
        lambda rows: redact_partitioned(docs.iloc[rows], params),
        encode_redacted,
        decode_redacted,
    )


def encode_redacted(result: Redacted) -> str:
    spans = [[s.start, s.end, s.label, s.source] for s in result.spans]
    return json.dumps({"text": result.text, "spans": spans}, ensure_ascii=False)


def decode_redacted(stored: str) -> Redacted:
    value = json.loads(stored)
    return Redacted(value["text"], [Span(int(a), int(b), c, d) for a, b, c, d in value["spans"]])


def run(inputs: dict, params: Params) -> tuple[dict, dict]:
    """The stage: ingested records -> redacted records and the span audit."""
    docs = inputs["ingested"]
    allow_demo = docs.attrs.get(META, {}).get("bundled_sample") == "true"
    key = resolve_key(resolve(params.redact.pseudonym_key_file), allow_demo=allow_demo)
    if key.demo:
        log.warning("pseudonyms use the public demo key: bundled synthetic sample only")
    started = time.perf_counter()
    results, n_cached = redact_cached(docs, params, key)
    out, audit = assemble(docs, results, key=key)
    elapsed = time.perf_counter() - started
    out.attrs[META] = {"bundled_sample": str(allow_demo).lower(), "demo_key": str(key.demo)}
    per_label = Counter(audit["label"])
    log.info(
        "redacted %d documents, %d spans (%s)",
        len(out),
        len(audit),
        ", ".join(f"{k}={v}" for k, v in sorted(per_label.items())),
    )
    metrics = {
        "n_docs": len(out),
        "n_redactions": len(audit),
        "redactions_per_label": {label: int(per_label.get(label, 0)) for label in LABELS},
        "demo_key": key.demo,
        # throughput of the redactor itself: documents served by the cache are not counted
        "docs_per_s": round((len(out) - n_cached) / elapsed, 2) if len(out) > n_cached else None,
        "n_cached": n_cached,
    }
    return {"redacted": out, "spans": audit}, metrics


STAGE = Stage(
    name="redact",
    help="replace personal data by typed placeholders, pseudonymise client keys",
    inputs=(artefacts.INGESTED,),
    outputs=(artefacts.REDACTED, artefacts.SPANS),
    params=("redact",),
    run=run,
    run_metrics=("docs_per_s", "n_cached"),
    runtime=("compute",),
)
