"""Paraphrase retrieval and speed of an embedding model folder.

    python benchmarks/embeddings.py --paraphrase ../shared/data/turku_paraphrase/dev.jsonl
        [--limit N] [--model models/e5-small] [--prefix "query: "] [--batch-size 32]
        [--backend torch|onnx]

Embeds every `text1` and `text2` (with the prefix, through `pipeline.nlp.embedders`, i.e. the
same code as the embed stage); for each `text1` ranks all `text2` by cosine. A hit is the
pair's own `text2` (or an identical string). Prints recall@1, recall@10, MRR and
segments/s (wall time of embedding all texts, model load excluded, threads = cores).
The last line is machine-readable key=value pairs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.config import resolve
from pipeline.nlp import embedders


def read_pairs(path: Path, limit: int | None) -> tuple[list[str], list[str]]:
    text1, text2 = [], []
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                text1.append(row["text1"])
                text2.append(row["text2"])
            if limit and len(text1) >= limit:
                break
    return text1, text2


def retrieval(q: np.ndarray, d: np.ndarray, text2: list[str]) -> dict[str, float]:
    """Rank of the gold text2 for each query (ties with identical strings count as hits)."""
    scores = q @ d.T
    same: dict[str, list[int]] = {}
    for j, text in enumerate(text2):
        same.setdefault(text, []).append(j)
    ranks = []
    for i, row in enumerate(scores):
        gold = row[same[text2[i]]].max()
        ranks.append(1 + int((row > gold).sum()))
    ranks_a = np.asarray(ranks)
    return {
        "recall_at_1": float((ranks_a <= 1).mean()),
        "recall_at_10": float((ranks_a <= 10).mean()),
        "mrr": float((1.0 / ranks_a).mean()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paraphrase", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=None, help="first N pairs only")
    parser.add_argument("--model", type=Path, default=Path("models/e5-small"))
    parser.add_argument("--prefix", default="query: ")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--backend", choices=["torch", "onnx"], default="onnx")
    args = parser.parse_args()

    text1, text2 = read_pairs(args.paraphrase, args.limit)
    embedder = embedders.load(resolve(args.model), backend=args.backend)
    embedder.encode(text1[:8], prefix=args.prefix, batch_size=args.batch_size)  # warm-up
    started = time.perf_counter()
    vectors = embedder.encode(text1 + text2, prefix=args.prefix, batch_size=args.batch_size)
    seconds = time.perf_counter() - started
    q, d = vectors[: len(text1)], vectors[len(text1) :]
    result = retrieval(q, d, text2)
    result["segments_per_s"] = len(vectors) / seconds
    pos = float(np.mean((q * d).sum(1)))
    rng = np.random.default_rng(0)
    neg = float(np.mean((q * d[rng.permutation(len(d))]).sum(1)))
    print(f"model      {embedder.identity}  backend {embedder.backend}")
    print(
        f"pairs      {len(text1)}  texts embedded {len(vectors)}  threads "
        f"{embedders.cpu_count()}  batch {args.batch_size}"
    )
    print(f"recall@1   {result['recall_at_1']:.4f}")
    print(f"recall@10  {result['recall_at_10']:.4f}")
    print(f"MRR        {result['mrr']:.4f}")
    print(f"cosine     paraphrase pairs {pos:.3f}, shuffled pairs {neg:.3f}")
    print(f"speed      {result['segments_per_s']:.1f} segments/s ({seconds:.1f} s)")
    print(
        " ".join(
            f"{k}={v:.4f}" if k != "segments_per_s" else f"{k}={v:.1f}" for k, v in result.items()
        )
    )


if __name__ == "__main__":
    main()
