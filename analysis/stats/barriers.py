"""Barriers and enablers: the share who agree to a high degree, per department and for the municipality.

The barriers instrument asks how far each of a list of barriers (and enablers) holds in the
respondent's department, on its own agreement scale: 1 *Slet ikke* (not at all) ... 5 *I meget
høj grad* (to a very high degree), plus *Ved ikke* (don't know) and possibly *Ikke relevant*.
In: the respondents (``wave``, ``department``), their answers as a respondents x items code
matrix (:class:`analysis.survey.loading.Answers`, blank ``-1``) and each item's kind
(``barrier`` or ``enabler``). Out: a :class:`BarrierScores` (frames and replicates; no language).

The statistic, per wave x group x item:

- ``share_high``: the answers 4-5 as a share of the answers 1-5. *Ved ikke*, *Ikke relevant*
  and blanks are answers but not points on the scale, so they are kept apart exactly as the
  maturity scores keep them apart (:func:`analysis.survey.answers.valid_levels`);
- ``n``: the respondents with an answer 1-5 on the item (the n of the disclosure rules and of
  the interval).

Uncertainty (method.md, *Uncertainty*): respondents are resampled with replacement within their
department, all items of a department from the same resamples, from a generator seeded by the
run's seed, the wave and the department (:func:`~analysis.stats.bootstrap.department_generator`
with the stream :data:`STREAM`, so the draws are not those of the maturity scores and do not
depend on which other departments are in the data). A department's interval is the expanded
percentile interval at its item's n; the merged group's too, its pooled respondents resampled
together as one department.

Disclosure control (method.md, *Disclosure control*), by the rules of
:mod:`analysis.stats.disclosure`, per wave and item: the departments under ``min_n`` are pooled
into the merged group ``ØVRIGE`` (:func:`~analysis.stats.disclosure.merged_group`, with
complementary suppression); its row carries ``members``; the members' own rows are suppressed
(share and interval blank); a count under ``min_n``, and any count of a suppressed row, is blank.
An item is a statistic of its own (no item is the mean of others), so there is no sibling
suppression between items.

The municipality (``ALL``), per wave and item, covers every department with answers as the
maturity municipality does (method.md step 4, :func:`~analysis.stats.disclosure.municipal_strata`):

- **weighting**: the mean of the groups' shares, each published department weighing 1 and the
  merged group as many as it has members. Each department so counts the same, whatever its
  size, as in the maturity headline; the share is not that of all respondents pooled, which
  would let the largest department set the municipality's answer. When the merged group cannot
  be published, neither can the municipality's share of that item.
- **interval**: the stratified bootstrap's percentile interval. Resample b of the municipality
  is computed from resample b of every department; the merged group's share in it is the share
  of its members' resampled answers pooled. So its members are strata of their own here (the
  maturity municipality resamples the pooled group as one stratum): that way every item of a
  wave is computed from the very same resampled respondents, even where the merged group's
  members differ from item to item, and paired differences between items
  (:func:`rank_barriers`) are valid. Each department is surveyed on its own, so resampling
  within departments follows the design.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import config
from ..exceptions import ParameterError
from ..survey.answers import valid_levels
from ..survey.codebook import Departments, load_departments
from .bootstrap import (
    check_confidence,
    department_generator,
    expanded_interval,
    percentile_interval,
    resample,
    stratified_mean,
)
from .comparisons import holm, paired_difference
from .disclosure import check_min_n, hide_small_counts, is_suppressed, merged_group, municipal_strata

__all__ = [
    "BARRIER_TABLE_COLUMNS",
    "KINDS",
    "RANK_COLUMNS",
    "STREAM",
    "BarrierScores",
    "rank_barriers",
    "score_barriers",
]

#: The kinds a barriers item can be.
KINDS = ("barrier", "enabler")
#: The answers that count as agreeing to a high degree (4 *I høj grad*, 5 *I meget høj grad*).
HIGH = (4, 5)
#: Mixed into every generator's seed: the barrier bootstrap has draws of its own.
STREAM = "barriers"
#: The columns of :attr:`BarrierScores.table` (the table contract's ``BARRIER_COLUMNS``).
BARRIER_TABLE_COLUMNS = [
    "wave",
    "department",
    "barrier",
    "share_high",
    "ci_low",
    "ci_high",
    "n",
    "suppressed",
    "members",
]
#: The columns of :func:`rank_barriers`.
RANK_COLUMNS = [
    "wave",
    "barrier",
    "kind",
    "share_high",
    "ci_low",
    "ci_high",
    "rank",
    "diff_next",
    "p_next_adjusted",
    "clearly_above_next",
    "diff_top",
    "p_top_adjusted",
    "tied_with_top",
    "clearly_largest",
]


@dataclass
class BarrierScores:
    """The result of :func:`score_barriers`.

    Attributes
    ----------
    table : pandas.DataFrame
        Exactly :data:`BARRIER_TABLE_COLUMNS`, one row per wave x group x item: the departments
        in department-list order, then the merged group ``ØVRIGE`` (where an item has one), then
        the municipality ``ALL``; items in codebook order within each. Suppressed rows have
        blank ``share_high``, ``ci_low`` and ``ci_high``; ``n`` is blank under ``min_n`` and in
        suppressed rows.
    item_ids : tuple of str
        The items in codebook order (the columns of the replicates).
    kinds : dict
        Item id -> ``barrier`` or ``enabler``; empty when :func:`score_barriers` was given none.
    min_n, seed, resamples, confidence
        The settings the table was made with.
    replicates : dict
        (wave, department) -> resamples x items: the bootstrap replicates of ``share_high`` of
        every department (suppressed ones too: for derived statistics, never to be published)
        and of ``ØVRIGE`` (its pooled resamples; NaN for items without a merged group).
    municipal_replicates : dict
        wave -> resamples x items: the municipality's replicates, every item from the same
        resampled respondents (NaN where the municipality is suppressed).
    """

    table: pd.DataFrame
    item_ids: tuple[str, ...]
    kinds: dict[str, str]
    min_n: int
    seed: int
    resamples: int
    confidence: float
    replicates: dict[tuple[int, str], np.ndarray] = field(default_factory=dict, repr=False)
    municipal_replicates: dict[int, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def waves(self) -> list[int]:
        """Return the waves with barrier answers, oldest first."""
        return sorted(int(w) for w in self.table["wave"].unique())


@dataclass
class _Group:
    """One group's answers on every item: counts 4-5 and 1-5, and their bootstrap replicates."""

    high: np.ndarray
    valid: np.ndarray
    high_reps: np.ndarray
    valid_reps: np.ndarray

    @property
    def share(self) -> np.ndarray:
        return _ratio(self.high, self.valid)

    @property
    def share_reps(self) -> np.ndarray:
        return _ratio(self.high_reps, self.valid_reps)


def _ratio(high: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Return ``high / valid``, NaN where nothing was valid."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(valid > 0, high / np.where(valid > 0, valid, 1), np.nan)


def _score_group(codes: np.ndarray, resamples: int, rng: np.random.Generator) -> _Group:
    """Count one group's answers 4-5 and 1-5 per item, and resample its respondents.

    A weight row of ones gives the counts; a row of multinomial counts one resample. The sums
    are of whole numbers, exact in float32 for any survey this size.
    """
    valid = valid_levels(codes)
    high = valid & (codes >= HIGH[0])
    stacked = np.hstack([high, valid]).astype(np.float32)
    k = codes.shape[1]
    (sums,) = resample(len(codes), lambda w: (w @ stacked,), resamples, rng)
    sums = sums.astype(np.float64)
    counts = stacked.sum(axis=0, dtype=np.float64)
    return _Group(high=counts[:k], valid=counts[k:], high_reps=sums[:, :k], valid_reps=sums[:, k:])


def _item_kinds(items, item_ids: tuple[str, ...]) -> dict[str, str]:
    """Return item id -> kind from a mapping or from objects with ``id`` and ``kind``, checked against the answers."""
    if items is None:
        return {}
    pairs = items.items() if isinstance(items, Mapping) else ((item.id, item.kind) for item in items)
    kinds = {str(i): str(k) for i, k in pairs}
    wrong = {i: k for i, k in kinds.items() if k not in KINDS}
    if wrong:
        raise ParameterError(f"a barriers item's kind must be one of {', '.join(KINDS)}, found {wrong}.")
    if set(kinds) != set(item_ids):
        raise ParameterError(
            f"the items' kinds do not match the answers' items: no kind for {sorted(set(item_ids) - set(kinds))}, "
            f"no answers for {sorted(set(kinds) - set(item_ids))}."
        )
    return {i: kinds[i] for i in item_ids}


def score_barriers(
    respondents: pd.DataFrame,
    answers,
    departments: Departments | None = None,
    *,
    items: Iterable | Mapping[str, str] | None = None,
    min_n: int = config.DEFAULT_MIN_N,
    seed: int = config.DEFAULT_SEED,
    resamples: int = config.DEFAULT_RESAMPLES,
    confidence: float = config.CONFIDENCE,
) -> BarrierScores:
    """Return the share agreeing to a high degree (4-5) per wave x department x barriers item, with intervals.

    Parameters
    ----------
    respondents
        One row per respondent: ``wave``, ``department`` (and ``respondent_id``), as
        :attr:`analysis.survey.loading.Survey.respondents`.
    answers
        The barriers answers, rows aligned with ``respondents``: an object with ``codes`` (int
        respondents x items, ``-1`` for blank or absent), ``present`` (bool, same shape) and
        ``item_ids`` (codebook order), as :class:`analysis.survey.loading.Answers`. A wave where
        no respondent's file had a barriers column is left out.
    departments
        The department list; its order is the report order (and breaks the merged group's ties).
        The bundled one by default.
    items
        Each item's kind: the codebook's barriers items (objects with ``id`` and ``kind``), or a
        mapping item id -> ``barrier``/``enabler``. Without it the scores carry no kinds and
        :func:`rank_barriers` ranks all items together only (``kind=None``).
    min_n
        Minimum group size (at least 5).
    seed, resamples, confidence
        Bootstrap settings (method.md: fixed seed, 2,000 resamples, 95 %).

    Returns
    -------
    BarrierScores
        The table (``wave, department, barrier, share_high, ci_low, ci_high, n, suppressed,
        members``) with the settings, the kinds and the replicates.

    Examples
    --------
    >>> from analysis.survey.loading import Answers
    >>> people = pd.DataFrame({"wave": 2025, "department": ["BUF"] * 6, "respondent_id": list("abcdef")})
    >>> codes = np.array([[5, 1], [4, 2], [3, 8], [2, 8], [1, 9], [-1, 4]], dtype=np.int8)
    >>> answers = Answers(codes, codes != -1, ("b1", "e1"))
    >>> out = score_barriers(people, answers, items={"b1": "barrier", "e1": "enabler"}, resamples=200)
    >>> out.table[["department", "barrier", "share_high", "n"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['BUF', 'b1', 0.4, 5], ['BUF', 'e1', nan, <NA>], ['ØVRIGE', 'e1', nan, <NA>],
     ['ALL', 'b1', 0.4, 5], ['ALL', 'e1', nan, <NA>]]

    On ``b1`` two of the five answers 1-5 are 4-5 (the blank is left out); on ``e1`` only three
    answer 1-5 (*Ved ikke* and *Ikke relevant* left out), too few: BUF is pooled, and pooling it
    alone cannot make a group, so nothing of ``e1`` is published.
    """
    min_n = check_min_n(min_n)
    if int(resamples) < 100:
        raise ParameterError(f"resamples must be at least 100 for a percentile interval, found {resamples!r}.")
    check_confidence(confidence)
    seed, resamples = int(seed), int(resamples)
    departments = departments or load_departments()

    codes = np.asarray(answers.codes)
    present = np.asarray(answers.present, dtype=bool)
    item_ids = tuple(str(i) for i in answers.item_ids)
    if codes.shape != (len(respondents), len(item_ids)) or present.shape != codes.shape:
        raise ParameterError(
            f"the barriers answers must have one row per respondent and one column per item: "
            f"{len(respondents)} x {len(item_ids)}, found codes {codes.shape} and present {present.shape}."
        )
    kinds = _item_kinds(items, item_ids)

    meta = pd.DataFrame(
        {"wave": respondents["wave"].to_numpy(dtype=np.int64), "department": respondents["department"].astype(str)}
    )
    asked = present.any(axis=1)
    waves = sorted(int(w) for w in meta.loc[asked, "wave"].unique())
    groups = meta.groupby(["wave", "department"], sort=True).indices
    report_order = departments.order(meta["department"].unique())
    row_order = {code: k for k, code in enumerate([*report_order, config.MERGED_GROUP, config.MUNICIPALITY])}

    rows: list[dict] = []
    replicates: dict[tuple[int, str], np.ndarray] = {}
    municipal: dict[int, np.ndarray] = {}

    def add_row(wave: int, code: str, k: int, share, low, high, n, suppressed: bool, members: str) -> None:
        rows.append(
            {
                "wave": wave,
                "department": code,
                "barrier": item_ids[k],
                "share_high": float(share),
                "ci_low": float(low),
                "ci_high": float(high),
                "n": int(n),
                "suppressed": bool(suppressed),
                "members": members,
            }
        )

    everything = range(len(item_ids))
    for wave in waves:
        depts = [d for d in report_order if (wave, d) in groups]
        own = {
            d: _score_group(codes[groups[(wave, d)]], resamples, department_generator(seed, wave, d, stream=STREAM))
            for d in depts
        }
        # The merged group per item: its members (report order) and whether it may be published.
        pools = [merged_group({d: int(own[d].valid[k]) for d in depts}, min_n) for k in everything]
        for d in depts:
            g = own[d]
            share, (low, high) = g.share, expanded_interval(g.share_reps, g.valid, confidence)
            for k in everything:
                hidden = d in pools[k][0] or is_suppressed(g.valid[k], min_n)
                add_row(wave, d, k, share[k], low[k], high[k], g.valid[k], hidden, "")
            replicates[(wave, d)] = g.share_reps

        pooled: dict[tuple[str, ...], _Group] = {}
        merged_reps = np.full((resamples, len(item_ids)), np.nan)
        for k, (members, publishable) in enumerate(pools):
            if not members:
                continue
            key = tuple(members)
            if key not in pooled:
                label = f"{config.MERGED_GROUP}:{'+'.join(members)}"
                rows_of = np.concatenate([groups[(wave, d)] for d in members])
                pooled[key] = _score_group(
                    codes[rows_of], resamples, department_generator(seed, wave, label, stream=STREAM)
                )
            g = pooled[key]
            low, high = expanded_interval(g.share_reps[:, k], g.valid[k], confidence)
            members_text = "+".join(members)
            add_row(wave, config.MERGED_GROUP, k, g.share[k], low, high, g.valid[k], not publishable, members_text)
            merged_reps[:, k] = g.share_reps[:, k]
        if pooled:
            replicates[(wave, config.MERGED_GROUP)] = merged_reps

        municipal[wave] = np.full((resamples, len(item_ids)), np.nan)
        cells = pd.DataFrame([r for r in rows if r["wave"] == wave]).rename(columns={"share_high": "score"})
        for k, iid in enumerate(item_ids):
            strata = municipal_strata(cells[cells["barrier"] == iid])
            row = {"wave": wave, "department": config.MUNICIPALITY, "barrier": iid, "share_high": np.nan}
            row |= {"ci_low": np.nan, "ci_high": np.nan, "n": 0, "suppressed": True, "members": ""}
            if not strata.empty:
                weights = strata["weight"].to_numpy(dtype=float)
                reps = [_stratum_reps(own, code, pools[k][0], k) for code in strata["department"]]
                municipal[wave][:, k] = stratified_mean(reps, weights)
                low, high = percentile_interval(municipal[wave][:, k], confidence)
                share = float(np.average(strata["score"].to_numpy(dtype=float), weights=weights))
                row |= {"share_high": share, "ci_low": low, "ci_high": high}
                row |= {"n": int(strata["n"].sum()), "suppressed": False}
            rows.append(row)

    table = pd.DataFrame(rows, columns=BARRIER_TABLE_COLUMNS)
    # A statement no file of a wave asked (a wave before the instrument was complete) has no rows:
    # it was not asked, which is not the same as hidden.
    asked_items = {w: set(np.asarray(item_ids)[present[(meta["wave"] == w).to_numpy()].any(axis=0)]) for w in waves}
    table = table[[b in asked_items[w] for w, b in zip(table["wave"], table["barrier"])]].reset_index(drop=True)
    table = table.astype({"wave": np.int64, "suppressed": bool, "share_high": float, "ci_low": float, "ci_high": float})
    table["department"] = table["department"].astype(object)
    table["members"] = table["members"].astype(object)
    table.loc[table["suppressed"], ["share_high", "ci_low", "ci_high"]] = np.nan
    # Counts under min_n are never published; a suppressed row publishes none (beside the merged
    # group's n, a pulled-in member's n would give a small member's n away).
    hide_small_counts(table, "n", min_n, hidden=table["suppressed"])
    position = {iid: k for k, iid in enumerate(item_ids)}
    table = (
        table.assign(_group=table["department"].map(row_order), _item=table["barrier"].map(position))
        .sort_values(["wave", "_group", "_item"], kind="stable")
        .drop(columns=["_group", "_item"])
        .reset_index(drop=True)
    )
    return BarrierScores(
        table=table,
        item_ids=item_ids,
        kinds=kinds,
        min_n=min_n,
        seed=seed,
        resamples=resamples,
        confidence=float(confidence),
        replicates=replicates,
        municipal_replicates=municipal,
    )


def _stratum_reps(own: dict[str, _Group], code: str, members: list[str], k: int) -> np.ndarray:
    """Return one stratum's replicates of item ``k`` for the municipality, from the departments' own resamples.

    A department gives its own; the merged group the share of its members' resampled answers
    pooled, so that every item of the wave rests on the same resampled respondents.
    """
    if code != config.MERGED_GROUP:
        return own[code].share_reps[:, k]
    high = sum(own[d].high_reps[:, k] for d in members)
    valid = sum(own[d].valid_reps[:, k] for d in members)
    return _ratio(high, valid)


def score_survey_barriers(
    survey,
    codebook,
    departments,
    *,
    min_n: int = config.DEFAULT_MIN_N,
    seed: int = config.DEFAULT_SEED,
    resamples: int = config.DEFAULT_RESAMPLES,
    confidence: float = config.CONFIDENCE,
) -> BarrierScores | None:
    """Return :func:`score_barriers` of a loaded survey, or None when no file has the barrier instrument.

    ``survey`` is a :class:`~analysis.survey.loading.Survey` (its ``respondents`` and ``barriers``);
    ``codebook`` gives the statements' kinds.
    """
    if survey.barriers is None or codebook.barriers is None or not survey.barriers.present.any():
        return None
    return score_barriers(
        survey.respondents,
        survey.barriers,
        departments,
        items=codebook.barriers.items,
        min_n=min_n,
        seed=seed,
        resamples=resamples,
        confidence=confidence,
    )


def rank_barriers(barrier_scores: BarrierScores, wave: int, kind: str | None = "barrier") -> pd.DataFrame:
    """Return the municipality's ranking of the items of one kind, and which are clearly ahead.

    The items whose municipal share is published are ranked by ``share_high``, largest first
    (equal shares in codebook order). Paired bootstrap differences on the municipality's
    replicates (every item from the same resamples) make two families of comparisons, tested
    together as one family with **Holm**'s adjustment at level ``1 - confidence``:

    - the top item against every other item (``diff_top``, ``p_top_adjusted``);
    - each item from rank 2 on against the next one (``diff_next``, ``p_next_adjusted``; the
      top item's "next" is the rank-2 item, the same comparison as the top's against it).

    A comparison is *clear* when its adjusted p-value is under ``1 - confidence`` and the
    difference is positive.

    Parameters
    ----------
    barrier_scores
        The result of :func:`score_barriers`.
    wave
        The wave to rank.
    kind
        ``barrier`` (default) or ``enabler``; None ranks every item together.

    Returns
    -------
    pandas.DataFrame
        :data:`RANK_COLUMNS`, one row per ranked item, best first: ``rank`` (1, 2, ...);
        ``clearly_above_next`` (False for the last); ``tied_with_top``: True for the top item
        and every item not clearly below it, so the text can say "the largest barriers are X and
        Y (on level with each other)"; ``clearly_largest``: True only for the top item, and only
        when it is clearly above **every** other item (never with fewer than two items).

    Examples
    --------
    ``rank_barriers(scores, 2025)``: ``ranked.loc[ranked["tied_with_top"], "barrier"]`` are the
    largest barriers; ``ranked["clearly_largest"].any()`` says whether one stands out alone.
    """
    if wave not in barrier_scores.waves:
        raise ParameterError(f"wave {wave} has no barrier answers; the data have {barrier_scores.waves}.")
    ids = list(barrier_scores.item_ids)
    if kind is not None:
        if kind not in KINDS:
            raise ParameterError(f"kind must be one of {', '.join(KINDS)} or None, found {kind!r}.")
        if not barrier_scores.kinds:
            raise ParameterError(
                "the scores carry no item kinds: pass items= to score_barriers, or rank with kind=None."
            )
        ids = [i for i in ids if barrier_scores.kinds[i] == kind]
    t = barrier_scores.table
    muni = t[
        (t["wave"] == wave) & (t["department"] == config.MUNICIPALITY) & ~t["suppressed"] & t["share_high"].notna()
    ]
    muni = muni.set_index("barrier")
    ranked = sorted((i for i in ids if i in muni.index), key=lambda i: -float(muni.loc[i, "share_high"]))
    m = len(ranked)
    reps = barrier_scores.municipal_replicates[wave]
    column = {iid: k for k, iid in enumerate(barrier_scores.item_ids)}
    point = {i: float(muni.loc[i, "share_high"]) for i in ranked}

    # The family: the top against every other (j = 1..m-1), then each from rank 2 on against its next.
    pairs = [(0, j) for j in range(1, m)] + [(i, i + 1) for i in range(1, m - 1)]
    results = [
        paired_difference(
            reps[:, column[ranked[a]]],
            reps[:, column[ranked[b]]],
            point[ranked[a]],
            point[ranked[b]],
            barrier_scores.confidence,
        )
        for a, b in pairs
    ]
    adjusted = holm([r["p"] for r in results]) if results else np.array([])
    alpha = 1 - barrier_scores.confidence
    clear = {pair: bool(p < alpha and r["diff"] > 0) for pair, r, p in zip(pairs, results, adjusted)}
    found = {pair: (r["diff"], p) for pair, r, p in zip(pairs, results, adjusted)}

    out = []
    for i, iid in enumerate(ranked):
        nxt = (i, i + 1) if i + 1 < m else None
        top = (0, i) if i > 0 else None
        row = muni.loc[iid]
        out.append(
            {
                "wave": int(wave),
                "barrier": iid,
                "kind": barrier_scores.kinds.get(iid, ""),
                "share_high": point[iid],
                "ci_low": float(row["ci_low"]),
                "ci_high": float(row["ci_high"]),
                "rank": i + 1,
                "diff_next": found[nxt][0] if nxt else np.nan,
                "p_next_adjusted": found[nxt][1] if nxt else np.nan,
                "clearly_above_next": clear[nxt] if nxt else False,
                "diff_top": found[top][0] if top else np.nan,
                "p_top_adjusted": found[top][1] if top else np.nan,
                "tied_with_top": not clear[top] if top else True,
                "clearly_largest": i == 0 and m >= 2 and all(clear[(0, j)] for j in range(1, m)),
            }
        )
    return pd.DataFrame(out, columns=RANK_COLUMNS)
