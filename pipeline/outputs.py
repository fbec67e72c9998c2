"""Output folders written atomically, and never at the cost of a user's own files.

A run writes into a temporary folder beside `--out` (`.NAME.ilmio-tmp-PID`) and moves it into
place only when every file is complete, so a killed or crashed run leaves the previous output
whole, never a mix of two runs. The manifest (`manifest.json`) lists the files ilmio wrote;
ilmio removes only those. A folder that exists, holds files and has no ilmio manifest is
refused unless the user passes `--force`, and even then no file of the user's is replaced.

Publishing over an older output: rename the old folder aside (`.NAME.ilmio-old-PID`), rename
the new one into place, move the user's own files (anything the old manifest does not list)
across, delete the rest of the old folder. A run killed between these steps is repaired by the
next one (`recover`): a lone old folder goes back into place, a half-moved one is finished,
temporary folders of dead runs are deleted.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path
from typing import Any

from pipeline.errors import InputError

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
TMP_TAG = ".ilmio-tmp-"
OLD_TAG = ".ilmio-old-"
MARKER = ".ilmio-partial"  # inside a temporary folder: ilmio's, safe to delete


def owned_files(folder: Path) -> set[str] | None:
    """The names ilmio's manifest in `folder` lists, or None when `folder` has no such manifest."""
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError, json.JSONDecodeError, UnicodeDecodeError):
        return None
    outputs = data.get("ilmio_outputs") if isinstance(data, dict) else None
    if not isinstance(outputs, list) or not all(isinstance(n, str) for n in outputs):
        return None
    return set(outputs)


def check_target(out: Path, *, force: bool, names: frozenset[str]) -> None:
    """Refuse, before any work is done, an `--out` that ilmio must not write into.

    `names` are the top-level names the run will write.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError("--out names an existing file; give a folder", file=out)
    if not out.is_dir() or not any(out.iterdir()):
        return
    owned = owned_files(out)
    if owned is None and not force:
        raise InputError(
            "--out is a folder with files that ilmio did not write (no ilmio manifest.json); "
            "give a new or empty folder, or --force to add ilmio's outputs beside them",
            file=out,
        )
    clash = sorted(n for n in names if (out / n).exists() and n not in (owned or set()))
    if clash:
        raise InputError(
            f"the folder already holds {', '.join(clash)}, which ilmio did not write; "
            "ilmio never replaces a file it did not write",
            file=out,
        )


def recover(out: Path) -> None:
    """Finish or undo what a killed run left beside `out`; delete dead runs' temporary folders."""
    out = Path(out)
    parent = out.parent if out.parent.exists() else None
    if parent is None:
        return
    for old in sorted(parent.glob(f".{out.name}{OLD_TAG}*")):
        if _alive(old):
            continue
        if not out.exists():
            old.rename(out)
            log.warning("restored the previous output %s (a run was killed while publishing)", out)
            continue
        _move_foreign(old, out)
        shutil.rmtree(old)
    for tmp in sorted(parent.glob(f".{out.name}{TMP_TAG}*")):
        if (tmp / MARKER).exists() and not _alive(tmp):
            shutil.rmtree(tmp)
            log.info("removed the temporary folder of a killed run: %s", tmp.name)


def _alive(folder: Path) -> bool:
    """Whether the process whose id ends the folder name still runs (it is still writing)."""
    pid = folder.name.rsplit("-", 1)[-1]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _move_foreign(old: Path, new: Path) -> None:
    """Move the entries of `old` that ilmio did not write into `new` (the user's own files)."""
    owned = owned_files(old) or set()
    for entry in sorted(old.iterdir()):
        if entry.name in owned or entry.name == MARKER:
            continue
        target = new / entry.name
        if target.exists():
            raise InputError(
                f"cannot move {entry.name} back: the new output has a file of that name",
                file=old,
            )
        entry.rename(target)


class OutputFolder:
    """A temporary folder that becomes `out` when the run succeeds (see module docstring).

    with OutputFolder(out, force=False, names=...) as folder:
        write files into folder.path
        folder.publish(manifest)
    """

    def __init__(self, out: Path, *, force: bool = False, names: frozenset[str] = frozenset()):
        self.out = Path(out).absolute()
        check_target(self.out, force=force, names=names)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        recover(self.out)
        self.path = self.out.parent / f".{self.out.name}{TMP_TAG}{os.getpid()}"
        self.published = False

    def __enter__(self) -> OutputFolder:
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir()
        (self.path / MARKER).write_text("ilmio is writing this folder\n", encoding="utf-8")
        return self

    def __exit__(self, *exc_info) -> None:
        if not self.published and self.path.exists():
            shutil.rmtree(self.path)

    def publish(self, manifest: dict[str, Any]) -> Path:
        """Write the manifest (listing every file written) and move the folder into place."""
        (self.path / MARKER).unlink()
        names = sorted({p.name for p in self.path.iterdir()} | {MANIFEST})
        data = {**manifest, "ilmio_outputs": names}
        (self.path / MANIFEST).write_text(
            json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        if not self.out.exists():
            self.path.rename(self.out)
        else:
            old = self.out.parent / f".{self.out.name}{OLD_TAG}{os.getpid()}"
            self.out.rename(old)
            self.path.rename(self.out)
            _move_foreign(old, self.out)
            shutil.rmtree(old)
        self.published = True
        return self.out
