"""Microsoft Forms: an ``.xlsx`` with one header row; each statement headed by its text alone.

The first columns are the tool's (``ID, Start time, Completion time, Email, Name``, and in newer
exports ``Last modified time``; localised, e.g. Danish ``Id, Starttidspunkt, Tidspunkt for
fuldførelse, Mail, Navn``); then one column per question or statement, values as the label text.
Forms writes only submitted responses, so every row is complete.
"""

from __future__ import annotations

import numpy as np

from ..codebook import normalise_label
from ..problems import FileProblems
from ..reading import RawTable
from .base import Export, header_keys

__all__ = ["is_forms", "read_forms"]

_ID = header_keys(["ID", "Id"])
SYSTEM_COLUMNS = header_keys(
    [
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Last modified time",
        "Starttidspunkt",
        "Starttid",
        "Tidspunkt for fuldførelse",
        "Fuldførelsestidspunkt",
        "Sluttidspunkt",
        "Mail",
        "E-mail",
        "Navn",
        "Tidspunkt for seneste ændring",
        "Total points",
        "Quiz feedback",
    ]
)
_START = header_keys(["Start time", "Starttidspunkt", "Starttid"])


def is_forms(table: RawTable) -> bool:
    """Return whether a header is Forms' (an ID column, then a start-time column)."""
    keys = [normalise_label(h) for h in table.header[:3]]
    return len(keys) >= 2 and keys[0] in _ID and keys[1] in _START


def read_forms(table: RawTable, label: str, log: FileProblems) -> Export:
    """Read a Forms export already read as a table."""
    keys = [normalise_label(h) for h in table.header]
    return Export(
        source="forms",
        table=table,
        label=label,
        row_numbers=np.arange(2, len(table.cells) + 2),
        system={j for j, k in enumerate(keys) if k in SYSTEM_COLUMNS},
        id_column=0,
    )
