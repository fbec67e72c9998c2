"""Validated params: `params.yaml` parsed into pydantic models with `extra="forbid"`.

A typo in a params key is an error, not a silently ignored setting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline import components
from pipeline.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class InputPathMarker:
    """Marks a params path whose file a stage reads: dvc.yaml lists it in the stage's deps."""


# A config or model file (or folder) a stage reads: a dependency of that stage (pipeline.dvcgen).
InputPath = Annotated[Path, InputPathMarker()]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IngestParams(_Strict):
    column_map: InputPath = Path("configs/column_map.yaml")
    min_text_chars: int = Field(10, ge=1)
    max_text_chars: int = Field(200_000, ge=100)
    max_quarantine_share: float = Field(0.5, ge=0.0, le=1.0)
    encoding: str | None = None  # None: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252
    delimiter: str | None = Field(None, min_length=1, max_length=1)  # None: sniffed
    sheet: str | int | None = None  # XLSX: None = the first sheet with the mapped columns
    header_row: int | None = Field(None, ge=1)  # XLSX: None = found in the first 30 rows
    # Small-cell suppression counts distinct clients: without a client column the run stops,
    # unless this is false (`--no-client-column`), when every count is of documents.
    require_client_column: bool = True


class TaggerParams(_Strict):
    """The learned name tagger's operating point (`pipeline/redaction/tagger.py`).

    Chosen on 5-fold cross-validation of the training splits (`benchmarks/redaction.py --cv 5`),
    never on dev: of the settings tried (threshold 0.03-0.3, veto 0.002-0.1), the one with the
    fewest whole-token person misses, pooled over both splits, whose person precision is not
    below that of the previous model at its own operating point (0.448: a better model spends
    its gain on recall). 0.03 / 0.003 gives 34.7 misses per 1,000 at precision 0.466; the
    previous model (0.1 / 0.01) gave 42.1 at 0.448, and 0.03 / 0.002 gives 33.4 at 0.443.
    """

    enabled: bool = True
    # marginal P(person) at which the tagger alone masks a word: low, because a missed name
    # leaks and a wrongly masked word only costs a word
    threshold: float = Field(0.03, ge=0.0, le=1.0)
    # below this P(person), rule evidence for a person (Voikko name class, unknown capitalised
    # word...) is overruled: organisations and products stay readable
    veto: float = Field(0.003, ge=0.0, le=1.0)
    # marginal P(place) at which a word is masked as a place (PAIKKA)
    place_threshold: float = Field(0.5, ge=0.0, le=1.0)


class RedactParams(_Strict):
    patterns: InputPath = Path("configs/redaction.yaml")
    name_fields: list[str] = Field(default_factory=lambda: ["client_name", "worker_name"])
    ner: bool = False
    tagger: TaggerParams = TaggerParams()
    pseudonym_key_file: Path | None = None
    cache_dir: Path | None = Path("data/work/redact_cache")


class SegmentParams(_Strict):
    max_sentences: int = Field(3, ge=1)
    max_words: int = Field(90, ge=10)
    min_words: int = Field(4, ge=1)
    boilerplate: InputPath = Path("configs/boilerplate_sentences_fi.txt")
    repeat_min_docs: int = Field(5, ge=2)
    repeat_share: float = Field(0.02, ge=0.0, le=1.0)


class LemmatiseParams(_Strict):
    backend: components.Lemmatiser = components.VoikkoCtxV1()
    stopwords: InputPath = Path("configs/stopwords_fi.txt")
    boilerplate: InputPath = Path("configs/boilerplate_fi.txt")
    compounds: bool = True
    phrases: InputPath = Path("configs/phrases_fi.txt")
    cache_dir: Path | None = Path("data/work/lemma_cache")  # segments seen before


class EmbedParams(_Strict):
    model: InputPath = Path("models/e5-small")
    backend: components.EmbedderBackend = components.OpenVinoV1()
    prefix: str = "query: "
    batch_size: int = Field(32, ge=1)
    cache_dir: Path | None = Path("data/work/embed_cache")


class AdminParams(_Strict):
    """When a topic is administrative (pipeline.admin): signals and their thresholds."""

    template_min_docs: int = Field(3, ge=2)  # a sentence in this many documents is a template
    max_placeholder_rate: float = Field(0.1, gt=0.0, le=1.0)
    min_accompanying: float = Field(0.9, ge=0.0, le=1.0)
    min_spread: float = Field(0.8, ge=0.0, le=1.0)
    min_template_share: float = Field(0.8, ge=0.0, le=1.0)
    min_generic: float = Field(0.6, ge=0.0, le=1.0)


class TopicsParams(_Strict):
    remove_register: bool = True
    reducer: components.Reducer = components.NoReducerV1()
    clusterer: components.Clusterer = components.SpectralModularityV1()
    top_n_words: int = Field(10, ge=3)
    min_df: int = Field(2, ge=1)
    reduce_outliers: bool = True
    outlier_threshold: float = Field(0.0, ge=-1.0, le=1.0)  # absolute floor of closeness
    # A segment belongs to a topic only within this many robust deviations of the topic's
    # median member similarity to its centre (stages/topics.py closeness_thresholds).
    assign_mads: float = Field(3.0, gt=0.0)
    max_fit_segments: int = Field(20_000, ge=100)
    seed_weight: float = Field(0.25, ge=0.0, le=1.0)
    stability_check: bool = True  # refit on subsamples of the documents, ARI vs the full fit
    stability_draws: int = Field(3, ge=1)
    stability_share: float = Field(0.8, gt=0.0, lt=1.0)
    admin: AdminParams = AdminParams()
    # An earlier run's topic model folder: assign to its topics, refit nothing
    # (pipeline.topicstate). null: fit.
    keep_model: InputPath | None = None


class ThemesParams(_Strict):
    min_share: float = Field(0.25, ge=0.0, le=1.0)
    registry: InputPath = Path("configs/theme_registry.yaml")
    match_threshold: float = Field(0.5, ge=-1.0, le=1.0)


class ReportParams(_Strict):
    min_clients: int = Field(5, ge=1)
    language: Literal["fi", "en"] = "fi"
    excerpts: int = Field(3, ge=0, le=10)
    excerpt_chars: int = Field(220, ge=40)
    # The infographic's period and "change against the previous period": the data's last one.
    period: Literal["quarter", "half", "year"] = "half"
    proposals: int = Field(5, ge=0, le=20)  # social reports' proposals per theme in the report
    # Over-represented in a group: at least `over_index` times the theme's overall rate, and
    # the group's client share's 95 % lower bound above the overall client share.
    over_index: float = Field(1.5, ge=1.0)


class ComputeParams(_Strict):
    """Where the map stages (redact, segment, lemmatise, embed) run; never what they compute."""

    workers: int | None = Field(None, ge=1)  # local processes; None: every core
    scheduler: str | None = None  # a Dask scheduler address: run the partitions there
    partition_rows: int = Field(2000, ge=1)  # documents or segments a partition
    working_memory_mb: int = Field(64, ge=8)  # scikit-learn's chunks of pairwise distances


class Params(_Strict):
    seed: int = 42
    ingest: IngestParams = IngestParams()
    redact: RedactParams = RedactParams()
    segment: SegmentParams = SegmentParams()
    lemmatise: LemmatiseParams = LemmatiseParams()
    embed: EmbedParams = EmbedParams()
    topics: TopicsParams = TopicsParams()
    themes: ThemesParams = ThemesParams()
    report: ReportParams = ReportParams()
    compute: ComputeParams = ComputeParams()


def parse_override(item: str) -> tuple[list[str], Any]:
    """`topics.hdbscan.min_cluster_size=10` -> (["topics", "hdbscan", "min_cluster_size"], 10)."""
    if "=" not in item:
        raise ConfigError(f"--set expects key=value, got {item!r}")
    key, raw = item.split("=", 1)
    return key.strip().split("."), yaml.safe_load(raw)


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """A copy of `data` with each `key.path=value` override set."""
    out = yaml.safe_load(yaml.safe_dump(data)) or {}
    for item in overrides:
        keys, value = parse_override(item)
        node = out
        for key in keys[:-1]:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                raise ConfigError(f"--set {item!r}: {key!r} is not a section")
        node[keys[-1]] = value
    return out


def load_params(path: Path | None = None, overrides: list[str] | None = None) -> Params:
    """Read and validate params; a missing file means all defaults."""
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except FileNotFoundError as exc:
            raise ConfigError("params file not found", file=path) from exc
        except yaml.YAMLError as exc:
            raise ConfigError(f"not valid YAML ({exc.__class__.__name__})", file=path) from exc
    data = apply_overrides(data, overrides or [])
    try:
        return Params.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{key}: {first['msg']}", file=path) from exc


def resolve(path: Path | None) -> Path | None:
    """A params path made absolute: relative paths are relative to the project root."""
    if path is None:
        return None
    return path if path.is_absolute() else PROJECT_ROOT / path
