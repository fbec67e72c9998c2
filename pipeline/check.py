"""`ilmio check`: is this machine ready? Params, config files, Voikko, spaCy-fi, model, key."""

from __future__ import annotations

import os
from collections.abc import Callable

from pipeline.config import Params, resolve
from pipeline.redaction.pseudonyms import KEY_ENV


def check_voikko() -> str:
    from pipeline.nlp.voikko import open_voikko

    voikko = open_voikko()
    ok = voikko.analyze("asunnottomuudesta")
    voikko.terminate()
    if not ok:
        raise RuntimeError("Voikko loads but cannot analyse Finnish")
    return "Finnish dictionary loaded"


def check_spacy() -> str:
    import importlib.util

    if importlib.util.find_spec("spacy_fi_experimental_web_md") is None:
        raise RuntimeError("spaCy model spacy-fi-experimental-web-md is not installed")
    return "spacy-fi-experimental-web-md installed"


def check_model(params: Params) -> str:
    folder = resolve(params.embed.model)
    if not (folder / "config.json").exists() and not (folder / "modules.json").exists():
        raise RuntimeError(f"embedding model folder {folder} missing; run: ilmio prepare-model")
    return f"embedding model at {folder}"


def check_configs(params: Params) -> str:
    paths = [
        params.ingest.column_map,
        params.redact.patterns,
        params.segment.boilerplate,
        params.lemmatise.stopwords,
        params.lemmatise.boilerplate,
        params.lemmatise.phrases,
    ]
    missing = [str(p) for p in paths if not resolve(p).exists()]
    if missing:
        raise RuntimeError(f"missing config files: {', '.join(missing)}")
    return f"{len(paths)} config files present"


def check_key(params: Params) -> str:
    if os.environ.get(KEY_ENV) or params.redact.pseudonym_key_file:
        return "pseudonym key configured"
    return f"no pseudonym key: only the bundled sample will run (set {KEY_ENV} for real data)"


def run_checks(params: Params) -> int:
    """Print one line per check; exit code 2 when any check fails."""
    checks: list[tuple[str, Callable[[], str]]] = [
        ("params", lambda: f"valid, seed {params.seed}"),
        ("configs", lambda: check_configs(params)),
        ("voikko", check_voikko),
        ("spacy", check_spacy),
        ("model", lambda: check_model(params)),
        ("key", lambda: check_key(params)),
    ]
    failed = 0
    for name, check in checks:
        try:
            print(f"ok    {name}: {check()}")
        except Exception as exc:
            failed += 1
            print(f"FAIL  {name}: {exc}")
    return 2 if failed else 0
