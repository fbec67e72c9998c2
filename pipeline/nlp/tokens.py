"""Tokens of running text, as every lemmatiser backend gives them.

Words (`aamu-uninen`, `EU:ssa`, `sosiaali-` in "sosiaali- ja terveyspalvelut"), numbers
(`1,5`, `12.3.2024`, `5:ssä`), redaction placeholders with their case ending (`<HENKILÖ_1>:lle`)
and single punctuation marks, each with its character offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

# Placeholders written by the redact stage, with an optional case ending: <HENKILÖ_1>:lle
PLACEHOLDER_RE = re.compile(r"<[A-ZÅÄÖ]+(?:_[A-ZÅÄÖ]+)*(?:_\d+)?>(?::[a-zåäö]+)?")
TOKEN_RE = re.compile(
    r"<[A-ZÅÄÖ]+(?:_[A-ZÅÄÖ]+)*(?:_\d+)?>(?::[a-zåäö]+)?"  # placeholder
    r"|\d+(?:[.,:]\d+)*(?::[a-zåäö]+)?"  # 1,5  12.3.2024  5:ssä
    r"|[^\W\d_]+(?:[-'’:][^\W\d_]+)*-?"  # words, aamu-uninen, EU:ssa, sosiaali- (ja terveys-)
    r"|\S",
)
PUNCT_RE = re.compile(r"^[^\w]+$")
NUM_RE = re.compile(r"^[\d.,:/%+\-–]+$")


@dataclass(frozen=True)
class Token:
    """One token of running text."""

    text: str
    lemma: str
    pos: str  # coarse UD POS; PLACEHOLDER for redaction placeholders, X when unknown
    start: int
    known: bool = True  # False: the analyser did not know the word
    parts: tuple[str, ...] = field(default_factory=tuple)  # compound parts, in lemma form


class Lemmatiser(Protocol):
    name: str

    def lemmatise_tokens(self, sentences: list[list[str]]) -> list[list[str]]: ...

    def analyse(self, text: str) -> list[Token]: ...


def tokenise(text: str) -> list[tuple[str, int]]:
    """Words, numbers, placeholders and single punctuation marks with their offsets."""
    return [(m.group(), m.start()) for m in TOKEN_RE.finditer(text)]


def is_placeholder(token: str) -> bool:
    return token[:1] == "<" and PLACEHOLDER_RE.fullmatch(token) is not None
