"""The workgroup's decisions: read filled review sheets, check them, measure agreement, resolve
disagreements and apply the result to the theme registry (DESIGN.md §4).

Reads:  filled `themes.xlsx` sheets (one per reviewer), the reviewed run's `themes_state.json`,
        configs/theme_registry.yaml
Writes: configs/theme_registry.yaml + theme_centroids.npy (through `registry.save_registry`)

Validation refuses, with one line naming the file and sheet, row and column: a sheet that is
not an ilmio review sheet, a sheet from another run (stale), a missing column, an unknown theme
id, an unknown decision, rename without a new name, merge without a target or into an unknown,
rejected or merged-away theme or into itself, a decision without a reviewer, the same reviewer
deciding a theme twice.

Agreement: each reviewer's vote on a theme is one of *accept* (hyväksy or nimeä: a renamed
theme is an accepted theme), *reject* or *merge into X* (merges into different themes are
different votes); an empty decision is no vote. Two reviewers: Cohen's kappa
(scikit-learn) over the themes both decided; more: Krippendorff's alpha (nominal, the
`krippendorff` package, which allows missing votes). Raw percent agreement is always shown.

Disagreement rule (documented for the workgroup, README "Arviointi"):
1. A theme's outcome is the vote with a strict majority of the votes cast on it.
2. Without a strict majority the chair decides (`--chair NAME`: the chair's own vote on that
   theme wins) if the chair voted; otherwise nothing changes: the theme keeps its current
   status (a new theme stays a candidate) and is listed as disputed for the chair.
3. If the outcome is accept, the name is the one most accepting voters gave (a vote without
   `uusi_nimi` is a vote for the current name); a tie is broken by the chair's choice, else
   the current name is kept and the theme is listed as disputed (name).
4. The description is taken from the first (by reviewer name) majority voter who wrote one.
5. A merge whose target ends up rejected, or that forms a cycle, is refused with an error.
Importing the same sheets for the same run twice changes nothing (the round is recorded once).
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from pipeline.errors import InputError
from pipeline.i18n import texts
from pipeline.workgroup.registry import RegisteredTheme, Registry, RunState, register_run

log = logging.getLogger(__name__)

META_SHEET = "_ilmio"
FIELDS = (
    "theme_id",
    "label",
    "keywords",
    "decision",
    "new_name",
    "merge_into",
    "description",
    "comment",
    "reviewer",
)
REQUIRED = ("theme_id", "decision", "new_name", "merge_into", "reviewer")
REVIEWER_FIELDS = ("decision", "new_name", "merge_into", "description", "comment", "reviewer")
# Decision words of both sheet languages -> canonical decision.
DECISIONS = {
    "hyväksy": "accept",
    "hylkää": "reject",
    "yhdistä": "merge",
    "nimeä": "rename",
    "accept": "accept",
    "reject": "reject",
    "merge": "merge",
    "rename": "rename",
}

MESSAGES = {
    "fi": {
        "unreadable": "tiedostoa ei voi lukea Excel-taulukkona",
        "not_review": "ei ole ilmion arviointitaulukko (piilotettu välilehti _ilmio puuttuu)",
        "no_sheet": "välilehteä {sheet} ei löydy",
        "no_column": "sarake puuttuu",
        "stale": "taulukko on toisesta ajosta (ajotunniste {got}, odotettiin {want}); "
        "vie uusi taulukko komennolla ilmio review export",
        "mixed_runs": "taulukot ovat eri ajoista ({a} ja {b})",
        "no_id": "teema_id puuttuu",
        "unknown_id": "teemaa {id} ei ole tässä ajossa",
        "duplicate_id": "teema {id} on taulukossa kahdesti",
        "bad_decision": "tuntematon päätös {value!r}; käytä: hyväksy, hylkää, yhdistä, nimeä",
        "no_reviewer": "arvioija puuttuu",
        "twice": "arvioija {reviewer} on arvioinut teeman {id} kahdesti",
        "no_new_name": "päätös nimeä vaatii uuden nimen",
        "no_target": "päätös yhdistä vaatii teeman, johon yhdistetään",
        "target_without_merge": "yhdistä_teemaan on täytetty, mutta päätös ei ole yhdistä",
        "unknown_target": "teemaa {id} ei ole olemassa",
        "self_target": "teemaa ei voi yhdistää itseensä",
        "rejected_target": "teema {id} on hylätty; siihen ei voi yhdistää",
        "merged_target": "teema {id} on jo yhdistetty teemaan {into}; yhdistä siihen",
        "cycle": "yhdistämiset muodostavat kehän ({ids})",
        "no_files": "yhtään arviointitaulukkoa ei annettu",
        "formula": "solussa on kaava; kirjoita soluun arvo (esim. hyväksy), ei kaavaa",
    },
    "en": {
        "unreadable": "cannot read the file as an Excel workbook",
        "not_review": "not an ilmio review sheet (hidden sheet _ilmio missing)",
        "no_sheet": "sheet {sheet} not found",
        "no_column": "column missing",
        "stale": "sheet comes from another run (run id {got}, expected {want}); "
        "export a fresh one with ilmio review export",
        "mixed_runs": "sheets come from different runs ({a} and {b})",
        "no_id": "theme_id missing",
        "unknown_id": "theme {id} is not in this run",
        "duplicate_id": "theme {id} appears twice in the sheet",
        "bad_decision": "unknown decision {value!r}; use: accept, reject, merge, rename",
        "no_reviewer": "reviewer missing",
        "twice": "reviewer {reviewer} decided theme {id} twice",
        "no_new_name": "rename needs a new name",
        "no_target": "merge needs the theme to merge into",
        "target_without_merge": "merge_into is filled but the decision is not merge",
        "unknown_target": "theme {id} does not exist",
        "self_target": "a theme cannot be merged into itself",
        "rejected_target": "theme {id} is rejected; nothing can be merged into it",
        "merged_target": "theme {id} was already merged into {into}; merge into that one",
        "cycle": "the merges form a cycle ({ids})",
        "no_files": "no review sheet given",
        "formula": "the cell holds a formula; type a value (e.g. accept), not a formula",
    },
}


def message(language: str, key: str, **kwargs) -> str:
    return MESSAGES.get(language, MESSAGES["fi"])[key].format(**kwargs)


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vote:
    """One filled row of one sheet."""

    file: str
    sheet: str
    row: int  # Excel row number (header is row 1)
    theme_id: str
    decision: str  # accept | reject | merge | rename | "" (no vote)
    new_name: str = ""
    merge_into: str = ""
    description: str = ""
    comment: str = ""
    reviewer: str = ""
    columns: dict[str, str] = field(default_factory=dict, compare=False)  # field -> header

    def where(self, key: str | None = None) -> dict:
        return {
            "file": f"{self.file} [{self.sheet}]",
            "row": self.row,
            "column": self.columns.get(key) if key else None,
        }


@dataclass(frozen=True)
class Sheet:
    file: str
    sha256: str
    run_id: str
    language: str
    sheet: str


@dataclass(frozen=True)
class Reviews:
    sheets: tuple[Sheet, ...]
    votes: tuple[Vote, ...]

    @property
    def run_id(self) -> str:
        return self.sheets[0].run_id if self.sheets else ""

    @property
    def language(self) -> str:
        return self.sheets[0].language if self.sheets else "fi"

    @property
    def reviewers(self) -> list[str]:
        return sorted({v.reviewer for v in self.votes if v.decision})


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def read_sheet(path: Path) -> tuple[Sheet, list[Vote]]:
    """One filled review sheet: its identity and one vote per theme row. Checks form only."""
    from openpyxl import load_workbook

    path = Path(path)
    try:
        data = path.read_bytes()
        # Formulas are read as formulas, not as their cached results: a reviewer's cell must
        # hold a value (`=IF(…)` in päätös is refused, not silently read as empty).
        wb = load_workbook(path, read_only=True, data_only=False)
    except FileNotFoundError as exc:
        raise InputError("file not found / tiedostoa ei löydy", file=path) from exc
    except Exception as exc:  # openpyxl raises many types for a broken or non-xlsx file
        raise InputError(
            message("fi", "unreadable") + f" ({exc.__class__.__name__})", file=path
        ) from exc
    try:
        if META_SHEET not in wb.sheetnames:
            raise InputError(message("fi", "not_review"), file=path)
        meta = {
            _text(r[0]): _text(r[1])
            for r in wb[META_SHEET].iter_rows(values_only=True)
            if r and len(r) >= 2
        }
        language = meta.get("language") or "fi"
        language = language if language in MESSAGES else "fi"
        run = meta.get("run_id", "")
        if not run:
            raise InputError(
                message(language, "not_review"), file=f"{path} [{META_SHEET}]", row=1, column="B"
            )
        t = texts(language)
        name = t["sheet_themes"]
        if name not in wb.sheetnames:
            raise InputError(message(language, "no_sheet", sheet=name), file=path)
        rows = list(wb[name].iter_rows(values_only=True))
    finally:
        wb.close()
    where = f"{path} [{name}]"
    header = [_text(c) for c in rows[0]] if rows else []
    columns = {key: t[key] for key in FIELDS}
    position = {}
    for key in FIELDS:
        if columns[key] in header:
            position[key] = header.index(columns[key])
        elif key in REQUIRED:
            raise InputError(message(language, "no_column"), file=where, row=1, column=columns[key])
    sheet = Sheet(str(path), hashlib.sha256(data).hexdigest(), run, language, name)
    votes, seen = [], {}
    for number, cells in enumerate(rows[1:], start=2):
        values = {k: _text(cells[i]) if i < len(cells) else "" for k, i in position.items()}
        if not any(values.values()):
            continue  # an empty row at the end of the sheet
        for key in REVIEWER_FIELDS:
            if values.get(key, "").startswith("="):
                raise InputError(
                    message(language, "formula"),
                    file=where,
                    row=number,
                    column=columns[key],
                )
        raw = values.get("decision", "").lower()
        vote = Vote(
            str(path),
            name,
            number,
            values["theme_id"],
            DECISIONS.get(raw, raw),
            values.get("new_name", ""),
            values.get("merge_into", "").upper(),
            values.get("description", ""),
            values.get("comment", ""),
            values.get("reviewer", ""),
            columns,
        )
        _check_row(vote, raw, language)
        if vote.theme_id in seen:
            raise InputError(
                message(language, "duplicate_id", id=vote.theme_id), **vote.where("theme_id")
            )
        seen[vote.theme_id] = number
        votes.append(vote)
    return sheet, votes


def _check_row(vote: Vote, raw: str, language: str) -> None:
    def fail(key: str, column: str, **kwargs):
        raise InputError(message(language, key, **kwargs), **vote.where(column))

    if not vote.theme_id:
        fail("no_id", "theme_id")
    if raw and raw not in DECISIONS:
        fail("bad_decision", "decision", value=raw)
    if not vote.decision:
        return
    if not vote.reviewer:
        fail("no_reviewer", "reviewer")
    if vote.decision == "rename" and not vote.new_name:
        fail("no_new_name", "new_name")
    if vote.decision == "merge" and not vote.merge_into:
        fail("no_target", "merge_into")
    if vote.decision != "merge" and vote.merge_into:
        fail("target_without_merge", "merge_into")
    if vote.decision == "merge" and vote.merge_into == vote.theme_id:
        fail("self_target", "merge_into")


def read_sheets(paths: list[Path]) -> Reviews:
    """All filled sheets; refuses sheets from different runs and double votes of a reviewer."""
    if not paths:
        raise InputError(message("fi", "no_files"))
    sheets, votes = [], []
    for path in sorted(Path(p) for p in paths):
        sheet, rows = read_sheet(path)
        if sheets and sheet.run_id != sheets[0].run_id:
            raise InputError(
                message(sheet.language, "mixed_runs", a=sheets[0].run_id, b=sheet.run_id),
                file=f"{path} [{META_SHEET}]",
                row=1,
                column="B",
            )
        sheets.append(sheet)
        votes.extend(rows)
    seen: set[tuple[str, str]] = set()
    for vote in votes:
        if not vote.decision:
            continue
        key = (vote.reviewer.casefold(), vote.theme_id)
        if key in seen:
            raise InputError(
                message(sheets[0].language, "twice", reviewer=vote.reviewer, id=vote.theme_id),
                **vote.where("reviewer"),
            )
        seen.add(key)
    return Reviews(tuple(sheets), tuple(votes))


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


# --- agreement ----------------------------------------------------------------------------


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
    fi = language == "fi"
    names = ", ".join(result["reviewers"]) or "-"
    lines = [
        (
            f"Arvioijat ({len(result['reviewers'])}): {names}"
            if fi
            else f"Reviewers ({len(result['reviewers'])}): {names}"
        )
    ]
    if result["percent"] is not None:
        lines.append(
            (
                f"Samaa mieltä {result['percent']} % teemoista, joita useampi arvioi "
                f"({result['n_compared']})"
            )
            if fi
            else f"Agreed on {result['percent']} % of themes decided by several "
            f"({result['n_compared']})"
        )
    if result["measure"]:
        label = {
            "cohen_kappa": "Cohenin kappa" if fi else "Cohen's kappa",
            "krippendorff_alpha": "Krippendorffin alfa" if fi else "Krippendorff's alpha",
        }
        value = (
            ("ei laskettavissa" if fi else "not defined")
            if result["value"] is None
            else f"{result['value']:.3f}"
        )
        lines.append(f"{label[result['measure']]}: {value}")
    return lines


# --- resolving disagreements --------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    theme_id: str
    status: str  # accepted | rejected | merged
    name: str = ""  # "" = keep the current name
    merge_into: str = ""
    description: str = ""
    reviewers: tuple[str, ...] = ()


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
        status = {"accept": "accepted", "reject": "rejected"}.get(outcome, "merged")
        decisions[theme_id] = Decision(
            theme_id,
            status,
            name=name,
            merge_into=outcome.split(":", 1)[1] if outcome.startswith("merge:") else "",
            description=description,
            reviewers=tuple(v.reviewer for v in winners),
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


# --- applying to the registry -------------------------------------------------------------


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
        if updated.description != theme.description:
            change["description"] = True
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


def state_from_sheet(path: Path) -> RunState:
    """A run state rebuilt from a review sheet alone (no centroids, topic unknown = -1).

    For runs whose output folder has no `themes_state.json`; matching then falls back to
    keyword overlap for these themes until a later run refreshes their centroids.
    """
    from openpyxl import load_workbook

    from pipeline.workgroup.registry import RunTheme

    sheet, _ = read_sheet(path)
    t = texts(sheet.language)
    status_of = {t[s]: s for s in ("candidate", "accepted", "rejected", "merged")}
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(wb[sheet.sheet].iter_rows(values_only=True))
    finally:
        wb.close()
    header = [_text(c) for c in rows[0]]
    col = {
        key: header.index(t[key])
        for key in ("theme_id", "label", "keywords", "status", "is_new")
        if t[key] in header
    }

    def cell(cells, key: str) -> str:
        return _text(cells[col[key]]) if key in col and col[key] < len(cells) else ""

    themes = []
    for cells in rows[1:]:
        theme_id = cell(cells, "theme_id")
        if not theme_id:
            continue
        keywords = tuple(k.strip() for k in cell(cells, "keywords").split(",") if k.strip())
        themes.append(
            RunTheme(
                theme_id,
                -1,
                cell(cells, "label"),
                keywords,
                status_of.get(cell(cells, "status"), "candidate"),
                cell(cells, "is_new") == t["yes"],
            )
        )
    return RunState(sheet.run_id, tuple(themes), None)
