"""The redact stage's results on disk, one row per document, so that a grown corpus redacts only
its new documents (an incremental run).

What is stored is what the stage writes anyway: the redacted text and the spans (offsets,
labels, sources). The key of a row is an HMAC, with the pseudonym key, of the redactor's
identity, the raw text and the record's own names: the cache holds no raw text, and without
the key nobody can test a guessed text (a henkilötunnus, a name) against it.

The identity covers everything that decides a result: the ilmio version, the source of the
redaction package, its data files (the tagger's model, lexicons), the patterns file and the
stage's params. A new release, a retrained model or another setting starts a new folder, so a
cached row is always the result the current code would give.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import pandas as pd

from pipeline.redaction.identifiers import Span
from pipeline.redaction.pseudonyms import PseudonymKey
from pipeline.redaction.redactor import Redacted

PACKAGE = Path(__file__).resolve().parent


def redactor_identity(patterns: Path, settings: str) -> str:
    """SHA-256 of what decides the redactor's output: ilmio's version, the redaction package's
    files (code, model, lexicons), the patterns file and `settings` (the params as JSON)."""
    digest = hashlib.sha256()
    try:
        digest.update(metadata.version("ilmio").encode())
    except metadata.PackageNotFoundError:
        digest.update(b"unversioned")
    for path in sorted([*PACKAGE.rglob("*.py"), *(PACKAGE / "data").rglob("*"), Path(patterns)]):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    digest.update(settings.encode())
    return digest.hexdigest()


def encode_spans(spans: Sequence[Span]) -> str:
    return json.dumps([[s.start, s.end, s.label, s.source] for s in spans], ensure_ascii=False)


def decode_spans(stored: str) -> list[Span]:
    return [
        Span(int(a), int(b), str(label), str(source)) for a, b, label, source in json.loads(stored)
    ]


class RedactionCache:
    """`<cache_dir>/<identity[:16]>/part-NNNNN.parquet`: columns key, text, spans (JSON).

    A shard is written under a temporary name and renamed, so an interrupted run never leaves
    half a shard; shards only grow (an incremental run adds its new documents as one).
    """

    def __init__(self, cache_dir: Path, identity: str, key: PseudonymKey) -> None:
        self.folder = Path(cache_dir) / identity[:16]
        self._secret = key.key + identity.encode()

    def keys(self, texts: Sequence[str], names: Sequence[Sequence[str]]) -> list[str]:
        """The row key of each (raw text, the record's names)."""
        return [
            hmac.new(
                self._secret, "\x1f".join([text, *known]).encode("utf-8"), hashlib.sha256
            ).hexdigest()
            for text, known in zip(texts, names, strict=True)
        ]

    def get(self, keys: Sequence[str]) -> dict[str, Redacted]:
        """The cached result of each key that is in the cache."""
        wanted = set(keys)
        found: dict[str, Redacted] = {}
        for shard in sorted(self.folder.glob("part-*.parquet")):
            rows = pd.read_parquet(shard)
            for key, text, spans in rows[rows["key"].isin(wanted)].itertuples(index=False):
                found.setdefault(key, Redacted(text, decode_spans(spans)))
        return found

    def add(self, keys: Sequence[str], results: Sequence[Redacted]) -> None:
        """Store new results as one shard."""
        if not keys:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        part = len(list(self.folder.glob("part-*.parquet")))
        while (self.folder / f"part-{part:05d}.parquet").exists():
            part += 1
        target = self.folder / f"part-{part:05d}.parquet"
        rows = pd.DataFrame(
            {
                "key": list(keys),
                "text": [r.text for r in results],
                "spans": [encode_spans(r.spans) for r in results],
            }
        )
        rows.to_parquet(target.with_suffix(".parquet.tmp"), index=False)
        os.replace(target.with_suffix(".parquet.tmp"), target)
