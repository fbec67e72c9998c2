"""The theme table (`themes.csv`) and the review sheet's rows, in the report language."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pandas as pd

from pipeline.i18n import texts
from pipeline.report.views import ThemeView

REVIEW_KEYS = ("decision", "new_name", "merge_into", "description", "comment", "reviewer")


def pairs_text(pairs: Iterable[tuple[str, object]], unit: str = "") -> str:
    return "; ".join(f"{k} {v}{unit}" for k, v in pairs)


def themes_table(views: list[ThemeView], language: str) -> pd.DataFrame:
    """themes.csv: one row per theme with suppressed counts, headers in the report language."""
    t = texts(language)
    rows = [
        {
            t["theme_id"]: v.theme_id,
            t["label"]: v.label,
            t["keywords"]: ", ".join(v.keywords),
            t["status"]: t.get(v.status, v.status),
            t["is_new"]: t["yes"] if v.is_new else t["no"],
            t["n_docs"]: v.n_docs,
            t["n_clients"]: v.n_clients,
            t["by_service"]: pairs_text(v.by_service, " %"),
            t["by_area"]: pairs_text(v.by_area, " %"),
            t["trend"]: pairs_text(v.trend),
        }
        for v in views
    ]
    columns = [
        t[k]
        for k in (
            "theme_id",
            "label",
            "keywords",
            "status",
            "is_new",
            "n_docs",
            "n_clients",
            "by_service",
            "by_area",
            "trend",
        )
    ]
    return pd.DataFrame(rows, columns=columns)


def review_sheet_rows(views: list[ThemeView], language: str, n_excerpts: int) -> pd.DataFrame:
    """themes.csv columns plus the administrative marker, nearest themes and parent (for merge
    decisions), excerpts and the empty review columns."""
    t = texts(language)
    table = themes_table(views, language)
    table[t["admin"]] = [t["yes"] if v.admin else "" for v in views]
    table[t["nearest"]] = [
        "; ".join(f"{theme} ({sim:.2f})" for theme, sim in v.nearest) for v in views
    ]
    table[t["parent"]] = [v.parent for v in views]
    for i in range(n_excerpts):
        table[f"{t['excerpt']}_{i + 1}"] = [
            v.excerpts[i] if i < len(v.excerpts) else "" for v in views
        ]
    for key in REVIEW_KEYS:
        table[t[key]] = ""
    return table


def run_id(doc_themes: pd.DataFrame, themes: pd.DataFrame) -> str:
    """A short id derived from the results, so a stale review sheet can be recognised."""
    digest = hashlib.sha256(doc_themes.to_csv(index=False).encode())
    digest.update(themes[["theme_id", "label"]].to_csv(index=False).encode())
    return digest.hexdigest()[:12]
