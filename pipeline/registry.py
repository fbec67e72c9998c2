"""The theme registry: stable theme ids and names that survive refits (DESIGN.md §4).

`configs/theme_registry.yaml` holds one entry per theme (id `T0001`…, name, status, keywords)
and an append-only history; theme centroids live beside it in `theme_centroids.npy`.
Each run matches its topics one-to-one to registry themes; unmatched topics become candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline import io
from pipeline.errors import ConfigError

STATUSES = ("candidate", "accepted", "rejected", "merged")


@dataclass(frozen=True)
class RegisteredTheme:
    id: str
    name: str
    status: str = "candidate"
    keywords: tuple[str, ...] = ()
    description: str = ""
    merged_into: str = ""


@dataclass(frozen=True)
class Registry:
    themes: tuple[RegisteredTheme, ...] = ()
    centroids: np.ndarray | None = None  # row i belongs to themes[i]
    history: tuple[dict, ...] = field(default_factory=tuple)

    def next_id(self, offset: int = 0) -> str:
        numbers = [int(t.id[1:]) for t in self.themes if t.id[1:].isdigit()]
        return f"T{max(numbers, default=0) + 1 + offset:04d}"


def centroids_path(registry_path: Path) -> Path:
    return registry_path.with_name("theme_centroids.npy")


def load_registry(path: Path) -> Registry:
    """The registry at `path`; a missing file is an empty registry."""
    if not Path(path).exists():
        return Registry()
    data = io.read_yaml(path) or {}
    themes = []
    for i, entry in enumerate(data.get("themes") or []):
        try:
            theme = RegisteredTheme(
                id=str(entry["id"]), name=str(entry.get("name", "")),
                status=str(entry.get("status", "candidate")),
                keywords=tuple(entry.get("keywords") or ()),
                description=str(entry.get("description") or ""),
                merged_into=str(entry.get("merged_into") or ""))
        except (KeyError, TypeError) as exc:
            raise ConfigError("theme entry without id", file=path, row=i + 1) from exc
        if theme.status not in STATUSES:
            raise ConfigError(f"unknown status {theme.status!r}", file=path, row=i + 1)
        themes.append(theme)
    cpath = centroids_path(Path(path))
    centroids = np.load(cpath) if cpath.exists() else None
    if centroids is not None and len(centroids) != len(themes):
        raise ConfigError(f"{len(centroids)} centroids for {len(themes)} themes", file=cpath)
    return Registry(tuple(themes), centroids, tuple(data.get("history") or ()))


def similarity_matrix(topic_centroids: np.ndarray, topic_keywords: list[list[str]],
                      registry: Registry) -> np.ndarray:
    """Topics × registry themes: centroid cosine when both sides have one, else keyword Jaccard."""
    sims = np.zeros((len(topic_keywords), len(registry.themes)))
    for j, theme in enumerate(registry.themes):
        for i, words in enumerate(topic_keywords):
            if registry.centroids is not None and len(topic_centroids):
                sims[i, j] = float(topic_centroids[i] @ registry.centroids[j])
            else:
                a, b = set(words), set(theme.keywords)
                sims[i, j] = len(a & b) / len(a | b) if a | b else 0.0
    return sims


def match_topics(topics: pd.DataFrame, topic_centroids: np.ndarray, registry: Registry, *,
                 threshold: float) -> pd.DataFrame:
    """One row per topic: theme_id, name, status, is_new. One-to-one, above `threshold`.

    Merged themes are not matched (their phenomena live on in the theme they merged into).
    """
    from scipy.optimize import linear_sum_assignment

    live = [j for j, t in enumerate(registry.themes) if t.status != "merged"]
    matched: dict[int, RegisteredTheme] = {}
    if live and len(topics):
        sims = similarity_matrix(topic_centroids, topics["keywords"].tolist(), registry)[:, live]
        rows, cols = linear_sum_assignment(-sims)
        for i, j in zip(rows, cols, strict=True):
            if sims[i, j] >= threshold:
                matched[int(i)] = registry.themes[live[j]]
    out, new = [], 0
    for i, topic in enumerate(topics.itertuples(index=False)):
        theme = matched.get(i)
        if theme is None:
            out.append({"topic": topic.topic, "theme_id": registry.next_id(new),
                        "name": topic.label, "status": "candidate", "is_new": True})
            new += 1
        else:
            out.append({"topic": topic.topic, "theme_id": theme.id, "name": theme.name,
                        "status": theme.status, "is_new": False})
    return pd.DataFrame(out, columns=["topic", "theme_id", "name", "status", "is_new"])
