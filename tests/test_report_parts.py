"""The parts the briefing and the profiles are built from: cases, view-model parts, words, chart batches."""

from __future__ import annotations

import pandas as pd

from analysis.report.chartpool import ChartBatch
from analysis.report.parts import FigureNumbers, NumberedFigures, department_value_table, document_header
from analysis.report.view import Cell, Section, render_blocks
from analysis.survey.cases import Case, CaseKind, load_cases
from analysis.words import cannot_show_text, hidden_word, interval_text, threshold_text


def test_cases_are_read_into_dataclasses(tmp_path):
    path = tmp_path / "cases.yaml"
    path.write_text(
        "kinds:\n  - id: tender\n    name_da: Udbud\n    name_en: Tender\n"
        "cases:\n  - id: potatoes\n    kind: tender\n    department: BUF\n    title_da: Kartofler\n"
        "    title_en: Potatoes\n    status: running\n    source: orientering\n    registered: 2025\n",
        encoding="utf-8",
    )
    (first,) = load_cases(path)
    assert first.kind == CaseKind("tender", "Udbud", "Tender") and first.department == "BUF"
    assert isinstance(first, Case) and first.id == "potatoes" and first.title_da == "Kartofler"
    assert first.kind.name("en") == "Tender" and first.title("en") == "Potatoes" and first.text() == ""


def test_missing_or_empty_cases_file_gives_no_cases(tmp_path):
    assert load_cases(tmp_path / "missing.yaml") == []
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    assert load_cases(tmp_path / "empty.yaml") == []


def test_department_value_table_says_only_hidden_for_a_suppressed_cell():
    frame = pd.DataFrame(
        {
            "department": ["A", "A", "B"],
            "value": ["x", "y", "x"],
            "suppressed": [False, True, False],
            "score": [2.5, 9.9, 3.0],
        }
    )
    table = department_value_table(
        frame,
        lambda r: Cell(str(r["score"]), "num"),
        "scores",
        value_ids=["x", "y"],
        short_names={"x": "X & co", "y": "Y"},
        hidden="skjult",
        lang="en",
    )
    # The suppressed cell and the missing one say the hidden words and nothing else.
    assert [row[2] for row in table.rows] == [Cell("skjult", "num hidden")] * 2
    html = render_blocks([table])
    assert "9.9" not in html and html.count("skjult") == 2  # suppressed, and missing
    assert '<th scope="col">Code</th>' in html and "X &amp; co" in html and '<td class="num">2.5</td>' in html


def test_document_header_warns_only_for_the_sample():
    plain = Section("header", [document_header("Org", "Kind", "T <1> 'a'", "Meta", is_sample=False, lang="da")])
    assert plain._repr_html_() == str(plain)
    assert '<p class="kind">Kind</p>' in str(plain) and "T &lt;1&gt; &#39;a&#39;" in str(plain)
    assert "synthetic" not in str(plain) and "Syntetiske" not in plain.text()
    sample = Section("header", [document_header("Org", "Kind", "T", "Meta", is_sample=True, lang="en")])
    assert "Synthetic data." in str(sample) and "Synthetic data." in sample.text()


def test_figures_are_numbered_in_the_order_shown(monkeypatch):
    from analysis.report import parts

    monkeypatch.setattr(parts, "figure_block", lambda chart, number, caption, lang: f"{number}:{caption}:{lang}")
    figures = FigureNumbers("en")
    assert [figures.figure(None, "a"), figures.figure(None, "b")] == ["1:a:en", "2:b:en"]

    class Document(NumberedFigures):
        def __init__(self):
            self.lang, self.charts = "da", {"c": None}

    doc = Document()  # one numbering per document: the memo's figures and the profile's count apart
    shown = [doc.figure("c", "a"), doc.figure("c", "b", document="profile"), doc.figure("c", "c")]
    assert shown == ["1:a:da", "1:b:da", "2:c:da"]


def test_words_quote_the_settings():
    assert interval_text(0.9) == "90 %-interval" and interval_text(0.95, "en") == "95 % interval"
    assert threshold_text(0.25, "en", spaced=True) == "25 %"
    assert cannot_show_text(8, "en") == "Cannot be shown, to protect anonymity (fewer than 8 answers)"
    assert hidden_word("en") == "hidden"


def test_chart_batch_without_background_renders_everything_here():
    made = []

    class FakeChart:
        alt = ""

        def to_png(self):
            return b""

    def build(name):
        made.append(name)
        return FakeChart()

    batch = ChartBatch({"a": lambda: build("a"), "b": lambda: build("b")}, background=False)
    batch["b"], batch["a"]
    assert made == ["b", "a"]  # both built in this process, in the order asked for
