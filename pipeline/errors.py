"""Errors a user can fix: one line naming the file, row and column; the CLI exits 2."""

from __future__ import annotations

from pathlib import Path


class PipelineError(Exception):
    """A problem with input, params or environment that the user can fix."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """`file, row N, column C: message` with the parts that are known."""
        where = [
            part
            for part in (
                self.file,
                f"row {self.row}" if self.row is not None else None,
                f"column {self.column!r}" if self.column is not None else None,
            )
            if part
        ]
        text = " ".join(self.message.split())
        return f"{', '.join(where)}: {text}" if where else text


class InputError(PipelineError):
    """The input file or table cannot be used as it is."""


class ConfigError(PipelineError):
    """params.yaml or a file under configs/ is invalid."""


class EnvironmentProblem(PipelineError):
    """A system dependency, model folder or key is missing."""


class PrivacyError(PipelineError):
    """A run would break a privacy rule (no pseudonym key, raw text in a later stage...)."""
