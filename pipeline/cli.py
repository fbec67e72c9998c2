"""The `ilmio` command: one subcommand per DVC stage, plus `run`, `check`, `prepare-model`,
`review`, `codebook`, `dvc-yaml`, `compare`.

Stage commands follow from the stage declarations (pipeline.contract): one `--<artefact> PATH`
option per input and output, by name, and `--metrics`; they run the stage through
`pipeline.dag.execute`.
Heavy libraries are imported only by the stage that needs them, so `ilmio --help` is instant.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from pipeline import dag
from pipeline.errors import PipelineError

log = logging.getLogger("pipeline.cli")


def _add_params(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--params", type=Path, default=None, help="params file (default: ./params.yaml if present)"
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one param, e.g. seed=7",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ilmio", description=" ".join(__doc__.split("\n\n")[0].split())
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)
    for stage in dag.stages():
        command = sub.add_parser(stage.name, help=stage.help)
        for artefact in (*stage.inputs, *stage.outputs):
            command.add_argument(artefact.option, dest=artefact.name, type=Path, required=True)
        if stage.has_metrics:
            command.add_argument("--metrics", type=Path, required=True)
        _add_params(command)
    run = sub.add_parser("run", help="the whole pipeline on one input file, outside DVC")
    run.add_argument("input", type=Path)
    run.add_argument("--out", type=Path, required=True)
    run.add_argument(
        "--force",
        action="store_true",
        help="write into an existing folder that holds other files (none is replaced)",
    )
    run.add_argument(
        "--no-client-column",
        action="store_true",
        help="the export has no client column: count documents instead of distinct clients",
    )
    _add_params(run)
    check = sub.add_parser("check", help="validate params and environment")
    _add_params(check)
    gen = sub.add_parser("dvc-yaml", help="write dvc.yaml from the stage declarations")
    gen.add_argument("--check", action="store_true", help="only say whether dvc.yaml is current")
    compare = sub.add_parser(
        "compare", help="themes matched between two runs' output folders: grew, shrank, new, gone"
    )
    compare.add_argument("run_a", type=Path, help="output folder of the first run (--out)")
    compare.add_argument("run_b", type=Path, help="output folder of the second run")
    compare.add_argument(
        "--threshold", type=float, default=0.5, help="least centroid cosine for a match"
    )
    prep = sub.add_parser("prepare-model", help="build the offline e5 model folder")
    prep.add_argument("--out", type=Path, default=None)
    from pipeline.workgroup import cli as review_cli

    review_cli.add_parsers(sub)
    return parser


def load(args: argparse.Namespace):
    from pipeline.config import load_params

    path = args.params
    if path is None and Path("params.yaml").exists():
        path = Path("params.yaml")
    return load_params(path, args.overrides)


def dispatch(args: argparse.Namespace) -> int:
    if args.command in dag.ORDER:
        stage = dag.stage(args.command)
        paths = {a.name: getattr(args, a.name) for a in (*stage.inputs, *stage.outputs)}
        dag.execute(stage, paths, getattr(args, "metrics", None), load(args))
        return 0
    if args.command == "dvc-yaml":
        from pipeline import dvcgen

        return dvcgen.main(check=args.check)
    if args.command == "compare":
        from pipeline import compare

        return compare.main(args.run_a, args.run_b, threshold=args.threshold)
    if args.command == "run":
        from pipeline.run import run_pipeline

        if args.no_client_column:
            args.overrides.append("ingest.require_client_column=false")
        out = run_pipeline(args.input, args.out, load(args), force=args.force)
        print(f"themes: {out / 'themes.xlsx'}\nreport: {out / 'report.html'}")
        return 0
    from pipeline.workgroup import cli as review_cli

    if args.command in review_cli.COMMANDS:
        return review_cli.dispatch(args)
    if args.command == "check":
        from pipeline.check import run_checks

        return run_checks(load(args))
    if args.command == "prepare-model":
        from pipeline.config import PROJECT_ROOT
        from pipeline.nlp.e5_rebuild import build_e5_folder

        path = build_e5_folder(args.out or PROJECT_ROOT / "models" / "e5-small")
        print(f"model: {path}")
        return 0
    raise AssertionError(args.command)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from pipeline.logging_setup import configure

    configure(args.verbose)
    try:
        return dispatch(args)
    except PipelineError as exc:
        print(f"ilmio: error: {exc.one_line()}", file=sys.stderr)
        return 2
    except Exception as exc:
        if args.verbose:
            raise
        # An exception's message may quote record text (a parser error, a writer refusing a
        # character): only its type and where it was raised are printed.
        print(f"ilmio: internal error: {internal_error_line(exc)}", file=sys.stderr)
        return 1


def internal_error_line(exc: BaseException) -> str:
    """`ValueError in pipeline/stages/topics.py:123 (fit_topics)`: no message, no record text."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/pipeline/" in f.filename] or frames
    where = ""
    if ours:
        frame = ours[-1]
        short = frame.filename.rsplit("/pipeline/", 1)[-1]
        where = f" in pipeline/{short}:{frame.lineno} ({frame.name})"
    return (
        f"{type(exc).__name__}{where}; rerun with -v for the full traceback "
        "(it may quote record text)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
