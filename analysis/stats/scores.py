"""The :class:`Scores` record: every score table of a survey, explorable by code and by name.

In: the tables :func:`~analysis.stats.scoring.score_survey` computes, the bootstrap replicates
and the settings behind them, plus the codebook and department list. Out: the tables as they
are (codes only, the table contract) and, for analysts in a notebook, the same frames with the
names of departments, values, focus areas and levels beside the codes, and the changes between
two waves with names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import config
from ..survey.codebook import Codebook, Departments, load_codebook, load_departments
from .changes import score_changes

__all__ = ["Scores"]

#: The languages names are given in.


@dataclass
class Scores:
    """The result of :func:`~analysis.stats.scoring.score_survey`: tidy tables and their settings.

    Tables (codes only; departments in department-list order, then codebook order within):

    - ``department_value``: ``wave, department, value, score, ci_low, ci_high, n, suppressed,
      level, level_uncertain`` (one row per wave x department x value);
    - ``value``: ``wave, value, score, ci_low, ci_high, n_departments, n_respondents, level,
      level_uncertain`` (the municipality, the mean of the published departments);
    - ``department_focus_area``: ``wave, department, value, focus_area, score, ci_low, ci_high,
      n, suppressed, level, level_uncertain``;
    - ``dont_know``: ``wave, department, value, dont_know, answers, n, dont_know_share,
      suppressed, flagged``;
    - ``item``: ``wave, department, value, focus_area, item, mean, n_valid, dont_know,
      not_applicable, blank, suppressed``;
    - ``respondents``: ``wave, department, respondents``.

    The methods :meth:`by_department_value`, :meth:`by_value`, :meth:`by_focus_area` and
    :meth:`changes` return these frames with names beside the codes (see each for its columns).
    ``replicates`` and ``focus_area_replicates`` keep each (wave, department)'s bootstrap
    replicates (resamples x values, resamples x focus areas) for intervals of derived numbers.
    """

    department_value: pd.DataFrame
    value: pd.DataFrame
    department_focus_area: pd.DataFrame
    dont_know: pd.DataFrame
    item: pd.DataFrame
    respondents: pd.DataFrame
    min_n: int
    seed: int
    resamples: int
    confidence: float
    codebook_version: str
    #: Bootstrap replicates of S(d,V) per (wave, department): array resamples x values.
    replicates: dict[tuple[int, str], np.ndarray] = field(default_factory=dict, repr=False)
    #: Bootstrap replicates of S(d,F) per (wave, department): array resamples x focus areas.
    focus_area_replicates: dict[tuple[int, str], np.ndarray] = field(default_factory=dict, repr=False)
    #: The questionnaire and department list scored with (the bundled ones when not given).
    codebook: Codebook | None = field(default=None, repr=False)
    departments: Departments | None = field(default=None, repr=False)
    #: Bootstrap replicates of the full-coverage municipality S(V) per wave: array resamples x values.
    municipal_replicates: dict[int, np.ndarray] = field(default_factory=dict, repr=False)
    #: Bootstrap replicates of the don't-know share per (wave, department): array resamples x values.
    dont_know_replicates: dict[tuple[int, str], np.ndarray] = field(default_factory=dict, repr=False)
    #: The departments pulled into each (wave, value)'s merged group though large enough on their own
    #: (complementary suppression); the other members had fewer than ``min_n``.
    pulled_in: dict[tuple[int, str], tuple[str, ...]] = field(default_factory=dict, repr=False)

    @property
    def waves(self) -> list[int]:
        """Return the waves scored, oldest first."""
        return sorted(self.department_value["wave"].unique().tolist())

    def suppressed_departments(self, wave: int, value: str | None = None) -> list[str]:
        """Return the departments whose own cells are hidden (for ``value``, or any): in the merged group or too small."""
        dv = self.department_value
        rows = dv[(dv["wave"] == wave) & dv["suppressed"]]
        if value is not None:
            rows = rows[rows["value"] == value]
        return list(dict.fromkeys(rows["department"]))

    def published_departments(self, wave: int) -> dict[str, set[str]]:
        """Return, per value, the departments whose own cell is published in ``wave`` (not the merged group)."""
        dv = self.department_value
        rows = dv[(dv["wave"] == wave) & ~dv["suppressed"].astype(bool) & (dv["department"] != config.MERGED_GROUP)]
        out: dict[str, set[str]] = {v: set() for v in dict.fromkeys(dv["value"])}
        for value, dept in zip(rows["value"], rows["department"]):
            out[value].add(dept)
        return out

    def pooled_dont_know_share(self, wave: int) -> pd.Series:
        """Return the municipality's don't-know share per value in ``wave``, pooled over shown cells.

        The answers of every department whose don't-know share is published, and of the merged
        group, are pooled (so a large department weighs more): every department with answers is
        covered, the hidden ones through the merged group, as in the municipality's score.

        Returns
        -------
        pandas.Series
            Share (0-1) by value id, in codebook order when the codebook is known; NaN for a
            value without answers.
        """
        dk = self.dont_know
        dk = dk[(dk["wave"] == wave) & ~dk["suppressed"].astype(bool)]
        pooled = dk.groupby("value", sort=False)[["dont_know", "answers"]].sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            share = pooled["dont_know"] / pooled["answers"].where(pooled["answers"] > 0)
        order = self.codebook.value_ids if self.codebook is not None else list(share.index)
        return share.reindex(order)

    def by_department_value(self, lang: str = "da") -> pd.DataFrame:
        """Return the department x value scores with names beside the codes.

        Parameters
        ----------
        lang : {"da", "en"}
            Language of the names.

        Returns
        -------
        pandas.DataFrame
            ``wave, department, department_name, value, value_name, score, ci_low, ci_high, n,
            level, level_name, level_uncertain, suppressed``; a suppressed row has no score,
            interval or level.

        Examples
        --------
        >>> from analysis import load_survey, score
        >>> scores = score(load_survey(), resamples=200)
        >>> table = scores.by_department_value(lang="en")
        >>> table.loc[table["department"] == "BUF", "department_name"].iloc[0]
        'Children and Youth Administration'
        """
        return self._named(self.department_value, lang)[
            [
                "wave",
                "department",
                "department_name",
                "value",
                "value_name",
                "score",
                "ci_low",
                "ci_high",
                "n",
                "level",
                "level_name",
                "level_uncertain",
                "suppressed",
            ]
        ]

    def by_value(self, lang: str = "da") -> pd.DataFrame:
        """Return the municipality's value scores with names beside the codes.

        Parameters
        ----------
        lang : {"da", "en"}
            Language of the names.

        Returns
        -------
        pandas.DataFrame
            ``wave, value, value_name, score, ci_low, ci_high, n_departments, n_respondents,
            level, level_name, level_uncertain``.

        Examples
        --------
        >>> from analysis import load_survey, score
        >>> scores = score(load_survey(), resamples=200)
        >>> list(scores.by_value().columns[:3])
        ['wave', 'value', 'value_name']
        """
        return self._named(self.value, lang)[
            [
                "wave",
                "value",
                "value_name",
                "score",
                "ci_low",
                "ci_high",
                "n_departments",
                "n_respondents",
                "level",
                "level_name",
                "level_uncertain",
            ]
        ]

    def by_focus_area(self, lang: str = "da") -> pd.DataFrame:
        """Return the department x focus area scores with names beside the codes.

        Parameters
        ----------
        lang : {"da", "en"}
            Language of the names.

        Returns
        -------
        pandas.DataFrame
            ``wave, department, department_name, value, value_name, focus_area,
            focus_area_name, score, ci_low, ci_high, n, level, level_name, level_uncertain,
            suppressed``.

        Examples
        --------
        A department's three lowest focus areas in the latest wave:

        >>> from analysis import load_survey, score
        >>> scores = score(load_survey(), resamples=200)
        >>> fa = scores.by_focus_area(lang="en")
        >>> buf = fa[(fa["department"] == "BUF") & (fa["wave"] == 2025)]
        >>> len(buf.nsmallest(3, "score"))
        3
        """
        return self._named(self.department_focus_area, lang)[
            [
                "wave",
                "department",
                "department_name",
                "value",
                "value_name",
                "focus_area",
                "focus_area_name",
                "score",
                "ci_low",
                "ci_high",
                "n",
                "level",
                "level_name",
                "level_uncertain",
                "suppressed",
            ]
        ]

    def changes(self, wave_from: int, wave_to: int, level: str = "value", lang: str = "da") -> pd.DataFrame:
        """Return the changes between two waves with names beside the codes.

        Parameters
        ----------
        wave_from, wave_to
            The waves compared; a change is ``wave_to`` minus ``wave_from``.
        level : {"value", "focus_area"}
            Per department x value (with the municipality, ``ALL``) or per department x focus
            area (departments only), as :func:`~analysis.stats.changes.score_changes`.
        lang : {"da", "en"}
            Language of the names.

        Returns
        -------
        pandas.DataFrame
            ``department, department_name, value, value_name`` (then ``focus_area,
            focus_area_name`` for focus areas), ``wave_from, wave_to, diff, ci_low, ci_high,
            verdict, n_departments, suppressed, p_adjusted, family``. ``verdict`` is
            ``improvement`` or ``decline`` only when the family-adjusted p-value is under 5 % and
            the change is at least 0,25, else ``no clear change`` (empty when suppressed).

        Examples
        --------
        How did BUF's focus areas change since 2023, lowest first?

        >>> from analysis import load_survey, score
        >>> scores = score(load_survey(), resamples=200)
        >>> changes = scores.changes(2023, 2025, level="focus_area", lang="en")
        >>> buf = changes[changes["department"] == "BUF"].sort_values("diff")
        >>> set(buf["verdict"]) <= {"improvement", "decline", "no clear change", ""}
        True
        """
        table = self._named(score_changes(self, wave_from, wave_to, level=level), lang)
        codes = ["focus_area", "focus_area_name"] if level == "focus_area" else []
        return table[
            [
                "department",
                "department_name",
                "value",
                "value_name",
                *codes,
                "wave_from",
                "wave_to",
                "diff",
                "ci_low",
                "ci_high",
                "verdict",
                "n_departments",
                "suppressed",
                "p_adjusted",
                "family",
            ]
        ]

    def _named(self, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
        """Return a copy of ``frame`` with a name column for each code column it has."""
        config.check_lang(lang)
        codebook = self.codebook or load_codebook()
        departments = self.departments or load_departments()
        out = frame.copy()
        if "department" in out:
            special = {
                config.MUNICIPALITY: config.MUNICIPALITY_NAME[lang],
                config.MERGED_GROUP: config.MERGED_GROUP_NAME[lang],
            }
            names = {code: special.get(code) or departments.name_of(code, lang) for code in out["department"].unique()}
            out["department_name"] = out["department"].map(names)
        if "value" in out:
            out["value_name"] = out["value"].map({v: codebook.value_name(v, lang) for v in out["value"].unique()})
        if "focus_area" in out:
            out["focus_area_name"] = out["focus_area"].map(
                {f: codebook.focus_area_name(f, lang) for f in out["focus_area"].unique()}
            )
        if "level" in out:
            out["level_name"] = pd.array(
                [pd.NA if pd.isna(lv) else codebook.level_name(int(lv), lang) for lv in out["level"]], dtype="string"
            )
        return out
