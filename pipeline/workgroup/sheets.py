"""Reading filled review sheets (one per reviewer): form checks only, one line per problem.

Refused with one line naming the file and sheet, row and column: a file that is not an ilmio
review sheet, a missing column, an empty theme id, an unknown decision, a formula where a value
belongs, rename without a new name, merge without a target or into itself, a decision without a
reviewer, a theme twice in one sheet, sheets from different runs, the same reviewer twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError
from pipeline.i18n import LANGUAGES, message, texts
from pipeline.workgroup.registry.runstate import RunState, RunTheme

META_SHEET = "_ilmio"
# The reviewer's columns, in the sheet's order (the report writes them right after id and name).
REVIEWER_FIELDS = (
    "decision",
    "new_name",
    "merge_into",
    "description",
    "interpretation",
    "proposals",
    "comment",
    "reviewer",
)
FIELDS = ("theme_id", "label", "keywords", *REVIEWER_FIELDS)
REQUIRED = ("theme_id", "decision", "new_name", "merge_into", "reviewer")
CANONICAL = ("accept", "reject", "merge", "rename")
# Decision words of every sheet language (the drop-down's, from the locale files) -> canonical.
DECISIONS = {
    word: canonical
    for language in LANGUAGES
    for canonical, word in zip(CANONICAL, texts(language)["decisions"].split(","), strict=True)
}


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
    interpretation: str = ""  # the workgroup's reading of the phenomenon (`tulkinta`)
    proposals: str = ""  # the workgroup's proposals for action (`ehdotukset`)
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


def _long_text(value) -> str:
    """Free text (description, interpretation, proposals): line breaks kept, spaces tidied."""
    lines = (" ".join(line.split()) for line in str(value or "").splitlines())
    return "\n".join(line for line in lines if line)


LONG_FIELDS = frozenset({"description", "interpretation", "proposals", "comment"})


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
        raise InputError(message("fi", "not_found"), file=path) from exc
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
        language = language if language in LANGUAGES else "fi"
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
        values = {
            k: (_long_text if k in LONG_FIELDS else _text)(cells[i]) if i < len(cells) else ""
            for k, i in position.items()
        }
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
            values.get("interpretation", ""),
            values.get("proposals", ""),
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


def state_from_sheet(path: Path) -> RunState:
    """A run state rebuilt from a review sheet alone (no centroids, topic unknown = -1).

    For runs whose output folder has no `themes_state.json`; matching then falls back to
    keyword overlap for these themes until a later run refreshes their centroids.
    """
    from openpyxl import load_workbook

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
