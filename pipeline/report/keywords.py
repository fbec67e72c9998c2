"""Keywords as people read them: phrases as words, capitals where the text has them.

Keywords are lemmas: lower case, fixed phrases joined with `_` (`talous-_ja_velkaneuvonta`).
A reader wants `talous- ja velkaneuvonta` and `Kela-kyyti`, not `kela-kyyti`. Capitals come
from the redacted text itself, never from a list: each part of a hyphenated word is
capitalised when, away from the start of a sentence, its forms are written with a capital
more often than without (`Kelan`, `Kelalta` mid-sentence → `Kela`; `kyytien` → `kyyti`; so
`Kela-kyyti`; `MARAK-menetelmä` → `MARAK`; `Asiakas` only at sentence starts → `asiakas`).
Finnish inflects and grades the end of a word (`kyyti` → `kyydin`), so forms of a word longer
than five letters are matched on the word less its last two letters; shorter ones on the whole
word, one or two letters exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_TOKEN = re.compile(r"\w+(?:-\w+)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*)[\"“(]?$")


def surface_forms(texts: Iterable[str]) -> Counter:
    """How often each word part is written, away from sentence starts (the first part of a
    sentence-initial word is left out: its capital says nothing)."""
    counts: Counter = Counter()
    for text in texts:
        for match in _TOKEN.finditer(text):
            parts = match.group(0).split("-")
            initial = bool(_SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()]))
            counts.update(parts[1:] if initial else parts)
    return counts


class KeywordForms:
    """Display forms of keywords from the counts of surface word parts (`surface_forms`)."""

    def __init__(self, counts: Counter):
        self._by_prefix: dict[str, list[tuple[str, int]]] = {}
        for part, n in counts.items():
            self._by_prefix.setdefault(part[:3].casefold(), []).append((part, n))

    def part(self, word: str) -> str:
        """One word part with its capital restored when the text writes it so."""
        if not word:
            return word
        stem = (word if len(word) <= 5 else word[:-2]).casefold()
        forms: Counter = Counter()  # lower | capital | all capitals
        for part, n in self._by_prefix.get(stem[:3], ()):
            folded = part.casefold()
            if folded == stem if len(stem) < 3 else folded.startswith(stem):
                kind = "lower" if not part[0].isupper() else "capital"
                forms["upper" if len(part) > 1 and part.isupper() else kind] += n
        if not forms or forms["lower"] >= forms["capital"] + forms["upper"]:
            return word
        return word.upper() if forms["upper"] > forms["capital"] else word[0].upper() + word[1:]

    def __call__(self, keyword: str) -> str:
        """`talous-_ja_velkaneuvonta` → `talous- ja velkaneuvonta`; `kela-kyyti` → `Kela-kyyti`."""
        return " ".join(
            "-".join(self.part(p) for p in w.split("-")) for w in keyword.replace("_", " ").split()
        )
