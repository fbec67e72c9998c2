"""The before/after benchmark's scores (benchmarks/theme_corpora.py), on tiny in-code inputs: the
figures themselves come from ../shared/data."""

import sys

import pandas as pd
import pytest

from pipeline.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
import theme_corpora


def doc_themes(themes):
    return pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(len(themes))],
            "theme_id": themes,
            "theme_ids": themes,
            "probability": 1.0,
        }
    )


GOLD = {f"d{i}": (label, {label}) for i, label in enumerate("aaaabbbbcc")} | {
    "d10": ("X00_muu", {"X00_muu"})
}


def test_scores_count_recovered_phenomena_and_documents_without_theme():
    found = doc_themes(["T1"] * 4 + ["T2"] * 3 + [""] + ["T1", "T3"] + ["T2"])
    out = theme_corpora.scores(found, GOLD, shown={"T1", "T2", "T3"})
    # a: T1 holds 4 of its 4 (and c's 1): F1 8/9; b: T2 3 of 4 (+ X00, not scored): F1 6/7;
    # c: T3 holds 1 of 2 documents and nothing else: F1 2/3.
    assert out["recovered"] == 3 and out["gold_labels"] == 3 and out["scored_docs"] == 10
    assert out["themes"] == 3 and out["unthemed"] == pytest.approx(1 / 11, abs=1e-4)
    perfect = theme_corpora.scores(doc_themes([*"aaaabbbbcc", "x"]), GOLD, shown=set("abc"))
    assert perfect["nmi"] == 1.0 and perfect["ari"] == 1.0


def test_admin_by_gold_separates_a_theme_of_every_phenomenon_from_a_phenomenon():
    themes = ["T1;T9"] * 4 + ["T2;T9"] * 4 + ["T9"] * 2 + [""]
    frame = doc_themes(themes).assign(theme_id=[t.split(";")[0] for t in themes])
    lifts = theme_corpora.admin_by_gold(frame, GOLD, ["T1", "T2", "T9"])
    assert lifts["T1"] > 2 and lifts["T2"] > 2
    assert lifts["T9"] < 1.5  # in documents of a, b and c alike
