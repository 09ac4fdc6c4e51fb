"""Survey exports in, one tidy frame out.

In: the survey tool's response files as the tools write them (SurveyXact, Qualtrics, Microsoft
Forms, LimeSurvey, Google Forms, SPSS, or a plain CSV/TSV/xlsx) and the questionnaire as data
(``data/codebook.yaml``, ``data/departments.yaml``). Out: a :class:`~analysis.survey.loading.Survey`
whose ``responses`` frame has one row per respondent and item (``wave``, ``respondent_id``,
``department``, ``item``, ``answer`` as a code; made on first use from the respondents x items
``answers``), plus a data-quality record; or one
:class:`~analysis.exceptions.SurveyDataError` listing every problem by file, row and column.

Modules, in the order data flows: ``codebook`` (questionnaire and department list),
``reading`` (a file into a raw table of strings), ``sources`` (one reader per survey tool, detected
from the file, each returning an ``Export``), ``mapping`` (which column is what, by statement
text, id or alias, or a reviewed mapping file), ``inspect`` (``briefing inspect``), ``validation``
(every cell checked, problems collected by ``problems``), ``quality`` (the record of what was loaded), ``loading``
(:func:`~analysis.survey.loading.load_responses`, assembling the tidy frame), ``answers`` (answer
codes as respondents x items matrices, valid levels and reverse scoring), ``cases`` (the register of
real innovation cases, ``data/cases.yaml``). The synthetic sample generator (``sample``) lives
here too, since it writes files in the same layout.
"""
