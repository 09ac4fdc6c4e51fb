"""The two calls an analyst starts from: load the survey, score it.

Everything else hangs off their results: :class:`~analysis.survey.loading.Survey` holds the tidy
responses and a data-quality record, :class:`~analysis.stats.scoring.Scores` holds every table of
the method with codes and, through its ``by_*`` methods, with names.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from . import config
from .stats.scores import Scores
from .stats.scoring import score_survey
from .survey.codebook import Codebook, Departments, load_codebook, load_departments
from .survey.loading import Survey, load_responses


def load_survey(
    paths: str | os.PathLike | Sequence[str | os.PathLike] | None = None,
    *,
    wave: int | None = None,
    sheet: str | None = None,
    codebook: Codebook | None = None,
    departments: Departments | None = None,
    **reading,
) -> Survey:
    """Load and check survey exports; the bundled synthetic sample when no path is given.

    Parameters
    ----------
    paths
        One export or a list of them, as the survey tool wrote it (SurveyXact, Qualtrics, Forms,
        LimeSurvey, Google Forms, SPSS) or plain CSV/TSV/xlsx; ``None`` or an empty list means the
        three waves of the synthetic sample in ``data/sample/``.
    wave
        The survey year of files without a wave column.
    sheet
        The worksheet to read in xlsx files; the first by default.
    codebook, departments
        The questionnaire and department list; the bundled ones by default.
    **reading
        How to read tools' exports: ``source``, ``mapping``, ``department_column``,
        ``complete_only`` (see :func:`~analysis.survey.loading.load_responses`).

    Returns
    -------
    Survey
        ``responses``: one row per respondent and item, columns ``wave``, ``respondent_id``,
        ``department`` (code), ``item`` (codebook id), ``answer`` (1-5, the don't-know and
        not-applicable codes, ``<NA>`` for blank); ``quality``: what was read, with warnings.

    Raises
    ------
    SurveyDataError
        Listing every problem in the files by file, row and column.

    Examples
    --------
    >>> survey = load_survey()
    >>> survey.quality.waves
    [2023, 2024, 2025]
    >>> list(survey.responses.columns)
    ['wave', 'respondent_id', 'department', 'item', 'answer']
    """
    if paths is None or (not isinstance(paths, (str, os.PathLike)) and len(paths) == 0):
        paths = config.sample_files()
    return load_responses(paths, codebook, departments, wave=wave, sheet=sheet, **reading)


def score(
    survey: Survey,
    *,
    min_n: int = config.DEFAULT_MIN_N,
    seed: int = config.DEFAULT_SEED,
    resamples: int = config.DEFAULT_RESAMPLES,
    codebook: Codebook | None = None,
    departments: Departments | None = None,
) -> Scores:
    """Score a loaded survey by the method: every wave, department, value and focus area.

    Parameters
    ----------
    survey
        The result of :func:`load_survey`.
    min_n
        Minimum group size: a department x value cell with fewer respondents is suppressed.
    seed, resamples
        Bootstrap settings; the same seed gives the same intervals.
    codebook, departments
        The questionnaire and department list the survey was loaded with (the bundled ones by
        default).

    Returns
    -------
    Scores
        The tables of the method (``department_value``, ``value``, ``department_focus_area``,
        ``dont_know``, ``item``, ``respondents``) and the settings that produced them.

    Examples
    --------
    >>> scores = score(load_survey(), resamples=200)
    >>> scores.waves
    [2023, 2024, 2025]
    """
    return score_survey(
        survey.responses,
        codebook or load_codebook(),
        departments or load_departments(),
        min_n=min_n,
        seed=seed,
        resamples=resamples,
    )
