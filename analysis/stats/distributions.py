"""Answer distributions per value: how the answers spread over the five levels.

The distribution of a value pools the answers to all its items (reverse-worded items turned
``6 - x`` first, as everywhere else), for the municipality (department ``ALL``) and for each
department. Level shares are shares of the valid answers (1-5); the shares of *Ved ikke* and
*Ikke relevant* are shares of all non-blank answers, because they are not levels.

Disclosure control (method.md) is stricter here than for scores: a department's full
distribution is shown only when ``n(d,V) >= 2 * min_n``, and the municipality pools only
departments whose answers cannot be recovered by subtraction (see :func:`answer_distribution`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import config
from ..survey.answers import LEVELS, turn_reverse, valid_levels, wave_matrix
from ..survey.codebook import Codebook, Departments, load_codebook
from .disclosure import check_min_n, distribution_pool, merged_group, shows_distribution

__all__ = ["answer_distribution"]


SHARE_COLUMNS = [f"share_{lv}" for lv in LEVELS] + ["share_dont_know", "share_not_applicable"]


def _counts(codes: np.ndarray, dont_know: int, not_applicable: int) -> dict[str, int]:
    """Count the answers of one group on one value's items (respondents x items codes)."""
    answered = codes != 0
    valid_rows = valid_levels(codes).any(axis=1)
    out = {
        "n": int(answered.any(axis=1).sum()),
        "n_valid": int(valid_rows.sum()),
        "answers": int(answered.sum()),
        "dont_know": int((codes == dont_know).sum()),
        "not_applicable": int((codes == not_applicable).sum()),
    }
    for lv in LEVELS:
        out[f"level_{lv}"] = int((codes == lv).sum())
    return out


def _add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    """Return the counts of two groups added key by key (pooling them)."""
    return {key: a[key] + b[key] for key in a}


def _row(wave: int, department: str, value: str, counts: dict[str, int], shown: bool, pooled: int | None) -> dict:
    """Turn counts into one table row, blanking every share (and the answer count) when hidden."""
    valid = sum(counts[f"level_{lv}"] for lv in LEVELS)
    answers = counts["answers"]
    row = {
        "wave": wave,
        "department": department,
        "value": value,
        "n": counts["n"],
        "n_valid": counts["n_valid"],
        "answers": answers if shown else pd.NA,
    }
    for lv in LEVELS:
        row[f"share_{lv}"] = counts[f"level_{lv}"] / valid if shown and valid else np.nan
    row["share_dont_know"] = counts["dont_know"] / answers if shown and answers else np.nan
    row["share_not_applicable"] = counts["not_applicable"] / answers if shown and answers else np.nan
    row["shown"] = shown
    row["departments"] = pooled
    return row


def answer_distribution(
    responses: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    wave: int,
    min_n: int = config.DEFAULT_MIN_N,
    by_department: bool = True,
    departments: Departments | None = None,
) -> pd.DataFrame:
    """Tabulate how each value's answers spread over the levels, for the municipality and departments.

    Parameters
    ----------
    responses
        The long frame of :func:`analysis.survey.loading.load_responses`.
    codebook
        The questionnaire; the bundled one by default.
    wave
        The survey wave to tabulate.
    min_n
        Minimum group size of method.md. A department's distribution is shown only when
        ``n_valid >= 2 * min_n``.
    by_department
        Also return one row per department and value (otherwise only the municipality rows).
    departments
        Only used to order the department rows; without it they follow the code order.

    Returns
    -------
    pandas.DataFrame
        One row per department (``ALL`` first) and value, columns ``wave, department, value,
        n, n_valid, answers, share_1 .. share_5, share_dont_know, share_not_applicable, shown,
        departments``:

        - ``n``: respondents with at least one non-blank answer on the value's items;
        - ``n_valid``: respondents with at least one valid (1-5) answer, method.md's ``n(d,V)``,
          which the disclosure rules use;
        - ``answers``: non-blank answers on the value's items (blank when not shown);
        - ``share_1`` .. ``share_5``: shares of the valid answers at each level, reverse items
          turned first; they sum to 1;
        - ``share_dont_know``, ``share_not_applicable``: shares of all non-blank answers;
        - ``shown``: False when the row is withheld; then every share is NaN;
        - ``departments``: for the ``ALL`` rows, how many departments were pooled (empty for
          department rows).

    Notes
    -----
    *Secondary disclosure.* A municipality distribution over every respondent would give a
    hidden department's distribution away by subtraction whenever it is the only department
    hidden (shares times ``answers`` are counts). The municipality therefore pools:

    1. only departments with ``n_valid >= min_n`` for that value, the departments whose scores
       are published (so the smallest departments never enter, as in the municipality score);
    2. of those, the ones that are not shown (``min_n <= n_valid < 2 * min_n``) only when
       together they have at least ``2 * min_n`` respondents; otherwise they are left out too.

    What the municipality row adds beyond the shown departments is thus always a group of at
    least ``2 * min_n`` respondents, the same threshold a department's own distribution must
    meet. The ``ALL`` row itself is shown when its pooled ``n_valid >= 2 * min_n``. The members
    of a value's merged group (:func:`~analysis.stats.disclosure.merged_group`), including a
    department pulled in however large, are never shown and never pooled.

    Examples
    --------
    >>> from analysis import config, load_responses
    >>> table = answer_distribution(load_responses(config.sample_files()).responses, wave=2025)
    >>> row = table[table["department"] == "ALL"].iloc[0]
    >>> bool(row["shown"]), round(float(row[[f"share_{lv}" for lv in range(1, 6)]].sum()), 9)
    (True, 1.0)
    """
    codebook = codebook or load_codebook()
    min_n, wave = check_min_n(min_n), int(wave)
    depts, matrix = wave_matrix(responses, codebook, wave)
    codes = turn_reverse(matrix, codebook.structure()[2])
    item_values = np.array([it.value for it in codebook.items], dtype=object)

    present = departments.order(depts) if departments is not None else sorted(set(depts))

    municipal_rows, department_rows = [], []
    for vid in codebook.value_ids:
        cols = item_values == vid
        per_dept = {
            d: _counts(codes[depts == d][:, cols], codebook.dont_know, codebook.not_applicable) for d in present
        }
        # Departments of the value's merged group are hidden, pulled-in ones too (however large).
        members, _ = merged_group({d: per_dept[d]["n_valid"] for d in present}, min_n)
        pool = distribution_pool({d: per_dept[d]["n_valid"] for d in present if d not in members}, min_n)
        total = _counts(codes[:0][:, cols], codebook.dont_know, codebook.not_applicable)
        for d in pool:
            total = _add(total, per_dept[d])
        municipal_rows.append(
            _row(wave, config.MUNICIPALITY, vid, total, shows_distribution(total["n_valid"], min_n), len(pool))
        )
        for d in present:
            shown = d not in members and shows_distribution(per_dept[d]["n_valid"], min_n)
            department_rows.append(_row(wave, d, vid, per_dept[d], shown, None))

    rows = municipal_rows
    if by_department:
        rank = {d: k for k, d in enumerate(present)}
        rows += sorted(department_rows, key=lambda r: rank[r["department"]])  # stable: codebook order within
    table = pd.DataFrame(rows)
    table["answers"] = table["answers"].astype("Int64")
    table["departments"] = table["departments"].astype("Int64")
    return table
