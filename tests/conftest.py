"""Shared tiny fixtures: a three-item codebook and a three-department list written to tmp files.

They are independent of ``data/``, so tests keep their hand-worked expected values when the real
codebook changes.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.survey.codebook import load_codebook, load_departments

#: The scale of method.md, for the tests' own small codebooks.
SCALE_YAML = """\
scale:
  levels:
    - {code: 1, name_da: "Ikke påbegyndt", name_en: "Not started"}
    - {code: 2, name_da: "Begyndende", name_en: "Developing"}
    - {code: 3, name_da: "Etableret", name_en: "Established"}
    - {code: 4, name_da: "Systematisk", name_en: "Systematic"}
    - {code: 5, name_da: "Førende", name_en: "Leading"}
  dont_know: {code: 8, name_da: "Ved ikke", name_en: "Don't know"}
  not_applicable: {code: 9, name_da: "Ikke relevant", name_en: "Not applicable"}
"""

TINY_CODEBOOK_YAML = (
    """\
version: "test"
title_da: "Test"
title_en: "Test"
"""
    + SCALE_YAML
    + """\
values:
  - id: climate
    name_da: "Klima"
    name_en: "Climate"
    focus_areas:
      - id: clim_food
        name_da: "Mad"
        name_en: "Food"
        items:
          - {id: food_1, text_da: "Økologi", text_en: "Organic", aliases: ["Q1", "Økologisk mad"]}
          - {id: food_2, text_da: "Madspild", text_en: "Food waste", reverse: true, aliases: ["Q2"]}
  - id: social
    name_da: "Socialt ansvar"
    name_en: "Social responsibility"
    focus_areas:
      - id: soc_wages
        name_da: "Arbejdsklausuler"
        name_en: "Labour clauses"
        items:
          - {id: wages_1, text_da: "Klausuler", text_en: "Clauses", aliases: ["Q3", "Arbejdsklausul"]}
"""
)

TINY_DEPARTMENTS_YAML = """\
departments:
  - code: BUF
    name_da: "Børne- og Ungdomsforvaltningen"
    name_en: "Children and Youth Administration"
    procurement_staff: 45
    aliases: ["Børne og Unge"]
  - code: SUF
    name_da: "Sundheds- og Omsorgsforvaltningen"
    name_en: "Health and Care Administration"
    aliases: ["Sundhed og Omsorg"]
  - code: ØKF
    name_da: "Økonomiforvaltningen"
    name_en: "Finance Administration"
    aliases: ["OKF"]
"""


def people_frame(answers: dict, items: list[str], wave: int = 2025) -> pd.DataFrame:
    """Return a tidy long frame from ``{department: [answers per respondent, in item order]}``."""
    rows = []
    for dept, people in answers.items():
        for r, person in enumerate(people):
            for item, answer in zip(items, person):
                rows.append(
                    {"wave": wave, "respondent_id": f"{dept}{r}", "department": dept, "item": item, "answer": answer}
                )
    frame = pd.DataFrame(rows)
    frame["answer"] = frame["answer"].astype("Int8")
    return frame


def groups_frame(groups) -> pd.DataFrame:
    """Return a tidy long frame from ``(wave, department, respondents, {item: answer})`` groups."""
    rows = []
    for wave, dept, count, answers in groups:
        for r in range(count):
            for item, answer in answers.items():
                rows.append(
                    {
                        "wave": wave,
                        "respondent_id": f"{wave}-{dept}-{r}",
                        "department": dept,
                        "item": item,
                        "answer": answer,
                    }
                )
    frame = pd.DataFrame(rows)
    frame["answer"] = frame["answer"].astype("Int8")
    return frame


@pytest.fixture(scope="session")
def tiny_codebook(tmp_path_factory):
    """Return a codebook of two values and three items: food_1, food_2 (reverse), wages_1."""
    path = tmp_path_factory.mktemp("codebook") / "codebook.yaml"
    path.write_text(TINY_CODEBOOK_YAML, encoding="utf-8")
    return load_codebook(path)


@pytest.fixture(scope="session")
def tiny_departments(tmp_path_factory):
    """Return a department list of BUF, SUF and ØKF with a few aliases."""
    path = tmp_path_factory.mktemp("departments") / "departments.yaml"
    path.write_text(TINY_DEPARTMENTS_YAML, encoding="utf-8")
    return load_departments(path)


@pytest.fixture
def tiny_codebook_yaml() -> str:
    """Return the tiny codebook's YAML text, for tests that break it on purpose."""
    return TINY_CODEBOOK_YAML


@pytest.fixture
def tiny_departments_yaml() -> str:
    """Return the tiny department list's YAML text, for tests that break it on purpose."""
    return TINY_DEPARTMENTS_YAML


@pytest.fixture(scope="module")
def low_min_n():
    """Let a module score tiny hand-worked fixtures with min_n below the method's floor of 5.

    The floor is policy (method.md: never publish groups under 5); arithmetic checked on a handful
    of respondents needs smaller groups. Only modules that ask for this fixture get it.
    """
    from analysis import config

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(config, "MIN_N_FLOOR", 1)
        yield
