"""Procurement-policy maturity of Copenhagen Municipality's departments, for Økonomiudvalget.

Start with :func:`load_survey` and :func:`score` (see ``docs/cookbook.md``). The public API, by
verb family:

- ``load_*``: the codebook, the department list and survey responses;
- ``score_*``: maturity scores with intervals and suppression, and changes between waves;
- ``table_*`` / ``write_tables``: the stable CSV tables;
- ``prepare_briefing`` / ``prepare_profile``: everything the committee briefing and a
  department's profile show, section by section;
- ``render_notebook`` / ``write_excel`` / ``build_manifest``: output, with provenance.
"""

import importlib
import importlib.metadata

# The public API is imported on first use (PEP 562), so that a notebook cell importing
# prepare_briefing does not also load the Excel, rendering and provenance machinery.
_EXPORTS = {
    "Briefing": "report.briefing",
    "BriefingError": "exceptions",
    "CaseRegister": "survey.cases",
    "CasesError": "exceptions",
    "Codebook": "survey.codebook",
    "CodebookError": "exceptions",
    "DataQuality": "survey.loading",
    "DepartmentProfile": "report.profile",
    "Departments": "survey.codebook",
    "ParameterError": "exceptions",
    "RenderError": "exceptions",
    "Scores": "stats.scores",
    "Survey": "survey.loading",
    "SurveyDataError": "exceptions",
    "answer_distribution": "stats.distributions",
    "build_manifest": "pipeline.provenance",
    "inspect_exports": "survey.inspect",
    "is_up_to_date": "pipeline.provenance",
    "level_of": "stats.scoring",
    "load_codebook": "survey.codebook",
    "load_departments": "survey.codebook",
    "load_register": "survey.cases",
    "load_responses": "survey.loading",
    "load_survey": "api",
    "neutralise_text": "tables.contract",
    "prepare_briefing": "report.briefing",
    "prepare_profile": "report.profile",
    "read_manifest": "pipeline.provenance",
    "render_notebook": "pipeline.render",
    "score": "api",
    "score_changes": "stats.changes",
    "score_reliability": "stats.reliability",
    "score_sensitivity": "stats.sensitivity",
    "score_survey": "stats.scoring",
    "table_department_value": "tables.contract",
    "table_value": "tables.contract",
    "write_excel": "tables.excel",
    "write_tables": "tables.contract",
}

__all__ = [
    "Briefing",
    "BriefingError",
    "CaseRegister",
    "CasesError",
    "Codebook",
    "CodebookError",
    "DataQuality",
    "DepartmentProfile",
    "Departments",
    "ParameterError",
    "RenderError",
    "Scores",
    "Survey",
    "SurveyDataError",
    "answer_distribution",
    "build_manifest",
    "inspect_exports",
    "is_up_to_date",
    "level_of",
    "load_codebook",
    "load_departments",
    "load_register",
    "load_responses",
    "load_survey",
    "neutralise_text",
    "prepare_briefing",
    "prepare_profile",
    "read_manifest",
    "render_notebook",
    "score",
    "score_changes",
    "score_reliability",
    "score_sensitivity",
    "score_survey",
    "table_department_value",
    "table_value",
    "write_excel",
    "write_tables",
]

try:
    __version__ = importlib.metadata.version("kk-procurement-briefing")
except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
