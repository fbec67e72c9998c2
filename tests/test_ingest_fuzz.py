"""Property tests: whatever bytes or CSV shape `ilmio ingest` is given, it ends in exit 2 with one
line, or in a complete output whose counts reconcile: input rows = ingested + quarantined."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import cli

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ingest(path: Path) -> tuple[int, str, Path]:
    """(exit code, what was printed to stderr, output folder) of `ilmio ingest` in-process."""
    out = path.parent / "out"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli.main(
            [
                *("ingest", "--src", str(path), "--ingested", str(out / "01.parquet")),
                *("--quarantine", str(out / "quarantine.csv"), "--metrics", str(out / "m.json")),
            ]
        )
    return code, err.getvalue(), out


def check(code: int, stderr: str, out: Path, expected_rows: int | None) -> None:
    lines = [line for line in stderr.splitlines() if line.startswith("ilmio:")]
    if code == 2:
        assert len(lines) == 1 and lines[0].startswith("ilmio: error: "), stderr
        return
    assert code == 0 and not lines, stderr
    metrics = json.loads((out / "m.json").read_text(encoding="utf-8"))
    ingested = len(pd.read_parquet(out / "01.parquet"))
    quarantined = len(pd.read_csv(out / "quarantine.csv", dtype=str))
    assert metrics["n_rows"] == ingested + quarantined
    assert (metrics["n_ingested"], metrics["n_quarantined"]) == (ingested, quarantined)
    if expected_rows is not None:
        assert metrics["n_rows"] == expected_rows


@SETTINGS
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".jsonl", ".xlsx", ".txt"]))
def test_random_bytes(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"x{suffix}"
        path.write_bytes(data)
        check(*ingest(path), expected_rows=None)


HEADERS = ["id", "client_id", "text", "date", "palvelu", "kunta", "muu"]
CELL = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60
) | st.sampled_from(
    [
        "Asiakkaalla on vuokrarästejä ja häätö uhkaa.",
        "=cmd|' /C calc'!A0",
        '"lainaus", pilkku; puolipiste',
        "rivi\nrivinvaihto\r\nja\u2028erotin",
        "1.2.2024",
        "45292",
        "",
    ]
)


@SETTINGS
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=7, unique=True),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=8), max_size=25),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_random_csv_shapes(header, rows, delimiter, encoding):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = buffer.getvalue().encode("utf-8")
    # Rows the file holds: what csv writes back, but rows with nothing in them are no rows.
    expected = sum(1 for r in rows if any(cell.strip() for cell in r))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.csv"
        path.write_bytes(data)
        code, stderr, out = ingest(path)
        # A sniffed delimiter can differ from the one written when the header is one column.
        check(code, stderr, out, expected if len(header) > 1 else None)
