"""Rates and over-representation by group, every cell suppressed below `report.min_clients`.

"Where" and "when" must not mirror caseload: when one municipality holds 43 % of all documents,
"43 % of the theme's documents are from there" says nothing. So a cell is a **rate**: the
theme's documents per 100 documents of that group (municipality, service, document type,
quarter), and its **over-representation index**: that rate divided by the theme's rate in all
documents (1.0 = as common as everywhere; 2.0 = twice as common).

A group counts as *over-represented* when its index is at least `report.over_index` and the
difference holds for people, not only for notes: the 95 % Wilson lower bound of the share of
the group's clients who have the theme is above the theme's client share overall (fifty
notes about one person are not fifty people, DESIGN.md §3).

Suppression (DESIGN.md §5): a cell is shown only when it stands for at least `min_clients`
distinct clients. Because the theme's total is shown too, the hidden cells together could be
worked out by subtraction; when they stand for fewer than `min_clients` clients, the smallest
shown cells are hidden as well (secondary suppression) until they do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

Z95 = 1.959964


@dataclass(frozen=True)
class Cell:
    """One group of a breakdown; None = suppressed."""

    group: str
    docs: int | None  # the theme's documents in the group
    total: int | None  # all documents of the group
    rate: float | None  # the theme's documents per 100 documents of the group
    index: float | None  # rate / the theme's rate in all documents
    over: bool = False  # over-represented by the rule above

    @property
    def shown(self) -> bool:
        return self.docs is not None


def wilson_low(k: int, n: int, z: float = Z95) -> float:
    """Lower bound of the Wilson score interval for k successes in n trials."""
    if n == 0:
        return 0.0
    p = k / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - margin) / (1 + z * z / n)


def shown_groups(clients: dict[str, frozenset], min_clients: int) -> set[str]:
    """Groups whose cell may be shown: at least `min_clients` clients, and the hidden ones
    together either empty or at least `min_clients` clients (secondary suppression)."""
    shown = {g for g, c in clients.items() if len(c) >= min_clients}

    def hidden_clients() -> int:
        return len(frozenset().union(*(c for g, c in clients.items() if g not in shown)))

    while shown and 0 < hidden_clients() < min_clients:
        smallest = min(shown, key=lambda g: (len(clients[g]), g))
        shown.discard(smallest)
    return shown


def client_sets(docs: pd.DataFrame, column: str) -> dict[str, frozenset]:
    """The counting keys (`client_key`) of each value of `docs[column]`."""
    return {g: frozenset(c) for g, c in docs.groupby(column)["client_key"]}


def group_cells(
    docs: pd.DataFrame,
    in_theme: np.ndarray,
    column: str,
    *,
    min_clients: int,
    over_index: float,
    order: list[str] | None = None,
    all_clients: dict[str, frozenset] | None = None,
) -> list[Cell]:
    """One cell per value of `docs[column]`; `docs` has `client_key` (the counting key) and
    `in_theme` flags the theme's documents. Groups by size, or in `order` (quarters).
    `all_clients`: `client_sets(docs, column)`, when the caller has it already (it is the
    same for every theme)."""
    groups = docs[column]
    theme = docs[np.asarray(in_theme, dtype=bool)]
    totals = groups.value_counts()
    counts = theme[column].value_counts()
    all_clients = client_sets(docs, column) if all_clients is None else all_clients
    theme_clients = client_sets(theme, column)
    values = order if order is not None else sorted(totals.index, key=lambda g: (-totals[g], g))
    show_theme = shown_groups({g: theme_clients.get(g, frozenset()) for g in values}, min_clients)
    show_total = shown_groups({g: all_clients.get(g, frozenset()) for g in values}, min_clients)
    overall = len(theme) / len(docs) if len(docs) else 0.0
    overall_clients = (
        theme["client_key"].nunique() / docs["client_key"].nunique() if len(docs) else 0.0
    )
    cells = []
    for g in values:
        total = int(totals.get(g, 0))
        if g not in show_theme or g not in show_total or total == 0:
            cells.append(Cell(g, None, total if g in show_total else None, None, None))
            continue
        k = int(counts.get(g, 0))
        rate = 100 * k / total
        index = rate / (100 * overall) if overall else None
        over = (
            index is not None
            and index >= over_index
            and wilson_low(len(theme_clients.get(g, ())), len(all_clients[g])) > overall_clients
        )
        cells.append(Cell(g, k, total, rate, index, over))
    return cells
