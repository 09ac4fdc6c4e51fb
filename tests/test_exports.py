"""The exports survey tools really write, read back as our plain survey (issue 9).

The ground truth is ``tests/fixtures/exports/plain.csv`` (17 respondents, 3 departments, 6 items
from two values): every fixture beside it is the same survey as one tool lays it out, written by
the writers in ``tests/exports.py`` (each writer's docstring names the real export it was checked
against). The expected scores are worked out by hand in ``tests/fixtures/exports/README.md``,
never copied from the scorer. The whole-sample round trips push ``data/sample/responses_2025.csv``
through every writer and require the same score tables as the plain file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from exports import (
    FIXTURE_PARTIAL,
    FIXTURES,
    Written,
    read_plain,
    write_fixtures,
    write_forms,
    write_google,
    write_limesurvey,
    write_qualtrics,
    write_spss,
    write_surveyxact,
)

from analysis.api import score
from analysis.exceptions import SurveyDataError
from analysis.survey.loading import load_responses

PLAIN = FIXTURES / "plain.csv"
SAMPLE = Path(__file__).parents[1] / "data" / "sample" / "responses_2025.csv"
WAVE = 2025

#: Hand-worked department x value scores of plain.csv (README.md): (score, n), all published.
EXPECTED = {
    ("ØKF", "organisation"): (4.291667, 6),
    ("ØKF", "climate"): (4.0625, 5),
    ("BUF", "organisation"): (3.5875, 5),
    ("BUF", "climate"): (3.0, 5),
    ("SUF", "organisation"): (2.2, 5),
    ("SUF", "climate"): (1.8, 6),
}
#: The same with the partial response (plain id 17, ØKF, organisation items only) left out.
EXPECTED_COMPLETE = EXPECTED | {("ØKF", "organisation"): (4.35, 5)}
RESPONDENTS = {"ØKF": 6, "BUF": 5, "SUF": 6}

#: fixture name -> (the path given to the loader, the source it imitates, extra loader arguments).
CASES = {
    "surveyxact_ansi": ("surveyxact/ansi/dataset.csv", "surveyxact", {}),
    "surveyxact_folder": ("surveyxact/utf16", "surveyxact", {}),
    "surveyxact_utf16": ("surveyxact/utf16/dataset.csv", "surveyxact", {}),
    "surveyxact_xlsx": ("surveyxact/surveyxact.xlsx", "surveyxact", {}),
    "surveyxact_zip": ("surveyxact/surveyxact.zip", "surveyxact", {}),
    "qualtrics_numeric": (
        "qualtrics/numeric.csv",
        "qualtrics",
        {"mapping": FIXTURES / "qualtrics" / "numeric_mapping.yaml"},
    ),
    "qualtrics_text": ("qualtrics/text.csv", "qualtrics", {}),
    "forms": ("forms/forms.xlsx", "forms", {}),
    "forms_da": ("forms/forms_da.xlsx", "forms", {}),
    "limesurvey_code": ("limesurvey/codes.csv", "limesurvey", {"mapping": FIXTURES / "limesurvey" / "mapping.yaml"}),
    "limesurvey_full": ("limesurvey/full.csv", "limesurvey", {}),
    "spss": ("spss/survey.sav", "spss", {}),
}
#: The fixtures whose tool records unfinished responses.
WITH_PARTIALS = ["surveyxact_ansi", "surveyxact_xlsx", "qualtrics_numeric", "qualtrics_text", "limesurvey_code"]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """Write every fixture afresh from plain.csv; return the folder and what each writer wrote."""
    folder = tmp_path_factory.mktemp("exports")
    shutil.copy(PLAIN, folder / "plain.csv")
    return folder, write_fixtures(folder)


@pytest.fixture(scope="module")
def ids(regenerated):
    """Return fixture name -> {plain respondent_id: the tool's respondent id}."""
    written = regenerated[1]
    out = {name: written[name].ids for name in written}
    out["surveyxact_folder"] = out["surveyxact_utf16"]
    return out


def _load(name, **kwargs):
    relative, _, extra = (CASES | {"google": ("google/google.csv", "google", {})})[name]
    return load_responses(FIXTURES / relative, wave=WAVE, **(extra | kwargs))


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[["wave", "respondent_id", "department", "item", "answer"]].copy()
    for column in ("respondent_id", "department", "item"):
        frame[column] = frame[column].astype(str).astype(object)
    frame["wave"] = frame["wave"].astype("int64")
    frame["answer"] = frame["answer"].astype("Int8")
    return frame.sort_values(["respondent_id", "item"], kind="stable").reset_index(drop=True)


def _as_plain(frame: pd.DataFrame, tool_ids: dict[str, str]) -> pd.DataFrame:
    """Return the tool's tidy frame with its respondent ids turned back into plain ids."""
    back = {tool: plain for plain, tool in tool_ids.items()}
    unknown = sorted(set(frame["respondent_id"].astype(str)) - set(back))
    assert not unknown, f"respondents that are not in the plain file (previews? non-responders?): {unknown}"
    frame = frame.copy()
    frame["respondent_id"] = frame["respondent_id"].astype(str).map(back)
    return _canonical(frame)


def _plain_frame(drop=()) -> pd.DataFrame:
    frame = _canonical(load_responses(PLAIN).responses)
    return frame[~frame["respondent_id"].isin(drop)].reset_index(drop=True)


def _cells(scores) -> dict:
    dv = scores.department_value
    dv = dv[dv["value"].isin(["organisation", "climate"])]
    return {(r.department, r.value): (r.score, int(r.n), bool(r.suppressed)) for r in dv.itertuples()}


def _check_scores(survey, expected=EXPECTED):
    cells = _cells(score(survey, resamples=200))
    assert set(cells) == set(expected)
    for key, (value, n) in expected.items():
        got_score, got_n, suppressed = cells[key]
        assert (got_n, suppressed) == (n, False), key
        assert got_score == pytest.approx(value, abs=1e-6), key


# ------------------------------------------------------------------------------ the fixtures


def test_fixtures_are_what_the_writers_write(regenerated):
    """The committed fixtures are exactly the writers' output (regenerate: python tests/exports.py)."""
    folder, _ = regenerated
    fresh = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    hand_written = {Path("qualtrics/numeric_mapping.yaml")}  # the analyst's part: which recode is which department
    committed = sorted(
        p.relative_to(FIXTURES)
        for p in FIXTURES.rglob("*")
        if p.is_file() and p.suffix != ".md" and p.relative_to(FIXTURES) not in hand_written
    )
    assert fresh == committed
    for relative in fresh:
        assert (folder / relative).read_bytes() == (FIXTURES / relative).read_bytes(), relative


def test_plain_fixture_reads_as_itself():
    """The control for the comparisons below: plain.csv through the same helpers."""
    survey = load_responses(PLAIN)
    identity = {str(i): str(i) for i in range(1, 18)}
    pd.testing.assert_frame_equal(_as_plain(survey.responses, identity), _plain_frame())


def test_plain_fixture_scores_match_the_hand_worked_numbers():
    survey = load_responses(PLAIN)
    _check_scores(survey)
    counts = score(survey, resamples=200).respondents.set_index("department")["respondents"].to_dict()
    assert counts == RESPONDENTS


@pytest.mark.parametrize("name", list(CASES))
def test_fixture_reads_as_the_plain_survey(name, ids):
    """Same respondents (previews and non-responders gone), same departments, items and answers."""
    survey = _load(name)
    pd.testing.assert_frame_equal(_as_plain(survey.responses, ids[name]), _plain_frame())


@pytest.mark.parametrize("name", list(CASES))
def test_fixture_reads_the_same_with_its_source_named(name, ids):
    survey = _load(name, source=CASES[name][1])
    pd.testing.assert_frame_equal(_as_plain(survey.responses, ids[name]), _plain_frame())


@pytest.mark.parametrize("name", [*CASES, "google"])
def test_fixture_scores_match_the_hand_worked_numbers(name):
    _check_scores(_load(name))


def test_google_forms_has_every_respondent_once():
    """Google Forms has no respondent id: whatever the reader makes of it, 17 distinct people."""
    survey = load_responses(FIXTURES / "google" / "google.csv", wave=WAVE)
    per_department = survey.responses.groupby("department")["respondent_id"].nunique().to_dict()
    assert per_department == RESPONDENTS


# ------------------------------------------------------------------------------ behaviours


@pytest.mark.parametrize("name", ["qualtrics_numeric", "qualtrics_text"])
def test_qualtrics_previews_and_tests_are_never_counted(name, ids):
    survey = _load(name)
    assert set(survey.responses["respondent_id"].astype(str)) == set(ids[name].values())
    # Both previews answered 1 everywhere in BUF: counted, they would pull BUF down.
    _check_scores(survey)


def test_surveyxact_invited_non_responders_count_for_nothing(ids):
    survey = _load("surveyxact_ansi")
    assert "4711003" not in set(survey.responses["respondent_id"].astype(str))
    assert survey.responses["respondent_id"].nunique() == 17


@pytest.mark.parametrize("name", WITH_PARTIALS)
def test_partial_responses_are_kept_with_their_answers(name, ids):
    survey = _load(name)
    partial = ids[name][FIXTURE_PARTIAL[0]]
    answers = survey.responses[survey.responses["respondent_id"].astype(str) == partial]
    assert answers.set_index("item")["answer"].dropna().astype(int).to_dict() == {
        "org_data_1": 4,
        "org_data_2": 4,
        "org_compliance_2": 2,
    }


@pytest.mark.parametrize("name", WITH_PARTIALS)
def test_complete_only_drops_partial_responses(name, ids):
    survey = _load(name, complete_only=True)
    pd.testing.assert_frame_equal(_as_plain(survey.responses, ids[name]), _plain_frame(drop=FIXTURE_PARTIAL))
    _check_scores(survey, EXPECTED_COMPLETE)


def test_surveyxact_code_without_label_names_variable_and_code(tmp_path):
    folder = tmp_path / "sx"
    shutil.copytree(FIXTURES / "surveyxact" / "ansi", folder)
    dataset = folder / "dataset.csv"
    lines = dataset.read_bytes().decode("cp1252").split("\n")
    header = lines[0].split(";")
    cells = lines[1].split(";")
    cells[header.index("s_2_3")] = "9"  # the labels file knows 1-7 only
    lines[1] = ";".join(cells)
    dataset.write_bytes("\n".join(lines).encode("cp1252"))
    with pytest.raises(SurveyDataError) as caught:
        load_responses(dataset, wave=WAVE)
    assert any("s_2_3" in f"{p.column} {p.message}" and "9" in p.message for p in caught.value.problems), str(
        caught.value
    )


def test_near_miss_question_text_names_the_column_and_the_closest_item(tmp_path):
    plain = read_plain(PLAIN)
    typo = "Vi følger op på de effektiviseringsgevinser, indkøbet giver, og deler resultaterne i forvaltningen."
    path = write_forms(plain, tmp_path / "typo.xlsx", headers={"org_data_2": typo}).path
    with pytest.raises(SurveyDataError) as caught:
        load_responses(path, wave=WAVE)
    problems = caught.value.problems
    assert any(typo in f"{p.column} {p.message}" and "org_data_2" in p.message for p in problems), str(caught.value)


def test_two_columns_matching_one_item_is_an_error(tmp_path):
    plain = read_plain(PLAIN)
    # The clim_food_2 column headed by clim_food_1's id: two columns now claim clim_food_1.
    path = write_forms(plain, tmp_path / "twice.xlsx", headers={"clim_food_2": "clim_food_1"}).path
    with pytest.raises(SurveyDataError) as caught:
        load_responses(path, wave=WAVE)
    assert any("clim_food_1" in f"{p.column} {p.message}" for p in caught.value.problems), str(caught.value)


def test_department_column_found_by_its_values(tmp_path, ids):
    plain = read_plain(PLAIN)
    path = write_forms(plain, tmp_path / "dept.xlsx", department_header="Arbejdssted").path
    survey = load_responses(path, wave=WAVE)
    pd.testing.assert_frame_equal(_as_plain(survey.responses, ids["forms"]), _plain_frame())
    named = load_responses(path, wave=WAVE, department_column="Arbejdssted")
    pd.testing.assert_frame_equal(_as_plain(named.responses, ids["forms"]), _plain_frame())


def test_limesurvey_codes_need_the_mapping():
    with pytest.raises(SurveyDataError):
        load_responses(FIXTURES / "limesurvey" / "codes.csv", wave=WAVE)


def test_qualtrics_unlabelled_recode_is_refused_unless_mapped(tmp_path, ids):
    """A numeric export with Ved ikke recoded 6 carries no label: an error, or a mapping says it."""
    plain = read_plain(PLAIN)
    written = write_qualtrics(plain, tmp_path / "six.csv", dont_know=6, not_applicable=7, previews=1)
    with pytest.raises(SurveyDataError) as caught:
        load_responses(written.path, wave=WAVE)
    assert any("6" in p.message for p in caught.value.problems), str(caught.value)
    mapping = tmp_path / "mapping.yaml"
    codes = (FIXTURES / "qualtrics" / "numeric_mapping.yaml").read_text(encoding="utf-8")
    mapping.write_text(codes + '  "*": {"6": Ved ikke, "7": Ikke relevant}\n', encoding="utf-8")
    survey = load_responses(written.path, wave=WAVE, mapping=mapping)
    pd.testing.assert_frame_equal(_as_plain(survey.responses, written.ids), _plain_frame())


# ------------------------------------------------------------------------------ whole sample


def _score_tables(survey) -> dict[str, pd.DataFrame]:
    scores = score(survey, resamples=200)
    keep = {
        "department_value": ["wave", "department", "value", "score", "n", "suppressed"],
        "department_focus_area": ["wave", "department", "value", "focus_area", "score", "n", "suppressed"],
        "value": ["wave", "value", "score", "n_departments", "n_respondents"],
        "respondents": ["wave", "department", "respondents"],
    }
    return {name: getattr(scores, name)[columns].reset_index(drop=True) for name, columns in keep.items()}


@pytest.fixture(scope="module")
def sample_tables():
    return _score_tables(load_responses(SAMPLE))


def _write_sample(tool: str, folder: Path):
    frame = read_plain(SAMPLE)
    some = tuple(frame["respondent_id"].iloc[[4, 20, 41]])
    if tool == "surveyxact_ansi":
        return write_surveyxact(frame, folder, "ansi", nonresponders=6), {}
    if tool == "surveyxact_utf16":
        return write_surveyxact(frame, folder, "utf16", nonresponders=6), {}
    if tool == "surveyxact_xlsx":
        return write_surveyxact(frame, folder, "xlsx", nonresponders=6), {}
    if tool == "surveyxact_zip":
        return write_surveyxact(frame, folder, "zip", nonresponders=6), {}
    department_codes = {"mapping": FIXTURES / "qualtrics" / "numeric_mapping.yaml"}
    if tool == "qualtrics_numeric":
        return write_qualtrics(frame, folder / "q.csv", "numeric", previews=3, partial_ids=some), department_codes
    if tool == "qualtrics_text":
        return write_qualtrics(frame, folder / "q.csv", "text", previews=3, partial_ids=some, bom=True), {}
    if tool == "qualtrics_tsv":
        return write_qualtrics(frame, folder / "q.tsv", "numeric", previews=3, sep="\t"), department_codes
    if tool == "forms":
        return write_forms(frame, folder / "f.xlsx"), {}
    if tool == "forms_da":
        return write_forms(frame, folder / "f.xlsx", danish=True), {}
    if tool == "limesurvey_code":
        written = write_limesurvey(frame, folder / "l.csv", "code", "code", partial_ids=some)
        mapping = folder / "mapping.yaml"
        mapping.write_text(written.mapping, encoding="utf-8")
        return written, {"mapping": mapping}
    if tool == "limesurvey_full":
        return write_limesurvey(frame, folder / "l.csv", "full", "full", partial_ids=some), {}
    if tool == "google":
        return write_google(frame, folder / "g.csv"), {}
    if tool == "spss":
        return write_spss(frame, folder / "s.sav"), {}
    if tool == "plain":  # the control: our own format through the same comparison
        frame.to_csv(folder / "plain.csv", index=False)
        return Written(folder / "plain.csv"), {}
    raise ValueError(tool)


ROUND_TRIPS = [
    "plain",
    "surveyxact_ansi",
    "surveyxact_utf16",
    "surveyxact_xlsx",
    "surveyxact_zip",
    "qualtrics_numeric",
    "qualtrics_text",
    "qualtrics_tsv",
    "forms",
    "forms_da",
    "limesurvey_code",
    "limesurvey_full",
    "google",
    "spss",
]


@pytest.mark.parametrize("tool", ROUND_TRIPS)
def test_whole_sample_round_trip_scores_as_the_plain_file(tool, tmp_path, sample_tables):
    written, extra = _write_sample(tool, tmp_path)
    survey = load_responses(written.path, wave=WAVE, **extra)
    tables = _score_tables(survey)
    for name, expected in sample_tables.items():
        pd.testing.assert_frame_equal(tables[name], expected, check_dtype=False, obj=f"{tool}: {name}")
    if written.ids:
        assert set(survey.responses["respondent_id"].astype(str)) == set(written.ids.values())
