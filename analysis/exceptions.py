"""Errors a person can act on.

Every error the tool raises on purpose derives from :class:`BriefingError`; the CLI turns those
into one clear paragraph and exit code 2, and anything else into exit code 1.
"""

from __future__ import annotations

from dataclasses import dataclass


class BriefingError(Exception):
    """Base class of the errors caused by input or usage, not by a bug."""


class CodebookError(BriefingError):
    """The codebook or the department list is malformed."""


class ParameterError(BriefingError):
    """A parameter given to a command or notebook is not acceptable."""


class RenderError(BriefingError):
    """Rendering the briefing failed (a notebook cell or an export)."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located as the user sees the file.

    ``row`` counts lines as a spreadsheet shows them (the header is row 1); ``None`` when the
    problem concerns the whole file or a whole column.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        where += f":{self.row}" if self.row is not None else ""
        where += f":{self.column}" if self.column is not None else ""
        return f"{where}: {self.message}"


class SurveyDataError(BriefingError):
    """One or more problems in survey response files, collected in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the survey data:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))
