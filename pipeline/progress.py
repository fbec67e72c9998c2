"""Progress bars for long stages (DESIGN.md §8): on a terminal only, quiet in CI and in logs.

A bar is drawn when standard error is a terminal and neither `CI` nor `ILMIO_NO_PROGRESS` is
set; otherwise `progress` hands the iterable back untouched (no output, no cost). tqdm, not
rich: it is already installed with DVC, draws on standard error beside the log lines, and its
`disable` switch makes the quiet case a plain loop.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import Any


def enabled(stream: Any = None) -> bool:
    """Whether bars are drawn: a terminal, outside CI, not switched off."""
    stream = sys.stderr if stream is None else stream
    if os.environ.get("CI") or os.environ.get("ILMIO_NO_PROGRESS"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def progress(
    iterable: Iterable | None = None,
    *,
    total: int | None = None,
    desc: str = "",
    unit: str = "it",
    unit_scale: int | bool = False,
):
    """`iterable` with a bar (or a manual bar with `.update()` when `iterable` is None)."""
    from tqdm import tqdm

    return tqdm(
        iterable,
        total=total,
        desc=desc,
        unit=unit,
        unit_scale=unit_scale,
        disable=not enabled(),
        leave=False,
        dynamic_ncols=True,
        file=sys.stderr,
    )
