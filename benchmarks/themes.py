"""Theme discovery benchmark: ilmio's topic stage vs BERTopic (default and configured with care)
vs LDA, same embeddings.

    python benchmarks/themes.py --jsonl ../shared/data/eduskunta_vkk/dev.jsonl

Input: JSONL with `id`, `text`, `label`. Each text is one segment. Prints for each system NMI,
ARI, number of themes and outlier share against `label` (outliers count as one more cluster);
for ilmio and BERTopic also the ARI between two fits with different seeds and between a fit on
shuffled input and the original. The last line is machine-readable `key=value` pairs.

ilmio here is the topic stage alone (`fit_topics`, every text a segment): the whole topic and
theme stages, before and after, on seven corpora are in benchmarks/theme_corpora.py.

"BERTopic with care" is what a careful user would configure for Finnish: c-TF-IDF over our
lemmas with the Finnish stop-word list (BERTopic's default vectorizer sees inflected surface
forms and no stop words), UMAP seeded, HDBSCAN's `min_cluster_size` scaled to the corpus
(`n / CARE_DOCS_PER_MIN_CLUSTER`, at least 10) with leaf cluster selection (the default "eom"
put Ylilauta dev into 2 topics, NMI 0.02; leaf gives 24 topics, NMI 0.35, and the same NMI as
"eom" on Eduskunta dev), and outliers reduced to the nearest topic embedding
(`reduce_outliers(strategy="embeddings")`), keywords updated after.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.config import load_params  # noqa: E402


def read_jsonl(path: Path, limit: int | None) -> pd.DataFrame:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    frame = pd.DataFrame(rows)[["id", "text", "label"]].astype(str)
    return frame.head(limit) if limit else frame


def embeddings_for(texts: list[str], params, cache_dir: Path) -> np.ndarray:
    """Embeddings of `texts`, cached on disk by content hash and model identity."""
    from pipeline.config import resolve
    from pipeline.nlp import embedders

    embedder = embedders.load(resolve(params.embed.model))
    key = hashlib.sha256(("\n".join(texts) + embedder.identity + params.embed.prefix).encode())
    path = cache_dir / f"bench-{key.hexdigest()[:16]}.npy"
    if path.exists():
        return np.load(path)
    start = time.perf_counter()
    vectors = embedder.encode(texts, prefix=params.embed.prefix, batch_size=params.embed.batch_size)
    print(f"embedded {len(texts)} texts in {time.perf_counter() - start:.0f} s", flush=True)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def segments_of(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "segment_id": frame["id"],
            "doc_id": frame["id"],
            "n": 1,
            "text": frame["text"],
            "lang": "fi",
            "boilerplate": False,
        }
    ).astype({"n": "int64"})


def lemmas_of(segments: pd.DataFrame, params) -> pd.DataFrame:
    from pipeline.stages.lemmatise import lemmatise_with_params

    return lemmatise_with_params(segments, params.lemmatise)


def ilmio_labels(segments, lemmas, vectors, params, seed: int) -> np.ndarray:
    from pipeline.stages.topics import fit_topics

    doc_types = pd.Series("all", index=segments["doc_id"].to_numpy())
    result = fit_topics(segments, lemmas, vectors, doc_types, params.topics, seed=seed)
    by_id = result.segment_topics.set_index("segment_id")["topic"]
    return by_id.loc[segments["segment_id"]].to_numpy()


def seeded_umap(seed: int):
    """BERTopic's default UMAP settings, with a seed."""
    from umap import UMAP

    return UMAP(
        n_neighbors=15,
        n_components=5,
        min_dist=0.0,
        metric="cosine",
        low_memory=False,
        random_state=seed,
    )


def bertopic_labels(texts: list[str], vectors: np.ndarray, params, seed: int | None) -> np.ndarray:
    """BERTopic with its defaults; only the embedding model is explicit (and the UMAP seed)."""
    from bertopic import BERTopic

    from pipeline.config import resolve
    from pipeline.nlp import embedders

    embedder = embedders.BertopicEmbedder(
        embedders.load(resolve(params.embed.model)), params.embed.prefix
    )
    kwargs = {}
    if seed is not None:  # BERTopic's default UMAP settings, plus a seed
        kwargs["umap_model"] = seeded_umap(seed)
    model = BERTopic(embedding_model=embedder, **kwargs)
    topics, _ = model.fit_transform(texts, embeddings=vectors)
    return np.asarray(topics)


CARE_DOCS_PER_MIN_CLUSTER = 200  # min_cluster_size = n / 200: 15 on Eduskunta dev, 50 on Ylilauta
CARE_SELECTION = "leaf"  # "eom" put Ylilauta dev in 2 topics (NMI 0.02); leaf: 24 (0.35)


def bertopic_care_labels(
    texts: list[str], lemmas: pd.DataFrame, vectors: np.ndarray, params, seed: int
) -> np.ndarray:
    """BERTopic configured with care for Finnish (see the module docstring)."""
    from bertopic import BERTopic
    from hdbscan import HDBSCAN
    from sklearn.feature_extraction.text import CountVectorizer

    from pipeline import io
    from pipeline.config import resolve

    stop = io.read_wordlist(resolve(params.lemmatise.stopwords))
    docs = [" ".join(w for w in words if w not in stop) for words in lemmas["lemmas"]]
    vectorizer = CountVectorizer(tokenizer=str.split, lowercase=False, token_pattern=None)
    model = BERTopic(
        embedding_model=None,
        umap_model=seeded_umap(seed),
        hdbscan_model=HDBSCAN(
            min_cluster_size=max(10, len(texts) // CARE_DOCS_PER_MIN_CLUSTER),
            min_samples=5,
            metric="euclidean",
            cluster_selection_method=CARE_SELECTION,
            prediction_data=True,
        ),
        vectorizer_model=vectorizer,
        language="multilingual",
    )
    topics, _ = model.fit_transform(docs, embeddings=vectors)
    if -1 in topics:  # reduce_outliers refuses a fit without outliers
        topics = model.reduce_outliers(docs, topics, strategy="embeddings", embeddings=vectors)
        model.update_topics(docs, topics=topics, vectorizer_model=vectorizer)
    return np.asarray(topics)


def baseline_scores(path: Path, params_path: Path = ROOT / "params.yaml") -> dict[str, dict]:
    """BERTopic default, BERTopic with care and LDA on one JSONL file, as {system: scores}."""
    params = load_params(params_path)
    frame = read_jsonl(path, None)
    texts = frame["text"].tolist()
    vectors = embeddings_for(texts, params, ROOT / "data" / "work" / "bench_cache")
    lemmas = lemmas_of(segments_of(frame), params)
    truth = frame["label"]
    return {
        "bertopic_default": scores(bertopic_labels(texts, vectors, params, params.seed), truth),
        "bertopic_care": scores(
            bertopic_care_labels(texts, lemmas, vectors, params, params.seed), truth
        ),
        "lda": scores(lda_labels(lemmas, truth.nunique(), params.seed), truth),
    }


def lda_labels(lemmas: pd.DataFrame, k: int, seed: int) -> np.ndarray:
    from sklearn.decomposition import LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer

    docs = lemmas["lemmas"].map(" ".join)
    counts = CountVectorizer(
        tokenizer=str.split, lowercase=False, token_pattern=None, min_df=2
    ).fit_transform(docs)
    lda = LatentDirichletAllocation(n_components=k, random_state=seed, learning_method="batch")
    return lda.fit_transform(counts).argmax(axis=1)


def scores(labels: np.ndarray, truth: pd.Series) -> dict[str, float]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    return {
        "nmi": round(normalized_mutual_info_score(truth, labels), 4),
        "ari": round(adjusted_rand_score(truth, labels), 4),
        "themes": len(set(labels.tolist()) - {-1}),
        "outliers": round(float((labels == -1).mean()), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jsonl", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--params", type=Path, default=ROOT / "params.yaml")
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--cache", type=Path, default=ROOT / "data" / "work" / "bench_cache")
    parser.add_argument("--skip-bertopic", action="store_true")
    args = parser.parse_args()
    from sklearn.metrics import adjusted_rand_score

    params = load_params(args.params, args.overrides)
    frame = read_jsonl(args.jsonl, args.limit)
    texts = frame["text"].tolist()
    vectors = embeddings_for(texts, params, args.cache)
    segments = segments_of(frame)
    lemmas = lemmas_of(segments, params)
    truth = frame["label"]
    out: dict[str, float] = {}

    start = time.perf_counter()
    ilmio = ilmio_labels(segments, lemmas, vectors, params, params.seed)
    fit_s = time.perf_counter() - start
    ilmio_seed = ilmio_labels(segments, lemmas, vectors, params, params.seed + 1)
    perm = np.random.default_rng(0).permutation(len(frame))
    shuffled = ilmio_labels(
        segments.iloc[perm].reset_index(drop=True),
        lemmas.iloc[perm].reset_index(drop=True),
        vectors[perm],
        params,
        params.seed,
    )
    back = np.empty_like(shuffled)
    back[perm] = shuffled
    s = scores(ilmio, truth)
    print(
        f"ilmio     nmi={s['nmi']} ari={s['ari']} themes={s['themes']} "
        f"outliers={s['outliers']} fit_s={fit_s:.1f}"
    )
    out.update({f"ilmio_{k}": v for k, v in s.items()})
    out["ilmio_seed_ari"] = round(adjusted_rand_score(ilmio, ilmio_seed), 4)
    out["ilmio_shuffle_ari"] = round(adjusted_rand_score(ilmio, back), 4)

    if not args.skip_bertopic:
        b1 = bertopic_labels(texts, vectors, params, seed=params.seed)
        b2 = bertopic_labels(texts, vectors, params, seed=params.seed + 1)
        b3 = bertopic_labels([texts[i] for i in perm], vectors[perm], params, seed=params.seed)
        b_back = np.empty_like(b3)
        b_back[perm] = b3
        s = scores(b1, truth)
        print(
            f"bertopic  nmi={s['nmi']} ari={s['ari']} themes={s['themes']} outliers={s['outliers']}"
        )
        out.update({f"bertopic_{k}": v for k, v in s.items()})
        out["bertopic_seed_ari"] = round(adjusted_rand_score(b1, b2), 4)
        out["bertopic_shuffle_ari"] = round(adjusted_rand_score(b1, b_back), 4)
        s = scores(bertopic_care_labels(texts, lemmas, vectors, params, params.seed), truth)
        print(
            f"bertopic+care nmi={s['nmi']} ari={s['ari']} themes={s['themes']} "
            f"outliers={s['outliers']}"
        )
        out.update({f"bertopic_care_{k}": v for k, v in s.items()})

    k = truth.nunique()
    s = scores(lda_labels(lemmas, k, params.seed), truth)
    print(f"lda(k={k}) nmi={s['nmi']} ari={s['ari']} themes={s['themes']}")
    out.update({f"lda_{k_}": v for k_, v in s.items()})
    print(" ".join(f"{k}={v}" for k, v in out.items()))


if __name__ == "__main__":
    main()
