"""Client pseudonyms: the key, the keyed hash, and what counts as the bundled sample.

Client keys are pseudonymised with HMAC-SHA256. The key comes from `ILMIO_PSEUDONYM_KEY` or a
key file outside the repository. Only the bundled synthetic sample may run on the public demo key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import PROJECT_ROOT
from pipeline.errors import PrivacyError

KEY_ENV = "ILMIO_PSEUDONYM_KEY"
SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"
# Public on purpose: it protects nothing and is accepted only for the synthetic sample.
DEMO_KEY = b"ilmio-demo-key-for-the-synthetic-sample-only"
MIN_KEY_CHARS = 16  # the same rule for the environment variable and the key file


@dataclass(frozen=True)
class PseudonymKey:
    key: bytes
    demo: bool


def is_bundled_sample(path: Path) -> bool:
    """True when `path` lies inside the project's `data/sample/` folder."""
    try:
        Path(path).resolve().relative_to(SAMPLE_DIR.resolve())
    except ValueError:
        return False
    return True


def resolve_key(key_file: Path | None, *, allow_demo: bool) -> PseudonymKey:
    """The pseudonym key: env var, then key file, then (sample only) the demo key."""
    from_env = os.environ.get(KEY_ENV, "").strip()
    if from_env:
        if len(from_env) < MIN_KEY_CHARS:
            raise PrivacyError(f"{KEY_ENV} is shorter than {MIN_KEY_CHARS} characters")
        return PseudonymKey(from_env.encode("utf-8"), demo=False)
    if key_file is not None:
        key_path = Path(key_file).expanduser()
        if _inside_project(key_path):
            raise PrivacyError("the key file must lie outside the repository", file=key_path)
        try:
            text = key_path.read_text(encoding="utf-8").strip()
        except FileNotFoundError as exc:
            raise PrivacyError("pseudonym key file not found", file=key_path) from exc
        if len(text) < MIN_KEY_CHARS:
            raise PrivacyError(
                f"pseudonym key is shorter than {MIN_KEY_CHARS} characters", file=key_path
            )
        return PseudonymKey(text.encode("utf-8"), demo=False)
    if allow_demo:
        return PseudonymKey(DEMO_KEY, demo=True)
    raise PrivacyError(
        f"no pseudonym key: set {KEY_ENV} or redact.pseudonym_key_file (outside the repository);"
        " only the bundled sample runs on the demo key"
    )


def pseudonymise(value: str, key: PseudonymKey) -> str:
    """A stable keyed pseudonym (`p_` + 16 hex chars of HMAC-SHA256); "" stays ""."""
    if not value:
        return ""
    digest = hmac.new(key.key, value.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"p_{digest[:16]}"


def _inside_project(path: Path) -> bool:
    try:
        path.resolve().relative_to(PROJECT_ROOT.resolve())
    except ValueError:
        return False
    return True
