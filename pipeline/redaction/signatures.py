"""Workers' signatures and initials, found by their shape: they are names, written so briefly
that no word model reads them as one.

- initials after a slash or dash that close a line: `… ilmoitus tehty. /M.J.`, `-MJ`, `/ N.P.`
- writer and typist initials: `MV/ss`, `AK/mt`
- a line of initials alone: `M.J.`
- a name after a sign-off cue (`configs/redaction.yaml > signoff_cues`): `t. Maija`,
  `Terveisin Maija V.`, `Ystävällisin terveisin, Maija Virtanen`

Each yields a `HENKILÖ` span over the initials or the name (the slash and the cue stay readable).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from pipeline.redaction.identifiers import HENKILO, Span

_UP = "A-ZÄÖÅ"
_INITIALS = rf"[{_UP}]\.?[ ]?[{_UP}]\.?(?:[ ]?[{_UP}]\.?)?"
# `/M.J.` or `-MJ` closing a line (or the text); not `SHL/TSL`-like words mid-line.
SLASH_INITIALS = re.compile(
    rf"(?<![\w/.-])[/-][ ]?(?P<sig>{_INITIALS})(?![\w.])(?=[ \t]*(?:\n|$))",
    re.MULTILINE,
)
# `MV/ss`: the writer's initials in capitals, the typist's in lower case.
WRITER_TYPIST = re.compile(rf"(?<![\w/])(?P<sig>[{_UP}]{{2,3}}/[a-zäöå]{{2}})(?![\w/])")
# a line holding nothing but initials
INITIALS_LINE = re.compile(
    rf"^[ \t]*(?P<sig>[{_UP}]\.[ ]?[{_UP}]\.(?:[ ]?[{_UP}]\.)?)[ \t]*$", re.MULTILINE
)
# one part of a signed name: a capitalised word (`Maija`, `Halla-aho`) or an initial (`V.`)
_NAME_PART = rf"[{_UP}][a-zäöåéü'’]+(?:-[{_UP}]?[a-zäöåéü]+)*|[{_UP}]\."


def signature_cues(cues: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for the configured sign-off cues; a cue ending in `.` (`t.`, `terv.`)
    counts only at the start of a line or after a sentence end (`Kiitos! t. Maija`)."""
    words, abbreviations = [], []
    for cue in sorted({c.strip().lower() for c in cues if c.strip()}, key=len, reverse=True):
        target = abbreviations if cue.endswith(".") else words
        target.append(r"[ \t]+".join(re.escape(part) for part in cue.split()))
    alternatives = []
    if words:
        alternatives.append(r"(?<![\w])(?:" + "|".join(words) + r")")
    if abbreviations:
        starts = r"(?:(?<=^)|(?<=[\n.!?)]\s)|(?<=\n))"
        alternatives.append(starts + "(?:" + "|".join(abbreviations) + ")")
    if not alternatives:
        return None
    return re.compile(
        r"(?i:" + "|".join(alternatives) + r")[ \t]*[,:]?[ \t]*\n?[ \t]*"
        rf"(?P<sig>(?:{_NAME_PART})(?:[ \t]+(?:{_NAME_PART})){{0,2}})(?![\w])",
        re.MULTILINE,
    )


def find_signatures(text: str, cues: re.Pattern[str] | None) -> Iterator[Span]:
    """Signature and initials spans in `text`."""
    for pattern in (SLASH_INITIALS, WRITER_TYPIST, INITIALS_LINE):
        for m in pattern.finditer(text):
            writer, _, typist = m["sig"].partition("/")
            if typist and writer.lower() == typist:
                continue  # `UK/uk`: one abbreviation written twice, not two people's initials
            yield Span(m.start("sig"), m.end("sig"), HENKILO, "signature")
    if cues is not None:
        for m in cues.finditer(text):
            yield Span(m.start("sig"), m.end("sig"), HENKILO, "signature")
