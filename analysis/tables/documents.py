"""The tables a document writes beside itself: the briefing's CSVs and workbook, a profile's CSVs.

The documents only show numbers; writing files is done here. Nothing is written when the
output folder is empty (an interactive run in Jupyter).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..stats.barriers import BarrierScores
from ..stats.scores import Scores
from ..survey.codebook import Codebook, Departments
from .contract import table_department_value, table_focus_area, write_csv, write_tables
from .excel import write_excel


def write_briefing_tables(
    scores: Scores,
    output_dir: str | Path,
    *,
    changes: pd.DataFrame | None,
    lang: str,
    codebook: Codebook,
    departments: Departments,
    barriers: BarrierScores | None = None,
) -> list[Path]:
    """Write the briefing's score tables (CSV and one Excel workbook) into ``output_dir/tables``.

    Besides the scores, ``change_by_department_value.csv`` holds ``changes`` (the briefing passes
    the change from the previous wave and from the first wave to its own wave), each with its
    family-adjusted ``p_adjusted`` and ``family``. The tables follow the contract of
    :mod:`analysis.tables.contract` (the merged group as a row ``ØVRIGE`` with ``members``, counts
    under min_n blank); the workbook writes those counts as "færre end 5". ``barriers`` (from
    :func:`analysis.stats.barriers.score_barriers`) adds ``barriers_by_department.csv`` and its
    sheet.
    """
    if not str(output_dir):
        return []
    folder = Path(output_dir) / "tables"
    written = write_tables(scores, folder, changes=changes, barriers=barriers)
    written.append(
        write_excel(
            scores, folder, changes=changes, barriers=barriers, lang=lang, codebook=codebook, departments=departments
        )
    )
    return written


def write_profile_tables(scores: Scores, department: str, output_dir: str | Path) -> list[Path]:
    """Write one department's tables into ``output_dir/tables``.

    ``profile_<CODE>.csv`` holds the department's rows of ``maturity_by_department_value.csv``
    and ``profile_<CODE>_focus_areas.csv`` its rows of ``maturity_by_department_focus_area.csv``
    (every wave, the same columns and suppression: suppressed rows have blank score, interval
    and level, and a count under min_n is blank). A department pooled into the merged group has
    its own rows suppressed there; the pooled score is the ``ØVRIGE`` row of the briefing's
    tables, not repeated in the profile's.
    """
    if not str(output_dir):
        return []
    folder = Path(output_dir) / "tables"
    folder.mkdir(parents=True, exist_ok=True)

    values = table_department_value(scores)
    areas = table_focus_area(scores)
    return [
        write_csv(values[values["department"] == department], folder / f"profile_{department}.csv"),
        write_csv(areas[areas["department"] == department], folder / f"profile_{department}_focus_areas.csv"),
    ]
