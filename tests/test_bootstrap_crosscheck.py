"""Department intervals of score_survey against scipy.stats.bootstrap on the same statistic.

scoring.py resamples with multinomial count matrices and matrix products; scipy resamples
indices. Both are percentile bootstraps over the department's respondents, so with enough
resamples they must agree up to Monte-Carlo error.
"""

from __future__ import annotations

import textwrap
import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import SCALE_YAML

from analysis.stats.scoring import score_survey
from analysis.survey.codebook import load_codebook

SCALE = 'version: "crosscheck"\n' + SCALE_YAML

ONE_ITEM = SCALE + textwrap.dedent(
    """
    values:
      - id: v
        name_da: "V"
        name_en: "V"
        focus_areas:
          - id: f
            name_da: "F"
            name_en: "F"
            items:
              - {id: q, text_da: "q", text_en: "q"}
    """
)

TWO_FOCUS_AREAS = SCALE + textwrap.dedent(
    """
    values:
      - id: v
        name_da: "V"
        name_en: "V"
        focus_areas:
          - id: f1
            name_da: "F1"
            name_en: "F1"
            items:
              - {id: q1, text_da: "q1", text_en: "q1"}
          - id: f2
            name_da: "F2"
            name_en: "F2"
            items:
              - {id: q2, text_da: "q2", text_en: "q2", reverse: true}
    """
)

# Sixteen respondents spread over the whole scale (sd about 1.4), so that the interval is wide
# and a wrong confidence level would move its ends by more than the tolerance below.
ONE_ITEM_ANSWERS = [1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 5]

# (q1, q2) per respondent; q2 is reverse-worded; 8 = Ved ikke, 9 = Ikke relevant, None = blank.
TWO_ITEM_ANSWERS = [
    (1, 5),
    (2, 4),
    (2, None),
    (3, 3),
    (3, 8),
    (4, 2),
    (4, 1),
    (5, 1),
    (8, 2),
    (None, 3),
    (2, 5),
    (5, 9),
    (3, 2),
    (1, 4),
    (4, 1),
    (9, 3),
]

# Tolerance on the 1-5 scale. The Monte-Carlo standard error of a 2.5 % or 97.5 % percentile
# is sqrt(p(1-p)/B) / density at that point: with a bootstrap sd of about 0.35 (density about
# 0.17), 2,000 resamples give about 0.02 and scipy's 20,000 about 0.007. A mean of 16 answers
# also lives on a grid of 1/16 = 0.0625, so two runs can land on neighbouring grid points when
# the 2.5 % point sits at a step. 0.08 allows one step plus the slack (over 60 seeds the
# largest gap seen was 0.062) and still fails if the confidence level were wrong: a 90 %
# interval's lower end lies about 0.12 above the 95 % one on both fixtures.
TOLERANCE = 0.08


def _codebook(tmp_path, text):
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    return load_codebook(path)


def _long(answers: list[tuple], items: list[str]) -> pd.DataFrame:
    rows = [
        {"wave": 2025, "respondent_id": f"r{r:02d}", "department": "X", "item": item, "answer": a}
        for r, person in enumerate(answers)
        for item, a in zip(items, person)
    ]
    frame = pd.DataFrame(rows)
    frame["answer"] = frame["answer"].astype("Int8")
    return frame


def _expanded_level(n: int) -> float:
    """Return the confidence level of the expanded percentile interval (Hesterberg 2015), from scipy.

    Department intervals are percentile intervals taken at 1 - alpha', with
    alpha' = 2 * Phi(-sqrt(n / (n - 1)) * t(0.975, n - 1)) for a 95 % interval.
    """
    from scipy.stats import norm, t

    return 1 - 2 * norm.cdf(-np.sqrt(n / (n - 1)) * t.ppf(0.975, n - 1))


def _scipy_percentile_interval(data, statistic, confidence_level=0.95):
    """Run scipy's percentile bootstrap with a fixed generator, on scipy old or new."""
    from scipy.stats import bootstrap

    kwargs = dict(method="percentile", n_resamples=20_000, confidence_level=confidence_level, vectorized=True)
    try:
        result = bootstrap(data, statistic, rng=np.random.default_rng(20250), **kwargs)
    except TypeError:  # scipy < 1.15 calls the generator random_state
        result = bootstrap(data, statistic, random_state=np.random.default_rng(20250), **kwargs)
    return result.confidence_interval.low, result.confidence_interval.high


def _department_interval(scores) -> tuple[float, float, float]:
    row = scores.department_value.iloc[0]
    return row["score"], row["ci_low"], row["ci_high"]


def test_single_item_interval_matches_scipy(tmp_path):
    codebook = _codebook(tmp_path, ONE_ITEM)
    frame = _long([(a,) for a in ONE_ITEM_ANSWERS], ["q"])
    scores = score_survey(frame, codebook, min_n=5, seed=11, resamples=2000)
    score, low, high = _department_interval(scores)
    data = np.array(ONE_ITEM_ANSWERS, dtype=float)
    assert score == pytest.approx(data.mean())
    # One item, one focus area, complete answers: S(d,V) is the plain mean.
    scipy_low, scipy_high = _scipy_percentile_interval((data,), np.mean, _expanded_level(len(data)))
    assert low == pytest.approx(scipy_low, abs=TOLERANCE)
    assert high == pytest.approx(scipy_high, abs=TOLERANCE)


def _chain_statistic(matrix: np.ndarray):
    """Return a statistic of resampled row indices that recomputes the whole chain.

    ``matrix`` is respondents x (q1, q2) of scored answers with NaN for anything not 1-5.
    Item means skip NaN, each focus area is its single item's mean, and the value is the mean
    of the focus areas that have an answer in the resample.
    """

    def statistic(index, axis=-1):
        rows = matrix[np.moveaxis(np.asarray(index, dtype=np.intp), axis, -1)]  # ... x n x items
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an item without answers -> NaN
            item_means = np.nanmean(rows, axis=-2)
            return np.nanmean(item_means, axis=-1)

    return statistic


def test_chain_interval_with_missing_answers_matches_scipy(tmp_path):
    codebook = _codebook(tmp_path, TWO_FOCUS_AREAS)
    frame = _long(TWO_ITEM_ANSWERS, ["q1", "q2"])
    scores = score_survey(frame, codebook, min_n=5, seed=11, resamples=2000)
    score, low, high = _department_interval(scores)

    raw = np.array([[np.nan if a is None else a for a in person] for person in TWO_ITEM_ANSWERS], dtype=float)
    scored = np.where((raw >= 1) & (raw <= 5), raw, np.nan)
    scored[:, 1] = 6 - scored[:, 1]  # q2 is reverse-worded
    statistic = _chain_statistic(scored)
    everyone = np.arange(len(scored))
    assert score == pytest.approx(float(statistic(everyone)))
    # Resampling respondent indices keeps each respondent's two answers together, as the
    # department bootstrap does; the statistic is recomputed from the item means up.
    n = int((~np.isnan(scored)).any(axis=1).sum())  # respondents with a valid answer on the value
    scipy_low, scipy_high = _scipy_percentile_interval((everyone,), statistic, _expanded_level(n))
    assert low == pytest.approx(scipy_low, abs=TOLERANCE)
    assert high == pytest.approx(scipy_high, abs=TOLERANCE)
