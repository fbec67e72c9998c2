"""The whole pipeline on the bundled sample, real components, sockets blocked.

One session-scoped pair of runs (original and shuffled rows) serves every test here: outputs
exist, results do not depend on row order and are byte-identical, no planted personal data
reaches any output file, small cells are suppressed, and the themes match the gold themes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import block_network

from pipeline.config import load_params
from pipeline.run import run_pipeline
from pipeline.spreadsheet import read_excel_csv

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"
OUTPUTS = (
    "doc_themes.csv",
    "themes.csv",
    "themes.xlsx",
    "report.html",
    "metrics.json",
    "quarantine.csv",
    "manifest.json",
)
# ASCII classes: binary files (the saved topic model) are grepped too, and their float bytes
# decoded as text would otherwise "match" `\w@\w.\w` with non-Latin letters.
HETU = re.compile(r"\b\d{6}[-+A-FYXWVU]\d{3}[0-9A-Y]\b", re.ASCII)
EMAIL = re.compile(r"[\w.+-]{2,}@[\w-]{2,}\.[a-z]{2,}\b", re.ASCII | re.IGNORECASE)
PHONE = re.compile(r"(?:\+358|\b0)\d{1,2}[ -]?\d{3}[ -]?\d{3,4}\b", re.ASCII)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """(original output dir, shuffled-input output dir), both with the network refused."""
    base = tmp_path_factory.mktemp("e2e")
    shuffled = base / "shuffled.csv"
    source = pd.read_csv(SAMPLE_DIR / "records.csv", dtype=str, keep_default_na=False)
    source.sample(frac=1.0, random_state=3).to_csv(shuffled, index=False)
    params = load_params(ROOT / "params.yaml", [f"embed.cache_dir={base / 'cache'}"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ILMIO_PSEUDONYM_KEY", "e2e-test-key-0123456789")
        block_network(mp)
        first = run_pipeline(SAMPLE_DIR / "records.csv", base / "original", params)
        second = run_pipeline(shuffled, base / "shuffled", params)
    return first, second


def test_all_outputs_written(runs):
    for name in OUTPUTS:
        assert (runs[0] / name).stat().st_size > 0, name


def test_row_order_gives_byte_identical_tables(runs):
    for name in ("doc_themes.csv", "themes.csv"):
        assert (runs[0] / name).read_bytes() == (runs[1] / name).read_bytes(), name


def test_every_row_accounted_for(runs):
    source = pd.read_csv(SAMPLE_DIR / "records.csv", dtype=str, keep_default_na=False)
    doc_themes = pd.read_csv(runs[0] / "doc_themes.csv", dtype=str, keep_default_na=False)
    quarantine = pd.read_csv(runs[0] / "quarantine.csv", dtype=str, keep_default_na=False)
    assert len(doc_themes) + len(quarantine) == len(source)
    assert set(doc_themes["doc_id"]) | set(quarantine["doc_id"]) == set(source["id"])


def _output_texts(out_dir: Path):
    from openpyxl import load_workbook

    for path in sorted(p for p in out_dir.rglob("*") if p.is_file()):
        if path.suffix == ".xlsx":
            wb = load_workbook(path)
            yield (
                path,
                "\n".join(
                    str(c.value)
                    for ws in wb
                    for row in ws.iter_rows()
                    for c in row
                    if c.value is not None
                ),
            )
        else:
            yield path, path.read_bytes().decode("utf-8", errors="ignore")


def test_no_planted_personal_data_in_any_output(runs):
    planted = pd.read_csv(SAMPLE_DIR / "planted_pii.csv", dtype=str, keep_default_na=False)
    values = sorted({v for v in planted["value"] if len(v) >= 4})
    # Whole words only: "Emma" must not match inside "lemmatise".
    found = re.compile("|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in values), re.I)
    for out_dir in runs:
        for path, text in _output_texts(out_dir):
            leaks = sorted({m.group() for m in found.finditer(text)})
            kinds = sorted(
                set(planted[planted["value"].str.lower().isin([v.lower() for v in leaks])]["kind"])
            )
            assert not leaks, f"{path.name}: {len(leaks)} planted values of kinds {kinds}"
            for pattern in (HETU, EMAIL, PHONE):
                assert not pattern.search(text), f"{path.name}: {pattern.pattern}"


def test_themes_match_gold(runs):
    from sklearn.metrics import normalized_mutual_info_score

    gold = pd.read_csv(SAMPLE_DIR / "gold.csv", dtype=str, keep_default_na=False)
    found = pd.read_csv(runs[0] / "doc_themes.csv", dtype=str, keep_default_na=False)
    merged = gold.merge(found, left_on="id", right_on="doc_id")
    nmi = normalized_mutual_info_score(merged["theme"], merged["theme_id"])
    assert nmi > 0.5, nmi


def test_theme_keywords_are_clean_lemmas(runs):
    themes = read_excel_csv(runs[0] / "themes.csv", dtype=str, keep_default_na=False)
    assert len(themes) >= 8
    stop = {"ja", "on", "ei", "se", "hän", "että", "olla", "joka", "tämä", "asiakas"}
    for keywords in themes["avainsanat"]:
        words = [w.strip() for w in keywords.split(",")]
        assert not stop & set(words), words
        assert not any("<" in w or "HENKILÖ" in w for w in words), words


def test_small_cells_suppressed(runs):
    themes = read_excel_csv(runs[0] / "themes.csv", dtype=str, keep_default_na=False)
    for value in themes["asiakkaita"]:
        assert value == "alle 5" or int(value) >= 5
