"""Swappable parts chosen by a versioned name from params, in the spaCy/thinc manner.

    topics:
      clusterer:
        name: spectral.v1      # which part, and which version of its behaviour
        min_k: 8               # its own params, validated by its own model (extra="forbid")

Every part has a params model here (light: config.py imports it) with its defaults written
once, and a factory registered under the same name in the module that implements it
(`@CLUSTERERS.register("spectral.v1")` in pipeline/clustering.py). A stage imports the modules
of the parts it uses, so the factory is registered by the time `make` is called and the module
is in the stage's dvc.yaml deps.

Versioning rule: a renamed part or a changed behaviour gets a new name (`spectral.v2`); the old
name keeps its old behaviour, so an old params.yaml keeps its meaning.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from pipeline.errors import ConfigError


class Part(BaseModel):
    """A part's params: its versioned `name` and its own settings."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- dimension reducers (topics.reducer) --------------------------------------------------------


class NoReducerV1(Part):
    """The vectors as they are (the spectral clusterer builds its own kNN graph)."""

    name: Literal["none.v1"] = "none.v1"


class PcaV1(Part):
    """PCA with a full, deterministic SVD, then row normalisation."""

    name: Literal["pca.v1"] = "pca.v1"
    n_components: int = Field(50, ge=2)


class UmapV1(Part):
    """UMAP, seeded with params `seed` (BERTopic's default reducer)."""

    name: Literal["umap.v1"] = "umap.v1"
    n_neighbors: int = Field(15, ge=2)
    n_components: int = Field(5, ge=2)
    min_dist: float = Field(0.0, ge=0.0)
    metric: str = "cosine"


Reducer = Annotated[NoReducerV1 | PcaV1 | UmapV1, Field(discriminator="name")]


# --- clusterers (topics.clusterer) --------------------------------------------------------------


class SpectralV1(Part):
    """Spectral clustering of a cosine kNN graph, no random step; k = one topic per
    `segments_per_topic` fit segments within [min_k, max_k], or `k`."""

    name: Literal["spectral.v1"] = "spectral.v1"
    k: int | None = Field(None, ge=2)
    segments_per_topic: int = Field(75, ge=5)
    min_k: int = Field(8, ge=2)
    max_k: int = Field(40, ge=2)
    n_neighbors: int = Field(15, ge=2)
    min_cluster_size: int = Field(10, ge=1)


class SpectralModularityV1(Part):
    """Spectral clustering of a kNN graph over embeddings and lemma LSA; the number of
    clusters is the smallest k in [min_k, max_k] whose partition's modularity on that graph is
    within `tolerance` (relative) of the best (no fixed ratio; no random step)."""

    name: Literal["spectral-modularity.v1"] = "spectral-modularity.v1"
    min_k: int = Field(2, ge=2)
    max_k: int = Field(40, ge=2)
    n_neighbors: int = Field(15, ge=2)
    lexical_weight: float = Field(0.2, ge=0.0, lt=1.0)  # share of the lemma LSA in the graph
    lexical_dims: int = Field(100, ge=2)
    tolerance: float = Field(0.01, ge=0.0, lt=1.0)
    min_cluster_size: int = Field(10, ge=1)


class WardV1(Part):
    """Ward linkage cut at the k in [min_k, max_k] with the best silhouette."""

    name: Literal["ward.v1"] = "ward.v1"
    min_k: int = Field(5, ge=2)
    max_k: int = Field(40, ge=2)
    min_cluster_size: int = Field(10, ge=1)


class HdbscanV1(Part):
    """HDBSCAN (BERTopic's default clusterer)."""

    name: Literal["hdbscan.v1"] = "hdbscan.v1"
    min_cluster_size: int = Field(15, ge=2)
    min_samples: int | None = Field(5, ge=1)
    cluster_selection_method: Literal["eom", "leaf"] = "eom"


class KMeansV1(Part):
    """k-means with k-means++ starts seeded by params `seed` (a baseline with a fixed k)."""

    name: Literal["kmeans.v1"] = "kmeans.v1"
    k: int = Field(12, ge=2)
    min_cluster_size: int = Field(10, ge=1)


Clusterer = Annotated[
    SpectralModularityV1 | SpectralV1 | WardV1 | HdbscanV1 | KMeansV1,
    Field(discriminator="name"),
]


# --- lemmatisers (lemmatise.backend) ------------------------------------------------------------


class VoikkoCtxV1(Part):
    """Voikko readings, a per-form cache and the context model for ambiguous forms."""

    name: Literal["voikko-ctx.v1"] = "voikko-ctx.v1"
    workers: int = Field(1, ge=1)  # processes for a cold start on many new word forms


class VoikkoNoModelV1(Part):
    """Voikko readings without the context model (the first-ranked reading wins)."""

    name: Literal["voikko-nomodel.v1"] = "voikko-nomodel.v1"


class SpacyFiV1(Part):
    """spacy-fi with tok2vec + morphologizer + lemmatizer only."""

    name: Literal["spacy-fi.v1"] = "spacy-fi.v1"


class SimplemmaV1(Part):
    """simplemma's Finnish dictionary: pip-only fallback, no POS, no compounds."""

    name: Literal["simplemma.v1"] = "simplemma.v1"


Lemmatiser = Annotated[
    VoikkoCtxV1 | VoikkoNoModelV1 | SpacyFiV1 | SimplemmaV1, Field(discriminator="name")
]


# --- embedder backends (embed.backend) ----------------------------------------------------------


class OpenVinoV1(Part):
    """OpenVINO on the folder's `onnx/model.onnx`: matrix products in bfloat16 on CPUs with
    native bf16 (f32 elsewhere; the model identity records which), mean pooling, normalised."""

    name: Literal["openvino.v1"] = "openvino.v1"
    precision: Literal["bf16", "f32"] = "bf16"


class OnnxV1(Part):
    """ONNX Runtime on the folder's `onnx/model.onnx`, fp32 (mean pooling, normalised)."""

    name: Literal["onnx.v1"] = "onnx.v1"


class SentenceTransformersV1(Part):
    """sentence-transformers on PyTorch: the fp32 reference."""

    name: Literal["sentence-transformers.v1"] = "sentence-transformers.v1"


EmbedderBackend = Annotated[
    OpenVinoV1 | OnnxV1 | SentenceTransformersV1, Field(discriminator="name")
]


# --- registries ---------------------------------------------------------------------------------


class Registry:
    """Factories of one family of parts, by versioned name."""

    def __init__(self, family: str, params: Any) -> None:
        self.family = family
        self._adapter = TypeAdapter(params)
        self._factories: dict[str, Callable[..., Any]] = {}

    def register(self, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator: the factory of part `name`, called as `factory(params, **context)`."""

        def add(factory: Callable[..., Any]) -> Callable[..., Any]:
            self._factories[name] = factory
            return factory

        return add

    def names(self) -> list[str]:
        return sorted(self._factories)

    def params(self, data: dict[str, Any] | str) -> Part:
        """A part's params from a dict (or just its name), validated."""
        data = {"name": data} if isinstance(data, str) else data
        try:
            return self._adapter.validate_python(data)
        except Exception as exc:  # pydantic's ValidationError, worded for one line
            raise ConfigError(f"{self.family}: {exc.errors()[0]['msg']}") from exc

    def make(self, params: Part, **context: Any) -> Any:
        """The part `params.name`, built from its params (and the run's `context`: seed...)."""
        try:
            factory = self._factories[params.name]
        except KeyError:
            raise ConfigError(
                f"{self.family}: {params.name!r} is not registered; "
                f"choose one of {', '.join(self.names())}"
            ) from None
        return factory(params, **context)


REDUCERS = Registry("topics.reducer", Reducer)
CLUSTERERS = Registry("topics.clusterer", Clusterer)
LEMMATISERS = Registry("lemmatise.backend", Lemmatiser)
EMBEDDERS = Registry("embed.backend", EmbedderBackend)
