"""Small-cell suppression: who is counted, and as what (DESIGN.md §5).

No count, breakdown cell or excerpt is shown for fewer than `report.min_clients` distinct
clients. Suppression never depends on a guess: without any client key the unit is the
document, and the same rule applies to documents.
"""

from __future__ import annotations

import pandas as pd


def count_unit(docs: pd.DataFrame) -> str:
    """What small-cell suppression counts: "clients" when any document has a client key,
    else "documents" (an export without a client column, run with --no-client-column)."""
    return "clients" if (docs["client_key"].astype(str) != "").any() else "documents"


def counting_keys(docs: pd.DataFrame) -> pd.Series:
    """The key each document is counted under for suppression.

    Its client's pseudonym; documents without one share the key `?` and count as one client
    together (a count can come out lower than the truth, never higher); in "documents" mode
    the document's own id.
    """
    keys = docs["client_key"].astype(str)
    if count_unit(docs) == "documents":
        return "doc:" + docs["doc_id"].astype(str)
    return keys.where(keys != "", "?")
