"""Weighting sensitivity of the municipality score: does the headline depend on equal weights?

method.md: the municipality value score ``S(V)`` covers every department, each weighing the same
(the merged group of small departments weighing as many as it holds); "a respondent-weighted and a
headcount-weighted variant (over the same full coverage) are shown as sensitivity checks". This
module computes the three schemes side by side, with stratified-bootstrap intervals, and says
whether the order of the values survives them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import config
from ..exceptions import ParameterError
from ..survey.codebook import Departments
from .bootstrap import percentile_interval, stratified_mean
from .disclosure import municipal_strata
from .scores import Scores

__all__ = ["SCHEMES", "ranking_holds", "ranking_summary", "score_sensitivity"]

#: The weighting schemes, headline first.
SCHEMES = ("equal", "respondents", "headcount")


def _staff(departments: Departments, code: str) -> float | None:
    """Return a department's procurement-staff estimate, or None when it is missing or unusable."""
    try:
        staff = departments[code].procurement_staff
    except KeyError:
        return None
    if staff is None or not np.isfinite(staff) or staff <= 0:
        return None
    return float(staff)


def score_sensitivity(scores: Scores, departments: Departments, *, wave: int) -> pd.DataFrame:
    """Score every value of a wave under the equal, respondent and headcount weighting schemes.

    Parameters
    ----------
    scores
        The result of :func:`analysis.stats.scoring.score_survey`.
    departments
        The department list; its ``procurement_staff`` estimates are the headcount weights.
    wave
        The survey wave.

    Returns
    -------
    pandas.DataFrame
        One row per value and scheme: ``wave, value, scheme, score, ci_low, ci_high, rank``.

        - ``equal``: the headline: every department weighs one, the merged group as many as
          it holds; identical to ``scores.value``.
        - ``respondents``: weighted by ``n(d,V)`` of each published department and of the
          merged group.
        - ``headcount``: weighted by ``procurement_staff`` (the merged group by its members'
          sum); left out (no rows) when any department covered in the wave has no positive
          estimate.

        Intervals are percentile intervals of the stratified bootstrap: resample ``b`` of the
        municipality combines resample ``b`` of each published department with the scheme's
        (fixed) weights. ``rank`` is 1 for the highest score within the scheme (ties share
        the better rank; missing when the score is).

    Notes
    -----
    Only published cells enter (the departments, and the merged group as one), in every scheme,
    so no scheme can reveal a hidden department by comparison with another.
    """
    if int(wave) not in scores.waves:
        raise ParameterError(f"wave {wave} was not scored; the scores have waves {scores.waves}.")
    wave = int(wave)
    dv = scores.department_value
    cells = dv[dv["wave"] == wave]
    # Replicate columns follow the codebook's value order, which the cell table keeps.
    value_ids = list(dict.fromkeys(dv["value"]))
    strata = {vid: municipal_strata(cells[cells["value"] == vid]) for vid in value_ids}

    def members(row) -> list[str]:
        return str(row["members"]).split("+") if row["department"] == config.MERGED_GROUP else [row["department"]]

    covered = {d for part in strata.values() for _, row in part.iterrows() for d in members(row)}
    staff = {code: _staff(departments, code) for code in covered}
    schemes = ["equal", "respondents"]
    if covered and all(s is not None for s in staff.values()):
        schemes.append("headcount")

    rows = []
    for scheme in schemes:
        for k, vid in enumerate(value_ids):
            part = strata[vid]
            if part.empty:
                rows.append(
                    {"wave": wave, "value": vid, "scheme": scheme, "score": np.nan, "ci_low": np.nan, "ci_high": np.nan}
                )
                continue
            reps = [scores.replicates[(wave, d)][:, k] for d in part["department"]]
            if scheme == "equal":
                weights = part["weight"].to_numpy(dtype=float)
            elif scheme == "respondents":
                weights = part["n"].to_numpy(dtype=float)
            else:
                weights = np.array([sum(staff[d] for d in members(row)) for _, row in part.iterrows()], dtype=float)
            score = float(np.average(part["score"].to_numpy(dtype=float), weights=weights))
            combined = stratified_mean(reps, weights)
            low, high = percentile_interval(combined, scores.confidence)
            rows.append({"wave": wave, "value": vid, "scheme": scheme, "score": score, "ci_low": low, "ci_high": high})

    table = pd.DataFrame(rows, columns=["wave", "value", "scheme", "score", "ci_low", "ci_high"])
    table["rank"] = table.groupby("scheme", sort=False)["score"].rank(method="min", ascending=False).astype("Int64")
    return table


def _rank_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """Return ranks as values x schemes (codebook order, headline scheme first)."""
    ranks = table.pivot(index="value", columns="scheme", values="rank")
    values = list(dict.fromkeys(table["value"]))
    schemes = list(dict.fromkeys(table["scheme"]))
    return ranks.reindex(index=values, columns=schemes)


def ranking_holds(table: pd.DataFrame) -> bool:
    """Tell whether the order of the values is the same under every weighting scheme.

    Parameters
    ----------
    table
        The result of :func:`score_sensitivity` (one or several waves).

    Returns
    -------
    bool
        True when, in every wave, each value has the same rank in every scheme. Values
        without a score (no published department) are ignored; a table with a single scheme
        trivially holds.

    Examples
    --------
    >>> t = pd.DataFrame({"wave": 2025, "value": ["a", "b", "a", "b"],
    ...                   "scheme": ["equal", "equal", "respondents", "respondents"],
    ...                   "rank": [1, 2, 2, 1]})
    >>> ranking_holds(t)
    False
    """
    for _, part in table.groupby("wave", sort=True):
        ranks = _rank_matrix(part).dropna(how="all")
        if (ranks.nunique(axis=1, dropna=False) > 1).any():
            return False
    return True


def ranking_summary(table: pd.DataFrame) -> dict:
    """Summarise which values change rank between the weighting schemes of one wave.

    Parameters
    ----------
    table
        The result of :func:`score_sensitivity` for a single wave.

    Returns
    -------
    dict
        ``holds`` (as :func:`ranking_holds`), ``schemes`` (in table order), ``changed`` (the
        values whose rank differs between schemes, codebook order) and ``ranks`` (value ->
        scheme -> rank, every value; None where a value has no score).

    Raises
    ------
    ParameterError
        When the table holds more than one wave.

    Examples
    --------
    >>> t = pd.DataFrame({"wave": 2025, "value": ["a", "b", "a", "b"],
    ...                   "scheme": ["equal", "equal", "respondents", "respondents"],
    ...                   "rank": [1, 2, 2, 1]})
    >>> ranking_summary(t)["changed"]
    ['a', 'b']
    """
    waves = sorted(set(table["wave"]))
    if len(waves) > 1:
        raise ParameterError(
            f"ranking_summary takes one wave; the table has {waves}. "
            "Filter it first, e.g. table[table['wave'] == 2025]."
        )
    ranks = _rank_matrix(table)
    scored = ranks.dropna(how="all")
    changed = [v for v in scored.index if scored.loc[v].nunique(dropna=False) > 1]
    return {
        "holds": not changed,
        "schemes": list(ranks.columns),
        "changed": changed,
        "ranks": {v: {s: (None if pd.isna(r) else int(r)) for s, r in ranks.loc[v].items()} for v in ranks.index},
    }
