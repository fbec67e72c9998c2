"""The workgroup's decisions: checked against the run and the registry, disagreements resolved,
the result applied to the theme registry (DESIGN.md §4). Reading sheets: `sheets`; agreement:
`agreement`.

Reads:  filled `themes.xlsx` sheets (one per reviewer), the reviewed run's `themes_state.json`,
        configs/theme_registry.yaml
Writes: configs/theme_registry.yaml + theme_centroids.npy (through `registry.save_registry`)

Refused here with one line: a sheet from another run (stale), an unknown theme id, a merge into
an unknown, rejected or merged-away theme, a merge whose target ends up rejected or a cycle.

Disagreement rule (documented for the workgroup, README "Arviointi"):
1. A theme's outcome is the vote with a strict majority of the votes cast on it.
2. Without a strict majority the chair decides (`--chair NAME`: the chair's own vote on that
   theme wins) if the chair voted; otherwise nothing changes: the theme keeps its current
   status (a new theme stays a candidate) and is listed as disputed for the chair.
3. If the outcome is accept, the name is the one most accepting voters gave (a vote without
   `uusi_nimi` is a vote for the current name); a tie is broken by the chair's choice, else
   the current name is kept and the theme is listed as disputed (name).
4. The description, interpretation (`tulkinta`) and proposals (`ehdotukset`) are each taken
   from the first (by reviewer name) majority voter who wrote one; the report shows them for
   accepted themes.
5. A merge whose target ends up rejected, or that forms a cycle, is refused with an error.
Importing the same sheets for the same run twice changes nothing (the round is recorded once).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.errors import InputError
from pipeline.i18n import message
from pipeline.workgroup.agreement import agreement, vote_label
from pipeline.workgroup.registry.runstate import RunState, register_run
from pipeline.workgroup.registry.store import RegisteredTheme, Registry
from pipeline.workgroup.sheets import META_SHEET, Reviews, Sheet, Vote

log = logging.getLogger(__name__)


def validate(reviews: Reviews, state: RunState, registry: Registry) -> None:
    """Refuse stale sheets, unknown theme ids and merges into missing or rejected themes."""
    lang = reviews.language
    for sheet in reviews.sheets:
        if state.run_id and sheet.run_id != state.run_id:
            raise InputError(
                message(lang, "stale", got=sheet.run_id, want=state.run_id),
                file=f"{sheet.file} [{META_SHEET}]",
                row=1,
                column="B",
            )
    run_ids = {t.theme_id for t in state.themes}
    for vote in reviews.votes:
        if vote.theme_id not in run_ids:
            raise InputError(
                message(lang, "unknown_id", id=vote.theme_id), **vote.where("theme_id")
            )
        if vote.decision != "merge":
            continue
        target = vote.merge_into
        known = registry.get(target)
        if target not in run_ids and known is None:
            raise InputError(message(lang, "unknown_target", id=target), **vote.where("merge_into"))
        if known is not None and target not in run_ids:
            # Not up for decision in this round: its registry status counts.
            if known.status == "rejected":
                raise InputError(
                    message(lang, "rejected_target", id=target), **vote.where("merge_into")
                )
            if known.status == "merged":
                raise InputError(
                    message(lang, "merged_target", id=target, into=known.merged_into),
                    **vote.where("merge_into"),
                )


@dataclass(frozen=True)
class Decision:
    theme_id: str
    status: str  # accepted | rejected | merged
    name: str = ""  # "" = keep the current name
    merge_into: str = ""
    description: str = ""
    reviewers: tuple[str, ...] = ()
    interpretation: str = ""
    proposals: str = ""


@dataclass(frozen=True)
class Resolution:
    decisions: dict[str, Decision]
    disputed: dict[str, str]  # theme id -> what is disputed ("decision" or "name")
    agreement: dict


def _majority(counts: Counter, chair_choice: str | None) -> str | None:
    total = sum(counts.values())
    best, n = counts.most_common(1)[0]
    if 2 * n > total:
        return best
    return chair_choice


def resolve(
    reviews: Reviews, state: RunState, registry: Registry, *, chair: str | None = None
) -> Resolution:
    """Per-theme outcome by the documented rule (module docstring)."""
    by_theme: dict[str, list[Vote]] = {}
    for vote in reviews.votes:
        if vote.decision:
            by_theme.setdefault(vote.theme_id, []).append(vote)
    decisions, disputed = {}, {}
    chair_key = chair.casefold() if chair else None
    for theme_id in sorted(by_theme):
        votes = sorted(by_theme[theme_id], key=lambda v: v.reviewer.casefold())
        chair_vote = next((v for v in votes if v.reviewer.casefold() == chair_key), None)
        counts = Counter(vote_label(v) for v in votes)
        outcome = _majority(counts, vote_label(chair_vote) if chair_vote else None)
        if outcome is None:
            disputed[theme_id] = "decision"
            continue
        winners = [v for v in votes if vote_label(v) == outcome]
        current = _current_name(theme_id, state, registry)
        name = ""
        if outcome == "accept":
            names = Counter(v.new_name or current for v in winners)
            chosen = None
            if chair_vote is not None and chair_vote in winners:
                chosen = chair_vote.new_name or current
            picked = _majority_or_plurality(names, chosen)
            if picked is None:
                disputed[theme_id] = "name"
                picked = current
            name = picked if picked != current else ""
        description = next((v.description for v in winners if v.description), "")
        interpretation = next((v.interpretation for v in winners if v.interpretation), "")
        proposals = next((v.proposals for v in winners if v.proposals), "")
        status = {"accept": "accepted", "reject": "rejected"}.get(outcome, "merged")
        decisions[theme_id] = Decision(
            theme_id,
            status,
            name=name,
            merge_into=outcome.split(":", 1)[1] if outcome.startswith("merge:") else "",
            description=description,
            reviewers=tuple(v.reviewer for v in winners),
            interpretation=interpretation,
            proposals=proposals,
        )
    _check_merges(decisions, reviews, registry)
    return Resolution(decisions, disputed, agreement(reviews))


def _majority_or_plurality(names: Counter, chosen: str | None) -> str | None:
    """The most given name; a tie goes to the chair's choice, else None."""
    top = names.most_common()
    if len(top) == 1 or top[0][1] > top[1][1]:
        return top[0][0]
    return chosen


def _current_name(theme_id: str, state: RunState, registry: Registry) -> str:
    known = registry.get(theme_id)
    if known is not None and known.name:
        return known.name
    theme = state.get(theme_id)
    return theme.label if theme is not None else ""


def _check_merges(decisions: dict[str, Decision], reviews: Reviews, registry: Registry) -> None:
    """Merge targets must end up live: not rejected, no cycles (chains are followed)."""
    lang = reviews.language

    def status(theme_id: str) -> tuple[str, str]:
        if theme_id in decisions:
            return decisions[theme_id].status, decisions[theme_id].merge_into
        known = registry.get(theme_id)
        return (known.status, known.merged_into) if known else ("candidate", "")

    for d in decisions.values():
        if d.status != "merged":
            continue
        vote = next(
            v
            for v in reviews.votes
            if v.theme_id == d.theme_id and v.decision == "merge" and v.merge_into == d.merge_into
        )
        chain, target = [d.theme_id], d.merge_into
        while True:
            if target in chain:
                raise InputError(
                    message(lang, "cycle", ids=" → ".join([*chain, target])),
                    **vote.where("merge_into"),
                )
            chain.append(target)
            st, into = status(target)
            if st == "rejected":
                raise InputError(
                    message(lang, "rejected_target", id=target), **vote.where("merge_into")
                )
            if st != "merged":
                break
            target = into


@dataclass(frozen=True)
class RunInfo:
    """What a review round records besides the decisions."""

    state: RunState
    date: str  # ISO date of the import
    sheets: tuple[Sheet, ...] = ()
    agreement: dict = field(default_factory=dict)
    disputed: dict[str, str] = field(default_factory=dict)
    chair: str = ""


def sheets_record(sheets: tuple[Sheet, ...]) -> list[dict]:
    return [
        {"file": Path(s.file).name, "sha256": s.sha256}
        for s in sorted(sheets, key=lambda s: s.sha256)
    ]


def already_applied(registry: Registry, info: RunInfo) -> bool:
    record = sheets_record(info.sheets)
    return any(
        h.get("run_id") == info.state.run_id
        and sorted(x["sha256"] for x in h.get("sheets") or [])
        == sorted(x["sha256"] for x in record)
        for h in registry.history
    )


def apply_decisions(
    registry: Registry, decisions: dict[str, Decision] | Resolution, run_info: RunInfo
) -> Registry:
    """The registry after one review round. Pure; history is appended, never rewritten.

    Every theme of the reviewed run is registered (new ones as candidates, centroids and
    keywords refreshed from the run); accepted and renamed themes keep their id; rejected ones
    stay rejected until a later round decides otherwise; a merged theme is marked
    `merged_into` its target. Applying the same sheets for the same run again is a no-op.
    """
    if isinstance(decisions, Resolution):
        decisions = decisions.decisions
    if already_applied(registry, run_info):
        log.info(
            "review round for run %s already applied; registry unchanged", run_info.state.run_id
        )
        return registry
    base = register_run(registry, run_info.state)
    review_rounds = [h for h in base.history if h.get("kind", "review") == "review"]
    number = len(review_rounds) + 1
    themes, changes = list(base.themes), []
    for i, theme in enumerate(themes):
        d = decisions.get(theme.id)
        if d is None:
            continue
        updated = replace(
            theme,
            status=d.status,
            name=d.name or theme.name,
            merged_into=d.merge_into if d.status == "merged" else "",
            description=d.description or theme.description,
            interpretation=d.interpretation or theme.interpretation,
            proposals=d.proposals or theme.proposals,
            decided_in=number,
            reviewers=tuple(sorted(set(d.reviewers), key=str.casefold)),
        )
        change = {"id": theme.id}
        if updated.status != theme.status:
            change["status"] = [theme.status, updated.status]
        if updated.name != theme.name:
            change["name"] = [theme.name, updated.name]
        if updated.merged_into:
            change["merged_into"] = updated.merged_into
        for key in ("description", "interpretation", "proposals"):
            if getattr(updated, key) != getattr(theme, key):
                change[key] = True
        if len(change) > 1:
            changes.append(change)
        themes[i] = updated
    added = sorted(t.id for t in base.themes if registry.get(t.id) is None)
    entry = {
        "kind": "review",
        "round": number,
        "date": run_info.date,
        "run_id": run_info.state.run_id,
        "sheets": sheets_record(run_info.sheets),
        "reviewers": sorted({r for d in decisions.values() for r in d.reviewers}, key=str.casefold),
        "chair": run_info.chair,
        "agreement": {k: v for k, v in run_info.agreement.items() if k != "reviewers"},
        "added": added,
        "changes": changes,
        "disputed": [{"id": k, "about": v} for k, v in sorted(run_info.disputed.items())],
    }
    return Registry(tuple(themes), base.centroids, (*base.history, entry))


def theme_summary(registry: Registry) -> dict[str, int]:
    return dict(Counter(t.status for t in registry.themes))


def accepted_themes(registry: Registry) -> list[RegisteredTheme]:
    return sorted((t for t in registry.themes if t.status == "accepted"), key=lambda t: t.id)
