"""Themes as people see them: every count, breakdown cell and excerpt suppressed below
`report.min_clients` distinct clients (DESIGN.md §5), excerpts from redacted segments only."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from pipeline.config import ReportParams
from pipeline.i18n import texts
from pipeline.schemas import explode_themes
from pipeline.suppression import count_unit, counting_keys

PLACEHOLDER = re.compile(r"<[A-ZÄÖÅ]+_\d+>")


@dataclass(frozen=True)
class ThemeView:
    """One theme as shown to people: all counts already suppressed."""

    theme_id: str
    label: str
    keywords: list[str]
    status: str
    is_new: bool
    n_docs: str
    n_clients: str
    shown: bool  # at least min_clients distinct clients
    by_service: list[tuple[str, int]]  # (name, percent)
    by_area: list[tuple[str, int]]
    trend: list[tuple[str, str]]  # (quarter, count or suppressed)
    excerpts: list[str]
    clients: int  # true count, used only for ordering, never shown below the minimum
    admin: bool = False  # administrative (hallinnollinen): in the review sheet, not a finding
    nearest: list[tuple[str, float]] = ()  # nearest themes (id, centre cosine)
    parent: str = ""  # the theme heading its group in the hierarchy


def suppressed(count: int, clients: int, min_clients: int, t: dict[str, str]) -> str:
    """The count as text, or `alle N` when it stands for fewer than `min_clients` clients."""
    return str(count) if clients >= min_clients else t["suppressed"].format(n=min_clients)


def client_ids(frame: pd.DataFrame) -> pd.Series:
    """The key a row is counted under (`privacy.counting_keys`, set by `theme_views`)."""
    return frame["client_key"]


def breakdown(
    theme_docs: pd.DataFrame, column: str, min_clients: int, t: dict[str, str]
) -> list[tuple[str, int]]:
    """Percent of the theme's documents per value of `column`; small cells folded into 'muut'.

    The 'muut' cell is itself dropped when it stands for fewer than `min_clients` clients.
    """
    if theme_docs.empty:
        return []
    total = len(theme_docs)
    values = theme_docs[column].where(theme_docs[column] != "", "?")
    clients = client_ids(theme_docs).groupby(values).nunique()
    big = sorted(
        (v for v in clients.index if clients[v] >= min_clients),
        key=lambda v: (-(values == v).sum(), v),
    )
    out = [(v, round(100 * (values == v).sum() / total)) for v in big]
    rest = theme_docs[~values.isin(big)]
    if len(rest) and client_ids(rest).nunique() >= min_clients:
        out.append((t["other"], round(100 * len(rest) / total)))
    return out


def quarter(date: str) -> str:
    """`2024-05-17` → `2024Q2`; "" when the date is missing."""
    if len(date) < 7:
        return ""
    return f"{date[:4]}Q{(int(date[5:7]) - 1) // 3 + 1}"


def trend(
    theme_docs: pd.DataFrame, quarters: list[str], min_clients: int, t: dict[str, str]
) -> list[tuple[str, str]]:
    q = theme_docs["date"].map(quarter)
    clients = client_ids(theme_docs)
    return [
        (name, suppressed(int((q == name).sum()), clients[q == name].nunique(), min_clients, t))
        for name in quarters
    ]


def pick_excerpts(
    excerpt_ids: list[str],
    segments: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    n: int,
    chars: int,
) -> list[str]:
    """Up to `n` short redacted excerpts, each from a different client, in the order of
    `excerpt_ids` (the topic stage's checked ranking: pipeline.excerpts)."""
    if not excerpt_ids:
        return []
    order = pd.DataFrame({"segment_id": list(excerpt_ids), "rank": range(len(excerpt_ids))})
    seg = order.merge(segments[["segment_id", "doc_id", "text", "boilerplate"]], on="segment_id")
    seg = seg[~seg["boilerplate"]].merge(docs[["doc_id", "client_key"]], on="doc_id")
    if seg.empty:
        return []
    seg = seg.assign(client=client_ids(seg)).sort_values("rank")
    picked = seg.drop_duplicates("client").head(n)
    return [shorten(text, chars) for text in picked["text"]]


def shorten(text: str, chars: int) -> str:
    text = " ".join(text.split())
    if len(text) <= chars:
        return text
    return text[:chars].rsplit(" ", 1)[0] + " …"


def theme_views(
    themes: pd.DataFrame,
    doc_themes: pd.DataFrame,
    docs: pd.DataFrame,
    segment_topics: pd.DataFrame,
    segments: pd.DataFrame,
    params: ReportParams,
) -> list[ThemeView]:
    """Display rows for every theme, largest first. Pure."""
    t = texts(params.language)
    m = params.min_clients
    by_documents = count_unit(docs) == "documents"
    docs = docs.assign(client_key=counting_keys(docs))
    pairs = explode_themes(doc_themes).merge(docs, on="doc_id")
    quarters = sorted({quarter(d) for d in docs["date"]} - {""})
    views = []
    for row in themes.itertuples(index=False):
        theme_docs = pairs[pairs["theme_id"] == row.theme_id]
        n_clients = client_ids(theme_docs).nunique() if len(theme_docs) else 0
        shown = n_clients >= m
        views.append(
            ThemeView(
                theme_id=row.theme_id,
                label=row.label,
                keywords=list(row.keywords),
                status=row.status,
                is_new=bool(row.is_new),
                n_docs=suppressed(len(theme_docs), n_clients, m, t),
                n_clients=t["not_known"]
                if by_documents
                else suppressed(n_clients, n_clients, m, t),
                shown=shown,
                by_service=breakdown(theme_docs, "service", m, t) if shown else [],
                by_area=breakdown(theme_docs, "area", m, t) if shown else [],
                trend=trend(theme_docs, quarters, m, t) if shown else [],
                excerpts=pick_excerpts(
                    list(getattr(row, "excerpt_ids", []) or []),
                    segments,
                    docs,
                    n=params.excerpts,
                    chars=params.excerpt_chars,
                )
                if shown
                else [],
                clients=n_clients,
                admin=bool(getattr(row, "admin", False)),
                nearest=list(
                    zip(
                        getattr(row, "nearest", []) or [],
                        getattr(row, "nearest_sim", []) or [],
                        strict=True,
                    )
                ),
                parent=str(getattr(row, "parent", "") or ""),
            )
        )
    return sorted(views, key=lambda v: (-v.clients, v.theme_id))


def summary_of(
    doc_themes: pd.DataFrame,
    themes: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    demo_key: bool,
    no_themes: dict | None,
) -> dict:
    out = {
        "count_unit": count_unit(docs),
        "n_clients_total": int(counting_keys(docs).nunique()),
        "n_docs": len(doc_themes),
        "n_themes": int((~themes["admin"]).sum()) if "admin" in themes else len(themes),
        "docs_without_theme": int((doc_themes["theme_id"] == "").sum()),
        "demo_key": demo_key,
    }
    if no_themes:
        out["no_themes"] = no_themes
    return out
