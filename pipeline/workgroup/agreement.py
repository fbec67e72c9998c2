"""Agreement between reviewers on the same themes.

Each reviewer's vote on a theme is one of *accept* (hyväksy or nimeä: a renamed theme is an
accepted theme), *reject* or *merge into X* (merges into different themes are different
votes); an empty decision is no vote. Two reviewers: Cohen's kappa (scikit-learn) over the
themes both decided; more: Krippendorff's alpha (nominal, the `krippendorff` package, which
allows missing votes). Raw percent agreement is always shown.
"""

from __future__ import annotations

import math

import numpy as np

from pipeline.i18n import message
from pipeline.workgroup.sheets import Reviews, Vote


def vote_label(vote: Vote) -> str:
    """The category a vote counts as for agreement: accept, reject or merge:<target>."""
    if vote.decision in ("accept", "rename"):
        return "accept"
    if vote.decision == "merge":
        return f"merge:{vote.merge_into}"
    return vote.decision


def agreement(reviews: Reviews) -> dict:
    """Agreement between reviewers: percent, Cohen's kappa (2) or Krippendorff's alpha (3+)."""
    reviewers = reviews.reviewers
    themes = sorted({v.theme_id for v in reviews.votes if v.decision})
    table = {(v.reviewer, v.theme_id): vote_label(v) for v in reviews.votes if v.decision}
    out: dict = {"reviewers": reviewers, "n_themes": len(themes)}
    both = [t for t in themes if sum((r, t) in table for r in reviewers) >= 2]
    agreeing = [t for t in both if len({table[(r, t)] for r in reviewers if (r, t) in table}) == 1]
    out["n_compared"] = len(both)
    out["percent"] = round(100 * len(agreeing) / len(both), 1) if both else None
    if len(reviewers) == 2:
        from sklearn.metrics import cohen_kappa_score

        shared = [t for t in themes if all((r, t) in table for r in reviewers)]
        a = [table[(reviewers[0], t)] for t in shared]
        b = [table[(reviewers[1], t)] for t in shared]
        out["measure"] = "cohen_kappa"
        out["value"] = _kappa(cohen_kappa_score, a, b)
    elif len(reviewers) > 2:
        import krippendorff

        labels = sorted(set(table.values()))
        code = {label: i for i, label in enumerate(labels)}
        data = np.array(
            [
                [code[table[(r, t)]] if (r, t) in table else np.nan for t in themes]
                for r in reviewers
            ],
            dtype=float,
        )
        out["measure"] = "krippendorff_alpha"
        out["value"] = _alpha(krippendorff.alpha, data, len(labels))
    else:
        out["measure"] = None
        out["value"] = None
    return out


def _kappa(score, a: list[str], b: list[str]) -> float | None:
    if not a:
        return None
    if len(set(a) | set(b)) == 1:
        return 1.0  # one category used by both: perfect agreement (kappa itself is 0/0)
    value = float(score(a, b))
    return None if math.isnan(value) else round(value, 3)


def _alpha(alpha, data: np.ndarray, n_labels: int) -> float | None:
    pairable = (np.sum(~np.isnan(data), axis=0) >= 2).sum()
    if pairable == 0:
        return None
    if n_labels == 1:
        return 1.0
    value = float(alpha(reliability_data=data, level_of_measurement="nominal"))
    return None if math.isnan(value) else round(value, 3)


def agreement_lines(result: dict, language: str) -> list[str]:
    """Human-readable agreement summary (what `ilmio review import` prints)."""
    names = ", ".join(result["reviewers"]) or "-"
    lines = [message(language, "reviewers", n=len(result["reviewers"]), names=names)]
    if result["percent"] is not None:
        lines.append(message(language, "agreed", percent=result["percent"], n=result["n_compared"]))
    if result["measure"]:
        value = (
            message(language, "not_defined")
            if result["value"] is None
            else f"{result['value']:.3f}"
        )
        lines.append(f"{message(language, result['measure'])}: {value}")
    return lines
