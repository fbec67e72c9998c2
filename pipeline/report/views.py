"""Themes as people see them: every count, breakdown cell and excerpt suppressed below
`report.min_clients` distinct clients (DESIGN.md §5), excerpts and proposals from redacted
text only, rates instead of raw shares (`rates`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.config import ReportParams
from pipeline.i18n import texts
from pipeline.report.keywords import KeywordForms, surface_forms
from pipeline.report.proposals import proposals_frame, theme_proposals
from pipeline.report.rates import Cell, client_sets, group_cells
from pipeline.schemas import explode_themes
from pipeline.suppression import count_unit, counting_keys

PLACEHOLDER = re.compile(r"<[A-ZÄÖÅ]+_\d+>")
DIMENSIONS = ("area", "service", "doc_type")  # the "where" breakdowns, besides the quarter
# A change of the rate by at least this factor (either way) is shown as up or down.
CHANGE_FACTOR = 1.2


@dataclass(frozen=True)
class Change:
    """The theme's rate in the report period against the period before it."""

    previous: str  # period keys (`2024H2`)
    current: str
    previous_rate: float | None  # documents per 100 documents of the period; None = suppressed
    current_rate: float | None
    current_docs: int | None

    @property
    def direction(self) -> str:
        """up | down | same | "" (not known: a period suppressed or missing)."""
        if self.previous_rate is None or self.current_rate is None or not self.previous:
            return ""
        if self.current_rate >= CHANGE_FACTOR * self.previous_rate:
            return "up"
        if self.current_rate * CHANGE_FACTOR <= self.previous_rate:
            return "down"
        return "same"


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
    excerpts: list[str]
    clients: int  # true count, used only for ordering, never shown below the minimum
    docs: int | None = None  # numbers for the sheet (None = suppressed)
    clients_shown: int | None = None
    rate: float | None = None  # documents per 100 documents of the whole data
    breakdowns: dict[str, list[Cell]] = field(default_factory=dict)  # area, service, doc_type
    by_quarter: list[Cell] = field(default_factory=list)
    change: Change | None = None
    proposals: list[str] = field(default_factory=list)  # from the documents (social reports)
    description: str = ""  # the workgroup's, for accepted themes (registry)
    interpretation: str = ""
    workgroup_proposals: str = ""
    admin: bool = False  # an administrative topic (themes stage, when it says so)
    nearest: str = ""  # nearest themes, as text (themes stage, when it gives them)
    parent: str = ""

    @property
    def over(self) -> list[tuple[str, Cell]]:
        """(dimension, cell) where the theme is over-represented, highest index first."""
        found = [(d, c) for d, cells in self.breakdowns.items() for c in cells if c.over]
        return sorted(found, key=lambda dc: (-(dc[1].index or 0), dc[0], dc[1].group))

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"

    # Shares of the old report, kept for callers that show them (percent of the theme's docs).
    @property
    def by_service(self) -> list[tuple[str, int]]:
        return _shares(self.breakdowns.get("service", []), self.docs)

    @property
    def by_area(self) -> list[tuple[str, int]]:
        return _shares(self.breakdowns.get("area", []), self.docs)


def _shares(cells: list[Cell], docs: int | None) -> list[tuple[str, int]]:
    return [(c.group, round(100 * c.docs / docs)) for c in cells if c.shown and docs]


def suppressed(count: int, clients: int, min_clients: int, t: dict[str, str]) -> str:
    """The count as text, or `alle N` when it stands for fewer than `min_clients` clients."""
    return str(count) if clients >= min_clients else t["suppressed"].format(n=min_clients)


def client_ids(frame: pd.DataFrame) -> pd.Series:
    """The key a row is counted under (`privacy.counting_keys`, set by `theme_views`)."""
    return frame["client_key"]


def quarter(date: str) -> str:
    """`2024-05-17` → `2024Q2`; "" when the date is missing."""
    if len(date) < 7:
        return ""
    return f"{date[:4]}Q{(int(date[5:7]) - 1) // 3 + 1}"


def period(date: str, kind: str) -> str:
    """The report period of a date: `2024Q2` (quarter), `2024H1` (half), `2024` (year)."""
    if len(date) < 7:
        return ""
    if kind == "quarter":
        return quarter(date)
    if kind == "half":
        return f"{date[:4]}H{1 if int(date[5:7]) <= 6 else 2}"
    return date[:4]


def period_label(key: str, t: dict) -> str:
    """`2025H1` → `tammi–kesäkuu 2025`; `2025Q2` → `huhti–kesäkuu 2025`; `2025` → `2025`."""
    if not key or len(key) == 4:
        return key
    year, kind, n = key[:4], key[4], int(key[5:])
    first, last = ((n - 1) * 3, n * 3 - 1) if kind == "Q" else ((n - 1) * 6, n * 6 - 1)
    months = t["months"].split(",")
    return t["month_range"].format(a=months[first], b=months[last], year=year)


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


def pick_proposals(
    proposals: pd.DataFrame, docs: pd.DataFrame, *, n: int | None, chars: int
) -> list[str]:
    """A theme's proposals (theme_proposals rows): one per client, the theme's primary
    documents first, each shortened; `n` None = all."""
    if proposals.empty:
        return []
    rows = proposals.merge(docs[["doc_id", "client_key"]], on="doc_id")
    rows = rows.drop_duplicates("proposal").drop_duplicates("client_key")
    rows = rows if n is None else rows.head(n)
    return [shorten(p, chars) for p in rows["proposal"]]


def _column(row, name: str, default):
    """A themes-table column that an earlier stage may or may not provide."""
    value = getattr(row, name, default)
    return default if value is None or (isinstance(value, float) and pd.isna(value)) else value


def theme_views(
    themes: pd.DataFrame,
    doc_themes: pd.DataFrame,
    docs: pd.DataFrame,
    segment_topics: pd.DataFrame,
    segments: pd.DataFrame,
    params: ReportParams,
    notes: dict[str, dict] | None = None,
) -> list[ThemeView]:
    """Display rows for every theme, largest first. Pure.

    `notes`: the workgroup's words per theme id (`description`, `interpretation`,
    `proposals`) from the theme registry, shown for accepted themes.
    """
    t = texts(params.language)
    m = params.min_clients
    notes = notes or {}
    by_documents = count_unit(docs) == "documents"
    docs = docs.assign(
        client_key=counting_keys(docs),
        quarter=docs["date"].map(quarter),
        period=docs["date"].map(lambda d: period(d, params.period)),
        **{c: docs[c].where(docs[c] != "", t["unknown"]) for c in DIMENSIONS},
    )
    pairs = explode_themes(doc_themes)
    quarters = sorted(set(docs["quarter"]) - {""})
    periods = sorted(set(docs["period"]) - {""})
    forms = KeywordForms(surface_forms(segments.loc[~segments["boilerplate"], "text"]))
    proposals = theme_proposals(proposals_frame(docs), doc_themes)
    views = []
    has_date = (docs["quarter"] != "").to_numpy()

    everyone: dict[tuple[str, bool], dict] = {}  # the same for every theme: computed once

    def cells(flags, column: str, order: list[str] | None = None, rows=None) -> list[Cell]:
        key = (column, rows is None)
        rows = slice(None) if rows is None else rows
        if key not in everyone:
            everyone[key] = client_sets(docs[rows], column)
        return group_cells(
            docs[rows],
            flags[rows],
            column,
            min_clients=m,
            over_index=params.over_index,
            order=order,
            all_clients=everyone[key],
        )

    for row in themes.itertuples(index=False):
        in_theme = docs["doc_id"].isin(pairs.loc[pairs["theme_id"] == row.theme_id, "doc_id"])
        in_theme = in_theme.to_numpy()
        theme_docs = docs[in_theme]
        n_clients = client_ids(theme_docs).nunique() if len(theme_docs) else 0
        shown = n_clients >= m
        note = notes.get(row.theme_id, {}) if row.status == "accepted" else {}
        views.append(
            ThemeView(
                theme_id=row.theme_id,
                label=row.label,
                keywords=[forms(k) for k in row.keywords],
                status=row.status,
                is_new=bool(row.is_new),
                n_docs=suppressed(len(theme_docs), n_clients, m, t),
                n_clients=t["not_known"]
                if by_documents
                else suppressed(n_clients, n_clients, m, t),
                shown=shown,
                excerpts=pick_excerpts(
                    list(_column(row, "excerpt_ids", ())),
                    segments,
                    docs,
                    n=params.excerpts,
                    chars=params.excerpt_chars,
                )
                if shown
                else [],
                clients=n_clients,
                docs=len(theme_docs) if shown else None,
                clients_shown=n_clients if shown and not by_documents else None,
                rate=100 * len(theme_docs) / len(docs) if shown and len(docs) else None,
                breakdowns={d: cells(in_theme, d) for d in DIMENSIONS} if shown else {},
                by_quarter=cells(in_theme, "quarter", quarters, has_date) if shown else [],
                change=_change(docs, in_theme, periods, m) if shown else None,
                proposals=pick_proposals(
                    proposals[proposals["theme_id"] == row.theme_id],
                    docs,
                    n=None,
                    chars=4 * params.excerpt_chars,
                )
                if shown
                else [],
                description=note.get("description", ""),
                interpretation=note.get("interpretation", ""),
                workgroup_proposals=note.get("proposals", ""),
                admin=bool(_column(row, "admin", False)),
                nearest=_nearest_text(_column(row, "nearest", ()), _column(row, "nearest_sim", ())),
                parent=str(_column(row, "parent", "")),
            )
        )
    return sorted(views, key=lambda v: (v.admin, -v.clients, v.theme_id))


def _nearest_text(ids, similarities) -> str:
    """`T0003 (0.91), T0007 (0.88)` from the themes stage's nearest themes, when it gives them."""
    ids = list(ids) if ids is not None else []
    sims = list(similarities) if similarities is not None else []
    if len(sims) != len(ids):
        return ", ".join(map(str, ids))
    return ", ".join(f"{i} ({s:.2f})" for i, s in zip(ids, sims, strict=True))


def _change(docs: pd.DataFrame, in_theme, periods: list[str], m: int) -> Change:
    """The theme's rate in the last period against the one before (both suppressed alone)."""
    if not periods:
        return Change("", "", None, None, None)
    current, previous = periods[-1], periods[-2] if len(periods) > 1 else ""
    keep = docs["period"].isin([current, previous]).to_numpy()
    order = [previous, current] if previous else [current]
    cells = {
        c.group: c
        for c in group_cells(
            docs[keep], in_theme[keep], "period", min_clients=m, over_index=1.0, order=order
        )
    }
    now, before = cells[current], cells.get(previous)
    return Change(
        previous,
        current,
        before.rate if before is not None else None,
        now.rate,
        now.docs,
    )


def summary_of(
    doc_themes: pd.DataFrame,
    themes: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    demo_key: bool,
    no_themes: dict | None,
    period_kind: str = "half",
    min_clients: int = 5,
) -> dict:
    """Corpus-wide figures; `shown` holds each figure as it may be shown (None = suppressed)."""
    keys = counting_keys(docs)
    unthemed = doc_themes.loc[doc_themes["theme_id"] == "", "doc_id"]
    periods = docs["date"].map(lambda d: period(d, period_kind))
    dated = docs["date"].str.len() >= 7
    out = {
        "count_unit": count_unit(docs),
        "n_clients_total": int(keys.nunique()),
        "n_docs": len(doc_themes),
        "n_themes": int((~themes["admin"]).sum()) if "admin" in themes else len(themes),
        "n_accepted": int((themes["status"] == "accepted").sum()),
        "docs_without_theme": len(unthemed),
        "demo_key": demo_key,
        "first_date": str(docs.loc[dated, "date"].min()) if dated.any() else "",
        "last_date": str(docs.loc[dated, "date"].max()) if dated.any() else "",
    }
    known = sorted(set(periods) - {""})
    out["period"] = known[-1] if known else ""
    out["previous_period"] = known[-2] if len(known) > 1 else ""
    in_period = (periods == out["period"]).to_numpy()
    enough = out["n_clients_total"] >= min_clients
    unthemed_clients = keys[docs["doc_id"].isin(unthemed).to_numpy()].nunique()
    period_clients = frozenset(keys[in_period])
    by_clients = out["count_unit"] == "clients"
    out["shown"] = {
        "n_docs": out["n_docs"] if enough else None,
        "n_clients": out["n_clients_total"] if enough and by_clients else None,
        "docs_without_theme": len(unthemed)
        if unthemed_clients >= min_clients or len(unthemed) == 0
        else None,
        "period_docs": int(in_period.sum()) if len(period_clients) >= min_clients else None,
        "period_clients": len(period_clients)
        if len(period_clients) >= min_clients and by_clients
        else None,
    }
    if no_themes:
        out["no_themes"] = no_themes
    return out


def volume_by_quarter(docs: pd.DataFrame, min_clients: int) -> list[Cell]:
    """All documents by quarter (`total`; None where the quarter has fewer than
    `min_clients` clients), for the volume beside each theme's trend."""
    docs = docs.assign(client_key=counting_keys(docs), quarter=docs["date"].map(quarter))
    docs = docs[docs["quarter"] != ""]
    quarters = sorted(set(docs["quarter"]))
    everything = np.ones(len(docs), dtype=bool)
    return group_cells(
        docs, everything, "quarter", min_clients=min_clients, over_index=1.0, order=quarters
    )
