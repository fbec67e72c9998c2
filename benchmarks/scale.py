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
as a county would between two reviews: on the same embedding, redaction and lemma caches, with
`topics.keep_model` pointing at the first run's topic model (the new records join the
reviewed themes, nothing is refitted). The second run's time as a share of the first shows
what an incremental run costs. `--dvc` runs both with `dvc repro` instead, in a copy of the
project (its dvc.yaml and params.yaml, the input and the caches replaced; the first run's
`models/topics` copied to `models/topics_kept` and dvc.yaml regenerated before the second),
each stage its own `ilmio <stage>` process as in production. `--embed-cache DIR` starts from
an existing cache (a rerun that measures everything but the embedding model). The last line is
machine-readable key=value pairs.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shutil
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
        self.timeline: list[tuple[float, int]] = []  # (perf_counter, tree bytes)
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
                self.timeline.append((time.perf_counter(), total))
            except psutil.Error:
                pass
            time.sleep(self._interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def dvc_project(work: Path, cache: Path, settings: list[str]) -> Path:
    """A copy of the project for `dvc repro` (files git knows, the model folder linked), its
    params.yaml with the embedding cache and `settings` applied."""
    import yaml

    from pipeline.config import apply_overrides

    project = work / "project"
    if project.exists():
        shutil.rmtree(project)
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in listed:
        source = ROOT / name
        if source.is_file():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, project / name)
    (project / "models").mkdir(exist_ok=True)
    (project / "models" / "e5-small").symlink_to((ROOT / "models" / "e5-small").resolve())
    params = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))
    params = apply_overrides(params, [f"embed.cache_dir={cache}", *settings])
    (project / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True), "utf-8")
    subprocess.run([*DVC, "init", "--no-scm", "-q", "-f"], cwd=project, check=True)
    return project


DVC = [sys.executable, "-m", "dvc"]


def keep_model(project: Path) -> None:
    """The project's fitted topic model copied to `models/topics_kept`, `topics.keep_model`
    set to it and dvc.yaml regenerated (the kept folder becomes the topic stage's dependency)."""
    import yaml

    from pipeline.config import apply_overrides

    kept = project / "models" / "topics_kept"
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(project / "models" / "topics", kept)
    params = yaml.safe_load((project / "params.yaml").read_text(encoding="utf-8"))
    params = apply_overrides(params, ["topics.keep_model=models/topics_kept"])
    (project / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True), "utf-8")
    env = {**os.environ, "PYTHONPATH": str(project)}
    subprocess.run([sys.executable, "-m", "pipeline", "dvc-yaml"], cwd=project, env=env, check=True)


def run_dvc(src: Path, project: Path) -> dict:
    """`dvc repro` from ingest on (the model folder is not rebuilt) with `src` as the input;
    seconds of each stage from the moment DVC starts it; wall seconds and tree peak RSS."""
    shutil.copy2(src, project / "data" / "sample" / "records.csv")
    env = {
        **os.environ,
        "ILMIO_PSEUDONYM_KEY": KEY,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(project),
        "DVC_NO_ANALYTICS": "1",
    }
    cmd = [*DVC, "repro", "--downstream", "ingest"]
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    memory = TreeMemory(proc.pid)
    marks: list[tuple[str, float]] = []
    for line in proc.stdout or ():
        if line.startswith("Running stage '"):
            marks.append((line.split("'")[1], time.perf_counter()))
    code = proc.wait()
    peak = memory.stop()
    wall = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"dvc repro exited {code}")
    ends = [t for _, t in marks[1:]] + [started + wall]
    seconds = {name: round(end - t, 2) for (name, t), end in zip(marks, ends, strict=True)}
    counts = {"segment": json.loads((project / "metrics" / "segment.json").read_text("utf-8"))}
    manifest = {"seconds": seconds, "counts": counts}
    return {
        "manifest": manifest,
        "wall_s": wall,
        "peak_rss_bytes": peak,
        "stage_peaks": stage_peaks(
            memory.timeline, [(n, t) for (n, _), t in zip(marks, ends, strict=True)], started
        ),
    }


def run_ilmio(src: Path, out: Path, cache: Path, settings: list[str]) -> dict:
    """`ilmio run` in a child process; its manifest, wall seconds, tree peak RSS, and the peak
    within each stage (a stage ends when the run logs `<stage> done`; its log is passed on)."""
    env = {**os.environ, "ILMIO_PSEUDONYM_KEY": KEY}
    sets = [a for s in [f"embed.cache_dir={cache}", *settings] for a in ("--set", s)]
    cmd = [sys.executable, "-m", "pipeline", "run", str(src), "--out", str(out), *sets]
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    memory = TreeMemory(proc.pid)
    ends: list[tuple[str, float]] = []
    for line in proc.stderr or ():
        sys.stderr.write(line)
        if "pipeline.run: " in line and " done in " in line:
            ends.append((line.split("pipeline.run: ", 1)[1].split()[0], time.perf_counter()))
    code = proc.wait()
    peak = memory.stop()
    wall = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"ilmio run exited {code}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {
        "manifest": manifest,
        "wall_s": wall,
        "peak_rss_bytes": peak,
        "stage_peaks": stage_peaks(memory.timeline, ends, started),
    }


def stage_peaks(
    timeline: list[tuple[float, int]], ends: list[tuple[str, float]], started: float
) -> dict[str, int]:
    """Peak tree memory within each stage, from the previous stage's end (the first: from
    the process start) to its own."""
    peaks: dict[str, int] = {}
    start = started
    for name, end in ends:
        peaks[name] = max((rss for t, rss in timeline if start <= t <= end), default=0)
        start = end
    return peaks


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
    print(f"  {'stage':<10} {'seconds':>8} {'s/1000 docs':>12} {'peak MiB':>9}")
    shown = [kv for kv in seconds.items() if kv[0] in STAGE_ORDER]
    for stage, s in sorted(shown, key=lambda kv: STAGE_ORDER.index(kv[0])):
        peak = result.get("stage_peaks", {}).get(stage, 0) / 2**20
        print(f"  {stage:<10} {s:>8.1f} {1000 * s / n_docs:>12.2f} {peak:>9.0f}")
        figures[f"{label}_{stage}_s"] = s
        figures[f"{label}_{stage}_peak_mb"] = round(peak)
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
    parser.add_argument("--dvc", action="store_true", help="run with dvc repro, not ilmio run")
    parser.add_argument("--embed-cache", type=Path, default=None, help="start from this cache")
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
    cache = (args.embed_cache or work / "embed_cache").resolve()
    for stage in ("redact", "lemma"):  # every full run redacts and lemmatises anew
        shutil.rmtree(work / f"{stage}_cache", ignore_errors=True)
    settings += [
        f"redact.cache_dir={(work / 'redact_cache').resolve()}",
        f"lemmatise.cache_dir={(work / 'lemma_cache').resolve()}",
    ]
    if args.dvc:
        project = dvc_project(work, cache, settings)
        full = run_dvc(src, project)
    else:
        full = run_ilmio(src, work / "out_full", cache, settings)
    figures = describe("full", len(rows), full)
    if args.incremental > 0:
        n_new = max(1, round(args.incremental * len(rows)))
        seeds_used = int(rows[-1][0][1:5]) + 1
        grown = rows + records(n_new, first_seed=seeds_used)
        src_grown = work / "records_grown.csv"
        write_records(grown, src_grown)
        if args.dvc:
            keep_model(project)
            inc = run_dvc(src_grown, project)
        else:
            kept = f"topics.keep_model={(work / 'out_full' / 'model').resolve()}"
            inc = run_ilmio(src_grown, work / "out_incremental", cache, [*settings, kept])
        figures |= describe("incremental", len(grown), inc)
        figures["incremental_share_of_full"] = round(inc["wall_s"] / full["wall_s"], 3)
        print(f"\nincremental run: {figures['incremental_share_of_full']:.1%} of the full run")
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
