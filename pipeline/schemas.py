"""Column schemas of every artefact between stages, checked at each read and write.

Only `INGESTED` carries `text_raw`; every later schema forbids it, so raw text cannot leak past
the redact stage by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.errors import PipelineError, PrivacyError

RAW_TEXT_COLUMNS = frozenset({"text_raw"})


@dataclass(frozen=True)
class Schema:
    """Required columns with pandas dtype kinds; `key` must be unique."""

    name: str
    columns: dict[str, str]
    key: str
    allow_raw_text: bool = False

    def validate(self, frame: pd.DataFrame, path: Path | str | None = None) -> pd.DataFrame:
        """Return `frame` if it fits, else raise naming the file and column."""
        if not self.allow_raw_text:
            leaked = RAW_TEXT_COLUMNS & set(frame.columns)
            if leaked:
                raise PrivacyError(
                    f"{self.name} must not hold raw text", file=path, column=sorted(leaked)[0]
                )
        for column, kind in self.columns.items():
            if column not in frame.columns:
                raise PipelineError(f"{self.name}: missing column", file=path, column=column)
            if kind and not _has_kind(frame[column], kind):
                raise PipelineError(
                    f"{self.name}: expected {kind}, found {frame[column].dtype}",
                    file=path,
                    column=column,
                )
        if self.key and frame[self.key].duplicated().any():
            row = int(frame[self.key].duplicated().to_numpy().argmax())
            raise PipelineError(f"{self.name}: duplicate key", file=path, row=row, column=self.key)
        return frame


def _has_kind(series: pd.Series, kind: str) -> bool:
    if kind == "str":
        return pd.api.types.is_string_dtype(series) or pd.api.types.is_object_dtype(series)
    if kind == "int":
        return pd.api.types.is_integer_dtype(series)
    if kind == "float":
        return pd.api.types.is_float_dtype(series)
    if kind == "bool":
        return pd.api.types.is_bool_dtype(series)
    if kind == "list":
        return pd.api.types.is_object_dtype(series)
    raise ValueError(f"unknown kind {kind}")


META = {"client_key": "str", "date": "str", "service": "str", "area": "str", "doc_type": "str"}

INGESTED = Schema(
    "ingested",
    {"doc_id": "str", "text_raw": "str", **META, "source_row": "int"},
    key="doc_id",
    allow_raw_text=True,
)
REDACTED = Schema("redacted", {"doc_id": "str", "text": "str", **META}, key="doc_id")
SPANS = Schema(
    "redaction_spans",
    {"doc_id": "str", "start": "int", "end": "int", "label": "str", "source": "str"},
    key="",
)
SEGMENTS = Schema(
    "segments",
    {
        "segment_id": "str",
        "doc_id": "str",
        "n": "int",
        "text": "str",
        "lang": "str",
        "boilerplate": "bool",
    },
    key="segment_id",
)
LEMMAS = Schema(
    "lemmas", {"segment_id": "str", "lemmas": "list", "n_tokens": "int"}, key="segment_id"
)
SEGMENT_TOPICS = Schema(
    "segment_topics",
    {"segment_id": "str", "doc_id": "str", "topic": "int", "probability": "float"},
    key="segment_id",
)
TOPICS = Schema(
    "topics",
    {
        "topic": "int",
        "label": "str",
        "keywords": "list",
        "size": "int",
        "admin": "bool",  # administrative: templates, contact lines, procedure (pipeline.admin)
        "nearest": "list",  # nearest topics by centre cosine, most similar first
        "nearest_sim": "list",  # their cosines
        "parent": "int",  # the head of its group in the theme hierarchy, -1 for none
        "excerpt_ids": "list",  # representative segment ids, checked, best first
    },
    key="topic",
)
DOC_THEMES = Schema(
    "doc_themes",
    {"doc_id": "str", "theme_id": "str", "theme_ids": "str", "probability": "float"},
    key="doc_id",
)
THEMES = Schema(
    "themes",
    {
        "theme_id": "str",
        "topic": "int",
        "label": "str",
        "keywords": "list",
        "status": "str",
        "is_new": "bool",
        "admin": "bool",  # administrative (hallinnollinen): never a finding
        "nearest": "list",  # nearest themes' ids, most similar first
        "nearest_sim": "list",  # their centre cosines
        "parent": "str",  # the theme heading its group in the hierarchy, "" for none
        "excerpt_ids": "list",  # representative segment ids, checked, best first
    },
    key="theme_id",
)
EMBEDDING_INDEX = Schema("embedding_index", {"segment_id": "str"}, key="segment_id")


def explode_themes(doc_themes: pd.DataFrame) -> pd.DataFrame:
    """doc_id, theme_id: one row per theme of each document (a DOC_THEMES frame's `theme_ids`
    is the `;`-joined list of them)."""
    pairs = doc_themes.loc[doc_themes["theme_ids"] != "", ["doc_id", "theme_ids"]]
    out = pairs.assign(theme_id=pairs["theme_ids"].str.split(";")).explode("theme_id")
    return out[["doc_id", "theme_id"]].reset_index(drop=True)
