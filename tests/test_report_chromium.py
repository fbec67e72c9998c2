"""The HTML report in a real browser (headless Debian `chromium`): it renders, shows the themes,
and the page makes no network request.

The net log (`--log-net-log`) records every URL request. Chromium's own background traffic
(update checks, account and clock probes) carries no initiator ("not an origin"); anything
the page asks for carries the page's origin ("null" for file://). A positive control page with
an external image and stylesheet proves the check would catch a leak. Every host name maps to
nothing (`--host-resolver-rules`), so not even Chromium's own probes leave the machine.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from devtools import BROWSER, FLAGS, DevTools
from test_review import make_run

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,  # a real browser
    pytest.mark.skipif(
        BROWSER is None, reason="chromium not installed (make test-system-packages)"
    ),
]


def browse(page: Path, tmp_path: Path, *extra: str) -> tuple[str, list[tuple[str, str]]]:
    """(DOM after rendering, [(initiator, url)] of every URL request in the net log)."""
    profile, netlog = tmp_path / "profile", tmp_path / f"{page.stem}.netlog.json"
    done = subprocess.run(
        [
            BROWSER,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--log-net-log={netlog}",
            *extra,
            "--dump-dom",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    log = json.loads(netlog.read_text(encoding="utf-8"))
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    requests = [
        (e["params"].get("initiator", ""), e["params"]["url"])
        for e in log["events"]
        if names.get(e["type"]) == "URL_REQUEST_START_JOB" and "url" in e.get("params", {})
    ]
    return done.stdout, requests


def page_requests(requests: list[tuple[str, str]]) -> list[str]:
    return [url for initiator, url in requests if initiator != "not an origin"]


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    make_run(out)
    return out / "report.html"


def test_report_renders_its_themes_without_network(report_html, tmp_path):
    dom, requests = browse(report_html, tmp_path)
    assert "Toistuvat ilmiöt asiakaskirjauksissa" in dom
    for theme_id, label in [("T0001", "vuokra, häätö"), ("T0006", "toimeentulotuki, hakemus")]:
        assert theme_id in dom and label in dom
    assert re.search(r'<table id="theme-sizes"[^>]*>.*T0003', dom, re.S)
    assert page_requests(requests) == []
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", dom)


def test_the_check_catches_a_page_that_calls_out(tmp_path):
    leaky = tmp_path / "leaky.html"
    leaky.write_text(
        "<!DOCTYPE html><html><body><p>T0001</p>"
        '<img src="http://example.invalid/pixel.png">'
        '<link rel="stylesheet" href="https://cdn.example.invalid/a.css">'
        "</body></html>",
        encoding="utf-8",
    )
    _, requests = browse(leaky, tmp_path)
    assert sorted(page_requests(requests)) == [
        "http://example.invalid/pixel.png",
        "https://cdn.example.invalid/a.css",
    ]


def test_screenshot_script_writes_a_png(report_html, tmp_path):
    png = tmp_path / "report.png"
    subprocess.run(
        [
            "bash",
            str(ROOT / "scripts" / "screenshot_report.sh"),
            str(report_html),
            str(png),
            "1200,1600",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 1600)


@pytest.fixture(scope="module")
def changing_report(tmp_path_factory) -> Path:
    """A report whose themes have a change against the previous period (longer cells)."""
    from test_report import corpus

    from pipeline.config import ReportParams
    from pipeline.stages import report

    out = tmp_path_factory.mktemp("changing")
    data = corpus()
    data["themes"] = data["themes"].assign(
        label=["vuokrasopimus, isännöitsijä, nykyinen, asumisneuvonta", "harvinainen"]
    )
    report.write_outputs(out, params=ReportParams(), metrics={}, demo_key=False, **data)
    assert "87,5 → 87,5" in (out / "report.html").read_text(encoding="utf-8")
    return out / "report.html"


def test_report_fits_800_px_and_prints_on_a4(changing_report, runs, tmp_path):
    """On a small report and on the bundled sample's (long names, changes in every row)."""
    tools = DevTools(tmp_path)
    try:
        for page, width in [
            (p, w) for p in (changing_report, runs[0] / "report.html") for w in (1400, 800)
        ]:
            session = tools.open(page, width)
            assert tools.value(session, "document.documentElement.scrollWidth") <= width
            # the overview's name, counts, rate and change are on screen at both widths, not
            # scrolled away inside the table's box
            rows = tools.value(
                session,
                "[...document.querySelectorAll('#theme-sizes tbody tr')].map(tr => [...tr.cells]"
                ".filter(td => td.offsetWidth > 0).map(td => td.getBoundingClientRect().right))",
            )
            assert rows and all(len(r) >= 5 for r in rows), (width, rows)
            assert all(right <= width for r in rows for right in r), (width, rows)
            # the page's own print CSS (@page size A4) decides the paper
            pdf = tools.call("Page.printToPDF", session, preferCSSPageSize=True)
        import base64

        data = base64.b64decode(pdf["data"])
        assert data[:5] == b"%PDF-"
        pages = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
        sizes = {(float(w), float(h)) for w, h in pages}
        assert sizes and all(abs(w - 595.3) < 1.5 and abs(h - 841.9) < 1.5 for w, h in sizes)
    finally:
        tools.close()
