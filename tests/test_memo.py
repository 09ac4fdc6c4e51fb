"""The memo a committee gets (briefing.*) and its Bilag (bilag.*), in HTML, PDF and Word, from the sample.

One Danish render of the bundled sample into a folder, then an English render into the same
folder; every test reads those files.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from analysis import cli

pytestmark = pytest.mark.slow

#: Words a politician does not use; none may appear in the memo (they belong in Bilag 1 and 4).
TECHNICAL = re.compile(
    r"\b(bootstrap\w*|cronbach\w*|alfa|sha-?256|git|commit|seed|startværdi|holm\w*|benjamini\w*|"
    r"percentil\w*|manifest\w*|min_n|p-værdi\w*|konfidens\w*)\b",
    re.IGNORECASE,
)
SECTIONS = ("Resumé", "Sagsfremstilling", "Økonomi", "Videre proces", "Bilag")


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("memo") / "2025"
    assert cli.main(["render", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def danish_digest(out) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def english(out, danish_digest) -> Path:
    assert cli.main(["render", "--out", str(out), "--lang", "en"]) == 0
    return out


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def html_text(path: Path) -> str:
    body = path.read_text(encoding="utf-8")
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def docx_paragraphs(path: Path):
    from docx import Document

    return Document(str(path)).paragraphs


def test_memo_and_bilag_are_written_in_three_formats(out):
    for stem in ("briefing", "bilag"):
        for kind in ("html", "pdf", "docx"):
            assert (out / f"{stem}.{kind}").stat().st_size > 1000, f"{stem}.{kind}"


def test_the_memo_is_at_most_four_pages_and_the_bilag_carry_the_rest(out):
    memo, bilag = len(PdfReader(out / "briefing.pdf").pages), len(PdfReader(out / "bilag.pdf").pages)
    assert 2 <= memo <= 4
    assert bilag >= 3
    text = pdf_text(out / "bilag.pdf")
    for number, title in enumerate(("Metode", "Tabeller og figurer", "Datakvalitet og kendskab", "Sporbarhed"), 1):
        assert f"Bilag {number}. {title}" in text


def test_the_memo_has_its_sections_and_four_figures(out):
    text = pdf_text(out / "briefing.pdf")
    for heading in SECTIONS:
        assert heading in text
    assert "Orientering til Økonomiudvalget" in text
    figures = re.findall(r"Figur (\d)\.", text)
    # the five values, departments x values, barriers and enablers, the change
    assert figures == ["1", "2", "3", "4"]
    assert text.index("Partnerskaber og innovation") < text.index("Figur 3.") < text.index("Udvikling siden")


@pytest.mark.parametrize("kind", ["pdf", "html", "docx"])
def test_the_memo_speaks_plain_danish(out, kind):
    path = out / f"briefing.{kind}"
    if kind == "pdf":
        text = pdf_text(path)
    elif kind == "html":
        text = html_text(path)
    else:
        text = " ".join(p.text for p in docx_paragraphs(path))
    assert TECHNICAL.findall(text) == []
    # ... and the technical words do appear in the Bilag, where they belong.
    bilag = pdf_text(out / "bilag.pdf")
    assert {"bootstrap", "cronbachs", "sha256"} <= {w.lower() for w in TECHNICAL.findall(bilag)}


def test_bilag_references_in_the_memo_link_to_the_bilag(out):
    memo = (out / "briefing.html").read_text(encoding="utf-8")
    bilag = (out / "bilag.html").read_text(encoding="utf-8")
    targets = set(re.findall(r'href="bilag\.html#(bilag-\d)"', memo))
    assert {"bilag-1", "bilag-2", "bilag-3", "bilag-4"} <= targets
    for target in targets:
        assert f'id="{target}"' in bilag
    # The Bilag has a table of contents, and no address outside the file.
    assert '<nav class="contents">' in bilag
    assert not re.search(r"""(?:src|href)\s*=\s*["']?https?://""", memo + bilag)


def test_wide_tables_scroll_on_a_narrow_screen(out):
    bilag = (out / "bilag.html").read_text(encoding="utf-8")
    assert bilag.count('<div class="table-scroll">') >= 3
    assert re.search(r"\.table-scroll\s*\{[^}]*overflow-x:\s*auto", bilag)


def test_the_word_memo_has_heading_styles_tables_and_described_pictures(out):
    from docx import Document

    doc = Document(str(out / "briefing.docx"))
    headings = {p.text: p.style.name for p in doc.paragraphs if p.style.name.startswith("Heading")}
    for heading in SECTIONS:
        assert headings.get(heading, "").startswith("Heading"), heading
    bilag = Document(str(out / "bilag.docx"))
    assert len(bilag.tables) >= 3
    assert any("ØKF" in cell.text for table in bilag.tables for row in table.rows for cell in row.cells)
    for path in (out / "briefing.docx", out / "bilag.docx"):
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        pictures = re.findall(r"<wp:docPr\b[^>]*>", xml)
        assert pictures, path.name
        for pic in pictures:
            descr = re.search(r'descr="([^"]*)"', pic)
            assert descr and descr.group(1).strip(), pic
    assert doc.core_properties.language == "da-DK"
    assert doc.core_properties.title.startswith("Modenhed i indkøbet")


def test_english_writes_beside_the_danish_files_and_leaves_them_byte_identical(english, danish_digest):
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in english.iterdir() if p.is_file()}
    assert {k: after.get(k) for k in danish_digest} == danish_digest
    for stem in ("briefing.en", "bilag.en"):
        for kind in ("html", "pdf", "docx"):
            assert (english / f"{stem}.{kind}").is_file()
    memo = (english / "briefing.en.html").read_text(encoding="utf-8")
    assert 'href="bilag.en.html#bilag-2"' in memo
    assert "Appendix 2. Tables and figures" in pdf_text(english / "bilag.en.pdf")
