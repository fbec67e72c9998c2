"""The theme registry: stable theme ids and names that survive refits (DESIGN.md §4).

`configs/theme_registry.yaml` holds one entry per theme (id `T0001`…, name, status, keywords,
description, the round and reviewers that decided it) and an append-only history of review
rounds; theme centroids (mean embedding, one row per theme, same order) live beside it in
`theme_centroids.npy`. Each run matches its topics one-to-one to registry themes; unmatched
topics become candidates. Accepted themes steer the next fit (`seed_topics`, `seed_centroids`,
`guide_embeddings`).

A run also leaves a *run state* (`themes_state.json`: run id, every theme of the run with its
topic, label, keywords and centroid) next to its review sheet, so `ilmio review import` can
register the run's themes without the intermediate artefacts.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from pipeline import io
from pipeline.errors import ConfigError, InputError

log = logging.getLogger(__name__)

STATUSES = ("candidate", "accepted", "rejected", "merged")
RUN_STATE = "themes_state.json"
HEADER = (
    "# ilmio theme registry (DESIGN.md §4): stable theme ids and the workgroup's decisions.\n"
    "# Written by `ilmio review import`; history is appended, never rewritten.\n"
    "# Centroids: theme_centroids.npy beside this file, one row per theme in this order.\n"
)


@dataclass(frozen=True)
class RegisteredTheme:
    id: str
    name: str
    status: str = "candidate"
    keywords: tuple[str, ...] = ()
    description: str = ""
    merged_into: str = ""
    decided_in: int = 0  # review round that last changed the status (0 = never reviewed)
    reviewers: tuple[str, ...] = ()
    first_run: str = ""  # run id in which the theme was first registered


@dataclass(frozen=True)
class Registry:
    themes: tuple[RegisteredTheme, ...] = ()
    centroids: np.ndarray | None = None  # row i belongs to themes[i]; a zero row = unknown
    history: tuple[dict, ...] = field(default_factory=tuple)

    def next_id(self, offset: int = 0) -> str:
        numbers = [int(t.id[1:]) for t in self.themes if t.id[1:].isdigit()]
        return f"T{max(numbers, default=0) + 1 + offset:04d}"

    def get(self, theme_id: str) -> RegisteredTheme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def index(self, theme_id: str) -> int:
        return next(i for i, t in enumerate(self.themes) if t.id == theme_id)

    def final_target(self, theme_id: str) -> RegisteredTheme | None:
        """The theme a merged theme lives on in (following merge chains); None on a cycle."""
        seen: set[str] = set()
        theme = self.get(theme_id)
        while theme is not None and theme.status == "merged":
            if theme.id in seen:
                return None
            seen.add(theme.id)
            theme = self.get(theme.merged_into)
        return theme


# --- reading and writing ------------------------------------------------------------------


def centroids_path(registry_path: Path) -> Path:
    return Path(registry_path).with_name("theme_centroids.npy")


def load_registry(path: Path) -> Registry:
    """The registry at `path`; a missing file is an empty registry."""
    if not Path(path).exists():
        return Registry()
    data = io.read_yaml(path) or {}
    themes = []
    for i, entry in enumerate(data.get("themes") or []):
        try:
            theme = RegisteredTheme(
                id=str(entry["id"]),
                name=str(entry.get("name", "")),
                status=str(entry.get("status", "candidate")),
                keywords=tuple(str(k) for k in entry.get("keywords") or ()),
                description=str(entry.get("description") or ""),
                merged_into=str(entry.get("merged_into") or ""),
                decided_in=int(entry.get("decided_in") or 0),
                reviewers=tuple(str(r) for r in entry.get("reviewers") or ()),
                first_run=str(entry.get("first_run") or ""),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(
                "theme entry without id or with a malformed field", file=path, row=i + 1
            ) from exc
        if theme.status not in STATUSES:
            raise ConfigError(f"unknown status {theme.status!r}", file=path, row=i + 1)
        if theme.status == "merged" and not theme.merged_into:
            raise ConfigError("merged theme without merged_into", file=path, row=i + 1)
        themes.append(theme)
    ids = [t.id for t in themes]
    if len(set(ids)) != len(ids):
        raise ConfigError("duplicate theme id", file=path)
    cpath = centroids_path(Path(path))
    centroids = np.load(cpath) if cpath.exists() else None
    if centroids is not None and len(centroids) != len(themes):
        raise ConfigError(f"{len(centroids)} centroids for {len(themes)} themes", file=cpath)
    if centroids is not None and centroids.ndim == 2 and centroids.shape[1] == 0:
        centroids = None
    return Registry(tuple(themes), centroids, tuple(data.get("history") or ()))


def _theme_entry(theme: RegisteredTheme) -> dict:
    entry: dict = {"id": theme.id, "name": theme.name, "status": theme.status}
    if theme.merged_into:
        entry["merged_into"] = theme.merged_into
    entry["description"] = theme.description
    entry["keywords"] = list(theme.keywords)
    entry["decided_in"] = theme.decided_in
    entry["reviewers"] = list(theme.reviewers)
    entry["first_run"] = theme.first_run
    return entry


def registry_yaml(registry: Registry) -> str:
    """The registry as YAML text (themes sorted by id; history in order)."""
    data = {
        "themes": [_theme_entry(t) for t in sorted(registry.themes, key=lambda t: t.id)],
        "history": [dict(h) for h in registry.history],
    }
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def save_registry(registry: Registry, path: Path) -> None:
    """Write the YAML and the centroids; refuse to rewrite history already on disk.

    Themes are written sorted by id and the centroid rows in the same order.
    """
    path = Path(path)
    old = load_registry(path).history if path.exists() else ()
    if tuple(registry.history[: len(old)]) != tuple(_plain(h) for h in old):
        raise ConfigError(
            "the registry history on disk would be rewritten; history is append-only", file=path
        )
    order = sorted(range(len(registry.themes)), key=lambda i: registry.themes[i].id)
    ordered = Registry(
        tuple(registry.themes[i] for i in order),
        None if registry.centroids is None else registry.centroids[order],
        registry.history,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(registry_yaml(ordered), encoding="utf-8")
    # Always written (an n × 0 array when no centroid is known) so DVC always finds the output.
    centroids = ordered.centroids
    if centroids is None:
        centroids = np.zeros((len(ordered.themes), 0), dtype=np.float32)
    np.save(centroids_path(path), centroids.astype(np.float32))
    log.info(
        "registry: %d themes, %d history entries written to %s",
        len(ordered.themes),
        len(ordered.history),
        path,
    )


def _plain(value):
    """A YAML round trip, so in-memory history compares equal to history read from disk."""
    return yaml.safe_load(yaml.safe_dump(value, allow_unicode=True))


# --- matching a run's topics to the registry ----------------------------------------------


def has_centroid(registry: Registry, j: int) -> bool:
    return registry.centroids is not None and bool(np.any(registry.centroids[j]))


def similarity_matrix(
    topic_centroids: np.ndarray, topic_keywords: list[list[str]], registry: Registry
) -> np.ndarray:
    """Topics × registry themes: centroid cosine when both sides have one, else keyword Jaccard."""
    sims = np.zeros((len(topic_keywords), len(registry.themes)))
    for j, theme in enumerate(registry.themes):
        for i, words in enumerate(topic_keywords):
            if (
                has_centroid(registry, j)
                and i < len(topic_centroids)
                and np.any(topic_centroids[i])
                and topic_centroids.shape[1] == registry.centroids.shape[1]
            ):
                sims[i, j] = float(topic_centroids[i] @ registry.centroids[j])
            else:
                a, b = set(words), set(theme.keywords)
                sims[i, j] = len(a & b) / len(a | b) if a | b else 0.0
    return sims


def match_topics(
    topics: pd.DataFrame, topic_centroids: np.ndarray, registry: Registry, *, threshold: float
) -> pd.DataFrame:
    """One row per topic: theme_id, name, status, is_new, merged_into. One-to-one, above
    `threshold`.

    A topic matched to a merged theme takes the theme it was merged into (the phenomenon lives
    on there) unless another topic already holds that theme; then it keeps the merged theme's
    id with status "merged" and `merged_into` naming the target, so the caller can fold it.
    """
    from scipy.optimize import linear_sum_assignment

    candidates = list(range(len(registry.themes)))
    matched: dict[int, RegisteredTheme] = {}
    if candidates and len(topics):
        topic_centroids = np.asarray(topic_centroids)
        if topic_centroids.ndim != 2:
            topic_centroids = np.zeros((0, 0))
        sims = similarity_matrix(topic_centroids, topics["keywords"].map(list).tolist(), registry)
        rows, cols = linear_sum_assignment(-sims)
        for i, j in zip(rows, cols, strict=True):
            if sims[i, j] >= threshold:
                matched[int(i)] = registry.themes[j]
    held = {t.id for t in matched.values() if t.status != "merged"}
    out, new = [], 0
    for i, topic in enumerate(topics.itertuples(index=False)):
        theme = matched.get(i)
        if theme is None:
            out.append(
                {
                    "topic": topic.topic,
                    "theme_id": registry.next_id(new),
                    "name": topic.label,
                    "status": "candidate",
                    "is_new": True,
                    "merged_into": "",
                }
            )
            new += 1
            continue
        if theme.status == "merged":
            target = registry.final_target(theme.id)
            if target is not None and target.id not in held:
                held.add(target.id)
                theme = target
            else:
                out.append(
                    {
                        "topic": topic.topic,
                        "theme_id": theme.id,
                        "name": theme.name,
                        "status": "merged",
                        "is_new": False,
                        "merged_into": target.id if target is not None else "",
                    }
                )
                continue
        out.append(
            {
                "topic": topic.topic,
                "theme_id": theme.id,
                "name": theme.name,
                "status": theme.status,
                "is_new": False,
                "merged_into": "",
            }
        )
    return pd.DataFrame(
        out, columns=["topic", "theme_id", "name", "status", "is_new", "merged_into"]
    )


# --- steering the next fit ----------------------------------------------------------------


def accepted(registry: Registry) -> list[int]:
    return [j for j, t in enumerate(registry.themes) if t.status == "accepted"]


def seed_topics(registry: Registry) -> list[list[str]]:
    """Accepted themes' keyword lists, for BERTopic's `seed_topic_list` (ordered by id).

    With precomputed embeddings and no embedding model BERTopic uses these only to up-weight
    the seed words in c-TF-IDF; `guide_embeddings` does the embedding-side steering.
    """
    themes = sorted((registry.themes[j] for j in accepted(registry)), key=lambda t: t.id)
    return [list(t.keywords) for t in themes if t.keywords]


def seed_centroids(registry: Registry) -> np.ndarray:
    """Accepted themes' centroids (k × dim, ordered by id); empty when none are known."""
    rows = sorted(
        (registry.themes[j].id, j) for j in accepted(registry) if has_centroid(registry, j)
    )
    if not rows:
        return np.zeros(
            (0, 0 if registry.centroids is None else registry.centroids.shape[1]), dtype=np.float32
        )
    return np.stack([registry.centroids[j] for _, j in rows]).astype(np.float32)


def guide_embeddings(
    vectors: np.ndarray, seeds: np.ndarray, *, weight: float = 0.25
) -> tuple[np.ndarray, np.ndarray]:
    """BERTopic's guided step, done with theme centroids in our own (register-free) space.

    Each vector nearer to a seed centroid than to the mean vector is pulled towards that seed
    (`(1 - weight) * v + weight * seed`, renormalised) and labelled with the seed's index; the
    rest get -1. Returns (labels for UMAP's `y`, new vectors). Pure: `vectors` is not changed.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    if len(seeds) == 0 or len(vectors) == 0 or seeds.shape[1] != vectors.shape[1]:
        return np.full(len(vectors), -1), vectors.copy()
    mean = vectors.mean(axis=0, keepdims=True)
    anchors = np.vstack([seeds, mean])
    anchors = anchors / np.maximum(np.linalg.norm(anchors, axis=1, keepdims=True), 1e-12)
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    best = (unit @ anchors.T).argmax(axis=1)
    labels = np.where(best == len(seeds), -1, best)
    out = vectors.copy()
    pulled = labels >= 0
    out[pulled] = (1 - weight) * vectors[pulled] + weight * seeds[labels[pulled]]
    out[pulled] /= np.maximum(np.linalg.norm(out[pulled], axis=1, keepdims=True), 1e-12)
    return labels, out


# --- run state: what a review import needs from the run that was reviewed ------------------


@dataclass(frozen=True)
class RunTheme:
    theme_id: str
    topic: int
    label: str
    keywords: tuple[str, ...]
    status: str
    is_new: bool


@dataclass(frozen=True)
class RunState:
    run_id: str
    themes: tuple[RunTheme, ...]
    centroids: np.ndarray | None  # row i belongs to themes[i]

    def get(self, theme_id: str) -> RunTheme | None:
        return next((t for t in self.themes if t.theme_id == theme_id), None)


def run_state(themes: pd.DataFrame, centroids: np.ndarray | None, run_id: str = "") -> dict:
    """JSON-ready state of a run: every theme with its topic's centroid (6 decimals).

    `themes` is the THEMES frame (theme_id, topic, label, keywords, status, is_new) and
    `centroids` the topic centroids (`06_centroids.npy`, row = topic id).
    """
    rows = []
    for row in themes.sort_values("theme_id").itertuples(index=False):
        topic = int(row.topic)
        centre = None
        if centroids is not None and 0 <= topic < len(centroids):
            centre = [round(float(x), 6) for x in centroids[topic]]
        rows.append(
            {
                "theme_id": str(row.theme_id),
                "topic": topic,
                "label": str(row.label),
                "keywords": [str(k) for k in row.keywords],
                "status": str(row.status),
                "is_new": bool(row.is_new),
                "centroid": centre,
            }
        )
    return {"run_id": run_id, "themes": rows}


def write_run_state(
    path: Path, themes: pd.DataFrame, centroids: np.ndarray | None, run_id: str
) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(run_state(themes, centroids, run_id), ensure_ascii=False, sort_keys=True) + "\n",
        encoding="utf-8",
    )


def parse_run_state(data: dict, source: Path | str = RUN_STATE) -> RunState:
    try:
        themes = tuple(
            RunTheme(
                str(t["theme_id"]),
                int(t["topic"]),
                str(t["label"]),
                tuple(str(k) for k in t["keywords"]),
                str(t["status"]),
                bool(t["is_new"]),
            )
            for t in data["themes"]
        )
        rows = [t.get("centroid") for t in data["themes"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError("malformed run state", file=source) from exc
    centroids = None
    dims = {len(r) for r in rows if r}
    if len(dims) == 1:
        dim = dims.pop()
        centroids = np.array([r if r else [0.0] * dim for r in rows], dtype=np.float32)
    return RunState(str(data.get("run_id", "")), themes, centroids)


def read_run_state(path: Path) -> RunState:
    """The state in `path` (a `themes_state.json` or the folder holding one)."""
    path = Path(path)
    if path.is_dir():
        path = path / RUN_STATE
    if not path.exists():
        raise InputError(
            "run state not found (themes_state.json); pass the output folder "
            "of the run that wrote the review sheet",
            file=path,
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON ({exc.msg})", file=path, row=exc.lineno) from exc
    return parse_run_state(data, path)


def register_run(registry: Registry, state: RunState) -> Registry:
    """The registry with every theme of the run present: new ones as candidates; keywords and
    centroids of known themes refreshed from the run. Names and statuses are not touched.
    """
    themes = list(registry.themes)
    dim = None
    if state.centroids is not None:
        dim = state.centroids.shape[1]
    elif registry.centroids is not None:
        dim = registry.centroids.shape[1]
    if registry.centroids is not None and dim is not None and registry.centroids.shape[1] == dim:
        rows = [registry.centroids[i] for i in range(len(themes))]
    else:
        rows = [np.zeros(dim or 0, dtype=np.float32) for _ in themes]
    for k, rt in enumerate(state.themes):
        centre = state.centroids[k] if state.centroids is not None else None
        known = registry.get(rt.theme_id)
        if known is None:
            themes.append(
                RegisteredTheme(
                    rt.theme_id, rt.label, "candidate", rt.keywords, first_run=state.run_id
                )
            )
            rows.append(centre if centre is not None else np.zeros(dim or 0, np.float32))
            continue
        i = registry.index(rt.theme_id)
        themes[i] = replace(known, keywords=rt.keywords or known.keywords)
        if centre is not None and np.any(centre):
            rows[i] = centre
    centroids = np.stack(rows).astype(np.float32) if dim and rows else None
    return Registry(tuple(themes), centroids, registry.history)
