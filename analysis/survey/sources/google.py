"""Google Forms CSV: ``Timestamp``, then the question titles; grid rows as ``"<question> [<row>]"``.

Google writes no respondent id, so each response is named after its row in the file
(``row 2``, ``row 3``, ...); only submitted responses are exported.
"""

from __future__ import annotations

import numpy as np

from ..codebook import normalise_label
from ..problems import FileProblems
from ..reading import RawTable
from .base import Export, header_keys

__all__ = ["is_google", "read_google"]

_TIMESTAMP = header_keys(["Timestamp", "Tidsstempel", "Zeitstempel"])
SYSTEM_COLUMNS = _TIMESTAMP | header_keys(["Email Address", "E-mailadresse", "Score", "Point"])


def is_google(table: RawTable) -> bool:
    """Return whether a header is Google Forms' (``Timestamp`` first)."""
    return bool(table.header) and normalise_label(table.header[0]) in _TIMESTAMP


def read_google(table: RawTable, label: str, log: FileProblems) -> Export:
    """Read a Google Forms export already read as a table; ids are made from row numbers."""
    keys = [normalise_label(h) for h in table.header]
    return Export(
        source="google",
        table=table,
        label=label,
        row_numbers=np.arange(2, len(table.cells) + 2),
        system={j for j, k in enumerate(keys) if k in SYSTEM_COLUMNS},
        id_column=None,
    )
