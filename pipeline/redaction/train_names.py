"""Train the name tagger (`tagger.py`) on the Turku NER and TurkuONE training splits.

    python -m pipeline.redaction.train_names [--data ../shared/data/turku_ner] [--out FILE]
    python -m pipeline.redaction.train_names --cv 5      # cross-validated token figures only

Training data (see `data/README.md`): every sentence of `turku_ner_train.jsonl` and the part of
`turku_one_train.jsonl` that is not the Turku NER text again. TurkuONE re-annotates the Turku NER
corpus (its first ~17,800 sentences are the same documents, tokenised a little differently) and
adds other texts; training on both copies would count those documents twice and let a
cross-validation fold see its own documents under another tokenisation. Sentences identical to
one of `turku_ner_dev.jsonl` (a few boilerplate lines of EU law, no names) are left out, so
dev stays unseen. Labels come from each sentence's `spans` (PERSON, LOC, ORG) and, for other
names (products, events, works, facilities: MISC), from its IOB `tags`; all else is O.

Folds by document: a Turku NER sentence goes to fold `doc % K` (its `doc` field); TurkuONE has
no document field, so its sentences go to K contiguous blocks in file order (a document is a run
of consecutive sentences: only a document cut by one of the K-1 block edges can have sentences
on both sides).

Deterministic: CRFsuite's L-BFGS has no random step and the data are read in file order, so the
same data and settings give the same model file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import PROJECT_ROOT
from pipeline.redaction.tagger import (
    CLUSTERS_PATH,
    DOCUMENT_BLOCK,
    MODEL_PATH,
    Featuriser,
    WordClusters,
)

log = logging.getLogger(__name__)

DEFAULT_DATA = PROJECT_ROOT.parent / "shared" / "data" / "turku_ner"
NER_TRAIN = "turku_ner_train.jsonl"
ONE_TRAIN = "turku_one_train.jsonl"
DEV = "turku_ner_dev.jsonl"
LABEL_TAG = {"PERSON": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG"}
# Other names (products, events, works, facilities) from the IOB tags: a capitalised word the
# rules take for a name is often one of these (`Lumia`, `Iron Sky`), and the tagger can say so.
MISC_TAGS = frozenset({"PRO", "PRODUCT", "EVENT", "WORK_OF_ART", "FAC"})
# L1 keeps the model small (a few MB) by dropping features that do not help; L2 smooths.
CRF_PARAMS = {
    "c1": 0.1,
    "c2": 0.1,
    "max_iterations": 150,
    "feature.possible_transitions": True,
}


@dataclass(frozen=True)
class Sentence:
    source: str  # "ner" or "one"
    fold_key: int  # Turku NER: doc id; TurkuONE: position among the kept sentences
    doc: int  # Turku NER: doc id; TurkuONE: block of DOCUMENT_BLOCK consecutive sentences
    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    text: str


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _tags(row: dict) -> tuple[str, ...]:
    tags = ["MISC" if t[2:] in MISC_TAGS else "O" for t in row["tags"]]
    for span in row.get("spans", []):
        tag = LABEL_TAG.get(span["label"])
        if tag:
            for i in range(span["tok_start"], span["tok_end"]):
                tags[i] = tag
    return tuple(tags)


def turkuone_start(one: Sequence[dict], ner_texts: set[str]) -> int:
    """Index of the first TurkuONE sentence after its copy of the Turku NER corpus: one past the
    last place where two consecutive sentences are Turku NER sentences."""
    last = -1
    for i in range(len(one) - 1):
        if one[i]["text"] in ner_texts and one[i + 1]["text"] in ner_texts:
            last = i + 1
    return last + 1


def training_rows(data_dir: Path) -> tuple[list[dict], list[dict]]:
    """The Turku NER and TurkuONE rows that training uses, in file order."""
    ner = _read(data_dir / NER_TRAIN)
    one = _read(data_dir / ONE_TRAIN)
    dev_path = data_dir / DEV
    dev_texts = {r["text"] for r in _read(dev_path)} if dev_path.exists() else set()
    ner_texts = {r["text"] for r in ner}
    start = turkuone_start(one, ner_texts)
    kept = [r for r in one[start:] if r["text"] not in ner_texts and r["text"] not in dev_texts]
    log.info("TurkuONE after its copy of Turku NER: from sentence #%d", start)
    return [r for r in ner if r["text"] not in dev_texts], kept


def load_training(data_dir: Path) -> list[Sentence]:
    """The training sentences in file order (see the module docstring for what is kept)."""
    ner, kept = training_rows(data_dir)
    out = [
        Sentence("ner", int(r["doc"]), int(r["doc"]), tuple(r["tokens"]), _tags(r), r["text"])
        for r in ner
    ]
    out += [
        Sentence("one", n, n // DOCUMENT_BLOCK, tuple(r["tokens"]), _tags(r), r["text"])
        for n, r in enumerate(kept)
    ]
    log.info("training sentences: %d Turku NER, %d TurkuONE", len(ner), len(kept))
    return out


def fold_of(sentence: Sentence, k: int, n_one: int) -> int:
    """The cross-validation fold of a sentence (documents never straddle folds; see above)."""
    if sentence.source == "ner":
        return sentence.fold_key % k
    return sentence.fold_key * k // max(n_one, 1)


def folds(sentences: Sequence[Sentence], k: int) -> list[int]:
    n_one = sum(s.source == "one" for s in sentences)
    return [fold_of(s, k, n_one) for s in sentences]


def featurise(sentences: Sequence[Sentence], featuriser: Featuriser) -> list[list[list[str]]]:
    """Each sentence's features, its document's features included. A document is its
    sentences among `sentences`: a fold's (a TurkuONE block cut by a fold edge is cut there)."""
    members: dict[tuple, list[int]] = {}
    for n, s in enumerate(sentences):
        members.setdefault((s.source, s.doc), []).append(n)
    out: list[list[list[str]]] = [[] for _ in sentences]
    for ns in members.values():
        document = featuriser.document([sentences[n].tokens for n in ns])
        for n, context in zip(ns, document, strict=True):
            out[n] = featuriser.sequence(sentences[n].tokens, context)
    return out


def training_words(sentences: Iterable[Sentence]) -> list[str]:
    """The distinct word forms (starting with a letter) the word clusters are fitted on."""
    return sorted({w for s in sentences for w in s.tokens if w[:1].isalpha()})


def fold_models(data_dir: Path, k: int, cache: Path) -> list[Path]:
    """K models, model i trained on every fold but i; kept in `cache` and reused (the training
    is deterministic, and the file name carries the settings)."""
    sentences = load_training(data_dir)
    assigned = folds(sentences, k)
    from pipeline.redaction import tagger

    code = (
        Path(tagger.__file__).read_bytes()
        + CLUSTERS_PATH.read_bytes()
        + json.dumps(CRF_PARAMS, sort_keys=True).encode()
    )
    tag = hashlib.sha256(code).hexdigest()[:12]
    featuriser: Featuriser | None = None
    out = []
    for i in range(k):
        path = cache / f"names_cv{k}_fold{i}_{tag}.crfsuite"
        if not path.exists():
            featuriser = featuriser or Featuriser(open_morphology(), WordClusters.load())
            part = [s for s, f in zip(sentences, assigned, strict=True) if f != i]
            log.info("training fold %d of %d (%d sentences)", i, k, len(part))
            train(part, path, featuriser)
        out.append(path)
    return out


def open_morphology():
    from pipeline.nlp.voikko import open_voikko
    from pipeline.redaction.names import Morphology

    return Morphology(open_voikko())


def train(sentences: Sequence[Sentence], out: Path, featuriser: Featuriser) -> Path:
    """Fit the CRF on `sentences` and write the model to `out`."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for s, features in zip(sentences, featurise(sentences, featuriser), strict=True):
        trainer.append(features, list(s.tags))
    trainer.set_params(CRF_PARAMS)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return out


def token_scores(model: Path, sentences: Sequence[Sentence], featuriser: Featuriser, t: float):
    """(PER tokens, PER found at marginal >= t, tokens with marginal >= t): the CRF alone."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    gold = hit = flagged = 0
    for s, features in zip(sentences, featurise(sentences, featuriser), strict=True):
        tagger.set(features)
        for pos, tag in enumerate(s.tags):
            p = tagger.marginal("PER", pos)
            gold += tag == "PER"
            flagged += p >= t
            hit += p >= t and tag == "PER"
    return gold, hit, flagged


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--clusters", type=Path, default=CLUSTERS_PATH, help="word clusters")
    parser.add_argument("--cv", type=int, default=0, help="K-fold figures of the CRF alone")
    parser.add_argument("--threshold", type=float, default=0.2, help="for --cv figures")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    sentences = load_training(args.data)
    if args.cv:
        featuriser = Featuriser(open_morphology(), WordClusters.load(args.clusters))
        import tempfile

        assigned = folds(sentences, args.cv)
        totals = [0, 0, 0]
        with tempfile.TemporaryDirectory() as tmp:
            for k in range(args.cv):
                started = time.perf_counter()
                train_part = [s for s, f in zip(sentences, assigned, strict=True) if f != k]
                test_part = [s for s, f in zip(sentences, assigned, strict=True) if f == k]
                model = train(train_part, Path(tmp) / f"fold{k}.crfsuite", featuriser)
                scores = token_scores(model, test_part, featuriser, args.threshold)
                totals = [a + b for a, b in zip(totals, scores, strict=True)]
                log.info(
                    "fold %d: PER tokens %d, recall %.3f, precision %.3f (%.0f s)",
                    k,
                    scores[0],
                    scores[1] / max(scores[0], 1),
                    scores[1] / max(scores[2], 1),
                    time.perf_counter() - started,
                )
        log.info(
            "CV %d folds at marginal >= %.2f: PER recall %.4f precision %.4f",
            args.cv,
            args.threshold,
            totals[1] / max(totals[0], 1),
            totals[1] / max(totals[2], 1),
        )
        return
    started = time.perf_counter()
    clusters = WordClusters.fit(training_words(sentences))
    clusters.save(args.clusters)
    log.info("word clusters written: %s (%.0f s)", args.clusters, time.perf_counter() - started)
    clusters = WordClusters.load(args.clusters)  # as the tagger reads them (float16 centres)
    train(sentences, args.out, Featuriser(open_morphology(), clusters))
    log.info(
        "model written: %s (%.1f MB, %.0f s)",
        args.out,
        args.out.stat().st_size / 1e6,
        time.perf_counter() - started,
    )


if __name__ == "__main__":
    main()
