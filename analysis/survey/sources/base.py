"""What every reader of a survey tool's export returns: an :class:`Export`.

An export is the respondents' rows as strings (a :class:`~analysis.survey.reading.RawTable`)
plus what the tool tells about them beside the cells: the question text of each column, the
labels of numeric codes, the rows the tool adds that are not answers (previews, tests, spam), which
responses were closed before the end, and which columns are the tool's own bookkeeping. Readers
interpret the layout only; matching columns to the codebook is :mod:`analysis.survey.mapping`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ..codebook import normalise_label
from ..reading import RawTable

__all__ = ["SOURCES", "SOURCE_NAMES", "Export", "code_key", "header_keys", "statement_candidates"]

#: The readers, by the name ``--source`` takes, and how people write the tools' names.
SOURCE_NAMES = {
    "surveyxact": "SurveyXact",
    "qualtrics": "Qualtrics",
    "forms": "Microsoft Forms",
    "limesurvey": "LimeSurvey",
    "google": "Google Forms",
    "spss": "SPSS (.sav)",
    "plain": "plain table (one header row, item ids or question texts as headers)",
}
SOURCES = tuple(SOURCE_NAMES)

#: Row kinds the tools mark and the loader drops before checking: never scored.
DROPPED_KINDS = ("preview", "test", "spam")


@dataclass
class Export:
    """One survey export as read, before its columns are matched to the codebook.

    Attributes
    ----------
    source : str
        The reader that read it (a key of :data:`SOURCE_NAMES`).
    table : RawTable
        The header (variable names, export tags or question texts) and the data rows only.
    label : str
        The path as the user gave it; problems are reported against it.
    row_numbers : numpy.ndarray
        The row of each data row as the user sees the file (Qualtrics' first answer is row 4).
    texts : list of str
        The question text of each column where the tool gives one apart from the header
        (SurveyXact's structure file, Qualtrics' second row, SPSS variable labels), else "".
    labels : dict
        Column position -> {code as text: label}, where the tool labels codes (SurveyXact's labels
        file, SPSS value labels). A code missing from a labelled column is an error.
    row_kind : numpy.ndarray
        Per data row, "" for a response, or "preview", "test" or "spam" (never scored).
    complete : numpy.ndarray
        Per data row, False where the tool marks the response as closed before the end.
    system : set of int
        Columns that are the tool's own bookkeeping (dates, status, e-mail): ignored quietly.
    id_column : int or None
        The tool's respondent id column, None when the tool writes none (Google Forms).
    files : tuple of str
        Every file read for this export (SurveyXact: dataset, labels, structure).
    text_row : int or None
        The row holding the question texts, for locating problems with them (Qualtrics: 2).
    """

    source: str
    table: RawTable
    label: str
    row_numbers: np.ndarray
    texts: list[str] = field(default_factory=list)
    labels: dict[int, dict[str, str]] = field(default_factory=dict)
    row_kind: np.ndarray | None = None
    complete: np.ndarray | None = None
    system: set[int] = field(default_factory=set)
    id_column: int | None = None
    files: tuple[str, ...] = ()
    text_row: int | None = None

    def __post_init__(self) -> None:
        n = len(self.table.cells)
        width = len(self.table.header)
        if not self.texts:
            self.texts = [""] * width
        if self.row_kind is None:
            self.row_kind = np.full(n, "", dtype=object)
        if self.complete is None:
            self.complete = np.ones(n, dtype=bool)
        if not self.files:
            self.files = (self.label,)

    @property
    def header(self) -> list[str]:
        """Return the column headers as written in the file."""
        return self.table.header

    def text_of(self, j: int) -> str:
        """Return the question text of column ``j``: the tool's text, else the header itself."""
        return self.texts[j] or self.table.header[j]


def code_key(text: object) -> str:
    """Return a code as a matching key: "6", "6.0" and "6,0" (as tools and locales write it) are one code.

    Examples
    --------
    >>> code_key(" 6,0 "), code_key("6.0"), code_key("A1")
    ('6', '6', 'A1')
    """
    text = str(text).strip()
    if re.fullmatch(r"[+-]?\d+(?:[.,]0*)?", text):
        return str(int(re.split(r"[.,]", text)[0]))
    return text


def header_keys(names) -> set[str]:
    """Return header spellings as matching keys (case, spaces, dashes and dots ignored)."""
    return {normalise_label(n) for n in names}


def statement_candidates(text: str) -> list[str]:
    """Return the ways a column's question text may name a statement, whole text first.

    Tools write a battery item as ``"<stem> - <statement>"`` (SurveyXact, Qualtrics) or
    ``"<question> [<statement>]"`` (LimeSurvey, Google Forms); Forms writes the statement alone.
    The statement may itself hold " - ", so every tail after a separator is a candidate.

    Examples
    --------
    >>> statement_candidates("Hvor langt er I? - Vi deler viden - også med andre")
    ['Hvor langt er I? - Vi deler viden - også med andre', 'Vi deler viden - også med andre', 'også med andre']
    >>> statement_candidates("Hvor langt er I? [Vi deler viden]")
    ['Hvor langt er I? [Vi deler viden]', 'Vi deler viden']
    """
    text = " ".join(str(text).split())
    if not text:
        return []
    out = [text]
    if text.endswith("]") and "[" in text:
        inner = text[text.rindex("[") + 1 : -1].strip()
        if inner:
            out.append(inner)
    parts = text.split(" - ")
    out.extend(" - ".join(parts[k:]) for k in range(1, len(parts)))
    return [c for c in dict.fromkeys(out) if c]
