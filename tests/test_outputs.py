"""Output folders: published whole or not at all; a user's own files are never removed."""

from __future__ import annotations

import json

import pytest

from pipeline.errors import InputError
from pipeline.outputs import MANIFEST, OutputFolder, check_target, owned_files, recover

NAMES = frozenset({"report.html", "themes.csv", "model", MANIFEST})


def write_run(out, text: str, *, force: bool = False):
    with OutputFolder(out, force=force, names=NAMES) as folder:
        (folder.path / "report.html").write_text(text, encoding="utf-8")
        (folder.path / "model").mkdir()
        (folder.path / "model" / "weights").write_text(text, encoding="utf-8")
        return folder.publish({"run": text})


def test_first_run_creates_the_folder_with_a_manifest(tmp_path):
    out = write_run(tmp_path / "out", "eka")
    assert (out / "report.html").read_text(encoding="utf-8") == "eka"
    assert owned_files(out) == {"report.html", "model", MANIFEST}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_rerun_replaces_only_ilmios_files(tmp_path):
    out = write_run(tmp_path / "out", "eka")
    (out / "muistiinpanot.txt").write_text("oma tiedosto", encoding="utf-8")
    write_run(out, "toka")
    assert (out / "report.html").read_text(encoding="utf-8") == "toka"
    assert (out / "model" / "weights").read_text(encoding="utf-8") == "toka"
    assert (out / "muistiinpanot.txt").read_text(encoding="utf-8") == "oma tiedosto"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_crash_inside_leaves_the_old_output_whole(tmp_path):
    out = write_run(tmp_path / "out", "eka")
    with pytest.raises(RuntimeError), OutputFolder(out, names=NAMES) as folder:
        (folder.path / "report.html").write_text("puolikas", encoding="utf-8")
        raise RuntimeError("report step failed")
    assert (out / "report.html").read_text(encoding="utf-8") == "eka"
    assert json.loads((out / MANIFEST).read_text())["run"] == "eka"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_existing_file_is_refused(tmp_path):
    path = tmp_path / "tulokset"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="existing file"):
        check_target(path, force=False, names=NAMES)


def test_a_users_folder_is_refused_without_force(tmp_path):
    out = tmp_path / "omat"
    out.mkdir()
    (out / "report.html").write_text("käyttäjän raportti", encoding="utf-8")
    (out / "taulukko.xlsx").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="did not write"):
        write_run(out, "eka")
    with pytest.raises(InputError, match=r"report\.html, which ilmio did not write"):
        write_run(out, "eka", force=True)
    assert (out / "report.html").read_text(encoding="utf-8") == "käyttäjän raportti"


def test_force_adds_outputs_beside_a_users_files(tmp_path):
    out = tmp_path / "omat"
    out.mkdir()
    (out / "taulukko.xlsx").write_text("x", encoding="utf-8")
    write_run(out, "eka", force=True)
    assert (out / "taulukko.xlsx").read_text(encoding="utf-8") == "x"
    assert (out / "report.html").exists()
    write_run(out, "toka")  # now it carries ilmio's manifest: no --force needed
    assert (out / "taulukko.xlsx").exists()


def test_recover_after_a_kill_between_the_renames(tmp_path):
    out = write_run(tmp_path / "out", "eka")
    old = tmp_path / ".out.ilmio-old-999999999"
    out.rename(old)  # killed after moving the old output aside, before the new one arrived
    recover(out)
    assert (out / "report.html").read_text(encoding="utf-8") == "eka"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_recover_finishes_moving_a_users_files(tmp_path):
    out = write_run(tmp_path / "out", "eka")
    (out / "oma.txt").write_text("oma", encoding="utf-8")
    old = tmp_path / ".out.ilmio-old-999999999"
    out.rename(old)
    write_run(out, "toka")  # a new output arrived; the old one still holds the user's file
    recover(out)
    assert (out / "oma.txt").read_text(encoding="utf-8") == "oma"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_temporary_folder_of_a_dead_run_is_removed(tmp_path):
    stale = tmp_path / ".out.ilmio-tmp-999999999"
    stale.mkdir()
    (stale / ".ilmio-partial").write_text("x", encoding="utf-8")
    foreign = tmp_path / ".out.ilmio-tmp-notours"
    foreign.mkdir()  # no marker: not ilmio's, never deleted
    write_run(tmp_path / "out", "eka")
    assert not stale.exists() and foreign.exists()
