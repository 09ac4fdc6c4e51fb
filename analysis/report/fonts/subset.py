"""Make the packaged font files from DejaVu Sans (run by hand; the output is committed).

``python -m analysis.report.fonts.subset [SOURCE_DIR]`` reads the four DejaVu Sans faces
(default: ``/usr/share/fonts/truetype/dejavu``, Debian's fonts-dejavu-core 2.37), keeps the
characters a Danish or English briefing may need (:data:`UNICODES`) with all their OpenType
features, the legacy ``kern`` table (matplotlib kerns with it) and the hinting, and renames the
family "Briefing Sans". A modified Bitstream Vera derivative must not be called "Bitstream" or
"Vera" (LICENSE_DEJAVU); a name of our own also tells the PDF's fonts from any system DejaVu.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import FACES, FAMILY, FONT_DIR

#: Basic Latin, Latin-1 (æøåÆØÅ, « », é), Latin Extended-A/B, spacing and combining marks
#: (decomposed letters), Greek, general punctuation (– — ’ “ ” … ‰), super- and subscripts,
#: currency (€), letterlike symbols and number forms, arrows (← →), maths operators (− ≤ ≥ ×),
#: geometric shapes (▲ ■ ●), check marks, the fi/fl ligatures and the replacement character.
UNICODES = (
    "U+0020-007E,U+00A0-024F,U+02B0-036F,U+0370-03FF,U+2000-206F,U+2070-209F,U+20A0-20CF,"
    "U+2100-218F,U+2190-21FF,U+2200-22FF,U+25A0-25FF,U+2713-2717,U+FB00-FB06,U+FFFD"
)
#: The DejaVu Sans file each packaged face is made from.
SOURCES = {
    "BriefingSans-Regular.ttf": "DejaVuSans.ttf",
    "BriefingSans-Bold.ttf": "DejaVuSans-Bold.ttf",
    "BriefingSans-Oblique.ttf": "DejaVuSans-Oblique.ttf",
    "BriefingSans-BoldOblique.ttf": "DejaVuSans-BoldOblique.ttf",
}


def make(source_dir: Path, out_dir: Path = FONT_DIR) -> list[Path]:
    """Write the subset, renamed faces of :data:`SOURCES` from ``source_dir`` into ``out_dir``."""
    from fontTools import subset

    written = []
    for name in FACES.values():
        options = subset.Options()
        options.layout_features = ["*"]
        options.legacy_kern = True
        options.hinting = True
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.name_legacy = True
        options.notdef_outline = True
        options.glyph_names = False
        font = subset.load_font(str(source_dir / SOURCES[name]), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
        subsetter.subset(font)
        for record in font["name"].names:
            text = record.toUnicode()
            renamed = text.replace("DejaVu Sans", FAMILY).replace("DejaVuSans", FAMILY.replace(" ", ""))
            if record.nameID == 10 or renamed != text:
                if record.nameID == 10:
                    renamed = f"{FAMILY}: a subset of DejaVu Sans 2.37, renamed for kk-procurement-briefing."
                record.string = renamed
        path = out_dir / name
        subset.save_font(font, str(path), options)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in make(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/dejavu")):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
