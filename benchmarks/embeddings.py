"""Paraphrase retrieval, graded similarity and speed of embedding backends, in one run.

    python benchmarks/embeddings.py --paraphrase ../shared/data/turku_paraphrase/dev.jsonl
        [--graded ../shared/data/turku_paraphrase/opus_pb_dev.jsonl]
        [--backends sentence-transformers.v1,onnx.v1,openvino.v1] [--repeats 3]
        [--limit N] [--model models/e5-small] [--prefix "query: "] [--batch-size 32]

Every backend (`embed.backend` names, through `pipeline.nlp.embedders`, i.e. the same code as
the embed stage) embeds every `text1` and `text2` with the prefix; for each `text1` all `text2`
are ranked by cosine. A hit is the pair's own `text2` (or an identical string). Quality:
recall@1, recall@10, MRR and, with `--graded`, Spearman of cosine against the pairs' `score`.
Speed: segments/s over all paraphrase texts (wall time, model load and one warm-up batch
excluded, threads = cores). Backends take turns within each of `--repeats` rounds, so a
machine whose speed drifts slows them alike; the speed ratio to the first backend (the fp32
torch reference by default) is taken round by round and its median reported.

One `key=value` line per backend, the reference first; on a shared machine quote the ratios,
not the absolute rates.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.components import EMBEDDERS
from pipeline.config import resolve
from pipeline.nlp import embedders

REFERENCE = "sentence-transformers.v1"


def read_pairs(path: Path, limit: int | None) -> tuple[list[str], list[str]]:
    text1, text2, _ = read_scored_pairs(path, limit)
    return text1, text2


def read_scored_pairs(path: Path, limit: int | None) -> tuple[list[str], list[str], list[float]]:
    text1, text2, scores = [], [], []
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                text1.append(row["text1"])
                text2.append(row["text2"])
                scores.append(float(row.get("score") or 0))
            if limit and len(text1) >= limit:
                break
    return text1, text2, scores


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


def graded_spearman(embedder, path: Path, prefix: str, batch_size: int) -> float:
    """Spearman of cosine(text1, text2) against the pairs' graded `score`."""
    from scipy.stats import spearmanr

    text1, text2, scores = read_scored_pairs(path, None)
    vectors = embedder.encode(text1 + text2, prefix=prefix, batch_size=batch_size)
    cosine = (vectors[: len(text1)] * vectors[len(text1) :]).sum(axis=1)
    return float(spearmanr(cosine, scores).statistic)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paraphrase", type=Path, required=True)
    parser.add_argument("--graded", type=Path, default=None, help="pairs with a graded score")
    parser.add_argument("--limit", type=int, default=None, help="first N pairs only")
    parser.add_argument("--model", type=Path, default=Path("models/e5-small"))
    parser.add_argument("--prefix", default="query: ")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument(
        "--backends",
        default=f"{REFERENCE},onnx.v1,openvino.v1",
        help="comma-separated embed.backend names; ratios are to the first",
    )
    parser.add_argument("--repeats", type=int, default=1, help="timed rounds (median reported)")
    args = parser.parse_args()

    names = [n.strip() for n in args.backends.split(",") if n.strip()]
    text1, text2 = read_pairs(args.paraphrase, args.limit)
    texts = text1 + text2
    loaded = {}
    for name in names:
        started = time.perf_counter()
        embedder = EMBEDDERS.make(EMBEDDERS.params(name), model=resolve(args.model))
        load_s = time.perf_counter() - started
        embedder.encode(text1[:8], prefix=args.prefix, batch_size=args.batch_size)  # warm-up
        loaded[name] = (embedder, load_s)

    seconds: dict[str, list[float]] = {name: [] for name in names}
    vectors: dict[str, np.ndarray] = {}
    for _ in range(max(1, args.repeats)):
        for name in names:  # backends take turns: drift in machine speed hits them alike
            started = time.perf_counter()
            out = loaded[name][0].encode(texts, prefix=args.prefix, batch_size=args.batch_size)
            seconds[name].append(time.perf_counter() - started)
            vectors.setdefault(name, out)

    print(
        f"pairs {len(text1)}  texts embedded {len(texts)}  threads {embedders.cpu_count()}  "
        f"batch {args.batch_size}  rounds {max(1, args.repeats)}"
    )
    reference = names[0]
    results = {
        name: retrieval(vectors[name][: len(text1)], vectors[name][len(text1) :], text2)
        for name in names
    }
    for name in names:
        embedder, load_s = loaded[name]
        result = results[name]
        rates = [len(texts) / s for s in seconds[name]]
        ratios = [r / s for r, s in zip(seconds[reference], seconds[name], strict=True)]
        figures = {
            "backend": name,
            "precision": embedder.precision,
            "segments_per_s": f"{np.median(rates):.1f}",
            "segments_per_s_min": f"{min(rates):.1f}",
            "segments_per_s_max": f"{max(rates):.1f}",
            "ref": reference,
            "speed_vs_ref": f"{np.median(ratios):.2f}",
            "speed_ratio_min": f"{min(ratios):.2f}",
            "speed_ratio_max": f"{max(ratios):.2f}",
            "recall_at_1": f"{result['recall_at_1']:.4f}",
            "recall_at_10": f"{result['recall_at_10']:.4f}",
            "mrr": f"{result['mrr']:.4f}",
            "load_s": f"{load_s:.1f}",
        }
        if args.graded:
            spearman = graded_spearman(embedder, args.graded, args.prefix, args.batch_size)
            figures["spearman"] = f"{spearman:.4f}"
        if name != reference:
            gap = result["recall_at_1"] - results[reference]["recall_at_1"]
            figures["recall_at_1_vs_ref"] = f"{gap:+.4f}"
        print(f"{name:26s} model {embedder.identity}")
        print(" ".join(f"{k}={v}" for k, v in figures.items()), flush=True)


if __name__ == "__main__":
    main()
