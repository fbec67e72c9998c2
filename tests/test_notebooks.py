"""The researchers' notebooks run top to bottom on a real run of the bundled sample (nbclient,
a real kernel over IPC: no TCP port, nothing leaves the machine)."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

pytestmark = pytest.mark.slow  # the whole pipeline (shared session runs) and a kernel


def execute(name: str, env: dict[str, str], monkeypatch, sockets: Path) -> list:
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    # IPC sockets named by an absolute path: the kernel runs in notebooks/, the client here.
    manager = KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets / "kernel"))
    NotebookClient(
        notebook,
        km=manager,
        timeout=300,
        startup_timeout=300,  # a loaded CI machine starts a kernel slowly
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    ).execute()
    return notebook.cells


def outputs(cells) -> str:
    return "\n".join(
        str(out.get("text", "")) + str(out.get("data", {}).get("text/plain", ""))
        for cell in cells
        for out in cell.get("outputs", [])
    )


def test_explore_notebook(runs, monkeypatch, tmp_path):
    cells = execute("01_explore_run.ipynb", {"ILMIO_RUN": str(runs[0])}, monkeypatch, tmp_path)
    text = outputs(cells)
    assert "themes" in text and "T0001" in text
    assert any(
        "image/png" in out.get("data", {}) for cell in cells for out in cell.get("outputs", [])
    )


def test_compare_notebook(runs, monkeypatch, tmp_path):
    env = {"ILMIO_RUN_A": str(runs[0]), "ILMIO_RUN_B": str(runs[1])}
    text = outputs(execute("02_compare_runs.ipynb", env, monkeypatch, tmp_path))
    # the same records in another order: every theme matched, none appeared or vanished
    assert "appeared 0, vanished 0" in text
