"""Write what the workgroup and decision makers read: review sheet, theme table, HTML report.

Every count, breakdown cell and excerpt is shown only for groups of at least
`report.min_clients` distinct clients (small-cell suppression, DESIGN.md §5). Excerpts come
from redacted segments only.

Reads:  07_doc_themes.parquet, 07_themes.parquet, 06_segment_topics.parquet,
        03_segments.parquet, 02_redacted.parquet (metadata columns and redacted text)
        06_centroids.npy
        configs/theme_registry.yaml (the workgroup's description, interpretation and proposals
        of accepted themes)
Writes: themes.xlsx, themes.csv, breakdowns.csv, doc_themes.csv, report.html,
        infographic.png, infographic.pdf, plots/*.csv, metrics.json, themes_state.json
        (in the output dir)
Params: params.yaml > report, themes.registry
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline import artefacts, io, spreadsheet
from pipeline.config import Params, ReportParams, resolve
from pipeline.contract import META, Artefact, Stage, Writer
from pipeline.i18n import texts
from pipeline.report.html import render_html
from pipeline.report.infographic import write_infographic
from pipeline.report.tables import (
    BREAKDOWNS,
    all_breakdowns,
    breakdown_rows,
    plot_tables,
    proposal_rows,
    review_sheet_rows,
    run_id,
    themes_table,
)
from pipeline.report.views import summary_of, theme_views, volume_by_quarter
from pipeline.report.xlsx import write_xlsx
from pipeline.workgroup.registry.store import Registry, load_registry, registry_files

log = logging.getLogger(__name__)

# What the report stage writes (and `pipeline.outputs` may replace in its output folder).
REPORT_FILES = frozenset(
    {"themes.xlsx", "themes.csv", "breakdowns.csv", "doc_themes.csv", "report.html"}
    | {"infographic.png", "infographic.pdf", "plots", "metrics.json"}
    | {"themes_state.json", "manifest.json"}
)
LIVE = ("accepted", "candidate")  # registry themes a merge may target


def workgroup_notes(registry: Registry) -> dict[str, dict]:
    """The workgroup's words per accepted theme: description, interpretation, proposals."""
    return {
        t.id: {
            "description": t.description,
            "interpretation": getattr(t, "interpretation", ""),
            "proposals": getattr(t, "proposals", ""),
        }
        for t in registry.themes
        if t.status == "accepted"
    }


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
    registry: Registry | None = None,
) -> None:
    """Write themes.xlsx, themes.csv, breakdowns.csv, doc_themes.csv, report.html, the
    infographic (PNG, PDF), plots/ (theme sizes per quarter for `dvc plots`), metrics.json and
    the run state (`themes_state.json`: theme ids, keywords, centroids) that `review import`
    reads."""
    from pipeline.workgroup.registry.runstate import RUN_STATE, write_run_state

    registry = registry or Registry()
    lang, m = params.language, params.min_clients
    t = texts(lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    views = theme_views(
        themes, doc_themes, docs, segment_topics, segments, params, workgroup_notes(registry)
    )
    volume = volume_by_quarter(docs, m)
    run = run_id(doc_themes, themes)
    write_run_state(out_dir / RUN_STATE, themes, centroids, run)
    spreadsheet.write_excel_csv(themes_table(views, lang), out_dir / "themes.csv", lang)
    spreadsheet.write_excel_csv(all_breakdowns(views, lang), out_dir / "breakdowns.csv", lang)
    spreadsheet.write_csv(doc_themes, out_dir / "doc_themes.csv")
    ids = [v.theme_id for v in views]
    live = [x.id for x in registry.themes if x.status in LIVE and x.id not in set(ids)]
    long_sheets = {t[f"sheet_{d}"]: breakdown_rows(views, lang, d) for d in BREAKDOWNS}
    long_sheets[t["sheet_proposals"]] = proposal_rows(views, lang)
    write_xlsx(
        review_sheet_rows(views, lang, params.excerpts),
        out_dir / "themes.xlsx",
        language=lang,
        run=run,
        min_clients=m,
        long_sheets=long_sheets,
        merge_targets=sorted([*ids, *live]),
        admin_rows=[i for i, v in enumerate(views) if v.admin],
    )
    plots = out_dir / "plots"
    plots.mkdir(exist_ok=True)
    for name, frame in plot_tables(views, volume).items():
        spreadsheet.write_csv(frame, plots / f"{name}.csv")
    topic_metrics = metrics.get("topics") or {}
    summary = summary_of(
        doc_themes,
        themes,
        docs,
        demo_key=demo_key,
        no_themes=topic_metrics.get("no_themes"),
        period_kind=params.period,
        min_clients=m,
    )
    # Administrative themes are in the review sheet (marked), never among the findings.
    findings = [v for v in views if not v.admin]
    html = render_html(findings, summary, params, run, volume)
    (out_dir / "report.html").write_text(html, encoding="utf-8")
    write_infographic(findings, summary, out_dir, language=lang, min_clients=m, run=run)
    # Only figures that may be shown go into the metrics (a total under report.min_clients
    # clients is a small cell).
    public = {k: v for k, v in summary.items() if k not in ("n_clients_total", "shown")}
    public.update({k: v for k, v in summary["shown"].items() if v is not None})
    io.write_json({**metrics, "run_id": run, "report": public}, out_dir / "metrics.json")
    log.info("report: %d themes written to %s", len(views), out_dir)


def run(inputs: dict, params: Params) -> tuple[dict, dict]:
    """The stage: themes and their documents -> the report folder's files (written whole)."""
    redacted = inputs["redacted"]
    demo_key = redacted.attrs.get(META, {}).get("demo_key") == "True"
    registry = load_registry(resolve(params.themes.registry))

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
            registry=registry,
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
    params=("report", "themes.registry"),
    run=run,
    files=lambda params: registry_files(resolve(params.themes.registry)),
    has_metrics=False,
)
