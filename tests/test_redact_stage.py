"""The redact stage: `redact_frame` on a tiny in-code frame, and `main` end to end."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline import dag, io, schemas
from pipeline.config import Params
from pipeline.errors import PrivacyError
from pipeline.redaction.pseudonyms import KEY_ENV, PseudonymKey
from pipeline.redaction.redactor import Redactor
from pipeline.stages import redact as stage

KEY = PseudonymKey(b"test-key-that-is-long-enough", demo=False)
OTHER_KEY = PseudonymKey(b"another-test-key-long-enough", demo=False)


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(use_ner=True)


def _docs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["d2", "d1", "d3"],
            "text_raw": [
                "Soitin Virtaselle numeroon 040 123 4567. Virtasen mukaan kaikki hyvin.",
                "Asiakas (hetu 131052-308T) asuu osoitteessa Kauppakatu 12 B 7, 70100 Kuopio.",
                "toivo kävi kivin kanssa, toivon mieli on hyvä.",
            ],
            "client_key": ["123", "456", "123"],
            "date": ["2024-01-02", "2024-01-03", "2024-02-01"],
            "service": ["aikuissosiaalityö"] * 3,
            "area": ["Kuopio"] * 3,
            "doc_type": ["muistio"] * 3,
            "source_row": [1, 2, 3],
            "client_name": ["Liisa Virtanen", "Matti Mäki", "Toivo Kivi"],
            "worker_name": ["Sanna Sosiaalinen", "", "Sanna Sosiaalinen"],
        }
    )


def test_redact_frame_shape_and_privacy(redactor):
    docs = _docs()
    before = docs.copy(deep=True)
    out, spans = stage.redact_frame(
        docs, redactor, key=KEY, name_fields=["client_name", "worker_name"]
    )
    pd.testing.assert_frame_equal(docs, before)  # input not mutated
    assert list(out.columns) == stage.REDACTED_COLUMNS
    assert "text_raw" not in out.columns and "client_name" not in out.columns
    assert out["doc_id"].tolist() == ["d2", "d1", "d3"]  # order and ids kept
    schemas.REDACTED.validate(out)
    schemas.SPANS.validate(spans)
    assert list(spans.columns) == ["doc_id", "start", "end", "label", "source"]
    assert not any(
        spans[c].dtype == object and spans[c].str.contains("Virta").any() for c in spans.columns
    )
    joined = " ".join(out["text"])
    for secret in ("Virtase", "040 123 4567", "131052-308T", "Kauppakatu", "toivo", "kivin"):
        assert secret not in joined
    assert "<HENKILÖ_1>:lle" in out.loc[0, "text"] and "<HENKILÖ_1>:n" in out.loc[0, "text"]
    assert set(spans["doc_id"]) <= set(out["doc_id"])
    first = spans[spans["doc_id"] == "d2"].iloc[0]
    assert docs.loc[0, "text_raw"][first["start"] : first["end"]] == "Virtaselle"


def test_pseudonyms_stable_keyed_and_not_raw(redactor):
    out1, _ = stage.redact_frame(_docs(), redactor, key=KEY, name_fields=[])
    out2, _ = stage.redact_frame(_docs(), redactor, key=KEY, name_fields=[])
    out3, _ = stage.redact_frame(_docs(), redactor, key=OTHER_KEY, name_fields=[])
    keys = out1["client_key"].tolist()
    assert keys == out2["client_key"].tolist()
    assert keys[0] == keys[2] != keys[1]  # same client, same pseudonym
    assert keys != out3["client_key"].tolist()
    assert not set(keys) & {"123", "456"}


def test_empty_frame(redactor):
    out, spans = stage.redact_frame(_docs().iloc[:0], redactor, key=KEY, name_fields=[])
    assert len(out) == 0 and len(spans) == 0
    schemas.SPANS.validate(spans)


def run_files(src, dst, spans, metrics):
    """The stage as `ilmio redact` runs it: from and to files."""
    paths = {"ingested": src, "redacted": dst, "spans": spans}
    dag.execute(stage.STAGE, paths, metrics, Params())


def test_main_refuses_real_data_without_key(tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    src = tmp_path / "01_ingested.parquet"
    io.write_table(_docs(), src, schemas.INGESTED)
    with pytest.raises(PrivacyError):
        run_files(src, tmp_path / "02.parquet", tmp_path / "spans.parquet", tmp_path / "m.json")


def test_main_on_sample_uses_demo_key(tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    src = tmp_path / "01_ingested.parquet"
    io.write_table(_docs(), src, schemas.INGESTED, meta={"bundled_sample": "true"})
    dst, spans, metrics = tmp_path / "02.parquet", tmp_path / "spans.parquet", tmp_path / "m.json"
    run_files(src, dst, spans, metrics)
    out = io.read_table(dst, schemas.REDACTED)
    assert len(out) == 3
    data = io.read_json(metrics)
    assert data["demo_key"] is True and data["n_docs"] == 3
    assert data["redactions_per_label"]["HETU"] == 1
    assert "Virtanen" not in metrics.read_text(encoding="utf-8")
    for path in (dst, spans, metrics):
        raw = path.read_bytes()
        assert b"131052-308T" not in raw and b"Virtase" not in raw


@pytest.mark.slow
def test_no_planted_personal_data_in_any_redacted_sample_document():
    """Every document of the sample, redacted as the stage does with params.yaml: no planted
    value (names of clients, workers and relatives, phones, addresses…) and no henkilötunnus,
    email or phone pattern is left in the text any later stage sees."""
    import re

    from pipeline.config import PROJECT_ROOT, load_params, resolve
    from pipeline.stages import ingest

    params = load_params(PROJECT_ROOT / "params.yaml")
    redactor = Redactor(patterns=resolve(params.redact.patterns), use_ner=params.redact.ner)
    sample = PROJECT_ROOT / "data" / "sample"
    for records, planted_file in (
        ("records.csv", "planted_pii.csv"),
        ("records_more.csv", "planted_pii_more.csv"),
    ):
        good, _, _ = ingest.ingest_file(sample / records, params)
        docs, _ = stage.redact_frame(good, redactor, key=KEY, name_fields=params.redact.name_fields)
        text_by_doc = dict(zip(docs["doc_id"], docs["text"], strict=True))
        planted = pd.read_csv(sample / planted_file, dtype=str, keep_default_na=False)
        leaks = []
        for doc_id, kind, value in planted.itertuples(index=False):
            text = text_by_doc.get(doc_id, "")
            if len(value) >= 3 and re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text, re.I):
                leaks.append((doc_id, kind, value))
        assert not leaks, f"{records}: {len(leaks)} planted values left, e.g. {leaks[:5]}"
        patterns = (r"\b\d{6}[-+A-FYXWVU]\d{3}[0-9A-Y]\b", r"[\w.+-]+@[\w-]+\.[\w.]+")
        phone = r"(?:\+358|\b0)\d{1,3}[ -/]?\d{3}[ -]?\d{3,4}\b"
        for doc_id, text in text_by_doc.items():
            for pattern in (*patterns, phone):
                assert not re.search(pattern, text), (records, doc_id, pattern)


def test_a_name_column_added_in_params_is_redacted_end_to_end(tmp_path, monkeypatch):
    """`redact.name_fields` names a column the column map does not know: ingest keeps it,
    redact masks its names in the text (here lowercase, where nothing else would find them)."""
    from pipeline.contract import run_stage
    from pipeline.stages import ingest

    monkeypatch.setenv(KEY_ENV, "name-field-test-key-0123")
    path = tmp_path / "vienti.csv"
    pd.DataFrame(
        {
            "id": ["1", "2"],
            "client_id": ["a", "b"],
            "omainen": ["Toivo Lahti", ""],
            "text": [
                "Asiakkaan mukaan toivo asuu nyt veljensä luona. Olen puhunut lahden kanssa.",
                "Asiakas on puhunut vuokranantajan kanssa asunnosta.",
            ],
        }
    ).to_csv(path, index=False)
    for fields, masked in ((["client_name", "worker_name"], False), (["omainen"], True)):
        params = Params.model_validate({"redact": {"name_fields": fields}})
        ingested, _ = run_stage(ingest.STAGE, {"src": path}, params)
        assert ("omainen" in ingested["ingested"].columns) is masked
        redacted, _ = run_stage(stage.STAGE, ingested, params)
        texts = redacted["redacted"]["text"].tolist()
        assert ("toivo" not in texts[0] and "lahden" not in texts[0]) is masked, texts
        assert "omainen" not in redacted["redacted"].columns


def test_a_grown_corpus_redacts_only_its_new_documents(tmp_path, monkeypatch):
    """`redact.cache_dir`: the second run redacts only the document it has not seen, gives the
    results of a run without the cache, and the cache holds no raw text; another pseudonym key
    finds nothing in it (its rows are keyed by an HMAC with the key)."""
    cache = tmp_path / "redact_cache"
    cached = Params.model_validate({"redact": {"cache_dir": str(cache)}})
    uncached = Params.model_validate({"redact": {"cache_dir": None}})
    docs = _docs()
    monkeypatch.setenv(KEY_ENV, "cache-test-key-0123456789")
    _, first = stage.run({"ingested": docs.iloc[:2]}, cached)
    grown, second = stage.run({"ingested": docs}, cached)
    plain, _ = stage.run({"ingested": docs}, uncached)
    assert (first["n_cached"], second["n_cached"]) == (0, 2)
    for name in ("redacted", "spans"):
        pd.testing.assert_frame_equal(grown[name], plain[name])
    stored = pd.concat([pd.read_parquet(p) for p in sorted(cache.rglob("*.parquet"))])
    assert len(stored) == 3
    cells = " ".join(stored.astype(str).to_numpy().ravel())
    for secret in ("Virtase", "040 123 4567", "131052-308T", "Kauppakatu", "Liisa", "kivin"):
        assert secret not in cells
    monkeypatch.setenv(KEY_ENV, "another-cache-test-key-987654")
    _, other = stage.run({"ingested": docs}, cached)
    assert other["n_cached"] == 0
