"""Issue 12 (part 7): the paths that make 200,000 respondents fast give exactly the old results.

- ``Survey`` keeps the answers as a respondents x items matrix and unfolds the long frame only
  when asked; scoring the survey itself gives the same scores as scoring its long frame.
- ``answer_matrix`` finds each respondent's rows as runs; frames whose respondents are not
  together, or that miss a department or id, read as they always did.
- The bootstrap draws in chunks and blocks; the replicates do not depend on their size.
- The expanded interval's alpha' comes from scipy.special, as scipy.stats computes it.

(Timings are in ``benchmarks/bench_scale.py``, never in the tests.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import people_frame
from scipy import stats

from analysis import config
from analysis.stats import bootstrap
from analysis.stats.scoring import score_survey
from analysis.survey.answers import _answer_matrix_rows, answer_matrix, wave_matrix
from analysis.survey.loading import load_responses

ITEMS = ["food_1", "food_2", "wages_1"]


def _write(path, rows, sep=","):
    path.write_text("".join(sep.join(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def two_files(tmp_path):
    """Two waves in two files with different item columns; ids out of order, one id in both waves."""
    first = _write(
        tmp_path / "a.csv",
        [
            ["respondent_id", "department", "wave", "wages_1", "food_1"],
            ["z9", "SUF", "2024", "4", "Ved ikke"],
            ["a1", "BUF", "2024", "", "2"],
            ["m5", "BUF", "2024", "Ikke relevant", "5"],
        ],
    )
    second = _write(
        tmp_path / "b.csv",
        [
            ["respondent_id", "department", "wave", "food_2", "food_1", "wages_1"],
            ["a1", "SUF", "2025", "1", "3", "2"],
            ["b2", "ØKF", "2025", "", "", ""],
            ["c3", "BUF", "2025", "5", "Ved ikke", "3"],
        ],
    )
    return [first, second]


def test_the_long_frame_is_made_from_the_answers_on_first_use(two_files, tiny_codebook, tiny_departments):
    survey = load_responses(two_files, tiny_codebook, tiny_departments)
    assert "_responses" not in survey.__dict__
    frame = survey.responses
    assert survey.responses is frame  # made once
    assert frame["item"].tolist() == [*["food_1", "wages_1"] * 3, *["food_1", "food_2", "wages_1"] * 3]
    assert frame["respondent_id"].tolist()[:6] == ["a1", "a1", "m5", "m5", "z9", "z9"]
    assert frame["answer"].tolist()[:6] == [2, pd.NA, 5, 9, 8, 4]
    assert [str(t) for t in frame.dtypes] == ["int64", "str", "str", "str", "Int8"]
    assert survey.respondents["respondent_id"].tolist() == ["a1", "m5", "z9", "c3", "a1", "b2"]


def test_scoring_the_survey_is_scoring_its_long_frame(two_files, tiny_codebook, tiny_departments):
    survey = load_responses(two_files, tiny_codebook, tiny_departments)
    meta, matrix = answer_matrix(survey, tiny_codebook)
    frame_meta, frame_matrix = answer_matrix(survey.responses, tiny_codebook)
    pd.testing.assert_frame_equal(meta, frame_meta)
    assert matrix.dtype == frame_matrix.dtype and (matrix == frame_matrix).all()
    for wave in (2024, 2025):
        depts, m = wave_matrix(survey, tiny_codebook, wave)
        frame_depts, frame_m = wave_matrix(survey.responses, tiny_codebook, wave)
        assert depts.tolist() == frame_depts.tolist() and (m == frame_m).all()
    with pytest.raises(Exception, match=r"wave 2023 has no responses; the data have waves \[2024, 2025\]"):
        wave_matrix(survey, tiny_codebook, 2023)


def test_the_sample_scores_the_same_from_the_survey_and_from_its_long_frame():
    survey = load_responses(config.sample_files())
    direct = score_survey(survey, resamples=200)
    via_frame = score_survey(survey.responses, resamples=200)
    for name in ("department_value", "value", "department_focus_area", "dont_know", "item", "respondents"):
        pd.testing.assert_frame_equal(getattr(direct, name), getattr(via_frame, name))
    for key, reps in via_frame.replicates.items():
        assert np.array_equal(direct.replicates[key], reps, equal_nan=True)


def test_respondents_read_in_runs_or_row_by_row_give_one_matrix(tiny_codebook):
    frame = people_frame({"SUF": [[2, 8, 9], [1, 1, 1]], "BUF": [[1, pd.NA, 5]]}, ITEMS)
    shuffled = frame.sample(frac=1.0, random_state=3).reset_index(drop=True)  # a respondent's rows apart
    twice = pd.concat([frame, frame.iloc[[0]].assign(answer=pd.array([5], dtype="Int8"))], ignore_index=True)
    for f in (frame, shuffled, twice):
        codes = pd.Categorical(f["item"], categories=tiny_codebook.item_ids).codes
        meta, matrix = answer_matrix(f, tiny_codebook)
        row_meta, row_matrix = _answer_matrix_rows(f, tiny_codebook, codes)
        pd.testing.assert_frame_equal(meta, row_meta)
        assert (matrix == row_matrix).all()
    # The answer given twice for one respondent and item: the later one counts, as before.
    assert answer_matrix(twice, tiny_codebook)[1][1, 0] == 5


def test_a_frame_missing_a_department_reads_row_by_row_as_it_always_did(tiny_codebook, monkeypatch):
    frame = people_frame({"SUF": [[2, 8, 9]], "BUF": [[1, pd.NA, 5]]}, ITEMS)
    frame["department"] = frame["department"].astype(object)
    frame.loc[3:, "department"] = None
    calls = []
    monkeypatch.setattr(
        "analysis.survey.answers._answer_matrix_rows", lambda *args: calls.append(args) or _answer_matrix_rows(*args)
    )
    _meta, matrix = answer_matrix(frame, tiny_codebook)
    assert len(calls) == 1 and matrix.shape == (2, 3)


def test_bootstrap_replicates_do_not_depend_on_the_block_and_chunk_sizes(monkeypatch):
    x = np.arange(1.0, 301.0) % 7

    def statistic(w):
        return ((w @ x) / w.sum(axis=1), w[:, :3].sum(axis=1))

    reference = bootstrap.resample(300, statistic, 500, bootstrap.department_generator(2025, 2025, "BUF"))
    for block, chunk in ((300 * 64, 300), (300 * 100, 300 * 7), (2**25, 2**18)):
        monkeypatch.setattr(bootstrap, "BLOCK_CELLS", block)
        monkeypatch.setattr(bootstrap, "CHUNK_CELLS", chunk)
        again = bootstrap.resample(300, statistic, 500, bootstrap.department_generator(2025, 2025, "BUF"))
        for a, b in zip(reference, again):
            assert np.array_equal(a, b)


def test_bootstrap_draws_are_the_generators_stream_as_one_call_gives_it():
    # The weights of resample k count the draws rng.integers(0, n, size=(resamples, n)) would give.
    n, resamples = 37, 150
    draws = bootstrap.department_generator(7, 2025, "SUF").integers(0, n, size=(resamples, n), dtype=np.uint32)
    (weights,) = bootstrap.resample(n, lambda w: (w,), resamples, bootstrap.department_generator(7, 2025, "SUF"))
    expected = np.stack([np.bincount(d, minlength=n) for d in draws]).astype(np.float32)
    assert np.array_equal(weights, expected)


def test_expanded_alpha_is_scipy_stats_formula_to_the_last_bit():
    n = np.concatenate([np.arange(0, 2000), [5_000, 46_875, 200_000, np.nan]])
    for confidence in (0.95, 0.9, 0.99):
        df = np.where(n >= 2, n - 1, 1.0)
        t = stats.t.ppf(1 - (1 - confidence) / 2, df)
        expected = np.where(n >= 2, 2 * stats.norm.cdf(-np.sqrt(np.where(n >= 2, n, 2.0) / df) * t), np.nan)
        assert np.array_equal(bootstrap.expanded_alpha(n, confidence), expected, equal_nan=True)


def test_resampling_runs_products_on_one_blas_thread_and_restores_the_count():
    functions = bootstrap._openblas_thread_functions()
    if functions is None:
        pytest.skip("no OpenBLAS found in this process (not Linux, or numpy without OpenBLAS)")
    get, _ = functions
    before = get()
    seen = []
    bootstrap.resample(50, lambda w: (seen.append(get()) or w.sum(axis=1),), 200, np.random.default_rng(1))
    assert set(seen) == {1} and get() == before


def test_distributions_and_reliability_of_the_survey_are_those_of_its_long_frame():
    from analysis.stats.distributions import answer_distribution
    from analysis.stats.reliability import score_reliability

    survey = load_responses(config.sample_files())
    for wave in survey.quality.waves:
        pd.testing.assert_frame_equal(
            answer_distribution(survey, wave=wave), answer_distribution(survey.responses, wave=wave)
        )
        pd.testing.assert_frame_equal(
            score_reliability(survey, wave=wave), score_reliability(survey.responses, wave=wave)
        )
