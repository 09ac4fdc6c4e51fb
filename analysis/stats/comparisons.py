"""Paired comparisons and multiple-testing adjustments (method.md, "Uncertainty" and "Narrative rules").

In: a :class:`~analysis.stats.scores.Scores` (its point scores and bootstrap replicates) and a
wave. Out: frames with one row per comparison (a department against the municipality, two
values, two departments): the difference of the point scores, the percentile interval of the
bootstrap distribution of the difference, its bootstrap p-value and a ``position``. No
language and no HTML: text decides how to say it.

Comparisons never go through overlapping intervals. The bootstrap distribution of a difference
is taken resample by resample:

- a department against the municipality: department replicate b minus municipality replicate b
  (the municipality's resample b is built from every department's resample b, so the two are
  paired);
- two values of one group: replicate b of one value minus replicate b of the other (the same
  resampled respondents);
- two departments: replicate b of one minus replicate b of the other (independent samples,
  each drawn within its own department).

A ranking ("above", "below", "highest", "lowest") is stated only when the difference's interval
excludes 0; otherwise the two are "on level".

The municipality's replicates are ``scores.municipal_replicates[wave]`` when the scores carry
them (the full-coverage municipality of method.md version 2); otherwise they are rebuilt here
from the published departments' replicates (and the merged group ``ØVRIGE``, weighing as many
departments as it has members) with :func:`~analysis.stats.bootstrap.stratified_mean`.
"""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from .. import config
from ..exceptions import ParameterError
from .bootstrap import check_confidence, percentile_interval, stratified_mean

if TYPE_CHECKING:  # Scores is only named in signatures; the scores module imports changes, which imports this one.
    from .scores import Scores

__all__ = [
    "ABOVE",
    "BELOW",
    "MERGED_GROUP",
    "ON_LEVEL",
    "POSITIONS",
    "Extremes",
    "benjamini_hochberg",
    "bootstrap_p_value",
    "compare_departments",
    "compare_departments_to_municipality",
    "compare_values",
    "covered_departments",
    "highest_lowest",
    "holm",
    "municipal_replicates",
    "paired_difference",
    "position",
]

#: The department code of the merged group of small departments (method.md, Disclosure control).
MERGED_GROUP = config.MERGED_GROUP
ABOVE, BELOW, ON_LEVEL = "above", "below", "on level"
#: What ``position`` can say: first against second; empty when there is no interval.
POSITIONS = (ABOVE, BELOW, ON_LEVEL)


# -- p-values and their adjustment -------------------------------------------------------------


def bootstrap_p_value(diff_reps) -> float:
    """Return the two-sided bootstrap p-value of a difference: 2 * min(share <= 0, share >= 0).

    NaN replicates are left out; with none left the p-value is NaN. Capped at 1 (a distribution
    that is 0 in every resample gives 1).

    Examples
    --------
    >>> bootstrap_p_value([-1.0, 1.0, 2.0, 3.0, np.nan])
    0.5
    >>> bootstrap_p_value([1.0, 2.0])
    0.0
    """
    reps = np.asarray(diff_reps, dtype=float).ravel()
    reps = reps[~np.isnan(reps)]
    if reps.size == 0:
        return float("nan")
    share_low = float(np.mean(reps <= 0))
    share_high = float(np.mean(reps >= 0))
    return min(1.0, 2.0 * min(share_low, share_high))


def _present(p) -> tuple[np.ndarray, np.ndarray]:
    """Return the p-values as floats and the positions of those that are not NaN."""
    p = np.asarray(p, dtype=float).ravel()
    if np.any((p < 0) | (p > 1)):
        raise ParameterError(f"p-values must lie between 0 and 1, found {p[(p < 0) | (p > 1)].tolist()}.")
    return p, np.flatnonzero(~np.isnan(p))


def holm(p) -> np.ndarray:
    """Return Holm's step-down adjusted p-values (family-wise error rate).

    With the m p-values that are not NaN sorted ascending, p(1) <= ... <= p(m), the adjusted
    p-value of p(i) is max over j <= i of (m - j + 1) * p(j), capped at 1. NaN stays NaN and
    does not count in m. Reject at level alpha where the adjusted p-value is below alpha.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03, 0.005]).round(4).tolist()
    [0.03, 0.06, 0.06, 0.02]
    """
    p, idx = _present(p)
    out = np.full(p.shape, np.nan)
    if idx.size == 0:
        return out
    m = idx.size
    order = idx[np.argsort(p[idx], kind="stable")]
    stepped = (m - np.arange(m)) * p[order]
    out[order] = np.minimum(1.0, np.maximum.accumulate(stepped))
    return out


def benjamini_hochberg(p) -> np.ndarray:
    """Return Benjamini-Hochberg step-up adjusted p-values (false discovery rate).

    With the m p-values that are not NaN sorted ascending, the adjusted p-value of p(i) is
    min over j >= i of m / j * p(j), capped at 1. NaN stays NaN and does not count in m.
    Rejecting where the adjusted p-value is below q keeps the false discovery rate at q.

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.04, 0.03, 0.005]).round(4).tolist()
    [0.02, 0.04, 0.04, 0.02]
    """
    p, idx = _present(p)
    out = np.full(p.shape, np.nan)
    if idx.size == 0:
        return out
    m = idx.size
    order = idx[np.argsort(p[idx], kind="stable")]
    stepped = m / np.arange(1, m + 1) * p[order]
    out[order] = np.minimum(1.0, np.minimum.accumulate(stepped[::-1])[::-1])
    return out


# -- one difference ----------------------------------------------------------------------------


def position(low: float, high: float) -> str:
    """Return ``above`` / ``below`` when the interval of a difference excludes 0, else ``on level``.

    Empty when the interval is missing (NaN).

    Examples
    --------
    >>> position(0.1, 0.3), position(-0.2, 0.1), position(-0.3, -0.1)
    ('above', 'on level', 'below')
    """
    if np.isnan(low) or np.isnan(high):
        return ""
    if low > 0:
        return ABOVE
    if high < 0:
        return BELOW
    return ON_LEVEL


def paired_difference(reps_a, reps_b, point_a: float, point_b: float, confidence: float = config.CONFIDENCE) -> dict:
    """Return a difference a - b with the percentile interval and p-value of its paired replicates.

    Parameters
    ----------
    reps_a, reps_b
        Bootstrap replicates of a and b, one per resample; entry b of both comes from the same
        resample (paired) or from independent resamples of independent samples. NaN replicates
        are left out.
    point_a, point_b
        The point estimates of a and b.
    confidence
        Two-sided level of the interval.

    Returns
    -------
    dict
        ``diff`` (point_a - point_b), ``ci_low``, ``ci_high`` (percentile interval of
        reps_a - reps_b) and ``p`` (:func:`bootstrap_p_value`).

    Examples
    --------
    >>> paired_difference([3.1, 3.6], [3.0, 3.5], 3.3, 3.2, 0.5)["ci_low"]
    0.1
    """
    check_confidence(confidence)
    a = np.asarray(reps_a, dtype=float).ravel()
    b = np.asarray(reps_b, dtype=float).ravel()
    if a.shape != b.shape:
        raise ParameterError(f"paired replicates must have as many resamples: {a.size} and {b.size}.")
    diff_reps = a - b
    if np.isnan(diff_reps).all():
        low, high = np.nan, np.nan
    else:
        low, high = percentile_interval(diff_reps, confidence)
    return {
        "diff": float(point_a) - float(point_b),
        "ci_low": float(low),
        "ci_high": float(high),
        "p": bootstrap_p_value(diff_reps),
    }


# -- reading a Scores --------------------------------------------------------------------------


def _value_ids(scores: Scores) -> list[str]:
    """Return the values in the replicates' column order (the codebook's)."""
    if scores.codebook is not None:
        return list(scores.codebook.value_ids)
    return list(dict.fromkeys(scores.department_value["value"]))


def _value_index(scores: Scores, value: str) -> int:
    ids = _value_ids(scores)
    if value not in ids:
        raise ParameterError(f"unknown value {value!r}; the scores have {ids}.")
    return ids.index(value)


def _cells(scores: Scores, wave: int) -> pd.DataFrame:
    """Return the department x value rows of ``wave``, or raise ParameterError."""
    if wave not in scores.waves:
        raise ParameterError(f"wave {wave} was not scored; the data have {scores.waves}.")
    dv = scores.department_value
    return dv[dv["wave"] == wave]


def _published(cells: pd.DataFrame) -> pd.DataFrame:
    return cells[~cells["suppressed"].astype(bool) & cells["score"].notna()]


def _members(row) -> list[str]:
    """Return the departments a row stands for: the merged group's members, else the department."""
    members = row.get("members") if hasattr(row, "get") else None
    if isinstance(members, str) and members:
        return members.split("+")
    return [row["department"]]


def covered_departments(scores: Scores, wave: int, value: str) -> list[str]:
    """Return the departments the municipality's score of ``value`` covers in ``wave``.

    The published departments plus the members of the published merged group ``ØVRIGE``
    (before the merged group exists, the published departments only).
    """
    cells = _cells(scores, wave)
    covered: list[str] = []
    for _, row in _published(cells[cells["value"] == value]).iterrows():
        covered += _members(row) if row["department"] == MERGED_GROUP else [row["department"]]
    return list(dict.fromkeys(covered))


def municipal_replicates(scores: Scores, wave: int) -> np.ndarray:
    """Return the municipality's bootstrap replicates in ``wave`` (resamples x values, codebook order).

    ``scores.municipal_replicates[wave]`` when the scores carry it; otherwise, per value, the
    published departments' replicates averaged resample by resample, the merged group
    ``ØVRIGE`` weighing as many departments as it has members (method.md, step 4). A value with
    no published cell gives NaN.
    """
    given = getattr(scores, "municipal_replicates", None)
    if given is not None and wave in given:
        return np.asarray(given[wave], dtype=float)
    cells = _cells(scores, wave)
    ids = _value_ids(scores)
    resamples = next((r.shape[0] for (w, _), r in scores.replicates.items() if w == wave), 0)
    out = np.full((resamples, len(ids)), np.nan)
    for k, vid in enumerate(ids):
        pub = _published(cells[cells["value"] == vid])
        reps, weights = [], []
        for _, row in pub.iterrows():
            key = (wave, row["department"])
            if key not in scores.replicates:
                continue
            reps.append(scores.replicates[key][:, k])
            weights.append(len(_members(row)) if row["department"] == MERGED_GROUP else 1)
        if reps:
            out[:, k] = stratified_mean(reps, weights=weights)
    return out


def _municipal_points(scores: Scores, wave: int) -> dict[str, float]:
    """Return the municipality's point score per value in ``wave`` (``scores.value``)."""
    value = scores.value[scores.value["wave"] == wave]
    return {v: float(s) for v, s in zip(value["value"], value["score"])}


def _row_result(result: dict) -> dict:
    return {**result, "position": position(result["ci_low"], result["ci_high"])}


_BLANK = {"diff": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p": np.nan, "position": ""}


# -- the comparisons ---------------------------------------------------------------------------


def compare_departments_to_municipality(scores: Scores, wave: int) -> pd.DataFrame:
    """Return every published department (and ``ØVRIGE``) x value against the municipality.

    The difference S(d,V) - S(V) with the interval and p-value of department replicate b minus
    municipality replicate b (paired: the municipality's resample b contains the department's
    resample b). Suppressed cells are left out.

    Returns
    -------
    pandas.DataFrame
        ``wave, department, value, score, municipality, diff, ci_low, ci_high, p, position``;
        ``position`` is ``above`` / ``below`` only when the interval excludes 0, else
        ``on level``. Departments in table order, values in codebook order within each.
    """
    cells = _published(_cells(scores, wave))
    muni_reps = municipal_replicates(scores, wave)
    muni_points = _municipal_points(scores, wave)
    ids = _value_ids(scores)
    rows = []
    for dept in dict.fromkeys(cells["department"]):
        dept_cells = cells[cells["department"] == dept].set_index("value")
        reps = scores.replicates.get((wave, dept))
        for k, vid in enumerate(ids):
            if vid not in dept_cells.index or reps is None:
                continue
            score = float(dept_cells.loc[vid, "score"])
            muni = muni_points.get(vid, np.nan)
            result = paired_difference(reps[:, k], muni_reps[:, k], score, muni, scores.confidence)
            rows.append(
                {"wave": wave, "department": dept, "value": vid, "score": score, "municipality": muni}
                | _row_result(result)
            )
    columns = ["wave", "department", "value", "score", "municipality", *_BLANK]
    return pd.DataFrame(rows, columns=columns)


def _group_values(scores: Scores, wave: int, department: str) -> tuple[dict[str, float], np.ndarray | None]:
    """Return one group's published point scores per value and its replicates (resamples x values)."""
    if department == config.MUNICIPALITY:
        points = {v: s for v, s in _municipal_points(scores, wave).items() if not np.isnan(s)}
        return points, municipal_replicates(scores, wave)
    cells = _published(_cells(scores, wave))
    cells = cells[cells["department"] == department]
    return dict(zip(cells["value"], cells["score"].astype(float))), scores.replicates.get((wave, department))


def compare_values(scores: Scores, wave: int, department: str = config.MUNICIPALITY) -> pd.DataFrame:
    """Return every pair of values of one group, compared within the same resamples.

    Parameters
    ----------
    scores, wave
        The scores and the wave.
    department
        A department code, ``ØVRIGE``, or the municipality (``ALL``, the default).

    Returns
    -------
    pandas.DataFrame
        ``wave, department, value_a, value_b, score_a, score_b, diff, ci_low, ci_high, p,
        position``: one row per pair (codebook order, a before b), diff = a - b; ``position``
        says where a lies against b. A pair with a suppressed value is left out.
    """
    points, reps = _group_values(scores, wave, department)
    ids = [v for v in _value_ids(scores) if v in points]
    rows = []
    if reps is not None:
        index = {v: k for k, v in enumerate(_value_ids(scores))}
        for a, b in combinations(ids, 2):
            result = paired_difference(reps[:, index[a]], reps[:, index[b]], points[a], points[b], scores.confidence)
            rows.append(
                {
                    "wave": wave,
                    "department": department,
                    "value_a": a,
                    "value_b": b,
                    "score_a": points[a],
                    "score_b": points[b],
                }
                | _row_result(result)
            )
    columns = ["wave", "department", "value_a", "value_b", "score_a", "score_b", *_BLANK]
    return pd.DataFrame(rows, columns=columns)


class Extremes(NamedTuple):
    """The value clearly highest and the value clearly lowest of a group (None when none is)."""

    highest: str | None
    lowest: str | None


def highest_lowest(scores: Scores, wave: int, department: str = config.MUNICIPALITY) -> Extremes:
    """Return the value that is clearly highest and the one clearly lowest in a group.

    A value is clearly highest only when its paired difference to **every** other published
    value has an interval above 0 (clearly lowest: below 0); otherwise that side is None, and
    text says the values are on level. Needs at least two published values.

    Examples
    --------
    ``high, low = highest_lowest(scores, 2025)``; ``high is None`` means no value stands out.
    """
    pairs = compare_values(scores, wave, department)
    values = list(dict.fromkeys([*pairs["value_a"], *pairs["value_b"]]))
    if len(values) < 2:
        return Extremes(None, None)
    # Position of each value against each other one, from either side of the pair.
    against: dict[str, list[str]] = {v: [] for v in values}
    flip = {ABOVE: BELOW, BELOW: ABOVE, ON_LEVEL: ON_LEVEL, "": ""}
    for row in pairs.itertuples():
        against[row.value_a].append(row.position)
        against[row.value_b].append(flip[row.position])
    highest = [v for v in values if all(p == ABOVE for p in against[v])]
    lowest = [v for v in values if all(p == BELOW for p in against[v])]
    return Extremes(highest[0] if highest else None, lowest[0] if lowest else None)


def compare_departments(scores: Scores, wave: int, value: str) -> pd.DataFrame:
    """Return every pair of published departments (and ``ØVRIGE``) on one value.

    Departments are independent samples, so the bootstrap distribution of a difference is
    department a's replicate b minus department b's replicate b.

    Returns
    -------
    pandas.DataFrame
        ``wave, value, department_a, department_b, score_a, score_b, diff, ci_low, ci_high, p,
        position``: one row per pair (table order, a before b), diff = a - b; ``position`` says
        where a lies against b. Suppressed cells are left out.
    """
    k = _value_index(scores, value)
    cells = _published(_cells(scores, wave))
    cells = cells[cells["value"] == value]
    depts = [d for d in dict.fromkeys(cells["department"]) if (wave, d) in scores.replicates]
    points = dict(zip(cells["department"], cells["score"].astype(float)))
    rows = []
    for a, b in combinations(depts, 2):
        result = paired_difference(
            scores.replicates[(wave, a)][:, k],
            scores.replicates[(wave, b)][:, k],
            points[a],
            points[b],
            scores.confidence,
        )
        rows.append(
            {
                "wave": wave,
                "value": value,
                "department_a": a,
                "department_b": b,
                "score_a": points[a],
                "score_b": points[b],
            }
            | _row_result(result)
        )
    columns = ["wave", "value", "department_a", "department_b", "score_a", "score_b", *_BLANK]
    return pd.DataFrame(rows, columns=columns)
