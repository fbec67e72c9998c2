"""The report page: self-contained (inline CSS and SVG, no scripts, no external resources),
rendered from `templates/report.html` with every value escaped; readable at 800 px, printable
on A4."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup, escape

from pipeline.config import ReportParams
from pipeline.i18n import no_themes_text, texts
from pipeline.report.charts import trend_chart
from pipeline.report.rates import Cell
from pipeline.report.views import ThemeView, period_label

TEMPLATES = Path(__file__).resolve().parent / "templates"
DATA_FILES = (TEMPLATES / "report.html", TEMPLATES / "report.css")


def number(value: float | None, language: str, decimals: int = 1) -> str:
    """`12,5` (Finnish) or `12.5`; `–` for a suppressed value."""
    if value is None:
        return "–"
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if language == "fi" else text


def worked_example(views: list[ThemeView], summary: dict, params: ReportParams) -> str:
    """The over-representation rule worked through on the data: the first over-represented
    municipality of the largest theme that has one ("" when none)."""
    t = texts(params.language)
    for v in views:
        area = [c for d, c in v.over if d == "area"]
        if not area or v.docs is None or summary["shown"]["n_docs"] is None:
            continue
        c = area[0]
        return t["example"].format(
            theme=v.label,
            group=c.group,
            k=c.docs,
            n=c.total,
            rate=number(c.rate, params.language),
            K=v.docs,
            N=summary["n_docs"],
            overall=number(v.rate, params.language),
            index=number(c.index, params.language, 2),
        )
    return ""


def render_html(
    views: list[ThemeView],
    summary: dict,
    params: ReportParams,
    run: str,
    volume: list[Cell] | None = None,
) -> str:
    """The report page for `views` (already suppressed), the run's `summary` and the volume of
    all documents by quarter (`volume`, suppressed)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    t = texts(params.language)
    lang = params.language
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    volume = volume or []
    shown = [v for v in views if v.shown and not v.admin]
    notes = []
    if summary.get("demo_key"):
        notes.append(t["demo_key"])
    if summary.get("count_unit") == "documents":
        notes.append(t["by_documents"].format(n=params.min_clients))
    if summary.get("no_themes"):
        notes.append(no_themes_text(summary["no_themes"], lang))
    hidden = t["suppressed"].format(n=params.min_clients)

    def badges(v: ThemeView) -> Markup:
        status = "accepted" if v.accepted else "candidate"
        out = Markup('<span class="badge b-{}">{}</span>').format(status, t[f"{status}_badge"])
        if v.is_new:
            out += Markup('<span class="badge b-new">{}</span>').format(t["new_badge"])
        return out

    def change(v: ThemeView) -> Markup:
        c = v.change
        if c is None or not c.direction:
            return Markup('<span class="unknown" title="{}">–</span>').format(t["no_change"])
        arrow = {"up": "▲", "down": "▼", "same": "►"}[c.direction]
        return Markup('<span class="{} change" title="{}">{} {} → {}</span>').format(
            c.direction,
            t[c.direction],
            arrow,
            number(c.previous_rate, lang),
            number(c.current_rate, lang),
        )

    def where(v: ThemeView) -> str:
        return ", ".join(f"{c.group} {number(c.index, lang)}×" for _, c in v.over[:4])

    volume_chart = trend_chart(
        [Cell(c.group, None, c.total, None, None) for c in volume],
        volume,
        language=lang,
        title=t["volume_title"],
        volume_title=t["volume_title"],
    )
    charts = {
        v.theme_id: trend_chart(
            v.by_quarter,
            volume,
            language=lang,
            title=f"{v.theme_id} {v.label}: {t['trend_per_100']}",
            volume_title=t["volume_title"],
        )
        for v in shown
    }
    return env.get_template("report.html").render(
        t=t,
        language=lang,
        css=(TEMPLATES / "report.css").read_text(encoding="utf-8"),
        min_clients=params.min_clients,
        over_index=number(params.over_index, lang),
        notes=notes,
        summary=summary,
        period=period_label(summary.get("period", ""), t),
        previous=period_label(summary.get("previous_period", ""), t),
        example=worked_example(shown, summary, params),
        findings=[v for v in views if not v.admin],
        shown=shown,
        admin=[v for v in views if v.admin],
        dims=[
            ("area", t["area_title"]),
            ("service", t["service_title"]),
            ("doc_type", t["doc_type_title"]),
        ],
        charts=charts,
        volume_chart=volume_chart,
        n_proposals=params.proposals,
        hidden=hidden,
        badges=badges,
        change=change,
        where=where,
        number=lambda value, decimals=1: number(value, lang, decimals),
        shown_or=lambda value: hidden if value is None else value,
        run=run,
        escape=escape,
    )
