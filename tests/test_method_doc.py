"""docs/method.md and the briefing's method appendix state the same rules with the settings used."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape

from analysis import config
from analysis.report.appendix import method, method_parameters
from analysis.report.briefing import prepare_briefing
from analysis.report.view import Table
from analysis.stats.changes import MINIMAL_IMPORTANT_DIFFERENCE
from analysis.stats.disclosure import distribution_limit
from analysis.stats.reliability import LOW_ALPHA

METHOD = Path(__file__).parents[1] / "docs" / "method.md"


def documented() -> dict[str, str]:
    """Return the parameter table of docs/method.md: parameter -> value as written."""
    rows = re.findall(r"^\| *([^|]+?) *\| *([^|]+?) *\|$", METHOD.read_text(encoding="utf-8"), flags=re.M)
    start = next(k for k, (name, _) in enumerate(rows) if name == "parameter")
    return {name: value for name, value in rows[start + 2 :] if not set(name) <= {"-", " "}}


def number(text: str, min_n: int = config.DEFAULT_MIN_N) -> float:
    """Return the number a table cell states, Danish or English ("2.000", "0,25", "95 %", "2 x min_n")."""
    text = text.replace("x min_n", f"x {min_n}")
    if "x" in text:
        a, b = (float(x) for x in text.split("x"))
        return a * b
    digits = text.replace("%", "").strip()
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", digits):  # Danish thousands: 2.000
        digits = digits.replace(".", "")
    return float(digits.replace(",", "."))


@pytest.fixture(scope="module", params=["da", "en"])
def briefing(request):
    return prepare_briefing(lang=request.param, resamples=200, charts=False, chart_background=False)


def test_the_document_states_the_codes_settings():
    doc = documented()
    assert number(doc["min_n"]) == config.DEFAULT_MIN_N == config.MIN_N_FLOOR
    assert number(doc["resamples"]) == config.DEFAULT_RESAMPLES
    assert number(doc["seed"]) == config.DEFAULT_SEED
    assert number(doc["confidence"]) / 100 == config.CONFIDENCE
    assert number(doc["don't-know flag"]) / 100 == config.DONT_KNOW_FLAG
    assert number(doc["minimal important difference"]) == MINIMAL_IMPORTANT_DIFFERENCE
    assert number(doc["distribution limit"]) == distribution_limit(config.DEFAULT_MIN_N)
    assert number(doc["alpha threshold"]) == LOW_ALPHA


def test_the_appendix_quotes_the_settings_the_scores_were_made_with(briefing):
    quoted = {key: value for key, _, value in method_parameters(briefing)}
    s = briefing.scores
    assert number(quoted["min_n"]) == s.min_n
    assert number(quoted["resamples"]) == s.resamples == 200
    assert number(quoted["seed"]) == s.seed
    assert number(quoted["confidence"]) / 100 == s.confidence
    assert number(quoted["don't-know flag"]) / 100 == config.DONT_KNOW_FLAG
    assert number(quoted["minimal important difference"]) == MINIMAL_IMPORTANT_DIFFERENCE
    assert number(quoted["distribution limit"]) == distribution_limit(s.min_n)
    assert number(quoted["alpha threshold"]) == LOW_ALPHA
    # Every documented parameter is quoted, and the appendix prints each one.
    assert set(quoted) == set(documented())
    section = method(briefing)
    printed = {(row[0].text, row[1].text) for block in section.blocks if isinstance(block, Table) for row in block.rows}
    html = str(section)
    for _, label, value in method_parameters(briefing):
        assert (label, value) in printed and escape(value) in html


def test_the_document_stays_inside_the_repository():
    text = METHOD.read_text(encoding="utf-8")
    assert "../" not in text and "shared" not in text.lower()
