"""Procurement-policy maturity of Copenhagen Municipality's departments, for Økonomiudvalget.

The public API, by verb family:

- ``load_*``: the codebook, the department list and survey responses;
- ``score_*``: maturity scores with intervals and suppression, and changes between waves;
- ``table_*`` / ``write_tables``: the stable CSV tables;
- ``prepare_briefing``: everything the committee briefing shows, section by section.
"""

from .briefing import Briefing, prepare_briefing
from .codebook import Codebook, Departments, load_codebook, load_departments
from .exceptions import BriefingError, CodebookError, ParameterError, RenderError, SurveyDataError
from .loading import DataQuality, Survey, load_responses
from .scoring import Scores, level_of, score_changes, score_survey
from .tables import table_department_value, table_value, write_tables

__all__ = [
    "Briefing",
    "BriefingError",
    "Codebook",
    "CodebookError",
    "DataQuality",
    "Departments",
    "ParameterError",
    "RenderError",
    "Scores",
    "Survey",
    "SurveyDataError",
    "level_of",
    "load_codebook",
    "load_departments",
    "load_responses",
    "prepare_briefing",
    "score_changes",
    "score_survey",
    "table_department_value",
    "table_value",
    "write_tables",
]

__version__ = "0.1.0"
