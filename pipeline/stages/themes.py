"""From segment topics to document themes, matched to the theme registry.

A document's themes are the topics that cover at least `themes.min_share` of its content words;
its primary theme is the phenomenon (not administrative) that covers the most. Honest
assignment: a document none of whose phenomena reaches `min_share` has no primary theme (it is
not pushed into the nearest one), and the share of such documents is in the metrics. Content
words are those of segments that are neither boilerplate nor administrative (for a phenomenon's
share; an administrative theme's share counts all non-boilerplate words). Counts are by
document and by distinct (pseudonymous) client: fifty notes about one person are not fifty
people. Each theme carries its administrative flag, its nearest themes, its parent in the
hierarchy and its representative excerpts (segment ids) from the topic stage, in theme ids.

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


def doc_theme_shares(
    segment_topics: pd.DataFrame, segments: pd.DataFrame, admin_topics: frozenset[int] = frozenset()
) -> pd.DataFrame:
    """doc_id, topic, share of the document's content words, mean segment probability.

    A phenomenon's share is of the words outside boilerplate and administrative topics; an
    administrative topic's share is of all words outside boilerplate."""
    seg = segments.loc[~segments["boilerplate"], ["segment_id", "doc_id", "text"]].copy()
    seg["words"] = seg["text"].str.split().str.len().clip(lower=1)
    seg = seg.merge(segment_topics[["segment_id", "topic", "probability"]], on="segment_id")
    totals = seg.groupby("doc_id")["words"].sum()
    is_admin = seg["topic"].isin(admin_topics)
    content_totals = seg[~is_admin].groupby("doc_id")["words"].sum()
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
    denominator = (
        shares["doc_id"]
        .map(content_totals)
        .where(~shares["topic"].isin(admin_topics), shares["doc_id"].map(totals))
    )
    shares["share"] = shares["words"] / denominator
    return shares[["doc_id", "topic", "share", "probability"]]


def doc_themes_frame(
    doc_ids: pd.Series,
    shares: pd.DataFrame,
    theme_of: dict[int, str],
    *,
    min_share: float,
    admin_themes: frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """DOC_THEMES: every document once, sorted by doc_id. `theme_ids`: every theme with at
    least `min_share` (administrative ones included, for their counts in the review);
    `theme_id`: the largest phenomenon among them, "" when none reaches `min_share`."""
    shares = shares.assign(theme_id=shares["topic"].map(theme_of))
    shares = shares[shares["theme_id"].notna()]
    # Topics folded into one theme (merges) add up.
    shares = (
        shares.groupby(["doc_id", "theme_id"], sort=True)
        .agg(share=("share", "sum"), probability=("probability", "mean"))
        .reset_index()
    )
    kept = shares[shares["share"] >= min_share - 1e-9]
    listed = kept.sort_values(["doc_id", "theme_id"]).groupby("doc_id", sort=False)["theme_id"]
    # Highest share first; ties by theme id so the result is order-free.
    primary = (
        kept[~kept["theme_id"].isin(admin_themes)]
        .sort_values(["doc_id", "share", "theme_id"], ascending=[True, False, True])
        .drop_duplicates("doc_id")
        .set_index("doc_id")
    )
    out = pd.DataFrame({"doc_id": sorted(doc_ids)})
    out["theme_id"] = out["doc_id"].map(primary["theme_id"]).fillna("")
    out["theme_ids"] = out["doc_id"].map(listed.agg(";".join)).fillna("")
    share = out["doc_id"].map(primary["share"])
    out["probability"] = [0.0 if pd.isna(v) else round(float(v), 4) for v in share]
    return out


def themes_frame(
    topics: pd.DataFrame,
    matches: pd.DataFrame,
    doc_themes: pd.DataFrame,
    docs: pd.DataFrame,
    theme_of: dict[int, str] | None = None,
) -> pd.DataFrame:
    """THEMES plus counts: n_docs, n_clients, n_primary. Sorted by theme_id.

    Nearest themes and parents arrive as topic numbers; `theme_of` turns them into theme ids
    (rejected themes dropped, merged ones folded into their target)."""
    keyed = docs[["doc_id"]].assign(client=counting_keys(docs))
    pairs = explode_themes(doc_themes).merge(keyed, on="doc_id")
    n_docs = pairs.groupby("theme_id")["doc_id"].nunique()
    n_clients = pairs.groupby("theme_id")["client"].nunique()
    n_primary = doc_themes.loc[doc_themes["theme_id"] != "", "theme_id"].value_counts()
    table = topics.merge(matches, on="topic")
    if theme_of is None:
        theme_of = dict(zip(matches["topic"], matches["theme_id"], strict=True))
    nearest = [
        related_themes(t, ids, sims, theme_of)
        for t, ids, sims in zip(table["topic"], table["nearest"], table["nearest_sim"], strict=True)
    ]
    table = table.assign(
        label=table["name"],
        nearest=[[i for i, _ in pairs] for pairs in nearest],
        nearest_sim=[[s for _, s in pairs] for pairs in nearest],
        parent=[theme_of.get(int(p), "") if p >= 0 else "" for p in table["parent"]],
        n_docs=table["theme_id"].map(n_docs).fillna(0).astype("int64"),
        n_clients=table["theme_id"].map(n_clients).fillna(0).astype("int64"),
        n_primary=table["theme_id"].map(n_primary).fillna(0).astype("int64"),
    )
    table["parent"] = [
        "" if p == own else p for p, own in zip(table["parent"], table["theme_id"], strict=True)
    ]
    columns = [
        "theme_id",
        "topic",
        "label",
        "keywords",
        "status",
        "is_new",
        "admin",
        "nearest",
        "nearest_sim",
        "parent",
        "excerpt_ids",
        "size",
        "n_docs",
        "n_clients",
        "n_primary",
    ]
    return table[columns].sort_values("theme_id").reset_index(drop=True)


# What the topic stage adds to each topic beyond its keywords, and the value a topic table
# without it (an older run's, a hand-made one) stands for.
DESCRIPTION_DEFAULTS = {
    "admin": False,
    "nearest": [],
    "nearest_sim": [],
    "parent": -1,
    "excerpt_ids": [],
}


def with_description(topics: pd.DataFrame) -> pd.DataFrame:
    """`topics` with every DESCRIPTION_DEFAULTS column (missing ones filled in)."""
    out = topics.copy()
    for column, value in DESCRIPTION_DEFAULTS.items():
        if column not in out:
            out[column] = [list(value) if isinstance(value, list) else value] * len(out)
    return out.astype({"admin": bool, "parent": "int64"})


def related_themes(
    topic: int, ids: list[int], sims: list[float], theme_of: dict[int, str]
) -> list[tuple[str, float]]:
    """A topic's nearest topics as (theme id, cosine), each theme once, never its own."""
    own = theme_of.get(int(topic))
    out: list[tuple[str, float]] = []
    for other, sim in zip(ids, sims, strict=True):
        theme = theme_of.get(int(other))
        if theme is None or theme == own or any(theme == t for t, _ in out):
            continue
        out.append((theme, float(sim)))
    return out


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
    topics = with_description(topics)
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
    admin_topics = frozenset(int(t) for t in topics.loc[topics["admin"], "topic"])
    shares = doc_theme_shares(segment_topics, segments, admin_topics)
    doc_themes = doc_themes_frame(
        docs["doc_id"],
        shares,
        theme_of,
        min_share=min_share,
        admin_themes=frozenset(theme_of[t] for t in admin_topics if t in theme_of),
    )
    themes = themes_frame(topics, matches, doc_themes, docs, theme_of)
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
    unthemed = int((doc_themes["theme_id"] == "").sum())
    return {
        **label_agreement(doc_themes, labels),
        "n_docs": len(doc_themes),
        "n_themes": len(themes),
        "n_admin_themes": int(themes["admin"].sum()),
        "n_new_themes": int(themes["is_new"].sum()),
        "docs_without_theme": unthemed,
        "share_without_theme": round(unthemed / len(doc_themes), 4) if len(doc_themes) else 0.0,
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
