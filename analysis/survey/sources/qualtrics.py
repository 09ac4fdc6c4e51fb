"""Qualtrics CSV/TSV: three header rows, then responses; previews, tests and spam marked by Status.

Row 1 holds the export tags (``StartDate, EndDate, Status, ..., ResponseId, ..., Q2_1``), row 2 the
question text (``"<stem> - <statement>"`` for matrix items) and row 3 the import ids as JSON
(``{"ImportId":"QID2_1"}``). Older exports have only the first two. ``Status`` is text ("IP
Address", "Survey Preview", "Survey Test", "Spam", "Imported") or a code (0 IP address, 1 preview,
2 test, 4 imported, 8 spam, 9 preview spam, 16 offline, 17 offline preview); previews, tests and
spam are never scored. ``Finished`` false marks a response Qualtrics closed before the end.
"""

from __future__ import annotations

import numpy as np

from ..codebook import normalise_label
from ..problems import FileProblems
from ..reading import RawTable
from .base import Export, header_keys

__all__ = ["is_qualtrics", "read_qualtrics"]

SYSTEM_COLUMNS = header_keys(
    [
        "StartDate",
        "EndDate",
        "Status",
        "IPAddress",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "RecordedDate",
        "ResponseId",
        "RecipientLastName",
        "RecipientFirstName",
        "RecipientEmail",
        "ExternalReference",
        "ExternalDataReference",
        "LocationLatitude",
        "LocationLongitude",
        "DistributionChannel",
        "UserLanguage",
        "Q_RecaptchaScore",
        "Q_RelevantIDDuplicate",
        "Q_RelevantIDDuplicateScore",
        "Q_RelevantIDFraudScore",
        "Q_RelevantIDLastStartDate",
        "Q_TotalDuration",
    ]
)
_STATUS_KIND = {
    "surveypreview": "preview",
    "preview": "preview",
    "surveytest": "test",
    "test": "test",
    "spam": "spam",
    "previewspam": "spam",
    "offlinesurveypreview": "preview",
    "1": "preview",
    "2": "test",
    "8": "spam",
    "9": "spam",
    "17": "preview",
}
_FALSE = {"false", "0", "falsk", "nej", "no"}


def is_qualtrics(table: RawTable) -> bool:
    """Return whether a table's header is Qualtrics' (``ResponseId`` with ``StartDate`` or ``Status``)."""
    keys = header_keys(table.header)
    return "responseid" in keys and ({"startdate", "status", "recordeddate"} & keys != set())


def _is_import_row(row) -> bool:
    """Return whether a row is Qualtrics' third header row (``{"ImportId":...}`` cells)."""
    cells = [str(c).strip() for c in row if str(c).strip()]
    return (
        bool(cells) and sum(c.startswith('{"ImportId"') or c.startswith("{'ImportId'") for c in cells) >= len(cells) / 2
    )


def read_qualtrics(table: RawTable, label: str, log: FileProblems) -> Export | None:
    """Read a Qualtrics export already read as a table (header = the export tags)."""
    cells = table.cells
    texts = [""] * len(table.header)
    skip = 0
    if len(cells) and not _is_import_row(cells[0]):
        texts = [str(c).strip() for c in cells[0]]
        skip = 1
    if len(cells) > skip and _is_import_row(cells[skip]):
        skip += 1
    data = cells[skip:]
    keys = [normalise_label(h) for h in table.header]
    system = {j for j, k in enumerate(keys) if k in SYSTEM_COLUMNS}
    row_kind = np.full(len(data), "", dtype=object)
    if "status" in keys:
        j = keys.index("status")
        row_kind[:] = [_STATUS_KIND.get(normalise_label(c), "") for c in data[:, j]]
    complete = np.ones(len(data), dtype=bool)
    if "finished" in keys:
        j = keys.index("finished")
        complete = np.array([normalise_label(c) not in _FALSE for c in data[:, j]], dtype=bool)
    body = RawTable(
        table.header, data, table.format, encoding=table.encoding, delimiter=table.delimiter, notes=table.notes
    )
    return Export(
        source="qualtrics",
        table=body,
        label=label,
        row_numbers=np.arange(2 + skip, 2 + skip + len(data)),
        texts=texts,
        row_kind=row_kind,
        complete=complete,
        system=system,
        id_column=keys.index("responseid") if "responseid" in keys else None,
        text_row=2 if skip else None,
    )
