"""Benchmark: loading a 10,000-row SurveyXact export (.xlsx with Dataset, Labels, Structure).

Target (issue 9): under 3 seconds, median of 5 runs, on the project's 2-core machine, from the
file to the checked tidy frame (read, labels applied, columns matched by question text, every
cell checked). The floor is reading the Dataset sheet alone into a DataFrame with pandas'
calamine engine: what any reader of the file pays.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import median_seconds

from analysis.survey.codebook import load_codebook, load_departments
from analysis.survey.loading import load_responses

TARGET_SECONDS = 3.0
STEM = "Hvor langt er din forvaltning? Vurdér hvert udsagn"
SCALE = ["Ikke påbegyndt", "Begyndende", "Etableret", "Systematisk", "Førende", "Ved ikke"]


def write_surveyxact_xlsx(path: Path, respondents: int, seed: int = 1) -> Path:
    """Write a SurveyXact-shaped workbook: system columns, status one-hot, department, 57 items."""
    from openpyxl import Workbook

    codebook, departments = load_codebook(), load_departments()
    rng = np.random.default_rng(seed)
    items = codebook.items
    variables = [f"s_2_{k + 1}" for k in range(len(items))]
    header = ["responde", "closetim", "starttim", "difftime", *[f"stato_{k}" for k in range(1, 6)], "s_1", *variables]
    wb = Workbook(write_only=True)
    data = wb.create_sheet("Dataset")
    data.append(header)
    answers = rng.integers(1, 7, size=(respondents, len(items)))
    blank = rng.random((respondents, len(items))) < 0.05
    dept = rng.integers(1, len(departments.codes) + 1, size=respondents)
    for r in range(respondents):
        row = [10_000 + r, "2025-03-02 10:00:00", "2025-03-02 09:50:00", 600.5, 0, 0, 0, 1, 0, int(dept[r])]
        row += [None if blank[r, k] else int(answers[r, k]) for k in range(len(items))]
        data.append(row)
    labels = wb.create_sheet("Labels")
    for k, code in enumerate(departments.codes, start=1):
        labels.append(["s_1", k, departments[code].name_da])
    for var in variables:
        for k, text in enumerate(SCALE, start=1):
            labels.append([var, k, text])
    structure = wb.create_sheet("Structure")
    structure.append(
        ["questionName", "variableName", "questionType", "subType", "questionText", "choiceValue", "choiceText"]
    )
    structure.append(["s_1", "s_1", "single", "", "Hvilken forvaltning arbejder du i?", "", ""])
    for var, it in zip(variables, items):
        structure.append(["s_2", var, "battery", "", f"{STEM} - {it.text_da}", "", ""])
    wb.save(path)
    return path


def main(respondents: int = 10_000, repeats: int = 5) -> dict:
    """Time loading and print the median, the floor and their ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write_surveyxact_xlsx(Path(tmp) / "surveyxact.xlsx", respondents)
        floor, _ = median_seconds(lambda: pd.read_excel(path, sheet_name="Dataset", engine="calamine"), repeats)
        # .responses: the tidy frame is made on first use, and this times the file to the frame.
        median, runs = median_seconds(lambda: load_responses(path, wave=2025).responses, repeats)
        survey = load_responses(path, wave=2025)
    verdict = "OK" if median < TARGET_SECONDS else "OVER TARGET"
    print(
        f"loading a SurveyXact .xlsx of {respondents:,} respondents x {len(load_codebook().items)} items "
        f"({len(survey.responses):,} answers): median {median:.2f} s of {repeats} "
        f"({', '.join(f'{t:.2f}' for t in runs)}); floor (the Dataset sheet into pandas) {floor:.2f} s, "
        f"ratio {median / floor:.1f}x; target < {TARGET_SECONDS:.0f} s: {verdict}"
    )
    return {"median": median, "floor": floor, "runs": runs}


if __name__ == "__main__":
    main()
