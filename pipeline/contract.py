"""The stage contract: each stage declares once what it reads and writes, which params it reads
and which files it depends on, and a pure `run(inputs, params) -> (outputs, metrics)`.

Everything else follows from the declarations (`pipeline.stages.PIPELINE`):
- the `ilmio <stage>` subcommands: one `--<artefact> PATH` option per input and output, by
  name (pipeline.cli);
- `ilmio run`: every stage in memory, the same metrics under the same names (pipeline.run);
- `dvc.yaml`: cmd, deps (the stage's import closure, the data files its modules declare, the
  config files its params name), params, outs, metrics (pipeline.dag, `ilmio dvc-yaml`).

An artefact's *kind* says how it is read and written; in memory it is a DataFrame, an array,
a folder's content or a path. A table's `attrs["ilmio"]` travels with it: stored as Parquet
metadata on disk, kept in memory (the bundled-sample flag from ingest to redact, say).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pipeline.schemas import Schema

log = logging.getLogger(__name__)

META = "ilmio"  # key of a frame's attrs that is stored as Parquet key-value metadata


class Kind(Protocol):
    """How an artefact is read from and written to its path."""

    def read(self, path: Path) -> Any: ...

    def write(self, value: Any, path: Path) -> None: ...


@dataclass(frozen=True)
class Table:
    """A Parquet table checked against `schema` at every read and write."""

    schema: Schema

    def read(self, path: Path) -> Any:
        from pipeline import io

        frame = io.read_table(path, self.schema)
        frame.attrs[META] = io.read_meta(path)
        return frame

    def write(self, value: Any, path: Path) -> None:
        from pipeline import io

        io.write_table(value, path, self.schema, meta=value.attrs.get(META))


@dataclass(frozen=True)
class Array:
    """A NumPy array (`.npy`), read as a read-only memory map: pages come from the file as
    they are touched (and can be dropped again), not held by the process."""

    def read(self, path: Path) -> Any:
        import numpy as np

        return np.load(path, mmap_mode="r")

    def write(self, value: Any, path: Path) -> None:
        import numpy as np

        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, value)


@dataclass(frozen=True)
class Writer:
    """An artefact only written, by `write(value, path)` (a CSV for people, a model folder,
    the report folder); when a stage reads it back, `read` gives it."""

    write_fn: Callable[[Any, Path], None]
    read_fn: Callable[[Path], Any] | None = None

    def read(self, path: Path) -> Any:
        if self.read_fn is None:
            raise TypeError("this artefact is not read by any stage")
        return self.read_fn(path)

    def write(self, value: Any, path: Path) -> None:
        self.write_fn(value, path)


@dataclass(frozen=True)
class InputFile:
    """A file given to the pipeline (the export): in memory, its path."""

    def read(self, path: Path) -> Any:
        return Path(path)

    def write(self, value: Any, path: Path) -> None:
        raise TypeError("an input file is never written")


@dataclass(frozen=True)
class StageMetrics:
    """Every earlier stage's metrics: the `metrics/` folder on disk, a dict in memory."""

    def read(self, path: Path) -> Any:
        return {
            p.stem: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(Path(path).glob("*.json"))
        }

    def write(self, value: Any, path: Path) -> None:
        raise TypeError("stage metrics are written by each stage")


@dataclass(frozen=True)
class Artefact:
    """What flows between stages.

    Attributes:
        name: the key in a run's artefacts and the CLI option (`--segments`).
        path: where `dvc.yaml` keeps it (`${work}/03_segments.parquet`).
        kind: how it is read and written.
        run_path: where `ilmio run` writes it inside `--out` (None: kept in memory only).
        dvc: options of the output in dvc.yaml (`{"cache": False}`).
        folder: a folder, published whole (pipeline.outputs) by the stage command.
    """

    name: str
    path: str
    kind: Kind
    run_path: str | None = None
    dvc: dict[str, Any] = field(default_factory=dict)
    folder: bool = False

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class Stage:
    """One stage: declared once, run by `ilmio <name>`, `ilmio run` and `dvc repro` alike.

    Attributes:
        params: the params sections or dotted keys the stage reads (`topics`, `embed.model`);
            `run` sees only these (`ParamsView`), so an undeclared read fails at once.
        run: `(inputs by artefact name, params) -> (outputs by artefact name, metrics)`.
        run_metrics: metric keys that depend on the run (speed, cache hits), kept out of the
            DVC metric so a reproduced run leaves `dvc.lock` unchanged (`metrics/run/`).
        files: config and data files the stage reads beyond its modules' `DATA_FILES` and its
            params' `InputPath` fields (the registry's centroids beside the registry, say).
        has_metrics: whether the stage writes `metrics/<name>.json` (the report does not: its
            summary goes into the report's own metrics.json).
        runtime: params sections that change where and how fast the stage runs, never its
            outputs (`compute`): readable by `run`, but not DVC params of the stage.
    """

    name: str
    help: str
    inputs: tuple[Artefact, ...]
    outputs: tuple[Artefact, ...]
    params: tuple[str, ...]
    run: Callable[[dict[str, Any], Any], tuple[dict[str, Any], dict]]
    run_metrics: tuple[str, ...] = ()
    files: Callable[[Any], list[Path]] = field(default=lambda params: [])
    has_metrics: bool = True
    runtime: tuple[str, ...] = ()

    @property
    def module(self) -> str:
        return f"pipeline.stages.{self.name}"

    @property
    def metrics_path(self) -> str:
        return f"metrics/{self.name}.json"


class ParamsView:
    """The params a stage declared, and nothing else: reading an undeclared section raises.

    `ParamsView(params, ("seed", "topics", "embed.model"))` gives `view.topics` (the whole
    section), `view.embed.model`, but not `view.embed.batch_size` or `view.report`.
    """

    def __init__(self, obj: Any, allowed: tuple[str, ...], prefix: tuple[str, ...] = ()):
        self._obj = obj
        self._allowed = tuple(tuple(a.split(".")) for a in allowed)
        self._prefix = prefix

    def __getattr__(self, name: str) -> Any:
        path = (*self._prefix, name)
        if any(path[: len(a)] == a for a in self._allowed):
            return getattr(self._obj, name)
        if any(a[: len(path)] == path for a in self._allowed):
            dotted = tuple(".".join(a) for a in self._allowed)
            return ParamsView(getattr(self._obj, name), dotted, path)
        raise AttributeError(
            f"params {'.'.join(path)} not declared by this stage "
            f"(declared: {', '.join('.'.join(a) for a in self._allowed)})"
        )


def run_stage(stage: Stage, inputs: dict[str, Any], params: Any) -> tuple[dict, dict]:
    """Run a stage on in-memory inputs with only its declared params; check what it returns."""
    missing = [a.name for a in stage.inputs if a.name not in inputs]
    if missing:
        raise KeyError(f"stage {stage.name}: inputs missing: {', '.join(missing)}")
    outputs, metrics = stage.run(
        {a.name: inputs[a.name] for a in stage.inputs},
        ParamsView(params, stage.params + stage.runtime),
    )
    expected = {a.name for a in stage.outputs}
    if set(outputs) != expected:
        raise KeyError(
            f"stage {stage.name} returned {sorted(outputs)}, declared {sorted(expected)}"
        )
    return outputs, metrics


def split_metrics(stage: Stage, metrics: dict) -> tuple[dict, dict]:
    """(what the data determines: the DVC metric, what depends on the run: metrics/run/)."""
    run = {k: v for k, v in metrics.items() if k in stage.run_metrics}
    return {k: v for k, v in metrics.items() if k not in stage.run_metrics}, run
