"""Theme discovery before and after, one params.yaml, seven corpora, in one run.

    ILMIO_PSEUDONYM_KEY=... python benchmarks/theme_corpora.py [--before REV] [--corpora a,b]

Corpora: the bundled sample (`data/sample/records.csv`, gold `data/sample/gold.csv`); three
subsets of it cut here (the documents of 4 gold themes, of 8 gold themes, a random 300
documents; themes drawn with a fixed seed); `../shared/data/client_records_dev/records.jsonl`
(fictional records by another hand, gold `theme`, `X00_muu` left out of the scores); and the
public dev sets `eduskunta_vkk/dev.jsonl` and `ylilauta/dev.jsonl` (one segment per text, as in
benchmarks/themes.py, no redaction).

"after" is this working tree with its `params.yaml`; "before" is git revision REV (default: the
commit before issue #13's work) with its own params.yaml, extracted with `git archive` into a
temporary folder and run by the same worker code. Each (version, corpus) runs in its own
process, so the two versions never share imported modules. Embeddings come from the embed
stage's cache (`embed.cache_dir`, git-ignored); the first run embeds the public sets (minutes).

For each corpus: NMI and ARI of the primary theme against the gold label (documents without a
theme count as one more cluster), phenomena recovered (gold labels for which some theme's
documents reach F1 >= 0.5), themes found (shown themes: administrative ones excluded) vs gold
labels, share of documents without a theme, subsample stability (ARI of the topic stage on 80 %
of the documents against the full fit, on the segments both saw, `--draws` draws) and whether
shuffled input rows give byte-identical doc_themes. On the sample-like corpora also: the
excerpts the report shows and the share whose document's gold theme equals the majority gold
theme of their theme, and the themes that gold shows to be administrative (no gold theme
concentrated in them). With `--baselines`, BERTopic default, BERTopic configured with care and
LDA on the public dev sets (benchmarks/themes.py) in the same run.

The last line is machine-readable `key=value` pairs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
BEFORE_REV = "f6d4956"
CORPORA = (
    "sample",
    "sample4",
    "sample8",
    "sample300",
    "client_records",
    "eduskunta",
    "ylilauta",
)
PUBLIC = {"eduskunta": "eduskunta_vkk/dev.jsonl", "ylilauta": "ylilauta/dev.jsonl"}
EXCLUDED_GOLD = frozenset({"X00_muu"})
SUBSET_SEED = 13


# --- corpora -----------------------------------------------------------------------------------


def cut_subsets(folder: Path) -> dict[str, dict]:
    """The sample and three subsets of it, as CSV files with their gold, written to `folder`."""
    import numpy as np
    import pandas as pd

    records = pd.read_csv(
        ROOT / "data" / "sample" / "records.csv", dtype=str, keep_default_na=False
    )
    gold = pd.read_csv(ROOT / "data" / "sample" / "gold.csv", dtype=str, keep_default_na=False)
    rng = np.random.default_rng(SUBSET_SEED)
    themes = sorted(gold["theme"].unique())
    order = [themes[i] for i in rng.permutation(len(themes))]
    picks = {
        "sample4": gold["theme"].isin(order[:4]),
        "sample8": gold["theme"].isin(order[:8]),
        "sample300": gold["id"].isin(rng.choice(gold["id"].to_numpy(), 300, replace=False)),
    }
    out = {"sample": {"path": str(ROOT / "data" / "sample" / "records.csv"), "kind": "records"}}
    for name, mask in picks.items():
        ids = set(gold.loc[mask, "id"])
        path = folder / f"{name}.csv"
        records[records["id"].isin(ids)].to_csv(path, index=False)
        out[name] = {
            "path": str(path),
            "kind": "records",
            "themes": sorted(gold.loc[mask, "theme"].unique()),
        }
    for spec in out.values():
        spec["gold"] = "sample"
    return out


def corpus_specs(folder: Path, names: list[str]) -> dict[str, dict]:
    specs = cut_subsets(folder)
    specs["client_records"] = {
        "path": str(DATA / "client_records_dev" / "records.jsonl"),
        "kind": "records",
        "gold": "jsonl",
    }
    for name, rel in PUBLIC.items():
        specs[name] = {"path": str(DATA / rel), "kind": "public", "gold": "jsonl"}
    return {n: specs[n] for n in names}


def gold_of(spec: dict):
    """doc_id -> (primary gold label, all gold labels)."""
    import pandas as pd

    if spec["gold"] == "sample":
        gold = pd.read_csv(ROOT / "data" / "sample" / "gold.csv", dtype=str)
        return {r.id: (r.theme, set(r.themes.split(";"))) for r in gold.itertuples()}
    out = {}
    for line in Path(spec["path"]).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            label = row.get("theme", row.get("label"))
            out[str(row["id"])] = (label, set(row.get("themes_all") or [label]))
    return out


# --- the worker: one code version, one corpus ---------------------------------------------------


def topic_inputs(spec: dict, params, *, shuffle: bool = False) -> dict:
    """Every artefact the topics stage reads, from the corpus file (stages run in memory)."""
    import numpy as np
    import pandas as pd

    from pipeline import dag
    from pipeline.contract import run_stage

    if spec["kind"] == "public":
        rows = [json.loads(x) for x in Path(spec["path"]).read_text("utf-8").splitlines() if x]
        frame = pd.DataFrame(rows)[["id", "text"]].astype(str)
        if shuffle:
            frame = frame.iloc[np.random.default_rng(1).permutation(len(frame))]
        docs = pd.DataFrame(
            {
                "doc_id": frame["id"].to_numpy(),
                "text": frame["text"].to_numpy(),
                **{c: "" for c in ("client_key", "date", "service", "area")},
                "doc_type": "",
            }
        )
        segments = pd.DataFrame(
            {
                "segment_id": docs["doc_id"] + "#1",
                "doc_id": docs["doc_id"],
                "n": 1,
                "text": docs["text"],
                "lang": "fi",
                "boilerplate": False,
            }
        ).astype({"n": "int64"})
        arts = {"redacted": docs, "segments": segments}
        order = ("lemmatise", "embed")
    else:
        src = Path(spec["path"])
        if shuffle:
            src = shuffled_copy(src)
        arts = {"src": src}
        order = ("ingest", "redact", "segment", "lemmatise", "embed")
    for stage in dag.stages():
        if stage.name in order:
            outputs, _ = run_stage(stage, arts, params)
            arts.update(outputs)
    return arts


def shuffled_copy(src: Path) -> Path:
    """The records file with its rows in another order (same header), in a temporary folder."""
    import numpy as np

    folder = Path(tempfile.mkdtemp(prefix="ilmio-shuffled-"))
    lines = src.read_text(encoding="utf-8")
    if src.suffix == ".jsonl":
        rows = [x for x in lines.splitlines() if x.strip()]
        perm = np.random.default_rng(1).permutation(len(rows))
        (folder / src.name).write_text("\n".join(rows[i] for i in perm) + "\n", encoding="utf-8")
        return folder / src.name
    import pandas as pd

    frame = pd.read_csv(src, dtype=str, keep_default_na=False)
    frame.iloc[np.random.default_rng(1).permutation(len(frame))].to_csv(
        folder / src.name, index=False
    )
    return folder / src.name


def fit(arts: dict, params) -> dict:
    """The topics and themes stages on `arts` (in memory); their outputs and metrics."""
    from pipeline import dag
    from pipeline.contract import run_stage

    out = dict(arts)
    metrics = {}
    for name in ("topics", "themes"):
        outputs, metrics[name] = run_stage(dag.stage(name), {**out, "metrics_dir": {}}, params)
        out.update(outputs)
    out["stage_metrics"] = metrics
    return out


def subsample(arts: dict, keep: set[str]) -> dict:
    """The topics stage's inputs restricted to the documents in `keep` (row order kept)."""
    docs = arts["redacted"][arts["redacted"]["doc_id"].isin(keep)].reset_index(drop=True)
    seg_mask = arts["segments"]["doc_id"].isin(keep).to_numpy()
    segments = arts["segments"][seg_mask].reset_index(drop=True)
    ids = set(segments["segment_id"])
    lemmas = arts["lemmas"][arts["lemmas"]["segment_id"].isin(ids)].reset_index(drop=True)
    index = arts["embedding_index"]
    emb_mask = index["segment_id"].isin(ids).to_numpy()
    return {
        **arts,
        "redacted": docs,
        "segments": segments,
        "lemmas": lemmas,
        "embeddings": arts["embeddings"][emb_mask],
        "embedding_index": index[emb_mask].reset_index(drop=True),
    }


def subsample_stability(arts: dict, full, params, draws: int, share: float = 0.8) -> list[float]:
    """ARI of the topic stage on `share` of the documents vs the full fit, per draw."""
    from sklearn.metrics import adjusted_rand_score

    doc_ids = sorted(arts["redacted"]["doc_id"])
    full_topics = full["segment_topics"].set_index("segment_id")["topic"]
    out = []
    for draw in range(draws):
        ranked = sorted(doc_ids, key=lambda d: hashlib.sha256(f"{draw}:{d}".encode()).hexdigest())
        part = fit_topics_only(subsample(arts, set(ranked[: round(share * len(ranked))])), params)
        sub = part.set_index("segment_id")["topic"]
        common = sub.index.intersection(full_topics.index)
        out.append(round(float(adjusted_rand_score(full_topics[common], sub[common])), 4))
    return out


def fit_topics_only(arts: dict, params):
    from pipeline import dag
    from pipeline.contract import run_stage

    outputs, _ = run_stage(dag.stage("topics"), arts, params)
    return outputs["segment_topics"]


def scores(doc_themes, gold: dict, shown: set[str]) -> dict:
    """NMI, ARI, recovered phenomena, themes found vs gold labels, share without a theme."""
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    frame = doc_themes.assign(gold=doc_themes["doc_id"].map(lambda d: gold.get(d, (None,))[0]))
    frame = frame[frame["gold"].notna() & ~frame["gold"].isin(EXCLUDED_GOLD)]
    found = frame["theme_id"].where(frame["theme_id"] != "", "(none)")
    recovered = 0
    for label in sorted(frame["gold"].unique()):
        truth = frame["gold"] == label
        best = 0.0
        for theme in sorted(set(found) - {"(none)"}):
            pred = found == theme
            tp = int((truth & pred).sum())
            if tp:
                best = max(best, 2 * tp / (int(truth.sum()) + int(pred.sum())))
        recovered += best >= 0.5
    return {
        "nmi": round(float(normalized_mutual_info_score(frame["gold"], found)), 4),
        "ari": round(float(adjusted_rand_score(frame["gold"], found)), 4),
        "recovered": int(recovered),
        "gold_labels": int(frame["gold"].nunique()),
        "themes": len(shown),
        "unthemed": round(float((doc_themes["theme_id"] == "").mean()), 4),
        "scored_docs": len(frame),
        "primary_themes": int(pd.Series(found[found != "(none)"]).nunique()),
    }


def admin_by_gold(doc_themes, gold: dict, theme_ids: list[str]) -> dict[str, float]:
    """Per theme, the largest lift of one gold theme among its documents (all themes a
    document carries, `theme_ids`), against that gold theme's share in the corpus. A theme
    about a phenomenon concentrates one gold theme (lift well above 1); a template or contact
    theme collects documents of every gold theme alike (lift near 1)."""
    import pandas as pd

    from pipeline.schemas import explode_themes

    pairs = explode_themes(doc_themes)
    base = pd.Series([g for d in doc_themes["doc_id"] for g in gold.get(d, (None, set()))[1]])
    base = base.value_counts() / len(doc_themes)
    out = {}
    for theme in theme_ids:
        docs = pairs.loc[pairs["theme_id"] == theme, "doc_id"]
        if not len(docs):
            continue
        counts = pd.Series([g for d in docs for g in gold.get(d, (None, set()))[1]])
        lift = (counts.value_counts() / len(docs)) / base
        out[theme] = round(float(lift.max()), 2)
    return out


def excerpt_purity(views, segments, doc_themes, gold: dict) -> dict:
    """Share of the excerpts shown whose document's gold theme is the theme's majority gold
    theme (of its primary documents); `lenient`: among the document's gold themes at all."""
    from pipeline.report.views import shorten

    by_text: dict[str, str] = {}
    for row in segments.itertuples(index=False):
        for chars in (220, len(row.text)):
            by_text.setdefault(shorten(row.text, chars), row.doc_id)
    primary = doc_themes[doc_themes["theme_id"] != ""]
    strict = lenient = total = 0
    for view in views:
        docs = primary.loc[primary["theme_id"] == view.theme_id, "doc_id"]
        labels = [gold[d][0] for d in docs if d in gold]
        if not labels or not view.excerpts:
            continue
        majority = max(sorted(set(labels)), key=labels.count)
        for text in view.excerpts:
            doc = by_text.get(text)
            if doc is None or doc not in gold:
                continue
            total += 1
            strict += gold[doc][0] == majority
            lenient += majority in gold[doc][1]
    return {
        "excerpts": total,
        "excerpt_purity": round(strict / total, 4) if total else None,
        "excerpt_purity_lenient": round(lenient / total, 4) if total else None,
    }


def worker(args) -> None:
    """One code version on one corpus; writes a JSON of figures (no record text)."""
    sys.path.insert(0, str(args.code))
    os.environ.setdefault("ILMIO_PSEUDONYM_KEY", "benchmark-only-pseudonym-key")
    import pandas as pd

    from pipeline.config import load_params

    spec = json.loads(args.spec)
    params = load_params(args.params)
    gold = gold_of(spec)
    started = time.perf_counter()
    arts = topic_inputs(spec, params)
    prepared = time.perf_counter()
    full = fit(arts, params)
    fit_s = time.perf_counter() - prepared
    themes = full["themes"]
    admin = themes["admin"].astype(bool) if "admin" in themes else pd.Series(False, themes.index)
    shown = set(themes.loc[~admin.to_numpy(), "theme_id"])
    out = {
        "corpus": args.name,
        "n_docs": len(arts["redacted"]),
        **scores(full["doc_themes"], gold, shown),
        "n_themes_all": len(themes),
        "n_admin": int(admin.sum()),
        "fit_s": round(fit_s, 1),
        "topics_metrics": {
            k: v for k, v in full["stage_metrics"]["topics"].items() if not isinstance(v, dict)
        },
    }
    if args.dump:
        pd.to_pickle({k: arts[k] for k in arts if k != "src"}, args.dump)
    # The refits below skip the stage's own stability check (after: subsamples; before: a
    # seed refit): only their assignment is compared.
    light = params.model_copy(
        update={"topics": params.topics.model_copy(update={"stability_check": False})}
    )
    out["subsample_ari"] = subsample_stability(arts, full, light, args.draws)
    again = fit(topic_inputs(spec, light, shuffle=True), light)
    out["shuffle_identical"] = bool(
        again["doc_themes"].to_csv(index=False) == full["doc_themes"].to_csv(index=False)
    )
    if spec["kind"] == "records":
        from pipeline.report.views import theme_views

        lifts = admin_by_gold(full["doc_themes"], gold, themes["theme_id"].tolist())
        out["themes_list"] = [
            {
                "theme_id": r.theme_id,
                "keywords": list(r.keywords)[:6],
                "label": r.label,
                "admin": bool(a),
                "gold_lift": lifts.get(r.theme_id),
                "n_docs": int(r.n_docs),
            }
            for r, a in zip(themes.itertuples(index=False), admin, strict=True)
        ]
        views = theme_views(
            themes[~admin.to_numpy()].reset_index(drop=True),
            full["doc_themes"],
            arts["redacted"],
            full["segment_topics"],
            arts["segments"],
            params.report,
        )
        out.update(excerpt_purity(views, arts["segments"], full["doc_themes"], gold))
    out["seconds"] = round(time.perf_counter() - started, 1)
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


# --- the driver ---------------------------------------------------------------------------------


def export_revision(rev: str, folder: Path) -> Path:
    """`git archive REV` unpacked in `folder`, sharing this tree's model and embedding cache."""
    code = folder / f"code-{rev}"
    code.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
    for rel in ("models/e5-small", "data/work"):
        target = ROOT / rel
        if target.exists():
            (code / rel).parent.mkdir(parents=True, exist_ok=True)
            if (code / rel).is_symlink() or (code / rel).exists():
                continue
            (code / rel).symlink_to(target.resolve())
    return code


def run_worker(code: Path, name: str, spec: dict, folder: Path, args) -> dict:
    out = folder / f"{code.name}-{name}.json"
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "worker",
        "--code",
        str(code),
        "--name",
        name,
        "--spec",
        json.dumps(spec),
        "--params",
        str(code / "params.yaml"),
        "--out",
        str(out),
        "--draws",
        str(args.draws),
    ]
    # Single-threaded BLAS: on a shared 2-core machine OpenBLAS threads spin-wait and made
    # an SVD 50x slower; the figures do not depend on it.
    env = {
        **os.environ,
        "PYTHONPATH": str(code),
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=str(code))
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"worker failed: {code.name} {name}")
    return json.loads(out.read_text(encoding="utf-8"))


def public_baselines(name: str, spec: dict) -> dict:
    """BERTopic default, BERTopic configured with care and LDA (benchmarks/themes.py)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import themes as bench

    return bench.baseline_scores(Path(spec["path"]))


def table(results: dict[str, dict[str, dict]]) -> str:
    """A markdown table of every corpus and system (baselines lack some columns: "-")."""
    head = (
        "| corpus | system | NMI | ARI | recovered | themes / gold | without theme "
        "| subsample ARI | shuffle identical |"
    )
    lines = [head, "|" + "---|" * 9]
    for corpus, versions in results.items():
        gold = next((r["gold_labels"] for r in versions.values() if "gold_labels" in r), "-")
        for version, r in versions.items():
            sub = r.get("subsample_ari") or []
            unthemed = r.get("unthemed", r.get("outliers"))
            lines.append(
                f"| {corpus} | {version} | {r['nmi']} | {r['ari']} | "
                f"{r.get('recovered', '-')}/{gold} | {r['themes']} / {gold} | "
                f"{'-' if unthemed is None else f'{unthemed:.1%}'} | "
                f"{f'{min(sub)}–{max(sub)}' if sub else '-'} | "
                f"{r.get('shuffle_identical', '-')} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    w = sub.add_parser("worker")
    w.add_argument("--code", type=Path, required=True)
    w.add_argument("--name", required=True)
    w.add_argument("--spec", required=True)
    w.add_argument("--params", type=Path, required=True)
    w.add_argument("--out", type=Path, required=True)
    w.add_argument("--draws", type=int, default=3)
    w.add_argument("--dump", type=Path, default=None)
    parser.add_argument("--before", default=BEFORE_REV, help="git revision; 'none' to skip")
    parser.add_argument("--corpora", default=",".join(CORPORA))
    parser.add_argument("--draws", type=int, default=3)
    parser.add_argument("--baselines", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="write all figures here")
    args = parser.parse_args()
    if args.command == "worker":
        worker(args)
        return
    # The baselines run in this process: BLAS in one thread, as in the workers (set before
    # NumPy loads).
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    names = [n for n in args.corpora.split(",") if n]
    results: dict[str, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory(prefix="ilmio-themes-") as tmp:
        folder = Path(tmp)
        specs = corpus_specs(folder, names)
        versions = {"after": ROOT}
        if args.before != "none":
            versions = {"before": export_revision(args.before, folder), **versions}
        for name, spec in specs.items():
            for version, code in versions.items():
                results.setdefault(name, {})[version] = run_worker(code, name, spec, folder, args)
                r = results[name][version]
                print(
                    f"{name:15s} {version:6s} nmi={r['nmi']} ari={r['ari']} "
                    f"recovered={r['recovered']}/{r['gold_labels']} themes={r['themes']} "
                    f"unthemed={r['unthemed']} sub={r['subsample_ari']} "
                    f"shuffle={r['shuffle_identical']} ({r['seconds']} s)",
                    flush=True,
                )
            if args.baselines and name in PUBLIC:
                for system, r in public_baselines(name, spec).items():
                    results[name][system] = r
                    print(
                        f"{name:15s} {system} nmi={r['nmi']} ari={r['ari']} "
                        f"themes={r['themes']} outliers={r['outliers']}",
                        flush=True,
                    )
            if args.json:  # after every corpus: a long run that fails keeps what it measured
                args.json.write_text(
                    json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
                )
    print(table(results))
    flat = {
        f"{c}_{v}_{k}": r[k]
        for c, vs in results.items()
        for v, r in vs.items()
        for k in ("nmi", "ari", "recovered", "themes", "unthemed")
        if k in r
    }
    print(" ".join(f"{k}={v}" for k, v in flat.items()))


if __name__ == "__main__":
    main()
