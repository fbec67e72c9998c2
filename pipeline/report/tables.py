"""The tables people get: the theme table (`themes.csv`), the review sheet's rows, the long-form
breakdowns (one row per theme × group: pivot-ready), the proposals and the plot data.

Counts are numbers (an int, or the text `alle 5` where suppressed); rates have one decimal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pandas as pd

from pipeline.i18n import texts
from pipeline.report.rates import Cell
from pipeline.report.views import DIMENSIONS, ThemeView
from pipeline.workgroup.sheets import REVIEWER_FIELDS

REVIEW_KEYS = REVIEWER_FIELDS  # the reviewer's columns, as review import reads them
BREAKDOWNS = (*DIMENSIONS, "quarter")


def pairs_text(pairs: Iterable[tuple[str, object]], unit: str = "") -> str:
    return "; ".join(f"{k} {v}{unit}" for k, v in pairs)


def one_decimal(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def count_or_text(value: int | None, text: str) -> int | str:
    """A shown count as a number; a suppressed one as the words (`alle 5`)."""
    return text if value is None else value


def over_text(view: ThemeView, language: str) -> str:
    """`Loviisa (kunta) 2.1×; …`: where the theme is over-represented, for one cell."""
    t = texts(language)
    comma = "," if language == "fi" else "."
    return "; ".join(
        f"{c.group} ({t[d]}) {f'{c.index:.1f}'.replace('.', comma)}×" for d, c in view.over
    )


def themes_table(views: list[ThemeView], language: str) -> pd.DataFrame:
    """themes.csv: one row per theme, headers in the report language, numbers as numbers."""
    t = texts(language)
    rows = []
    for v in views:
        change = v.change
        rows.append(
            {
                t["theme_id"]: v.theme_id,
                t["label"]: v.label,
                t["status"]: t.get(v.status, v.status),
                t["is_new"]: t["yes"] if v.is_new else t["no"],
                t["admin"]: t["yes"] if v.admin else t["no"],
                t["n_docs"]: count_or_text(v.docs, v.n_docs),
                t["n_clients"]: count_or_text(v.clients_shown, v.n_clients),
                t["per_100"]: one_decimal(v.rate),
                t["change"]: t.get(change.direction, "") if change else "",
                t["previous_per_100"]: one_decimal(change.previous_rate) if change else None,
                t["current_per_100"]: one_decimal(change.current_rate) if change else None,
                t["over_where"]: over_text(v, language),
                t["keywords"]: ", ".join(v.keywords),
            }
        )
    columns = [
        t[k]
        for k in (
            "theme_id",
            "label",
            "status",
            "is_new",
            "admin",
            "n_docs",
            "n_clients",
            "per_100",
            "change",
            "previous_per_100",
            "current_per_100",
            "over_where",
            "keywords",
        )
    ]
    return pd.DataFrame(rows, columns=columns)


def review_sheet_rows(views: list[ThemeView], language: str, n_excerpts: int) -> pd.DataFrame:
    """The review sheet: id and name, the reviewer's columns, then the theme table, the
    proposals from documents, the excerpts and (when the themes stage gives them) the
    nearest themes."""
    t = texts(language)
    table = themes_table(views, language)
    front = table[[t["theme_id"], t["label"]]].copy()
    for key in REVIEW_KEYS:
        front[t[key]] = ""
    out = pd.concat([front, table.drop(columns=[t["theme_id"], t["label"]])], axis=1)
    out[t["doc_proposals"]] = ["\n".join(f"• {p}" for p in v.proposals) for v in views]
    for i in range(n_excerpts):
        out[f"{t['excerpt']}_{i + 1}"] = [
            v.excerpts[i] if i < len(v.excerpts) else "" for v in views
        ]
    if any(v.nearest for v in views):
        out[t["nearest"]] = [v.nearest for v in views]
    if any(v.parent for v in views):
        out[t["parent"]] = [v.parent for v in views]
    return out


def breakdown_rows(views: list[ThemeView], language: str, dimension: str) -> pd.DataFrame:
    """Long form, one row per theme × group with a shown cell: pivot-ready (suppressed cells
    are left out, never written as text in a number column)."""
    t = texts(language)
    rows = []
    for v in views:
        if v.admin:
            continue
        cells: list[Cell] = (
            v.by_quarter if dimension == "quarter" else v.breakdowns.get(dimension, [])
        )
        for c in cells:
            if not c.shown:
                continue
            rows.append(
                {
                    t["theme_id"]: v.theme_id,
                    t["label"]: v.label,
                    t[dimension]: c.group,
                    t["n_docs"]: c.docs,
                    t["group_docs"]: c.total,
                    t["per_100"]: one_decimal(c.rate),
                    t["index"]: None if c.index is None else round(c.index, 2),
                    t["over"]: t["yes"] if c.over else t["no"],
                }
            )
    columns = [t[k] for k in ("theme_id", "label", dimension, "n_docs", "group_docs")]
    columns += [t["per_100"], t["index"], t["over"]]
    return pd.DataFrame(rows, columns=columns)


def all_breakdowns(views: list[ThemeView], language: str) -> pd.DataFrame:
    """breakdowns.csv: every dimension's long rows, the dimension named in its own column."""
    t = texts(language)
    frames = []
    for dimension in BREAKDOWNS:
        frame = breakdown_rows(views, language, dimension).rename(
            columns={t[dimension]: t["group"]}
        )
        frame.insert(2, t["dimension"], t[dimension])
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def proposal_rows(views: list[ThemeView], language: str) -> pd.DataFrame:
    """One row per proposal found in the documents, under each of its themes."""
    t = texts(language)
    rows = [
        {t["theme_id"]: v.theme_id, t["label"]: v.label, t["proposal"]: p}
        for v in views
        for p in v.proposals
    ]
    return pd.DataFrame(rows, columns=[t["theme_id"], t["label"], t["proposal"]])


def plot_tables(views: list[ThemeView], totals: list[Cell]) -> dict[str, pd.DataFrame]:
    """Theme sizes per quarter for `dvc plots` (dvc.yaml's `plots:` takes the folder, one plot
    per file): `all` (every document) and one table per theme; suppressed quarters left out."""
    out = {
        "all": pd.DataFrame(
            [{"quarter": c.group, "documents": c.total} for c in totals if c.total is not None],
            columns=["quarter", "documents"],
        )
    }
    for v in views:
        if v.admin or not v.by_quarter:
            continue
        out[v.theme_id] = pd.DataFrame(
            [
                {"quarter": c.group, "documents": c.docs, "per_100": one_decimal(c.rate)}
                for c in v.by_quarter
                if c.shown
            ],
            columns=["quarter", "documents", "per_100"],
        )
    return out


def run_id(doc_themes: pd.DataFrame, themes: pd.DataFrame) -> str:
    """A short id derived from the results, so a stale review sheet can be recognised."""
    digest = hashlib.sha256(doc_themes.to_csv(index=False).encode())
    digest.update(themes[["theme_id", "label"]].to_csv(index=False).encode())
    return digest.hexdigest()[:12]
