"""Procurement-policy maturity of Copenhagen Municipality's departments, for Økonomiudvalget.

The public API, by verb family:

- ``load_*``: the codebook, the department list and survey responses;
- ``score_*``: maturity scores with intervals and suppression, and changes between waves;
- ``table_*`` / ``write_tables``: the stable CSV tables;
- ``prepare_briefing`` / ``prepare_profile``: everything the committee briefing and a
  department's profile show, section by section;
- ``render_notebook`` / ``write_excel`` / ``build_manifest``: output, with provenance.
"""

import importlib

# The public API is imported on first use (PEP 562), so that a notebook cell importing
# prepare_briefing does not also load the Excel, rendering and provenance machinery.
_EXPORTS = {
    "Briefing": "briefing",
    "BriefingError": "exceptions",
    "Codebook": "codebook",
    "CodebookError": "exceptions",
    "DataQuality": "loading",
    "DepartmentProfile": "profile",
    "Departments": "codebook",
    "ParameterError": "exceptions",
    "RenderError": "exceptions",
    "Scores": "scoring",
    "Survey": "loading",
    "SurveyDataError": "exceptions",
    "answer_distribution": "distributions",
    "build_manifest": "provenance",
    "is_up_to_date": "provenance",
    "level_of": "scoring",
    "load_codebook": "codebook",
    "load_departments": "codebook",
    "load_responses": "loading",
    "neutralise_text": "tables",
    "prepare_briefing": "briefing",
    "prepare_profile": "profile",
    "read_manifest": "provenance",
    "render_notebook": "render",
    "score_changes": "scoring",
    "score_reliability": "reliability",
    "score_sensitivity": "sensitivity",
    "score_survey": "scoring",
    "table_department_value": "tables",
    "table_value": "tables",
    "write_excel": "excel",
    "write_tables": "tables",
}

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


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
