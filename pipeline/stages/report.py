"""Write what the workgroup and decision makers read: review sheet, theme table, HTML report.

Every count, breakdown cell and excerpt is shown only for groups of at least
`report.min_clients` distinct clients (small-cell suppression, DESIGN.md §5). Excerpts come
from redacted segments only.

Reads:  07_doc_themes.parquet, 07_themes.parquet, 06_segment_topics.parquet,
        03_segments.parquet, 02_redacted.parquet (metadata columns and redacted text)
        06_centroids.npy
Writes: themes.xlsx, themes.csv, doc_themes.csv, report.html, metrics.json, themes_state.json
        (in the output dir)
Params: params.yaml > report
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline import artefacts, io, spreadsheet
from pipeline.config import Params, ReportParams
from pipeline.contract import META, Artefact, Stage, Writer
from pipeline.report.html import render_html
from pipeline.report.tables import review_sheet_rows, run_id, themes_table
from pipeline.report.views import summary_of, theme_views
from pipeline.report.xlsx import write_xlsx

log = logging.getLogger(__name__)

# What the report stage writes (and `pipeline.outputs` may replace in its output folder).
REPORT_FILES = frozenset(
    {"themes.xlsx", "themes.csv", "doc_themes.csv", "report.html", "metrics.json"}
    | {"themes_state.json", "manifest.json"}
)


def write_outputs(
    out_dir: Path,
    *,
    doc_themes: pd.DataFrame,
    themes: pd.DataFrame,
    docs: pd.DataFrame,
    segment_topics: pd.DataFrame,
    segments: pd.DataFrame,
    params: ReportParams,
    metrics: dict,
    demo_key: bool,
    centroids: np.ndarray | None = None,
) -> None:
    """Write themes.xlsx, themes.csv, doc_themes.csv, report.html, metrics.json and the run
    state (`themes_state.json`: theme ids, keywords, centroids) that `review import` reads."""
    from pipeline.workgroup.registry.runstate import RUN_STATE, write_run_state

    out_dir.mkdir(parents=True, exist_ok=True)
    views = theme_views(themes, doc_themes, docs, segment_topics, segments, params)
    run = run_id(doc_themes, themes)
    write_run_state(out_dir / RUN_STATE, themes, centroids, run)
    spreadsheet.write_csv(themes_table(views, params.language), out_dir / "themes.csv")
    spreadsheet.write_csv(doc_themes, out_dir / "doc_themes.csv")
    write_xlsx(
        review_sheet_rows(views, params.language, params.excerpts),
        out_dir / "themes.xlsx",
        language=params.language,
        run=run,
        min_clients=params.min_clients,
    )
    topic_metrics = metrics.get("topics") or {}
    summary = summary_of(
        doc_themes, themes, docs, demo_key=demo_key, no_themes=topic_metrics.get("no_themes")
    )
    # Administrative themes are in the review sheet (marked), never among the findings.
    findings = [v for v in views if not v.admin]
    (out_dir / "report.html").write_text(
        render_html(findings, summary, params, run), encoding="utf-8"
    )
    # The client total stays out of the metrics: below report.min_clients it is a small cell.
    public = {k: v for k, v in summary.items() if k != "n_clients_total"}
    io.write_json({**metrics, "run_id": run, "report": public}, out_dir / "metrics.json")
    log.info("report: %d themes written to %s", len(views), out_dir)


def run(inputs: dict, params: Params) -> tuple[dict, dict]:
    """The stage: themes and their documents -> the report folder's files (written whole)."""
    redacted = inputs["redacted"]
    demo_key = redacted.attrs.get(META, {}).get("demo_key") == "True"

    def write(folder: Path) -> None:
        write_outputs(
            folder,
            doc_themes=inputs["doc_themes"],
            themes=inputs["themes"],
            docs=redacted,
            segment_topics=inputs["segment_topics"],
            segments=inputs["segments"],
            params=params.report,
            metrics=inputs["metrics_dir"],
            demo_key=demo_key,
            centroids=inputs["centroids"],
        )

    return {"report": write}, {}


REPORT = Artefact(
    "report",
    "${out}/report",
    Writer(lambda write, folder: write(folder)),
    run_path=".",
    dvc={"cache": False},
    folder=True,
)
STAGE = Stage(
    name="report",
    help="review sheet, theme table, HTML report, metrics",
    inputs=(
        artefacts.DOC_THEMES,
        artefacts.THEMES,
        artefacts.SEGMENT_TOPICS,
        artefacts.SEGMENTS,
        artefacts.REDACTED,
        artefacts.CENTROIDS,
        artefacts.STAGE_METRICS,
    ),
    outputs=(REPORT,),
    params=("report",),
    run=run,
    has_metrics=False,
)
