"""Inference runtimes for the exported encoder (`onnx/model.onnx`): ONNX Runtime and OpenVINO.

Both tokenize with the folder's `tokenizer.json`, embed in batches of similar token length and
mean-pool in numpy, so they compute exactly what the folder's sentence-transformers modules
(Transformer -> mean Pooling [-> Normalize]) compute; `pipeline.nlp.embedders.load` picks one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipeline.nlp.embedders import (
    ONNX_FILE,
    Embedder,
    cpu_count,
    max_seq_length_of,
    model_identity,
    unit_rows,
)


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
        self._max_len = max_seq_length_of(folder)
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

    def count_truncated(self, texts: list[str], *, prefix: str) -> int:
        encodings = self._tokenizer.encode_batch([(prefix + t).strip() for t in texts])
        return sum(1 for e in encodings if e.overflowing)

    def encode(self, texts: list[str], *, prefix: str, batch_size: int) -> np.ndarray:
        """Embed `prefix + text` for each text; float32 (n, dim), unit rows, input order."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encodings = self._tokenizer.encode_batch([(prefix + t).strip() for t in texts])
        lengths = np.asarray([len(e.ids) for e in encodings])
        order = np.argsort(-lengths, kind="stable")  # longest first; ties in input order
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            ids = np.full((len(rows), lengths[rows[0]]), self._pad_id, dtype=np.int64)
            mask = np.zeros_like(ids)
            for r, i in enumerate(rows):
                ids[r, : lengths[i]] = encodings[i].ids
                mask[r, : lengths[i]] = 1
            hidden = self._run(ids, mask)
            weights = mask[..., None].astype(np.float32)
            out[rows] = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return unit_rows(out)

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        raise NotImplementedError


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
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]


class OpenVinoEmbedder(RuntimeEmbedder):
    """OpenVINO on the folder's `onnx/model.onnx`; `precision` "bf16" where the CPU has it."""

    backend = "openvino"

    def __init__(self, folder: Path, precision: str) -> None:
        import openvino as ov

        compiled = ov.Core().compile_model(
            str(folder / ONNX_FILE),
            "CPU",
            {
                "INFERENCE_NUM_THREADS": cpu_count(),
                "PERFORMANCE_HINT": "LATENCY",  # one stream: one batch at a time on all cores
                "INFERENCE_PRECISION_HINT": precision,
            },
        )
        # A CPU without native bf16 computes in f32: the identity says what was computed.
        self.precision = compiled.get_property("INFERENCE_PRECISION_HINT").to_string()
        super().__init__(folder, model_identity(folder, "openvino", precision=self.precision))
        self._request = compiled.create_infer_request()
        self._inputs = {p.get_any_name() for p in compiled.inputs}
        self._dim = int(compiled.outputs[0].get_partial_shape()[-1].get_length())

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        result = self._request.infer({k: v for k, v in feed.items() if k in self._inputs})
        return np.asarray(result[0])
