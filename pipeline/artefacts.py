"""Every artefact that flows between stages, declared once: its name (the CLI option and the
key in `ilmio run`'s memory), where dvc.yaml keeps it, and its kind (DESIGN.md §2).

Artefacts only one stage writes for people (quarantine, the topic model folder, the report
folder) are declared in that stage's module, with the writer that makes them.
"""

from __future__ import annotations

from pipeline import schemas
from pipeline.contract import Array, Artefact, InputFile, StageMetrics, Table

WORK = "${work}"

SOURCE = Artefact("src", "${input}", InputFile())
INGESTED = Artefact("ingested", f"{WORK}/01_ingested.parquet", Table(schemas.INGESTED))
REDACTED = Artefact("redacted", f"{WORK}/02_redacted.parquet", Table(schemas.REDACTED))
SPANS = Artefact("spans", f"{WORK}/02_redaction_spans.parquet", Table(schemas.SPANS))
SEGMENTS = Artefact("segments", f"{WORK}/03_segments.parquet", Table(schemas.SEGMENTS))
LEMMAS = Artefact("lemmas", f"{WORK}/04_lemmas.parquet", Table(schemas.LEMMAS))
EMBEDDINGS = Artefact("embeddings", f"{WORK}/05_embeddings.npy", Array())
EMBEDDING_INDEX = Artefact(
    "embedding_index", f"{WORK}/05_embeddings_index.parquet", Table(schemas.EMBEDDING_INDEX)
)
SEGMENT_TOPICS = Artefact(
    "segment_topics", f"{WORK}/06_segment_topics.parquet", Table(schemas.SEGMENT_TOPICS)
)
TOPICS = Artefact("topics", f"{WORK}/06_topics.parquet", Table(schemas.TOPICS))
CENTROIDS = Artefact("centroids", f"{WORK}/06_centroids.npy", Array())
DOC_THEMES = Artefact("doc_themes", f"{WORK}/07_doc_themes.parquet", Table(schemas.DOC_THEMES))
THEMES = Artefact("themes", f"{WORK}/07_themes.parquet", Table(schemas.THEMES))
STAGE_METRICS = Artefact("metrics_dir", "metrics", StageMetrics())
