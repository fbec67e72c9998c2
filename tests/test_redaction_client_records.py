"""`ilmio run` on the fictional client records of ../shared/data/client_records_dev: no planted
personal data (the records' `pii` field: names, worker signatures, hetu, phones, e-mails, IBANs,
addresses, client numbers) appears in any file the run writes.

A confirmation on records written by another hand, never a tuning set. Skipped when the shared
data is absent. Whole-word matches, case-insensitive; every file of the output folder is read:
CSV, every cell of every XLSX sheet, HTML, JSON, the infographic and the fitted model's files
(tests/output_texts.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from output_texts import output_texts

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT.parent / "shared" / "data" / "client_records_dev" / "records.jsonl"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not RECORDS.exists(), reason="../shared/data/client_records_dev absent"),
]


def _planted() -> dict[str, str]:
    """Planted value -> its type, for values long enough to be told from chance (3+ chars)."""
    out = {}
    with RECORDS.open(encoding="utf-8") as handle:
        for line in handle:
            for item in json.loads(line).get("pii", []):
                value = item["text"].strip()
                if len(value) >= 3:
                    out[value] = item["type"]
    return out


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("client_records")
    out = base / "out"
    env = {
        **os.environ,
        "ILMIO_PSEUDONYM_KEY": "client-records-test-key-0123456789",
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            str(RECORDS),
            "--out",
            str(out),
            "--set",
            f"embed.cache_dir={base / 'cache'}",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return out


def test_run_wrote_its_outputs(run_dir):
    for name in ("themes.csv", "themes.xlsx", "report.html", "doc_themes.csv", "metrics.json"):
        assert (run_dir / name).stat().st_size > 0, name


def test_no_planted_value_in_any_output(run_dir):
    planted = _planted()
    assert len(planted) > 100
    found = re.compile(
        "|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in sorted(planted, key=len, reverse=True)),
        re.IGNORECASE,
    )
    leaks = {}
    for path, text in output_texts(run_dir):
        hits = {m.group() for m in found.finditer(text)}
        if hits:
            lower = {h.lower() for h in hits}
            types = sorted({t for v, t in planted.items() if v.lower() in lower})
            leaks[str(path.relative_to(run_dir))] = (len(hits), types)
    assert not leaks, f"planted values in outputs (file: count, types): {leaks}"
