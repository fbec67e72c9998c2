"""Ingest an export of client records into one validated table.

Reads:  any CSV/TSV/TXT/XLSX/JSONL/Parquet export (pipeline.sources: encoding, delimiter,
        sheet and header row detected), mapped by `configs/column_map.yaml`
Writes: 01_ingested.parquet, quarantine.csv (source row, id, reason; never the text),
        metrics/ingest.json (counts that reconcile: n_rows = n_ingested + n_quarantined)
Params: params.yaml > ingest; redact.name_fields (name columns kept for the redactor)

Text is cleaned here, once, for every later stage: NFC, line breaks as `\\n`, control codes and
invisible characters (NUL, escape sequences, zero-width spaces, soft hyphens) removed, and
counted. A soft hyphen or zero-width space inside a name (`Virta\\u00adnen`) would otherwise
hide it from the redactor.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from pipeline import artefacts, io, sources, spreadsheet
from pipeline.config import Params, resolve
from pipeline.contract import META, Artefact, Stage, Writer
from pipeline.errors import InputError
from pipeline.redaction.pseudonyms import is_bundled_sample

log = logging.getLogger(__name__)

REQUIRED = ("doc_id", "text_raw")
OPTIONAL = ("client_key", "date", "service", "area", "doc_type")
EXTRA_FIELDS = ("label",)  # kept when present: evaluation against a gold label
QUARANTINE_COLUMNS = ["source_row", "doc_id", "reason"]

# Removed from text: C0/C1 control codes but tab and newline, DEL, zero-width characters,
# soft hyphen, BOM, lone surrogates (a JSON escape like "\ud800" decodes to one).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2060-\u2064\ufeff"
    "\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]"
)
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85\x0b\x0c]")
_SPACES = re.compile("[\u00a0\u2007\u202f]")  # no-break spaces: plain spaces
# Excel stores dates as days since 1899-12-30; 20000..80000 is 1954..2119.
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")
_FI_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\b|\s|$)")
_ISO_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\b|[T\s]|$)")


def map_columns(
    columns: list[str],
    column_map: dict[str, list[str]],
    *,
    fields: tuple[str, ...] = (),
    file: Path | None = None,
) -> dict[str, str]:
    """ilmio field -> source column, first candidate that exists (case-insensitive).

    `fields` are further ilmio fields to look for (name columns); a field missing from the
    column map is looked up under its own name.
    """
    by_lower = {c.strip().lower(): c for c in columns}
    mapping = {}
    for name in dict.fromkeys([*column_map, *fields]):
        candidates = column_map.get(name) or [name]
        hit = next((by_lower[c.lower()] for c in candidates if c.lower() in by_lower), None)
        if hit is not None:
            mapping[name] = hit
    for name in REQUIRED:
        if name not in mapping:
            names = ", ".join(column_map.get(name, [name]))
            raise InputError(
                f"no {name} column (looked for: {names})",
                file=file,
                column=column_map.get(name, [name])[0],
            )
    return mapping


def clean_text(text: str) -> tuple[str, int]:
    """(text in NFC with `\\n` line breaks and invisible characters removed, number removed)."""
    text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text))
    text, removed = _INVISIBLE.subn("", text)
    return _SPACES.sub(" ", text), removed


def normalise_date(value: str) -> str | None:
    """ISO `YYYY-MM-DD` from ISO, Finnish `D.M.YYYY` or an Excel serial day number; "" stays "";
    None if unparseable."""
    value = value.strip()
    if not value:
        return ""
    try:
        if serial := _SERIAL.match(value):
            days = int(serial.group(1))
            return (_EXCEL_EPOCH + timedelta(days=days)).isoformat() if days >= 20000 else None
        if fi := _FI_DATE.match(value):
            day, month, year = (int(p) for p in fi.groups())
            return date(year, month, day).isoformat()
        if iso := _ISO_DATE.match(value):
            year, month, day = (int(p) for p in iso.groups())
            return date(year, month, day).isoformat()
    except ValueError:
        return None
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
    source: pd.DataFrame,
    mapping: dict[str, str],
    *,
    min_chars: int,
    max_chars: int,
    stats: dict | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(ingested rows, quarantined rows with reasons). Every source row lands in exactly one.

    `source_row` is the source frame's index: the row number as the file shows it
    (pipeline.sources). `stats`, if given, receives the count of removed invisible characters.
    """
    cleaned = {
        col: source[col].astype(str).map(clean_text) for col in dict.fromkeys(mapping.values())
    }
    removed = sum(int(c.str[1].sum()) for c in cleaned.values()) if len(source) else 0
    fields = {
        name: cleaned[col].str[0] if name == "text_raw" else cleaned[col].str[0].str.strip()
        for name, col in mapping.items()
    }
    frame = pd.DataFrame(fields, index=source.index)
    for name in OPTIONAL:
        if name not in frame:
            frame[name] = ""
    frame["source_row"] = [int(i) for i in source.index]
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
    good["text_raw"] = good["text_raw"].str.strip()
    extra = [c for c in mapping if c not in (*REQUIRED, *OPTIONAL)]
    good = good[["doc_id", "text_raw", *OPTIONAL, "source_row", *extra]]
    good = good.sort_values("doc_id", kind="stable").reset_index(drop=True)
    good["source_row"] = good["source_row"].astype("int64")
    if stats is not None:
        stats["invisible_chars_removed"] = removed
    return good, pd.DataFrame(quarantined, columns=QUARANTINE_COLUMNS)


def ingest_file(path: Path, params: Params) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Read and ingest one export; returns (ingested, quarantine, metrics)."""
    p = params.ingest
    column_map = io.read_yaml(resolve(p.column_map))
    source = sources.read_source(
        path,
        column_map.get("doc_id", ["id"]),
        column_map.get("text_raw", ["text"]),
        sources.SourceOptions(p.encoding, p.delimiter, p.sheet, p.header_row),
    )
    if source.frame.empty and not source.rejected:
        raise InputError("the file has no data rows", file=path)
    fields = (*params.redact.name_fields, *EXTRA_FIELDS)
    mapping = map_columns(list(source.frame.columns), column_map, fields=fields, file=path)
    if "client_key" not in mapping and p.require_client_column:
        raise InputError(
            "no client column (looked for: "
            f"{', '.join(column_map.get('client_key', []))}); small-cell suppression counts "
            "distinct clients: map the column in the column map, or pass --no-client-column "
            "to count documents instead",
            file=path,
        )
    stats: dict = {}
    good, bad = ingest_frame(
        source.frame, mapping, min_chars=p.min_text_chars, max_chars=p.max_text_chars, stats=stats
    )
    bad = pd.concat([pd.DataFrame(source.rejected, columns=QUARANTINE_COLUMNS), bad])
    bad = bad.sort_values("source_row", kind="stable").reset_index(drop=True)
    n_rows = len(source.frame) + len(source.rejected)
    metrics = {
        "n_rows": n_rows,
        "n_ingested": len(good),
        "n_quarantined": len(bad),
        "reconciles": n_rows == len(good) + len(bad),
        "quarantine_reasons": bad["reason"].value_counts().sort_index().to_dict(),
        "columns_mapped": dict(sorted(mapping.items())),
        "source": dict(sorted(source.detected.items())),
        "client_column": "client_key" in mapping,
        "docs_without_client_key": int((good["client_key"] == "").sum()),
        **stats,
    }
    if not metrics["client_column"]:
        log.warning("no client column: every count is of documents, not of clients")
    share = len(bad) / max(n_rows, 1)
    if share > p.max_quarantine_share:
        raise InputError(
            f"{len(bad)} of {n_rows} rows quarantined, more than "
            f"ingest.max_quarantine_share={p.max_quarantine_share}; most common "
            f"reason: {bad['reason'].value_counts().index[0]}",
            file=path,
        )
    return good, bad, metrics


def run(inputs: dict, params: Params) -> tuple[dict, dict]:
    """The stage: the export at `inputs["src"]` -> ingested rows and quarantine."""
    good, bad, metrics = ingest_file(inputs["src"], params)
    good.attrs[META] = {"bundled_sample": str(is_bundled_sample(inputs["src"])).lower()}
    log.info(
        "ingest: %d rows, %d ingested, %d quarantined",
        metrics["n_rows"],
        metrics["n_ingested"],
        metrics["n_quarantined"],
    )
    return {"ingested": good, "quarantine": bad}, metrics


QUARANTINE = Artefact(
    "quarantine",
    "${out}/quarantine.csv",
    Writer(spreadsheet.write_csv),  # for people: ids neutralised against formula injection
    run_path="quarantine.csv",
    dvc={"cache": False},
)
STAGE = Stage(
    name="ingest",
    help="read an export, quarantine unusable rows",
    inputs=(artefacts.SOURCE,),
    outputs=(artefacts.INGESTED, QUARANTINE),
    params=("ingest", "redact.name_fields"),
    run=run,
)
