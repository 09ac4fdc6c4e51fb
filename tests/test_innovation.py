"""The innovation track in the briefing: barriers, the case register, and staff's own words, safely.

The render tests write a briefing from the sample with its 2025 open answers replaced by answers
holding personal data (an e-mail address, phone numbers, a CPR number, a link, a staff name), once
with quotes off (the default) and once with ``--quotes`` and a stop list, and read back **every**
file the render wrote: HTML, PDF, Word, CSV, Excel, the manifest and the executed notebook.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from analysis import cli, config

#: Personal data in the answers; none may reach any output, quotes on or off.
PERSONAL = (
    "anne.berg@kk.dk",
    "33 66 12 34",
    "+45 20304050",
    "010190-1234",
    "https://intranet.kk.dk/innovation",
    "intranet.kk.dk",
    "Birgitte Nørgaard",
    "Nørgaard",
)
#: Answers written for the test (each also names a theme, so it may be quoted once redacted).
ANSWERS = (
    "Vi mangler en udbudsjurist; skriv til anne.berg@kk.dk, for hun kender reglerne om innovative udbud.",
    "Ring til mig på 33 66 12 34, vi har brug for juridisk sparring tidligt i processen med kontrakten.",
    "Birgitte Nørgaard bør lede en central enhed, som alle forvaltninger kan få rådgivning fra.",
    "Mit CPR er 010190-1234, men vigtigst: mere tid og ressourcer til markedsdialog med leverandørerne.",
    "Se https://intranet.kk.dk/innovation om videndeling og netværk på tværs af kommunen og KL.",
    "Kontakt +45 20304050 om ledelsesopbakning, for vores direktion prioriterer det ikke højt nok.",
    "Kartoffelkassen i kælderen viser, at vi har brug for en udbudsjurist og mere juridisk hjælp.",
)
#: A sentence of the answers without personal data: with quotes off it reaches no output either.
PLAIN = "Kartoffelkassen i kælderen"


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("exports")
    files = []
    for path in config.sample_files():
        target = folder / path.name
        if "2025" in path.name:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            frame["open_help"] = [ANSWERS[k % len(ANSWERS)] for k in range(len(frame))]
            frame.to_csv(target, index=False)
        else:
            shutil.copy(path, target)
        files.append(target)
    return files


def _render(exports: list[Path], out: Path, *extra: str) -> Path:
    args = ["render", "--out", str(out)]
    for path in exports:
        args += ["--responses", str(path)]
    assert cli.main([*args, *extra]) == 0
    return out


def _texts(out: Path) -> dict[str, str]:
    """Return the text of every file the render wrote (images apart), by its path in the folder."""
    texts = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        name = str(path.relative_to(out))
        if path.suffix == ".pdf":
            texts[name] = " ".join(page.extract_text() for page in PdfReader(path).pages)
        elif path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as archive:
                xml = " ".join(
                    archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml")
                )
            texts[name] = re.sub(r"<[^>]+>", "", xml)
        elif path.suffix == ".ipynb":
            texts[name] = json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)
        elif path.suffix in (".png", ".jpg"):
            continue
        else:
            texts[name] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
def test_quotes_off_no_free_text_reaches_any_output(exports, tmp_path):
    out = _render(exports, tmp_path / "off")
    texts = _texts(out)
    assert {"briefing.html", "briefing.pdf", "briefing.docx", "bilag.html", "bilag.pdf", "bilag.docx"} <= set(texts)
    assert any(name.endswith(".ipynb") for name in texts) and any(name.endswith(".xlsx") for name in texts)
    for name, text in texts.items():
        flat = _flat(text)
        for secret in (*PERSONAL, PLAIN):
            assert secret not in flat, f"{secret!r} in {name}"
    # The themes are there, as counts and shares.
    bilag = _flat(texts["bilag.html"])
    assert "Juridisk hjælp" in bilag and "Hvad medarbejderne skriver" in bilag
    assert "Udvalgte citater" not in bilag


@pytest.mark.slow
def test_quotes_on_show_only_redacted_quotes(exports, tmp_path):
    stop = tmp_path / "navne.txt"
    stop.write_text("# staff who answered\nBirgitte Nørgaard\n", encoding="utf-8")
    out = _render(exports, tmp_path / "on", "--quotes", "--stop-list", str(stop))
    texts = _texts(out)
    for name, text in texts.items():
        flat = _flat(text)
        for secret in PERSONAL:
            assert secret not in flat, f"{secret!r} in {name}"
    bilag = _flat(texts["bilag.html"])
    assert "Udvalgte citater" in bilag
    assert "[telefon]" in bilag or "[e-mail]" in bilag or "[navn]" in bilag or "[CPR]" in bilag
    # Quotes are documents' text only: never in a table, the workbook or the manifest.
    for name, text in texts.items():
        if name.endswith((".csv", ".xlsx", ".json")):
            assert "udbudsjurist" not in text, name


def test_the_memo_tells_innovation_in_order():
    """Maturity on innovation, then barriers (a figure), then documented cases, then what would help."""
    from analysis import prepare_briefing
    from analysis.report.innovation import memo_blocks
    from analysis.report.view import Paragraph, render_blocks

    b = prepare_briefing(charts=False, resamples=200)
    b.figure = lambda name, caption, document="briefing": Paragraph.of(f"FIGURE {name}")

    text = re.sub(r"<[^>]+>", " ", render_blocks(memo_blocks(b)))
    order = [
        text.index(s)
        for s in (
            "Partnerskaber og innovation",
            "FIGURE barriers",
            "Barrierer.",
            "Dokumenterede sager.",
            "Hvad ville hjælpe?",
        )
    ]
    assert order == sorted(order)
    assert "måltal" in text  # OPP/OPI without a target, and why


def test_the_barrier_ranking_is_guarded():
    """'The largest' for one statement only when its paired difference with every other is clear."""
    from analysis import prepare_briefing
    from analysis.report.innovation import barrier_sentences

    b = prepare_briefing(charts=False, resamples=200)
    ranking = b.barrier_ranking("barrier")
    text = barrier_sentences(b)
    top = ranking[ranking["tied_with_top"].astype(bool)]
    if len(top) > 1:
        assert "De største barrierer er" in text and "ikke klar" in text
    else:
        assert ("klart større" in text) == bool(top["clearly_largest"].iloc[0])
    assert "juridiske kompetencer" in text


def test_score_writes_the_barrier_table(tmp_path):
    out = tmp_path / "scored"
    assert cli.main(["score", "--out", str(out), "--resamples", "200"]) == 0
    table = pd.read_csv(out / "tables" / "barriers_by_department.csv", dtype={"members": str}, keep_default_na=False)
    assert list(table.columns) == [
        "wave",
        "department",
        "barrier",
        "share_high",
        "ci_low",
        "ci_high",
        "n",
        "suppressed",
        "members",
    ]
    legal_2025 = table[(table["wave"] == 2025) & (table["barrier"] == "bar_legal")].set_index("department")
    assert legal_2025.loc["ALL", "suppressed"] in (False, "False")
    # The earlier waves asked only the legal statement (then the maturity item inno_forms_3).
    assert set(table.loc[table["wave"] < 2025, "barrier"]) == {"bar_legal"}


def test_a_missing_stop_list_is_a_clear_error(tmp_path, capsys):
    code = cli.main(["render", "--out", str(tmp_path / "x"), "--quotes", "--stop-list", str(tmp_path / "nope.txt")])
    err = capsys.readouterr().err
    assert code == 2 and "--stop-list" in err and "Traceback" not in err
