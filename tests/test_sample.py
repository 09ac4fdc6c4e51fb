"""Tests of the synthetic sample generator (``analysis/sample.py``) and the committed sample.

The findings the sample must reproduce are checked with plain pandas on the answers, not with the
scoring module, so a scoring bug cannot hide a generator bug or the other way round.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.config import SAMPLE_DIR
from analysis.survey.codebook import load_codebook, load_departments
from analysis.survey.sample import make_sample, write_sample

WAVES = (2023, 2024, 2025)
ALLOWED = {"1", "2", "3", "4", "5", "Ved ikke", "Ikke relevant", ""}
LOW_INNOVATION = ["ØKF", "SOF", "KFF", "BIF"]


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


@pytest.fixture(scope="module")
def departments():
    return load_departments()


@pytest.fixture(scope="module")
def frames(codebook, departments):
    return make_sample(codebook, departments, seed=2025)


@pytest.fixture(scope="module")
def valid(frames, codebook, departments):
    """Return the valid answers (1-5, reverse items turned back) in long form, all waves."""
    value_of = {it.id: it.value for it in codebook.items}
    reverse = {it.id for it in codebook.items if it.reverse}
    food = {it.id for it in codebook.items if "food" in it.tags}
    parts = []
    for frame in frames.values():
        long = frame.melt(id_vars=["respondent_id", "department", "wave"], var_name="item", value_name="answer")
        long = long[long["answer"].isin(["1", "2", "3", "4", "5"])].copy()
        long["x"] = long["answer"].astype(int)
        turned = long["item"].isin(reverse)
        long.loc[turned, "x"] = 6 - long.loc[turned, "x"]
        long["dept"] = long["department"].map(departments.resolve)
        long["value"] = long["item"].map(value_of)
        long["food"] = long["item"].isin(food)
        parts.append(long)
    return pd.concat(parts, ignore_index=True)


# -- reproducibility -----------------------------------------------------------------------
def test_same_seed_gives_identical_frames(codebook, departments):
    a = make_sample(codebook, departments, seed=11)
    b = make_sample(codebook, departments, seed=11)
    assert list(a) == list(b) == list(WAVES)
    for wave in WAVES:
        pd.testing.assert_frame_equal(a[wave], b[wave])


def test_different_seeds_differ(codebook, departments):
    a = make_sample(codebook, departments, seed=11)
    b = make_sample(codebook, departments, seed=12)
    for wave in WAVES:
        assert not a[wave].equals(b[wave])


def test_a_wave_does_not_depend_on_the_other_waves_requested(codebook, departments, frames):
    alone = make_sample(codebook, departments, seed=2025, waves=(2025,))
    assert list(alone) == [2025]
    pd.testing.assert_frame_equal(alone[2025], frames[2025])


def test_committed_sample_equals_a_fresh_run(frames):
    for wave in WAVES:
        path = SAMPLE_DIR / f"responses_{wave}.csv"
        assert path.exists(), f"{path} missing: run `briefing sample --out data/sample --seed 2025`"
        committed = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        pd.testing.assert_frame_equal(committed, frames[wave].astype(str), check_dtype=False)


def test_committed_files_are_byte_identical_to_write_sample(tmp_path):
    written = write_sample(tmp_path, seed=2025)
    assert [p.name for p in written] == [f"responses_{w}.csv" for w in WAVES] + ["README.md"]
    for path in written:
        assert path.read_bytes() == (SAMPLE_DIR / path.name).read_bytes(), (
            f"data/sample/{path.name} has drifted from the generator: "
            "run `briefing sample --out data/sample --seed 2025` and commit the result"
        )


def test_csv_files_are_utf8_comma_and_lf(tmp_path):
    for path in write_sample(tmp_path, seed=3)[:-1]:
        raw = path.read_bytes()
        assert b"\r" not in raw
        assert raw.endswith(b"\n")
        header = raw.decode("utf-8").splitlines()[0]
        assert header.startswith("respondent_id,department,wave,")


def test_readme_says_synthetic_and_how_it_was_made():
    text = (SAMPLE_DIR / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in text
    assert "briefing sample --out data/sample --seed 2025" in text
    assert "2025" in text and "latent" in text.lower()


# -- shape of the export -------------------------------------------------------------------
def test_columns_follow_the_codebook(frames, codebook):
    """Items in codebook order, then the barrier instrument (before 2025 only the legal statement,
    under the header it had as a maturity item), then the open question."""
    for wave, frame in frames.items():
        after = [*codebook.barrier_ids, *codebook.open_ids] if wave >= 2025 else ["inno_forms_3"]
        assert list(frame.columns) == ["respondent_id", "department", "wave", *codebook.item_ids, *after]
        assert (frame["wave"] == wave).all()


def test_the_legal_statement_moved_but_kept_its_answers(frames):
    """The old maturity item inno_forms_3 is read as the barrier statement bar_legal, same answers."""
    from analysis import load_survey

    survey = load_survey()
    legal = survey.barriers.item_ids.index("bar_legal")
    for wave, frame in frames.items():
        header = "inno_forms_3" if wave < 2025 else "bar_legal"
        rows = survey.respondents["wave"] == wave
        loaded = dict(zip(survey.respondents.loc[rows, "respondent_id"], survey.barriers.codes[rows.to_numpy(), legal]))
        written = dict(zip(frame["respondent_id"], frame[header]))
        codes = {"Ved ikke": 8, "Ikke relevant": 9, "": -1}
        assert {k: codes.get(v, int(v) if v.isdigit() else v) for k, v in written.items()} == loaded
    assert "inno_forms_3" not in survey.answers.item_ids


def test_respondent_ids_are_unique_and_well_formed(frames):
    for wave, frame in frames.items():
        ids = frame["respondent_id"]
        pattern = rf"R{wave % 100:02d}-\d{{3}}"
        assert ids.is_unique
        assert ids.map(lambda s, pattern=pattern: re.fullmatch(pattern, s) is not None).all()


def test_every_department_has_3_to_15_respondents_per_wave(frames, departments):
    for wave, frame in frames.items():
        codes = frame["department"].map(departments.resolve)
        assert codes.notna().all(), f"{wave}: unknown department names {set(frame['department'][codes.isna()])}"
        counts = codes.value_counts().reindex(departments.codes, fill_value=0)
        assert counts.between(3, 15).all(), counts.to_dict()
        # Some cells must fall below min_n = 5, others be comfortably above it.
        assert counts["BIF"] < 5
        assert (counts[["BUF", "SUF", "TMF"]] >= 11).all()


def test_full_danish_names_appear_in_exactly_one_wave(frames, departments):
    waves_with_names = [wave for wave, frame in frames.items() if not frame["department"].isin(departments.codes).all()]
    assert len(waves_with_names) == 1
    names = frames[waves_with_names[0]]["department"]
    named = set(names[~names.isin(departments.codes)])
    assert 1 <= len(named) <= 2
    assert all(n == departments[departments.resolve(n)].name_da for n in named)


def test_answers_are_only_the_allowed_strings(frames, codebook):
    for frame in frames.values():
        found = set(pd.unique(frame[codebook.item_ids].to_numpy().ravel()))
        assert found <= ALLOWED, found - ALLOWED


def test_sample_contains_dont_know_not_applicable_and_blanks(frames, codebook):
    answers = pd.concat([f[codebook.item_ids] for f in frames.values()]).to_numpy().ravel()
    shares = pd.Series(answers).value_counts(normalize=True)
    assert 0.03 <= shares["Ved ikke"] <= 0.12
    assert 0.02 <= shares["Ikke relevant"] <= 0.07
    assert 0.01 <= shares[""] <= 0.06


def test_dont_know_is_higher_on_innovation_in_low_maturity_departments(frames, codebook, departments):
    inno = [it.id for it in codebook.items if it.value == "innovation"]
    frame = pd.concat(frames.values(), ignore_index=True)
    dept = frame["department"].map(departments.resolve)
    dk = frame[inno].eq("Ved ikke")
    low = dk[dept.isin(LOW_INNOVATION)].to_numpy().mean()
    high = dk[dept.isin(["SUF", "TMF"])].to_numpy().mean()
    assert low >= 0.15
    assert low > 2 * high


def test_some_respondents_stop_early(frames, codebook):
    last = codebook.item_ids[-1]
    blank_tail = pd.concat([f[last] for f in frames.values()]).eq("")
    assert blank_tail.any()


# -- the findings of the documents ---------------------------------------------------------
@pytest.mark.parametrize("wave", WAVES)
def test_suf_and_tmf_lead_on_innovation(valid, wave):
    inno = valid[(valid["wave"] == wave) & (valid["value"] == "innovation")]
    means = inno.groupby("dept")["x"].mean()
    low = means.reindex(LOW_INNOVATION).dropna()
    assert len(low) >= 3
    assert means["SUF"] > low.max()
    assert means["TMF"] > low.max()


@pytest.mark.parametrize("wave", WAVES)
def test_innovation_is_the_least_mature_value(valid, wave):
    means = valid[valid["wave"] == wave].groupby("value")["x"].mean()
    assert len(means) == 5
    assert means.idxmin() == "innovation", means.round(2).to_dict()


@pytest.mark.parametrize("wave", WAVES)
def test_buf_is_stronger_on_food_than_on_innovation(valid, wave):
    buf = valid[(valid["wave"] == wave) & (valid["dept"] == "BUF")]
    assert buf.loc[buf["food"], "x"].mean() > buf.loc[buf["value"] == "innovation", "x"].mean()


def test_overall_mean_rises_from_2023_to_2025(valid):
    means = valid.groupby("wave")["x"].mean()
    assert means[2025] > means[2023]
