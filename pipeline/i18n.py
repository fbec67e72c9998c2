"""Workgroup-facing words: Finnish by default, English on request (`report.language`).

Every word the workgroup reads (theme table, review sheet and its instructions, the report,
review-import messages, the codebook) lives in `pipeline/locale/<language>.yaml`, one file per
language with the same keys, so a Finnish speaker can review them all in one place.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("fi", "en")
DATA_FILES = tuple(LOCALE_DIR / f"{language}.yaml" for language in LANGUAGES)


@cache
def _load(language: str) -> dict[str, Any]:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    return yaml.safe_load((LOCALE_DIR / f"{language}.yaml").read_text(encoding="utf-8"))


def texts(language: str) -> dict[str, str]:
    """The report's, theme table's and review sheet's words."""
    return _load(language)["report"]


def help_rows(language: str) -> list[str]:
    """The review sheet's instruction lines (`{n}`: report.min_clients)."""
    return list(_load(language)["sheet_help"])


def message(language: str, key: str, **values: Any) -> str:
    """A review-import message or output line, filled in."""
    return _load(language if language in LANGUAGES else "fi")["review"][key].format(**values)


def codebook_words(language: str) -> dict[str, str]:
    return _load(language)["codebook"]


def no_themes_text(problem: dict, language: str) -> str:
    """ "No themes were found." and why, from a topic stage's `no_themes` metric."""
    t = texts(language)
    reason = t.get(problem.get("reason", ""), "")
    return f"{t['no_themes']} {reason.format(n=problem.get('n'), min=problem.get('min'))}".strip()
