"""The case register: the bundled file's facts, the loader's messages, and the frames made from it.

Expected numbers are worked out by hand from the small registers and score frames written here
(and, for the bundled register, from the orientering in the shared source documents).
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import cli, config
from analysis.exceptions import BriefingError, CasesError, ParameterError
from analysis.stats.cases import case_counts, fact_and_perception, new_cases, opp_opi_per_year, register_frame
from analysis.survey.cases import load_cases, load_register
from analysis.survey.codebook import load_codebook

KINDS_YAML = """\
kinds:
  - {id: tender, name_da: Innovativt udbud, name_en: Innovative tender}
  - {id: opi, name_da: OPI, name_en: OPI}
  - {id: opp, name_da: OPP, name_en: OPP}
"""

#: Two waves: a, b, e registered in 2024; e withdrawn in 2025; c, d, f registered in 2025.
TWO_WAVES_YAML = (
    KINDS_YAML
    + """\
cases:
  - {id: a, department: SUF, kind: opi, title_da: A, title_en: A, start_year: 2021,
     status: {2024: running, 2025: in_operation}, source: s, registered: 2024}
  - {id: b, department: TMF, kind: opp, title_da: B, title_en: B, start_year: 2024, status: idea,
     partners: [HOFOR, Aarhus Kommune], source: s, registered: 2024}
  - {id: c, department: TMF, kind: opi, title_da: C, title_en: C, start_year: 2023, status: running,
     source: s, registered: 2025}
  - {id: d, department: BUF, kind: tender, title_da: D, title_en: D, status: running, source: s, registered: 2025}
  - {id: e, department: KFF, kind: tender, title_da: E, title_en: E, status: ended, source: s, registered: 2024,
     withdrawn: 2025}
  - {id: f, department: ØKF, kind: opp, title_da: F, title_en: F, status: idea, value_kr: 2500000.5,
     source: s, registered: 2025}
"""
)


def write(tmp_path, text, name="cases.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def two_waves(tmp_path):
    return load_register(write(tmp_path, TWO_WAVES_YAML))


# -- the bundled register -------------------------------------------------------------------
def test_bundled_register_holds_the_five_cases_of_the_orientering_as_stated():
    register = load_register()
    assert [k.id for k in register.kinds] == ["tender", "unit", "opi", "opp", "partnership"]
    cases = {c.id: c for c in register.cases}
    assert len(cases) == 5
    assert {c.registered for c in cases.values()} == {2025} and register.cases_in(2024) == []
    by_department = pd.Series([c.department for c in cases.values()]).value_counts().to_dict()
    assert by_department == {"TMF": 3, "BUF": 1, "SUF": 1}

    lamps = cases["suf_circadian_lamps"]
    assert (lamps.department, lamps.kind.id, lamps.municipalities, lamps.value_kr) == ("SUF", "opi", 8, 150_000_000)
    assert "Aarhus Kommune" in lamps.partners and lamps.start_year is None  # the document gives no year
    heating = cases["tmf_csl_flexible_heating"]
    assert heating.partners == ("HOFOR",) and heating.start_year == 2019 and heating.status_in(2025) == "running"
    potatoes = cases["buf_eat_potatoes"]
    assert potatoes.kind.id == "tender" and potatoes.partners == () and potatoes.value_kr is None
    # Nothing the documents do not state: only the lamps have a value or a count of municipalities.
    assert [c.id for c in cases.values() if c.value_kr is not None or c.municipalities is not None] == [
        "suf_circadian_lamps"
    ]
    assert all("Erfaringsopsamling" in c.source for c in cases.values())


def test_load_cases_gives_the_latest_wave_in_file_order_for_the_briefing():
    assert [c.department for c in load_cases()] == ["BUF", "TMF", "TMF", "TMF", "SUF"]


# -- the loader's messages --------------------------------------------------------------------
MALFORMED_YAML = (
    KINDS_YAML
    + """\
cases:
  - id: no_department
    kind: tender
    title_da: X
    title_en: X
    status: running
    source: s
    registered: 2025
  - id: pilot_case
    department: TMF
    kind: pilot
    title_da: Y
    title_en: Y
    status: running
    source: s
    registered: 2025
  - id: planned_case
    department: BUF
    kind: opi
    title_da: Z
    title_en: Z
    status: planned
    source: s
    registered: 2025
  - id: pilot_case
    department: SUF
    kind: opp
    title_da: W
    title_en: W
    status: idea
    source: s
    registered: 2025
"""
)


def test_malformed_register_lists_every_problem_naming_line_entry_field_and_fix(tmp_path):
    path = write(tmp_path, MALFORMED_YAML)
    with pytest.raises(CasesError) as info:
        load_register(path)
    error = info.value
    assert isinstance(error, BriefingError) and len(error.problems) == 4
    message = str(error)
    assert message.startswith(f"4 problems in the case register {path}:")
    missing, kind, status, duplicate = error.problems
    assert missing.startswith(f"{path}:6: cases[0] (id 'no_department'): 'department' is missing.")
    assert "ØKF, BUF, SUF, SOF, TMF, KFF, BIF" in missing
    assert kind == (
        f"{path}:15: cases[1] (id 'pilot_case'): 'kind' is 'pilot'; expected one of the ids under 'kinds' "
        "(tender, opi, opp). Use one of them, or add 'pilot' under 'kinds' with name_da and name_en."
    )
    assert status.startswith(f"{path}:26: cases[2] (id 'planned_case'): 'status' is 'planned'; expected one of")
    assert "idea, running, ended, in_operation" in status
    assert duplicate.startswith(f"{path}:29: cases[3] (id 'pilot_case'): id 'pilot_case' is also used by cases[1]")


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("department: Teknik- og Miljøforvaltningen", "Write its code: department: TMF."),
        ("department: XYZ", "'department' is 'XYZ'; expected a department code"),
        ("start_year: 219", "'start_year' is 219; expected a year from 1950"),
        ("start_year: '2019'", "'start_year' is '2019'; expected a year"),
        ("registered: 25", "'registered' is 25; expected a survey year from 2000"),
        ("value_kr: 150 mio", "'value_kr' is '150 mio'; expected a number of kroner"),
        ("municipalities: 0", "'municipalities' is 0; expected the number of participating municipalities"),
        ("partners: HOFOR", "'partners' should be a list of names"),
        ("status: {2026: running}", "'status' starts in 2026, after the case was registered (2025)"),
        ("withdrawn: 2025", "'withdrawn' is 2025, not after 'registered' (2025)"),
        ("valu_kr: 3", "unknown field 'valu_kr'"),
    ],
)
def test_each_bad_field_is_named_with_what_was_expected(tmp_path, entry, expected):
    fields = {
        "id": "x",
        "department": "TMF",
        "kind": "opp",
        "title_da": "X",
        "title_en": "X",
        "status": "running",
        "source": "s",
        "registered": "2025",
    }
    key = entry.split(":")[0]
    lines = [f"    {k}: {v}" for k, v in fields.items() if k != key] + [f"    {entry}"]
    path = write(tmp_path, KINDS_YAML + "cases:\n  -\n" + "\n".join(lines) + "\n")
    with pytest.raises(CasesError) as info:
        load_register(path)
    assert len(info.value.problems) == 1 and "cases[0] (id 'x')" in str(info.value)
    assert expected in str(info.value)


def test_missing_file_bad_yaml_and_empty_file(tmp_path):
    with pytest.raises(CasesError, match="file not found"):
        load_register(tmp_path / "nowhere.yaml")
    with pytest.raises(CasesError, match="not valid YAML"):
        load_register(write(tmp_path, "cases: [\n"))
    empty = load_register(write(tmp_path, ""))
    assert empty.cases == () and empty.latest_wave is None and load_cases(tmp_path / "nowhere.yaml") == []


def _small_export(path):
    items = load_codebook().item_ids[:3]
    lines = [",".join(["respondent_id", "department", "wave", *items])]
    lines += [f"R{k},{['BUF', 'SUF', 'ØKF'][k % 3]},2025,3,4,2" for k in range(6)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_validate_checks_the_register_and_exits_2_without_traceback(tmp_path, capsys):
    export = _small_export(tmp_path / "export.csv")
    assert cli.main(["validate", str(export)]) == 0
    assert "5 cases in the register of 2025" in capsys.readouterr().out
    bad = write(tmp_path, MALFORMED_YAML, "bad.yaml")
    assert cli.main(["validate", str(export), "--cases", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: 4 problems in the case register") and "'kind' is 'pilot'" in err
    assert "Traceback" not in err


def test_render_refuses_a_bad_register_before_any_kernel(tmp_path, capsys, monkeypatch):
    import analysis.pipeline.batch

    def refuse(*args, **kwargs):
        raise AssertionError("a render was started")

    monkeypatch.setattr(analysis.pipeline.batch, "run_jobs", refuse)
    monkeypatch.setattr(config, "CASES_PATH", write(tmp_path, MALFORMED_YAML, "bad.yaml"))
    assert cli.main(["render", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "cases[3] (id 'pilot_case')" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


# -- frames --------------------------------------------------------------------------------
def test_register_frame_gives_the_status_of_the_wave_and_what_is_new(two_waves):
    frame = register_frame(two_waves, 2025).set_index("id")
    # Department-list order (ØKF, BUF, SUF, SOF, TMF, KFF, BIF), file order within; e is withdrawn.
    assert frame.index.tolist() == ["f", "d", "a", "b", "c"]
    assert frame.loc["a", "status"] == "in_operation" and frame.loc["b", "partners"] == "HOFOR; Aarhus Kommune"
    assert frame["new"].to_dict() == {"f": True, "d": True, "a": False, "b": False, "c": True}
    assert frame.loc["f", "value_kr"] == 2500000.5 and pd.isna(frame.loc["d", "start_year"])
    first = register_frame(two_waves, 2024).set_index("id")
    assert first.index.tolist() == ["a", "b", "e"] and not first["new"].any()  # the first wave is no news
    assert first.loc["a", "status"] == "running"


def test_new_cases_since_the_previous_wave(two_waves):
    assert sorted(new_cases(two_waves, 2025, 2024)["id"]) == ["c", "d", "f"]
    assert new_cases(two_waves, 2024, 2023)["id"].tolist() == ["a", "b", "e"]
    assert new_cases(two_waves, 2026, 2025).empty
    with pytest.raises(ParameterError):
        new_cases(two_waves, 2024, 2025)


def test_case_counts_list_every_department_with_zeros_and_totals(two_waves):
    counts = case_counts(two_waves, 2025).set_index("department")
    assert counts.index.tolist() == ["ØKF", "BUF", "SUF", "SOF", "TMF", "KFF", "BIF", "ALL"]
    assert counts.columns.tolist() == ["tender", "opi", "opp", "total"]
    assert counts.loc["TMF"].tolist() == [0, 1, 1, 2]
    assert counts.loc["KFF"].tolist() == [0, 0, 0, 0]  # e was withdrawn in 2025
    assert counts.loc["ALL"].tolist() == [1, 2, 2, 5]
    assert case_counts(two_waves, 2024).set_index("department").loc["KFF", "tender"] == 1
    assert case_counts(two_waves, 2023).set_index("department")["total"].sum() == 0


def test_opp_opi_per_year_fills_missing_years_and_counts_unknown_start_years(two_waves):
    per_year = opp_opi_per_year(two_waves, 2025)
    assert per_year.columns.tolist() == ["start_year", "opp", "opi", "total"]
    assert per_year["start_year"].tolist()[:4] == [2021, 2022, 2023, 2024] and pd.isna(per_year["start_year"].iloc[4])
    assert per_year["opp"].tolist() == [0, 0, 0, 1, 1]  # b in 2024; f has no start year
    assert per_year["opi"].tolist() == [1, 0, 1, 0, 0]  # a in 2021, c in 2023
    assert per_year["total"].tolist() == [1, 0, 1, 1, 1]
    assert opp_opi_per_year(two_waves, 2024)["total"].tolist() == [1, 0, 0, 1]  # no unknown row
    assert opp_opi_per_year(two_waves, 2023).empty


def _scores_frame():
    """A Scores.department_value-like frame for 2024 innovation, plus rows that must be ignored."""
    rows = [
        # department, score, ci_low, ci_high, n, suppressed, members, level, level_uncertain
        ("ØKF", 4.2, 3.9, 4.5, 6, False, "", 4, False),
        ("BUF", 1.8, 1.5, 2.1, 9, False, "", 2, False),
        ("SUF", 9.9, 9.8, 9.99, 2, True, "", 5, False),  # hidden: these numbers must never show
        ("SOF", 7.7, 7.6, 7.8, 3, True, "", 5, False),
        ("TMF", 2.2, 1.9, 2.6, 12, False, "", 2, True),
        ("KFF", None, None, None, None, True, "", None, False),
        ("BIF", 3.0, 2.7, 3.3, 5, False, "", 3, False),
        ("ØVRIGE", 2.0, 1.7, 2.3, 5, False, "SOF+KFF", 2, False),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["department", "score", "ci_low", "ci_high", "n", "suppressed", "members", "level", "level_uncertain"],
    )
    frame.insert(0, "wave", 2024)
    frame.insert(2, "value", "innovation")
    other = frame.assign(value="climate", score=1.0, level=1)
    later = frame.assign(wave=2025, score=5.0, level=5)
    return pd.concat([frame, other, later], ignore_index=True)


def test_fact_and_perception_sets_scores_beside_cases_and_never_shows_a_hidden_score(two_waves):
    table = fact_and_perception(two_waves, _scores_frame(), 2024).set_index("department")
    assert table.index.tolist() == ["ØKF", "BUF", "SUF", "SOF", "TMF", "KFF", "BIF", "ØVRIGE"]
    # Register of 2024: a (SUF, running), b (TMF, idea), e (KFF, ended).
    assert table["cases"].to_dict() == {
        "ØKF": 0,
        "BUF": 0,
        "SUF": 1,
        "SOF": 0,
        "TMF": 1,
        "KFF": 1,
        "BIF": 0,
        "ØVRIGE": 1,
    }
    assert table["cases_active"].to_dict() == {
        "ØKF": 0, "BUF": 0, "SUF": 1, "SOF": 0, "TMF": 0, "KFF": 0, "BIF": 0, "ØVRIGE": 0,
    }  # fmt: skip
    assert table["pattern"].to_dict() == {
        "ØKF": "high_no_case",  # level 4, no case
        "BUF": "consistent",  # level 2, no case
        "SUF": "hidden",
        "SOF": "hidden",
        "TMF": "low_with_cases",  # level 2 with b
        "KFF": "hidden",
        "BIF": "consistent",
        "ØVRIGE": "low_with_cases",  # the group's level 2, with KFF's case e
    }
    for code in ("SUF", "SOF", "KFF"):
        assert table.loc[code, ["score", "ci_low", "ci_high", "n", "level"]].isna().all()
        assert table.loc[code, "suppressed"]
    shown = table[["score", "ci_low", "ci_high", "level"]].to_numpy(dtype=float)
    assert not ((shown > 5) & ~pd.isna(shown)).any()  # 9.9 and 7.7 appear nowhere
    # The pooled score is the group's, not its members'.
    assert table.loc["ØVRIGE", "score"] == 2.0 and table.loc["ØVRIGE", "members"] == "SOF+KFF"
    assert table.loc["SOF", "merged_into"] == "ØVRIGE" and table.loc["KFF", "merged_into"] == "ØVRIGE"
    assert table.loc["SUF", "merged_into"] == "" and table.loc["TMF", "level_uncertain"]


def test_fact_and_perception_refuses_a_wave_or_value_the_scores_lack(two_waves):
    with pytest.raises(ParameterError, match="wave 2030"):
        fact_and_perception(two_waves, _scores_frame(), 2030)
    with pytest.raises(ParameterError, match="'food'"):
        fact_and_perception(two_waves, _scores_frame(), 2024, value="food")
