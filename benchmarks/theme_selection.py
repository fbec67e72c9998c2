"""Leave-one-corpus-out: how well does choosing a theme setting on the corpora generalise?

    ILMIO_PSEUDONYM_KEY=... python benchmarks/theme_selection.py \
        [--setting topics.clusterer.lexical_weight] [--values 0.0,0.1,0.2,0.3,0.4] \
        [--set key=value]... [--corpora a,b] [--json FILE] [--from-json FILE]

A params.yaml setting chosen by sweeping it on every evaluation corpus gives figures on data it
was chosen on, which are not held-out results, and there is no held-out split to spare. What
can be measured out of sample is the *selection procedure*: for each corpus, choose the value
that maximises the mean NMI over the OTHER corpora (ties: the value nearest params.yaml's), and
score that choice on the corpus left out. If the held-out NMI at the leave-one-out choice is
close to the NMI at params.yaml's value, the sweep did not overfit the corpora it saw. The
sample and its three subsets share documents, so leaving one of them out still shows its
documents to the choice: a second summary leaves out each source (the sample family together).

The corpora are those of benchmarks/theme_corpora.py (the sample, three subsets of it,
client_records_dev, eduskunta_vkk dev, ylilauta dev), built and scored by its code: NMI of the
primary theme against the gold label (documents without a theme count as one more cluster) and
phenomena recovered (F1 >= 0.5). Everything but the swept setting comes from params.yaml and
`--set` overrides; the topics stage's own subsample stability check is off
(`topics.stability_check=false`): it reports a figure and does not change the partition. Each
corpus runs in its own process; its topic-stage inputs (ingest to embed) are built once and
reused for every value of a `topics.*` or `themes.*` setting. Embeddings come from the embed
stage's cache (`embed.cache_dir`).

Prints the grid (corpus x value: NMI, recovered, themes shown), the value chosen on all corpora
(in sample), and per held-out corpus the chosen value and its held-out NMI beside params.yaml's,
with the mean held-out NMI of both; the last line is machine-readable `key=value` pairs.
`--from-json` re-summarises the grid of an earlier `--json` without fitting.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import theme_corpora as tc  # noqa: E402

SETTING = "topics.clusterer.lexical_weight"
VALUES = (0.0, 0.1, 0.2, 0.3, 0.4)
FIXED = ("topics.stability_check=false",)
SAMPLE_FAMILY = frozenset({"sample", "sample4", "sample8", "sample300"})


def setting_value(params, setting: str):
    """The value of a dotted params key on a loaded Params."""
    node = params
    for key in setting.split("."):
        node = node[key] if isinstance(node, dict) else getattr(node, key)
    return node


def grid_params(overrides: list[str], setting: str, value):
    from pipeline.config import load_params

    return load_params(ROOT / "params.yaml", [*overrides, *FIXED, f"{setting}={value}"])


def worker(args) -> None:
    """One corpus, every value: NMI and recovered per value (figures only, no record text)."""
    import pandas as pd

    spec = json.loads(args.spec)
    values = json.loads(args.values)
    gold = tc.gold_of(spec)
    downstream = args.setting.split(".")[0] in ("topics", "themes")
    arts = None
    out = {"corpus": args.name, "values": {}}
    for value in values:
        params = grid_params(args.overrides, args.setting, value)
        if arts is None or not downstream:
            arts = tc.topic_inputs(spec, params)
        started = time.perf_counter()
        full = tc.fit(arts, params)
        themes = full["themes"]
        admin = (
            themes["admin"].astype(bool) if "admin" in themes else pd.Series(False, themes.index)
        )
        shown = set(themes.loc[~admin.to_numpy(), "theme_id"])
        score = tc.scores(full["doc_themes"], gold, shown)
        score["seconds"] = round(time.perf_counter() - started, 1)
        out["values"][str(value)] = score
        print(
            f"{args.name:15s} {args.setting}={value} nmi={score['nmi']} "
            f"recovered={score['recovered']}/{score['gold_labels']} themes={score['themes']} "
            f"(fit {score['seconds']} s)",
            file=sys.stderr,
            flush=True,
        )
    out["n_docs"] = len(arts["redacted"])
    Path(args.out).write_text(json.dumps(out, indent=1), encoding="utf-8")


def run_worker(name: str, spec: dict, values: list, folder: Path, args) -> dict:
    out = folder / f"{name}.json"
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "worker",
        "--name",
        name,
        "--spec",
        json.dumps(spec),
        "--values",
        json.dumps(values),
        "--setting",
        args.setting,
        "--out",
        str(out),
        *[a for o in args.overrides for a in ("--set", o)],
    ]
    # One BLAS thread, as in theme_corpora.py (spin-waiting threads on a shared machine).
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    env["OPENBLAS_NUM_THREADS"] = "1"
    done = subprocess.run(cmd, env=env, stderr=None, cwd=str(ROOT))
    if done.returncode != 0:
        raise SystemExit(f"worker failed: {name}")
    return json.loads(out.read_text(encoding="utf-8"))


def source(corpus: str) -> str:
    """The text a corpus was cut from: the sample and its subsets share documents."""
    return "sample" if corpus in SAMPLE_FAMILY else corpus


def choose(nmi: dict[str, dict], values: list, base, exclude: set[str]) -> object:
    """The value with the highest mean NMI over the corpora not in `exclude` (ties: nearest
    `base`, then the smaller)."""
    others = [c for c in nmi if c not in exclude]

    def key(value):
        mean = sum(nmi[c][value] for c in others) / len(others)
        return (-round(mean, 4), abs(float(value) - float(base)), float(value))

    return min(values, key=key)


def held_out(nmi: dict[str, dict], values: list, base, *, by_source: bool = False) -> dict:
    """Per held-out corpus: the value chosen on the others (`by_source`: on the corpora cut
    from other texts, so no document of the held-out corpus was seen) and the held-out NMI
    there and at `base`; the means over corpora."""
    rows = {}
    for corpus in nmi:
        left_out = {c for c in nmi if source(c) == source(corpus)} if by_source else {corpus}
        if len(left_out) == len(nmi):
            return {}
        chosen = choose(nmi, values, base, left_out)
        rows[corpus] = {
            "chosen": chosen,
            "nmi_chosen": nmi[corpus][chosen],
            "nmi_base": nmi[corpus][base],
        }
    mean_chosen = sum(r["nmi_chosen"] for r in rows.values()) / len(rows)
    mean_base = sum(r["nmi_base"] for r in rows.values()) / len(rows)
    return {
        "per_corpus": rows,
        "mean_nmi_loco": round(mean_chosen, 4),
        "mean_nmi_base": round(mean_base, 4),
        "delta": round(mean_chosen - mean_base, 4),
    }


def grid_table(results: dict[str, dict], values: list, base) -> str:
    head = "| corpus | " + " | ".join(f"{v}{' (params)' if v == base else ''}" for v in values)
    lines = [head + " |", "|" + "---|" * (len(values) + 1)]
    for corpus, r in results.items():
        cells = []
        for v in values:
            s = r["values"][str(v)]
            cells.append(f"{s['nmi']:.4f} ({s['recovered']}/{s['gold_labels']}, {s['themes']}th)")
        lines.append(f"| {corpus} | " + " | ".join(cells) + " |")
    means = [
        sum(r["values"][str(v)]["nmi"] for r in results.values()) / len(results) for v in values
    ]
    lines.append("| mean NMI | " + " | ".join(f"{m:.4f}" for m in means) + " |")
    return "\n".join(lines)


def loco_table(summary: dict, base) -> str:
    lines = [
        f"| held-out corpus | chosen on the others | held-out NMI at choice | at {base} | diff |",
        "|---|---|---|---|---|",
    ]
    for corpus, r in summary["per_corpus"].items():
        diff = r["nmi_chosen"] - r["nmi_base"]
        lines.append(
            f"| {corpus} | {r['chosen']} | {r['nmi_chosen']:.4f} | {r['nmi_base']:.4f} "
            f"| {diff:+.4f} |"
        )
    lines.append(
        f"| mean | | {summary['mean_nmi_loco']:.4f} | {summary['mean_nmi_base']:.4f} "
        f"| {summary['delta']:+.4f} |"
    )
    return "\n".join(lines)


def parse_values(text: str) -> list:
    import yaml

    return [yaml.safe_load(x) for x in text.split(",") if x.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    w = sub.add_parser("worker")
    w.add_argument("--name", required=True)
    w.add_argument("--spec", required=True)
    w.add_argument("--values", required=True)
    w.add_argument("--setting", required=True)
    w.add_argument("--out", type=Path, required=True)
    w.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--setting", default=SETTING, help="dotted params key to sweep")
    parser.add_argument("--values", default=",".join(str(v) for v in VALUES))
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--corpora", default=",".join(tc.CORPORA))
    parser.add_argument("--json", type=Path, default=None, help="write all figures here")
    parser.add_argument(
        "--from-json", type=Path, default=None, help="summarise the grid of an earlier --json"
    )
    args = parser.parse_args()
    if args.command == "worker":
        worker(args)
        return
    from pipeline.config import load_params

    base = setting_value(load_params(ROOT / "params.yaml", args.overrides), args.setting)
    values = parse_values(args.values)
    if base not in values:
        raise SystemExit(f"the grid {values} must hold params.yaml's value {base}")
    started = time.perf_counter()
    if args.from_json:
        results = json.loads(args.from_json.read_text(encoding="utf-8"))["grid"]
    else:
        results = fit_grid([n for n in args.corpora.split(",") if n], values, args)
    wall = round(time.perf_counter() - started, 1)
    nmi = {c: {v: r["values"][str(v)]["nmi"] for v in values} for c, r in results.items()}
    loco = held_out(nmi, values, base) if len(nmi) > 1 else {}
    loso = held_out(nmi, values, base, by_source=True) if len(nmi) > 1 else {}
    in_sample = choose(nmi, values, base, set())
    print(f"\n{args.setting} (params.yaml: {base}); NMI (recovered, themes shown)\n")
    print(grid_table(results, values, base))
    print(f"\nchosen on all corpora (in sample): {in_sample}")
    flat = {"setting": args.setting, "params_value": base, "wall_s": wall}
    flat["chosen_in_sample"] = in_sample
    for title, summary, prefix in (
        ("Leave one corpus out", loco, ""),
        ("Leave one source out (the sample and its subsets left out together)", loso, "loso_"),
    ):
        if not summary:
            continue
        print(f"\n{title}\n")
        print(loco_table(summary, base))
        flat.update({f"{prefix}chosen_{c}": r["chosen"] for c, r in summary["per_corpus"].items()})
        flat.update(
            {f"{prefix}{k}": summary[k] for k in ("mean_nmi_loco", "mean_nmi_base", "delta")}
        )
    if args.json:
        payload = {"setting": args.setting, "params_value": base, "values": values}
        payload.update({"grid": results, "chosen_in_sample": in_sample, "wall_s": wall})
        payload.update({"loco": loco, "leave_one_source_out": loso})
        args.json.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    print(" ".join(f"{k}={v}" for k, v in flat.items()))


def fit_grid(names: list[str], values: list, args) -> dict[str, dict]:
    """Every corpus in `names` at every value, one worker process per corpus."""
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="ilmio-selection-") as tmp:
        folder = Path(tmp)
        for name, spec in tc.corpus_specs(folder, names).items():
            results[name] = run_worker(name, spec, values, folder, args)
            if args.json:  # after every corpus: a long run that fails keeps what it measured
                args.json.write_text(json.dumps({"grid": results}, indent=1), encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
