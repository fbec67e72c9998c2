"""The stage contract: dvc.yaml, the CLI and `ilmio run` follow from one declaration per stage."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline import dag, dvcgen
from pipeline.config import Params, load_params
from pipeline.contract import ParamsView

ROOT = Path(__file__).resolve().parent.parent


def generated() -> dict:
    return yaml.safe_load(dvcgen.dvc_yaml(load_params(ROOT / "params.yaml")))


def test_committed_dvc_yaml_is_what_the_declarations_give():
    committed = (ROOT / "dvc.yaml").read_text(encoding="utf-8")
    assert committed == dvcgen.dvc_yaml(load_params(ROOT / "params.yaml")), (
        "dvc.yaml is out of date: run `ilmio dvc-yaml`"
    )


@pytest.mark.parametrize(
    ("stage", "dep"),
    [
        # The omissions the hand-kept file had: now they follow from the code.
        ("lemmatise", "pipeline/nlp/data/lemma_disambiguator_fi.json"),
        ("lemmatise", "pipeline/nlp/voikko.py"),
        ("lemmatise", "pipeline/nlp/compounds.py"),
        ("redact", "pipeline/nlp/language.py"),
        ("redact", "configs/redaction.yaml"),
        ("topics", "pipeline/workgroup/registry/steering.py"),
        ("topics", "pipeline/evaluation.py"),
        ("topics", "configs/theme_centroids.npy"),
        ("themes", "pipeline/workgroup/registry/matching.py"),
        ("report", "pipeline/report/templates/report.html"),
        ("report", "pipeline/locale/fi.yaml"),
        ("report", "metrics/topics.json"),
        ("embed", "models/e5-small"),
        ("segment", "configs/boilerplate_sentences_fi.txt"),
    ],
)
def test_deps_follow_from_code_data_and_params(stage, dep):
    assert dep in generated()["stages"][stage]["deps"]


def test_a_stage_depends_on_no_other_stages_code():
    stages = generated()["stages"]
    for name, entry in stages.items():
        others = {f"pipeline/stages/{o}.py" for o in dag.ORDER if o not in (name, "themes")}
        assert not others & set(entry["deps"]), name


def test_declared_params_include_what_the_topic_stage_reads():
    assert generated()["stages"]["topics"]["params"] == [
        "seed",
        "topics",
        "themes.registry",
        "themes.match_threshold",  # a topic matching a rejected theme is administrative
        "embed.model",
    ]


def test_a_stage_sees_only_the_params_it_declared():
    view = ParamsView(Params(), ("seed", "topics", "embed.model"))
    assert view.seed == 42 and view.embed.model == Path("models/e5-small")
    assert view.topics.min_df == 2
    with pytest.raises(AttributeError, match=r"embed\.batch_size not declared"):
        _ = view.embed.batch_size
    with pytest.raises(AttributeError, match="report not declared"):
        _ = view.report


def test_cli_options_are_the_artefact_names():
    from pipeline.cli import build_parser

    parser = build_parser()
    args = parser.parse_args(
        [
            *("topics", "--metrics", "m.json", "--centroids", "c.npy", "--topics", "t.parquet"),
            *("--segment-topics", "st.parquet", "--model", "model", "--redacted", "r.parquet"),
            *("--embedding-index", "i.parquet", "--embeddings", "e.npy", "--lemmas", "l.parquet"),
            *("--segments", "s.parquet"),
        ]
    )
    assert args.embeddings == Path("e.npy") and args.embedding_index == Path("i.parquet")
    assert args.segments == Path("s.parquet") and args.centroids == Path("c.npy")


def test_no_import_cycle_in_the_package():
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "pipeline").rglob("*.py")
    )
    graph = {m: dvcgen.direct_imports(m) - {m} for m in modules}

    def reaches(start: str, target: str) -> bool:
        seen, todo = set(), list(graph[start])
        while todo:
            node = todo.pop()
            if node == target:
                return True
            if node not in seen and node in graph:
                seen.add(node)
                todo.extend(graph[node])
        return False

    # A package's __init__ is imported by its modules; a cycle is a module reaching itself
    # through modules that are not merely the packages above it.
    cycles = [
        m for m in modules if any(reaches(n, m) for n in graph[m] if not m.startswith(n + "."))
    ]
    assert cycles == []


def test_help_imports_no_heavy_library():
    code = (
        "import sys, pipeline.cli; pipeline.cli.build_parser(); "
        "print(sorted(m for m in ('torch', 'spacy', 'bertopic', 'sentence_transformers', "
        "'onnxruntime', 'sklearn', 'libvoikko') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
