"""Reading exports as they come from client information systems: CSV/TSV/TXT, XLSX, JSONL,
Parquet, in the encodings and shapes Finnish offices produce.

- Encoding: UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text"), else
  Windows-1252 (older client systems), else Latin-1; `ingest.encoding` overrides the guess.
- CSV delimiter: sniffed among `,` `;` (Finnish Excel's default) tab and `|` by which one
  makes the header carry the mapped column names; `ingest.delimiter` overrides.
- XLSX: the first sheet, and in it the first row, that carries an id and a text column
  (a title block above the header is common); `ingest.sheet` / `ingest.header_row` override.
- JSONL: one object a line, split on `\\n` only: text pasted from web forms holds U+2028, which
  `str.splitlines()` would also split on, inside a JSON string.

A row that cannot be parsed (a CSV row with the wrong number of fields, a broken JSON line) is
not a reason to refuse the file: it is returned as rejected, with its row number and reason,
and ends up in quarantine. Row numbers are as the file shows them: the spreadsheet row (the
header is row 1 of a CSV) or the JSONL line.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError

log = logging.getLogger(__name__)

FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
}
DELIMITERS = (",", ";", "\t", "|")
HEADER_SEARCH_ROWS = 30  # how far down an XLSX sheet the header row is looked for
# Share of control characters above which a decoded file is not text in that encoding.
MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class SourceOptions:
    """How to read an export; None means "detect"."""

    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | int | None = None
    header_row: int | None = None


@dataclass
class Source:
    """A read export: cells as strings (index = the row number the file shows), the rows that
    could not be parsed, and what was detected."""

    frame: pd.DataFrame
    rejected: list[dict] = field(default_factory=list)  # source_row, doc_id, reason
    detected: dict[str, str | int] = field(default_factory=dict)


def read_source(
    path: Path, id_names: Iterable[str], text_names: Iterable[str], options: SourceOptions
) -> Source:
    """Read any supported export as text cells, in file order.

    `id_names` and `text_names` are the column names that may hold the id and the text (from
    the column map); they decide the delimiter and the XLSX header row.
    """
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"unsupported file type {path.suffix!r}; use one of {', '.join(sorted(FORMATS))}",
            file=path,
        )
    if not path.is_file():
        raise InputError("input file not found", file=path)
    wanted = ({n.lower() for n in id_names}, {n.lower() for n in text_names})
    if kind == "csv":
        text, encoding = decode(path.read_bytes(), options.encoding, path)
        source = read_csv_text(text, options.delimiter, wanted, path)
        source.detected["encoding"] = encoding
    elif kind == "jsonl":
        text, encoding = decode(path.read_bytes(), options.encoding, path)
        source = read_jsonl_text(text)
        source.detected["encoding"] = encoding
    elif kind == "xlsx":
        source = read_xlsx(path, options, wanted)
    else:
        source = read_parquet(path)
    source.frame.columns = [str(c).strip() for c in source.frame.columns]
    source.frame = source.frame.where(source.frame.notna(), "")  # a JSON key missing on a line
    source.detected["format"] = kind
    log.info(
        "read %s: %s",
        path.name,
        ", ".join(f"{k} {v!r}" for k, v in sorted(source.detected.items())),
    )
    return source


# --- encodings -----------------------------------------------------------------------------


def decode(data: bytes, encoding: str | None, path: Path) -> tuple[str, str]:
    """(text, encoding used). Strict: bytes that do not decode are an error naming the byte."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise InputError(f"unknown encoding {encoding!r} (ingest.encoding)") from exc
        return _strict(data, encoding, path), encoding
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig", path), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for guess in ("cp1252", "latin-1"):
        try:
            text = data.decode(guess)
        except UnicodeDecodeError:
            continue
        if control_share(text) <= MAX_CONTROL_SHARE:
            return text, guess
    raise InputError(
        "not a text file in UTF-8, UTF-16 or Windows-1252; export it as CSV (UTF-8)", file=path
    )


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid {encoding} at byte {exc.start}; set ingest.encoding or export the file "
            "as UTF-8",
            file=path,
        ) from exc


def control_share(text: str) -> float:
    """Share of characters that are control codes other than tab and line breaks."""
    if not text:
        return 0.0
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r") or 0x7F <= ord(ch) < 0xA0)
    return bad / len(text)


# --- CSV -----------------------------------------------------------------------------------


def sniff_delimiter(text: str, wanted: tuple[set[str], set[str]]) -> str:
    """The delimiter that splits the header into the most known column names.

    Ties go to the one that gives the header more cells, then to the order of DELIMITERS.
    """
    known = wanted[0] | wanted[1]

    def score(delimiter: str) -> tuple[int, int]:
        try:
            header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        except csv.Error:  # not parseable with this delimiter: the full read reports why
            return 0, 0
        cells = [c.strip().lower() for c in header]
        return sum(c in known for c in cells), len(cells)

    scores = {d: score(d) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (scores[d], -DELIMITERS.index(d)))


def read_csv_text(
    text: str, delimiter: str | None, wanted: tuple[set[str], set[str]], path: Path
) -> Source:
    """Rows of a delimited text; a row whose field count differs from the header's is rejected."""
    if delimiter is not None and len(delimiter) != 1:
        raise InputError(f"ingest.delimiter must be one character, got {delimiter!r}")
    delimiter = delimiter or sniff_delimiter(text, wanted)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        records = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise InputError(f"cannot parse as CSV ({exc})", file=path, row=reader.line_num) from exc
    records = [(n, row) for n, row in records if row and any(cell.strip() for cell in row)]
    if not records:
        return Source(pd.DataFrame(), detected={"delimiter": delimiter})
    header = [c.strip() for c in records[0][1]]
    id_pos = next((i for i, c in enumerate(header) if c.lower() in wanted[0]), None)
    rows, index, rejected = [], [], []
    for number, (_, cells) in enumerate(records[1:], start=2):
        if len(cells) != len(header):
            doc_id = cells[id_pos].strip() if id_pos is not None and id_pos < len(cells) else ""
            rejected.append(
                {
                    "source_row": number,
                    "doc_id": doc_id,
                    "reason": f"row has {len(cells)} fields, the header {len(header)}: "
                    "check the delimiter and the quoting of the text",
                }
            )
            continue
        rows.append(cells)
        index.append(number)
    frame = pd.DataFrame(rows, columns=_unique(header), index=index, dtype=object)
    return Source(frame, rejected, {"delimiter": delimiter})


def _unique(names: list[str]) -> list[str]:
    """Header names made unique (`text`, `text.1`), as pandas does, so no column is lost."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        n = seen.get(name, 0)
        out.append(name if n == 0 else f"{name}.{n}")
        seen[name] = n + 1
    return out


# --- JSONL ---------------------------------------------------------------------------------


def read_jsonl_text(text: str) -> Source:
    """One object a line. Lines are split on `\\n` only (never on U+2028 inside a string)."""
    rows, index, rejected = [], [], []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            rejected.append(
                {"source_row": number, "doc_id": "", "reason": f"invalid JSON ({exc.msg})"}
            )
            continue
        if not isinstance(record, dict):
            rejected.append(
                {"source_row": number, "doc_id": "", "reason": "the line is not a JSON object"}
            )
            continue
        rows.append({str(k): _json_cell(v) for k, v in record.items()})
        index.append(number)
    return Source(pd.DataFrame(rows, index=index, dtype=object), rejected)


def _json_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- XLSX ----------------------------------------------------------------------------------


def read_xlsx(path: Path, options: SourceOptions, wanted: tuple[set[str], set[str]]) -> Source:
    """The sheet and header row that carry the id and text columns (or the ones in params)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken or non-xlsx file
        raise InputError(
            f"cannot read the file as an Excel workbook ({exc.__class__.__name__})", file=path
        ) from exc
    try:
        names = _sheet_names(wb.sheetnames, options.sheet, path)
        for name in names:
            rows = wb[name].iter_rows(values_only=True)
            found = _find_header(rows, options.header_row, wanted)
            if found is None:
                continue
            header_row, header, data = found
            return _xlsx_source(name, header_row, header, data)
    finally:
        wb.close()
    looked = (
        f"row {options.header_row}"
        if options.header_row
        else f"the first {HEADER_SEARCH_ROWS} rows"
    )
    raise InputError(
        f"no sheet has an id and a text column in {looked} (sheets: {', '.join(names)}); "
        "set ingest.sheet and ingest.header_row, or map the columns in the column map",
        file=path,
    )


def _sheet_names(names: list[str], sheet: str | int | None, path: Path) -> list[str]:
    if sheet is None:
        return list(names)
    if isinstance(sheet, int):
        if not 1 <= sheet <= len(names):
            raise InputError(
                f"ingest.sheet={sheet}: the workbook has {len(names)} sheets", file=path
            )
        return [names[sheet - 1]]
    if sheet not in names:
        raise InputError(
            f"ingest.sheet={sheet!r} not found (sheets: {', '.join(names)})", file=path
        )
    return [sheet]


def _find_header(rows, header_row: int | None, wanted: tuple[set[str], set[str]]):
    """(header row number, header cells, iterator of (row number, cells)) or None."""
    for number, cells in enumerate(rows, start=1):
        if header_row is not None and number < header_row:
            continue
        names = [xlsx_cell(c).strip() for c in cells]
        lower = {n.lower() for n in names}
        if header_row is not None or (lower & wanted[0] and lower & wanted[1]):
            return number, names, enumerate(rows, start=number + 1)
        if number >= HEADER_SEARCH_ROWS:
            return None
    return None


def _xlsx_source(sheet: str, header_row: int, header: list[str], data) -> Source:
    width = max((i + 1 for i, name in enumerate(header) if name), default=0)
    columns = _unique([name or f"column_{i + 1}" for i, name in enumerate(header[:width])])
    rows, index = [], []
    for number, cells in data:
        values = [xlsx_cell(c) for c in cells[:width]]
        values += [""] * (width - len(values))
        if any(v.strip() for v in values):
            rows.append(values)
            index.append(number)
    frame = pd.DataFrame(rows, columns=columns, index=index, dtype=object)
    return Source(frame, detected={"sheet": sheet, "header_row": header_row})


def xlsx_cell(value) -> str:
    """A workbook cell as text: dates as ISO dates, whole numbers without `.0`."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- Parquet -------------------------------------------------------------------------------


def read_parquet(path: Path) -> Source:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for a broken file
        raise InputError(
            f"cannot read the Parquet file ({exc.__class__.__name__})", file=path
        ) from exc
    frame = frame.astype(object).where(frame.notna(), None)
    cells = frame.map(lambda v: "" if v is None else xlsx_cell(v))
    cells.index = range(1, len(cells) + 1)
    return Source(cells)
