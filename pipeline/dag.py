"""The pipeline: its stages in order, and how one stage runs from files (`ilmio <stage>`).

`PIPELINE` is the one ordered list. `ilmio run` runs it in memory (pipeline.run), `ilmio
<stage>` runs one stage on files (`execute`), and dvc.yaml is generated from it
(pipeline.dvcgen). Each stage module declares itself (`STAGE`, pipeline.contract).
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any

from pipeline.contract import Stage, run_stage, split_metrics

log = logging.getLogger(__name__)

ORDER = ("ingest", "redact", "segment", "lemmatise", "embed", "topics", "themes", "report")


def stages() -> tuple[Stage, ...]:
    """Every stage, in order (each module imported on first use: `ilmio --help` stays light)."""
    return tuple(importlib.import_module(f"pipeline.stages.{n}").STAGE for n in ORDER)


def stage(name: str) -> Stage:
    return importlib.import_module(f"pipeline.stages.{name}").STAGE


def execute(
    stage: Stage, paths: dict[str, Path], metrics_path: Path | None, params: Any
) -> dict[str, Any]:
    """Run `stage` on files: read its inputs, run, write its outputs and metrics.

    Folder outputs (a model, the report) are published whole (pipeline.outputs): a failed
    run leaves the previous folder as it was. Returns the stage's metrics.
    """
    from pipeline import io
    from pipeline.outputs import OutputFolder

    inputs = {a.name: a.kind.read(Path(paths[a.name])) for a in stage.inputs}
    outputs, metrics = run_stage(stage, inputs, params)
    for artefact in stage.outputs:
        path = Path(paths[artefact.name])
        if artefact.folder:
            with OutputFolder(path) as folder:
                artefact.kind.write(outputs[artefact.name], folder.path)
                folder.publish({"stage": stage.name, "artefact": artefact.name})
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            artefact.kind.write(outputs[artefact.name], path)
    if metrics_path is not None and stage.has_metrics:
        data, run = split_metrics(stage, metrics)
        io.write_json(data, metrics_path)
        if run:
            io.write_json(run, io.run_metrics_path(metrics_path))
    return metrics
