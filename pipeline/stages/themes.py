"""From segment topics to document themes, matched to the theme registry.

A document's themes are the topics that cover at least `themes.min_share` of its content words
(segments that are not boilerplate); its primary theme covers the most. Counts are by document
and by distinct (pseudonymous) client: fifty notes about one person are not fifty people.

Reads:  06_segment_topics.parquet, 06_topics.parquet, 06_centroids.npy, 03_segments.parquet,
        02_redacted.parquet, configs/theme_registry.yaml
Writes: 07_doc_themes.parquet, 07_themes.parquet, metrics/themes.json
Params: params.yaml > themes
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from pipeline import artefacts
from pipeline.config import Params, resolve
from pipeline.contract import Stage
from pipeline.schemas import explode_themes
from pipeline.suppression import counting_keys
from pipeline.workgroup.registry.matching import match_topics
from pipeline.workgroup.registry.store import Registry, load_registry, registry_files

log = logging.getLogger(__name__)


def doc_theme_shares(segment_topics: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """doc_id, topic, share of the document's content words, mean segment probability."""
    seg = segments.loc[~segments["boilerplate"], ["segment_id", "doc_id", "text"]].copy()
    seg["words"] = seg["text"].str.split().str.len().clip(lower=1)
    seg = seg.merge(segment_topics[["segment_id", "topic", "probability"]], on="segment_id")
    totals = seg.groupby("doc_id")["words"].sum()
    themed = seg[seg["topic"] >= 0]
    if themed.empty:  # no topic at all (too little data): every document is without a theme
        return pd.DataFrame(
            {
                "doc_id": pd.Series(dtype=object),
                "topic": pd.Series(dtype="int64"),
                "share": pd.Series(dtype=float),
                "probability": pd.Series(dtype=float),
            }
        )
    shares = (
        themed.groupby(["doc_id", "topic"], sort=True)
        .agg(words=("words", "sum"), probability=("probability", "mean"))
        .reset_index()
    )
    shares["share"] = shares["words"] / shares["doc_id"].map(totals)
    return shares[["doc_id", "topic", "share", "probability"]]


def doc_themes_frame(
    doc_ids: pd.Series, shares: pd.DataFrame, theme_of: dict[int, str], *, min_share: float
) -> pd.DataFrame:
    """DOC_THEMES: every document once, sorted by doc_id; unthemed documents have ""."""
    shares = shares.assign(theme_id=shares["topic"].map(theme_of))
    shares = shares[shares["theme_id"].notna()]
    # Topics folded into one theme (merges) add up.
    shares = (
        shares.groupby(["doc_id", "theme_id"], sort=True)
        .agg(share=("share", "sum"), probability=("probability", "mean"))
        .reset_index()
    )
    by_doc = {d: g for d, g in shares.groupby("doc_id", sort=False)}
    rows = []
    for doc_id in sorted(doc_ids):
        group = by_doc.get(doc_id)
        if group is None:
            rows.append({"doc_id": doc_id, "theme_id": "", "theme_ids": "", "probability": 0.0})
            continue
        # Highest share first; ties by theme id so the result is order-free.
        ranked = group.sort_values(["share", "theme_id"], ascending=[False, True])
        kept = ranked[ranked["share"] >= min_share]
        kept = kept if len(kept) else ranked.head(1)
        primary = kept.iloc[0]
        rows.append(
            {
                "doc_id": doc_id,
                "theme_id": primary["theme_id"],
                "theme_ids": ";".join(sorted(kept["theme_id"])),
                "probability": round(float(primary["share"]), 4),
            }
        )
    return pd.DataFrame(rows, columns=["doc_id", "theme_id", "theme_ids", "probability"])


def themes_frame(
    topics: pd.DataFrame, matches: pd.DataFrame, doc_themes: pd.DataFrame, docs: pd.DataFrame
) -> pd.DataFrame:
    """THEMES plus counts: n_docs, n_clients, n_primary. Sorted by theme_id."""
    keyed = docs[["doc_id"]].assign(client=counting_keys(docs))
    pairs = explode_themes(doc_themes).merge(keyed, on="doc_id")
    n_docs = pairs.groupby("theme_id")["doc_id"].nunique()
    n_clients = pairs.groupby("theme_id")["client"].nunique()
    n_primary = doc_themes.loc[doc_themes["theme_id"] != "", "theme_id"].value_counts()
    table = topics.merge(matches, on="topic")
    table = table.assign(
        label=table["name"],
        n_docs=table["theme_id"].map(n_docs).fillna(0).astype("int64"),
        n_clients=table["theme_id"].map(n_clients).fillna(0).astype("int64"),
        n_primary=table["theme_id"].map(n_primary).fillna(0).astype("int64"),
    )
    columns = [
        "theme_id",
        "topic",
        "label",
        "keywords",
        "status",
        "is_new",
        "size",
        "n_docs",
        "n_clients",
        "n_primary",
    ]
    return table[columns].sort_values("theme_id").reset_index(drop=True)


def assign_themes(
    segment_topics: pd.DataFrame,
    topics: pd.DataFrame,
    centroids: np.ndarray,
    segments: pd.DataFrame,
    docs: pd.DataFrame,
    registry: Registry,
    *,
    min_share: float,
    match_threshold: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(doc_themes, themes). Pure."""
    matches = match_topics(topics, centroids, registry, threshold=match_threshold)
    # Rejected themes vanish; a topic of a merged theme counts for the theme it merged into.
    theme_of = {
        int(t): (into if s == "merged" and into else str(i))
        for t, i, s, into in zip(
            matches["topic"],
            matches["theme_id"],
            matches["status"],
            matches["merged_into"],
            strict=True,
        )
        if s != "rejected" and not (s == "merged" and not into)
    }
    shares = doc_theme_shares(segment_topics, segments)
    doc_themes = doc_themes_frame(docs["doc_id"], shares, theme_of, min_share=min_share)
    themes = themes_frame(topics, matches, doc_themes, docs)
    themes = themes[~themes["status"].isin(["rejected", "merged"])].reset_index(drop=True)
    return doc_themes, themes


def theme_metrics(
    doc_themes: pd.DataFrame, themes: pd.DataFrame, docs: pd.DataFrame | None = None
) -> dict:
    """Counts, plus agreement with a gold `label` column when the documents carry one."""
    from pipeline.evaluation import label_agreement

    labels = (
        docs.set_index("doc_id")["label"]
        if docs is not None and "label" in docs
        else pd.Series(dtype=str)
    )
    return {
        **label_agreement(doc_themes, labels),
        "n_docs": len(doc_themes),
        "n_themes": len(themes),
        "n_new_themes": int(themes["is_new"].sum()),
        "docs_without_theme": int((doc_themes["theme_id"] == "").sum()),
        "docs_with_several_themes": int(doc_themes["theme_ids"].str.contains(";").sum()),
    }


def run(inputs: dict, params: Params) -> tuple[dict, dict]:
    """The stage: segment topics -> document themes and the theme table, registry ids."""
    docs = inputs["redacted"]
    doc_themes, themes = assign_themes(
        inputs["segment_topics"],
        inputs["topics"],
        inputs["centroids"],
        inputs["segments"],
        docs,
        load_registry(resolve(params.themes.registry)),
        min_share=params.themes.min_share,
        match_threshold=params.themes.match_threshold,
    )
    return {"doc_themes": doc_themes, "themes": themes}, theme_metrics(doc_themes, themes, docs)


STAGE = Stage(
    name="themes",
    help="document themes, matched to the theme registry",
    inputs=(
        artefacts.SEGMENT_TOPICS,
        artefacts.TOPICS,
        artefacts.CENTROIDS,
        artefacts.SEGMENTS,
        artefacts.REDACTED,
    ),
    outputs=(artefacts.DOC_THEMES, artefacts.THEMES),
    params=("themes",),
    run=run,
    files=lambda params: registry_files(resolve(params.themes.registry)),
)
