"""Lemmatise stage: tiny in-code frames, the real Voikko backend, a property test."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import io, schemas
from pipeline.nlp import lemmatisers
from pipeline.stages import lemmatise
from pipeline.stages.lemmatise import lemmatise_frame

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def lemmatiser():
    return lemmatisers.make("voikko-ctx.v1")  # Voikko is a hard requirement: no skip


@pytest.fixture(scope="module")
def lists():
    return {
        "stopwords": frozenset(io.read_wordlist(ROOT / "configs/stopwords_fi.txt")),
        "boilerplate": frozenset(io.read_wordlist(ROOT / "configs/boilerplate_fi.txt")),
        "phrases": io.read_wordlist(ROOT / "configs/phrases_fi.txt"),
    }


def frame(texts, langs=None) -> pd.DataFrame:
    n = len(texts)
    return pd.DataFrame(
        {
            "segment_id": [f"d{i // 2}#{i % 2}" for i in range(n)],
            "doc_id": [f"d{i // 2}" for i in range(n)],
            "n": [i % 2 for i in range(n)],
            "text": texts,
            "lang": langs or ["fi"] * n,
            "boilerplate": [False] * n,
        }
    )


def run(segments, lemmatiser, lists, compounds=True, **kw):
    return lemmatise_frame(segments, lemmatiser, compounds=compounds, **lists, **kw)


def test_content_lemmas_compounds_and_phrases(lemmatiser, lists):
    seg = frame(
        [
            "Keskusteltiin asumisongelmista. Hän on kuntouttavassa työtoiminnassa.",
            "Jatketaan suunnitelman mukaisesti. Vuokrarästejä on kertynyt.",
        ]
    )
    out = run(seg, lemmatiser, lists)
    assert out["lemmas"][0] == ["asumisongelma", "asuminen", "ongelma", "kuntouttava_työtoiminta"]
    # boilerplate phrase gone; compound parts follow the compound
    assert out["lemmas"][1] == ["vuokrarästi", "vuokra", "rästi", "kertyä"]


def test_compounds_off(lemmatiser, lists):
    out = run(frame(["Keskusteltiin asumisongelmista."]), lemmatiser, lists, compounds=False)
    assert out["lemmas"][0] == ["asumisongelma"]


def test_phrase_word_is_not_split(lemmatiser, lists):
    out = run(frame(["Haettiin toimeentulotukea."]), lemmatiser, lists)
    assert out["lemmas"][0] == ["hakea", "toimeentulotuki"]


def test_placeholders_never_become_lemmas(lemmatiser, lists):
    seg = frame(
        [
            "<HENKILÖ_1>:lle myönnettiin <HETU_1>:n mukaan tukea. <OSOITE_2>",
            "<HENKILÖ_12>:n <HENKILÖ_3>",
        ]
    )
    out = run(seg, lemmatiser, lists)
    flat = [w for ws in out["lemmas"] for w in ws]
    assert flat == ["myöntää", "tuki"]
    assert not any("henkilö" in w or "hetu" in w or "<" in w for w in flat)


def test_swedish_segments_are_empty_and_counted(lemmatiser, lists):
    seg = frame(
        ["Klienten bor hos sin mamma.", "Asiakas muutti äitinsä luokse."], langs=["sv", "fi"]
    )
    stats: dict = {}
    out = run(seg, lemmatiser, lists, stats=stats)
    assert out["lemmas"][0] == [] and out["n_tokens"][0] == 5
    assert out["lemmas"][1] == ["muuttaa", "äiti"]
    assert stats["swedish_segments"] == 1


def test_stopwords_numbers_punctuation_removed(lemmatiser, lists):
    out = run(frame(["Se on 12.3.2024 ollut hyvin vaikea asia, 500 euroa!"]), lemmatiser, lists)
    assert out["lemmas"][0] == ["vaikea", "euro"]


def test_input_not_mutated_and_parquet_round_trip(lemmatiser, lists, tmp_path):
    seg = frame(["Asiakas haki asumistukea.", "Ruotsiksi.", ""], langs=["fi", "sv", "fi"])
    before = seg.copy(deep=True)
    out = run(seg, lemmatiser, lists)
    pd.testing.assert_frame_equal(seg, before)
    io.write_table(out, tmp_path / "l.parquet", schemas.LEMMAS)
    back = io.read_table(tmp_path / "l.parquet", schemas.LEMMAS)
    assert back["lemmas"].dtype == object
    assert [list(x) for x in back["lemmas"]] == [list(x) for x in out["lemmas"]]
    assert all(isinstance(w, str) for ws in back["lemmas"] for w in ws)


def test_all_empty_lists_round_trip(lemmatiser, lists, tmp_path):
    out = run(frame(["Hej.", "Tack."], langs=["sv", "sv"]), lemmatiser, lists)
    io.write_table(out, tmp_path / "e.parquet", schemas.LEMMAS)
    back = io.read_table(tmp_path / "e.parquet", schemas.LEMMAS)
    assert [list(x) for x in back["lemmas"]] == [[], []]


_WORDS = [
    "asiakas",
    "kertoi",
    "vuokrarästeistä",
    "<HENKILÖ_1>:n",
    "ja",
    "12",
    ".",
    ",",
    "toimeentulotukea",
    "Klienten",
    "mår",
    "kuntouttavassa",
    "työtoiminnassa",
    "äiti",
    "!",
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(_WORDS), max_size=12), st.sampled_from(["fi", "sv", "other"])
        ),
        max_size=12,
    )
)
def test_one_row_per_segment_ids_and_order_kept(lemmatiser, lists, rows):
    seg = frame([" ".join(ws) for ws, _ in rows], langs=[lang for _, lang in rows])
    out = run(seg, lemmatiser, lists)
    assert list(out["segment_id"]) == list(seg["segment_id"])
    assert list(out.columns) == ["segment_id", "lemmas", "n_tokens", "n_unknown"]
    for lang, lemmas in zip(seg["lang"], out["lemmas"], strict=True):
        assert all(isinstance(w, str) and w and "<" not in w and "henkilö" not in w for w in lemmas)
        if lang != "fi":
            assert lemmas == []
    schemas.LEMMAS.validate(out)


def test_main_writes_table_and_metrics(tmp_path, monkeypatch):
    from pipeline import dag
    from pipeline.config import Params
    from pipeline.stages import lemmatise

    seg = frame(["Asiakas haki asumistukea.", "Klienten bor hos sin mamma."], ["fi", "sv"])
    io.write_table(seg, tmp_path / "s.parquet", schemas.SEGMENTS)
    params = Params.model_validate({"lemmatise": {"backend": {"name": "voikko-ctx.v1"}}})
    files = {"segments": tmp_path / "s.parquet", "lemmas": tmp_path / "l.parquet"}
    dag.execute(lemmatise.STAGE, files, tmp_path / "m.json", params)
    m = io.read_json(tmp_path / "m.json")
    assert m["n_segments"] == 2 and m["swedish_segments"] == 1
    assert {"n_tokens", "unknown_rate"} <= set(m) and "tokens_per_s" not in m
    assert io.read_json(io.run_metrics_path(tmp_path / "m.json"))["tokens_per_s"] > 0
    assert len(io.read_table(tmp_path / "l.parquet", schemas.LEMMAS)) == 2


@pytest.mark.parametrize(
    ("word", "ok"),
    [
        ("vuokra", True),
        ("ruoka-apu", True),
        ("kuntouttava_työtoiminta", True),
        ("yä)", False),
        ("§", False),
        ("2024", False),
    ],
)
def test_is_term(word, ok):
    assert lemmatise.is_term(word) is ok


def test_a_grown_corpus_lemmatises_only_its_new_texts(tmp_path):
    """`lemmatise.cache_dir`: a second run lemmatises only texts it has not seen (a repeated
    text once), and its table and metrics are those of a run without the cache."""
    from pipeline.config import Params

    cached = Params.model_validate({"lemmatise": {"cache_dir": str(tmp_path / "cache")}})
    plain = Params.model_validate({"lemmatise": {"cache_dir": None}})
    texts = [
        "Asiakas haki asumistukea ja toimeentulotukea.",
        "Klienten bor hos sin mamma.",
        "Vuokrarästit ovat kasvaneet kevään aikana.",
        "Asiakas haki asumistukea ja toimeentulotukea.",
        "Nuori on ollut yksinäinen, kaverit ovat muuttaneet pois.",
    ]
    langs = ["fi", "sv", "fi", "fi", "fi"]
    grown = frame(texts, langs)
    _, first = lemmatise.run({"segments": grown.iloc[:3]}, cached)
    out, second = lemmatise.run({"segments": grown}, cached)
    reference, metrics = lemmatise.run({"segments": grown}, plain)
    assert (first["n_cached"], second["n_cached"], metrics["n_cached"]) == (0, 4, 0)
    pd.testing.assert_frame_equal(out["lemmas"], reference["lemmas"])
    drop = {"n_cached", "tokens_per_s"}
    assert {k: v for k, v in second.items() if k not in drop} == {
        k: v for k, v in metrics.items() if k not in drop
    }
    assert out["lemmas"]["lemmas"].iloc[3] == out["lemmas"]["lemmas"].iloc[0]
