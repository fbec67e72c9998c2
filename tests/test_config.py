"""Params are validated: unknown keys and wrong types are errors naming the key."""

from pathlib import Path

import pytest

from pipeline.config import load_params
from pipeline.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_project_params_load():
    params = load_params(ROOT / "params.yaml")
    assert params.seed == 42
    assert params.report.language == "fi"


def test_unknown_key_is_an_error(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("topics:\n  hdbscan:\n    min_clustr_size: 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="min_clustr_size"):
        load_params(path)


def test_override_sets_nested_value():
    params = load_params(ROOT / "params.yaml", ["topics.hdbscan.min_cluster_size=7", "seed=3"])
    assert params.topics.hdbscan.min_cluster_size == 7
    assert params.seed == 3


def test_override_with_wrong_type_names_the_key():
    with pytest.raises(ConfigError, match=r"report\.min_clients"):
        load_params(None, ["report.min_clients=many"])
