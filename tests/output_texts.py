"""The text of every file an ilmio run writes, as a reader would find it: for the leak tests.

CSV, HTML, JSON and the model's files are read as bytes decoded leniently; XLSX as every cell
of every sheet; a PDF as its text operators' strings; a PNG as its metadata chunks (its
compressed pixels are no text: random bytes once matched the e-mail pattern; the infographic's
words are in its PDF, read there).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path


def output_texts(out_dir: Path) -> Iterator[tuple[Path, str]]:
    """(path, text) for every file under `out_dir`, in path order."""
    for path in sorted(p for p in out_dir.rglob("*") if p.is_file()):
        yield path, file_text(path)


def file_text(path: Path) -> str:
    if path.suffix == ".xlsx":
        return _xlsx_text(path)
    if path.suffix == ".pdf":
        return pdf_text(path.read_bytes())
    if path.suffix == ".png":
        from PIL import Image

        with Image.open(path) as image:
            return "\n".join(f"{k} {v}" for k, v in image.text.items())
    return path.read_bytes().decode("utf-8", errors="ignore")


def _xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path)
    return "\n".join(
        str(c.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.value is not None
    )


def pdf_text(data: bytes) -> str:
    """The strings a PDF shows: its text operators' literals, from raw and deflated streams.

    matplotlib writes each line as a kerned array, `[ (J) 0.45 (a) ... ] TJ`; the literals are
    joined per array, so a line reads as one string. Byte offsets, fonts and images are left out
    (the cross-reference table's ten-digit offsets would pass for phone numbers).
    """
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            streams.append(match.group(1))
    content = b"\n".join(streams).decode("latin-1")
    literal = re.compile(r"\(((?:\\.|[^\\)])*)\)")
    lines = []
    for array, single in re.findall(r"\[(.*?)\]\s*TJ|(\((?:\\.|[^\\)])*\))\s*Tj", content, re.S):
        lines.append("".join(re.sub(r"\\(.)", r"\1", s) for s in literal.findall(array or single)))
    return "\n".join(lines)
