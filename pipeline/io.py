"""Reading and writing artefacts: Parquet between stages, JSON metrics, reviewable word lists.

Every table read or written goes through a `Schema`, so a stage never sees a malformed frame.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from pipeline.errors import ConfigError, InputError
from pipeline.schemas import Schema

log = logging.getLogger(__name__)


def read_table(path: Path, schema: Schema) -> pd.DataFrame:
    """A Parquet artefact, validated."""
    try:
        frame = pd.read_parquet(path)
    except FileNotFoundError as exc:
        raise InputError("artefact not found; run the previous stage first", file=path) from exc
    return schema.validate(frame, path)


def write_table(
    frame: pd.DataFrame, path: Path, schema: Schema, meta: dict[str, str] | None = None
) -> None:
    """Validate and write a Parquet artefact (no pandas index, stable bytes for equal frames).

    `meta` is stored as Parquet key-value metadata under `ilmio.*` (read back by `read_meta`).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema.validate(frame, path)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if meta:
        extra = {f"ilmio.{k}".encode(): str(v).encode() for k, v in meta.items()}
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **extra})
    pq.write_table(table, path, compression="zstd")
    log.info("wrote %s: %d rows", path, len(frame))


def read_meta(path: Path) -> dict[str, str]:
    """The `ilmio.*` key-value metadata that `write_table` stored."""
    import pyarrow.parquet as pq

    raw = pq.read_schema(path).metadata or {}
    return {k.decode()[6:]: v.decode() for k, v in raw.items() if k.startswith(b"ilmio.")}


def write_json(data: dict[str, Any], path: Path) -> None:
    """Pretty, key-sorted JSON so equal data gives equal bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def write_metrics(data: dict[str, Any], path: Path, run_keys: tuple[str, ...] = ()) -> None:
    """Stage metrics: what the data determines goes to `path` (a DVC metric, in dvc.lock);
    what depends on the run (speed, cache hits) to `run_metrics_path(path)`, which DVC does
    not track, so a reproduced run leaves dvc.lock unchanged."""
    write_json({k: v for k, v in data.items() if k not in run_keys}, path)
    run = {k: v for k, v in data.items() if k in run_keys}
    if run:
        write_json(run, run_metrics_path(path))


def run_metrics_path(path: Path) -> Path:
    """`metrics/redact.json` -> `metrics/run/redact.json` (git-ignored)."""
    return Path(path).parent / "run" / Path(path).name


def read_json(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_yaml(path: Path) -> Any:
    """A YAML config file; a syntax error names the file."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError("config file not found", file=path) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML ({exc.__class__.__name__})", file=path) from exc


def read_wordlist(path: Path) -> list[str]:
    """One entry a line; `#` starts a comment; blank lines ignored; order kept."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise ConfigError("word list not found", file=path) from exc
    entries = (line.split("#", 1)[0].strip() for line in lines)
    return [entry for entry in entries if entry]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
