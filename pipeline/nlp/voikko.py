"""Voikko, the Finnish morphological analyser: one way to open it, one fast way to ask it.

`open_voikko()` is what every part of ilmio uses (lemmatiser, compound splitter, name finder,
`ilmio check`): the Finnish dictionary comes from Debian's `voikko-fi`, and without it
`import libvoikko` works but `Voikko("fi")` fails, so the error says what to install.

`FastVoikko` copies only the attributes ilmio reads.

`libvoikko.Voikko.analyze` lists every attribute of every analysis and converts each key and
value: on the UD-TDT held-out forms it costs 33 µs per form, of which the C analysis is 11 µs.
Asking the C library for a fixed list of attributes instead costs 15 µs per form
(`benchmarks/lemmas.py` figures in the #4 note). Same result type: a list of plain dicts, absent
attributes left out.

Falls back to `Voikko.analyze` if the ctypes handle of the libvoikko binding is not reachable
(its attribute names are private to the binding).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pipeline.errors import EnvironmentProblem

APT_HINT = "apt-get install libvoikko1 voikko-fi"
# Where libvoikko looks for dictionaries (besides VOIKKO_DICTIONARY_PATH), in its own order.
DICTIONARY_FOLDERS = ("~/.voikko", "/etc/voikko", "/usr/local/lib/voikko", "/usr/lib/voikko")


def open_voikko() -> Any:
    """A `libvoikko.Voikko` for Finnish, or `EnvironmentProblem` saying what to install."""
    try:
        import libvoikko

        return libvoikko.Voikko("fi")
    except (ImportError, OSError, Exception) as exc:  # libvoikko raises a bare Exception
        raise EnvironmentProblem(
            f"Voikko with a Finnish dictionary is needed: {APT_HINT} ({exc.__class__.__name__})"
        ) from exc


def dictionary_identity() -> str:
    """libvoikko's version and the `index.txt` of every dictionary it can find (version and
    build date): what a cache of Voikko-based results must change with."""
    try:
        import libvoikko

        parts = [str(libvoikko.Voikko.getVersion())]
    except (ImportError, OSError, Exception):  # no libvoikko: nothing it could have computed
        return "no libvoikko"
    folders = [*os.environ.get("VOIKKO_DICTIONARY_PATH", "").split(os.pathsep), *DICTIONARY_FOLDERS]
    for folder in folders:
        if folder:
            for index in sorted(Path(folder).expanduser().glob("*/mor-*/index.txt")):
                parts.append(index.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


# What the lemmatiser, the compound splitter and the name recogniser read.
KEYS = (
    "CLASS",
    "BASEFORM",
    "SIJAMUOTO",
    "MOOD",
    "PARTICIPLE",
    "COMPARISON",
    "STRUCTURE",
    "NUMBER",
    "POSSESSIVE",
    "FOCUS",
    "KYSYMYSLIITE",
    "WORDBASES",
    "FSTOUTPUT",
)
# Long strings the lemmatiser needs only for participles and -minen nouns (their UD lemma is
# built from the word bases); `bases_when_derived=True` fetches them for those analyses only.
BASE_KEYS = frozenset({"WORDBASES", "FSTOUTPUT"})


class FastVoikko:
    """Wraps an open `libvoikko.Voikko`; `analyze(word)` returns the attributes in `keys`."""

    def __init__(
        self, voikko: Any, keys: tuple[str, ...] = KEYS, *, bases_when_derived: bool = False
    ) -> None:
        self.voikko = voikko
        self.keys = keys
        self._lib = getattr(voikko, "_Voikko__lib", None)
        self._handle = getattr(voikko, "_Voikko__handle", None)
        lazy = BASE_KEYS if bases_when_derived else frozenset()
        self._encoded = tuple((k, k.encode("ascii")) for k in keys if k not in lazy)
        self._lazy = tuple((k, k.encode("ascii")) for k in keys if k in lazy)

    @property
    def direct(self) -> bool:
        """True when the C library is called directly (False: the binding's `analyze`)."""
        return self._lib is not None and self._handle is not None

    def analyze(self, word: str) -> list[dict[str, str]]:
        """All analyses of `word` (empty: unknown), each a dict of the attributes present."""
        if not word or "\0" in word:
            return []
        if not self.direct:
            keys = set(self.keys)  # the binding copies everything anyway
            return [{k: v for k, v in a.items() if k in keys} for a in self.voikko.analyze(word)]
        lib = self._lib
        c_list = lib.voikkoAnalyzeWordUcs4(self._handle, word)
        if not c_list:
            return []
        fetch = lib.voikko_mor_analysis_value_ucs4
        out = []
        try:
            i = 0
            while c_list[i]:
                c_analysis = c_list[i]
                analysis = {}
                for name, key in self._encoded:
                    value = fetch(c_analysis, key)
                    if value is not None:
                        analysis[name] = value
                if self._lazy and (
                    "PARTICIPLE" in analysis or analysis.get("MOOD") == "MINEN-infinitive"
                ):
                    for name, key in self._lazy:
                        value = fetch(c_analysis, key)
                        if value is not None:
                            analysis[name] = value
                out.append(analysis)
                i += 1
        finally:
            lib.voikko_free_mor_analysis(c_list)
        return out
