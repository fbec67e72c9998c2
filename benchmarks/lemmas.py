"""Lemma accuracy and speed: our backend and spaCy-fi lemma-only, side by side, same run.

    python benchmarks/lemmas.py --conllu ../shared/data/ud/fi_tdt-ud-dev.conllu
        [--backend voikko-ctx.v1] [--baseline spacy-fi.v1|none] [--split auto|all|holdout]

Gold tokenisation in (syntactic words), one lemma per token out. Accuracy over all tokens and
over content words (NOUN, VERB, ADJ, PROPN, ADV); gold `#` compound marks stripped; exact,
case-sensitive match. Unknown-word rate = share of tokens (punctuation and numbers excluded) the
backend's analyser does not know. tokens/s is wall time of `lemmatise_tokens` on the whole
evaluated set in one process with a cold cache (load time excluded; best of `--repeat` runs,
the cache emptied before each, the two systems' runs interleaved so that both meet the same
load on a shared machine), then again warm.

`--split auto` (default): on the two UD dev files that trained the voikko-ctx model, only the
held-out documents are scored (both systems, same sentences); any other file is scored whole.
The last line is machine-readable key=value pairs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.nlp import lemmatisers
from pipeline.nlp.train_lemmas import TRAIN_FILES, is_training, read_conllu

CONTENT = frozenset({"NOUN", "VERB", "ADJ", "PROPN", "ADV"})


def score(sents, predicted) -> dict[str, float]:
    n = ok = nc = okc = 0
    for s, pred in zip(sents, predicted, strict=True):
        for gold, p, upos in zip(s.lemmas, pred, s.upos, strict=True):
            n += 1
            ok += gold == p
            if upos in CONTENT:
                nc += 1
                okc += gold == p
    return {"accuracy_all": ok / max(n, 1), "accuracy_content": okc / max(nc, 1)}


def timed(lem, forms) -> tuple[list[list[str]], float]:
    t0 = time.perf_counter()
    out = lem.lemmatise_tokens(forms)
    return out, time.perf_counter() - t0


def timed_cold(lem, forms) -> tuple[list[list[str]], float]:
    """One run from an empty per-form cache."""
    if hasattr(lem, "clear_cache"):
        lem.clear_cache()
    return timed(lem, forms)


def unknown_rate(lem, sents) -> float:
    if not hasattr(lem, "info"):
        return float("nan")
    n = unk = 0
    for s in sents:
        for f in s.forms:
            info = lem.info(f)
            if info.pos in ("PUNCT", "NUM"):
                continue
            n += 1
            unk += not info.known
    return unk / max(n, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conllu", type=Path, required=True)
    parser.add_argument("--backend", default="voikko-ctx.v1", choices=lemmatisers.names())
    parser.add_argument("--baseline", default="spacy-fi.v1", choices=[*lemmatisers.names(), "none"])
    parser.add_argument("--split", default="auto", choices=["auto", "all", "holdout"])
    parser.add_argument("--errors", type=int, default=0, help="print the N commonest errors")
    parser.add_argument("--repeat", type=int, default=5, help="cold runs per system; best kept")
    parser.add_argument(
        "--workers", type=int, default=2, help="processes for our backend (the machine's 2 cores)"
    )
    args = parser.parse_args()

    sents = list(read_conllu(args.conllu))
    split = args.split
    if split == "auto":
        split = "holdout" if args.conllu.name in TRAIN_FILES else "all"
    if split == "holdout":
        sents = [s for s in sents if not is_training(args.conllu, s.sent_id)]
    forms = [s.forms for s in sents]
    n_tok = sum(len(f) for f in forms)
    print(f"{args.conllu.name}: {len(sents)} sentences, {n_tok} tokens, split={split}")

    names = [args.backend] + ([] if args.baseline == "none" else [args.baseline])
    systems, load_s = {}, {}
    for name in names:
        t0 = time.perf_counter()
        parallel = name == args.backend and name.startswith("voikko-ctx")
        systems[name] = lemmatisers.make(name, **({"workers": args.workers} if parallel else {}))
        load_s[name] = time.perf_counter() - t0
    # Cold runs interleaved (ours, baseline, ours, …): both systems see the same moments of a
    # shared machine, and each keeps its best run.
    pred: dict[str, list[list[str]]] = {}
    cold = dict.fromkeys(names, float("inf"))
    for _ in range(max(args.repeat, 1)):
        for name in names:
            pred[name], seconds = timed_cold(systems[name], forms)
            cold[name] = min(cold[name], seconds)
    results: dict[str, dict[str, float]] = {}
    for name in names:
        lem = systems[name]
        _, warm = timed(lem, forms)
        r = score(sents, pred[name])
        r.update(
            tokens_per_s=n_tok / cold[name],
            warm_tokens_per_s=n_tok / warm,
            unknown_rate=unknown_rate(lem, sents),
            load_s=load_s[name],
        )
        results[name] = r
        print(
            f"  {name:14s} acc_all={r['accuracy_all']:.4f} "
            f"acc_content={r['accuracy_content']:.4f} unknown={r['unknown_rate']:.4f} "
            f"tok/s cold={r['tokens_per_s']:,.0f} warm={r['warm_tokens_per_s']:,.0f} "
            f"load={load_s[name]:.1f}s"
        )
        if args.errors:
            errs = Counter(
                (s.upos[i], s.forms[i], s.lemmas[i], p[i])
                for s, p in zip(sents, pred[name], strict=True)
                for i in range(len(p))
                if p[i] != s.lemmas[i]
            )
            for (upos, form, gold, got), c in errs.most_common(args.errors):
                print(f"    {c:3d} {upos:6s} {form} gold={gold} got={got}")
    for lem in systems.values():
        if hasattr(lem, "close"):
            lem.close()

    ours = results[args.backend]
    pairs = {
        "file": args.conllu.name,
        "split": split,
        "tokens": n_tok,
        "backend": args.backend,
        "workers": args.workers,
        "accuracy_all": f"{ours['accuracy_all']:.4f}",
        "accuracy_content": f"{ours['accuracy_content']:.4f}",
        "unknown_rate": f"{ours['unknown_rate']:.4f}",
        "tokens_per_s": f"{ours['tokens_per_s']:.0f}",
        "warm_tokens_per_s": f"{ours['warm_tokens_per_s']:.0f}",
    }
    if args.baseline != "none":
        base = results[args.baseline]
        key = args.baseline.split(".")[0].replace("-", "_")  # spacy-fi.v1 -> spacy_fi
        pairs.update(
            {
                f"{key}_accuracy_all": f"{base['accuracy_all']:.4f}",
                f"{key}_accuracy_content": f"{base['accuracy_content']:.4f}",
                f"{key}_tokens_per_s": f"{base['tokens_per_s']:.0f}",
                "speedup": f"{ours['tokens_per_s'] / base['tokens_per_s']:.1f}",
            }
        )
    print(" ".join(f"{k}={v}" for k, v in pairs.items()))


if __name__ == "__main__":
    main()
