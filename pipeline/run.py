"""`ilmio run`: the whole pipeline on one input file, in memory, outside DVC.

The same stages as `dvc repro` (pipeline.dag), run on in-memory artefacts, with the same
metrics under the same names. Raw text lives only in memory between ingest and redact: nothing
but the final outputs, the quarantine list (row numbers, ids and reasons, never text) and the
topic model reach disk.
"""

from __future__ import annotations

import logging
import platform
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from pipeline import dag, io
from pipeline.artefacts import STAGE_METRICS
from pipeline.config import Params, resolve
from pipeline.contract import run_stage, split_metrics
from pipeline.outputs import OutputFolder
from pipeline.redaction.pseudonyms import is_bundled_sample, resolve_key
from pipeline.topicstate import model_record

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
    input_path: Path,
    params: Params,
    *,
    model_identity: str,
    metrics: dict,
    timings: dict,
    topic_model: dict | None = None,
) -> dict:
    """What a researcher needs to reproduce the run (no record text)."""
    return {
        "input": {"name": Path(input_path).name, "sha256": io.file_sha256(input_path)},
        "params": params.model_dump(mode="json"),
        "seed": params.seed,
        "embedding_model": model_identity,
        "topic_model": topic_model or {},
        "packages": package_versions(),
        "python": platform.python_version(),
        "counts": metrics,
        "seconds": timings,
    }


def output_names() -> frozenset[str]:
    """Everything `ilmio run` writes at the top of --out."""
    from pipeline.stages.report import REPORT_FILES

    named = {a.run_path for s in dag.stages() for a in s.outputs if a.run_path not in (None, ".")}
    return frozenset(named | REPORT_FILES)


def run_pipeline(input_path: Path, out_dir: Path, params: Params, *, force: bool = False) -> Path:
    """Run every stage on `input_path`; publish the outputs as `out_dir` when all are written.

    `out_dir` and the pseudonym key are checked before any work (pipeline.outputs): an
    existing file, or a folder of someone else's files without `force`, is refused.
    """
    resolve_key(resolve(params.redact.pseudonym_key_file), allow_demo=is_bundled_sample(input_path))
    with OutputFolder(out_dir, force=force, names=output_names()) as folder:
        return folder.publish(run_in_memory(input_path, folder.path, params))


def run_in_memory(input_path: Path, out_dir: Path, params: Params) -> dict:
    """Every stage of `pipeline.dag` in memory; the artefacts with a `run_path` written into
    `out_dir`. Returns the manifest.

    An artefact is dropped as soon as no later stage reads it: the raw text (`ingested`) is
    gone once the redact stage has run.
    """
    order = dag.stages()
    artefacts: dict[str, Any] = {"src": Path(input_path)}
    metrics: dict[str, dict] = {}
    run_metrics: dict[str, dict] = {}
    timings: dict[str, float] = {}
    rows: dict[str, dict[str, int]] = {}
    for k, stage in enumerate(order):
        started = time.perf_counter()
        inputs = {**artefacts, STAGE_METRICS.name: dict(metrics)}
        outputs, stage_metrics = run_stage(stage, inputs, params)
        for artefact in stage.outputs:
            if artefact.run_path is not None:
                artefact.kind.write(outputs[artefact.name], out_dir / artefact.run_path)
        artefacts.update(outputs)
        later = {a.name for s in order[k + 1 :] for a in s.inputs}
        artefacts = {name: value for name, value in artefacts.items() if name in later}
        if stage.has_metrics:
            metrics[stage.name], run_metrics[stage.name] = split_metrics(stage, stage_metrics)
        timings[stage.name] = round(time.perf_counter() - started, 2)
        rows[stage.name] = table_rows(outputs)
        log.info(
            "%s done in %.1f s%s%s",
            stage.name,
            timings[stage.name],
            rows_text(rows[stage.name]),
            counts(stage_metrics),
        )
    for line in summary_lines(timings, rows):
        log.info(line)
    identity = metrics.get("embed", {}).get("model", "")
    topic_model = model_record(out_dir / "model", resolve(params.topics.keep_model))
    out = manifest(
        input_path,
        params,
        model_identity=identity,
        metrics=metrics,
        timings=timings,
        topic_model=topic_model,
    )
    return {**out, "run_metrics": run_metrics}


def counts(stage_metrics: dict) -> str:
    """`: n_docs 882, n_segments 3187` from a stage's whole-number metrics, for the log."""
    shown = [
        f"{k} {v}" for k, v in stage_metrics.items() if k.startswith("n_") and isinstance(v, int)
    ]
    return f": {', '.join(shown)}" if shown else ""


def table_rows(outputs: dict[str, Any]) -> dict[str, int]:
    """Rows of each table (or array) a stage returned: what it handed on."""
    return {
        name: len(value)
        for name, value in outputs.items()
        if hasattr(value, "shape") and getattr(value, "ndim", 2) >= 1
    }


def rows_text(rows: dict[str, int]) -> str:
    return f" ({', '.join(f'{k} {v} rows' for k, v in rows.items())})" if rows else ""


def summary_lines(timings: dict[str, float], rows: dict[str, dict[str, int]]) -> list[str]:
    """The per-stage table logged at the end of a run: seconds, share of the run, rows out."""
    total = sum(timings.values()) or 1.0
    lines = [f"{'stage':<10} {'seconds':>8} {'share':>6}  rows out"]
    for name, seconds in timings.items():
        out = ", ".join(f"{k} {v}" for k, v in rows.get(name, {}).items())
        lines.append(f"{name:<10} {seconds:>8.1f} {seconds / total:>6.0%}  {out}")
    lines.append(f"{'run':<10} {total:>8.1f} {1:>6.0%}")
    return lines
