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


class CasesError(BriefingError):
    """The case register (``data/cases.yaml``) is malformed; lists every problem found in the file.

    ``problems`` holds one line per problem, each naming the entry, the field, what was expected
    and found, and how to fix it; the message is a heading and those lines.
    """

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the case register {source}:"
        super().__init__("\n".join([head, *(f"  - {_clip(p, _MAX_MESSAGE)}" for p in self.problems)]))


class ParameterError(BriefingError):
    """A parameter given to a command or notebook is not acceptable."""


class RenderError(BriefingError):
    """Rendering the briefing failed (a notebook cell or an export)."""


#: The most characters of a column name a problem's location shows, and of a message: a safety net
#: behind the quoting in :mod:`analysis.survey.problems`, so that no cell is ever echoed whole.
_MAX_COLUMN = 200
_MAX_MESSAGE = 2000


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located as the user sees the file.

    ``row`` counts lines as a spreadsheet shows them (the header is row 1); ``None`` when the
    problem concerns the whole file or a whole column. ``unlisted`` is 0 for a problem; the closing
    line of a capped list is no problem itself but stands for the ``unlisted`` problems it counts.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    unlisted: int = 0

    def __str__(self) -> str:
        where = self.file
        where += f":{self.row}" if self.row is not None else ""
        where += f":{_clip(str(self.column), _MAX_COLUMN)}" if self.column is not None else ""
        return f"{where}: {_clip(self.message, _MAX_MESSAGE)}"


class SurveyDataError(BriefingError):
    """One or more problems in survey response files, collected in one pass.

    ``total`` counts every problem, also those a capped list only counts (``Problem.unlisted``).
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        listed = sum(1 for p in self.problems if not p.unlisted)
        self.total = listed + sum(p.unlisted for p in self.problems)
        head = f"{self.total:,} problem{'s' if self.total != 1 else ''} in the survey data"
        head += f" ({listed:,} listed):" if listed < self.total else ":"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))
