"""SPSS ``.sav`` (offered by SurveyXact, Qualtrics and LimeSurvey): value labels embedded.

Read with ``pyreadstat``: numeric codes stay codes, and each variable's value labels and
variable label (the question text) travel with the export, as SurveyXact's labels file does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..codebook import normalise_label
from ..problems import FileProblems
from ..reading import RawTable, cell_text
from .base import Export
from .qualtrics import SYSTEM_COLUMNS as Q_SYSTEM
from .surveyxact import SYSTEM_COLUMNS as SX_SYSTEM

__all__ = ["read_spss"]


def read_spss(path: Path, label: str, log: FileProblems) -> Export | None:
    """Read a ``.sav`` file: codes as text, value labels per column, variable labels as texts."""
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False, user_missing=False)
    except Exception as exc:  # pyreadstat raises its own ReadstatError and OSError alike
        log.add(
            "unreadable",
            None,
            None,
            f"expected an SPSS data file (.sav), found a file pyreadstat cannot read ({type(exc).__name__}: {exc}). "
            "Export it from the survey tool again.",
        )
        return None
    header = [str(c) for c in frame.columns]
    cells = np.empty(frame.shape, dtype=object)
    for j, column in enumerate(frame.columns):
        cells[:, j] = [cell_text(v) for v in frame[column].tolist()]
    labels: dict[int, dict[str, str]] = {}
    for j, column in enumerate(header):
        value_labels = meta.variable_value_labels.get(column)
        if value_labels:
            labels[j] = {cell_text(code): str(text) for code, text in value_labels.items()}
    texts = [str(t or "") for t in (meta.column_labels or [""] * len(header))]
    table = RawTable(header, cells, "sav", encoding=getattr(meta, "file_encoding", None))
    keys = [normalise_label(h) for h in header]
    system = {j for j, k in enumerate(keys) if k in SX_SYSTEM or k in Q_SYSTEM or k.startswith("stato")}
    ids = [j for j, k in enumerate(keys) if k in {"responde", "responseid", "id", "respondentid"}]
    return Export(
        source="spss",
        table=table,
        label=label,
        row_numbers=np.arange(2, len(cells) + 2),
        texts=texts,
        labels=labels,
        system=system,
        id_column=ids[0] if ids else None,
    )
