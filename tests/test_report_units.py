"""The report's small parts: rates and over-representation, secondary suppression, keyword
display forms, period labels, progress bars, the run summary, and `ilmio compare`."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from pipeline.i18n import texts
from pipeline.progress import enabled
from pipeline.report.keywords import KeywordForms, surface_forms
from pipeline.report.rates import group_cells, shown_groups, wilson_low
from pipeline.report.views import period, period_label
from pipeline.run import summary_lines


def test_wilson_lower_bound():
    assert wilson_low(0, 10) == 0.0
    assert wilson_low(5, 10) == pytest.approx(0.2366, abs=1e-4)  # textbook value
    assert wilson_low(50, 100) > wilson_low(5, 10)


def test_secondary_suppression_hides_the_smallest_shown_cell():
    clients = {
        "big": frozenset(range(10)),
        "mid": frozenset(range(10, 16)),
        "small": frozenset({16, 17}),
    }
    # "small" alone would be total - big - mid: "mid" goes too, so the hidden part is 8 clients
    assert shown_groups(clients, 5) == {"big"}
    assert shown_groups({**clients, "small": frozenset(range(16, 21))}, 5) == set(clients)
    assert shown_groups({"a": frozenset({1}), "b": frozenset({2})}, 5) == set()


def test_rates_and_index_worked_example():
    """Theme in 12 of Loviisa's 40 documents (30 per 100) and 60 of all 400 (15 per 100):
    index 2.0; Loviisa's clients: 9 of 20 have it, 39 of 200 overall → over-represented."""
    rows = []
    for i in range(400):
        area = "Loviisa" if i < 40 else "Porvoo"
        client = f"L{i % 20}" if area == "Loviisa" else f"P{i % 180}"
        rows.append({"doc_id": f"D{i}", "client_key": client, "area": area})
    docs = pd.DataFrame(rows)
    theme = np.zeros(400, dtype=bool)
    theme[[i for i in range(40) if i % 20 < 9][:12]] = True  # 12 Loviisa docs, 9 clients
    theme[[i for i in range(40, 400) if (i % 180) < 30][:48]] = True  # 48 Porvoo docs, 30 clients
    cells = {c.group: c for c in group_cells(docs, theme, "area", min_clients=5, over_index=1.5)}
    loviisa = cells["Loviisa"]
    assert (loviisa.docs, loviisa.total) == (12, 40)
    assert loviisa.rate == pytest.approx(30.0) and loviisa.index == pytest.approx(2.0)
    assert loviisa.over
    assert not cells["Porvoo"].over and cells["Porvoo"].index == pytest.approx(48 / 360 / 0.15)


def test_keyword_forms_follow_the_text():
    forms = KeywordForms(
        surface_forms(
            [
                "Asiakas tilasi Kela-kyydin. Päätös tuli Kelalta ja kyyti peruttiin.",
                "Asiakas odottaa Kelan päätöstä. Riskinarvio tehtiin MARAK-menetelmällä.",
            ]
        )
    )
    assert forms("kela-kyyti") == "Kela-kyyti"
    assert forms("asiakas") == "asiakas"  # capital only at sentence starts
    assert forms("talous-_ja_velkaneuvonta") == "talous- ja velkaneuvonta"
    assert forms("marak-menetelmä") == "MARAK-menetelmä"


def test_periods_and_their_finnish_labels():
    t = texts("fi")
    assert period("2025-05-17", "half") == "2025H1" and period("2024-11-02", "quarter") == "2024Q4"
    assert period_label("2025H1", t) == "tammi–kesäkuu 2025"
    assert period_label("2024Q4", t) == "loka–joulukuu 2024"
    assert period_label("2024H2", texts("en")) == "Jul–Dec 2024"


def test_progress_only_on_a_terminal_outside_ci(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("ILMIO_NO_PROGRESS", raising=False)
    assert enabled(Tty()) and not enabled(io.StringIO())
    monkeypatch.setenv("CI", "true")
    assert not enabled(Tty())


def test_run_summary_lists_every_stage():
    lines = summary_lines({"ingest": 1.0, "embed": 3.0}, {"ingest": {"ingested": 942}})
    assert lines[1].split() == ["ingest", "1.0", "25%", "ingested", "942"]
    assert lines[-1].split()[:2] == ["run", "4.0"]


def test_compare_matches_themes_by_content_not_id(tmp_path, capsys):
    from test_review import make_run

    from pipeline.cli import main
    from pipeline.compare import compare_runs

    make_run(tmp_path / "a")
    make_run(tmp_path / "b", noise=0.05)
    result = compare_runs(tmp_path / "a", tmp_path / "b")
    assert len(result.matched) == 6 and not result.appeared and not result.vanished
    assert all(a.theme_id == b.theme_id and sim > 0.9 for a, b, sim, _ in result.matched)
    assert {change for *_, change in result.matched} == {"same"}
    # a theme only one run has: vanished from A (ids alone would have matched nothing else)
    state = tmp_path / "b" / "themes_state.json"
    import json

    data = json.loads(state.read_text(encoding="utf-8"))
    data["themes"] = data["themes"][1:]
    state.write_text(json.dumps(data), encoding="utf-8")
    assert main(["compare", str(tmp_path / "a"), str(tmp_path / "b")]) == 0
    printed = capsys.readouterr().out
    assert "matched 5" in printed and "vanished 1" in printed and "vanished from A: 1" in printed
