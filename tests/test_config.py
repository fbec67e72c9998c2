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
    path.write_text(
        "topics:\n  clusterer:\n    name: spectral.v1\n    min_clustr_size: 3\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="min_clustr_size"):
        load_params(path)


def test_override_sets_nested_value():
    params = load_params(ROOT / "params.yaml", ["topics.clusterer.min_cluster_size=7", "seed=3"])
    assert params.topics.clusterer.min_cluster_size == 7
    assert params.seed == 3


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("topics.clusterer.name=spectral.v9", "spectral.v9"),  # an unknown version
        ("topics.clusterer={name: ward.v1, n_neighbors: 5}", "n_neighbors"),  # not ward's param
        ("lemmatise.backend={name: spacy-fi.v1, workers: 2}", "workers"),
    ],
)
def test_parts_are_validated_by_their_own_params(override, message):
    with pytest.raises(ConfigError, match=message):
        load_params(ROOT / "params.yaml", [override])


def test_a_part_switched_by_name_gets_its_own_defaults():
    params = load_params(ROOT / "params.yaml", ["topics.clusterer={name: ward.v1}"])
    assert params.topics.clusterer.name == "ward.v1" and params.topics.clusterer.max_k == 40


def test_override_with_wrong_type_names_the_key():
    with pytest.raises(ConfigError, match=r"report\.min_clients"):
        load_params(None, ["report.min_clients=many"])
