"""Proposals for action (toimenpide-ehdotukset) in redacted records, kept with the themes.

Social reports (`sosiaalinen_raportti`) exist to carry a professional's proposal to decision
makers; other notes sometimes hold one too. A proposal is found by its shape, not by a list
of sentences seen in the data:

- a labelled section: a line starting with a label word ending in `ehdotus`/`ehdotukset`
  (`Ehdotus:`, `Toimenpide-ehdotus:`, `Ratkaisuehdotukset:`, Swedish `Förslag:`); the proposal
  is the rest of that line and the lines after it up to a blank line or the next label
  (`Seuranta:`);
- a sentence whose verb is the first person or passive of *ehdottaa* / *esittää*
  (`Ehdotan, että…`, `Ehdotamme…`, `Esitän…`, `Esitämme…`, `Ehdotetaan…`, `Esitetään…`):
  that sentence, or its whole line when the verb opens the line. (*Esittää* in the third
  person, "asiakas esittää toiveen", is not a proposal of the writer: only the writer's own
  forms count.)

On the development set of 346 fictional records written by another hand, this finds one
proposal in each of its 66 social reports and none in the other 280 records.

Only redacted text is read (the report stage's `redacted` input): a name in a proposal is a
placeholder by then.
"""

from __future__ import annotations

import re

import pandas as pd

from pipeline.schemas import explode_themes

# A label line: one to three words, the last a compound of `ehdotus` (or Swedish `förslag`).
_LABEL = re.compile(
    r"^\s*(?P<label>(?:[\wÅÄÖåäö-]+\s){0,2}[\wÅÄÖåäö-]*(?:ehdotu(?:s|kset)|förslag))\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# Any other short label line ("Seuranta:", "Havaittu ilmiö: …"): ends a labelled section.
_OTHER_LABEL = re.compile(r"^\s*[\wÅÄÖåäö][\wÅÄÖåäö -]{0,40}:(\s|$)")
# The writer's own proposal verb at a sentence start: ehdotan, ehdotamme, ehdotetaan,
# esitän, esitämme, esitetään (first person singular/plural and the passive).
_VERB = re.compile(
    r"(?:(?<=^)|(?<=[.!?]\s)|(?<=\n))\s*(?:Ehdot(?:an|amme|etaan)|Esit(?:än|ämme|etään))\b"
)
# A sentence ends at . ! ? before a capital (or a placeholder), or at the end of its line.
_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"“(]?[A-ZÅÄÖ<0-9])|\n|$")


def extract_proposals(text: str) -> list[str]:
    """The proposals in one redacted text, in order, whitespace normalised, no duplicates."""
    found: list[str] = []
    lines = text.splitlines()
    taken: set[int] = set()
    i = 0
    while i < len(lines):
        match = _LABEL.match(lines[i])
        if not match:
            i += 1
            continue
        parts = [match["rest"]]
        taken.add(i)
        j = i + 1
        while j < len(lines) and lines[j].strip() and not _OTHER_LABEL.match(lines[j]):
            parts.append(lines[j])
            taken.add(j)
            j += 1
        found.append(" ".join(" ".join(parts).split()))
        i = j
    rest = "\n".join("" if k in taken else line for k, line in enumerate(lines))
    for match in _VERB.finditer(rest):
        start = match.end() - len(match.group(0).lstrip())
        if start == 0 or rest[:start].rstrip(" \t").endswith("\n"):
            # The verb opens a line: the proposal is that whole line ("Ehdotamme, että…
            # Lisäksi…" holds two sentences of one proposal).
            stop = rest.find("\n", start)
            stop = None if stop < 0 else stop
        else:
            end = _SENTENCE_END.search(rest, match.end())
            stop = end.end() if end.group(0) in (".", "!", "?") else end.start()
        found.append(" ".join(rest[start:stop].split()))
    return list(dict.fromkeys(p for p in found if len(p.split()) >= 3))


def proposals_frame(docs: pd.DataFrame) -> pd.DataFrame:
    """doc_id, n, proposal: every proposal of every (redacted) document. Pure."""
    rows = [
        {"doc_id": doc_id, "n": n, "proposal": proposal}
        for doc_id, text in zip(docs["doc_id"], docs["text"], strict=True)
        for n, proposal in enumerate(extract_proposals(text), start=1)
    ]
    return pd.DataFrame(rows, columns=["doc_id", "n", "proposal"])


def theme_proposals(proposals: pd.DataFrame, doc_themes: pd.DataFrame) -> pd.DataFrame:
    """theme_id, doc_id, n, proposal, primary: each proposal under every theme of its document
    (`primary`: the theme is the document's primary one, listed first)."""
    pairs = explode_themes(doc_themes)
    primary = doc_themes.set_index("doc_id")["theme_id"]
    out = proposals.merge(pairs, on="doc_id")
    out["primary"] = out["doc_id"].map(primary) == out["theme_id"]
    return out[["theme_id", "doc_id", "n", "proposal", "primary"]].sort_values(
        ["theme_id", "primary", "doc_id", "n"], ascending=[True, False, True, True]
    )
