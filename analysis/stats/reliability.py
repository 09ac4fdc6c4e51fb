"""Internal consistency of each value's items: Cronbach's alpha with Feldt's interval.

method.md: "Internal consistency per value: Cronbach's alpha with its interval; below 0.7 the
briefing says so and shows focus areas separately." Alpha is computed per wave over the
respondents of every department pooled, on complete cases: the respondents who gave a valid
answer (1-5) to every item of the value, reverse-worded items turned ``6 - x`` first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import config
from ..survey.answers import turn_reverse, valid_levels, wave_matrix
from ..survey.codebook import Codebook, load_codebook
from .bootstrap import check_confidence

__all__ = ["LOW_ALPHA", "cronbach_alpha", "feldt_interval", "score_reliability"]

#: Alpha below this is reported as low internal consistency (method.md).
LOW_ALPHA = 0.7


def cronbach_alpha(matrix) -> float:
    """Compute Cronbach's alpha of a respondents x items matrix.

    ``alpha = k / (k - 1) * (1 - sum of item variances / variance of the total score)``.

    Parameters
    ----------
    matrix : array-like, shape (n, k)
        One row per respondent, one column per item, already scored (reverse items turned).
        Rows with any NaN are left out (complete cases).

    Returns
    -------
    float
        Alpha; NaN when fewer than 3 complete rows or 2 items remain, or when the total score
        does not vary. Alpha can be negative when items disagree.

    Examples
    --------
    Three respondents who order themselves the same way on both items agree perfectly:

    >>> cronbach_alpha([[1, 2], [2, 3], [3, 4]])
    1.0
    >>> round(cronbach_alpha([[3, 3, 3, 3], [3, 3, 4, 3], [3, 3, 3, 1], [5, 4, 4, 5],
    ...                       [2, 1, 4, 4], [4, 4, 4, 5], [3, 2, 3, 3], [3, 4, 3, 3],
    ...                       [4, 2, 2, 3], [3, 3, 2, 3]]), 3)
    0.674
    """
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"expected a respondents x items matrix (2 dimensions), found {x.ndim}.")
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape
    if n < 3 or k < 2:
        return float("nan")
    total_var = x.sum(axis=1).var(ddof=1)
    # An exact zero (everyone has the same total) leaves alpha undefined; a tolerance keeps
    # floating-point residue from producing a huge meaningless value.
    if not total_var > 1e-12:
        return float("nan")
    item_var = x.var(axis=0, ddof=1).sum()
    return float(k / (k - 1) * (1 - item_var / total_var))


def feldt_interval(alpha: float, n: int, k: int, confidence: float = config.CONFIDENCE) -> tuple[float, float]:
    """Return Feldt's (1965) confidence interval for Cronbach's alpha.

    With ``F_p`` the ``p`` quantile of the F distribution with ``n - 1`` and
    ``(n - 1)(k - 1)`` degrees of freedom and ``a = 1 - confidence``:
    ``lower = 1 - (1 - alpha) * F_{1-a/2}`` and ``upper = 1 - (1 - alpha) * F_{a/2}``
    (Feldt, Woodruff and Salih 1987, formulas 6 and 7).

    Parameters
    ----------
    alpha : float
        The observed alpha.
    n, k : int
        Respondents (complete cases) and items the alpha was computed from.
    confidence : float
        Two-sided confidence level, between 0 and 1.

    Returns
    -------
    tuple of float
        ``(low, high)``; NaN for both when alpha is NaN, ``n < 3`` or ``k < 2``.

    Examples
    --------
    The example of C. Evans's ``feldt1.return`` (MRC CBU statistics wiki): alpha 0.913 from
    873 people and 20 items gives 0.9044 to 0.9212.

    >>> low, high = feldt_interval(0.913, 873, 20)
    >>> round(low, 4), round(high, 4)
    (0.9044, 0.9212)
    """
    check_confidence(confidence)
    if alpha is None or np.isnan(alpha) or n < 3 or k < 2:
        return float("nan"), float("nan")
    # scipy.special's inverse F distribution gives the same quantiles as scipy.stats.f.ppf and
    # imports in a third of the time (it runs in every briefing render).
    from scipy.special import fdtri

    tail = (1 - confidence) / 2
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1 - (1 - alpha) * fdtri(df1, df2, 1 - tail)
    high = 1 - (1 - alpha) * fdtri(df1, df2, tail)
    return float(low), float(high)


def score_reliability(
    responses: pd.DataFrame, codebook: Codebook | None = None, *, wave: int, confidence: float = config.CONFIDENCE
) -> pd.DataFrame:
    """Compute Cronbach's alpha and its Feldt interval for every value of one wave.

    Parameters
    ----------
    responses
        Tidy responses (one row per respondent and item), as ``Survey.responses``.
    codebook
        Questionnaire (default: the bundled codebook).
    wave
        The survey wave.
    confidence
        Level of the Feldt interval.

    Returns
    -------
    pandas.DataFrame
        One row per value in codebook order: ``wave, value, alpha, ci_low, ci_high, n, k, low``.
        ``n`` counts the complete cases (respondents of all departments with a valid answer to
        every item of the value), ``k`` the value's items. ``low`` is True when alpha < 0.7 and
        missing (``pd.NA``) when alpha cannot be computed (``n < 3``, ``k < 2`` or no variation).

    Notes
    -----
    Alpha is a property of the questionnaire, not of a department, so respondents are pooled
    over departments; no department's answers can be read from it, so no cell is suppressed.
    Complete cases are needed because alpha compares the variance of each respondent's total
    over the same items; *Ved ikke*, *Ikke relevant* and blanks therefore leave a respondent
    out of the value's alpha.

    Examples
    --------
    >>> from analysis import config, load_responses
    >>> table = score_reliability(load_responses(config.sample_files()).responses, wave=2025)
    >>> list(table.columns)
    ['wave', 'value', 'alpha', 'ci_low', 'ci_high', 'n', 'k', 'low']
    """
    codebook = codebook or load_codebook()
    check_confidence(confidence)
    _, matrix = wave_matrix(responses, codebook, int(wave))
    _, _, reverse = codebook.structure()
    valid = valid_levels(matrix)
    scored = turn_reverse(matrix, reverse).astype(float)
    item_values = np.array([it.value for it in codebook.items], dtype=object)

    rows = []
    for vid in codebook.value_ids:
        cols = item_values == vid
        complete = valid[:, cols].all(axis=1)
        n, k = int(complete.sum()), int(cols.sum())
        alpha = cronbach_alpha(scored[complete][:, cols]) if n else float("nan")
        low, high = feldt_interval(alpha, n, k, confidence)
        rows.append(
            {
                "wave": int(wave),
                "value": vid,
                "alpha": alpha,
                "ci_low": low,
                "ci_high": high,
                "n": n,
                "k": k,
                "low": pd.NA if np.isnan(alpha) else bool(alpha < LOW_ALPHA),
            }
        )
    table = pd.DataFrame(rows)
    table["low"] = table["low"].astype("boolean")
    return table
