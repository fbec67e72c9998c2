"""Train the voikko-ctx disambiguation model on half of the UD Finnish dev documents.

    python -m pipeline.nlp.train_lemmas [--ud-dir ../shared/data/ud] [--out FILE]

Holdout: a document goes to training when crc32(document id) % 10 < 5, else it is held out for
measurement (`benchmarks/lemmas.py` evaluates only held-out sentences of these files). The
document id is the TDT sentence id before the dot (`b204.3` -> `b204`: whole articles stay on
one side); FTB sentences are independent grammar examples, so each sentence is its own document.

The model is an averaged perceptron over readings (POS, lemma) of *ambiguous* forms only, stored
as JSON (feature -> weight), never pickle.
"""

from __future__ import annotations

import argparse
import json
import random
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TRAIN_FILES = ("fi_tdt-ud-dev.conllu", "fi_ftb-ud-dev.conllu")
TRAIN_BUCKETS = 5  # of 10
# Adpositions and adverbs common in social-work notes, beside those seen in training.
HAND_CLOSED = frozenset(
    [
        "mukaan",
        "mukaisesti",
        "vuoksi",
        "takia",
        "kautta",
        "aikana",
        "ajan",
        "jälkeen",
        "edessä",
        "edestä",
        "eteen",
        "takana",
        "takaa",
        "taakse",
        "luona",
        "luota",
        "luokse",
        "kanssa",
        "puolesta",
        "puolelta",
        "puolelle",
        "puolella",
        "osalta",
        "suhteen",
        "sijaan",
        "lisäksi",
        "lisää",
        "ilman",
        "vastaan",
        "kohti",
        "ympäri",
        "yli",
        "ali",
        "alla",
        "alta",
        "alle",
        "päällä",
        "päältä",
        "päälle",
        "sisällä",
        "sisältä",
        "sisälle",
        "ulkona",
        "ulkoa",
        "ulos",
        "välillä",
        "välissä",
        "välistä",
        "väliin",
        "ohella",
        "ohessa",
        "myötä",
        "avulla",
        "avulle",
        "tähden",
        "varten",
        "kesken",
        "keskellä",
        "keskeltä",
        "lähellä",
        "läheltä",
        "lähelle",
        "paljon",
        "vähän",
        "usein",
        "kotona",
        "kotiin",
        "kotoa",
        "yhdessä",
        "erikseen",
        "aikaisemmin",
        "myöhemmin",
        "aiemmin",
        "nykyään",
        "tällöin",
        "silloin",
        "esimerkiksi",
        "erityisesti",
        "huolimatta",
        "koskien",
        "liittyen",
        "perusteella",
        "vuoden",
        "vuosittain",
        "viikoittain",
        "päivittäin",
        "kuukausittain",
        "asti",
        "saakka",
        "mennessä",
        "alkaen",
        "lähtien",
    ]
)


@dataclass(frozen=True)
class Sentence:
    sent_id: str
    forms: list[str]
    lemmas: list[str]  # gold, `#` compound marks stripped
    upos: list[str]


def read_conllu(path: Path) -> Iterator[Sentence]:
    """Syntactic words (integer ids) of each sentence; multi-word token lines skipped."""
    sent_id, forms, lemmas, upos = "", [], [], []
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line:
                if forms:
                    yield Sentence(sent_id, forms, lemmas, upos)
                sent_id, forms, lemmas, upos = "", [], [], []
            elif line.startswith("#"):
                if line.startswith("# sent_id"):
                    sent_id = line.split("=", 1)[1].strip()
            else:
                cols = line.split("\t")
                if not cols[0].isdigit():
                    continue
                forms.append(cols[1])
                lemmas.append(cols[2] if cols[2] == "#" else cols[2].replace("#", ""))
                upos.append(cols[3])
    if forms:
        yield Sentence(sent_id, forms, lemmas, upos)


def document_id(path: Path, sent_id: str) -> str:
    name = Path(path).name
    return f"{name}:{sent_id.split('.')[0] if 'tdt' in name else sent_id}"


def is_training(path: Path, sent_id: str) -> bool:
    """The fixed holdout rule; only the files in TRAIN_FILES have a training part."""
    if Path(path).name not in TRAIN_FILES:
        return False
    return zlib.crc32(document_id(path, sent_id).encode()) % 10 < TRAIN_BUCKETS


def train(
    paths: list[Path],
    epochs: int = 16,
    seed: int = 13,
    vocab_size: int = 400,
    min_memory: int = 2,
    convention: str = "fi_tdt",
) -> dict:
    from pipeline.nlp.lemmatisers import VoikkoContextLemmatiser

    lem = VoikkoContextLemmatiser(model_path=None)
    sents, domains = [], []
    for p in paths:
        for s in read_conllu(p):
            if is_training(p, s.sent_id):
                sents.append(s)
                domains.append(Path(p).name.split("-")[0])
    counts = Counter(f.lower() for s in sents for f in s.forms)
    lem.vocab = frozenset(w for w, _ in counts.most_common(vocab_size))
    # Memory: lemmas no reading offers, seen at least twice (`et` -> `että`, `sitte` -> `sitten`)
    missing: Counter[tuple[str, str]] = Counter()
    for s in sents:
        for form, gold in zip(s.forms, s.lemmas, strict=True):
            info = lem.info(form)
            if info.pos in ("PUNCT", "NUM"):
                continue
            offered = {r.lemma for r in info.readings} or {info.lemma}
            if gold not in offered:
                missing[(form.lower(), gold)] += 1
    memory: dict[str, list[str]] = {}
    for (form, gold), c in sorted(missing.items()):
        if c >= min_memory:
            memory.setdefault(form, []).append(gold)
    lem.memory = memory
    # Closed-class forms that are their own lemma (adverbs, adpositions: `paljon`, `vuoksi`)
    closed = {
        f.lower()
        for s in sents
        for f, lemma, upos in zip(s.forms, s.lemmas, s.upos, strict=True)
        if upos in ("ADV", "ADP", "SCONJ", "CCONJ", "INTJ", "PART") and lemma == f.lower()
    }
    closed |= HAND_CLOSED
    lem.closed = frozenset(closed)
    lem.cache.clear()
    examples = []  # (list of feature lists per reading, indices of correct readings)
    n_tokens = n_amb = n_cover = 0
    for s, dom in zip(sents, domains, strict=True):
        infos = [lem.info(f) for f in s.forms]
        for i, info in enumerate(infos):
            n_tokens += 1
            if not info.readings:
                continue
            n_amb += 1
            gold = [k for k, r in enumerate(info.readings) if r.lemma == s.lemmas[i]]
            if not gold:
                continue
            # Prefer the reading with the gold POS too: the stage keeps nouns/verbs/adjectives
            # by the chosen reading's POS, so same-lemma readings must be ranked sensibly.
            gold = [k for k in gold if info.readings[k].pos == s.upos[i]] or gold
            n_cover += 1
            ctx = lem.context_features(s.forms, infos, i)
            feats = [list(r.feats) + [f"{r.pos}^{c}" for c in ctx] for r in info.readings]
            # "Frustratingly easy" domain adaptation: a general copy of each feature plus one per
            # treebank, because FTB lemmatises differently (proper nouns lower-case: `suomi`,
            # `ne` not `se`). Inference uses general + TDT, the UD and spacy-fi convention.
            feats = [fs + [f"{dom}#{f}" for f in fs] for fs in feats]
            examples.append((feats, gold))
    weights: dict[str, float] = {}
    totals: dict[str, float] = {}
    stamps: dict[str, int] = {}
    step = 0
    rng = random.Random(seed)

    def update(f: str, delta: float) -> None:
        totals[f] = totals.get(f, 0.0) + (step - stamps.get(f, 0)) * weights.get(f, 0.0)
        stamps[f] = step
        weights[f] = weights.get(f, 0.0) + delta

    for _ in range(epochs):
        rng.shuffle(examples)
        for feats, gold in examples:
            step += 1
            scores = [sum(weights.get(f, 0.0) for f in fs) for fs in feats]
            pred = max(range(len(feats)), key=scores.__getitem__)
            if pred in gold:
                continue
            truth = max(gold, key=scores.__getitem__)
            for f in feats[truth]:
                update(f, 1.0)
            for f in feats[pred]:
                update(f, -1.0)
    averaged: dict[str, float] = {}
    for f, w in weights.items():
        total = totals.get(f, 0.0) + (step - stamps.get(f, 0)) * w
        avg = total / max(step, 1)
        if f.startswith(("fi_tdt#", "fi_ftb#")) and not f.startswith(f"{convention}#"):
            continue  # other treebanks' conventions are dropped
        key = f.split("#", 1)[1] if f.startswith(f"{convention}#") else f
        averaged[key] = averaged.get(key, 0.0) + avg
    averaged = {f: round(w, 4) for f, w in averaged.items() if round(w, 4)}
    return {
        "model": "voikko-ctx averaged perceptron over Voikko readings",
        "trained_on": [Path(p).name for p in paths],
        "holdout_rule": "crc32(document id) % 10 >= 5 is held out (see pipeline/nlp/train_lemmas)",
        "train_tokens": n_tokens,
        "train_ambiguous_tokens": n_amb,
        "train_examples": n_cover,
        "epochs": epochs,
        "convention": convention,
        "seed": seed,
        "context_vocab": sorted(lem.vocab),
        "memory": memory,
        "closed_forms": sorted(lem.closed),
        "weights": dict(sorted(averaged.items())),
    }


def main() -> None:
    from pipeline.nlp.lemmatisers import MODEL_PATH

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--ud-dir", type=Path, default=Path(__file__).resolve().parents[3] / "shared/data/ud"
    )
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--epochs", type=int, default=16)
    args = parser.parse_args()
    model = train([args.ud_dir / name for name in TRAIN_FILES], epochs=args.epochs)
    args.out.write_text(
        json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(
        f"wrote {args.out}: {len(model['weights'])} weights, "
        f"{model['train_examples']} training examples of {model['train_tokens']} tokens"
    )


if __name__ == "__main__":
    main()
