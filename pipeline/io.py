"""Reading and writing artefacts: Parquet between stages, JSON metrics, reviewable word lists.

Every table read or written goes through a `Schema`, so a stage never sees a malformed frame.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from pipeline.errors import ConfigError, InputError
from pipeline.schemas import Schema

log = logging.getLogger(__name__)

SOURCE_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".xlsx": "xlsx",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
}


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


def read_source(path: Path) -> pd.DataFrame:
    """Any supported export (CSV/TSV/XLSX/JSONL/Parquet) as a frame of strings, in file order.

    Every cell is read as text (ids like `007` keep their zeros); missing cells become "".
    Undecodable bytes, a broken JSON line or an unreadable workbook raise `InputError`.
    """
    path = Path(path)
    kind = SOURCE_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"unsupported file type {path.suffix!r}; use one of {', '.join(SOURCE_FORMATS)}",
            file=path,
        )
    if not path.exists():
        raise InputError("input file not found", file=path)
    try:
        frame = _read_by_kind(path, kind)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid UTF-8 at byte {exc.start}; export the file as UTF-8", file=path
        ) from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON ({exc.msg})", file=path, row=exc.lineno) from exc
    except (ValueError, OSError, KeyError) as exc:
        raise InputError(f"cannot read {kind} file ({exc.__class__.__name__})", file=path) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.astype(object).where(frame.notna(), "").astype(str)


def _read_by_kind(path: Path, kind: str) -> pd.DataFrame:
    if kind in ("csv", "tsv"):
        raw = path.read_bytes().decode("utf-8-sig")  # strict: undecodable bytes raise
        return pd.read_csv(
            io.StringIO(raw),
            sep="\t" if kind == "tsv" else ",",
            dtype=str,
            keep_default_na=False,
            na_values=[],
        )
    if kind == "xlsx":
        return pd.read_excel(path, dtype=str, engine="openpyxl")
    if kind == "jsonl":
        rows = []
        for lineno, line in enumerate(path.read_bytes().decode("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"invalid JSON ({exc.msg})", file=path, row=lineno) from exc
            if not isinstance(record, dict):
                raise InputError("each JSON line must be an object", file=path, row=lineno)
            rows.append({k: "" if v is None else str(v) for k, v in record.items()})
        return pd.DataFrame(rows)
    return pd.read_parquet(path).astype(str)
