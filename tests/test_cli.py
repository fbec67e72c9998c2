"""The `ilmio` command: malformed input exits 2 with one line naming the problem."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (DEBUG|INFO|WARNING) ")


def error_lines(stderr: str) -> list[str]:
    """What stderr holds besides log records (the progress of the run): the error itself."""
    return [line for line in stderr.strip().splitlines() if not LOG_LINE.match(line)]


def ilmio(*args: str, key: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ILMIO_PSEUDONYM_KEY"}
    if key:
        env["ILMIO_PSEUDONYM_KEY"] = "test-key-0123456789abcdef"
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_every_stage_and_command():
    """(That --help loads no heavy library is checked in test_contract.)"""
    out = ilmio("--help")
    assert out.returncode == 0
    for stage in (
        "ingest",
        "redact",
        "segment",
        "lemmatise",
        "embed",
        "topics",
        "themes",
        "report",
        "run",
        "check",
    ):
        assert stage in out.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"id,body\n1,Asiakkaalla on vuokrarasteja.\n", "no text_raw column"),
        (b"id,client_id,text\n1,c1,x\x00\x81\x8d\x8f\x90\x9d\x01\x02\x03\x04\n", "not a text file"),
    ],
)
def test_malformed_file_exits_2_with_one_line(tmp_path, content, expected):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    out = ilmio("run", str(path), "--out", str(tmp_path / "out"))
    assert out.returncode == 2
    lines = error_lines(out.stderr)
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("ilmio: error:")
    assert expected in lines[0] and "bad.csv" in lines[0]
    assert "Asiakas" not in out.stderr  # never the record text


def test_real_data_without_key_is_refused(tmp_path):
    path = tmp_path / "real.csv"
    path.write_text("id,text\n1,Asiakkaalla on vuokrarästejä ja häätö uhkaa.\n", encoding="utf-8")
    out = ilmio("run", str(path), "--out", str(tmp_path / "out"), key=False)
    assert out.returncode == 2
    assert "ILMIO_PSEUDONYM_KEY" in out.stderr
    assert not (tmp_path / "out").exists()


def test_unknown_param_exits_2(tmp_path):
    out = ilmio("run", "x.csv", "--out", str(tmp_path), "--set", "topics.nope=1")
    assert out.returncode == 2 and "topics.nope" in out.stderr
