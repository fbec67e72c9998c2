"""The theme registry on disk: `configs/theme_registry.yaml` and `theme_centroids.npy`.

One entry per theme (id `T0001`…, name, status, keywords, description, the round and
reviewers that decided it) and an append-only history of review rounds; centroids (mean
embedding, one row per theme, same order) beside it. The YAML is validated on load
(`extra="forbid"`): a typo in a key would otherwise silently turn an accepted theme back into
a candidate.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline import io
from pipeline.errors import ConfigError

log = logging.getLogger(__name__)

STATUSES = ("candidate", "accepted", "rejected", "merged")
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
    interpretation: str = ""  # the workgroup's reading of the phenomenon (`tulkinta`)
    proposals: str = ""  # the workgroup's proposals for action (`ehdotukset`)


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


def centroids_path(registry_path: Path) -> Path:
    return Path(registry_path).with_name("theme_centroids.npy")


def registry_files(registry_path: Path) -> list[Path]:
    """The registry's two files: what a stage that reads the registry depends on."""
    return [Path(registry_path), centroids_path(registry_path)]


class ThemeEntry(BaseModel):
    """One theme as written in the YAML file: a typo in a key is an error, not a default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^T\d{4,}$")
    name: str = ""
    status: Literal["candidate", "accepted", "rejected", "merged"] = "candidate"
    merged_into: str = ""
    description: str = ""
    keywords: list[str] = Field(default_factory=list)
    decided_in: int = Field(0, ge=0)
    reviewers: list[str] = Field(default_factory=list)
    first_run: str = ""
    interpretation: str = ""
    proposals: str = ""

    @model_validator(mode="after")
    def _merge_target(self) -> ThemeEntry:
        if self.status == "merged" and not self.merged_into:
            raise ValueError("a merged theme needs merged_into")
        return self


class RegistryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    themes: list[ThemeEntry] = Field(default_factory=list)
    history: list[dict[str, Any]] = Field(default_factory=list)


def load_registry(path: Path) -> Registry:
    """The registry at `path`; a missing file is an empty registry.

    Validated: an unknown key (`staus:`), an unknown status or a merged theme without a target
    is refused with one line naming the file, the theme and the field.
    """
    if not Path(path).exists():
        return Registry()
    data = io.read_yaml(path) or {}
    try:
        parsed = RegistryFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_where(exc, data), file=path) from exc
    themes = [
        RegisteredTheme(
            id=e.id,
            name=e.name,
            status=e.status,
            keywords=tuple(e.keywords),
            description=e.description,
            merged_into=e.merged_into,
            decided_in=e.decided_in,
            reviewers=tuple(e.reviewers),
            first_run=e.first_run,
            interpretation=e.interpretation,
            proposals=e.proposals,
        )
        for e in parsed.themes
    ]
    ids = [t.id for t in themes]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise ConfigError(f"theme {dup}: duplicate theme id", file=path)
    cpath = centroids_path(Path(path))
    centroids = np.load(cpath) if cpath.exists() else None
    if centroids is not None and len(centroids) != len(themes):
        raise ConfigError(f"{len(centroids)} centroids for {len(themes)} themes", file=cpath)
    if centroids is not None and centroids.ndim == 2 and centroids.shape[1] == 0:
        centroids = None
    return Registry(tuple(themes), centroids, tuple(parsed.history))


def _where(exc: ValidationError, data: Any) -> str:
    """`theme T0003, field 'staus': extra inputs are not permitted` for the first error."""
    error = exc.errors()[0]
    loc = list(error["loc"])
    prefix = ""
    if len(loc) >= 2 and loc[0] == "themes" and isinstance(loc[1], int):
        entries = data.get("themes") if isinstance(data, dict) else None
        entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else {}
        theme = entry.get("id") if isinstance(entry, dict) else None
        prefix = f"theme {theme or f'#{loc[1] + 1}'}, "
        loc = loc[2:]
    field = ".".join(str(x) for x in loc) or "(entry)"
    return f"{prefix}field {field!r}: {error['msg'].lower()}"


def _theme_entry(theme: RegisteredTheme) -> dict:
    entry: dict = {"id": theme.id, "name": theme.name, "status": theme.status}
    if theme.merged_into:
        entry["merged_into"] = theme.merged_into
    entry["description"] = theme.description
    # Written only when given, so registries from before these fields keep their bytes.
    for key in ("interpretation", "proposals"):
        if getattr(theme, key):
            entry[key] = getattr(theme, key)
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


def has_centroid(registry: Registry, j: int) -> bool:
    return registry.centroids is not None and bool(np.any(registry.centroids[j]))
