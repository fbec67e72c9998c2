"""The theme registry: YAML + centroids round trip, append-only history, matching that keeps
accepted ids through a refit, rejected themes staying rejected, merged themes folding into
their target, and the seeds for the next fit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_review import DIM, fill, make_run, topic_centroids

from pipeline.errors import ConfigError
from pipeline.workgroup import decisions, sheets
from pipeline.workgroup.registry.matching import match_topics
from pipeline.workgroup.registry.runstate import read_run_state, register_run, run_state
from pipeline.workgroup.registry.steering import guide_embeddings, seed_centroids, seed_topics
from pipeline.workgroup.registry.store import (
    RegisteredTheme,
    Registry,
    load_registry,
    save_registry,
)


def small_registry() -> Registry:
    themes = (
        RegisteredTheme(
            "T0002",
            "Velkaantuminen",
            "accepted",
            ("velka", "ulosotto"),
            "Velat ja ulosotto",
            decided_in=1,
            reviewers=("Anna",),
        ),
        RegisteredTheme("T0001", "Asuminen", "rejected", ("vuokra", "häätö")),
        RegisteredTheme("T0003", "Päihteet", "merged", ("päihde",), merged_into="T0002"),
    )
    return Registry(themes, topic_centroids(3), ({"kind": "review", "round": 1},))


def test_save_and_load_round_trip_sorted_by_id(tmp_path):
    path = tmp_path / "theme_registry.yaml"
    registry = small_registry()
    save_registry(registry, path)
    loaded = load_registry(path)
    assert [t.id for t in loaded.themes] == ["T0001", "T0002", "T0003"]
    assert loaded.get("T0002") == registry.get("T0002")
    assert loaded.get("T0003").merged_into == "T0002"
    # the centroid rows moved with their themes
    np.testing.assert_allclose(loaded.centroids[1], registry.centroids[0])
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ilmio theme registry") and "Velkaantuminen" in text


def test_history_on_disk_is_never_rewritten(tmp_path):
    path = tmp_path / "theme_registry.yaml"
    save_registry(small_registry(), path)
    rewritten = Registry(
        small_registry().themes, small_registry().centroids, ({"kind": "review", "round": 7},)
    )
    with pytest.raises(ConfigError, match="append-only"):
        save_registry(rewritten, path)
    appended = Registry(
        small_registry().themes,
        small_registry().centroids,
        (*small_registry().history, {"kind": "review", "round": 2}),
    )
    save_registry(appended, path)
    assert len(load_registry(path).history) == 2


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        # A typo in a key: silently a candidate before, now refused naming theme and field.
        ("- id: T0001\n  name: Asuminen\n  staus: accepted\n", "theme T0001, field 'staus'"),
        ("- id: T0001\n  status: kadonnut\n", "theme T0001, field 'status'"),
        ("- id: T0001\n  status: merged\n", "merged theme needs merged_into"),
        ("- id: T0001\n  keywords: asuminen\n", "theme T0001, field 'keywords'"),
        ("- name: ilman tunnistetta\n", "theme #1, field 'id'"),
        ("- id: 7\n", "field 'id'"),
        ("- id: T0001\n- id: T0001\n", "theme T0001: duplicate theme id"),
    ],
)
def test_invalid_registry_is_refused_in_one_line(tmp_path, entries, message):
    path = tmp_path / "theme_registry.yaml"
    path.write_text(f"themes:\n{entries}history: []\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_registry(path)
    line = err.value.one_line()
    assert message in line and "theme_registry.yaml" in line and "\n" not in line


def topics_frame(keywords: list[list[str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "topic": range(len(keywords)),
            "label": [", ".join(k) for k in keywords],
            "keywords": keywords,
            "size": 5,
        }
    )


def test_accepted_keeps_id_rejected_stays_rejected_merged_folds_into_target():
    registry = small_registry()
    # Refit: topics come out in another order, centroids moved a little.
    moved = topic_centroids(3, noise=0.05, seed=3)
    topics = topics_frame([["päihde"], ["velka"], ["vuokra"]])
    centroids = moved[[2, 0, 1]]  # topic 0 ~ T0003, 1 ~ T0002, 2 ~ T0001
    out = match_topics(topics, centroids, registry, threshold=0.5).set_index("topic")
    assert out.loc[1, "theme_id"] == "T0002" and out.loc[1, "name"] == "Velkaantuminen"
    assert out.loc[2, "theme_id"] == "T0001" and out.loc[2, "status"] == "rejected"
    # T0003 was merged into T0002, which topic 1 already holds: marked for folding
    assert out.loc[0, "status"] == "merged" and out.loc[0, "merged_into"] == "T0002"
    assert not out["is_new"].any()


def test_merged_theme_alone_takes_its_target():
    registry = small_registry()
    out = match_topics(topics_frame([["päihde"]]), topic_centroids(3)[[2]], registry, threshold=0.5)
    assert out.loc[0, "theme_id"] == "T0002" and out.loc[0, "status"] == "accepted"


def test_below_threshold_is_a_new_candidate_after_the_highest_id():
    registry = small_registry()
    other = np.zeros((1, DIM), dtype=np.float32)
    other[0, DIM - 1] = 1.0
    out = match_topics(topics_frame([["koulu"]]), other, registry, threshold=0.5)
    assert out.loc[0, "theme_id"] == "T0004" and bool(out.loc[0, "is_new"])


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(0, 6), st.integers(0, 10_000))
def test_matching_is_one_to_one(n_topics, n_themes, seed):
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((n_topics + n_themes, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    registry = Registry(
        tuple(RegisteredTheme(f"T{i + 1:04d}", f"t{i}", "accepted") for i in range(n_themes)),
        vectors[n_topics:],
    )
    out = match_topics(
        topics_frame([["x"]] * n_topics), vectors[:n_topics], registry, threshold=-1.0
    )
    assert out["theme_id"].is_unique and len(out) == n_topics


def test_keyword_fallback_when_a_theme_has_no_centroid():
    registry = Registry(
        (RegisteredTheme("T0001", "Velat", "accepted", ("velka", "ulosotto")),),
        np.zeros((1, DIM), dtype=np.float32),
    )
    out = match_topics(
        topics_frame([["velka", "ulosotto", "kulu"]]), topic_centroids(1), registry, threshold=0.5
    )
    assert out.loc[0, "theme_id"] == "T0001"


def test_seeds_for_the_next_fit():
    registry = small_registry()
    assert seed_topics(registry) == [["velka", "ulosotto"]]
    seeds = seed_centroids(registry)
    assert seeds.shape == (1, DIM)
    vectors = topic_centroids(3, noise=0.1, seed=1)
    before = vectors.copy()
    labels, guided = guide_embeddings(vectors, seeds)
    np.testing.assert_array_equal(vectors, before)  # pure
    assert labels[0] == 0 and (labels[1:] == -1).all()
    assert guided[0] @ seeds[0] > vectors[0] @ seeds[0]
    np.testing.assert_allclose(np.linalg.norm(guided, axis=1), 1.0, rtol=1e-5)
    assert guide_embeddings(vectors, np.zeros((0, DIM)))[0].tolist() == [-1, -1, -1]


def test_run_state_round_trip_and_registering_a_run(tmp_path):
    made = make_run(tmp_path / "run")
    state = read_run_state(tmp_path / "run")
    assert state.run_id == made["run_id"]
    assert (
        run_state(made["themes"], made["centroids"], made["run_id"])["themes"][0]["theme_id"]
        == "T0001"
    )
    registry = register_run(small_registry(), state)
    # T0001..T0003 known (names and statuses kept), T0004..T0006 added as candidates
    assert registry.get("T0002").name == "Velkaantuminen"
    assert registry.get("T0006").status == "candidate"
    assert registry.centroids.shape == (6, DIM)


def test_refit_keeps_accepted_ids_and_flags_new_candidates(tmp_path):
    """A reviewed round, then a refit with moved centroids and one topic fewer."""
    first = tmp_path / "first"
    make_run(first)
    sheet = fill(
        first / "themes.xlsx",
        tmp_path / "a.xlsx",
        "Anna",
        {
            "T0001": ("accept", "", ""),
            "T0002": ("rename", "Velkaantuminen", ""),
            "T0003": ("reject", "", ""),
            "T0004": ("merge", "", "T0001"),
        },
    )
    reviews = sheets.read_sheets([sheet])
    state = read_run_state(first)
    res = decisions.resolve(reviews, state, Registry())
    registry = decisions.apply_decisions(
        Registry(), res, decisions.RunInfo(state, "2025-01-31", reviews.sheets, res.agreement)
    )
    second = make_run(tmp_path / "second", registry, noise=0.1)["themes"].set_index("theme_id")
    assert second.loc["T0001", "label"] == "vuokra, häätö" and not second.loc["T0001", "is_new"]
    assert second.loc["T0002", "label"] == "Velkaantuminen"
    assert "T0003" not in second.index  # rejected: matched, then dropped from the report
