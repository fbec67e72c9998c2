"""Small inline SVG charts for the report page: no script, no external resource, scale with
the page (viewBox), every label escaped. Suppressed cells are gaps, never zeros."""

from __future__ import annotations

from html import escape

from pipeline.report.rates import Cell

W, H = 560, 170
LEFT, RIGHT, TOP, BOTTOM = 38, 44, 14, 30
INK, LINE, BAR, GRID = "#1d2733", "#1f5fa8", "#d5dde6", "#eef2f6"


def _number(value: float, language: str, decimals: int = 1) -> str:
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if language == "fi" else text


def trend_chart(
    cells: list[Cell], volume: list[Cell], *, language: str, title: str, volume_title: str
) -> str:
    """The theme's documents per 100 documents by quarter (line, left axis) over the volume of
    all documents by quarter (grey bars, right axis)."""
    n = len(cells)
    if not n or all(c.rate is None and c.total is None for c in [*cells, *volume]):
        return ""  # nothing may be shown (every cell suppressed)
    inner_w, inner_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    step = inner_w / n
    x = [LEFT + step * (i + 0.5) for i in range(n)]
    rates = [c.rate for c in cells]
    totals = {c.group: c.total for c in volume}
    top_volume = max((v for v in totals.values() if v), default=1)
    volume_only = all(r is None for r in rates)  # the volume chart: its own axis on the left
    top_rate = _nice(top_volume if volume_only else max(r for r in rates if r is not None) or 1)
    parts = [
        f'<svg class=chart viewBox="0 0 {W} {H}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for frac in (0, 0.5, 1):
        y = TOP + inner_h * (1 - frac)
        parts.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10" fill="{INK}">'
            f"{_number(top_rate * frac, language, 0)}</text>"
        )
    for i, c in enumerate(cells):
        total = totals.get(c.group)
        if total:
            h = inner_h * total / (top_rate if volume_only else top_volume)
            parts.append(
                f'<rect x="{x[i] - step * 0.35:.1f}" y="{TOP + inner_h - h:.1f}" '
                f'width="{step * 0.7:.1f}" height="{h:.1f}" fill="{BAR}">'
                f"<title>{escape(volume_title)} {escape(c.group)}: {total}</title></rect>"
            )
    if not volume_only:
        parts.append(
            f'<text x="{W - RIGHT + 4}" y="{TOP + 4}" font-size="10" fill="#6b7785">'
            f"{top_volume}</text>"
        )
    segment: list[str] = []
    for i, rate in enumerate([*rates, None]):
        if rate is None:
            if len(segment) > 1:
                parts.append(
                    f'<polyline points="{" ".join(segment)}" fill="none" stroke="{LINE}" '
                    'stroke-width="2.2"/>'
                )
            segment = []
            continue
        y = TOP + inner_h * (1 - rate / top_rate)
        segment.append(f"{x[i]:.1f},{y:.1f}")
    for i, c in enumerate(cells):
        if c.rate is None:
            continue
        y = TOP + inner_h * (1 - c.rate / top_rate)
        parts.append(
            f'<circle cx="{x[i]:.1f}" cy="{y:.1f}" r="3" fill="{LINE}">'
            f"<title>{escape(c.group)}: {c.docs} / {c.total} = "
            f"{_number(c.rate, language)}</title></circle>"
        )
    every = max(1, round(n / 8))
    for i, c in enumerate(cells):
        if i % every == 0 or i == n - 1:
            parts.append(
                f'<text x="{x[i]:.1f}" y="{H - 10}" text-anchor="middle" font-size="10" '
                f'fill="{INK}">{escape(c.group)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _nice(value: float) -> float:
    """The next round number at or above `value` (1, 2, 5 × 10^k)."""
    import math

    power = 10 ** math.floor(math.log10(value)) if value > 0 else 1
    for factor in (1, 2, 5, 10):
        if value <= factor * power:
            return factor * power
    return 10 * power
