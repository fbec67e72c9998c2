"""The whole pipeline at county scale: time per stage, throughput and peak memory.

    python benchmarks/scale.py --docs 10000 [--workers 2] [--incremental 0.05]
        [--work DIR] [--set key=value]...

Generates `--docs` synthetic client records with the bundled sample's generator
(`data/sample/generate.py`), one generator seed per ~1,070 records, so the corpus keeps the
sample's share of near-duplicates, boilerplate sentences, colloquial feedback and Swedish
records, with every seed's ids and clients kept apart. Then runs `ilmio run` on it in a
child process with a fresh embedding cache and prints the seconds of each stage, segments/s
of the embed stage, seconds per document, and the peak resident memory of the whole process
tree (the run and every worker it starts, sampled every 0.1 s).

`--incremental 0.05` then adds 5 % new records (further seeds) to the corpus and runs again
on the same embedding cache: the second run's time as a share of the first shows what an
incremental run costs. The last line is machine-readable key=value pairs.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "data" / "sample"))

import generate  # noqa: E402  (the sample generator, standard library only)

KEY = "scale-benchmark-key-0123456789"
STAGE_ORDER = ("ingest", "redact", "segment", "lemmatise", "embed", "topics", "themes", "report")


def records(n_docs: int, first_seed: int = 0) -> list[list[str]]:
    """`n_docs` records (generate.RECORD_COLUMNS) from seeds `first_seed`, `first_seed + 1`…"""
    out: list[list[str]] = []
    seed = first_seed
    while len(out) < n_docs:
        gen = generate.Generator(generate.SEED + seed)
        main, more, _ = generate.build(gen)
        for doc in sorted(main + more, key=lambda d: d.did):
            prefix = f"S{seed:04d}-"
            out.append(
                [
                    prefix + doc.did,
                    prefix + doc.client.cid,
                    doc.client.person.full,
                    doc.worker.person.full,
                    doc.date.isoformat(),
                    doc.service,
                    doc.client.municipality,
                    doc.doc_type,
                    gen.text_of(doc),
                ]
            )
        seed += 1
    return out[:n_docs]


def write_records(rows: list[list[str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(generate.RECORD_COLUMNS)
        writer.writerows(rows)


class TreeMemory:
    """Peak resident memory of a process and all its descendants, sampled in a thread."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        import psutil

        self._root = psutil.Process(pid)
        self._interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self._root, *self._root.children(recursive=True)]
                total = 0
                for proc in procs:
                    with contextlib.suppress(psutil.Error):
                        total += proc.memory_info().rss
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            time.sleep(self._interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_ilmio(src: Path, out: Path, cache: Path, settings: list[str]) -> dict:
    """`ilmio run` in a child process; its manifest, wall seconds and tree peak RSS."""
    env = {**os.environ, "ILMIO_PSEUDONYM_KEY": KEY}
    sets = [a for s in [f"embed.cache_dir={cache}", *settings] for a in ("--set", s)]
    cmd = [sys.executable, "-m", "pipeline", "run", str(src), "--out", str(out), *sets]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    memory = TreeMemory(proc.pid)
    code = proc.wait()
    peak = memory.stop()
    wall = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"ilmio run exited {code}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {"manifest": manifest, "wall_s": wall, "peak_rss_bytes": peak}


def describe(label: str, n_docs: int, result: dict) -> dict[str, float]:
    """Print one run's table; return its key=value figures."""
    seconds = result["manifest"]["seconds"]
    counts = result["manifest"]["counts"]
    n_segments = counts["segment"]["n_segments"]
    embed_s = seconds.get("embed", 0.0)
    figures = {
        f"{label}_docs": n_docs,
        f"{label}_segments": n_segments,
        f"{label}_wall_s": round(result["wall_s"], 1),
        f"{label}_s_per_1000_docs": round(1000 * result["wall_s"] / n_docs, 2),
        f"{label}_embed_segments_per_s": round(n_segments / embed_s, 1) if embed_s else 0.0,
        f"{label}_peak_rss_mb": round(result["peak_rss_bytes"] / 2**20),
    }
    print(f"\n{label}: {n_docs} documents, {n_segments} segments")
    print(f"  {'stage':<10} {'seconds':>8} {'s/1000 docs':>12}")
    for stage, s in sorted(seconds.items(), key=lambda kv: STAGE_ORDER.index(kv[0])):
        print(f"  {stage:<10} {s:>8.1f} {1000 * s / n_docs:>12.2f}")
        figures[f"{label}_{stage}_s"] = s
    print(f"  {'wall':<10} {result['wall_s']:>8.1f} (process start and model loads included)")
    print(f"  embed: {figures[f'{label}_embed_segments_per_s']} segments/s")
    print(f"  peak RSS of the process tree: {figures[f'{label}_peak_rss_mb']} MiB")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, required=True)
    parser.add_argument("--workers", type=int, default=None, help="sets compute.workers")
    parser.add_argument("--incremental", type=float, default=0.0, help="share of new records")
    parser.add_argument("--work", type=Path, default=None, help="keep inputs and outputs here")
    parser.add_argument("--set", action="append", default=[], dest="settings")
    args = parser.parse_args()
    settings = list(args.settings)
    if args.workers is not None:
        settings.append(f"compute.workers={args.workers}")
    work = args.work or Path(tempfile.mkdtemp(prefix="ilmio-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows = records(args.docs)
    src = work / "records.csv"
    write_records(rows, src)
    print(f"generated {len(rows)} records in {time.perf_counter() - started:.1f} s: {src}")
    cache = work / "embed_cache"
    full = run_ilmio(src, work / "out_full", cache, settings)
    figures = describe("full", len(rows), full)
    if args.incremental > 0:
        n_new = max(1, round(args.incremental * len(rows)))
        seeds_used = int(rows[-1][0][1:5]) + 1
        grown = rows + records(n_new, first_seed=seeds_used)
        src_grown = work / "records_grown.csv"
        write_records(grown, src_grown)
        inc = run_ilmio(src_grown, work / "out_incremental", cache, settings)
        figures |= describe("incremental", len(grown), inc)
        figures["incremental_share_of_full"] = round(inc["wall_s"] / full["wall_s"], 3)
        print(f"\nincremental run: {figures['incremental_share_of_full']:.1%} of the full run")
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
