"""Per-row results of a stage on disk, so that a grown corpus computes only its new rows.

A row is found by a key, an HMAC of the stage's identity and the row's input: with a secret
(the pseudonym key, for the redact stage, whose input is raw text) nobody without it can test
a guessed input against the cache; without one it is a plain keyed hash of text that is
already redacted (as the embedding cache's). A value is JSON text: what the stage would write
for that row anyway, never more.

The identity (`identity`) covers everything that decides a result: ilmio's version, the
source and data files of the code that computes it, the word lists and settings it reads, and
the Voikko dictionary. A new release, a retrained model or another setting starts a new folder,
so a cached row is always the result the current code would give.

`<cache_dir>/<identity[:16]>/part-NNNNN.parquet` holds columns key and value; a shard is
written under a temporary name and renamed, so an interrupted run never leaves half a shard.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path

import pandas as pd

from pipeline.nlp.voikko import dictionary_identity


def identity(files: Iterable[Path], settings: str) -> str:
    """SHA-256 of ilmio's version, the Voikko dictionary, `files` (each file, or every file
    under a folder, by name and content) and `settings` (JSON)."""
    digest = hashlib.sha256()
    try:
        digest.update(metadata.version("ilmio").encode())
    except metadata.PackageNotFoundError:
        digest.update(b"unversioned")
    digest.update(dictionary_identity().encode())
    paths: list[Path] = []
    for item in files:
        item = Path(item)
        paths += sorted(p for p in item.rglob("*") if p.is_file()) if item.is_dir() else [item]
    for path in paths:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    digest.update(settings.encode())
    return digest.hexdigest()


def next_shard(folder: Path) -> Path:
    """`folder/part-NNNNN` (no suffix), the first shard number not taken; the folder made."""
    folder.mkdir(parents=True, exist_ok=True)
    part = len({p.name.split(".")[0] for p in folder.glob("part-*")})
    while any(folder.glob(f"part-{part:05d}.*")):
        part += 1
    return folder / f"part-{part:05d}"


class RowCache:
    """JSON values by key, in append-only Parquet shards (see the module docstring)."""

    def __init__(self, folder: Path, identity: str, secret: bytes = b"") -> None:
        self.folder = Path(folder) / identity[:16]
        self._secret = secret + identity.encode()

    def keys(self, items: Sequence[str]) -> list[str]:
        """The key of each row's input (text, with whatever else decides its result)."""
        return [
            hmac.new(self._secret, item.encode("utf-8"), hashlib.sha256).hexdigest()
            for item in items
        ]

    def get(self, keys: Sequence[str]) -> dict[str, str]:
        """The stored value of each key that is in the cache."""
        wanted = set(keys)
        found: dict[str, str] = {}
        for shard in sorted(self.folder.glob("part-*.parquet")):
            rows = pd.read_parquet(shard)
            for key, value in rows[rows["key"].isin(wanted)].itertuples(index=False):
                found.setdefault(key, value)
        return found

    def add(self, values: dict[str, str]) -> None:
        """Store new values (key -> JSON text) as one shard."""
        if not values:
            return
        target = next_shard(self.folder).with_suffix(".parquet")
        rows = pd.DataFrame({"key": list(values), "value": list(values.values())})
        rows.to_parquet(target.with_suffix(".parquet.tmp"), index=False)
        os.replace(target.with_suffix(".parquet.tmp"), target)


def cached_rows(
    cache: RowCache | None, items: Sequence[str], compute, encode, decode
) -> tuple[list, int]:
    """(the result for each item, how many came from the cache). `compute(indices)` gives the
    results of the items at those positions (each distinct input computed once); `encode` /
    `decode` turn a result into JSON text and back. Without a cache everything is computed."""
    if cache is None:
        return list(compute(list(range(len(items))))), 0
    keys = cache.keys(items)
    stored = cache.get(keys)
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key not in stored:
            first.setdefault(key, i)
    fresh = dict(zip(first, compute(list(first.values())), strict=True)) if first else {}
    cache.add({key: encode(result) for key, result in fresh.items()})
    out = [fresh[k] if k in fresh else decode(stored[k]) for k in keys]
    return out, sum(1 for k in keys if k in stored)
