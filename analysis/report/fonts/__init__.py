"""The briefing's own fonts: "Briefing Sans", for the text of the PDF and for the charts.

The PDF and the charts never take a font from the system, so a document has the same line and
page breaks on every machine. The family is DejaVu Sans 2.37 (Bitstream Vera licence with
public-domain DejaVu changes, see ``LICENSE_DEJAVU``), cut down to Latin, Greek, punctuation,
arrows and maths symbols and renamed (``subset.py`` makes the files).

- WeasyPrint loads the faces through ``@font-face`` rules in ``fonts.css`` (beside the files),
  given to it as a print stylesheet by :func:`analysis.pipeline.export.html_to_pdf`;
  ``briefing.css`` only names the family.
- matplotlib gets the files with :func:`register_with_matplotlib`; the chart style
  (``briefing.mplstyle``) names the family.
"""

from __future__ import annotations

import functools
from pathlib import Path

__all__ = ["FACES", "FAMILY", "FONT_CSS", "FONT_DIR", "font_files", "register_with_matplotlib"]

#: The family name the CSS and the chart style use.
FAMILY = "Briefing Sans"
FONT_DIR = Path(__file__).resolve().parent
#: The ``@font-face`` rules of the PDF, with URLs relative to this folder.
FONT_CSS = FONT_DIR / "fonts.css"
#: The packaged file of each (weight, style).
FACES = {
    ("normal", "normal"): "BriefingSans-Regular.ttf",
    ("bold", "normal"): "BriefingSans-Bold.ttf",
    ("normal", "italic"): "BriefingSans-Oblique.ttf",
    ("bold", "italic"): "BriefingSans-BoldOblique.ttf",
}


def font_files() -> list[Path]:
    """Return the paths of the packaged font files (regular, bold, italic, bold italic).

    Examples
    --------
    >>> [p.name for p in font_files()][:2]
    ['BriefingSans-Regular.ttf', 'BriefingSans-Bold.ttf']
    """
    return [FONT_DIR / name for name in FACES.values()]


@functools.cache
def register_with_matplotlib() -> str:
    """Make the packaged faces known to matplotlib (once per process) and return the family name.

    Examples
    --------
    >>> from matplotlib import font_manager
    >>> register_with_matplotlib()
    'Briefing Sans'
    >>> bold = font_manager.FontProperties(family="Briefing Sans", weight="bold")
    >>> Path(font_manager.findfont(bold, fallback_to_default=False)).name
    'BriefingSans-Bold.ttf'
    """
    from matplotlib import font_manager

    for path in font_files():
        font_manager.fontManager.addfont(str(path))
    return FAMILY
