"""benchmarks/redaction.py scores both criteria: a token masked in any part, or in whole.

A half-masked name leaks (`Virta<...>`), so the whole-token criterion counts it as unmasked.
Tiny in-code documents; the real figures come from ../shared/data (see the README).
"""

from __future__ import annotations

import importlib.util
from collections import defaultdict

from pipeline.config import PROJECT_ROOT


def _bench():
    path = PROJECT_ROOT / "benchmarks" / "redaction.py"
    spec = importlib.util.spec_from_file_location("redaction_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_masked_fraction():
    bench = _bench()
    assert bench.masked_fraction(0, 10, [(0, 10, "HENKILÖ")]) == 1.0
    assert bench.masked_fraction(0, 10, [(0, 5, "HENKILÖ"), (5, 10, "HENKILÖ")]) == 1.0
    assert bench.masked_fraction(0, 10, [(0, 6, "HENKILÖ")]) == 0.6
    assert bench.masked_fraction(0, 10, [(20, 30, "HENKILÖ")]) == 0.0


def test_half_masked_name_counts_only_under_any_part():
    bench = _bench()
    # "Robin van Persie": `Robin` whole, `van` half, `Persie` not at all; `soitti` is O
    doc = {
        "text": "Robin van Persie soitti",
        "tokens": [(0, 5, "PER"), (6, 9, "PER"), (10, 16, "PER"), (17, 23, "O")],
    }
    spans = [(0, 5, "HENKILÖ"), (6, 8, "HENKILÖ")]
    counts: dict[str, int] = defaultdict(int)
    misses: list[str] = []
    bench.score([doc], [spans], counts, misses, show=10)
    figures = bench.figures_of(counts, 1, 1.0)
    assert figures["person_tokens"] == 3
    assert round(figures["person_unmasked_per_1000"]) == 333  # Persie
    assert round(figures["person_unmasked_whole_per_1000"]) == 667  # Persie and van
    assert figures["person_precision"] == 1.0
    assert figures["o_masked_per_1000"] == 0.0
    assert len(misses) == 2 and "(part)" in misses[0]
