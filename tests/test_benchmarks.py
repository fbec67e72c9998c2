"""The benchmark scripts accept any file of their documented format and end in key=value pairs.

Tiny synthetic inputs (the real figures come from ../shared/data, see the README); these tests
check the scripts still run and score correctly, not the figures.
"""

from __future__ import annotations

import json
import subprocess
import sys

from pipeline.config import PROJECT_ROOT

CONLLU = """\
# sent_id = t1
# text = Asiakas haki toimeentulotukea.
1\tAsiakas\tasiakas\tNOUN\t_\t_\t2\tnsubj\t_\t_
2\thaki\thakea\tVERB\t_\t_\t0\troot\t_\t_
3\ttoimeentulotukea\ttoimeentulo#tuki\tNOUN\t_\t_\t2\tobj\t_\tSpaceAfter=No
4\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_

# sent_id = t2
# text = Lapset asuvat isän luona.
1\tLapset\tlapsi\tNOUN\t_\t_\t2\tnsubj\t_\t_
2\tasuvat\tasua\tVERB\t_\t_\t0\troot\t_\t_
3\tisän\tisä\tNOUN\t_\t_\t4\tnmod:poss\t_\t_
4\tluona\tluona\tADP\t_\t_\t2\tobl\t_\tSpaceAfter=No
5\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_
"""


def _last_line_pairs(stdout: str) -> dict[str, str]:
    last = stdout.strip().splitlines()[-1]
    return dict(pair.split("=", 1) for pair in last.split())


def _run(script: str, *args: str) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "benchmarks" / script), *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return _last_line_pairs(done.stdout)


def test_lemma_benchmark_scores_any_conllu(tmp_path):
    path = tmp_path / "tiny.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    pairs = _run("lemmas.py", "--conllu", str(path), "--baseline", "simplemma.v1", "--repeat", "1")
    assert pairs["tokens"] == "9" and pairs["split"] == "all"
    assert float(pairs["accuracy_all"]) == 1.0  # every lemma above is one Voikko gets right
    assert {"accuracy_content", "tokens_per_s", "simplemma_accuracy_all", "speedup"} <= set(pairs)


def test_redaction_benchmark_scores_any_turku_ner_file(tmp_path):
    rows = [
        {
            "doc": 0,
            "tokens": ["Matti", "Virtanen", "asuu", "Kuopiossa", "."],
            "tags": ["B-PER", "I-PER", "O", "B-LOC", "O"],
            "text": "Matti Virtanen asuu Kuopiossa.",
        },
        {
            "doc": 0,
            "tokens": ["Hän", "soitti", "Liisalle", "eilen", "."],
            "tags": ["O", "O", "B-PER", "O", "O"],
            "text": "Hän soitti Liisalle eilen.",
        },
    ]
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    pairs = _run("redaction.py", "--turku-ner", str(path))
    assert pairs["person_tokens"] == "3"
    assert float(pairs["person_unmasked_per_1000"]) == 0.0
    assert float(pairs["person_precision"]) == 1.0
    assert float(pairs["o_masked_per_1000"]) == 0.0
    assert float(pairs["loc_recall"]) == 1.0


def test_redaction_benchmark_reads_whole_documents_with_char_spans(tmp_path):
    text = "Matti Virtanen asuu Kuopiossa .\nHän soitti Liisalle eilen ."
    spans = [
        {"start": 0, "end": 14, "label": "PERSON"},
        {"start": 20, "end": 29, "label": "LOC"},
        {"start": 43, "end": 51, "label": "PERSON"},
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"id": "d1", "text": text, "spans": spans}), encoding="utf-8")
    pairs = _run("redaction.py", "--turku-ner", str(path))
    assert pairs["tokens"] == "10" and pairs["person_tokens"] == "3"
    assert float(pairs["person_unmasked_per_1000"]) == 0.0
    assert float(pairs["loc_recall"]) == 1.0
