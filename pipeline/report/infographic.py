"""A one-page infographic of the report period (A4, PNG and PDF) for other actors.

The period (the data's last `report.period`), distinct clients and documents in it, the main
phenomena with their size and direction of change against the previous period, where they are
over-represented, and the workgroup's proposals for accepted themes. Every number comes from
the suppressed views: nothing below `report.min_clients` clients reaches the page.

Drawn with matplotlib's Agg and PDF backends: no browser, no network, its bundled DejaVu Sans
has ä, ö, å and the arrows. (Vega-Lite through vl-convert would need a second chart language
and a 100 MB binary wheel for one page of bars and text.) The files are reproducible: no dates
in the metadata.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from pipeline.i18n import texts
from pipeline.report.views import ThemeView, period_label

A4 = (8.27, 11.69)  # inches, portrait
NAVY, BLUE, GREY, LIGHT, INK = "#16324f", "#2f6db3", "#6b7785", "#e9eef4", "#1d2733"
ARROWS = {"up": "▲", "down": "▼", "same": "►", "": "–"}
COLOURS = {"up": "#b3261e", "down": "#2e7d32", "same": GREY, "": GREY}
MAX_THEMES = 6


def _fmt(value: float | None, language: str, decimals: int = 1) -> str:
    if value is None:
        return "–"
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if language == "fi" else text


def main_themes(views: list[ThemeView], n: int = MAX_THEMES) -> list[ThemeView]:
    """The largest shown, non-administrative themes by their documents in the period."""
    ranked = [v for v in views if v.shown and not v.admin and v.change and v.change.current_docs]
    return sorted(ranked, key=lambda v: (-(v.change.current_docs or 0), v.theme_id))[:n]


def draw(views: list[ThemeView], summary: dict, *, language: str, min_clients: int, run: str):
    """The infographic as a matplotlib Figure (not attached to pyplot's global state)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    t = texts(language)
    shown = summary["shown"]
    fig = Figure(figsize=A4, dpi=150)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 141.3)  # A4 proportions: 1 unit = 2.1 mm
    ax.axis("off")

    def text(x, y, s, **kw):
        ax.text(x, y, s, **{"color": INK, "va": "center", **kw})

    ax.add_patch(Rectangle((0, 125), 100, 16.3, color=NAVY))
    text(6, 135.5, t["infographic_title"], color="white", fontsize=22, weight="bold")
    period = period_label(summary.get("period", ""), t)
    text(6, 129, f"{t['period']}: {period}", color="white", fontsize=13)
    first, last = summary.get("first_date", ""), summary.get("last_date", "")
    text(
        94, 129, f"{t['data_period']}: {first} – {last}", color="#c9d6e5", fontsize=8.5, ha="right"
    )

    figures = [
        (shown.get("period_clients"), f"{t['key_clients']} · {period}"),
        (shown.get("period_docs"), f"{t['key_docs']} · {period}"),
        (
            summary["n_themes"],
            f"{t['key_themes']} · " + t["key_accepted"].format(n=summary.get("n_accepted", 0)),
        ),
    ]
    for i, (value, label) in enumerate(figures):
        x = 6 + i * 30
        ax.add_patch(Rectangle((x, 110), 28, 11, color=LIGHT))
        shown_value = str(value) if value is not None else t["suppressed"].format(n=min_clients)
        text(x + 14, 117, shown_value, ha="center", fontsize=19, weight="bold", color=NAVY)
        text(x + 14, 112.3, textwrap.shorten(label, 38), ha="center", fontsize=7.5)
    note = t["candidates_note"].format(
        accepted=summary.get("n_accepted", 0), total=summary["n_themes"]
    )
    for k, line in enumerate(textwrap.wrap(note, 115)[:2]):
        text(6, 106.5 - 2.6 * k, line, fontsize=7.5, color=GREY)

    y = 99
    text(6, y, t["infographic_main"], fontsize=13, weight="bold", color=NAVY)
    previous = period_label(summary.get("previous_period", ""), t)
    if previous:
        text(94, y, t["vs_previous"].format(period=previous), fontsize=8, color=GREY, ha="right")
    themes = main_themes(views)
    biggest = max((v.change.current_docs for v in themes), default=1) or 1
    y -= 5.5
    for v in themes:
        change = v.change
        text(6, y, textwrap.shorten(v.label, 60), fontsize=9.5, weight="bold")
        badge = t["accepted_badge"] if v.accepted else t["candidate_badge"]
        text(
            94,
            y,
            badge,
            fontsize=7,
            ha="right",
            color="white" if v.accepted else GREY,
            bbox={"boxstyle": "round,pad=0.2", "fc": BLUE if v.accepted else LIGHT, "ec": "none"},
        )
        width = 36 * change.current_docs / biggest
        ax.add_patch(Rectangle((6, y - 4.2), width, 2.2, color=BLUE))
        text(
            7 + width,
            y - 3.1,
            f"{change.current_docs} {t['key_docs']} · "
            f"{_fmt(change.current_rate, language)} {t['per_100_title']}",
            fontsize=8,
        )
        arrow = ARROWS[change.direction]
        label = t.get(change.direction) or t["no_change"]
        text(
            94,
            y - 3.1,
            f"{arrow} {label} ({_fmt(change.previous_rate, language)} → "
            f"{_fmt(change.current_rate, language)})",
            fontsize=8,
            ha="right",
            color=COLOURS[change.direction],
        )
        where = ", ".join(f"{c.group} {_fmt(c.index, language)}×" for _, c in v.over[:3])
        if where:
            text(6, y - 6.2, f"{t['where_title']}: {where}", fontsize=7.2, color=GREY)
        y -= 8.8

    y -= 1
    text(6, y, t["infographic_props"], fontsize=13, weight="bold", color=NAVY)
    y -= 4.5
    accepted = [v for v in views if v.accepted and v.shown and v.workgroup_proposals]
    if not accepted:
        text(6, y, t["infographic_no_props"], fontsize=8.5, color=GREY)
    for v in accepted:
        lines = textwrap.wrap(f"{v.label}: {v.workgroup_proposals}", 115)[:3]
        if y - 2.8 * len(lines) < 11:
            break
        for k, line in enumerate(lines):
            text(6, y, ("• " if not k else "   ") + line, fontsize=8)
            y -= 2.6
        y -= 1.2

    footer = t["infographic_footer"].format(n=min_clients, run=run)
    for k, line in enumerate(textwrap.wrap(footer, 125)):
        text(6, 6.5 - 2.5 * k, line, fontsize=6.8, color=GREY)
    return fig


def write_infographic(
    views: list[ThemeView],
    summary: dict,
    folder: Path,
    *,
    language: str,
    min_clients: int,
    run: str,
) -> list[Path]:
    """infographic.png and infographic.pdf in `folder` (reproducible bytes)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_pdf import FigureCanvasPdf

    fig = draw(views, summary, language=language, min_clients=min_clients, run=run)
    png, pdf = Path(folder) / "infographic.png", Path(folder) / "infographic.pdf"
    FigureCanvasAgg(fig).print_png(png, metadata={"Software": None})
    FigureCanvasPdf(fig).print_pdf(
        pdf, metadata={"CreationDate": None, "Creator": None, "Producer": None}
    )
    return [png, pdf]
