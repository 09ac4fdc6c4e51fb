"""Snapshots of everything the sample produces, for the golden tests (``test_golden.py``).

The golden tests guard refactoring: the table CSVs, the Excel workbook's cells and every section
of the briefing and of the department profiles, rendered from the bundled sample, must stay the
same. Dates and embedded images are normalised (an image becomes the digest of its PNG bytes),
and whitespace between tags is collapsed, so a snapshot changes only when content does.

Regenerate on purpose (after a change that *should* alter the output) with::

    .venv/bin/python -m tests.golden_snapshot
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
import tempfile
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"

BRIEFING_SECTIONS = (
    "header",
    "resume",
    "case",
    "economy",
    "next_steps",
    "attachments",
    "appendix_header",
    "method",
    "tables",
    "data_quality",
    "provenance",
)
PROFILE_SECTIONS = ("header", "summary", "values", "focus_areas", "distributions", "trend", "appendix", "provenance")
#: A department shown on every value, one partly hidden in earlier waves, one hidden in the latest.
PROFILE_DEPARTMENTS = (("BUF", "da"), ("SOF", "da"), ("KFF", "da"), ("TMF", "en"))

_IMAGE = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")
_DATE_DA = re.compile(
    r"\b\d{1,2}\. (?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|"
    r"november|december) \d{4}\b"
)
_DATE_EN = re.compile(
    r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December) \d{4}\b"
)
_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}:?\d{2}|Z)?)?\b")


def normalise(text: str) -> str:
    """Return ``text`` with images digested, dates replaced and whitespace between tags collapsed."""
    text = _IMAGE.sub(lambda m: "png:" + hashlib.sha256(base64.b64decode(m.group(1))).hexdigest()[:16], text)
    text = _DATE_DA.sub("<DATE>", _DATE_EN.sub("<DATE>", _ISO.sub("<DATE>", text)))
    text = re.sub(r">\s+<", "><", text)
    text = re.sub(r"[ \t]+", " ", text)
    # One tag per line keeps a failing diff readable.
    return text.replace("><", ">\n<").strip() + "\n"


def _xlsx_dump(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    lines = []
    for ws in wb.worksheets:
        lines.append(f"## sheet {ws.title!r} freeze={ws.freeze_panes}")
        for row in ws.iter_rows():
            cells = [f"{c.value!r}|{c.number_format}" if c.value is not None else "" for c in row]
            lines.append("\t".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _tables(write, stem: str) -> dict[str, str]:
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(write(tmp)):
            path = Path(path)
            if path.suffix == ".csv":
                out[f"{stem}.{path.name}"] = path.read_text(encoding="utf-8")
            elif path.suffix == ".xlsx":
                out[f"{stem}.{path.stem}.xlsx.txt"] = _xlsx_dump(path)
    return out


def snapshot() -> dict[str, str]:
    """Return every golden text, keyed by its file name under ``tests/golden/``."""
    from analysis import prepare_briefing
    from analysis.report.profile import prepare_profile

    out: dict[str, str] = {}
    for lang in ("da", "en"):
        briefing = prepare_briefing(lang=lang)
        if lang == "da":
            out.update(_tables(briefing.write_tables, "briefing.tables"))
        for name in BRIEFING_SECTIONS:
            out[f"briefing.{lang}.{name}.html"] = normalise(str(getattr(briefing, name)()))
    for code, lang in PROFILE_DEPARTMENTS:
        profile = prepare_profile(code, lang=lang)
        out.update(_tables(profile.write_tables, f"profile.{code}.tables"))
        for name in PROFILE_SECTIONS:
            out[f"profile.{code}.{lang}.{name}.html"] = normalise(str(getattr(profile, name)()))
    return out


def main() -> int:
    """Rewrite the golden files from the current code."""
    GOLDEN_DIR.mkdir(exist_ok=True)
    for old in GOLDEN_DIR.glob("*"):
        old.unlink()
    for name, text in snapshot().items():
        (GOLDEN_DIR / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(list(GOLDEN_DIR.glob('*')))} golden files to {GOLDEN_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
