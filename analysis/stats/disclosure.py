"""Disclosure control: every rule that decides whether a number may be published.

The rules of the method (``docs/method.md``, section *Disclosure control*) live here and nowhere
else; scoring, distributions, tables, charts and text ask these functions instead of comparing
``n`` with ``min_n`` themselves.

- ``min_n`` is at least 5 (:data:`~analysis.config.MIN_N_FLOOR`): a lower value is refused.
- A department x value cell (and its focus areas, items and don't-know share) with fewer than
  ``min_n`` respondents is suppressed; a focus area or item of a suppressed value is suppressed
  too, since its numbers would give the value away.
- The departments under ``min_n`` are pooled per value and wave into the merged group
  "Øvrige forvaltninger" (:func:`merged_group`), pulling in the smallest published department
  when the pool is too small or has one member (complementary suppression); the group's score is
  published with its members' names, the members' own cells are not.
- Counts under ``min_n`` are never published as numbers (:func:`count_or_hidden`).
- A full answer distribution is shown only for a group of at least ``2 * min_n``, and the
  municipality's distribution pools only departments that cannot be recovered by subtraction.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .. import config
from ..exceptions import ParameterError


def check_min_n(min_n: object) -> int:
    """Return ``min_n`` as an int, or raise ParameterError unless it is a whole number >= 5.

    Examples
    --------
    >>> check_min_n(5), check_min_n("7")
    (5, 7)
    >>> check_min_n(3)
    Traceback (most recent call last):
    ...
    analysis.exceptions.ParameterError: min_n must be at least 5, found 3: ...
    """
    try:
        value = int(min_n)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        value = None
    if value is None or isinstance(min_n, bool) or str(min_n).strip() not in (str(value), f"{value}.0"):
        raise ParameterError(f"min_n must be a whole number of at least {config.MIN_N_FLOOR}, found {min_n!r}.")
    if value < config.MIN_N_FLOOR:
        raise ParameterError(
            f"min_n must be at least {config.MIN_N_FLOOR}, found {value}: a smaller group would publish the answers "
            f"of one to {config.MIN_N_FLOOR - 1} people, who could then be recognised. Departments under "
            f"{config.MIN_N_FLOOR} are pooled into 'Øvrige forvaltninger' instead."
        )
    return value


def is_suppressed(n, min_n: int):
    """Return True where a group of ``n`` respondents is too small to publish (``n < min_n``).

    Works on scalars and arrays.

    Examples
    --------
    >>> is_suppressed(4, 5), is_suppressed(5, 5)
    (True, False)
    """
    result = np.asarray(n) < min_n
    return bool(result) if result.ndim == 0 else result


def merged_group(n: Mapping[str, int], min_n: int) -> tuple[list[str], bool]:
    """Return the members of the merged group of one value and wave, and whether it may be published.

    method.md: the departments under ``min_n`` (with at least one respondent) are pooled into
    "Øvrige forvaltninger". While the pool has fewer than ``min_n`` respondents, or only one
    department (its score would be the total minus the others), the published department with
    the smallest ``n`` joins it (ties: the later in report order), and its own cell is suppressed
    too (complementary suppression).

    Parameters
    ----------
    n
        Respondents with a valid answer on the value, per department, **in report order**.
    min_n
        The minimum group size.

    Returns
    -------
    tuple
        ``(members, publishable)``: the members in report order (empty when every department
        is large enough), and False when even pooling every department cannot make a group of
        ``min_n`` respondents from two departments (then nothing of the value may be shown).

    Examples
    --------
    Two small departments pool on their own; one small department pulls in the smallest
    published one (a tie goes to the later in report order):

    >>> merged_group({"A": 20, "B": 3, "C": 4}, 5)
    (['B', 'C'], True)
    >>> merged_group({"A": 20, "B": 6, "C": 3, "D": 6}, 5)
    (['C', 'D'], True)
    >>> merged_group({"A": 20, "B": 9}, 5)
    ([], True)
    >>> merged_group({"A": 2, "B": 2}, 5)
    (['A', 'B'], False)
    """
    order = [d for d, k in n.items() if k > 0]
    pool = [d for d in order if is_suppressed(n[d], min_n)]
    if not pool:
        return [], True

    def short(p: list[str]) -> bool:
        return sum(n[d] for d in p) < min_n or len(p) < 2

    while short(pool):
        candidates = [d for d in order if d not in pool]
        if not candidates:
            return pool, False
        # The smallest; among equals the later in report order (max over the reversed position).
        joining = min(candidates, key=lambda d: (n[d], -order.index(d)))
        pool.append(joining)
    return [d for d in order if d in pool], True


def count_or_hidden(count, min_n: int):
    """Return a count, or None where it is under ``min_n`` and so may not be published as a number.

    Text writes the hidden ones as "færre end 5" (:func:`analysis.words.count_text`); tables
    leave them blank.

    Examples
    --------
    >>> count_or_hidden(12, 5), count_or_hidden(4, 5), count_or_hidden(0, 5)
    (12, None, 0)
    """
    if count is None or pd.isna(count):
        return None
    count = int(count)
    return None if 0 < count < min_n else count


def hide_small_counts(frame: pd.DataFrame, columns, min_n: int, hidden=None) -> pd.DataFrame:
    """Blank (to ``<NA>``) every count under ``min_n`` in ``columns``, and every count of a ``hidden`` row.

    Changes ``frame`` in place and returns it. Zero is not hidden: that no one answered says
    nothing about anyone. ``hidden`` (a boolean per row) marks rows that publish no count at all:
    beside a merged group's n, a pulled-in member's n would give a small member's n away.

    Examples
    --------
    >>> t = pd.DataFrame({"n": [12, 3, 0, 9]})
    >>> hide_small_counts(t, "n", 5, hidden=[False, False, False, True])["n"].tolist()
    [12, <NA>, 0, <NA>]
    """
    cols = [columns] if isinstance(columns, str) else list(columns)
    rows = np.zeros(len(frame), dtype=bool) if hidden is None else np.asarray(hidden, dtype=bool)
    for c in cols:
        values = pd.to_numeric(frame[c], errors="coerce")
        hide = rows | ((values > 0) & (values < min_n)).to_numpy()
        frame[c] = pd.array(values.mask(hide).round(), dtype="Int64")
    return frame


def distribution_limit(min_n: int) -> int:
    """Return the smallest group whose full answer distribution may be shown (``2 * min_n``).

    Examples
    --------
    >>> distribution_limit(5)
    10
    """
    return 2 * int(min_n)


def shows_distribution(n, min_n: int):
    """Return True where a group of ``n`` respondents may have its answer distribution shown.

    Examples
    --------
    >>> shows_distribution(9, 5), shows_distribution(10, 5)
    (False, True)
    """
    result = np.asarray(n) >= distribution_limit(min_n)
    return bool(result) if result.ndim == 0 else result


def municipal_strata(cells: pd.DataFrame) -> pd.DataFrame:
    """Return what the municipality of one wave and value is made of, each with its weight.

    Every department with answers is covered (method.md step 4): each published department with
    weight 1, and the merged group ``ØVRIGE`` (when there is one) with as many as it has
    members. When the merged group cannot be published, nothing can: the result is empty.

    Parameters
    ----------
    cells
        Department cells of one wave and value (``department``, ``score``, ``suppressed``,
        ``members``), as in ``Scores.department_value``.

    Examples
    --------
    >>> cells = pd.DataFrame({"department": ["A", "B", "C", "ØVRIGE"], "score": [3.0, None, None, 2.0],
    ...                       "suppressed": [False, True, True, False], "members": ["", "", "", "B+C"]})
    >>> municipal_strata(cells)[["department", "weight"]].values.tolist()
    [['A', 1.0], ['ØVRIGE', 2.0]]
    """
    group = cells["department"] == config.MERGED_GROUP
    own = cells[~group & ~cells["suppressed"].astype(bool) & cells["score"].notna()].assign(weight=1.0)
    merged = cells[group]
    if merged.empty:
        return own
    row = merged.iloc[0]
    if bool(row["suppressed"]) or pd.isna(row["score"]):
        return own.iloc[0:0]
    return pd.concat([own, merged.assign(weight=float(len(str(row["members"]).split("+"))))])


def suppress_siblings(parts: pd.DataFrame, whole: str) -> pd.DataFrame:
    """Suppress every part of a whole when one part is suppressed (secondary suppression).

    A value's score is the mean of its focus areas, and a focus area's the mean of its items;
    with the whole published, one hidden part could be worked out from the others. So when any
    focus area of a department's value (or item of a focus area) is hidden, all are.

    Parameters
    ----------
    parts
        A table with ``wave``, ``department``, ``whole`` and a boolean ``suppressed`` column;
        changed in place and returned.
    whole
        The column naming the whole each part belongs to (``"value"``, ``"focus_area"``).

    Examples
    --------
    >>> parts = pd.DataFrame({"wave": 2025, "department": "BUF", "value": ["a", "a", "b"],
    ...                       "suppressed": [True, False, False]})
    >>> suppress_siblings(parts, "value")["suppressed"].tolist()
    [True, True, False]
    """
    keys = ["wave", "department", whole]
    parts["suppressed"] = parts.groupby(keys, sort=False)["suppressed"].transform("any").astype(bool)
    return parts


def distribution_pool(n_valid: Mapping[str, int], min_n: int) -> list[str]:
    """Return the departments whose answers the municipality's answer distribution may pool.

    A municipality distribution over every respondent would give a hidden department's
    distribution away by subtraction. So it pools (method.md):

    1. only departments whose scores are published (``n_valid >= min_n``);
    2. of those, the ones whose own distribution is not shown (``min_n <= n_valid < 2 * min_n``)
       only when together they have at least ``2 * min_n`` respondents.

    Parameters
    ----------
    n_valid
        Respondents with a valid answer per department, in the order wanted back.
    min_n
        The minimum group size.

    Examples
    --------
    >>> distribution_pool({"A": 12, "B": 6, "C": 3}, 5)
    ['A']
    >>> distribution_pool({"A": 12, "B": 6, "C": 7}, 5)
    ['A', 'B', 'C']
    """
    published = [d for d, n in n_valid.items() if not is_suppressed(n, min_n)]
    hidden = [d for d in published if not shows_distribution(n_valid[d], min_n)]
    # Hidden-but-published departments enter the pool only when, taken together, they are
    # as large as a group whose distribution may be shown; else subtraction exposes them.
    if not shows_distribution(sum(n_valid[d] for d in hidden), min_n):
        return [d for d in published if d not in hidden]
    return published


def infer_min_n(distribution: pd.DataFrame, min_n: int | None = None) -> int:
    """Return the min_n a distribution frame was made with, checked against (or inferred from) it.

    A row of :func:`~analysis.stats.distributions.answer_distribution` is shown exactly when
    :func:`shows_distribution` says so. A given ``min_n`` must explain every row's ``shown`` flag;
    without one, the default is taken when it fits, else the smallest value that explains which
    rows are hidden.

    Raises
    ------
    ParameterError
        When the given ``min_n`` does not fit the frame.
    """
    known = distribution[distribution["n_valid"].notna()]
    n_valid = known["n_valid"].astype(int).to_numpy()
    shown = known["shown"].astype(bool).to_numpy()

    def fits(m: int) -> bool:
        return bool((shows_distribution(n_valid, m) == shown).all())

    if min_n is not None:
        if int(min_n) < 1 or not fits(int(min_n)):
            raise ParameterError(
                f"min_n={min_n!r} does not fit the distribution frame: a row is shown exactly when n_valid >= "
                f"2 * min_n. Pass the min_n the frame was made with (answer_distribution(..., min_n=...))."
            )
        return int(min_n)
    if fits(config.DEFAULT_MIN_N):
        return config.DEFAULT_MIN_N
    smallest = int(n_valid[~shown].max()) // 2 + 1 if (~shown).any() else 1
    return smallest if fits(smallest) else config.DEFAULT_MIN_N
