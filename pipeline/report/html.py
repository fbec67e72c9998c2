"""The report page: self-contained (inline CSS, no scripts, no external resources), rendered
from `templates/report.html` with every value escaped."""

from __future__ import annotations

from pathlib import Path

from pipeline.config import ReportParams
from pipeline.i18n import no_themes_text, texts
from pipeline.report.tables import pairs_text
from pipeline.report.views import ThemeView, suppressed

TEMPLATES = Path(__file__).resolve().parent / "templates"
DATA_FILES = (TEMPLATES / "report.html", TEMPLATES / "report.css")


def render_html(views: list[ThemeView], summary: dict, params: ReportParams, run: str) -> str:
    """The report page for `views` (already suppressed) and the run's `summary`."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    t = texts(params.language)
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    shown = [v for v in views if v.shown]
    top = max((v.clients for v in shown), default=1)
    new = [v for v in shown if v.is_new]
    if new and len(new) == len(views):
        new_themes = t["all_new"]
    else:
        new_themes = ", ".join(f"{v.theme_id} {v.label}" for v in new) or t["none"]
    notes = []
    if summary.get("demo_key"):
        notes.append(t["demo_key"])
    if summary.get("count_unit") == "documents":
        notes.append(t["by_documents"].format(n=params.min_clients))
    if summary.get("no_themes"):
        notes.append(no_themes_text(summary["no_themes"], params.language))

    def total(count: int) -> str:
        """A corpus-wide count, suppressed like any other when the corpus is that small."""
        return suppressed(count, summary["n_clients_total"], params.min_clients, t)

    return env.get_template("report.html").render(
        t=t,
        language=params.language,
        css=(TEMPLATES / "report.css").read_text(encoding="utf-8"),
        min_clients=params.min_clients,
        notes=notes,
        summary=summary,
        totals={k: total(summary[k]) for k in ("n_docs", "docs_without_theme")},
        new_themes=new_themes,
        views=views,
        shown=shown,
        quarters=[q for q, _ in next((v.trend for v in views if v.trend), [])],
        bar_width=lambda v: max(2, round(200 * v.clients / top)),
        shares=lambda pairs: pairs_text(pairs, " %"),
        run=run,
    )
