"""Tests of analysis.render: notebook -> executed notebook, HTML and PDF, all-or-nothing.

The fixture notebooks live in tests/fixtures/ (committed without outputs):

- ``ok.ipynb``: a title, an analyst's note (markdown), a ``parameters`` cell (lang, title, rows),
  a cell that prints to stdout and stderr and draws a tiny matplotlib PNG, then HTML outputs
  (a "Resumé" with æ ø å, a long table, a figure with alt text, two IPython ``Image`` outputs,
  one without alt), a second note, and long text ending in a last-expression HTML output.
- ``fails.ipynb``: its third cell raises ``ValueError("bevidst fejl")``.
- ``floor.ipynb``: only imports pandas and matplotlib (the benchmark's floor).

Rendering ok.ipynb runs a kernel (about 1.5 s), so it is done once per module.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from analysis.exceptions import ParameterError, RenderError
from analysis.pipeline import export
from analysis.pipeline.render import DEFAULT_AUTHOR, export_html, html_to_pdf, render_notebook

FIXTURES = Path(__file__).parent / "fixtures"
OK = FIXTURES / "ok.ipynb"
FAILS = FIXTURES / "fails.ipynb"
FLOOR = FIXTURES / "floor.ipynb"
TITLE = "Prøvebriefing for Økonomiudvalget"
ROWS = 45  # long enough for the table to run onto page 2


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Render ok.ipynb once (HTML and PDF) and return the RenderResult."""
    out = tmp_path_factory.mktemp("render") / "briefing-out"
    return render_notebook(OK, out, {"rows": ROWS}, title=TITLE, progress=False, formats=("html", "pdf"))


@pytest.fixture(scope="module")
def html(rendered) -> str:
    return rendered.paths["html"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pdf_pages(rendered) -> list[str]:
    return [page.extract_text() for page in PdfReader(rendered.paths["pdf"]).pages]


def _tree_digest(folder: Path) -> dict[str, str]:
    """Return {relative path: sha256} of every file under ``folder``, plus folder names."""
    digest = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        digest[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "<dir>"
    return digest


# --- a successful render -----------------------------------------------------------------


@pytest.mark.slow
def test_render_writes_the_executed_notebook_html_and_pdf(rendered):
    assert set(rendered.paths) == {"ipynb", "html", "pdf"}
    assert rendered.paths["html"].name == "briefing.html"
    for path in rendered.paths.values():
        assert path.parent == rendered.out_dir
        assert path.stat().st_size > 1000, path
    assert rendered.paths["pdf"].read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in rendered.out_dir.iterdir()) == ["briefing.html", "briefing.ipynb", "briefing.pdf"]
    assert set(rendered.timings) == {"execute", "html", "pdf", "total"}
    assert all(t >= 0 for t in rendered.timings.values())
    assert rendered.timings["total"] >= rendered.timings["execute"] + rendered.timings["pdf"]


@pytest.mark.slow
def test_render_leaves_no_temporary_folders(rendered):
    siblings = sorted(p.name for p in rendered.out_dir.parent.iterdir())
    assert siblings == [rendered.out_dir.name]


@pytest.mark.slow
def test_executed_notebook_has_the_injected_parameters_cell(rendered):
    nb = nbformat.read(rendered.paths["ipynb"], as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert f"rows = {ROWS}" in injected[0].source
    # papermill puts it right after the notebook's own parameters cell
    index = nb.cells.index(injected[0])
    assert "parameters" in nb.cells[index - 1].metadata.get("tags", [])


@pytest.mark.slow
def test_pdf_text_has_the_summary_heading_and_danish_letters(pdf_pages):
    # Where lines break depends on the fonts' metrics; compare the words, not the line breaks.
    text = " ".join("\n".join(pdf_pages).split())
    assert "Resumé" in text
    assert "Blåbær, æbler og rødgrød: æ ø å Æ Ø Å." in text
    assert "Økonomiforvaltningens spørgeskemaundersøgelse" in text  # the last expression's output


@pytest.mark.slow
def test_pdf_has_page_numbers_and_a_running_title_from_page_two(pdf_pages):
    n = len(pdf_pages)
    assert n >= 2
    for number, text in enumerate(pdf_pages, start=1):
        assert f"side {number} af {n}" in text
    assert TITLE in pdf_pages[1]  # running header
    assert pdf_pages[0].count(TITLE) == 1  # the H1 only: no running header on page 1


@pytest.mark.slow
def test_pdf_is_a4_with_title_and_author_metadata(rendered):
    reader = PdfReader(rendered.paths["pdf"])
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert reader.metadata.title == TITLE
    assert reader.metadata.author == DEFAULT_AUTHOR


@pytest.mark.slow
def test_html_is_a_danish_html5_page_with_inline_css(html):
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert '<html lang="da">' in html
    assert re.search(r'<meta charset="utf-8"\s*/?>', html)
    assert f"<title>{TITLE}</title>" in html
    assert re.search(rf'<meta (?=[^>]*name="author")(?=[^>]*content="{DEFAULT_AUTHOR}")', html)
    assert re.search(r"<style[^>]*>[^<]*@page", html)
    assert '"side " counter(page) " af " counter(pages)' in html
    assert "<link" not in html  # no external stylesheet


@pytest.mark.slow
def test_html_loads_nothing_from_the_network(html):
    remote = re.compile(
        r"""(?:\b(?:src|href)\s*=\s*["']?\s*|@import\s*(?:url\(\s*)?["']?\s*|\burl\(\s*["']?\s*)"""
        r"""(?:https?:)?//""",
        re.IGNORECASE,
    )
    assert remote.findall(html) == []
    assert "<script" not in html.lower()
    assert "require.js" not in html and "mathjax" not in html.lower()


@pytest.mark.slow
def test_html_has_no_code_prompts_notes_or_streams(html):
    for absent in [
        "In [",
        "Out[",
        "jp-InputPrompt",
        "input_prompt",
        "highlight",
        "hemmelig_kildekode_markoer",
        "display(HTML",
        "import matplotlib",  # code
        "Analytikernote",
        "husk at tjekke tallene",
        "# Prøvebriefing",  # markdown notes
        "stdout-markør",
        "stderr-markør",  # stream outputs
        "IPython.core.display.Image",  # a text/plain repr
    ]:
        assert absent not in html, absent


@pytest.mark.slow
def test_every_image_is_embedded_with_alt_text(html):
    images = re.findall(r"<img\b[^>]*>", html)
    assert len(images) == 3
    for img in images:
        assert re.search(r'\bsrc="data:image/png;base64,[A-Za-z0-9+/=]+"', img), img[:80]
        alt = re.search(r'\balt="([^"]*)"', img)
        assert alt and alt.group(1).strip(), img[:80]
    alts = [re.search(r'\balt="([^"]*)"', img).group(1) for img in images]
    assert alts == ["Søjlediagram: modenhed for blå, grøn og rød værdi", "Samme figur vist som billede", "Figur"]


# --- refusing bad input before anything runs --------------------------------------------


@pytest.fixture
def no_kernel(monkeypatch):
    """Fail the test if papermill is asked to execute anything."""
    import papermill

    def refuse(*args, **kwargs):
        raise AssertionError("papermill.execute_notebook was called")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


def test_unknown_parameter_is_refused_before_the_kernel_starts(tmp_path, no_kernel):
    with pytest.raises(ParameterError) as info:
        render_notebook(OK, tmp_path / "out", {"rows": 3, "colour": "blå", "titel": "x"}, title="T")
    message = str(info.value)
    assert "'colour'" in message and "'titel'" in message
    assert "did you mean 'title'?" in message
    for accepted in ("lang", "title", "rows"):
        assert accepted in message.split("accepts:")[1]
    assert "'rows'" not in message.split("accepts:")[0]
    assert list(tmp_path.iterdir()) == []  # nothing written, nothing executed


def test_parameters_are_read_from_annotated_assignments(tmp_path, no_kernel):
    v4 = nbformat.v4
    params = v4.new_code_cell(
        "wave: int | None = None  # survey year; None = the latest\n"
        "title: str = ''  # the briefing's title; empty = \"Modenhed i indkøbet <wave>\"\n"
        "responses: list = []  # survey exports\n"
        "a, b = 1, 2\n"
    )
    params.metadata["tags"] = ["parameters"]
    nb_path = tmp_path / "annotated.ipynb"
    nbformat.write(v4.new_notebook(cells=[params]), nb_path)
    with pytest.raises(ParameterError) as info:
        render_notebook(
            nb_path, tmp_path / "out", {"wave": 2024, "title": "T", "responses": [], "b": 3, "bogus": 1}, title="T"
        )
    message = str(info.value)
    assert message.startswith("Unknown parameter for annotated.ipynb: 'bogus'.")
    assert "wave (int | None, default None)" in message
    assert "title (str, default '')" in message
    assert "a (default 1)" in message and "b (default 2)" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotated.ipynb"]


@pytest.mark.slow
def test_a_notebook_without_sections_gets_no_word_file_and_says_so(tmp_path, capsys):
    result = render_notebook(OK, tmp_path / "out", {"rows": 3}, title=TITLE, progress=False)
    assert "docx" not in result.paths and not list((tmp_path / "out").glob("*.docx"))
    assert "shows no sections made by analysis.report, so no briefing.docx" in capsys.readouterr().err


def test_unknown_format_is_refused(tmp_path, no_kernel):
    with pytest.raises(ParameterError, match=r"'rtf'.*html, pdf, docx"):
        render_notebook(OK, tmp_path / "out", {}, formats=("html", "rtf"), title="T")
    assert list(tmp_path.iterdir()) == []


def test_unsupported_language_is_refused(tmp_path, no_kernel):
    with pytest.raises(ParameterError, match="lang must be one of da, en, found 'de'"):
        render_notebook(OK, tmp_path / "out", {"lang": "de"}, title="T")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_is_not_render_output_is_not_replaced(tmp_path, no_kernel):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"holds notes\.txt, which this tool did not write"):
        render_notebook(OK, out, {}, title="T")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_missing_notebook_is_refused(tmp_path, no_kernel):
    with pytest.raises(ParameterError, match="Notebook not found"):
        render_notebook(tmp_path / "nope.ipynb", tmp_path / "out", {}, title="T")


# --- a failing render --------------------------------------------------------------------


@pytest.mark.slow
def test_failing_render_leaves_the_previous_output_byte_for_byte(rendered, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(rendered.out_dir, out)
    before = _tree_digest(out)

    with pytest.raises(RenderError) as info:
        render_notebook(FAILS, out, {"lang": "da"}, title="Fejl", progress=False)

    message = str(info.value)
    assert "Cell 3 of fails.ipynb (counting all cells from 1)" in message
    assert "ValueError: bevidst fejl" in message
    assert 'raise ValueError("bevidst fejl")' in message
    failed = tmp_path / "out.failed.ipynb"
    assert str(failed) in message
    assert f"{out} was left unchanged" in message
    assert _tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "out.failed.ipynb"]  # no temp folders

    kept = nbformat.read(failed, as_version=4)
    errors = [o for c in kept.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert [(e.ename, e.evalue) for e in errors] == [("ValueError", "bevidst fejl")]

    # The next successful render replaces the output and removes the stale diagnosis.
    result = render_notebook(FLOOR, out, {}, formats=(), title="Tom", progress=False)
    assert set(result.paths) == {"ipynb"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in out.iterdir()) == ["briefing.ipynb"]


# --- export_html and html_to_pdf on their own (no kernel) -------------------------------


def _hand_made_notebook():
    """Return an 'executed' notebook with every kind of cell and output the exporter meets."""
    v4 = nbformat.v4
    code = v4.new_code_cell(
        "secret_source_line = 1",
        execution_count=1,
        outputs=[
            v4.new_output("stream", name="stdout", text="printed to stdout\n"),
            v4.new_output(
                "display_data",
                data={
                    "text/html": "<h2>Summary</h2><p>Text</p>"
                    '<script src="https://cdn.example.org/x.js"></script>'
                    '<script>alert("x")</script>'
                    '<link rel="stylesheet" href="https://cdn.example.org/x.css">'
                    '<iframe src="https://example.org/embed"></iframe>',
                    "text/plain": "<IPython.core.display.HTML object>",
                },
            ),
            v4.new_output("display_data", data={"text/plain": "only a repr"}),
            v4.new_output("display_data", data={"application/javascript": "console.log('x')", "text/plain": "js"}),
            v4.new_output(
                "execute_result",
                execution_count=1,
                data={"text/markdown": "**Bold** markdown output", "text/plain": "md"},
            ),
        ],
    )
    error = v4.new_code_cell(
        "1/0",
        execution_count=2,
        outputs=[
            v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero", traceback=["Traceback line"])
        ],
    )
    return v4.new_notebook(
        cells=[
            v4.new_markdown_cell("# Title\n\nA note for the analyst."),
            code,
            error,
            v4.new_raw_cell("raw cell text"),
        ]
    )


def test_export_html_keeps_only_rich_outputs_and_drops_scripts():
    html = export_html(
        _hand_made_notebook(),
        lang="en",
        title="A & B <test>",
        metadata={"description": "Test page", "keywords": "a, b"},
    )
    assert '<html lang="en">' in html
    assert "<title>A &amp; B &lt;test&gt;</title>" in html
    assert re.search(r'<meta (?=[^>]*name="description")(?=[^>]*content="Test page")', html)
    assert "<h2>Summary</h2>" in html
    assert "<strong>Bold</strong> markdown output" in html
    assert '"page " counter(page) " of " counter(pages)' in html
    for absent in [
        "<script",
        "cdn.example.org",
        "alert(",
        "printed to stdout",
        "only a repr",
        "console.log",
        "ZeroDivisionError",
        "Traceback",
        "secret_source_line",
        "A note for the analyst",
        "raw cell text",
    ]:
        assert absent not in html, absent


def test_a_title_block_from_the_notebook_is_not_repeated():
    v4 = nbformat.v4
    header = (
        '<header class="doc-header"><p class="org">Københavns Kommune</p>'
        '<h1 class="doctitle">Notesbogens titel</h1></header>'
    )
    nb = v4.new_notebook(
        cells=[v4.new_code_cell("x", outputs=[v4.new_output("display_data", data={"text/html": header})])]
    )
    html = export_html(nb, lang="da", title="Sidens titel")
    assert len(re.findall(r"<h1\b", html)) == 1
    assert "Notesbogens titel</h1>" in html
    assert "<title>Sidens titel</title>" in html
    # without such an output, the page supplies the title block itself
    plain = export_html(v4.new_notebook(), lang="da", title="Sidens titel")
    assert re.findall(r"<h1[^>]*>([^<]*)</h1>", plain) == ["Sidens titel"]


def test_html_to_pdf_fetches_nothing_remote(tmp_path):
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Remote</title>'
        "<style>@page { size: A4 } body { background: url(https://example.org/bg.png) }</style>"
        '</head><body><p>Hello</p><img src="https://example.org/x.png" alt="remote image">'
        '<img src="file:///etc/hostname" alt="local file"></body></html>'
    )
    path = html_to_pdf(page, tmp_path / "x.pdf")
    reader = PdfReader(path)
    assert "Hello" in reader.pages[0].extract_text()
    assert reader.metadata.title == "Remote"
    # Neither image was fetched: the PDF holds no image XObject.
    resources = reader.pages[0].get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    assert not [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]


@pytest.mark.slow
def test_english_page_numbers_in_the_pdf(rendered, tmp_path):
    nb = nbformat.read(rendered.paths["ipynb"], as_version=4)
    html = export_html(nb, lang="en", title="Sample briefing", metadata=None)
    pages = [p.extract_text() for p in PdfReader(html_to_pdf(html, tmp_path / "en.pdf")).pages]
    assert "page 1 of" in pages[0] and "page 2 of" in pages[1]
    assert "Sample briefing" in pages[1]


def test_exporter_is_built_once():
    assert export._exporter() is export._exporter()


# --- output folders ---------------------------------------------------------------------------


def test_replace_directory_swaps_a_folder_in_and_carries_kept_entries(tmp_path):
    from analysis.pipeline.output import replace_directory

    target, new = tmp_path / "out", tmp_path / ".out.new"
    (target / "departments").mkdir(parents=True)
    (target / "departments" / "x.txt").write_text("profile")
    (target / "old.txt").write_text("old")
    new.mkdir()
    (new / "briefing.html").write_text("new")
    replace_directory(new, target, keep=("departments",))
    assert sorted(p.name for p in target.iterdir()) == ["briefing.html", "departments"]
    assert (target / "departments" / "x.txt").read_text() == "profile"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_replace_directory_puts_everything_back_when_the_move_fails(tmp_path, monkeypatch, exchange):
    from analysis.pipeline import output
    from analysis.pipeline.output import replace_directory

    target, new = tmp_path / "out", tmp_path / ".out.new"
    (target / "departments").mkdir(parents=True)
    (target / "departments" / "x.txt").write_text("profile")
    (target / "old.txt").write_text("old")
    new.mkdir()
    before = _tree_digest(target)
    real_rename = Path.rename

    def fail(*args):
        raise OSError("disk full")

    def rename(self, to):
        if self == new:
            raise OSError("disk full")
        return real_rename(self, to)

    if exchange:
        monkeypatch.setattr(output, "_exchange", fail)
    else:  # a file system that cannot exchange two folders: rename aside, then into place
        monkeypatch.setattr(output, "_exchange", lambda a, b: False)
        monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError, match="disk full"):
        replace_directory(new, target, keep=("departments",))
    assert _tree_digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.new", "out"]


def test_the_output_folder_exists_at_every_moment_of_the_swap(tmp_path, monkeypatch):
    """Each rename or exchange of the final swap leaves a complete folder at the output's name."""
    from analysis.pipeline import output
    from analysis.pipeline.output import replace_directory

    target, new = tmp_path / "out", tmp_path / ".out.new"
    target.mkdir()
    (target / "briefing.html").write_text("old")
    new.mkdir()
    (new / "briefing.html").write_text("new")
    seen = []
    real_rename, real_exchange = Path.rename, output._exchange

    def watch(result):
        seen.append((target / "briefing.html").read_text() if target.exists() else None)
        return result

    monkeypatch.setattr(output, "_exchange", lambda a, b: watch(real_exchange(a, b)))
    monkeypatch.setattr(Path, "rename", lambda self, to: watch(real_rename(self, to)))
    replace_directory(new, target, lang="da")
    assert seen and None not in seen
    assert (target / "briefing.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# --- sanitizing outputs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "active, gone",
    [
        ('<img src="data:image/png;base64,AAAA" alt="x" onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">link</a>', "javascript:"),
        ("<p>text</p><script>alert(1)</script>", "<script"),
        ('<iframe src="https://example.org"></iframe><p>text</p>', "<iframe"),
        ("<style>@import url(http://example.org/x.css);</style><p>text</p>", "@import"),
        ("<style>p { background: url(https://example.org/x.png) }</style><p>text</p>", "url("),
        ('<p style="background: url(https://example.org/x.png)">text</p>', "url("),
        ('<img src="https://example.org/pixel.png" alt="tracker">', "example.org"),
        ('<link rel="stylesheet" href="https://example.org/x.css"><p>text</p>', "<link"),
        ('<object data="x.swf"></object><embed src="x.swf"><p>text</p>', "swf"),
        ('<svg viewBox="0 0 1 1" onload="alert(1)"><path d="M0 0"/></svg>', "onload"),
    ],
)
def test_safe_html_removes_active_and_external_content(active, gone):
    from analysis.pipeline.sanitize import safe_html

    assert gone not in safe_html(active)


def test_safe_html_keeps_embedded_images_and_the_table_markup():
    from analysis.pipeline.sanitize import safe_html

    ours = (
        '<figure class="chart"><img src="data:image/png;base64,iVBORw0KGgo=" alt="Figur 1" width="600" '
        'height="400" style="width:16.05cm;max-width:100%;height:auto"><figcaption class="note">Note'
        '</figcaption></figure><table class="scores" role="table" aria-label="Scores"><thead><tr>'
        '<th scope="col" colspan="2">Værdi</th></tr></thead><tbody><tr class="hidden"><td id="c1" '
        'style="padding-left:1.4em">skjult (n &lt; 5)</td><td>3,2</td></tr></tbody></table>'
    )
    assert safe_html(ours) == ours


def test_export_html_sanitizes_every_output():
    from nbformat import v4

    outputs = [
        v4.new_output("display_data", data={"text/html": '<img src="x" onerror="alert(1)"><p>ok</p>'}),
        v4.new_output("display_data", data={"text/markdown": "[x](javascript:alert(1)) [y](https://e.org)"}),
    ]
    code = v4.new_code_cell("x", outputs=outputs)
    html = export_html(v4.new_notebook(cells=[code]), title="T")
    assert "<p>ok</p>" in html
    for absent in ("onerror", "javascript:", "https://e.org"):
        assert absent not in html, absent


def test_cells_tagged_remove_cell_stay_out_of_the_document():
    v4 = nbformat.v4
    kept = v4.new_code_cell("a", outputs=[v4.new_output("display_data", data={"text/html": "<p>Resumé</p>"})])
    hidden = v4.new_code_cell(
        "b",
        metadata={"tags": ["remove-cell"]},
        outputs=[v4.new_output("display_data", data={"text/html": "<table><tr><td>explore me</td></tr></table>"})],
    )
    html = export_html(v4.new_notebook(cells=[kept, hidden]), lang="da", title="T")
    assert "<p>Resumé</p>" in html and "explore me" not in html


# --- languages side by side ---------------------------------------------------------------
#
# These renders run a stand-in for the kernel (use_stand_in_kernel): it does what the briefing
# notebook does with its output folder (writes tables/, shows the manifest it finds there), so the
# folder logic is tested in well under a second per render. test_batch.py uses it too.


def lang_notebook(folder: Path) -> Path:
    """Write a notebook whose parameters are those of a briefing's output (lang, output_dir, fail)."""
    v4 = nbformat.v4
    params = v4.new_code_cell('lang = "da"\noutput_dir = ""\nfail = False')
    params.metadata["tags"] = ["parameters"]
    path = folder / "sprog.ipynb"
    nbformat.write(v4.new_notebook(cells=[params]), path)
    return path


def _stand_in_execute(notebook, nb_path, parameters, progress):
    """Execute nothing; write what the briefing notebook writes into ``output_dir``."""
    from analysis.pipeline.provenance import read_manifest

    lang, out = parameters.get("lang", "da"), Path(parameters["output_dir"])
    (out / "tables").mkdir(exist_ok=True)
    (out / "tables" / "scores.csv").write_text("value,score\nklima,3.2\n", encoding="utf-8")
    (out / "tables" / "workbook.txt").write_text(f"sheet names in {lang}\n", encoding="utf-8")
    seen = read_manifest(out)
    shown = f"<p>Sprog {lang}; manifest {seen['cache_key'] if seen else 'none'}</p>"
    v4 = nbformat.v4
    nb = v4.new_notebook(
        cells=[v4.new_code_cell("x", outputs=[v4.new_output("display_data", data={"text/html": shown})])]
    )
    nbformat.write(nb, nb_path)
    if parameters.get("fail"):
        raise RuntimeError("bevidst fejl")
    return nb


def use_stand_in_kernel(monkeypatch) -> None:
    """Let render_notebook run :func:`_stand_in_execute` instead of a kernel."""
    from analysis.pipeline import render

    monkeypatch.setattr(render, "execute_notebook", _stand_in_execute)


def _render_lang(notebook: Path, out: Path, lang: str, formats=("html",), **parameters):
    manifest = {"cache_key": f"key-{lang}", "parameters": {"lang": lang, **parameters}}
    return render_notebook(
        notebook,
        out,
        {"lang": lang, **parameters},
        formats=formats,
        title="Sprog",
        progress=False,
        manifest=manifest,
        keep=("departments",),
        quiet=True,
    )


ENGLISH = {
    "briefing.en.ipynb",
    "briefing.en.html",
    "manifest.en.json",
    "tables.en",
    "tables.en/scores.csv",
    "tables.en/workbook.txt",
}


@pytest.mark.parametrize(
    "name, english",
    [
        ("briefing.pdf", "briefing.en.pdf"),
        ("bilag.html", "bilag.en.html"),
        ("profile.ipynb", "profile.en.ipynb"),
        ("manifest.json", "manifest.en.json"),
        ("tables", "tables.en"),
        ("briefing.en.pdf", "briefing.en.pdf"),
    ],
)
def test_every_name_gets_the_language_after_its_first_part(name, english):
    from analysis.pipeline.output import entry_language, language_name

    assert language_name(name, "en") == english
    assert language_name(name, "da") == name
    assert entry_language(english) == "en"
    assert entry_language(name) == ("en" if name == english else "da")


def test_english_render_writes_en_files_and_leaves_every_danish_file_byte_identical(tmp_path, monkeypatch):
    use_stand_in_kernel(monkeypatch)
    notebook, out = lang_notebook(tmp_path), tmp_path / "2025"
    _render_lang(notebook, out, "da", formats=("html", "pdf"))
    (out / "departments" / "BUF").mkdir(parents=True)
    (out / "departments" / "BUF" / "profile.html").write_text("dansk profil", encoding="utf-8")
    danish = _tree_digest(out)
    assert {"briefing.ipynb", "briefing.html", "briefing.pdf", "manifest.json", "tables/scores.csv"} <= set(danish)

    result = _render_lang(notebook, out, "en", formats=("html", "pdf"))

    after = _tree_digest(out)
    assert {k: after.get(k) for k in danish} == danish  # every Danish file, byte for byte
    assert set(after) - set(danish) == ENGLISH | {"briefing.en.pdf"}
    assert {k: p.name for k, p in result.paths.items()} == {
        "ipynb": "briefing.en.ipynb",
        "html": "briefing.en.html",
        "pdf": "briefing.en.pdf",
    }
    manifest = json.loads((out / "manifest.en.json").read_text(encoding="utf-8"))
    assert sorted(manifest["outputs"]) == [
        "briefing.en.html",
        "briefing.en.ipynb",
        "briefing.en.pdf",
        "tables.en/scores.csv",
        "tables.en/workbook.txt",
    ]
    # The notebook saw its own language's manifest while it ran.
    assert "manifest key-en" in (out / "briefing.en.html").read_text(encoding="utf-8")
    assert "manifest key-da" in (out / "briefing.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025", "sprog.ipynb"]  # no temporary folders


def test_danish_render_after_english_keeps_the_english_files(tmp_path, monkeypatch):
    use_stand_in_kernel(monkeypatch)
    notebook, out = lang_notebook(tmp_path), tmp_path / "2025"
    _render_lang(notebook, out, "en")
    english = _tree_digest(out)
    assert set(english) == ENGLISH

    _render_lang(notebook, out, "da")
    after = _tree_digest(out)
    assert {k: after.get(k) for k in english} == english
    assert {"briefing.ipynb", "briefing.html", "manifest.json", "tables/scores.csv"} <= set(after)
    assert not [k for k in set(after) - set(english) if ".en" in k]

    # Rendering English again replaces the English files, still beside the Danish ones.
    danish = {k: v for k, v in after.items() if k not in english}
    (out / "briefing.en.html").write_text("stale", encoding="utf-8")
    _render_lang(notebook, out, "en")
    again = _tree_digest(out)
    assert {k: again.get(k) for k in danish} == danish
    assert "stale" not in (out / "briefing.en.html").read_text(encoding="utf-8")


def test_a_failed_render_leaves_both_languages_untouched(tmp_path, monkeypatch):
    use_stand_in_kernel(monkeypatch)
    notebook, out = lang_notebook(tmp_path), tmp_path / "2025"
    _render_lang(notebook, out, "da")
    _render_lang(notebook, out, "en")
    before = _tree_digest(out)

    with pytest.raises(RenderError, match="bevidst fejl") as info:
        _render_lang(notebook, out, "en", fail=True)
    assert f"{out} was left unchanged" in str(info.value)
    assert _tree_digest(out) == before
    with pytest.raises(RenderError, match="bevidst fejl"):
        _render_lang(notebook, out, "da", fail=True)
    assert _tree_digest(out) == before
    # Each language keeps its own diagnosis; no temporary folders are left.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "2025",
        "2025.failed.en.ipynb",
        "2025.failed.ipynb",
        "sprog.ipynb",
    ]

    # A successful English render removes only the English diagnosis.
    _render_lang(notebook, out, "en")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025", "2025.failed.ipynb", "sprog.ipynb"]


def test_an_english_render_refuses_a_folder_that_is_not_render_output(tmp_path, no_kernel):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"holds notes\.txt, which this tool did not write"):
        render_notebook(OK, out, {"lang": "en"}, title="T")
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    # A folder named like the tool's own, with no earlier render beside it, is not taken for one.
    (out / "notes.txt").unlink()
    (out / "tables").mkdir()
    with pytest.raises(ParameterError, match=r"briefing\.ipynb or briefing\.en\.ipynb"):
        render_notebook(OK, out, {"lang": "en"}, title="T")
    assert [p.name for p in out.iterdir()] == ["tables"]
    with pytest.raises(ParameterError, match="language tag"):
        render_notebook(OK, tmp_path / "new", {"lang": "en"}, title="T", out_name="briefing.en")


def test_replace_directory_for_a_language_carries_the_other_languages_over(tmp_path):
    from analysis.pipeline.output import replace_directory

    target = tmp_path / "out"
    target.mkdir()
    for name in ("briefing.html", "briefing.en.html", "manifest.json", "manifest.en.json", "notes.txt"):
        (target / name).write_text(name, encoding="utf-8")
    (target / "tables.en").mkdir()
    new = tmp_path / ".new"
    new.mkdir()
    (new / "briefing.en.html").write_text("new", encoding="utf-8")
    replace_directory(new, target, lang="en")
    assert sorted(p.name for p in target.iterdir()) == [
        "briefing.en.html",
        "briefing.html",
        "manifest.json",
        "notes.txt",
    ]
    assert (target / "briefing.en.html").read_text(encoding="utf-8") == "new"

    new.mkdir()
    (new / "briefing.html").write_text("ny", encoding="utf-8")
    replace_directory(new, target, lang="da")  # the Danish render owns the plain names
    assert sorted(p.name for p in target.iterdir()) == ["briefing.en.html", "briefing.html"]
    assert (target / "briefing.en.html").read_text(encoding="utf-8") == "new"
