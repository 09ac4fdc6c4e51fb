"""Procurement-policy maturity of Copenhagen Municipality's departments, for Økonomiudvalget.

The public API, by verb family:

- ``load_*``: the codebook, the department list and survey responses;
- ``score_*``: maturity scores with intervals and suppression, and changes between waves;
- ``table_*`` / ``write_tables``: the stable CSV tables;
- ``prepare_briefing`` / ``prepare_profile``: everything the committee briefing and a
  department's profile show, section by section;
- ``render_notebook`` / ``write_excel`` / ``build_manifest``: output, with provenance.
"""

from .briefing import Briefing, prepare_briefing
from .codebook import Codebook, Departments, load_codebook, load_departments
from .distributions import answer_distribution
from .excel import write_excel
from .exceptions import BriefingError, CodebookError, ParameterError, RenderError, SurveyDataError
from .loading import DataQuality, Survey, load_responses
from .profile import DepartmentProfile, prepare_profile
from .provenance import build_manifest, is_up_to_date, read_manifest
from .reliability import score_reliability
from .render import render_notebook
from .scoring import Scores, level_of, score_changes, score_survey
from .sensitivity import score_sensitivity
from .tables import neutralise_text, table_department_value, table_value, write_tables

__all__ = [
    "Briefing",
    "DepartmentProfile",
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
    "answer_distribution",
    "build_manifest",
    "is_up_to_date",
    "level_of",
    "load_codebook",
    "load_departments",
    "load_responses",
    "neutralise_text",
    "prepare_briefing",
    "prepare_profile",
    "read_manifest",
    "render_notebook",
    "score_changes",
    "score_reliability",
    "score_sensitivity",
    "score_survey",
    "table_department_value",
    "table_value",
    "write_excel",
    "write_tables",
]

__version__ = "0.1.0"
