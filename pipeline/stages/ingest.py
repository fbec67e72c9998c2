"""Ingest an export of client records into one validated table.

Reads:  any CSV/TSV/XLSX/JSONL/Parquet export, mapped by `configs/column_map.yaml`
Writes: 01_ingested.parquet, quarantine.csv (source row, id, reason; never the text),
        metrics/ingest.json (counts that reconcile: n_rows = n_ingested + n_quarantined)
Params: params.yaml > ingest
"""

from __future__ import annotations

import logging
import unicodedata
from datetime import date
from pathlib import Path

import pandas as pd

from pipeline import io, schemas
from pipeline.config import Params, resolve
from pipeline.errors import InputError
from pipeline.privacy import is_bundled_sample

log = logging.getLogger(__name__)

REQUIRED = ("doc_id", "text_raw")
OPTIONAL = ("client_key", "date", "service", "area", "doc_type")
NAME_FIELDS = ("client_name", "worker_name")
EXTRA_FIELDS = ("label",)  # kept when present: evaluation against a gold label
QUARANTINE_COLUMNS = ["source_row", "doc_id", "reason"]


def map_columns(
    columns: list[str], column_map: dict[str, list[str]], *, file: Path | None = None
) -> dict[str, str]:
    """ilmio field -> source column, first candidate that exists (case-insensitive)."""
    by_lower = {c.lower(): c for c in columns}
    mapping = {}
    for field, candidates in column_map.items():
        hit = next((by_lower[c.lower()] for c in candidates if c.lower() in by_lower), None)
        if hit is not None:
            mapping[field] = hit
    for field in REQUIRED:
        if field not in mapping:
            names = ", ".join(column_map.get(field, [field]))
            raise InputError(
                f"no {field} column (looked for: {names})",
                file=file,
                column=column_map.get(field, [field])[0],
            )
    return mapping


def normalise_date(value: str) -> str | None:
    """ISO `YYYY-MM-DD` from ISO or Finnish `D.M.YYYY`; "" stays ""; None if unparseable."""
    value = value.strip()
    if not value:
        return ""
    try:
        if "." in value:
            day, month, year = (int(p) for p in value.split(".")[:3])
            return date(year, month, day).isoformat()
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def row_problem(row: pd.Series, *, min_chars: int, max_chars: int, seen: set[str]) -> str | None:
    """Why a row cannot be used, or None."""
    text = row["text_raw"]
    if not row["doc_id"].strip():
        return "empty id"
    if row["doc_id"] in seen:
        return "duplicate id"
    if "\ufffd" in text:
        return "text contains undecodable characters"
    if len(text.strip()) < min_chars:
        return f"text shorter than {min_chars} characters"
    if len(text) > max_chars:
        return f"text longer than {max_chars} characters"
    if row["date"] and normalise_date(row["date"]) is None:
        return "unparseable date"
    return None


def ingest_frame(
    source: pd.DataFrame, mapping: dict[str, str], *, min_chars: int, max_chars: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(ingested rows, quarantined rows with reasons). Every source row lands in exactly one.

    `source_row` is the 1-based data row number in the source file (header excluded).
    """
    fields = {
        field: source[col].astype(str).str.strip()
        if field != "text_raw"
        else source[col].astype(str)
        for field, col in mapping.items()
    }
    frame = pd.DataFrame(fields, index=source.index)
    for field in OPTIONAL:
        if field not in frame:
            frame[field] = ""
    frame["source_row"] = range(1, len(frame) + 1)
    seen: set[str] = set()
    keep, quarantined = [], []
    for idx, row in frame.iterrows():
        problem = row_problem(row, min_chars=min_chars, max_chars=max_chars, seen=seen)
        if problem:
            quarantined.append(
                {"source_row": int(row["source_row"]), "doc_id": row["doc_id"], "reason": problem}
            )
        else:
            seen.add(row["doc_id"])
            keep.append(idx)
    good = frame.loc[keep].copy()
    good["date"] = good["date"].map(normalise_date)
    # NFC: a decomposed "ä" (a + combining diaeresis) would tokenise differently everywhere.
    good["text_raw"] = (
        good["text_raw"]
        .map(lambda t: unicodedata.normalize("NFC", t))
        .str.replace("\r\n", "\n")
        .str.strip()
    )
    columns = [
        "doc_id",
        "text_raw",
        *OPTIONAL,
        "source_row",
        *[f for f in (*NAME_FIELDS, *EXTRA_FIELDS) if f in good],
    ]
    good = good[columns].sort_values("doc_id", kind="stable").reset_index(drop=True)
    good["source_row"] = good["source_row"].astype("int64")
    return good, pd.DataFrame(quarantined, columns=QUARANTINE_COLUMNS)


def ingest_file(path: Path, params: Params) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Read and ingest one export; returns (ingested, quarantine, metrics)."""
    source = io.read_source(path)
    column_map = io.read_yaml(resolve(params.ingest.column_map))
    mapping = map_columns(list(source.columns), column_map, file=path)
    good, bad = ingest_frame(
        source,
        mapping,
        min_chars=params.ingest.min_text_chars,
        max_chars=params.ingest.max_text_chars,
    )
    metrics = {
        "n_rows": len(source),
        "n_ingested": len(good),
        "n_quarantined": len(bad),
        "reconciles": len(source) == len(good) + len(bad),
        "quarantine_reasons": bad["reason"].value_counts().sort_index().to_dict(),
        "columns_mapped": dict(sorted(mapping.items())),
    }
    share = len(bad) / max(len(source), 1)
    if len(source) == 0:
        raise InputError("the file has no data rows", file=path)
    if share > params.ingest.max_quarantine_share:
        raise InputError(
            f"{len(bad)} of {len(source)} rows quarantined, more than "
            f"ingest.max_quarantine_share={params.ingest.max_quarantine_share}; most common "
            f"reason: {bad['reason'].value_counts().index[0]}",
            file=path,
        )
    return good, bad, metrics


def main(src: Path, dst: Path, quarantine: Path, metrics: Path, params: Params) -> None:
    good, bad, counts = ingest_file(src, params)
    meta = {"source": str(src), "bundled_sample": str(is_bundled_sample(src)).lower()}
    io.write_table(good, dst, schemas.INGESTED, meta=meta)
    quarantine.parent.mkdir(parents=True, exist_ok=True)
    bad.to_csv(quarantine, index=False)
    io.write_json(counts, metrics)
    log.info(
        "ingest: %d rows, %d ingested, %d quarantined",
        counts["n_rows"],
        counts["n_ingested"],
        counts["n_quarantined"],
    )
