"""Whole runs on files written to break ilmio: every one ends in a complete output or one line.

Inputs are built from the bundled sample (realistic text, so themes are found) and then made
hostile: formulas in every column, a client column under an unexpected name, no client
column, control codes, tiny and degenerate corpora. Runs are in-process with one embedding
cache for the session; the CLI-level checks (exit codes, stderr) run `python -m pipeline`.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import block_network

from pipeline.config import load_params
from pipeline.errors import InputError
from pipeline.run import run_pipeline
from pipeline.spreadsheet import read_excel_csv

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "records.csv"
KEY = "hostile-test-key-0123456789"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COMPLETE = {
    "doc_themes.csv",
    "themes.csv",
    "themes.xlsx",
    "report.html",
    "metrics.json",
    "quarantine.csv",
    "manifest.json",
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("embed-cache")


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    """150 sample records: enough for themes, small enough for a quick run."""
    return pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).head(150)


def run(path: Path, out: Path, cache: Path, *overrides: str) -> Path:
    params = load_params(ROOT / "params.yaml", [f"embed.cache_dir={cache}", *overrides])
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ILMIO_PSEUDONYM_KEY", KEY)
        block_network(mp)
        return run_pipeline(path, out, params)


def csv_fields(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;") if text else "excel"
    return [f for row in csv.reader(text.splitlines(), dialect) for f in row]


def xlsx_cells(path: Path):
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]


def test_formulas_in_every_column_stay_values(tmp_path, sample, cache):
    hostile = sample.copy()
    attacks = ["=cmd|' /C calc'!A0 ", '=HYPERLINK("http://example.invalid","x") ', "@SUM(0) "]
    for i, attack in enumerate(attacks):
        rows = hostile.index[i * 10 : (i + 1) * 10]
        hostile.loc[rows, "text"] = attack + hostile.loc[rows, "text"]
    hostile.loc[hostile.index[:60], "service"] = "=1+1"
    hostile.loc[hostile.index[60:120], "municipality"] = "+A1"
    hostile.loc[hostile.index[:4], "id"] = ['=HYPERLINK("http://x","x")', "+1+1", "@SUM(0)", "-2"]
    hostile.loc[hostile.index[4], ["id", "text"]] = ["=LYHYT()", "lyhyt"]  # quarantined
    path = tmp_path / "kaavat.csv"
    hostile.to_csv(path, index=False)
    out = run(path, tmp_path / "out", cache)

    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert {p.name for p in files} >= COMPLETE
    for p in files:
        if p.suffix == ".xlsx":
            cells = xlsx_cells(p)
            assert not [c.coordinate for c in cells if c.data_type == "f"], p.name
        if p.suffix == ".csv":
            assert not [f for f in csv_fields(p) if f.startswith(FORMULA_START)], p.name
    doc_ids = pd.read_csv(out / "doc_themes.csv", dtype=str, keep_default_na=False)["doc_id"]
    assert '\'=HYPERLINK("http://x","x")' in set(doc_ids) and "'-2" in set(doc_ids)
    quarantine = pd.read_csv(out / "quarantine.csv", dtype=str, keep_default_na=False)
    assert quarantine["doc_id"].tolist() == ["'=LYHYT()"]
    assert len(doc_ids) + len(quarantine) == len(hostile)


def numbers_shown(out: Path) -> list[int]:
    """Every count the workgroup sees: theme table cells and the report's numbers."""
    themes = read_excel_csv(out / "themes.csv", dtype=str, keep_default_na=False)
    cells = [v for col in ("asiakirjoja", "asiakkaita") for v in themes[col]]
    html = (out / "report.html").read_text(encoding="utf-8")
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    # The number of themes is the one figure that counts no people.
    body = re.sub(r"<tr><th>Teemoja</th><td>\d+</td></tr>", "", body)
    cells += re.findall(r"<td[^>]*>(\d+)</td>", body)
    return [int(v) for v in cells if v.isdigit()]


def test_client_column_under_a_finnish_name_keeps_suppression(tmp_path, sample, cache):
    """150 records of 2 clients, the column named `asiakas`: nothing is shown below 5 clients."""
    two = sample.rename(columns={"client_id": "asiakas"})
    two["asiakas"] = ["A", "B"] * 75
    path = tmp_path / "asiakas.csv"
    two.to_csv(path, index=False)
    out = run(path, tmp_path / "out", cache)
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["ingest"]["columns_mapped"]["client_key"] == "asiakas"
    assert metrics["themes"]["n_themes"] > 0
    assert numbers_shown(out) == []
    themes = read_excel_csv(out / "themes.csv", dtype=str, keep_default_na=False)
    assert set(themes["asiakkaita"]) == {"alle 5"}
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<blockquote>" not in html  # no excerpt either
    sheet = pd.read_excel(out / "themes.xlsx", sheet_name="Teemat", dtype=str).fillna("")
    excerpts = [c for c in sheet.columns if c.startswith("ote_")]
    assert excerpts and not sheet[excerpts].to_numpy().any()


def test_without_a_client_column_the_run_stops_or_counts_documents(tmp_path, sample, cache):
    path = tmp_path / "ilman.csv"
    sample.drop(columns=["client_id"]).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"no client column.*--no-client-column"):
        run(path, tmp_path / "refused", cache)
    assert not (tmp_path / "refused").exists()
    out = run(path, tmp_path / "out", cache, "ingest.require_client_column=false")
    themes = read_excel_csv(out / "themes.csv", dtype=str, keep_default_na=False)
    assert set(themes["asiakkaita"]) == {"ei tiedossa"}
    for value in themes["asiakirjoja"]:
        assert value == "alle 5" or int(value) >= 5
    assert "ei ole asiakastunnistetta" in (out / "report.html").read_text(encoding="utf-8")


def _write(path: Path, texts: list[str], *, clients: int = 10) -> Path:
    pd.DataFrame(
        {
            "id": [f"D{i:03d}" for i in range(len(texts))],
            "client_id": [f"C{i % clients}" for i in range(len(texts))],
            "date": "2024-05-01",
            "text": texts,
        }
    ).to_csv(path, index=False)
    return path


SWEDISH = [
    "Klienten har hyresskulder och riskerar vräkning.",
    "Hon väntar fortfarande på missbruksvård och mår dåligt.",
    "Ansökan om utkomststöd har inte behandlats på tre veckor.",
]
ENGLISH = [
    "The client has rent arrears and faces eviction next month.",
    "She is still waiting for substance abuse treatment.",
    "The application for social assistance has not been processed.",
]
FINNISH = [
    "Asiakkaalla on vuokrarästejä ja häätö uhkaa ensi kuussa.",
    "Hän odottaa edelleen päihdehoitoon pääsyä ja voi huonosti.",
    "Toimeentulotukihakemusta ei ole käsitelty kolmeen viikkoon.",
    "Verkkopankkitunnuksia ei ole, joten sähköinen asiointi ei onnistu.",
    "Asiakas kokee yksinäisyyttä ja kaipaa kerhotoimintaa lähelle.",
]
DEGENERATE = {
    "one_row": [FINNISH[0]],
    "three_rows": FINNISH[:3],
    "swedish_only": [f"{s} Dag {i}." for i, s in enumerate(SWEDISH * 10)],
    "english_only": [f"{s} Day {i}." for i, s in enumerate(ENGLISH * 10)],
    "identical_30": [FINNISH[0]] * 30,
    "small_pool_60": [f"{FINNISH[i % 5]} {FINNISH[(i * 3 + 1) % 5]}" for i in range(60)],
    "control_codes": [
        f"{s}\x00\x07\x1b[0m {FINNISH[(i + 2) % 5]}" for i, s in enumerate(FINNISH * 4)
    ],
}


@pytest.mark.parametrize("name", sorted(DEGENERATE))
def test_degenerate_inputs_give_outputs_and_a_reason(tmp_path, cache, name):
    path = _write(tmp_path / f"{name}.csv", DEGENERATE[name])
    out = run(path, tmp_path / "out", cache)
    assert {p.name for p in out.iterdir()} >= COMPLETE
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["ingest"]["reconciles"]
    if metrics["topics"]["n_topics"] == 0:
        assert metrics["topics"]["no_themes"]["reason"]
        assert "Teemoja ei löytynyt" in (out / "report.html").read_text(encoding="utf-8")
    doc_themes = pd.read_csv(out / "doc_themes.csv", dtype=str, keep_default_na=False)
    assert len(doc_themes) == len(DEGENERATE[name])
    xlsx_cells(out / "themes.xlsx")  # opens


# --- the command line: exit codes, one line, nothing printed of the records ---------------


def ilmio(*args: str, key: str = KEY, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("ILMIO_PSEUDONYM_KEY", "CI")}
    env["ILMIO_PSEUDONYM_KEY"] = key
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        **kwargs,
    )


def error_line(out: subprocess.CompletedProcess) -> str:
    lines = [line for line in out.stderr.splitlines() if line.startswith("ilmio:")]
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    return lines[0]


def test_out_naming_a_file_is_refused_before_any_work(tmp_path):
    path = _write(tmp_path / "x.csv", FINNISH)
    target = tmp_path / "tulokset.txt"
    target.write_text("käyttäjän tiedosto", encoding="utf-8")
    out = ilmio("run", str(path), "--out", str(target))
    assert out.returncode == 2 and "existing file" in error_line(out)
    assert "pipeline.stages" not in out.stderr  # refused before ingest ran
    assert target.read_text(encoding="utf-8") == "käyttäjän tiedosto"


def test_a_users_folder_is_refused_and_kept(tmp_path):
    path = _write(tmp_path / "x.csv", FINNISH)
    folder = tmp_path / "oma"
    (folder / "model").mkdir(parents=True)
    (folder / "model" / "oma_malli.bin").write_text("x", encoding="utf-8")
    (folder / "report.html").write_text("oma raportti", encoding="utf-8")
    out = ilmio("run", str(path), "--out", str(folder))
    assert out.returncode == 2 and "did not write" in error_line(out)
    out = ilmio("run", str(path), "--out", str(folder), "--force")
    assert out.returncode == 2 and "never replaces" in error_line(out)
    assert (folder / "report.html").read_text(encoding="utf-8") == "oma raportti"
    assert (folder / "model" / "oma_malli.bin").exists()


def test_short_key_from_the_environment_is_refused(tmp_path):
    path = _write(tmp_path / "x.csv", FINNISH)
    out = ilmio("run", str(path), "--out", str(tmp_path / "out"), key="a")
    assert out.returncode == 2 and "shorter than 16" in error_line(out)


def test_internal_errors_never_print_record_text():
    from pipeline.cli import internal_error_line

    secret = "Matti Virtanen 010190-900X"
    try:
        raise ValueError(f"cannot write {secret}")
    except ValueError as exc:
        line = internal_error_line(exc)
    assert secret not in line and line.startswith("ValueError in pipeline/")


def _kill_during(stage_done: str, path: Path, out: Path, cache: Path) -> None:
    """Start `ilmio run`, kill -9 it once the log says `stage_done`, return what it printed."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["ILMIO_PSEUDONYM_KEY"] = KEY
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "pipeline", "run", str(path), "--out", str(out)),
            *("--set", f"embed.cache_dir={cache}"),
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if f"{stage_done} done in" in line:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(seen)


@pytest.mark.parametrize("stage_done", ["lemmatise", "themes"])  # killed in embed / in report
def test_kill_9_leaves_the_older_output_whole(tmp_path, sample, cache, stage_done):
    path = tmp_path / "records.csv"
    sample.to_csv(path, index=False)
    out = run(path, tmp_path / "out", cache)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    sample.head(120).to_csv(path, index=False)  # a different input for the killed run
    _kill_during(stage_done, path, out, cache)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.glob(".out.ilmio-tmp-*")]  # the killed run's leftovers
    run(path, out, cache)  # the next run cleans up and publishes
    assert not list(tmp_path.glob(".out.ilmio-*"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["ingest"]["n_rows"] == 120
    shutil.rmtree(out)
