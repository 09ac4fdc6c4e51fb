"""The real committee briefing, rendered from the bundled sample through ``briefing render``.

Rendering runs a kernel and WeasyPrint (a few seconds), so each language is rendered once per
module and the tests read the files.
"""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import pytest
from pypdf import PdfReader

from analysis import cli, config, prepare_briefing
from analysis.exceptions import ParameterError

URL_IN_ATTR = re.compile(r"""(?:src|href)\s*=\s*["']?\s*https?://""", re.I)
URL_IN_CSS = re.compile(r"""(?:@import|url\()\s*["']?\s*https?://""", re.I)


@pytest.fixture(scope="module")
def rendered_da(tmp_path_factory):
    out = tmp_path_factory.mktemp("da") / "2025"
    code = cli.main(["render", "--out", str(out), "--min-n", "5", "--seed", "2025"])
    assert code == 0
    return out


@pytest.fixture(scope="module")
def html_da(rendered_da) -> str:
    # The memo and its Bilag together: what one briefing held before they became two documents.
    return "\n".join((rendered_da / name).read_text(encoding="utf-8") for name in ("briefing.html", "bilag.html"))


@pytest.fixture(scope="module")
def pdf_text_da(rendered_da) -> str:
    # Words, not line breaks: where a line breaks depends on the fonts on the machine.
    pages = [page for name in ("briefing.pdf", "bilag.pdf") for page in PdfReader(rendered_da / name).pages]
    return " ".join("\n".join(page.extract_text() for page in pages).split())


@pytest.mark.slow
def test_render_writes_every_output(rendered_da):
    for name in ("briefing.html", "briefing.pdf", "briefing.ipynb"):
        assert (rendered_da / name).stat().st_size > 1000
    tables = {p.name for p in (rendered_da / "tables").glob("*.csv")}
    assert {"maturity_by_department_value.csv", "maturity_by_value.csv", "change_by_department_value.csv"} <= tables
    executed = nbformat.read(rendered_da / "briefing.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "min_n = 5" in injected[0].source


@pytest.mark.slow
def test_pdf_has_the_sections_and_danish_letters(pdf_text_da):
    for word in (
        "Resumé",
        "Sagsfremstilling",
        "Økonomi",
        "Videre proces",
        "Bilag",
        "Økonomiudvalget",
        "Børne- og Ungdomsforvaltningen",
        "påbegyndt",
        "Førende",
    ):
        assert word in pdf_text_da, word
    assert re.search(r"side \d+ af \d+", pdf_text_da)


@pytest.mark.slow
def test_html_loads_nothing_from_the_network(html_da):
    assert not URL_IN_ATTR.search(html_da)
    assert not URL_IN_CSS.search(html_da)
    assert "<script" not in html_da.lower()
    assert "<link" not in html_da.lower()


@pytest.mark.slow
def test_every_image_is_embedded_and_has_alt_text(html_da):
    images = re.findall(r"<img\b[^>]*>", html_da)
    assert len(images) >= 4
    for tag in images:
        assert 'src="data:image/png;base64,' in tag
        alt = re.search(r'alt="([^"]*)"', tag)
        assert alt and alt.group(1).strip(), tag[:80]


@pytest.mark.slow
def test_html_shows_no_code(html_da):
    assert "prepare_briefing" not in html_da
    assert "In [" not in html_da
    assert "synthetic" in html_da.lower() or "syntetiske" in html_da.lower()


@pytest.mark.slow
def test_resume_numbers_match_the_tables(rendered_da, html_da):
    # The least mature value and its score in the Resumé come from the same scores as the CSV.
    value = pd.read_csv(rendered_da / "tables" / "maturity_by_value.csv")
    latest = value[value["wave"] == 2025].set_index("value")
    lowest = latest["score"].idxmin()
    assert lowest == "innovation"
    score_da = f"{latest.loc[lowest, 'score']:.1f}".replace(".", ",")
    resume = html_da.split('id="resume"', 1)[1].split('id="sagsfremstilling"', 1)[0]
    assert "Partnerskaber og innovation" in resume and score_da in resume


@pytest.mark.slow
def test_hidden_departments_are_named_not_scored(rendered_da, html_da):
    dv = pd.read_csv(rendered_da / "tables" / "maturity_by_department_value.csv")
    hidden = dv[(dv["wave"] == 2025) & dv["suppressed"]]
    assert not hidden.empty
    # The briefing says which departments are left out, and marks them in the tables.
    for dept in hidden["department"].unique():
        assert dept in html_da
    assert "skjult (n &lt; 5)" in html_da


@pytest.mark.slow
def test_english_briefing(tmp_path):
    out = tmp_path / "en"
    assert cli.main(["render", "--out", str(out), "--lang", "en", "--formats", "html"]) == 0
    html = (out / "briefing.en.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in html
    for word in ("Summary", "Next steps", "Appendices", "Partnerships and innovation"):
        assert word in html
    assert not (out / "briefing.en.pdf").exists() and not (out / "briefing.html").exists()


def test_bad_data_is_refused_before_the_kernel_starts(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("respondent_id,department,wave,org_data_1\nR1,XYZ,2025,3\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["render", "-r", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:2:department" in err and "Traceback" not in err
    assert not out.exists()


def test_unknown_wave_is_a_parameter_error(tmp_path):
    with pytest.raises(ParameterError, match="2019"):
        prepare_briefing(wave=2019)
    assert cli.main(["render", "--wave", "2019", "--out", str(tmp_path / "x")]) == 2


def test_resume_has_three_to_five_sentences():
    for lang in ("da", "en"):
        sentences = prepare_briefing(lang=lang, resamples=200, chart_background=False).resume_sentences()
        assert 3 <= len(sentences) <= 5
        assert all(s.endswith(".") for s in sentences)


@pytest.mark.slow
def test_single_wave_briefing_has_no_change_section(tmp_path):
    b = prepare_briefing(config.sample_files()[-1:], resamples=200, chart_background=False)
    assert b.previous_wave is None
    assert b.all_changes() is None
    assert "Udvikling siden" not in str(b.case())


@pytest.mark.slow
def test_briefing_shows_trend_uncertainty_distributions_and_sensitivity(html_da, pdf_text_da):
    for text in (
        "Udvikling siden 2024",
        "Kendskab",
        "Svarfordelinger",
        "Bilag 1. Metode",
        "Pålidelighed",
        "Følsomhed for vægtningen",
        "Cronbachs alfa",
        "Vægtet med svarende",
        "Bilag 2. Tabeller og figurer",
        "Fordelinger pr. forvaltning vises kun",
        "krydser en niveaugrænse",
    ):
        assert text in html_da, text
    assert len(re.findall(r"<img\b", html_da)) >= 8
    # The method appendix is generated from the parameters actually used.
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_da))
    assert "trækkes 2.000 gange" in text and "startværdi 2025" in text and "version 2026.1" in text


@pytest.mark.slow
def test_change_table_and_excel_are_written(rendered_da):
    changes = pd.read_csv(rendered_da / "tables" / "change_by_department_value.csv", keep_default_na=False)
    assert list(changes.columns) == [
        "department",
        "value",
        "wave_from",
        "wave_to",
        "diff",
        "ci_low",
        "ci_high",
        "verdict",
        "p_adjusted",
        "family",
    ]
    assert set(changes["wave_from"]) == {2023, 2024} and set(changes["wave_to"]) == {2025}
    assert set(changes["verdict"]) <= {"improvement", "decline", "no clear change", ""}
    assert (rendered_da / "tables" / "briefing_tables.xlsx").stat().st_size > 5000


def test_low_alpha_is_said_and_its_focus_areas_are_shown():
    from analysis.report.appendix import robustness
    from analysis.report.view import Section

    b = prepare_briefing(resamples=200, charts=False)
    real = b.reliability
    low = real.assign(alpha=real["alpha"].where(real["value"] != "climate", 0.55))
    low["low"] = low["alpha"] < 0.7
    b.reliability = low  # a cached property: this briefing now holds the low alpha
    text = Section("robustness", robustness(b)).text()
    assert "Reduceret klimaaftryk har en alfa under 0,7 (0,55)" in text
    # The focus areas of the climate value appear as their own columns, hidden ones marked.
    for area in b.codebook.value("climate").focus_areas:
        assert area.name_da in text
    assert "Alle fem værdier har en alfa" not in text


@pytest.mark.slow
def test_render_reads_the_named_sheet_of_an_xlsx_export(tmp_path):
    """--sheet reaches the notebook too, not only the check before the kernel starts."""
    import openpyxl

    frame = pd.read_csv(config.sample_files()[-1], dtype=str, keep_default_na=False)
    book = openpyxl.Workbook()
    book.active.title = "Forside"
    book.active["A1"] = "Eksport fra spørgeskemaværktøjet"
    sheet = book.create_sheet("Svar")
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([int(x) if x.isdigit() else x for x in row])
    path = tmp_path / "eksport.xlsx"
    book.save(path)
    out = tmp_path / "out"
    assert cli.main(["render", "-r", str(path), "--sheet", "Svar", "--formats", "html", "--out", str(out)]) == 0
    value = pd.read_csv(out / "tables" / "maturity_by_value.csv")
    assert set(value["wave"]) == {2025}
    assert "Syntetiske data" not in (out / "briefing.html").read_text(encoding="utf-8")


def _all_sections(b):
    return [
        b.header(),
        b.resume(),
        b.case(),
        b.economy(),
        b.next_steps(),
        b.attachments(),
        b.appendix_header(),
        b.method(),
        b.tables(),
        b.data_quality(),
    ]


@pytest.mark.parametrize("min_n", [65, 100])
def test_a_minimum_group_above_everyone_gives_a_document_that_says_so(min_n):
    from analysis.report.view import Figure

    b = prepare_briefing(min_n=min_n, resamples=100, charts=False, chart_background=False)
    assert not b.publishable
    sections = _all_sections(b)
    text = "\n".join(s.text() for s in sections)
    assert f"et tal vises kun, når mindst {min_n} har svaret, og i 2025 har 64 svaret" in text
    assert not any(isinstance(block, Figure) for s in sections for block in s.blocks)


@pytest.mark.parametrize(
    ("departments", "min_n"),
    [(("SUF",), 5), (("SUF", "KFF"), 5), (("SUF", "TMF"), 5), (None, 15), (None, 16), (None, 40)],
)
def test_a_small_municipality_or_a_strict_minimum_still_gives_every_section(tmp_path, departments, min_n):
    """At most one published department on a value (or none) is said, not a crash."""
    from analysis.report.view import Figure

    frame = pd.read_csv(config.sample_files()[-1], dtype=str, keep_default_na=False)
    if departments:
        frame = frame[frame["department"].isin(departments)]
    path = tmp_path / "svar.csv"
    frame.to_csv(path, index=False)
    b = prepare_briefing([path], min_n=min_n, resamples=100, chart_background=False)
    assert b.publishable
    sections = _all_sections(b)
    figures = [block for s in sections for block in s.blocks if isinstance(block, Figure)]
    assert len(figures) >= 3 and all(f.alt for f in figures)
    assert "Resumé" in sections[1].text() and "Sagsfremstilling" in sections[2].text()
