"""Write what the workgroup and decision makers read: review sheet, theme table, HTML report.

Every count, breakdown cell and excerpt is shown only for groups of at least
`report.min_clients` distinct clients (small-cell suppression, DESIGN.md §5). Excerpts come
from redacted segments only.

Reads:  07_doc_themes.parquet, 07_themes.parquet, 06_segment_topics.parquet,
        03_segments.parquet, 02_redacted.parquet (metadata columns and redacted text)
        06_centroids.npy
Writes: themes.xlsx, themes.csv, doc_themes.csv, report.html, metrics.json, themes_state.json
        (in the output dir)
Params: params.yaml > report
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline import io, schemas, spreadsheet
from pipeline.config import Params, ReportParams
from pipeline.i18n import help_rows, no_themes_text, texts
from pipeline.stages.themes import explode_themes
from pipeline.suppression import count_unit, counting_keys

log = logging.getLogger(__name__)

PLACEHOLDER = re.compile(r"<[A-ZÄÖÅ]+_\d+>")
# What the report stage writes (and `pipeline.outputs` may replace in its output folder).
REPORT_FILES = frozenset(
    {"themes.xlsx", "themes.csv", "doc_themes.csv", "report.html", "metrics.json"}
    | {"themes_state.json", "manifest.json"}
)
REVIEW_KEYS = ("decision", "new_name", "merge_into", "description", "comment", "reviewer")


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
    segment_topics: pd.DataFrame,
    segments: pd.DataFrame,
    docs: pd.DataFrame,
    topic: int,
    *,
    n: int,
    chars: int,
) -> list[str]:
    """Up to `n` short redacted excerpts, each from a different client, most typical first."""
    seg = segment_topics[segment_topics["topic"] == topic].merge(
        segments[["segment_id", "text", "boilerplate"]], on="segment_id"
    )
    seg = seg[~seg["boilerplate"]].merge(docs[["doc_id", "client_key"]], on="doc_id")
    if seg.empty:
        return []
    seg = seg.assign(markers=seg["text"].str.count(PLACEHOLDER.pattern), client=client_ids(seg))
    seg = seg.sort_values(["markers", "probability", "segment_id"], ascending=[True, False, True])
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
                    segment_topics,
                    segments,
                    docs,
                    int(row.topic),
                    n=params.excerpts,
                    chars=params.excerpt_chars,
                )
                if shown
                else [],
                clients=n_clients,
            )
        )
    return sorted(views, key=lambda v: (-v.clients, v.theme_id))


def _pairs_text(pairs: Iterable[tuple[str, object]], unit: str = "") -> str:
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
            t["by_service"]: _pairs_text(v.by_service, " %"),
            t["by_area"]: _pairs_text(v.by_area, " %"),
            t["trend"]: _pairs_text(v.trend),
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
    """themes.csv columns plus excerpts and the empty review columns."""
    t = texts(language)
    table = themes_table(views, language)
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


def write_xlsx(
    table: pd.DataFrame, path: Path, *, language: str, run: str, min_clients: int
) -> None:
    """The review sheet: themes, instructions in plain language, hidden run id."""
    from datetime import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    t = texts(language)
    wb = Workbook()
    ws = wb.active
    ws.title = t["sheet_themes"]
    spreadsheet.write_rows(ws, [list(table.columns), *map(list, table.itertuples(index=False))])
    review_cols = [table.columns.get_loc(t[k]) + 1 for k in REVIEW_KEYS]
    fill = PatternFill("solid", fgColor="FFF2CC")
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for col in range(1, len(table.columns) + 1):
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = 14 if col in review_cols else 30
        for cell in ws[letter][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if col in review_cols:
                cell.fill = fill
    decision = get_column_letter(review_cols[0])
    rule = DataValidation(type="list", formula1=f'"{t["decisions"]}"', allow_blank=True)
    rule.add(f"{decision}2:{decision}{max(len(table), 1) + 1}")
    ws.add_data_validation(rule)
    ws.freeze_panes = "C2"
    help_ws = wb.create_sheet(t["sheet_help"])
    spreadsheet.write_rows(help_ws, [[line.format(n=min_clients)] for line in help_rows(language)])
    help_ws.column_dimensions["A"].width = 110
    meta = wb.create_sheet("_ilmio")
    spreadsheet.write_rows(meta, [["run_id", run], ["language", language]])
    meta.sheet_state = "hidden"
    fixed = datetime(2000, 1, 1)
    wb.properties.creator = "ilmio"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    fix_zip_timestamps(path)


def fix_zip_timestamps(path: Path) -> None:
    """Rewrite an .xlsx (a zip) with fixed entry times and a fixed `modified` property (openpyxl
    stamps the save time on both), so equal sheets give equal bytes."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    stamp = rb"\g<1>2000-01-01T00:00:00Z\g<2>"
    entries = [
        (
            name,
            re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", stamp, data)
            if name == "docProps/core.xml"
            else data,
        )
        for name, data in entries
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            target.writestr(
                zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:70rem;color:#1d2733;line-height:1.45;padding:0 1rem}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{border-bottom:2px solid #d8e0e8;padding-bottom:.2rem;
margin-top:2rem}table{border-collapse:collapse;width:100%;margin:.5rem 0}
td,th{border-bottom:1px solid #e3e8ee;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f6f9}.bar{background:#3b6ea5;height:.9rem;display:inline-block;border-radius:2px}
.badge{background:#d9480f;color:#fff;border-radius:3px;padding:0 .35rem;font-size:.8rem;
margin-left:.4rem}.theme{border:1px solid #d8e0e8;border-radius:6px;padding:.6rem 1rem;
margin:1rem 0}.kw{color:#555}.note{background:#fff8e1;padding:.5rem 1rem;border-radius:4px}
blockquote{margin:.3rem 0;padding:.2rem .8rem;border-left:3px solid #9bb4cf;color:#333}
.meta{color:#777;font-size:.85rem}
"""


def render_html(views: list[ThemeView], summary: dict, params: ReportParams, run: str) -> str:
    """A self-contained page (inline CSS, no scripts, no external resources)."""
    t = texts(params.language)
    e = html.escape
    top = max((v.clients for v in views if v.shown), default=1)
    size_rows = "".join(
        f"<tr><td>{e(v.theme_id)}</td><td>{e(v.label)}"
        f"{'<span class=badge>' + e(t['new_badge']) + '</span>' if v.is_new else ''}</td>"
        f"<td>{e(v.n_docs)}</td><td>{e(v.n_clients)}</td><td>"
        + (
            f"<span class=bar style='width:{max(2, round(200 * v.clients / top))}px'></span>"
            if v.shown
            else ""
        )
        + "</td></tr>"
        for v in views
    )
    new = [v for v in views if v.is_new and v.shown]
    if new and len(new) == len(views):
        new_html = e(t["all_new"])
    else:
        new_html = ", ".join(f"{e(v.theme_id)} {e(v.label)}" for v in new) or e(t["none"])
    quarters = [q for q, _ in next((v.trend for v in views if v.trend), [])]
    trend_head = "".join(f"<th>{e(q)}</th>" for q in quarters)
    trend_rows = "".join(
        f"<tr><td>{e(v.theme_id)} {e(v.label)}</td>"
        + "".join(f"<td>{e(c)}</td>" for _, c in v.trend)
        + "</tr>"
        for v in views
        if v.shown
    )
    details = "".join(_theme_block(v, t) for v in views if v.shown)
    demo = f"<p class=note>{e(t['demo_key'])}</p>" if summary.get("demo_key") else ""

    def total(count: int) -> str:
        """A corpus-wide count, suppressed like any other when the corpus is that small."""
        return suppressed(count, summary["n_clients_total"], params.min_clients, t)

    if summary.get("count_unit") == "documents":
        demo += f"<p class=note>{e(t['by_documents'].format(n=params.min_clients))}</p>"
    if summary.get("no_themes"):
        demo += f"<p class=note>{e(no_themes_text(summary['no_themes'], params.language))}</p>"
    return f"""<!DOCTYPE html>
<html lang="{params.language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{e(t["title"])}</title><style>{CSS}</style></head><body>
<h1>{e(t["title"])}</h1>
<p>{e(t["intro"].format(n=params.min_clients))}</p>{demo}
<h2>{e(t["summary"])}</h2>
<table><tr><th>{e(t["n_docs_total"])}</th><td>{e(total(summary["n_docs"]))}</td></tr>
<tr><th>{e(t["n_themes_total"])}</th><td>{summary["n_themes"]}</td></tr>
<tr><th>{e(t["unthemed"])}</th><td>{e(total(summary["docs_without_theme"]))}</td></tr>
<tr><th>{e(t["new_themes"])}</th><td>{new_html}</td></tr></table>
<h2>{e(t["theme_sizes"])}</h2>
<table id="theme-sizes"><tr><th>{e(t["theme_id"])}</th><th>{e(t["label"])}</th>
<th>{e(t["n_docs"])}</th><th>{e(t["n_clients"])}</th><th></th></tr>{size_rows}</table>
<h2>{e(t["trend_title"])}</h2>
<table><tr><th>{e(t["theme"])}</th>{trend_head}</tr>{trend_rows}</table>
{details}
<p class=meta>{e(t["generated"])}: {e(run)}</p>
</body></html>
"""


def _theme_block(v: ThemeView, t: dict[str, str]) -> str:
    e = html.escape
    badge = f"<span class=badge>{e(t['new_badge'])}</span>" if v.is_new else ""
    service = _pairs_text(v.by_service, " %")
    area = _pairs_text(v.by_area, " %")
    quotes = "".join(f"<blockquote>{e(x)}</blockquote>" for x in v.excerpts)
    return (
        f"<div class=theme><h3>{e(v.theme_id)} {e(v.label)}{badge}</h3>"
        f"<p class=kw>{e(t['keywords'])}: {e(', '.join(v.keywords))}</p>"
        f"<p>{e(t['n_docs'])}: {e(v.n_docs)} · {e(t['n_clients'])}: {e(v.n_clients)}</p>"
        f"<p>{e(t['service_title'])}: {e(service)}</p><p>{e(t['area_title'])}: {e(area)}</p>"
        f"<p><b>{e(t['excerpts_title'])}</b></p>{quotes}</div>"
    )


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
        "n_themes": len(themes),
        "docs_without_theme": int((doc_themes["theme_id"] == "").sum()),
        "demo_key": demo_key,
    }
    if no_themes:
        out["no_themes"] = no_themes
    return out


def write_outputs(
    out_dir: Path,
    *,
    doc_themes: pd.DataFrame,
    themes: pd.DataFrame,
    docs: pd.DataFrame,
    segment_topics: pd.DataFrame,
    segments: pd.DataFrame,
    params: ReportParams,
    metrics: dict,
    demo_key: bool,
    centroids: np.ndarray | None = None,
) -> None:
    """Write themes.xlsx, themes.csv, doc_themes.csv, report.html, metrics.json and the run
    state (`themes_state.json`: theme ids, keywords, centroids) that `review import` reads."""
    from pipeline.workgroup.registry.runstate import RUN_STATE, write_run_state

    out_dir.mkdir(parents=True, exist_ok=True)
    views = theme_views(themes, doc_themes, docs, segment_topics, segments, params)
    run = run_id(doc_themes, themes)
    write_run_state(out_dir / RUN_STATE, themes, centroids, run)
    spreadsheet.write_csv(themes_table(views, params.language), out_dir / "themes.csv")
    spreadsheet.write_csv(doc_themes, out_dir / "doc_themes.csv")
    write_xlsx(
        review_sheet_rows(views, params.language, params.excerpts),
        out_dir / "themes.xlsx",
        language=params.language,
        run=run,
        min_clients=params.min_clients,
    )
    topic_metrics = metrics.get("topics") or metrics.get("stages", {}).get("topics") or {}
    summary = summary_of(
        doc_themes, themes, docs, demo_key=demo_key, no_themes=topic_metrics.get("no_themes")
    )
    (out_dir / "report.html").write_text(render_html(views, summary, params, run), encoding="utf-8")
    # The client total stays out of the metrics: below report.min_clients it is a small cell.
    public = {k: v for k, v in summary.items() if k != "n_clients_total"}
    io.write_json({**metrics, "run_id": run, "report": public}, out_dir / "metrics.json")
    log.info("report: %d themes written to %s", len(views), out_dir)


def main(
    doc_themes_path: Path,
    themes_path: Path,
    segment_topics_path: Path,
    segments_path: Path,
    redacted_path: Path,
    centroids_path: Path,
    metrics_dir: Path,
    out_dir: Path,
    params: Params,
) -> None:
    from pipeline.outputs import OutputFolder

    stage_metrics = {p.stem: io.read_json(p) for p in sorted(Path(metrics_dir).glob("*.json"))}
    redact_metrics = stage_metrics.get("redact", {})
    with OutputFolder(out_dir, names=REPORT_FILES) as folder:
        write_outputs(
            folder.path,
            doc_themes=io.read_table(doc_themes_path, schemas.DOC_THEMES),
            themes=io.read_table(themes_path, schemas.THEMES),
            docs=io.read_table(redacted_path, schemas.REDACTED),
            segment_topics=io.read_table(segment_topics_path, schemas.SEGMENT_TOPICS),
            segments=io.read_table(segments_path, schemas.SEGMENTS),
            params=params.report,
            metrics={"stages": stage_metrics},
            demo_key=bool(redact_metrics.get("demo_key", False)),
            centroids=np.load(centroids_path),
        )
        folder.publish({"stage": "report"})
