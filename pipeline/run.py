"""`ilmio run`: the whole pipeline on one input file, in memory, outside DVC.

Raw text lives only in memory between ingest and redact: nothing but the final outputs, the
quarantine list (row numbers, ids and reasons, never text) and the topic model reach disk.
"""

from __future__ import annotations

import logging
import platform
import time
from importlib import metadata
from pathlib import Path

from pipeline import io
from pipeline.config import Params, resolve
from pipeline.outputs import OutputFolder
from pipeline.redaction.pseudonyms import is_bundled_sample, resolve_key

log = logging.getLogger(__name__)

VERSIONED = (
    "ilmio",
    "bertopic",
    "hdbscan",
    "umap-learn",
    "scikit-learn",
    "numpy",
    "pandas",
    "sentence-transformers",
    "torch",
    "transformers",
    "spacy",
    "spacy-fi-experimental-web-md",
    "libvoikko",
    "pyarrow",
    "openpyxl",
    "dvc",
)


def package_versions() -> dict[str, str]:
    out = {}
    for name in VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def manifest(
    input_path: Path, params: Params, *, model_identity: str, counts: dict, timings: dict
) -> dict:
    """What a researcher needs to reproduce the run (no record text)."""
    return {
        "input": {"name": Path(input_path).name, "sha256": io.file_sha256(input_path)},
        "params": params.model_dump(mode="json"),
        "seed": params.seed,
        "embedding_model": model_identity,
        "packages": package_versions(),
        "python": platform.python_version(),
        "counts": counts,
        "seconds": timings,
    }


# Everything `ilmio run` writes into --out (top level).
OUTPUT_NAMES = frozenset(
    {
        "doc_themes.csv",
        "themes.csv",
        "themes.xlsx",
        "report.html",
        "metrics.json",
        "quarantine.csv",
        "manifest.json",
        "themes_state.json",
        "model",
    }
)


def run_pipeline(input_path: Path, out_dir: Path, params: Params, *, force: bool = False) -> Path:
    """Run every stage on `input_path`; publish the outputs as `out_dir` when all are written.

    `out_dir` is checked before any work (pipeline.outputs): an existing file, or a folder of
    someone else's files without `force`, is refused.
    """
    key = resolve_key(params.redact.pseudonym_key_file, allow_demo=is_bundled_sample(input_path))
    with OutputFolder(out_dir, force=force, names=OUTPUT_NAMES) as folder:
        manifest_data = _run_stages(input_path, folder.path, params, key)
        return folder.publish(manifest_data)


def _run_stages(input_path: Path, out_dir: Path, params: Params, key) -> dict:
    """Every stage in memory, outputs into `out_dir`; returns the manifest."""
    from pipeline.nlp import embedders
    from pipeline.redaction import Redactor
    from pipeline.stages import embed, ingest, lemmatise, redact, report, segment, themes, topics
    from pipeline.workgroup.registry.store import load_registry

    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 2)
        clock = now
        log.info("%s done in %.1f s", name, timings[name])

    good, bad, ingest_counts = ingest.ingest_file(input_path, params)
    ingest.write_quarantine(bad, out_dir / "quarantine.csv")
    lap("ingest")
    redactor = Redactor(patterns=resolve(params.redact.patterns), use_ner=params.redact.ner)
    docs, spans = redact.redact_frame(
        good, redactor, key=key, name_fields=params.redact.name_fields
    )
    del good  # raw text is not needed past this point
    lap("redact")
    segments = segment.segment_with_params(docs, params.segment)
    lap("segment")
    lemmas = lemmatise.lemmatise_with_params(segments, params.lemmatise)
    lap("lemmatise")
    embedder = embedders.load(resolve(params.embed.model))
    cache = (
        embed.EmbeddingCache(resolve(params.embed.cache_dir), embedder.identity)
        if params.embed.cache_dir
        else None
    )
    vectors = embed.embed_frame(
        segments,
        embedder,
        prefix=params.embed.prefix,
        batch_size=params.embed.batch_size,
        cache=cache,
    )
    lap("embed")
    registry = load_registry(resolve(params.themes.registry))
    result, quality = topics.fit_and_evaluate(segments, lemmas, vectors, docs, params, registry)
    topics.save_model(result.model, out_dir / "model", str(params.embed.model))
    lap("topics")
    doc_themes, theme_table = themes.assign_themes(
        result.segment_topics,
        result.topics,
        result.centroids,
        segments,
        docs,
        registry,
        min_share=params.themes.min_share,
        match_threshold=params.themes.match_threshold,
    )
    lap("themes")
    counts = {
        "ingest": ingest_counts,
        "redact": {
            "n_spans": len(spans),
            "by_label": spans["label"].value_counts().sort_index().to_dict(),
        },
        "segment": segment.segment_metrics(docs, segments),
        "topics": {**result.metrics, **quality},
        "themes": themes.theme_metrics(doc_themes, theme_table, docs),
    }
    report.write_outputs(
        out_dir,
        doc_themes=doc_themes,
        themes=theme_table,
        docs=docs,
        segment_topics=result.segment_topics,
        segments=segments,
        params=params.report,
        metrics=counts,
        demo_key=key.demo,
        centroids=result.centroids,
    )
    lap("report")
    log.info("run finished in %.1f s", sum(timings.values()))
    return manifest(
        input_path, params, model_identity=embedder.identity, counts=counts, timings=timings
    )
