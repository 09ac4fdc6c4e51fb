"""Disclosure control: every rule that decides whether a number may be published.

The rules of the method (``docs/method.md``, section *Disclosure control*) live here and nowhere
else; scoring, distributions, tables, charts and text ask these functions instead of comparing
``n`` with ``min_n`` themselves.

- A department x value cell (and its focus areas, items and don't-know share) with fewer than
  ``min_n`` respondents is suppressed; a focus area or item of a suppressed value is suppressed
  too, since its numbers would give the value away.
- A full answer distribution is shown only for a group of at least ``2 * min_n``.
"""

from __future__ import annotations

import numpy as np

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
