"""The run state: what a review import needs from the run that was reviewed.

A run leaves `themes_state.json` (run id, every theme of the run with its topic, label,
keywords and centroid) next to its review sheet, so `ilmio review import` can register the
run's themes without the intermediate artefacts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.errors import InputError
from pipeline.workgroup.registry.store import RegisteredTheme, Registry

RUN_STATE = "themes_state.json"


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
