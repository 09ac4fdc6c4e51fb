"""Internal consistency of each value's items: Cronbach's alpha with Feldt's interval.

method.md (version 2): "Internal consistency per value: Cronbach's alpha on the respondents of
published departments only, from the pooled within-department covariance (answers centred on
their department's item means, so that differences between departments do not inflate it), with
its interval; below 0.7 the briefing says so and shows focus areas separately."

Alpha is computed per wave and value on complete cases (the respondents who gave a valid answer,
1-5, to every item of the value, reverse-worded items turned ``6 - x`` first) of the departments
whose cell of that value is published, each respondent's answers centred on their own
department's item means before they are pooled (:func:`within_alpha`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from .. import config
from ..exceptions import ParameterError
from ..survey.answers import turn_reverse, valid_levels, wave_matrix
from ..survey.codebook import Codebook, load_codebook
from .bootstrap import check_confidence
from .disclosure import check_min_n, is_suppressed

__all__ = ["LOW_ALPHA", "cronbach_alpha", "feldt_interval", "score_reliability", "within_alpha"]

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


def within_alpha(matrix, groups) -> tuple[float, int]:
    """Compute Cronbach's alpha from the pooled within-group covariance of a respondents x items matrix.

    Each complete row is centred on its own group's item means (the means of that group's
    complete rows), the centred rows are pooled, and
    ``alpha = k / (k - 1) * (1 - trace(W) / sum(W))`` with ``W`` the pooled within-group
    covariance matrix (``sum(W)`` is the within-group variance of the total score). Differences
    between the groups' levels therefore do not enter alpha; with a single group it is
    :func:`cronbach_alpha`.

    Parameters
    ----------
    matrix : array-like, shape (n, k)
        One row per respondent, one column per item, already scored (reverse items turned).
        Rows with any NaN are left out (complete cases) before the group means are taken.
    groups : array-like, shape (n,)
        Each row's group (department).

    Returns
    -------
    tuple of (float, int)
        ``(alpha, df)``: ``df = complete rows - groups with a complete row`` are the degrees of
        freedom of ``W``. Alpha is NaN when ``df < 2`` (the single-group rule ``n < 3``),
        ``k < 2``, or when the within-group total score does not vary.

    Examples
    --------
    Two groups at different levels, the two items unrelated within each group:
    pooled naively they look consistent (alpha 0.95); within their groups the items are unrelated.

    >>> x = [[1, 2], [2, 1], [1, 1], [2, 2], [4, 5], [5, 4], [4, 4], [5, 5]]
    >>> g = ["A"] * 4 + ["B"] * 4
    >>> round(cronbach_alpha(x), 3), within_alpha(x, g)
    (0.947, (0.0, 6))
    >>> within_alpha(x, ["A"] * 8)[0] == cronbach_alpha(x)
    True
    """
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"expected a respondents x items matrix (2 dimensions), found {x.ndim}.")
    g = np.asarray(groups, dtype=object)
    if g.shape != (x.shape[0],):
        raise ValueError(f"expected one group per row ({x.shape[0]}), found shape {g.shape}.")
    keep = ~np.isnan(x).any(axis=1)
    x, g = x[keep], g[keep]
    n, k = x.shape
    _, codes = np.unique(g.astype(str), return_inverse=True)
    n_groups = int(codes.max()) + 1 if n else 0
    df = n - n_groups
    if df < 2 or k < 2:
        return float("nan"), df
    sums = np.zeros((n_groups, k))
    np.add.at(sums, codes, x)
    centred = x - (sums / np.bincount(codes, minlength=n_groups)[:, None])[codes]
    within = centred.T @ centred / df
    total_var = within.sum()
    # As in cronbach_alpha: no within-group variation of the total leaves alpha undefined.
    if not total_var > 1e-12:
        return float("nan"), df
    return float(k / (k - 1) * (1 - np.trace(within) / total_var)), df


def score_reliability(
    responses: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    wave: int,
    confidence: float = config.CONFIDENCE,
    min_n: int = config.DEFAULT_MIN_N,
    published: Mapping[str, Iterable[str]] | None = None,
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
    min_n
        Minimum group size. Without ``published``, a department enters a value's alpha only when
        its cell of that value is published: ``disclosure.is_suppressed(n, min_n)`` is False, with
        ``n`` the department's respondents with at least one valid answer on the value's items
        (method.md, n(d,V)).
    published
        Optional: the departments whose cell is published, per value id, as decided by the
        caller (for instance after the merged-group rule, which may suppress more departments
        than ``n < min_n``). It replaces the ``min_n`` rule; a value missing from it has no
        published department (no alpha). Value ids the codebook lacks, or a department named
        for a value on which it is under ``min_n``, are refused.

    Returns
    -------
    pandas.DataFrame
        One row per value in codebook order:
        ``wave, value, alpha, ci_low, ci_high, n, k, departments, low``. ``n`` counts the complete
        cases of the published departments, ``departments`` how many published departments
        have at least one, ``k`` the value's items. ``low`` is True when alpha < 0.7 and missing
        (``pd.NA``) when alpha cannot be computed (``n - departments < 2``, ``k < 2`` or no
        within-department variation).

    Raises
    ------
    ParameterError
        On a bad ``confidence`` or ``min_n``, a wave without responses, or a bad ``published``.

    Notes
    -----
    *Which respondents.* Only those of departments published on the value: alpha over every
    respondent would let a hidden department's answers into a published figure (method.md,
    Disclosure control). A hidden department's respondents change nothing in the table.

    *Missing answers.* Complete cases, as before version 2: alpha compares the variance of each
    respondent's total over the same items, so *Ved ikke*, *Ikke relevant* and blanks on any of
    the value's items leave the respondent out of that value's alpha (though they still count
    towards the department's ``n`` for publication, which needs only one valid answer). A
    department's item means for centring are the means of its complete cases.

    *Within-department covariance.* Each complete case is centred on its department's item means
    and alpha is taken from the pooled within-department covariance (:func:`within_alpha`), so
    that differences in level between departments do not inflate it.

    *Interval.* Feldt's interval as before, with the degrees of freedom of the pooled
    within covariance: ``feldt_interval(alpha, n - departments + 1, k)`` (a department's mean
    uses up one degree of freedom, as the grand mean does for a single group).

    Examples
    --------
    >>> from analysis import config, load_responses
    >>> table = score_reliability(load_responses(config.sample_files()).responses, wave=2025)
    >>> list(table.columns)
    ['wave', 'value', 'alpha', 'ci_low', 'ci_high', 'n', 'k', 'departments', 'low']
    """
    codebook = codebook or load_codebook()
    check_confidence(confidence)
    min_n = check_min_n(min_n)
    departments, matrix = wave_matrix(responses, codebook, int(wave))
    departments = departments.astype(str)
    _, _, reverse = codebook.structure()
    valid = valid_levels(matrix)
    scored = turn_reverse(matrix, reverse).astype(float)
    scored[~valid] = np.nan
    item_values = np.array([it.value for it in codebook.items], dtype=object)
    if published is not None:
        unknown = sorted(set(published) - set(codebook.value_ids))
        if unknown:
            raise ParameterError(
                f"published names values the codebook lacks: {', '.join(map(str, unknown))}. "
                f"The values are {', '.join(codebook.value_ids)}."
            )

    rows = []
    for vid in codebook.value_ids:
        cols = item_values == vid
        answering = valid[:, cols].any(axis=1)
        n_by_dept = {d: int(answering[departments == d].sum()) for d in dict.fromkeys(departments)}
        shown = {d for d, n_d in n_by_dept.items() if not is_suppressed(n_d, min_n)}
        if published is not None:
            chosen = {str(d) for d in published.get(vid, ())}
            small = sorted(d for d in chosen if n_by_dept.get(d, 0) > 0 and is_suppressed(n_by_dept[d], min_n))
            if small:
                raise ParameterError(
                    f"published names {', '.join(small)} for {vid} in {int(wave)}, but fewer than {min_n} "
                    f"answered its questions there: such a cell is suppressed (method.md, Disclosure control)."
                )
            shown = chosen
        rows_in = np.isin(departments, sorted(shown)) & valid[:, cols].all(axis=1)
        n, k = int(rows_in.sum()), int(cols.sum())
        n_departments = len(set(departments[rows_in]))
        alpha, df = within_alpha(scored[rows_in][:, cols], departments[rows_in])
        low, high = feldt_interval(alpha, df + 1, k, confidence)
        rows.append(
            {
                "wave": int(wave),
                "value": vid,
                "alpha": alpha,
                "ci_low": low,
                "ci_high": high,
                "n": n,
                "k": k,
                "departments": n_departments,
                "low": pd.NA if np.isnan(alpha) else bool(alpha < LOW_ALPHA),
            }
        )
    table = pd.DataFrame(rows)
    table["low"] = table["low"].astype("boolean")
    return table
