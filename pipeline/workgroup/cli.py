"""`ilmio review export|import` and `ilmio codebook`: thin wrappers around the workgroup
package (decisions, registry, codebook), wired into pipeline/cli.py by `add_parsers` and
`dispatch`.

- `ilmio review export --run DIR --out FILE [--reviewer NAME]`: a fresh copy of the run's
  review sheet (reviewer column pre-filled when given), with the run state beside it, so a
  folder like `review/current/` holds everything `review import` needs.
- `ilmio review import FILE_OR_DIR... [--run DIR] [--registry PATH] [--chair NAME]`: validate,
  print agreement and disputed themes, update the registry (append-only history).
- `ilmio codebook --out FILE [--registry PATH]`: the accepted themes as REFI-QDA `.qdc`.
"""

from __future__ import annotations

import argparse
import datetime
import shutil
from pathlib import Path

from pipeline.errors import InputError

COMMANDS = ("review", "codebook")


def _default_registry() -> Path:
    from pipeline.config import ThemesParams, resolve

    return resolve(ThemesParams().registry)


def add_parsers(subparsers) -> None:
    """Add `review` (export, import) and `codebook` to the `ilmio` subparsers."""
    review = subparsers.add_parser("review", help="review sheets: export, import decisions")
    sub = review.add_subparsers(dest="review_command", required=True)
    export = sub.add_parser("export", help="a fresh review sheet from a run's output folder")
    export.add_argument(
        "--run", type=Path, required=True, help="output folder of `ilmio run` / the report stage"
    )
    export.add_argument("--out", type=Path, required=True, help="the .xlsx to write")
    export.add_argument("--reviewer", default=None, help="pre-fill the reviewer column")
    imp = sub.add_parser("import", help="apply filled review sheets to the theme registry")
    imp.add_argument(
        "files", type=Path, nargs="+", help="filled sheets (.xlsx) or folders holding them"
    )
    imp.add_argument(
        "--run",
        type=Path,
        default=None,
        help="folder with the reviewed run's themes_state.json "
        "(default: the folder of the first sheet)",
    )
    imp.add_argument(
        "--registry",
        type=Path,
        default=None,
        help="theme registry YAML (default: configs/theme_registry.yaml)",
    )
    imp.add_argument("--chair", default=None, help="reviewer whose vote breaks ties")
    imp.add_argument("--date", default=None, help="date recorded in the history (ISO)")
    imp.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    code = subparsers.add_parser("codebook", help="accepted themes as a REFI-QDA codebook")
    code.add_argument("--out", type=Path, required=True, help="the .qdc file to write")
    code.add_argument("--registry", type=Path, default=None)
    code.add_argument("--language", choices=("fi", "en"), default="fi")


def dispatch(args: argparse.Namespace) -> int:
    if args.command == "codebook":
        return codebook(args)
    if args.review_command == "export":
        return export(args)
    return import_(args)


def export(args: argparse.Namespace) -> int:
    from openpyxl import load_workbook

    from pipeline.i18n import texts
    from pipeline.spreadsheet import set_cell
    from pipeline.workgroup.registry.runstate import RUN_STATE

    source = Path(args.run) / "themes.xlsx"
    if not source.exists():
        raise InputError("review sheet themes.xlsx not found in the run folder", file=source)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = load_workbook(source)
    meta = {str(r[0]): r[1] for r in wb["_ilmio"].iter_rows(values_only=True)}
    t = texts(str(meta.get("language") or "fi"))
    ws = wb[t["sheet_themes"]]
    if args.reviewer:
        header = [c.value for c in ws[1]]
        col = header.index(t["reviewer"]) + 1
        for row in range(2, ws.max_row + 1):
            if ws.cell(row=row, column=1).value:
                set_cell(ws, row, col, args.reviewer)
    wb.save(out)
    state = Path(args.run) / RUN_STATE
    if state.exists() and state.resolve() != (out.parent / RUN_STATE).resolve():
        shutil.copyfile(state, out.parent / RUN_STATE)
    print(f"review sheet: {out} (run {meta.get('run_id')})")
    return 0


def _sheet_files(items: list[Path]) -> list[Path]:
    files: list[Path] = []
    for item in items:
        if Path(item).is_dir():
            files.extend(
                p for p in sorted(Path(item).glob("*.xlsx")) if not p.name.startswith("~$")
            )  # Excel's lock files
        else:
            files.append(Path(item))
    return files


def import_(args: argparse.Namespace) -> int:
    from pipeline.i18n import message
    from pipeline.workgroup import decisions, sheets
    from pipeline.workgroup.agreement import agreement_lines
    from pipeline.workgroup.registry.runstate import RUN_STATE, read_run_state
    from pipeline.workgroup.registry.store import load_registry, save_registry

    files = _sheet_files(args.files)
    registry_path = args.registry or _default_registry()
    registry = load_registry(registry_path)
    if not files:
        # Nothing to import: the registry is written back unchanged, so its outputs exist
        # for DVC even before the first review round.
        if not args.dry_run:
            save_registry(registry, registry_path)
        print(message("en", "no_sheets"))
        return 0
    reviews = sheets.read_sheets(files)
    run_dir = Path(args.run) if args.run else files[0].parent
    if (run_dir / RUN_STATE).exists() or run_dir.suffix == ".json":
        state = read_run_state(run_dir)
    else:
        state = sheets.state_from_sheet(files[0])
    decisions.validate(reviews, state, registry)
    resolution = decisions.resolve(reviews, state, registry, chair=args.chair)
    info = decisions.RunInfo(
        state=state,
        date=args.date or datetime.date.today().isoformat(),
        sheets=reviews.sheets,
        agreement=resolution.agreement,
        disputed=resolution.disputed,
        chair=args.chair or "",
    )
    updated = decisions.apply_decisions(registry, resolution, info)
    lang = reviews.language
    for line in agreement_lines(resolution.agreement, lang):
        print(line)
    for theme_id, about in sorted(resolution.disputed.items()):
        print(message(lang, "for_chair", id=theme_id, about=message(lang, f"about_{about}")))
    if updated is registry:
        print(message(lang, "already_imported"))
        return 0
    counts = decisions.theme_summary(updated)
    print(
        message(
            lang, "registry_counts", counts=", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        )
    )
    if not args.dry_run:
        save_registry(updated, registry_path)
        print(f"{registry_path}")
    return 0


def codebook(args: argparse.Namespace) -> int:
    from pipeline.workgroup.codebook import write_codebook
    from pipeline.workgroup.registry.store import load_registry

    registry = load_registry(args.registry or _default_registry())
    n = write_codebook(registry, args.out, language=args.language)
    print(f"codebook: {args.out} ({n} themes)")
    return 0
