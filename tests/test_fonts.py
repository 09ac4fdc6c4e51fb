"""The packaged fonts: the same pages on every machine (issue 11, part 6).

The PDF's text and the charts are set in "Briefing Sans", font files shipped in
``analysis/report/fonts/``; no font is taken from the system. The slow tests render the real
briefing and one department profile twice, in subprocesses: once as usual and once with the
system's fonts hidden from fontconfig (``FONTCONFIG_FILE`` naming a configuration without font
folders), and expect the same number of pages set in the packaged family only.
"""

from __future__ import annotations

import fnmatch
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import matplotlib
import matplotlib.style
import matplotlib.text
import pytest
from matplotlib import font_manager
from pypdf import PdfReader

from analysis import config
from analysis.pipeline import export
from analysis.report import fonts
from analysis.report.charts import base

DANISH = "æøåÆØÅ"
# Besides the letters: the quotes, dashes, arrows and signs the briefing's texts and charts use.
SYMBOLS = "«»–−…’“”·é→←▲×≤≥€"
PROFILE = "BUF"
# A subset font in a PDF is named "ABCDEF+<name>"; WeasyPrint writes the family with hyphens.
OUR_FONT = re.compile(r"^/[A-Z]{6}\+Briefing-Sans(-(Bold|Italic|Oblique|BoldItalic|Bold-Italic|BoldOblique))*$")


def _char_indices(path: Path, text: str) -> dict[str, int]:
    """Return the glyph index of each character in the font file (0: no glyph)."""
    try:
        from fontTools.ttLib import TTFont
    except ImportError:  # matplotlib's own FreeType wrapper
        from matplotlib.ft2font import FT2Font

        font = FT2Font(str(path))
        return {ch: font.get_char_index(ord(ch)) for ch in text}
    cmap = TTFont(path, lazy=True).getBestCmap()
    return {ch: (1 if ord(ch) in cmap else 0) for ch in text}


# --- the files -------------------------------------------------------------------------------


def test_the_four_faces_and_the_licence_are_in_the_package():
    names = {p.name for p in fonts.FONT_DIR.iterdir()}
    assert {p.name for p in fonts.font_files()} <= names
    assert len(fonts.font_files()) == 4
    assert "LICENSE_DEJAVU" in names
    assert "Bitstream" in (fonts.FONT_DIR / "LICENSE_DEJAVU").read_text(encoding="utf-8")
    # Modest: under 2 MB together.
    assert sum(p.stat().st_size for p in fonts.font_files()) < 2_000_000


def test_the_font_files_are_package_data():
    pyproject = tomllib.loads((config.PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]
    assert (fonts.FONT_DIR / "__init__.py").exists()  # a package: found by packages.find
    for name in [*fonts.FACES.values(), "LICENSE_DEJAVU", fonts.FONT_CSS.name]:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name


@pytest.mark.parametrize("path", fonts.font_files(), ids=lambda p: p.stem)
def test_every_face_has_the_danish_letters(path):
    indices = _char_indices(path, DANISH + SYMBOLS)
    assert [ch for ch, index in indices.items() if not index] == []


def test_every_face_is_named_briefing_sans():
    from fontTools.ttLib import TTFont

    for (weight, style), name in fonts.FACES.items():
        font = TTFont(fonts.FONT_DIR / name, lazy=True)
        assert font["name"].getBestFamilyName() == fonts.FAMILY
        assert (font["OS/2"].usWeightClass >= 700) == (weight == "bold")
        assert bool(font["head"].macStyle & 0b10) == (style == "italic")


def test_the_pdf_stylesheet_loads_every_face_from_its_folder():
    css = fonts.FONT_CSS.read_text(encoding="utf-8")
    sources = re.findall(r"""src:\s*url\(["']?([^"')]+)["']?\)""", css)
    assert sorted(sources) == sorted(fonts.FACES.values())
    assert css.count("@font-face") == 4
    assert f'font-family: "{fonts.FAMILY}"' in css


def test_the_page_names_only_the_packaged_family():
    css = export._css()
    families = {m.strip() for m in re.findall(r"font-family:\s*([^;]+);", css)}
    assert families == {f'"{fonts.FAMILY}", sans-serif'}
    assert "system-ui" not in css
    # The page itself declares no fonts: the HTML loads nothing, the PDF adds fonts.css.
    assert not re.search(r"@font-face\s*\{", css)


def test_the_pdf_fetcher_reads_the_packaged_fonts_and_no_other_file():
    fetcher = export._url_fetcher()
    font = fonts.font_files()[0]
    assert fetcher.fetch(font.as_uri()).read() == font.read_bytes()
    for url in [
        (fonts.FONT_DIR / "__init__.py").as_uri(),
        fonts.FONT_DIR.as_uri() + "/../../../pyproject.toml",
        (config.PROJECT_DIR / "pyproject.toml").as_uri(),
        "file://example.org" + font.as_posix(),
        "https://example.org/font.ttf",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


# --- the charts ------------------------------------------------------------------------------


def test_charts_set_every_text_in_the_packaged_fonts():
    assert base.FONT_FAMILY == fonts.FAMILY
    with matplotlib.style.context(config.STYLE_PATH):
        fig = base.new_figure(2)
        ax = fig.add_subplot()
        ax.set_title("Modenhed på værdierne")
        ax.set_xlabel("Modenhedsscore (1–5) ← lavere")
        ax.text(0.5, 0.5, "Øvrige forvaltninger", fontweight="bold")
        ax.text(0.2, 0.2, "skjult: færre end 5 svar", fontstyle="italic")
        ax.text(0.7, 0.2, "ÆØÅ −0,4", fontweight="bold", fontstyle="italic")
        ax.plot([0, 1], [-1, 1])
        base.png_bytes(fig)
        texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
        used = {font_manager.findfont(t.get_fontproperties(), fallback_to_default=False) for t in texts}
    assert len(texts) > 5
    assert {Path(p).parent for p in used} == {fonts.FONT_DIR}
    assert {Path(p).name for p in used} == set(fonts.FACES.values())


# --- whole documents, with and without the system's fonts -----------------------------------


DOCUMENTS = {
    "briefing": ((), Path("briefing.pdf")),
    "profile": (("--department", PROFILE), Path("departments", PROFILE, "profile.pdf")),
}


def _no_fonts_conf(tmp: Path) -> Path:
    """Write a fontconfig configuration without a single font folder (its cache in ``tmp``)."""
    conf = tmp / "fonts.conf"
    conf.write_text(f"<fontconfig><cachedir>{tmp / 'fc-cache'}</cachedir></fontconfig>\n", encoding="utf-8")
    return conf


def _render_twice(tmp: Path, document: str) -> dict[str, Path]:
    """Render a document as usual and with the system's fonts hidden (two processes at once)."""
    environments = {"system": dict(os.environ), "hidden": {**os.environ, "FONTCONFIG_FILE": str(_no_fonts_conf(tmp))}}
    args, pdf = DOCUMENTS[document]
    processes = {}
    for fonts_seen, env in environments.items():
        command = [sys.executable, "-m", "analysis", "render", "--out", str(tmp / fonts_seen), "--formats", "pdf"]
        processes[fonts_seen] = subprocess.Popen(
            [*command, "--force", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
    paths = {}
    for fonts_seen, process in processes.items():
        output, _ = process.communicate(timeout=600)
        assert process.returncode == 0, output
        assert "No fonts configured" not in output and "Pango-CRITICAL" not in output, output
        paths[fonts_seen] = tmp / fonts_seen / pdf
    return paths


def _embedded_fonts(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        resources = page.get("/Resources")
        page_fonts = resources.get_object().get("/Font") if resources is not None else None
        for font in (page_fonts.get_object() if page_fonts is not None else {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_hidden_system_fonts_find_nothing(tmp_path):
    env = {**os.environ, "FONTCONFIG_FILE": str(_no_fonts_conf(tmp_path))}
    try:
        listed = subprocess.run(["fc-list"], env=env, capture_output=True, text=True, check=True)
    except FileNotFoundError:
        pytest.skip("fc-list is not installed")
    assert listed.stdout.strip() == ""


@pytest.mark.slow
@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_the_same_pages_in_the_packaged_fonts_without_the_system_fonts(tmp_path, document):
    pdfs = _render_twice(tmp_path, document)
    pages = {fonts_seen: len(PdfReader(path).pages) for fonts_seen, path in pdfs.items()}
    assert pages["system"] == pages["hidden"] > 1
    for path in pdfs.values():
        embedded = _embedded_fonts(path)
        assert embedded, "no fonts found in the PDF"
        assert [name for name in embedded if not OUR_FONT.match(name)] == []
