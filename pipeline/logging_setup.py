"""Logging for the CLI: counts and timings on stderr, never record text."""

from __future__ import annotations

import logging
import os
import sys


def configure(verbose: bool = False) -> None:
    level = logging.DEBUG if verbose else logging.INFO
    if os.environ.get("CI") and not verbose:
        level = logging.WARNING
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in (
        "numba",
        "urllib3",
        "filelock",
        "sentence_transformers",
        "httpx",
        "BERTopic",
        "gensim",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)
