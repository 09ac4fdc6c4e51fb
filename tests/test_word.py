"""Word documents from the section view-models (analysis.report.word), read back with python-docx."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from analysis.exceptions import ParameterError
from analysis.report.texts import Run
from analysis.report.view import Cell, Contents, DocumentHeader, Figure, Heading, Items, Paragraph, Section, Table
from analysis.report.word import write_docx

HEADINGS = ["Resumé", "Sagsfremstilling", "Økonomi", "Videre proces", "Bilag"]
ALT_1 = "Søjlediagram: Klima 3,2, Innovation 2,4; Innovation er lavest."
ALT_2 = "Søjlediagram over forvaltningerne, fra 2,7 til 3,4."
NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}


def tiny_png(width: int = 8, height: int = 4) -> bytes:
    """Return a small grey PNG made by hand (no image library)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x99\x99\x99" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def memo_sections(first_figure: int = 1) -> list[Section]:
    png = tiny_png()
    table = Table(
        columns=(Cell("Forvaltning"), Cell("Score", "num"), Cell("Svar", "num")),
        rows=(
            (Cell("Børne- og Ungdomsforvaltningen", "head"), Cell("3,1", "num"), Cell("42", "num")),
            (
                Cell("Kultur- og Fritidsforvaltningen", "head"),
                Cell("skjult", "hidden"),
                Cell("færre end 5", "num hidden"),
            ),
            (Cell("Øvrige", "head", strong="Øvrige forvaltninger"), Cell("2,9", "num"), Cell("17", "num")),
        ),
        style="scores",
        caption="Modenhed pr. forvaltning",
        keep=True,
    )
    return [
        Section(
            "header",
            [
                DocumentHeader(
                    "Københavns Kommune",
                    "Orientering",
                    "Modenhed i indkøbet 2025",
                    "Marts 2025",
                    "Syntetiske data.",
                    "Kun til afprøvning.",
                ),
                Contents("Indhold", tuple((h.lower(), h, 2) for h in HEADINGS)),
            ],
        ),
        Section(
            "summary",
            [
                Heading("Resumé", 2, "resume"),
                Paragraph.of(
                    "Kommunen scorer ", Run("3,1", bold=True), " i ", Run("gennemsnit", italic=True), ".", style="lead"
                ),
                Paragraph.of(
                    "Se ",
                    Run("bilag 2", href="bilag.html#bilag-2"),
                    ", ",
                    Run("politikken", href="https://www.kk.dk/indkoebspolitik"),
                    ", ",
                    Run("ikke et link", href="javascript:alert(1)"),
                    " og ",
                    Run("Økonomi", href="#okonomi"),
                    ". <script>alert(1)</script>",
                ),
                Items(((Run("Klima"),), (Run("Innovation"),))),
            ],
        ),
        Section(
            "case",
            [
                Heading("Sagsfremstilling", 2, "sagsfremstilling"),
                Paragraph.of("Tallene er usikre.", style="warning"),
                table,
                Paragraph.of("Kilde: undersøgelsen.", style="source"),
                Figure(first_figure, "Figur", "Modenhed pr. værdi.", ALT_1, png, 8, 4, 14.0),
                Items(((Run("Først"),), (Run("Så"),)), numbered=True),
            ],
        ),
        Section("economy", [Heading("Økonomi", 2, "okonomi"), Paragraph.of("Ingen udgifter.", style="note")]),
        Section("next", [Heading("Videre proces", 2), Items(((Run("Et"),), (Run("To"),)), numbered=True)]),
        Section(
            "appendix",
            [
                Heading("Bilag", 2, "bilag-1"),
                Heading("Bilag 1. Metode", 3),
                Figure(first_figure + 1, "Figur", "Forvaltningerne.", ALT_2, png, 8, 4, 40.0),
            ],
            document="bilag",
            page_break=True,
        ),
    ]


@pytest.fixture(scope="module")
def memo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("word") / "briefing.docx"
    # Through JSON, as the sections come out of the executed notebook.
    sections = [Section.from_json(json.dumps(s.to_json())) for s in memo_sections()]
    out = write_docx(
        sections, path, title="Modenhed i indkøbet 2025", subject="Indkøbspolitik", keywords="indkøb; modenhed"
    )
    assert out == path
    return path


def paragraph_named(doc, text: str):
    """Return the paragraph with ``text`` (not its entry in the table of contents)."""
    return next(p for p in doc.paragraphs if p.text == text and not is_toc_entry(p))


def is_toc_entry(p) -> bool:
    return re.fullmatch(r"toc \d", p.style.name.lower()) is not None


def text_width(doc) -> int:
    s = doc.sections[0]
    return s.page_width - s.left_margin - s.right_margin


def test_headings_have_word_heading_styles_and_stay_with_the_next_paragraph(memo):
    doc = docx.Document(str(memo))
    for text in HEADINGS:
        p = paragraph_named(doc, text)
        assert p.style.name == "Heading 2"
        assert p.paragraph_format.keep_with_next or p.style.paragraph_format.keep_with_next
    assert paragraph_named(doc, "Bilag 1. Metode").style.name == "Heading 3"
    assert paragraph_named(doc, "Modenhed i indkøbet 2025").style.name == "Title"
    # The heading's anchor is a bookmark, which the link "#okonomi" goes to.
    heading = paragraph_named(doc, "Økonomi")._p
    assert heading.xpath("./w:bookmarkStart/@w:name") == ["okonomi"]
    assert "okonomi" in doc.element.body.xpath(".//w:hyperlink/@w:anchor")


def test_contents_is_a_toc_field_filled_with_the_headings(memo):
    doc = docx.Document(str(memo))
    instructions = " ".join(doc.element.body.xpath(".//w:instrText/text()"))
    assert 'TOC \\o "1-3" \\h \\z \\u' in instructions
    entries = [p.text for p in doc.paragraphs if is_toc_entry(p)]
    assert entries == HEADINGS


def test_table_is_a_word_table_with_a_repeating_header(memo):
    doc = docx.Document(str(memo))
    assert len(doc.tables) == 1
    table = doc.tables[0]
    texts = [[c.text for c in row.cells] for row in table.rows]
    assert texts[0] == ["Forvaltning", "Score", "Svar"]
    assert texts[1] == ["Børne- og Ungdomsforvaltningen", "3,1", "42"]
    assert texts[3][0] == "Øvrige forvaltninger\nØvrige"
    rows = table._tbl.tr_lst
    assert rows[0].xpath("./w:trPr/w:tblHeader")
    assert not rows[1].xpath("./w:trPr/w:tblHeader")
    assert all(r.xpath("./w:trPr/w:cantSplit") for r in rows)
    number = table.rows[1].cells[1].paragraphs[0]
    assert number.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[1].cells[0].paragraphs[0].runs[0].bold  # a row heading
    hidden = table.rows[2].cells[1].paragraphs[0].runs[0]
    assert hidden.italic and str(hidden.font.color.rgb) == "595959"
    assert table.rows[3].cells[0].paragraphs[0].runs[0].bold  # the strong first line
    assert table.style.name in ("Light List Accent 1", "Table Grid")
    # It fits the text width of A4 portrait with 2.5 cm margins.
    columns = [int(w) for w in table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
    assert columns[0] > max(columns[1:]) and min(columns) > Cm(1.5).twips  # the long names get the room
    width = sum(columns)
    assert abs(text_width(doc) - Cm(16)) < Cm(0.01)
    assert Cm(15.9).twips < width <= text_width(doc) / 635
    caption = doc.element.body.xpath("./w:tbl")[0].getprevious()
    assert "".join(caption.xpath(".//w:t/text()")) == "Modenhed pr. forvaltning"


def test_figures_are_pictures_with_alt_text_and_a_numbered_caption(memo):
    doc = docx.Document(str(memo))
    doc_prs = doc.element.body.xpath(".//wp:docPr")
    assert [d.get("descr") for d in doc_prs] == [ALT_1, ALT_2]
    assert all(0 < s.width <= text_width(doc) for s in doc.inline_shapes)
    assert abs(doc.inline_shapes[0].width - Cm(14)) < Cm(0.01)
    captions = [p for p in doc.paragraphs if p.style.name == "Caption" and p.text.startswith("Figur")]
    assert [p.text for p in captions] == ["Figur 1. Modenhed pr. værdi.", "Figur 2. Forvaltningerne."]
    for p in captions:
        assert p._p.xpath(".//w:instrText")[0].text.strip().startswith("SEQ Figur")
        picture = p._p.getprevious()
        assert picture.xpath(".//wp:docPr") and picture.xpath("./w:pPr/w:keepNext")


def test_figure_numbers_that_do_not_start_at_one_reset_the_seq_field(tmp_path):
    path = write_docx(memo_sections(first_figure=4), tmp_path / "bilag.docx", title="Bilag")
    doc = docx.Document(str(path))
    fields = [i.text.strip() for i in doc.element.body.xpath(".//w:instrText") if "SEQ" in i.text]
    assert fields == ["SEQ Figur \\* ARABIC \\r 4", "SEQ Figur \\* ARABIC"]
    assert any(p.text.startswith("Figur 4. ") for p in doc.paragraphs)


def test_marks_links_and_html_like_text_survive(memo):
    doc = docx.Document(str(memo))
    lead = next(p for p in doc.paragraphs if p.text.startswith("Kommunen scorer"))
    assert lead.style.name == "Briefing Lead"
    marks = {r.text: (bool(r.bold), bool(r.italic)) for r in lead.runs}
    assert marks["3,1"] == (True, False) and marks["gennemsnit"] == (False, True)
    targets = {r.target_ref for r in doc.part.rels.values() if r.reltype.endswith("/hyperlink")}
    assert targets == {"bilag.docx", "https://www.kk.dk/indkoebspolitik"}
    links = next(p for p in doc.paragraphs if p.text.startswith("Se "))
    assert [h.text for h in links.hyperlinks] == ["bilag 2", "politikken", "Økonomi"]
    assert links.text.endswith("ikke et link og Økonomi. <script>alert(1)</script>")


def test_link_map_sends_links_to_the_named_documents(tmp_path):
    path = write_docx(
        memo_sections(), tmp_path / "briefing.en.docx", title="T", lang="en", links={"bilag.html": "bilag.en.docx"}
    )
    doc = docx.Document(str(path))
    targets = {r.target_ref for r in doc.part.rels.values() if r.reltype.endswith("/hyperlink")}
    assert "bilag.en.docx" in targets and "bilag.docx" not in targets


def test_footer_counts_pages_and_properties_are_set(memo):
    doc = docx.Document(str(memo))
    section = doc.sections[0]
    footer = section.footer._element
    fields = [i.text.strip() for i in footer.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert section.footer.paragraphs[0].text == "Side 1 af 1"
    assert section.header.paragraphs[0].text == "Modenhed i indkøbet 2025"
    props = doc.core_properties
    assert (props.title, props.author, props.subject, props.keywords, props.language) == (
        "Modenhed i indkøbet 2025",
        "Københavns Kommune, Økonomiforvaltningen",
        "Indkøbspolitik",
        "indkøb; modenhed",
        "da-DK",
    )
    lang = doc.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val")
    assert lang == ["da-DK"]
    # A4 portrait, 2.5 cm margins, Arial.
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 2) == round(section.right_margin.cm, 2) == 2.5
    assert doc.styles["Normal"].font.name == "Arial"


def test_english_words_and_language(tmp_path):
    path = write_docx(memo_sections(), tmp_path / "briefing.en.docx", title="Procurement maturity", lang="en")
    doc = docx.Document(str(path))
    assert doc.sections[0].footer.paragraphs[0].text == "Page 1 of 1"
    assert doc.core_properties.language == "en-GB"
    assert doc.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val") == ["en-GB"]


def test_sections_with_page_break_start_a_new_page_and_numbered_lists_restart(memo):
    doc = docx.Document(str(memo))
    bilag = paragraph_named(doc, "Bilag")
    assert bilag.paragraph_format.page_break_before
    assert not paragraph_named(doc, "Økonomi").paragraph_format.page_break_before
    numbered = [p for p in doc.paragraphs if p.style.name == "List Number"]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3]
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["Klima", "Innovation"]


def test_paragraph_styles(memo):
    doc = docx.Document(str(memo))
    styles = {p.text: p.style for p in doc.paragraphs}
    warning = styles["Tallene er usikre."]
    assert warning.name == "Briefing Warning"
    assert warning.element.xpath("./w:pPr/w:pBdr") and warning.element.xpath("./w:pPr/w:shd")
    for text in ("Kilde: undersøgelsen.", "Ingen udgifter."):
        assert styles[text].font.size < doc.styles["Normal"].font.size
        assert str(styles[text].font.color.rgb) == "595959"


def test_reference_template_gives_its_styles(tmp_path):
    ref = docx.Document()
    ref.styles["Normal"].font.size = Pt(14)
    ref.add_paragraph("Skabelonens egen tekst")
    ref.sections[0].header.paragraphs[0].text = "KØBENHAVNS KOMMUNE"
    ref.save(str(tmp_path / "skabelon.docx"))
    path = write_docx(memo_sections(), tmp_path / "out.docx", title="T", reference=tmp_path / "skabelon.docx")
    doc = docx.Document(str(path))
    assert doc.styles["Normal"].font.size == Pt(14)
    assert "Skabelonens egen tekst" not in [p.text for p in doc.paragraphs]
    assert doc.sections[0].header.paragraphs[0].text == "KØBENHAVNS KOMMUNE"  # the template's header stays
    assert [i.text.strip() for i in doc.sections[0].footer._element.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    assert paragraph_named(doc, "Resumé").style.name == "Heading 2"


def test_reference_template_without_our_styles_falls_back(tmp_path):
    ref = docx.Document()
    for name in (
        "List Bullet",
        "List Number",
        "Caption",
        "Heading 2",
        "Heading 3",
        "Title",
        "Light List Accent 1",
        "Table Grid",
    ):
        style = ref.styles[name].element
        style.getparent().remove(style)
    ref.save(str(tmp_path / "sparse.docx"))
    path = write_docx(memo_sections(), tmp_path / "out.docx", title="T", reference=tmp_path / "sparse.docx")
    doc = docx.Document(str(path))
    assert paragraph_named(doc, "Resumé").style.name == "Heading 2"
    assert doc.styles["Heading 2"].element.xpath("./w:pPr/w:outlineLvl/@w:val") == ["1"]
    assert [p.text for p in doc.paragraphs if p.style.name == "List Bullet"] == ["• Klima", "• Innovation"]
    assert [p.text for p in doc.paragraphs if p.style.name == "List Number"][:2] == ["1. Først", "2. Så"]
    assert doc.tables[0].style.name == "Table Grid"
    assert any(p.text == "Figur 1. Modenhed pr. værdi." and p.style.name == "Caption" for p in doc.paragraphs)


@pytest.mark.parametrize(
    "name,content,says",
    [
        ("mangler.docx", None, "no such file; give the path of a .docx file"),
        ("skabelon.dotm", b"x", "found .dotm; open it in Word and save it as a Word document"),
        ("ødelagt.docx", b"not a zip", "cannot be read as a Word document"),
    ],
)
def test_bad_reference_raises_parameter_error_naming_the_file(tmp_path, name, content, says):
    ref = tmp_path / name
    if content is not None:
        ref.write_bytes(content)
    with pytest.raises(ParameterError, match=re.escape(name)) as error:
        write_docx(memo_sections(), tmp_path / "out.docx", title="T", reference=ref)
    assert says in str(error.value)
    assert str(error.value).count(". ") == 0  # one sentence
    assert not (tmp_path / "out.docx").exists()


def test_written_all_or_nothing(tmp_path):
    path = tmp_path / "briefing.docx"
    path.write_bytes(b"old")
    broken = memo_sections()
    broken[2].blocks[4] = Figure(1, "Figur", "x", "x", b"not a png", 1, 1, 5.0)
    with pytest.raises(Exception):  # noqa: B017 - python-docx's own error for an unreadable picture
        write_docx(broken, path, title="T")
    assert path.read_bytes() == b"old"
    write_docx(memo_sections(), path, title="T")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.docx"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_it_to_pdf(memo, tmp_path):
    from pypdf import PdfReader

    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(memo),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / "briefing.pdf"
    assert pdf.is_file(), result.stdout + result.stderr
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 2  # the Bilag starts on a page of its own
    first = reader.pages[0].extract_text()
    assert "Resumé" in first and "Side 1 af" in first


def test_template_footer_stays_and_gets_page_numbers(tmp_path):
    ref = docx.Document()
    ref.sections[0].footer.paragraphs[0].text = "Økonomiforvaltningen · Rådhuset"
    ref.save(str(tmp_path / "skabelon.docx"))
    doc = docx.Document(
        str(write_docx(memo_sections(), tmp_path / "o.docx", title="T", reference=tmp_path / "skabelon.docx"))
    )
    assert [p.text for p in doc.sections[0].footer.paragraphs] == ["Økonomiforvaltningen · Rådhuset", "Side 1 af 1"]


def test_template_without_page_setup_gets_a4(tmp_path):
    ref = docx.Document()
    ref.element.body.remove(ref.element.body.sectPr)
    ref.save(str(tmp_path / "skabelon.docx"))
    doc = docx.Document(
        str(write_docx(memo_sections(), tmp_path / "o.docx", title="T", reference=tmp_path / "skabelon.docx"))
    )
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert section.footer.paragraphs[0].text == "Side 1 af 1"


def test_text_xml_cannot_hold_and_empty_contents(tmp_path):
    sections = [
        Section("s", [Contents("Indhold", ()), Heading("Resumé\x0b", 2), Paragraph.of("Tal\x00 fra Excel\x1f")])
    ]
    doc = docx.Document(str(write_docx(sections, tmp_path / "o.docx", title="T\x07")))
    texts = [p.text for p in doc.paragraphs]
    assert "Resumé" in texts and "Tal fra Excel" in texts
    assert "Højreklik og vælg Opdater felt." in texts
    assert doc.core_properties.title == "T"


def test_package_has_no_stale_copy_of_the_styles(memo):
    # python-docx's template carries Word 2010's stylesWithEffects.xml, which would no longer
    # match the changed styles.
    names = zipfile.ZipFile(memo).namelist()
    assert "word/styles.xml" in names
    assert not any("stylesWithEffects" in n for n in names)


def test_a_section_that_starts_with_a_table_still_starts_a_new_page(tmp_path):
    table = Table((Cell("A"),), ((Cell("1"),),))
    sections = [Section("a", [Paragraph.of("Før")]), Section("b", [table], page_break=True)]
    doc = docx.Document(str(write_docx(sections, tmp_path / "o.docx", title="T")))
    before_table = doc.element.body.xpath("./w:tbl")[0].getprevious()
    assert before_table.xpath(".//w:br/@w:type") == ["page"]


def test_the_analysts_texts_reach_word_as_paragraphs_a_list_and_escaped_text(tmp_path):
    """A --texts file with two paragraphs, a bullet list and <script> gives the same in Word as in HTML."""
    from analysis.report.briefing import prepare_briefing

    texts = tmp_path / "tekster.md"
    texts.write_text(
        "## Økonomi\n\nFørste afsnit med **fed** skrift.\n\nAndet afsnit <script>alert(1)</script>.\n\n"
        "- første punkt\n- andet punkt\n",
        encoding="utf-8",
    )
    briefing = prepare_briefing(resamples=100, charts=False, chart_background=False, texts=texts)
    section = Section.from_json(json.loads(json.dumps(briefing.economy().to_json())))  # as the pipeline reads it
    html = str(briefing.economy())
    assert html.count("<p") == 2 and html.count("<li>") == 2 and "&lt;script&gt;" in html and "<script>" not in html
    path = write_docx([section], tmp_path / "memo.docx", title="T")
    paragraphs = [p for p in docx.Document(str(path)).paragraphs if p.text.strip()]
    heading, first, second, *items = paragraphs
    assert heading.text == "Økonomi" and heading.style.name == "Heading 2"
    assert first.text == "Første afsnit med fed skrift." and any(r.bold and r.text == "fed" for r in first.runs)
    assert second.text == "Andet afsnit <script>alert(1)</script>."
    assert [p.text for p in items] == ["første punkt", "andet punkt"]
    assert all(p.style.name == "List Bullet" for p in items)


def test_a_cell_spanning_columns_is_one_merged_cell_in_word_and_html(tmp_path):
    table = Table(
        (Cell("Værdi"), Cell("Score", "num"), Cell("Interval", "num"), Cell("n", "num")),
        (
            (Cell("Klima", "head"), Cell("3,40", "num"), Cell("[3,1; 3,7]", "num"), Cell("14", "num")),
            (Cell("Innovation", "head"), Cell("Vises samlet med Øvrige forvaltninger", "hidden", span=3)),
        ),
    )
    section = Section.from_json(json.loads(json.dumps(Section("t", [table]).to_json())))
    assert section.blocks[0].rows[1][1].span == 3
    assert 'colspan="3" class="hidden">Vises samlet' in str(section)
    path = write_docx([section], tmp_path / "t.docx", title="T")
    word = docx.Document(str(path)).tables[0]
    merged = word.rows[2].cells
    assert merged[1].text == merged[2].text == merged[3].text == "Vises samlet med Øvrige forvaltninger"
    assert word.rows[2]._tr.xpath(".//w:gridSpan/@w:val") == ["3"]
    assert [c.text for c in word.rows[1].cells] == ["Klima", "3,40", "[3,1; 3,7]", "14"]


def test_the_text_before_a_table_or_figure_stays_with_it_and_narrow_columns_keep_whole_words(tmp_path):
    table = Table(
        (Cell("Kode"), *(Cell("Finansieringsmodeller og samarbejde", "num") for _ in range(5))),
        ((Cell("ØVRIGE", "head"), *(Cell("3,41\n[3,41–4,20]", "num") for _ in range(5))),),
    )
    section = Section("t", [Heading("Tabel", 3), Paragraph.of("Tabellen viser scorerne:"), table])
    doc = docx.Document(str(write_docx([section], tmp_path / "t.docx", title="T")))
    intro = next(p for p in doc.paragraphs if p.text == "Tabellen viser scorerne:")
    assert intro.paragraph_format.keep_with_next
    first_column = doc.tables[0].columns[0].width
    assert first_column >= Cm(0.2 * len("ØVRIGE") + 0.45) - Cm(0.05)
