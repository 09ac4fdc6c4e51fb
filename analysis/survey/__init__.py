"""Survey exports in, one tidy frame out.

In: the survey tool's response files (CSV, TSV, xlsx) and the questionnaire as data
(``data/codebook.yaml``, ``data/departments.yaml``). Out: a :class:`~analysis.survey.loading.Survey`
whose ``responses`` frame has one row per respondent and item (``wave``, ``respondent_id``,
``department``, ``item``, ``answer`` as a code), plus a data-quality record; or one
:class:`~analysis.exceptions.SurveyDataError` listing every problem by file, row and column.
The synthetic sample generator lives here too, since it writes files in the same layout.
"""
