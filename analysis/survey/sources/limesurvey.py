"""LimeSurvey CSV: UTF-8 with BOM, every value quoted, CRLF; one header row, codes or full text.

Headings are question codes (``G01Q01[SQ001]``) or full text (``"<question> [<statement>]"``);
answers are codes (``A1``) or full answers. The tool's columns come first: ``id, submitdate,
lastpage, startlanguage, seed`` (full text: ``Response ID, Date submitted, Last page, Start
language, Seed``). An empty ``submitdate`` marks an incomplete response.
"""

from __future__ import annotations

import numpy as np

from ..codebook import normalise_label
from ..problems import FileProblems
from ..reading import RawTable
from .base import Export, header_keys

__all__ = ["is_limesurvey", "read_limesurvey"]

_ID = header_keys(["id", "Response ID", "ID des Datensatzes", "Svar-ID"])
_SUBMIT = header_keys(["submitdate", "Date submitted", "Datum Abgeschickt", "Dato indsendt"])
SYSTEM_COLUMNS = _SUBMIT | header_keys(
    [
        "lastpage",
        "Last page",
        "startlanguage",
        "Start language",
        "seed",
        "Seed",
        "startdate",
        "Date started",
        "datestamp",
        "Date last action",
        "ipaddr",
        "IP address",
        "refurl",
        "Referrer URL",
        "token",
        "Access code",
        "interviewtime",
        "Total time",
    ]
)


def is_limesurvey(table: RawTable) -> bool:
    """Return whether a header is LimeSurvey's (a response id and a submit date column)."""
    keys = header_keys(table.header[:8])
    return bool(keys & _ID) and bool(keys & _SUBMIT)


def read_limesurvey(table: RawTable, label: str, log: FileProblems) -> Export:
    """Read a LimeSurvey export already read as a table."""
    keys = [normalise_label(h) for h in table.header]
    complete = np.ones(len(table.cells), dtype=bool)
    submit = [j for j, k in enumerate(keys) if k in _SUBMIT]
    if submit:
        complete = np.array([str(c).strip() != "" for c in table.cells[:, submit[0]]], dtype=bool)
    ids = [j for j, k in enumerate(keys) if k in _ID]
    return Export(
        source="limesurvey",
        table=table,
        label=label,
        row_numbers=np.arange(2, len(table.cells) + 2),
        complete=complete,
        system={j for j, k in enumerate(keys) if k in SYSTEM_COLUMNS},
        id_column=ids[0] if ids else None,
    )
