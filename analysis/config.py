"""Paths and defaults, defined in one place.

Every path is built from the package's own location, so notebooks, the CLI and tests never
need relative paths such as ``../data``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .exceptions import ParameterError

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
CODEBOOK_PATH = DATA_DIR / "codebook.yaml"
DEPARTMENTS_PATH = DATA_DIR / "departments.yaml"
ORGANISATION_PATH = DATA_DIR / "organisation.yaml"
CASES_PATH = DATA_DIR / "cases.yaml"
SAMPLE_DIR = DATA_DIR / "sample"
RAW_DIR = DATA_DIR / "raw"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
REPORTS_DIR = PROJECT_DIR / "reports"
STYLE_PATH = PACKAGE_DIR / "report" / "briefing.mplstyle"
TEMPLATES_DIR = PACKAGE_DIR / "report" / "templates"

#: The code of the whole municipality in every table (the table contract).
MUNICIPALITY = "ALL"
#: The code of the merged group of small departments ("Øvrige forvaltninger") in tables.
MERGED_GROUP = "ØVRIGE"
MERGED_GROUP_NAME = {"da": "Øvrige forvaltninger", "en": "Other departments"}
#: The name of the municipality rows where tables give names beside codes.
MUNICIPALITY_NAME = {"da": "Hele kommunen", "en": "Whole municipality"}

#: Minimum group size for disclosure control (method.md).
DEFAULT_MIN_N = 5
#: The smallest min_n the method allows: a lower one would publish groups of one to four people.
MIN_N_FLOOR = 5
#: Bootstrap resamples and seed (method.md).
DEFAULT_RESAMPLES = 2000
DEFAULT_SEED = 2025
CONFIDENCE = 0.95
#: Share of "Ved ikke" above which an item or value is flagged (method.md).
DONT_KNOW_FLAG = 0.30

#: The survey years a wave may be: a wave cell or ``--wave`` outside FIRST_WAVE..LAST_WAVE is an
#: error (99999, -2025, 0, or 25 meant as 2025). LAST_WAVE None means next year, so next year's
#: survey needs no change. To allow other years, change the two numbers here (data/README.md).
FIRST_WAVE = 2000
LAST_WAVE: int | None = None


def wave_range() -> tuple[int, int]:
    """Return the first and last plausible survey year: FIRST_WAVE and LAST_WAVE (or next year).

    Examples
    --------
    >>> first, last = wave_range()
    >>> first, last == date.today().year + 1
    (2000, True)
    """
    return FIRST_WAVE, LAST_WAVE if LAST_WAVE is not None else date.today().year + 1


def sample_files() -> list[Path]:
    """Return the bundled synthetic sample's response files, oldest wave first."""
    return sorted(SAMPLE_DIR.glob("responses_*.csv"))


#: The languages every document, chart and table can be written in.
LANGUAGES = ("da", "en")


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is one of :data:`LANGUAGES`, else raise ParameterError.

    Examples
    --------
    >>> check_lang("da")
    'da'
    """
    if lang not in LANGUAGES:
        raise ParameterError(f"lang must be one of {', '.join(LANGUAGES)}, found {lang!r}.")
    return lang
