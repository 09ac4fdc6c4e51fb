"""Maturity scores exactly as ``method.md`` defines them.

The chain, per survey wave and department ``d``:

1. item mean ``m(d,i)`` over the valid answers (levels 1-5; reverse items scored ``6 - x`` first),
2. focus-area score ``S(d,F)``: mean of its items' means (items without valid answers skipped),
3. value score ``S(d,V)``: mean of its focus areas' scores (focus areas weigh equally),
4. municipality score ``S(V)``: mean over *every* department with answers, each weighing the same;
   the departments under ``min_n`` enter through the merged group ``ØVRIGE``, which weighs as
   many departments as it holds (:func:`~analysis.stats.disclosure.merged_group`).

Department intervals are expanded percentile bootstraps over respondents within each department
(the whole chain 1-3 recomputed in every resample); the municipality interval is the stratified
bootstrap that follows from averaging the strata's replicates resample by resample. The chain is written as
matrix products of respondent weights, so that :func:`analysis.stats.bootstrap.resample` can run
a block of resamples as one product. The result is a :class:`~analysis.stats.scores.Scores`;
changes between waves are :mod:`analysis.stats.changes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import config
from ..exceptions import ParameterError
from ..survey.answers import answer_matrix, turn_reverse, valid_levels
from ..survey.codebook import Codebook, Departments, load_codebook, load_departments
from .bootstrap import (
    check_confidence,
    department_generator,
    expanded_interval,
    percentile_interval,
    resample,
    stratified_mean,
)
from .disclosure import check_min_n, hide_small_counts, is_suppressed, merged_group, municipal_strata, suppress_siblings
from .scores import Scores

if TYPE_CHECKING:
    from ..survey.loading import Survey

__all__ = ["level_of", "score_survey"]


def level_of(score):
    """Return the maturity level nearest to ``score``, halves rounding up (2.5 -> 3).

    Works on scalars and arrays; NaN stays NaN.

    Examples
    --------
    >>> [level_of(x) for x in (1.0, 2.49, 2.5, 3.5, 4.51, 5.0)]
    [1, 2, 3, 4, 5, 5]
    """
    arr = np.asarray(score, dtype=float)
    # Scores are means of means; rounding to 9 decimals first keeps an exact .5 from
    # drifting to .4999999 through floating-point error.
    lv = np.clip(np.floor(np.round(arr, 9) + 0.5), 1, 5)
    if lv.ndim == 0:
        return int(lv) if np.isfinite(lv) else np.nan
    return lv


def _indicator(index: np.ndarray, size: int) -> np.ndarray:
    """Return a 0/1 matrix mapping rows (e.g. items) to groups (e.g. focus areas)."""
    ind = np.zeros((index.size, size), dtype=np.float64)
    ind[np.arange(index.size), index] = 1.0
    return ind


def _mean_or_nan(total: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Return ``total / count``, NaN where nothing was counted."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.where(count > 0, count, 1), np.nan)


def _mean_of_present(x: np.ndarray, ind: np.ndarray) -> np.ndarray:
    """Average the columns of ``x`` within groups, skipping NaN (the 'skip empty' rule)."""
    present = ~np.isnan(x)
    return _mean_or_nan(np.where(present, x, 0.0) @ ind, present.astype(np.float64) @ ind)


def _chain(
    weights: np.ndarray, stacked: np.ndarray, n_items: int, item_fa: np.ndarray, fa_value: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Compute focus-area and value scores for each row of respondent ``weights``.

    ``stacked`` holds, side by side, the valid scores (0 where not valid) and the validity mask
    of one department's respondents; a weight row of ones gives the point estimate and a row of
    multinomial counts gives one bootstrap resample.
    """
    sums = weights @ stacked
    item_sum, item_cnt = sums[:, :n_items], sums[:, n_items:]
    item_mean = _mean_or_nan(item_sum, item_cnt)
    fa = _mean_of_present(item_mean, item_fa)
    value = _mean_of_present(fa, fa_value)
    return fa, value


@dataclass
class _Group:
    """One scored group (a department, or the merged group of one value): points, replicates, counts."""

    fa_point: np.ndarray
    value_point: np.ndarray
    fa_reps: np.ndarray
    value_reps: np.ndarray
    dk_reps: np.ndarray
    n_value: np.ndarray
    n_fa: np.ndarray
    dont_know: np.ndarray
    answers: np.ndarray
    answering: np.ndarray
    respondents: int


def _group_answers(matrix: np.ndarray, rows: np.ndarray, reverse: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return a group's validity mask, scored answers (reverse items turned, 0 where not valid) and codes.

    Made per group, so the whole survey is never held as floats.
    """
    codes = matrix[rows]
    valid = valid_levels(codes)
    scored = turn_reverse(codes, reverse).astype(np.float32)
    scored[~valid] = 0.0
    return valid, scored, codes


def _score_group(
    rows: np.ndarray,
    matrix: np.ndarray,
    reverse: np.ndarray,
    inds: tuple[np.ndarray, np.ndarray, np.ndarray],
    dont_know: int,
    resamples: int,
    rng: np.random.Generator,
) -> _Group:
    """Score one group of respondents: the chain 1-3, its bootstrap replicates and its counts."""
    item_fa_ind, fa_value_ind, item_value_ind = inds
    n_items, n_val = item_fa_ind.shape[0], fa_value_ind.shape[1]
    v, m, c = _group_answers(matrix, rows, reverse)
    is_dk = (c == dont_know).astype(np.float32)
    answered = (c != 0).astype(np.float32)
    stacked = np.hstack([m, v.astype(np.float32)])
    # Don't-know answers and all answers per value, per respondent: their ratio is the share.
    dk_stacked = np.hstack([is_dk @ item_value_ind, answered @ item_value_ind]).astype(np.float32)

    def statistic(w):
        fa, value = _chain(w, stacked, n_items, item_fa_ind, fa_value_ind)
        sums = w @ dk_stacked
        return fa, value, _mean_or_nan(sums[:, :n_val], sums[:, n_val:])

    ones = np.ones((1, len(rows)), dtype=np.float32)
    fa_point, value_point, _ = (a[0] for a in statistic(ones))
    fa_reps, value_reps, dk_reps = resample(len(rows), statistic, resamples, rng)
    return _Group(
        fa_point=fa_point,
        value_point=value_point,
        fa_reps=fa_reps,
        value_reps=value_reps,
        dk_reps=dk_reps,
        n_value=((v.astype(np.float64) @ item_value_ind) > 0).sum(axis=0),
        n_fa=((v.astype(np.float64) @ item_fa_ind) > 0).sum(axis=0),
        dont_know=is_dk.sum(axis=0) @ item_value_ind,
        answers=answered.sum(axis=0) @ item_value_ind,
        answering=((answered.astype(np.float64) @ item_value_ind) > 0).sum(axis=0),
        respondents=len(rows),
    )


def score_survey(
    responses: pd.DataFrame | Survey,
    codebook: Codebook | None = None,
    departments: Departments | None = None,
    *,
    min_n: int = config.DEFAULT_MIN_N,
    seed: int = config.DEFAULT_SEED,
    resamples: int = config.DEFAULT_RESAMPLES,
    confidence: float = config.CONFIDENCE,
) -> Scores:
    """Score every wave, department, focus area and value of a survey, with intervals.

    Parameters
    ----------
    responses
        The tidy long frame of :func:`analysis.survey.loading.load_responses` (columns ``wave``,
        ``respondent_id``, ``department``, ``item``, ``answer``), or the
        :class:`~analysis.survey.loading.Survey` it returns: the same scores, without unfolding
        its answers into the long frame and back (the answers as loaded: to score an edited
        ``survey.responses``, pass that frame).
    codebook
        The questionnaire; the bundled one by default.
    departments
        The department list; its order is the report order (tables follow it, and the merged
        group's complementary suppression breaks ties by it). The bundled one by default.
    min_n
        Minimum group size (at least 5): a department x value cell with fewer respondents is
        suppressed and pooled into the merged group ``ØVRIGE`` ("Øvrige forvaltninger").
    seed, resamples, confidence
        Bootstrap settings (method.md: fixed seed, 2,000 resamples, 95 %).

    Returns
    -------
    Scores
        Tables per department x value (with the merged group as department ``ØVRIGE`` and its
        ``members``), value (the full-coverage municipality), department x focus area,
        don't-know shares, items and respondent counts; counts under ``min_n`` are blank.
    """
    codebook = codebook or load_codebook()
    departments = departments or load_departments()
    min_n = check_min_n(min_n)
    if int(resamples) < 100:
        raise ParameterError(f"resamples must be at least 100 for a percentile interval, found {resamples!r}.")
    check_confidence(confidence)
    min_n, seed, resamples = int(min_n), int(seed), int(resamples)

    meta, matrix = answer_matrix(responses, codebook)
    item_fa, fa_value, reverse = codebook.structure()
    n_fa_all, n_val = len(fa_value), len(codebook.values)
    item_fa_ind = _indicator(item_fa, n_fa_all)
    fa_value_ind = _indicator(fa_value, n_val)
    item_value_ind = item_fa_ind @ fa_value_ind
    inds = (item_fa_ind, fa_value_ind, item_value_ind)
    value_ids, fa_ids, item_ids = codebook.value_ids, [fa.id for fa in codebook.focus_areas], codebook.item_ids
    dk, na = codebook.dont_know, codebook.not_applicable

    groups = meta.groupby(["wave", "department"], sort=True).indices
    report_order = departments.order(meta["department"].unique())
    by_wave: dict[int, dict[str, np.ndarray]] = {}
    for (wave, dept), rows in groups.items():
        by_wave.setdefault(int(wave), {})[str(dept)] = rows

    scored_groups: dict[tuple[int, str], _Group] = {}
    for wave, depts in by_wave.items():
        for dept, rows in depts.items():
            scored_groups[(wave, dept)] = _score_group(
                rows, matrix, reverse, inds, dk, resamples, department_generator(seed, wave, dept)
            )

    # The merged group, per wave and value: its members and the pooled group's scores.
    pools: dict[tuple[int, str], tuple[list[str], bool]] = {}
    pooled: dict[tuple[int, tuple[str, ...]], _Group] = {}
    for wave, depts in by_wave.items():
        present = [d for d in report_order if d in depts]
        for k, vid in enumerate(value_ids):
            n_by = {d: int(scored_groups[(wave, d)].n_value[k]) for d in present}
            members, publishable = merged_group(n_by, min_n)
            pools[(wave, vid)] = (members, publishable)
            key = (wave, tuple(members))
            if members and key not in pooled:
                rows = np.concatenate([depts[d] for d in members])
                label = f"{config.MERGED_GROUP}:{'+'.join(members)}"
                pooled[key] = _score_group(
                    rows, matrix, reverse, inds, dk, resamples, department_generator(seed, wave, label)
                )

    def hidden(wave: int, dept: str, k: int) -> bool:
        members, _ = pools[(wave, value_ids[k])]
        return dept in members or is_suppressed(scored_groups[(wave, dept)].n_value[k], min_n)

    dv_rows, fa_rows, dk_rows, item_rows, resp_rows = [], [], [], [], []
    replicates: dict[tuple[int, str], np.ndarray] = {}
    fa_replicates: dict[tuple[int, str], np.ndarray] = {}
    dk_replicates: dict[tuple[int, str], np.ndarray] = {}

    def add_group(wave: int, code: str, g: _Group, values: list[int], members: str, suppressed_value) -> None:
        # Groups get the expanded percentile interval (method.md), calibrated for small n.
        fa_low, fa_high = expanded_interval(g.fa_reps, g.n_fa, confidence)
        value_low, value_high = expanded_interval(g.value_reps, g.n_value, confidence)
        dk_low, dk_high = percentile_interval(g.dk_reps, confidence)
        for k in values:
            dv_rows.append(
                {
                    "wave": wave,
                    "department": code,
                    "value": value_ids[k],
                    "score": g.value_point[k],
                    "ci_low": value_low[k],
                    "ci_high": value_high[k],
                    "n": int(g.n_value[k]),
                    "suppressed": bool(suppressed_value[k]),
                    "members": members,
                }
            )
            share = g.dont_know[k] / g.answers[k] if g.answers[k] > 0 else np.nan
            dk_rows.append(
                {
                    "wave": wave,
                    "department": code,
                    "value": value_ids[k],
                    "dont_know": int(g.dont_know[k]),
                    "answers": int(g.answers[k]),
                    "n": int(g.answering[k]),
                    "dont_know_share": share,
                    "ci_low": dk_low[k],
                    "ci_high": dk_high[k],
                    # One group rule for scores and don't-know shares: shown only where the score is.
                    "suppressed": bool(suppressed_value[k]),
                    "members": members,
                }
            )
        for f, fid in enumerate(fa_ids):
            if fa_value[f] not in values:
                continue
            fa_rows.append(
                {
                    "wave": wave,
                    "department": code,
                    "value": value_ids[fa_value[f]],
                    "focus_area": fid,
                    "score": g.fa_point[f],
                    "ci_low": fa_low[f],
                    "ci_high": fa_high[f],
                    "n": int(g.n_fa[f]),
                    # A focus area of a suppressed value is suppressed too: its scores would give
                    # the value's score away.
                    "suppressed": bool(is_suppressed(g.n_fa[f], min_n) or suppressed_value[fa_value[f]]),
                    "members": members,
                }
            )

    all_values = list(range(n_val))
    for (wave, dept), g in scored_groups.items():
        suppressed_value = np.array([hidden(wave, dept, k) for k in all_values], dtype=bool)
        add_group(wave, dept, g, all_values, "", suppressed_value)
        replicates[(wave, dept)] = g.value_reps
        fa_replicates[(wave, dept)] = g.fa_reps
        dk_replicates[(wave, dept)] = g.dk_reps
        resp_rows.append({"wave": wave, "department": dept, "respondents": g.respondents})
        rows = by_wave[wave][dept]
        v, m, codes = _group_answers(matrix, rows, reverse)
        n_valid_item = v.sum(axis=0)
        item_mean = _mean_or_nan(m.sum(axis=0), n_valid_item)
        for k, iid in enumerate(item_ids):
            item_rows.append(
                {
                    "wave": wave,
                    "department": dept,
                    "value": value_ids[fa_value[item_fa[k]]],
                    "focus_area": fa_ids[item_fa[k]],
                    "item": iid,
                    "mean": item_mean[k],
                    "n_valid": int(n_valid_item[k]),
                    "dont_know": int((codes[:, k] == dk).sum()),
                    "not_applicable": int((codes[:, k] == na).sum()),
                    "blank": int((codes[:, k] == 0).sum()),
                    "suppressed": bool(is_suppressed(n_valid_item[k], min_n) or suppressed_value[fa_value[item_fa[k]]]),
                }
            )

    # The merged group's rows: for each value, the pool of that value (pools may differ by value).
    for wave in by_wave:
        value_reps = np.full((resamples, n_val), np.nan)
        fa_reps = np.full((resamples, n_fa_all), np.nan)
        dk_reps = np.full((resamples, n_val), np.nan)
        for k, vid in enumerate(value_ids):
            members, publishable = pools[(wave, vid)]
            if not members:
                continue
            g = pooled[(wave, tuple(members))]
            suppressed_value = np.full(n_val, not publishable)
            add_group(wave, config.MERGED_GROUP, g, [k], "+".join(members), suppressed_value)
            value_reps[:, k] = g.value_reps[:, k]
            dk_reps[:, k] = g.dk_reps[:, k]
            fa_cols = fa_value == k
            fa_reps[:, fa_cols] = g.fa_reps[:, fa_cols]
        if any(pools[(wave, vid)][0] for vid in value_ids):
            replicates[(wave, config.MERGED_GROUP)] = value_reps
            fa_replicates[(wave, config.MERGED_GROUP)] = fa_reps
            dk_replicates[(wave, config.MERGED_GROUP)] = dk_reps

    dv = _finish_cells(pd.DataFrame(dv_rows))
    fa = _finish_cells(suppress_siblings(pd.DataFrame(fa_rows), "value"))
    items = suppress_siblings(pd.DataFrame(item_rows), "focus_area")
    items.loc[items["suppressed"], "mean"] = np.nan
    dkt = pd.DataFrame(dk_rows)
    dkt.loc[dkt["suppressed"], ["dont_know", "answers", "dont_know_share", "ci_low", "ci_high"]] = np.nan
    dkt["flagged"] = dkt["dont_know_share"] > config.DONT_KNOW_FLAG
    # "Over 30 %" in text only when the whole interval lies above the threshold.
    dkt["flag_clear"] = dkt["flagged"] & (dkt["ci_low"] > config.DONT_KNOW_FLAG)

    value, municipal_replicates = _municipality(dv, replicates, value_ids, confidence, resamples)
    order = {code: k for k, code in enumerate(departments.order(dv["department"]))}
    # Counts under min_n are never published as numbers (method.md), and a hidden cell publishes
    # no count at all: with the merged group's n beside it, a pulled-in member's n would give a
    # small member's n away by subtraction.
    for table, counts in (
        (dv, ["n"]),
        (fa, ["n"]),
        (dkt, ["n", "dont_know", "answers"]),
        (items, ["n_valid", "dont_know", "not_applicable", "blank"]),
    ):
        hide_small_counts(table, counts, min_n, hidden=table["suppressed"])
    respondents = pd.DataFrame(resp_rows)
    members_of = {w: {d for (w2, _), (m, _) in pools.items() if w2 == w for d in m} for w in by_wave}
    in_group = [d in members_of[w] for w, d in zip(respondents["wave"], respondents["department"])]
    hide_small_counts(respondents, "respondents", min_n, hidden=in_group)
    return Scores(
        department_value=_in_order(dv, order),
        value=value,
        department_focus_area=_in_order(fa, order),
        dont_know=_in_order(dkt, order),
        item=_in_order(items, order),
        respondents=_in_order(respondents, order),
        min_n=min_n,
        seed=seed,
        resamples=resamples,
        confidence=confidence,
        codebook_version=codebook.version,
        replicates=replicates,
        focus_area_replicates=fa_replicates,
        codebook=codebook,
        departments=departments,
        municipal_replicates=municipal_replicates,
        dont_know_replicates=dk_replicates,
        pulled_in={
            key: tuple(
                d
                for d in members
                if not is_suppressed(scored_groups[(key[0], d)].n_value[value_ids.index(key[1])], min_n)
            )
            for key, (members, _) in pools.items()
            if members
        },
    )


def _in_order(frame: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    """Sort a table by wave and department order (code -> position), keeping the codebook order within."""
    key = frame["department"].map(order)
    return (
        frame.assign(_key=key).sort_values(["wave", "_key"], kind="stable").drop(columns="_key").reset_index(drop=True)
    )


def _finish_cells(cells: pd.DataFrame) -> pd.DataFrame:
    """Add levels and blank out every number of a suppressed cell."""
    cells["level"] = pd.array(level_of(cells["score"].to_numpy()), dtype="Int64")
    cells.loc[cells["suppressed"], ["score", "ci_low", "ci_high"]] = np.nan
    cells.loc[cells["suppressed"], "level"] = pd.NA
    # A level is uncertain when its interval reaches into a neighbouring level.
    low, high = level_of(cells["ci_low"].to_numpy()), level_of(cells["ci_high"].to_numpy())
    cells["level_uncertain"] = (low != high) & ~cells["suppressed"].to_numpy()
    return cells


def _municipality(
    dv: pd.DataFrame, replicates: dict, value_ids: list[str], confidence: float, resamples: int
) -> tuple[pd.DataFrame, dict[int, np.ndarray]]:
    """Average every department with answers per value (full coverage), with the stratified interval.

    A published department enters with its own score; the departments of the merged group enter
    through the group's score, which so weighs as many departments as it holds (method.md step 4,
    :func:`~analysis.stats.disclosure.municipal_strata`). When the merged group cannot be
    published, neither can the municipality of that value.
    """
    rows = []
    municipal: dict[int, np.ndarray] = {}
    for wave, cells in dv.groupby("wave", sort=True):
        wave = int(wave)
        municipal[wave] = np.full((resamples, len(value_ids)), np.nan)
        for k, vid in enumerate(value_ids):
            strata = municipal_strata(cells[cells["value"] == vid])
            row = {
                "wave": wave,
                "value": vid,
                "score": np.nan,
                "ci_low": np.nan,
                "ci_high": np.nan,
                "n_departments": int(strata["weight"].sum()) if not strata.empty else 0,
                "n_respondents": int(strata["n"].sum()) if not strata.empty else 0,
            }
            if not strata.empty:
                weights = strata["weight"].to_numpy(dtype=float)
                # Stratified bootstrap: resample b of the municipality is the weighted mean of
                # resample b of every stratum (each department; the merged group as one).
                reps = stratified_mean([replicates[(wave, d)][:, k] for d in strata["department"]], weights)
                low, high = percentile_interval(reps, confidence)
                municipal[wave][:, k] = reps
                score = float(np.average(strata["score"].to_numpy(dtype=float), weights=weights))
                row.update(score=score, ci_low=float(low), ci_high=float(high))
            rows.append(row)
    out = pd.DataFrame(rows)
    out["level"] = pd.array(level_of(out["score"].to_numpy()), dtype="Int64")
    low, high = level_of(out["ci_low"].to_numpy()), level_of(out["ci_high"].to_numpy())
    out["level_uncertain"] = (low != high) & out["score"].notna().to_numpy()
    return out, municipal
