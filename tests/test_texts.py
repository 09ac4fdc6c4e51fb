"""The analyst's own texts (--texts FILE.md): sections, paragraphs, lists, marks; raw HTML escaped."""

from __future__ import annotations

import pytest

from analysis import cli
from analysis.exceptions import ParameterError
from analysis.report.texts import Block, Run, blocks_html, load_texts, parse_texts

TEXTS = """\
## Resumé

Første afsnit med **fed** skrift og [en henvisning](https://www.kk.dk/indkoeb).

Andet afsnit <script>alert("x")</script> med *kursiv*.

- første punkt
- andet punkt

## Økonomi

Udgiften afholdes inden for rammen.

## Videre proces

1. Drøftelse i direktionen
2. Opfølgning i 2026
"""


@pytest.fixture
def texts_file(tmp_path):
    path = tmp_path / "tekster.md"
    path.write_text(TEXTS, encoding="utf-8")
    return path


def test_sections_paragraphs_lists_and_marks(texts_file):
    texts = load_texts(texts_file)
    summary = texts.get("summary")
    assert [b.kind for b in summary] == ["paragraph", "paragraph", "bullets"]
    assert Run("fed", bold=True) in summary[0].runs
    assert Run("en henvisning", href="https://www.kk.dk/indkoeb") in summary[0].runs
    assert summary[2].items == ((Run("første punkt"),), (Run("andet punkt"),))
    assert texts.get("economy") == (Block("paragraph", runs=(Run("Udgiften afholdes inden for rammen."),)),)
    assert texts.get("next_steps")[0].kind == "numbers"
    assert texts.get("recommendation") == () and texts.get("case") == ()


def test_html_keeps_structure_and_escapes_raw_html(texts_file):
    html = blocks_html(load_texts(texts_file).get("summary"))
    assert html.count("<p") == 2 and html.count("<li>") == 2 and "<ul" in html
    assert "<script>" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert '<a href="https://www.kk.dk/indkoeb">en henvisning</a>' in html and "<strong>fed</strong>" in html


def test_only_web_and_mail_links_stay_links():
    runs = parse_texts("## Økonomi\n\n[klik](javascript:alert(1)) og [mail](mailto:a@kk.dk)\n").get("economy")[0].runs
    # A javascript: link is no link at all: its characters are shown as typed.
    assert runs[0] == Run("[klik](javascript:alert(1)) og ") and runs[1] == Run("mail", href="mailto:a@kk.dk")
    relative = parse_texts("## Økonomi\n\n[bilag](bilag.pdf)\n").get("economy")[0].runs
    assert relative == (Run("bilag"),)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tekst uden overskrift\n", ":1: expected a section heading first"),
        ("## Konklusion\n\nx\n", ":1: expected a section heading"),
        ("# Resumé\n\nx\n", "two #"),
        ("## Økonomi\n\na\n\n## økonomi\n\nb\n", "appears twice"),
    ],
)
def test_a_bad_texts_file_names_the_line(text, expected):
    with pytest.raises(ParameterError, match=expected):
        parse_texts(text, "tekster.md")


def test_the_briefing_uses_the_texts(texts_file):
    from analysis.report.briefing import prepare_briefing

    briefing = prepare_briefing(resamples=200, charts=False, chart_background=False, texts=texts_file)
    resume = str(briefing.resume())
    assert resume.index('class="lead"') < resume.index("Første afsnit")  # added after the generated text
    economy = str(briefing.economy("ignored shortcut"))
    assert "Udgiften afholdes" in economy and "ignored" not in economy and "ingen økonomiske" not in economy
    assert "<ol" in str(briefing.next_steps())
    assert str(briefing.recommendation()) == ""
    # Without a texts file the shortcuts and standard sentences stand.
    plain = prepare_briefing(resamples=200, charts=False, chart_background=False)
    assert "Kort tekst" in str(plain.economy("Kort tekst")) and "ingen økonomiske" in str(plain.economy())


def test_render_refuses_a_bad_texts_file_before_any_kernel(tmp_path, capsys):
    bad = tmp_path / "bad.md"
    bad.write_text("Ingen overskrift\n", encoding="utf-8")
    code = cli.main(["render", "--out", str(tmp_path / "out"), "--texts", str(bad)])
    err = capsys.readouterr().err
    assert code == 2 and "bad.md:1" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
