"""`ilmio compare RUN_A RUN_B`: which themes of two runs are the same, and what grew, shrank,
appeared and vanished.

Themes are matched one to one like a run's topics are matched to the registry (DESIGN.md §4):
centroid cosine from each run's `themes_state.json` (keyword overlap where a centroid is
missing), Hungarian assignment above a threshold. Ids are not trusted alone: two runs on an
empty registry both number their themes from T0001. Sizes come from each run's `themes.csv`,
so every figure is the suppressed one people saw; growth is judged on documents per 100
documents (a run on more data has more of everything).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.errors import InputError
from pipeline.report.views import CHANGE_FACTOR
from pipeline.workgroup.registry.matching import similarity_matrix
from pipeline.workgroup.registry.runstate import RunState, read_run_state
from pipeline.workgroup.registry.store import RegisteredTheme, Registry

# themes.csv headers in each report language: theme id, documents, per 100 documents.
COLUMNS = {
    "teema_id": ("teema_id", "asiakirjoja", "per_100_asiakirjaa", "fi"),
    "theme_id": ("theme_id", "documents", "per_100_documents", "en"),
}


@dataclass(frozen=True)
class Side:
    theme_id: str
    label: str
    docs: str  # as shown (a number, or `alle 5`)
    per_100: float | None


@dataclass(frozen=True)
class Comparison:
    matched: list[tuple[Side, Side, float, str]]  # (a, b, similarity, grew | shrank | same | ?)
    appeared: list[Side]
    vanished: list[Side]


def read_sizes(folder: Path) -> dict[str, tuple[str, float | None]]:
    """theme id -> (documents as shown, per 100 documents) from a run's themes.csv."""
    from pipeline.spreadsheet import read_excel_csv

    path = Path(folder) / "themes.csv"
    if not path.exists():
        raise InputError("not an ilmio output folder (themes.csv missing)", file=path)
    head = path.read_text(encoding="utf-8-sig").split("\n", 1)[0]
    key = next((k for k in COLUMNS if head.startswith(k)), None)
    if key is None:
        raise InputError("themes.csv has no theme id column", file=path, row=1)
    id_col, docs_col, rate_col, language = COLUMNS[key]
    table = read_excel_csv(path, language, dtype=str, keep_default_na=False)
    rates = pd.to_numeric(table[rate_col].str.replace(",", "."), errors="coerce")
    return {
        i: (d, None if pd.isna(r) else float(r))
        for i, d, r in zip(table[id_col], table[docs_col], rates, strict=True)
    }


def direction(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "?"
    if b >= CHANGE_FACTOR * a:
        return "grew"
    if b * CHANGE_FACTOR <= a:
        return "shrank"
    return "same"


def compare_runs(a: Path, b: Path, *, threshold: float = 0.5) -> Comparison:
    """Match run `b`'s themes to run `a`'s; sizes as each run's themes.csv shows them."""
    state_a, state_b = read_run_state(a), read_run_state(b)
    sizes_a, sizes_b = read_sizes(a), read_sizes(b)
    side_a = _sides(state_a, sizes_a)
    side_b = _sides(state_b, sizes_b)
    registry = Registry(
        tuple(RegisteredTheme(t.theme_id, t.label, t.status, t.keywords) for t in state_a.themes),
        state_a.centroids,
    )
    sims = similarity_matrix(
        state_b.centroids if state_b.centroids is not None else np.zeros((0, 0)),
        [list(t.keywords) for t in state_b.themes],
        registry,
    )
    pairs: list[tuple[int, int]] = []
    if sims.size:
        from scipy.optimize import linear_sum_assignment

        rows, cols = linear_sum_assignment(-sims)
        pairs = [
            (int(j), int(i)) for i, j in zip(rows, cols, strict=True) if sims[i, j] >= threshold
        ]
    matched = [
        (
            side_a[j],
            side_b[i],
            float(sims[i, j]),
            direction(side_a[j].per_100, side_b[i].per_100),
        )
        for j, i in pairs
    ]
    matched.sort(key=lambda m: m[0].theme_id)
    in_a = {j for j, _ in pairs}
    in_b = {i for _, i in pairs}
    return Comparison(
        matched,
        [s for i, s in enumerate(side_b) if i not in in_b],
        [s for j, s in enumerate(side_a) if j not in in_a],
    )


def _sides(state: RunState, sizes: dict) -> list[Side]:
    return [Side(t.theme_id, t.label, *sizes.get(t.theme_id, ("", None))) for t in state.themes]


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def report_lines(result: Comparison, a: str, b: str) -> list[str]:
    """The comparison as plain text lines (what `ilmio compare` prints)."""
    counts = {k: sum(1 for m in result.matched if m[3] == k) for k in ("grew", "shrank", "same")}
    lines = [
        f"A = {a}",
        f"B = {b}",
        f"matched {len(result.matched)} (grew {counts['grew']}, shrank {counts['shrank']}, "
        f"same {counts['same']}), appeared {len(result.appeared)}, "
        f"vanished {len(result.vanished)}",
        "",
        f"{'A':<6} {'B':<6} {'sim':>5} {'docs A':>8} {'docs B':>8} {'/100 A':>7} {'/100 B':>7}"
        "  change  name (B)",
    ]
    for x, y, sim, change in result.matched:
        lines.append(
            f"{x.theme_id:<6} {y.theme_id:<6} {sim:>5.2f} {x.docs:>8} {y.docs:>8} "
            f"{_rate(x.per_100):>7} {_rate(y.per_100):>7}  {change:<6}  {y.label}"
        )
    for title, sides in (("appeared in B", result.appeared), ("vanished from A", result.vanished)):
        lines += ["", f"{title}: {len(sides)}"]
        lines += [
            f"  {s.theme_id:<6} docs {s.docs:>6}  /100 {_rate(s.per_100):>5}  {s.label}"
            for s in sides
        ]
    return lines


def main(a: Path, b: Path, *, threshold: float = 0.5) -> int:
    for line in report_lines(compare_runs(a, b, threshold=threshold), str(a), str(b)):
        print(line)
    return 0
