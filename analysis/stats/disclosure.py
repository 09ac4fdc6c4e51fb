"""Disclosure control: every rule that decides whether a number may be published.

The rules of the method (``docs/method.md``, section *Disclosure control*) live here and nowhere
else; scoring, distributions, tables, charts and text ask these functions instead of comparing
``n`` with ``min_n`` themselves.

- A department x value cell (and its focus areas, items and don't-know share) with fewer than
  ``min_n`` respondents is suppressed; a focus area or item of a suppressed value is suppressed
  too, since its numbers would give the value away.
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
    """Return ``min_n`` as an int, or raise ParameterError when it is not a whole number >= 1.

    Examples
    --------
    >>> check_min_n(5), check_min_n("7")
    (5, 7)
    """
    try:
        value = int(min_n)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        value = 0
    if value < 1 or str(min_n).strip() not in (str(value), f"{value}.0"):
        raise ParameterError(f"min_n must be a whole number of at least 1, found {min_n!r}.")
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


def published(cells: pd.DataFrame) -> pd.DataFrame:
    """Return the department cells that enter the municipality score: not suppressed, with a score.

    The municipality's score is the mean over the published departments only, in every
    weighting scheme, so that no scheme reveals a suppressed department by comparison.

    Examples
    --------
    >>> cells = pd.DataFrame({"department": ["A", "B", "C"], "score": [3.0, 2.0, float("nan")],
    ...                       "suppressed": [False, True, False]})
    >>> published(cells)["department"].tolist()
    ['A']
    """
    return cells[~cells["suppressed"] & cells["score"].notna()]


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
