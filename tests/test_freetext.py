"""Free text: theme coding, theme counts with disclosure control, redaction and quotes.

The answers of ``tests/fixtures/freetext_da.yaml`` are written as procurement staff write them;
each carries the themes a reader would code it with, so the keyword rule is tested answer by answer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis import config
from analysis.exceptions import ParameterError
from analysis.stats.disclosure import (
    complementary_cells,
    informative,
    may_quote,
    quote_attribution,
    redact,
    select_quotes,
    stop_list,
)
from analysis.stats.themes import THEME_COLUMNS, theme_counts
from analysis.survey.codebook import load_departments
from analysis.survey.freetext import FreeText, code_themes, normalise_words, word_matches

FIXTURE = yaml.safe_load((Path(__file__).parent / "fixtures" / "freetext_da.yaml").read_text(encoding="utf-8"))
QUESTION = FIXTURE["question"]["id"]
THEMES = {t["id"]: t["keywords"] for t in FIXTURE["question"]["themes"]}
ANSWERS = FIXTURE["answers"]
ORDER = load_departments().codes
SMALL = {"KFF", "BIF"}  # 3 and 2 non-blank answers


@pytest.fixture
def survey():
    """The respondents frame (wave 2025) and the FreeText of the fixture, rows aligned."""
    respondents = pd.DataFrame(
        {
            "wave": 2025,
            "respondent_id": [f"r{k}" for k in range(len(ANSWERS))],
            "department": [a["department"] for a in ANSWERS],
        }
    )
    texts = np.array([[a["text"]] for a in ANSWERS], dtype=object)
    return respondents, FreeText((QUESTION,), texts)


@pytest.fixture
def names_file(tmp_path):
    path = tmp_path / "staff.txt"
    path.write_text("# staff of the small teams\n\n" + "\n".join(f"{n}  # staff" for n in FIXTURE["staff"]) + "\n")
    return path


@pytest.fixture
def stop_names(names_file):
    return stop_list(load_departments(), {"units": ["Indkøbsteamet Nord"]}, path=names_file)


# -- FreeText never shows a text ----------------------------------------------------------------
def test_freetext_printed_forms_show_no_answer(survey):
    _, ft = survey
    shown = [repr(ft), str(ft), f"{ft}", ft._repr_html_(), *ft._repr_mimebundle_().values()]
    for text in shown:
        assert "texts are not shown" in text
        for a in ANSWERS:
            for word in normalise_words(a["text"]):
                if len(word) > 4:
                    assert word not in text.casefold(), word
    assert repr(ft) == "FreeText(1 question, 30 answers; the texts are not shown)"


def test_freetext_answers_and_shape_checks():
    ft = FreeText(["a", "b"], np.array([["x", None], [float("nan"), "y"]], dtype=object))
    assert ft.question_ids == ("a", "b")
    assert ft.answers("b").tolist() == ["", "y"] and ft.answered("a").tolist() == [True, False]
    with pytest.raises(KeyError, match="No open question 'c'"):
        ft.answers("c")
    with pytest.raises(ValueError, match="2 column"):
        FreeText(("a", "b"), np.array([["x"]], dtype=object))


# -- theme coding --------------------------------------------------------------------------------
@pytest.mark.parametrize("answer", ANSWERS, ids=lambda a: a["text"][:40] or "blank")
def test_each_answer_is_coded_with_its_themes(answer):
    coded = code_themes([answer["text"]], THEMES)[0]
    assert [t for t, hit in zip(THEMES, coded) if hit] == [t for t in THEMES if t in answer["themes"]]


@pytest.mark.parametrize(
    "keyword, words",
    [
        ("jurist", ["juristen", "juristerne", "jurister", "udbudsjurist", "udbudsjuristerne", "juristbistand"]),
        ("ressource", ["ressourcer", "ressourcerne", "ressourcemangel", "personaleressourcer"]),
        ("ledelse", ["ledelsen", "ledelses", "ledelsesopbakning", "topledelsen"]),
        ("tid", ["tiden", "tider", "tids", "tidspres", "tidsplan", "arbejdstid", "sagsbehandlingstiden"]),
        ("videndeling", ["videndelingen", "videndelingsplatform"]),
        ("central", ["centrale", "centralt"]),
    ],
)
def test_inflections_and_compounds_match(keyword, words):
    assert [w for w in words if not word_matches(w, keyword)] == []


@pytest.mark.parametrize(
    "keyword, words",
    [
        ("tid", ["tidligere", "tidligt", "altid", "tidt", "stil", "tit"]),
        ("jurist", ["juridisk", "jura"]),
        ("chef", ["chefkonsulent"]),  # a short keyword starts a compound only with a linking s or e
        ("ledelse", ["ledelsx"]),
    ],
)
def test_no_silly_matches(keyword, words):
    assert [w for w in words if word_matches(w, keyword)] == []


def test_multi_word_keywords_and_negatives():
    themes = {"central": ["central enhed"], "fejl": ["lov at fejle"], "tid": ["tid", "-fritid", "-på tide"]}
    coded = code_themes(
        [
            "Centrale enheder i hver forvaltning",
            "En central, ikke en decentral, enhed",
            "Lov at fejle",
            "Fritid og tid",
            "Fritiden",
            "Det er på tide",
        ],
        themes,
    ).astype(int)
    assert coded.tolist() == [[1, 0, 0], [0, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]]


def test_normalise_words_keeps_danish_letters():
    assert normalise_words("ØKONOMI-afdelingens indkøb/udbud – ﬁre år") == [
        "økonomi",
        "afdelingens",
        "indkøb",
        "udbud",
        "fire",
        "år",
    ]


# -- theme counts and disclosure ----------------------------------------------------------------
def expected_mentions(theme: str, departments=None) -> int:
    return sum(theme in a["themes"] for a in ANSWERS if departments is None or a["department"] in departments)


def test_theme_counts_municipality_and_merged_group(survey):
    respondents, ft = survey
    table = theme_counts(respondents, ft, QUESTION, THEMES, departments_order=ORDER, min_n=5)
    assert list(table.columns) == THEME_COLUMNS
    assert table["department"].unique().tolist() == ["ALL", "BUF", "SUF", "TMF", "KFF", "BIF", "ØVRIGE"]
    rows = table.set_index(["department", "theme"])
    # The municipality: 30 non-blank answers; themes with at least 5 mentions are published.
    for theme in THEMES:
        row = rows.loc[("ALL", theme)]
        assert row["answers"] == 30
        mentions = expected_mentions(theme)
        if mentions >= 5:
            assert row["mentions"] == mentions and row["share"] == pytest.approx(mentions / 30)
            assert not row["suppressed"]
        else:
            assert pd.isna(row["mentions"]) and np.isnan(row["share"]) and row["suppressed"]
    assert rows.loc[("ALL", "tid"), "mentions"] == 10 and rows.loc[("ALL", "ledelse"), "mentions"] == 5
    # One answer may mention several themes (six of the fixture's do), and counts in each.
    assert sum(len(a["themes"]) > 1 for a in ANSWERS) == 6
    # The small departments are not published on their own, only pooled.
    for d in SMALL:
        own = table[table["department"] == d]
        assert own["answers"].isna().all() and own["mentions"].isna().all() and own["suppressed"].all()
    merged = table[table["department"] == "ØVRIGE"]
    assert set(merged["members"]) == {"KFF+BIF"} and set(merged["answers"]) == {5}
    assert {d: int(rows.loc[(d, "jura"), "answers"]) for d in ("BUF", "TMF", "SUF")} == {"BUF": 10, "TMF": 9, "SUF": 6}


def test_small_theme_counts_are_hidden_with_their_shares(survey):
    respondents, ft = survey
    table = theme_counts(respondents, ft, QUESTION, THEMES, departments_order=ORDER, min_n=5)
    published = table.dropna(subset=["mentions"])
    assert ((published["mentions"] == 0) | (published["mentions"] >= 5)).all()
    assert table.loc[table["suppressed"], "share"].isna().all()
    # tid: BUF 3, TMF 3, SUF 2, ØVRIGE 2 are each under 5: all hidden, the municipality's 10 shown.
    tid = table[table["theme"] == "tid"].set_index("department")
    assert tid["mentions"].isna().tolist() == [False, True, True, True, True, True, True]


def test_a_lone_small_cell_is_hidden_with_a_complementary_one():
    # BUF 20 answers (12 mention tid), SUF 10 (3), TMF 8 (7): SUF's 3 = ALL - BUF - TMF unless TMF hides too.
    departments = ["BUF"] * 20 + ["SUF"] * 10 + ["TMF"] * 8
    texts = ["Mere tid"] * 12 + ["Bedre kurser"] * 8 + ["Mere tid"] * 3 + ["Bedre kurser"] * 7
    texts += ["Mere tid"] * 7 + ["Bedre kurser"]
    respondents = pd.DataFrame({"wave": 2025, "department": departments})
    ft = FreeText(("q",), np.array(texts, dtype=object))
    table = theme_counts(respondents, ft, "q", {"tid": ["tid"]}, departments_order=["BUF", "SUF", "TMF"])
    got = dict(zip(table["department"], table["mentions"]))
    assert got["ALL"] == 22 and got["BUF"] == 12 and pd.isna(got["SUF"]) and pd.isna(got["TMF"])
    assert complementary_cells({"BUF": 12, "SUF": 3, "TMF": 7}, 5) == ["SUF", "TMF"]


@pytest.mark.parametrize("seed", range(25))
def test_no_hidden_count_can_be_worked_out_by_subtraction(seed):
    """ALL minus every published part leaves nothing, or at least two hidden cells holding >= min_n."""
    rng = np.random.default_rng(seed)
    sizes = {d: int(rng.integers(0, 14)) for d in ORDER}
    departments = [d for d, k in sizes.items() for _ in range(k)]
    if len(departments) < 5:
        return
    words = rng.choice(["Mere tid", "Bedre kurser", "Mere tid og kurser", ""], size=len(departments))
    respondents = pd.DataFrame({"wave": 2025, "department": departments})
    ft = FreeText(("q",), np.array(words, dtype=object))
    themes = {"tid": ["tid"], "kompetencer": ["kursus", "kurser"]}
    table = theme_counts(respondents, ft, "q", themes, departments_order=ORDER)
    coded = code_themes(list(words), themes)
    for j, theme in enumerate(themes):
        rows = table[table["theme"] == theme].set_index("department")
        if rows.loc["ALL", "suppressed"]:
            continue
        parts = [d for d in rows.index if d != "ALL" and not (d in ORDER and pd.isna(rows.loc[d, "answers"]))]
        hidden = [d for d in parts if rows.loc[d, "suppressed"]]
        assert len(hidden) != 1
        if hidden:
            dept = np.array(departments)
            members = {d: str(rows.loc[d, "members"]).split("+") if d == "ØVRIGE" else [d] for d in hidden}
            hidden_total = sum(int(coded[np.isin(dept, m) & (words != ""), j].sum()) for m in members.values())
            assert hidden_total >= 5 or hidden_total == 0


def test_theme_counts_of_a_tiny_wave_publish_nothing():
    respondents = pd.DataFrame({"wave": 2025, "department": ["BUF", "BUF", "SUF"]})
    ft = FreeText(("q",), np.array(["Mere tid", "Tid", "Tid"], dtype=object))
    table = theme_counts(respondents, ft, "q", {"tid": ["tid"]})
    assert table["suppressed"].all() and table["mentions"].isna().all()


def test_theme_counts_refuses_misaligned_rows_and_small_min_n(survey):
    respondents, ft = survey
    with pytest.raises(ParameterError, match="aligned"):
        theme_counts(respondents.iloc[:3], ft, QUESTION, THEMES)
    with pytest.raises(ParameterError, match="at least 5"):
        theme_counts(respondents, ft, QUESTION, THEMES, min_n=3)


# -- redaction ------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", FIXTURE["redaction"], ids=lambda c: c["text"][:40])
def test_redaction_of_each_kind(case, stop_names):
    assert redact(case["text"], stop_names=stop_names) == (case["redacted"], case["kinds"])


def test_stop_list_reads_departments_units_and_a_names_file(names_file):
    names = stop_list(
        load_departments(), {"units": [{"name_da": "Indkøbsteamet Nord", "aliases": ["IK Nord"]}]}, path=names_file
    )
    assert {"TMF", "Teknik- og Miljøforvaltningen", "Kultur og Fritid", "Indkøbsteamet Nord", "IK Nord"} <= set(names)
    assert {"Jens Hansen", "Hanne Larsen", "Mette"} <= set(names) and not any(n.startswith("#") for n in names)
    assert names.index("Anne Marie Hansen") < names.index("Jens")  # the longer name is replaced first
    assert len({n.casefold() for n in names}) == len(names)
    assert stop_list([], extra_names=["  Bo  Ek "]) == ("Bo Ek",)


def test_cpr_is_not_taken_for_a_phone_number():
    assert redact("010190 1234")[1] == ["CPR"] and redact("320190-1234")[1] != ["CPR"]


# -- quotes ---------------------------------------------------------------------------------------
def test_may_quote_and_attribution():
    assert (may_quote(4, 5), may_quote(5, 5)) == (False, True)
    assert may_quote(np.array([3, 5, 9]), 5).tolist() == [False, True, True]
    got = quote_attribution({"BUF": 10, "TMF": 9, "SUF": 6, "KFF": 3, "BIF": 2}, 5)
    assert got == {"BUF": "BUF", "TMF": "TMF", "SUF": "SUF", "KFF": "ALL", "BIF": "ALL"}
    # A department pulled into the merged group is not named either.
    assert quote_attribution({"BUF": 10, "SUF": 6, "KFF": 3}, 5) == {"BUF": "BUF", "SUF": "ALL", "KFF": "ALL"}


def test_informative():
    assert not informative("Kontakt mig på [e-mail] eller [telefon]")
    assert not informative("Mere tid")
    assert informative("[navn] team i [navn] ved mest om udbudsjura")


def quotes_of(survey, stop_names, **kwargs):
    respondents, ft = survey
    coded = code_themes(ft.answers(QUESTION), THEMES)
    return select_quotes(
        respondents, ft, QUESTION, coded, themes=list(THEMES), stop_names=stop_names, departments_order=ORDER, **kwargs
    )


def test_select_quotes_never_names_a_small_department(survey, stop_names):
    quotes = quotes_of(survey, stop_names, per_theme=3)
    assert list(quotes.columns) == ["wave", "department", "theme", "quote", "redacted"]
    assert not set(quotes["department"]) & SMALL and set(quotes["department"]) <= {"ALL", "BUF", "TMF", "SUF"}
    source = {redact(" ".join(a["text"].split()), stop_names=stop_names)[0]: a["department"] for a in ANSWERS}
    attributed = {source[q]: d for q, d in zip(quotes["quote"], quotes["department"])}
    for dept, group in attributed.items():
        assert group == ("ALL" if dept in SMALL else dept)
    assert "ALL" in set(quotes["department"])  # the small departments' answers are quoted, unnamed
    for quote in quotes["quote"]:
        assert "@" not in quote and "KFF" not in quote and "BIF" not in quote and "Hansen" not in quote
        assert informative(quote) and len(quote) <= 160
    assert (quotes.groupby("theme").size() <= 3).all()


def test_select_quotes_is_deterministic_short_and_redacted(survey, stop_names):
    quotes = quotes_of(survey, stop_names)
    assert quotes.equals(quotes_of(survey, stop_names))
    assert (quotes.groupby("theme").size() <= 2).all()
    tid = quotes[quotes["theme"] == "tid"]
    # The shortest first; "Juristerne i [navn] har alt for travlt" (tid too) is already quoted under jura.
    assert tid["quote"].tolist() == [
        "Ressourcemangel i indkøbsteamet, vi er for få",
        "Mere tid og færre ad hoc opgaver fra ledelsen",
    ]
    assert tid["department"].tolist() == ["TMF", "ALL"]  # the second is BIF's: not named
    assert quotes["quote"].is_unique
    viden = quotes[quotes["theme"] == "viden"].set_index("quote")
    assert viden.loc["Bedre videndeling på tværs – ingen ved hvad [navn] laver", "redacted"] == "navn"
    short = quotes_of(survey, stop_names, max_chars=45)
    assert (short["quote"].str.len() <= 45).all()


def test_a_text_that_is_mostly_placeholders_is_never_quoted():
    respondents = pd.DataFrame({"wave": 2025, "department": ["BUF"] * 6})
    texts = ["Tid: jens@kk.dk, 33661234, Hanne Larsen"] * 5 + ["Mere tid til markedsdialog i år"]
    ft = FreeText(("q",), np.array(texts, dtype=object))
    coded = code_themes(ft.answers("q"), {"tid": ["tid"]})
    quotes = select_quotes(respondents, ft, "q", coded, themes=["tid"], stop_names=["Hanne Larsen"])
    assert quotes["quote"].tolist() == ["Mere tid til markedsdialog i år"]


def test_nothing_is_quoted_from_a_wave_under_min_n():
    respondents = pd.DataFrame({"wave": 2025, "department": ["BUF"] * 4})
    ft = FreeText(("q",), np.array(["Mere tid til markedsdialog i år"] * 4, dtype=object))
    quotes = select_quotes(respondents, ft, "q", np.ones((4, 1), bool), themes=["tid"])
    assert quotes.empty and list(quotes.columns) == ["wave", "department", "theme", "quote", "redacted"]
    assert config.MUNICIPALITY == "ALL"
