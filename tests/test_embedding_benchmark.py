"""benchmarks/embeddings.py: every backend in one run, one key=value line each.

Tiny Finnish pairs of our own (the real figures come from ../shared/data, see the README); the
test checks that the script runs the real backends and scores them, not the figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.config import PROJECT_ROOT

# (text1, text2, score): paraphrases score 4, unrelated pairs 1.
PAIRS = [
    ("Asiakkaalla on vuokrarästejä.", "Vuokria on jäänyt maksamatta.", 4),
    ("Äiti on uupunut omaishoitajana.", "Omaishoitajana toimiva äiti on aivan loppu.", 4),
    ("Nuori odottaa terapiaan pääsyä.", "Nuoren terapiajono on pitkä.", 4),
    ("Bussiyhteys kuntakeskukseen lakkautettiin.", "Päihdehoitoon on puolen vuoden jono.", 1),
    ("Verkkopankin käyttö on vaikeaa.", "Lapset asuvat isän luona.", 1),
]


@pytest.mark.slow
def test_backends_in_one_run_with_ratios_to_the_first(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text(
        "".join(
            json.dumps({"text1": a, "text2": b, "score": s}, ensure_ascii=False) + "\n"
            for a, b, s in PAIRS
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "benchmarks" / "embeddings.py"),
            *("--paraphrase", str(path), "--limit", "3", "--graded", str(path)),
            *("--backends", "onnx.v1,openvino.v1", "--repeats", "2"),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("backend=")]
    rows = [dict(pair.split("=", 1) for pair in line.split()) for line in lines]
    assert [r["backend"] for r in rows] == ["onnx.v1", "openvino.v1"]
    assert rows[0]["speed_vs_ref"] == "1.00" and rows[1]["ref"] == "onnx.v1"
    for row in rows:
        assert float(row["recall_at_1"]) == 1.0 and float(row["mrr"]) == 1.0
        assert float(row["spearman"]) > 0.5  # paraphrases closer than unrelated pairs
        assert float(row["segments_per_s"]) > 0
    assert "recall_at_1_vs_ref" in rows[1] and float(rows[1]["speed_vs_ref"]) > 0
