"""One department's profile: where it stands on the five values, and what to work on next.

The notebook ``notebooks/department.ipynb`` makes one :class:`DepartmentProfile` with
:func:`prepare_profile` and shows its sections: header, summary, values, focus areas, answer
distributions and don't know, change over time, appendix (the longer ones in
:mod:`analysis.report.profile_sections`, :mod:`analysis.report.profile_appendix`). The profile is built on the committee briefing
(:func:`analysis.report.briefing.prepare_briefing`), so it uses exactly the same scores,
intervals, seed and suppression as the briefing the committee sees.

Disclosure control (method.md) is applied to the department's own numbers in every section:

- a value on which fewer than ``min_n`` of the department's respondents gave a valid answer shows
  no score, interval, level, focus area, item, distribution, don't-know share (unless the
  don't-know table's own group is large enough), trend point or change, only the words that it
  cannot be shown;
- when one focus area of a value is hidden, scoring hides the value's other focus areas too
  (secondary suppression in :func:`analysis.stats.scoring.score_survey`): a value's score is the
  mean of its focus areas, so the others would give the hidden one away by subtraction;
- item means are never printed: a focus area's score and the means of its other items would give
  a hidden item away; the profile names its lowest-scoring items without numbers;
- a department hidden on every value gets a profile of the header, one paragraph and the method
  note, and nothing else, not even its number of respondents.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..config import check_lang
from ..exceptions import ParameterError
from ..formatting import format_interval, format_number, format_share, join_names
from ..stats.scores import Scores
from ..survey.codebook import Codebook, load_departments
from ..words import cannot_show_text, hidden_text, interval_text, organisation_text, prepared_text, t, threshold_text
from . import profile_appendix, profile_sections
from .briefing import Briefing, prepare_briefing
from .html import Html, NumberedFigures, document_header, escape
from .narrative import HIGHER, LEVEL, LOWER, Estimate, compare

__all__ = ["DepartmentProfile", "default_profile_title", "prepare_profile"]


@dataclass
class DepartmentProfile(NumberedFigures):
    """Everything one department's profile shows, on top of the committee briefing's scores.

    Attributes
    ----------
    briefing
        The committee briefing this profile is cut from (same survey, scores and settings).
    department
        The department's code.
    """

    briefing: Briefing
    department: str

    # -- settings, shared with the briefing ---------------------------------------------------
    @property
    def scores(self) -> Scores:
        """Return the briefing's :class:`analysis.stats.scoring.Scores`."""
        return self.briefing.scores

    @property
    def codebook(self) -> Codebook:
        """Return the questionnaire."""
        return self.briefing.codebook

    @property
    def wave(self) -> int:
        """Return the survey year of the profile."""
        return self.briefing.wave

    @property
    def lang(self) -> str:
        """Return the profile's language, "da" or "en"."""
        return self.briefing.lang

    @property
    def title(self) -> str:
        """Return the profile's title."""
        return self.briefing.title

    @property
    def min_n(self) -> int:
        """Return the minimum group size of the disclosure control."""
        return self.scores.min_n

    @property
    def name(self) -> str:
        """Return the department's full name in the profile's language."""
        return self.briefing.departments[self.department].name(self.lang)

    @property
    def previous_wave(self) -> int | None:
        """Return the wave before :attr:`wave` in the data, if any."""
        return self.briefing.previous_wave

    @property
    def all_hidden(self) -> bool:
        """Return whether the department is hidden on every value in :attr:`wave`."""
        cells = self.cells()
        return cells.empty or bool(cells["suppressed"].all())

    # -- tables -------------------------------------------------------------------------------
    def cells(self, wave: int | None = None) -> pd.DataFrame:
        """Return the department's value scores of a wave (this one by default), one row per value.

        A value without any answer from the department is a suppressed row, as everywhere.
        """
        wave = self.wave if wave is None else wave
        dv = self.scores.department_value
        rows = dv[(dv["wave"] == wave) & (dv["department"] == self.department)].set_index("value")
        if rows.empty:
            return rows
        rows = rows.reindex(self.codebook.value_ids)
        rows["suppressed"] = rows["suppressed"].astype("boolean").fillna(True).astype(bool)
        rows["n"] = rows["n"].fillna(0).astype(int)
        rows.loc[rows["suppressed"], ["score", "ci_low", "ci_high"]] = np.nan
        return rows

    def comparison(self) -> pd.DataFrame:
        """Return the department against the municipality per value in :attr:`wave`.

        Returns
        -------
        pandas.DataFrame
            Indexed by value id: the department's ``score, ci_low, ci_high, n, level,
            level_uncertain, suppressed``, the municipality's ``muni_score, muni_low, muni_high``
            and ``verdict``: ``"higher"`` or ``"lower"`` when the two intervals do not overlap,
            ``"on level"`` when they do, and empty when the department is hidden.
        """
        cells = self.cells()
        muni = self.briefing.municipal_cells().set_index("value").reindex(self.codebook.value_ids)
        out = cells[["score", "ci_low", "ci_high", "n", "level", "level_uncertain", "suppressed"]].copy()
        out["muni_score"], out["muni_low"], out["muni_high"] = muni["score"], muni["ci_low"], muni["ci_high"]
        verdicts = []
        for vid, r in out.iterrows():
            if r["suppressed"] or pd.isna(r["score"]) or pd.isna(r["muni_score"]):
                verdicts.append("")
            else:
                verdicts.append(
                    compare(
                        Estimate(vid, r["score"], r["ci_low"], r["ci_high"]),
                        Estimate(config.MUNICIPALITY, r["muni_score"], r["muni_low"], r["muni_high"]),
                    )
                )
        out["verdict"] = verdicts
        return out

    def focus_areas_table(self, wave: int | None = None, department: str | None = None) -> pd.DataFrame:
        """Return the focus-area scores of a department and wave with a ``shown`` flag.

        ``shown`` is False where scoring suppressed the focus area (which it does for every focus
        area of a value with a hidden one) or has no score. Hidden rows carry no numbers.
        """
        wave = self.wave if wave is None else wave
        department = department or self.department
        fa = self.scores.department_focus_area
        rows = fa[(fa["wave"] == wave) & (fa["department"] == department)].copy()
        rows["shown"] = ~(rows["suppressed"].astype(bool) | rows["score"].isna())
        rows.loc[~rows["shown"], ["score", "ci_low", "ci_high"]] = np.nan
        rows.loc[~rows["shown"], "level"] = pd.NA
        return rows.reset_index(drop=True)

    def municipal_focus_areas(self) -> pd.Series:
        """Return the municipality's mean per focus area in :attr:`wave` (no interval).

        The mean over the departments whose focus-area score the profiles show (each weighing
        the same), as the municipal value score is the mean over the departments shown.
        """
        fa = self.scores.department_focus_area
        depts = list(dict.fromkeys(fa.loc[fa["wave"] == self.wave, "department"]))
        shown = pd.concat([self.focus_areas_table(department=d) for d in depts], ignore_index=True)
        shown = shown[shown["shown"]]
        return shown.groupby("focus_area")["score"].mean()

    def dont_know(self) -> pd.DataFrame:
        """Return the department's and the municipality's don't-know share per value in :attr:`wave`.

        The department's share is blank where the don't-know table suppresses it (its own group,
        the respondents with any answer on the value, is under ``min_n``). The municipality's
        share pools the departments whose share is shown. ``flagged`` marks a share over
        :data:`analysis.config.DONT_KNOW_FLAG`.
        """
        dk = self.scores.dont_know
        dk = dk[dk["wave"] == self.wave]
        own = dk[dk["department"] == self.department].set_index("value").reindex(self.codebook.value_ids)
        muni = self.scores.pooled_dont_know_share(self.wave).reindex(self.codebook.value_ids)
        out = pd.DataFrame(index=self.codebook.value_ids)
        out["suppressed"] = own["suppressed"].astype("boolean").fillna(True).astype(bool)
        out["share"] = own["dont_know_share"].where(~out["suppressed"])
        out["flagged"] = (out["share"] > config.DONT_KNOW_FLAG).fillna(False)
        out["muni_share"] = muni
        out["muni_flagged"] = (muni > config.DONT_KNOW_FLAG).fillna(False)
        return out

    def changes(self) -> pd.DataFrame:
        """Return the department's change per value from the previous wave (empty when there is none)."""
        if self.previous_wave is None:
            return pd.DataFrame()
        changes = self.briefing.changes
        return changes[changes["department"] == self.department].set_index("value").reindex(self.codebook.value_ids)

    def distribution_rows(self) -> pd.DataFrame:
        """Return the department's answer-distribution rows, one per value that has one."""
        dist = self.briefing.distribution
        rows = dist[dist["department"] == self.department].drop_duplicates("value").set_index("value")
        return rows.reindex([v for v in self.codebook.value_ids if v in rows.index])

    @property
    def shows_distribution(self) -> bool:
        """Return whether the department's answer distribution may be shown on at least one value."""
        rows = self.distribution_rows()
        return not self.all_hidden and not rows.empty and bool(rows["shown"].fillna(False).astype(bool).any())

    @property
    def has_trend(self) -> bool:
        """Return whether there is more than one wave to show (and the department is not all hidden)."""
        return not self.all_hidden and len(self.scores.waves) > 1

    # -- words and numbers --------------------------------------------------------------------
    def number(self, x, decimals: int = 1) -> str:
        """Return a number the profile's way (``2,4`` in Danish)."""
        return format_number(x, self.lang, decimals)

    def ci(self, low, high, decimals: int = 1) -> str:
        """Return an interval as ``2,1–2,6``."""
        return format_interval(low, high, self.lang, decimals)

    def share(self, x) -> str:
        """Return a share as "23 %"; one decimal where rounding would blur the flag (29,8 %)."""
        threshold = config.DONT_KNOW_FLAG
        decimals = 1 if pd.notna(x) and round(100 * float(x)) == round(100 * threshold) else 0
        return format_share(x, self.lang, decimals)

    def value_name(self, vid: str, *, lower: bool = False) -> str:
        """Return a value's full name; in lower case inside a Danish sentence with ``lower``."""
        name = self.codebook.value_name(vid, self.lang)
        return name.lower() if lower and self.lang == "da" else name

    def short(self, vid: str) -> str:
        """Return a value's short name (table rows)."""
        return self.codebook.value(vid).short(self.lang)

    def level_name(self, level, uncertain: bool = False) -> str:
        """Return a level's name, with "?" when it is uncertain; an en dash when it is missing."""
        if pd.isna(level):
            return "–"
        return self.codebook.level_name(int(level), self.lang) + ("?" if uncertain else "")

    @property
    def hidden(self) -> str:
        """Return the words of a suppressed cell, quoting the minimum group size."""
        return hidden_text(self.min_n, self.lang)

    @property
    def cannot_show(self) -> str:
        """Return the words of a value withheld to protect anonymity."""
        return cannot_show_text(self.min_n, self.lang)

    @property
    def interval(self) -> str:
        """Return the name of an interval at the scores' confidence (``95 %-interval``)."""
        return interval_text(self.scores.confidence, self.lang)

    @property
    def flag(self) -> str:
        """Return the don't-know flag as a percentage (``30 %`` / ``30%``)."""
        return threshold_text(config.DONT_KNOW_FLAG, self.lang)

    # -- charts -------------------------------------------------------------------------------
    @cached_property
    def charts(self):
        """Return every chart of the profile by name, rendered in one batch, partly in a background process.

        :func:`prepare_profile` starts it as soon as the numbers exist
        (:class:`analysis.report.chartpool.ChartBatch`).
        """
        from . import charts
        from .chartpool import ChartBatch

        lang, code, deps = self.lang, self.department, self.briefing.departments
        builders = {}
        if not self.all_hidden:
            builders["values"] = lambda: charts.plot_department_values(
                self.scores, self.codebook, code, self.wave, lang, departments=deps
            )
        if self.shows_distribution:
            builders["distribution"] = lambda: charts.plot_distribution(
                self.briefing.distribution, self.codebook, lang, department=code, min_n=self.min_n, departments=deps
            )
        if self.has_trend:
            builders["trend"] = lambda: charts.plot_trend(
                self.scores, self.codebook, lang, department=code, departments=deps
            )
        return ChartBatch(builders, background=self.briefing.chart_background)

    # -- sections -----------------------------------------------------------------------------
    def header(self) -> Html:
        """Return the title block of a department profile, with the synthetic-data notice."""
        lang = self.lang
        kind = t(
            lang,
            f"Forvaltningsprofil · {self.name} ({self.department})",
            f"Department profile · {self.name} ({self.department})",
        )
        return document_header(
            organisation_text(lang),
            kind,
            self.title,
            prepared_text(self.wave, _dt.date.today(), lang),
            is_sample=self.briefing.is_sample,
            lang=lang,
        )

    def summary(self) -> Html:
        """Return the summary: 2-4 sentences from the numbers (one paragraph when all is hidden)."""
        head = f"<h2>{escape(t(self.lang, 'Resumé', 'Summary'))}</h2>"
        if self.all_hidden:
            return Html(f'{head}\n<p class="lead">{escape(self.all_hidden_text())}</p>')
        return Html(f'{head}\n<p class="lead">{escape(" ".join(self.summary_sentences()))}</p>')

    def all_hidden_text(self) -> str:
        """Return the one paragraph of a department hidden on every value."""
        n = self.min_n
        return t(
            self.lang,
            f"Resultaterne for {self.name} ({self.department}) i {self.wave} kan ikke vises. Færre end {n} "
            f"medarbejdere har givet et gyldigt svar på hver af indkøbspolitikkens fem værdier, og for at ingen "
            f"enkelt besvarelse skal kunne genkendes, vises resultater kun for grupper på mindst {n}. "
            f"Forvaltningen indgår derfor heller ikke i kommunens gennemsnit. Når mindst {n} svarer i en senere "
            f"undersøgelse, kan profilen vises.",
            f"The results for {self.name} ({self.department}) in {self.wave} cannot be shown. Fewer than {n} "
            f"staff gave a valid answer on each of the procurement policy's five values, and so that no single "
            f"answer can be recognised, results are shown only for groups of at least {n}. The department is "
            f"therefore not part of the municipal average either. Once at least {n} answer in a later survey, "
            f"the profile can be shown.",
        )

    def summary_sentences(self) -> list[str]:
        """Return the summary's sentences: scope, against the municipality, strongest and weakest value."""
        lang = self.lang
        comp = self.comparison()
        shown = comp[~comp["suppressed"]]
        hidden = [self.value_name(v, lower=True) for v in comp.index[comp["suppressed"]]]
        respondents = self.scores.respondents
        n_resp = int(
            respondents.loc[
                (respondents["wave"] == self.wave) & (respondents["department"] == self.department), "respondents"
            ].sum()
        )
        who = f"{self.name} ({self.department})"
        if not hidden:
            first = t(
                lang,
                f"{who} kan vises på alle fem værdier i {self.wave}; {n_resp} medarbejdere har svaret.",
                f"{who} can be shown on all five values in {self.wave}; {n_resp} staff answered.",
            )
        else:
            k = len(shown)
            first = t(
                lang,
                f"{who} kan vises på {k} af de fem værdier i {self.wave}; på {join_names(hidden, lang)} har færre "
                f"end {self.min_n} givet et gyldigt svar, så resultatet vises ikke af hensyn til anonymiteten.",
                f"{who} can be shown on {k} of the five values in {self.wave}; on {join_names(hidden, lang)} fewer "
                f"than {self.min_n} gave a valid answer, so the result is not shown, to protect anonymity.",
            )
        sentences = [first, self._comparison_sentence(shown)]
        sentences.extend(self._extreme_sentences(shown))
        return [s for s in sentences if s]

    def _comparison_sentence(self, shown: pd.DataFrame) -> str:
        lang = self.lang
        groups = {
            v: [self.value_name(vid, lower=True) for vid in shown.index[shown["verdict"] == v]]
            for v in (HIGHER, LOWER, LEVEL)
        }
        if not any(groups.values()):
            return ""
        if not groups[HIGHER] and not groups[LOWER]:
            scope = (
                t(lang, "alle fem værdier", "all five values")
                if len(shown) == 5
                else t(lang, f"alle {len(shown)} værdier, der kan vises", f"all {len(shown)} values shown")
            )
            return t(
                lang,
                f"Forvaltningen ligger på niveau med kommunens gennemsnit på {scope}: intervallerne overlapper.",
                f"The department is on level with the municipal average on {scope}: the intervals overlap.",
            )
        parts = []
        said_average = False
        if groups[HIGHER]:
            parts.append(
                t(
                    lang,
                    f"klart over kommunens gennemsnit på {join_names(groups[HIGHER], lang)}",
                    f"clearly above the municipal average on {join_names(groups[HIGHER], lang)}",
                )
            )
            said_average = True
        if groups[LOWER]:
            names = join_names(groups[LOWER], lang)
            parts.append(
                t(
                    lang,
                    f"klart under på {names}" if said_average else f"klart under kommunens gennemsnit på {names}",
                    f"clearly below on {names}" if said_average else f"clearly below the municipal average on {names}",
                )
            )
        if groups[LEVEL]:
            parts.append(
                t(
                    lang,
                    f"på niveau med kommunen på {join_names(groups[LEVEL], lang)}",
                    f"on level with the municipality on {join_names(groups[LEVEL], lang)}",
                )
            )
        # Semicolons between the groups: value names such as "partnerskaber og innovation" hold an "og".
        return t(lang, f"Forvaltningen ligger {'; '.join(parts)}.", f"The department is {'; '.join(parts)}.")

    def _extreme_sentences(self, shown: pd.DataFrame) -> list[str]:
        """Name the strongest and weakest value, each called so only when its interval stands clear."""
        lang = self.lang
        est = [Estimate(vid, r["score"], r["ci_low"], r["ci_high"]) for vid, r in shown.iterrows()]
        if len(est) < 2:
            return []
        top = max(est, key=lambda e: e.score)
        bottom = min(est, key=lambda e: e.score)
        top_ties = [e for e in est if e is not top and compare(top, e) == LEVEL]
        bottom_ties = [e for e in est if e is not bottom and compare(bottom, e) == LEVEL]

        def say(e: Estimate) -> str:
            r = shown.loc[e.name]
            level = self.level_name(r["level"])
            return f"{self.value_name(e.name, lower=True)} ({self.number(e.score)}, {level.lower() if lang == 'da' else level})"

        def names(es: list[Estimate]) -> str:
            return join_names([self.value_name(e.name, lower=True) for e in es], lang)

        if len(top_ties) == len(est) - 1 and len(bottom_ties) == len(est) - 1:
            return [
                t(
                    lang,
                    f"Ingen af forvaltningens værdier skiller sig klart ud: højest scorer {say(top)} og "
                    f"lavest {say(bottom)}, men intervallerne overlapper.",
                    f"None of the department's values stands clearly apart: the highest score is {say(top)} and "
                    f"the lowest {say(bottom)}, but the intervals overlap.",
                )
            ]
        out = []
        if not top_ties:
            out.append(
                t(
                    lang,
                    f"Forvaltningens stærkeste værdi er {say(top)}, klart over de øvrige værdier.",
                    f"The department's strongest value is {say(top)}, clearly above its other values.",
                )
            )
        else:
            out.append(
                t(
                    lang,
                    f"Den højeste score har forvaltningen på {say(top)}, men den ligger på niveau med "
                    f"{names(top_ties)}.",
                    f"Its highest score is on {say(top)}, but that is on level with {names(top_ties)}.",
                )
            )
        if len(est) == 2 and top_ties:
            return out  # the two values are on level: the first sentence said it all
        if not bottom_ties:
            out.append(
                t(
                    lang,
                    f"Den svageste værdi er {say(bottom)}, klart under de øvrige værdier.",
                    f"The weakest value is {say(bottom)}, clearly below the other values.",
                )
            )
        else:
            out.append(
                t(
                    lang,
                    f"Den laveste score har den på {say(bottom)}, som dog ligger på niveau med {names(bottom_ties)}.",
                    f"Its lowest score is on {say(bottom)}, which is on level with {names(bottom_ties)}.",
                )
            )
        return out

    def values(self) -> Html:
        """Return the five values: the department beside the municipality, as a chart and a table."""
        return profile_sections.values_section(self)

    def focus_areas(self) -> Html:
        """Return each value's lowest-scoring focus area, and the three to look at first."""
        return profile_sections.focus_areas_section(self)

    def distributions(self) -> Html:
        """Return the department's answer distribution (when its group is large enough) and don't-know shares."""
        return profile_sections.distributions_section(self)

    def trend(self) -> Html:
        """Return the department's scores over the waves and the change since the previous wave."""
        return profile_sections.trend_section(self)

    def appendix(self) -> Html:
        """Return the method note and the department's table of values and focus areas."""
        return profile_appendix.appendix_section(self)

    def provenance(self, output_dir: str | Path = "") -> Html:
        """Return the provenance section (data, code and settings behind this profile)."""
        return self.briefing.provenance(output_dir, title=t(self.lang, "Sporbarhed", "Provenance"))

    def write_tables(self, output_dir: str | Path) -> list[Path]:
        """Write the department's tables (:func:`analysis.tables.documents.write_profile_tables`)."""
        from ..tables.documents import write_profile_tables

        return write_profile_tables(self.scores, self.department, output_dir)


def default_profile_title(department_name: str, code: str, wave: int, lang: str = "da") -> str:
    """Return a profile's default title, e.g. "Modenhed i indkøbet 2025: Børne- og Ungdomsforvaltningen (BUF)"."""
    return t(
        lang,
        f"Modenhed i indkøbet {wave}: {department_name} ({code})",
        f"Procurement maturity {wave}: {department_name} ({code})",
    )


def prepare_profile(
    department: str,
    responses: list[str] | str | None = None,
    *,
    wave: int | None = None,
    min_n: int = config.DEFAULT_MIN_N,
    seed: int = config.DEFAULT_SEED,
    resamples: int = config.DEFAULT_RESAMPLES,
    lang: str = "da",
    title: str = "",
    sheet: str | None = None,
    chart_background: bool = True,
    reading: dict | None = None,
) -> DepartmentProfile:
    """Load, check and score the survey and return one department's :class:`DepartmentProfile`.

    Parameters
    ----------
    department
        The department's code, name or an alias (``"BUF"``, ``"Børne og Unge"``).
    responses
        Response files; empty or None means the bundled synthetic sample.
    wave
        The survey year of the profile; None means the latest wave in the data.
    min_n, seed, resamples
        Disclosure threshold and bootstrap settings (method.md), as for the committee briefing.
    lang
        "da" (default) or "en".
    title
        The profile's title; empty means :func:`default_profile_title`.
    sheet
        The sheet to read in ``.xlsx`` files; empty or None means the first.
    chart_background
        Let a second process draw some of the charts; batch renders pass False.
    reading
        How to read the exports, as for :func:`~analysis.report.briefing.prepare_briefing`.

    Raises
    ------
    ParameterError
        An unknown department (the message lists the codes), an unknown wave or language.

    Examples
    --------
    >>> profile = prepare_profile("Teknik og Miljø", resamples=200)
    >>> profile.department, profile.title
    ('TMF', 'Modenhed i indkøbet 2025: Teknik- og Miljøforvaltningen (TMF)')
    """
    check_lang(lang)
    departments = load_departments()
    code = departments.resolve(department) if str(department).strip() else None
    if code is None:
        raise ParameterError(
            f"department {department!r} is not a department; use one of the codes "
            f"{', '.join(departments.codes)} (or a department's name)."
        )
    # The committee briefing's own charts are not needed here: only its numbers.
    briefing = prepare_briefing(
        responses,
        wave=wave,
        min_n=min_n,
        seed=seed,
        resamples=resamples,
        lang=lang,
        title=title,
        departments=departments,
        charts=False,
        sheet=sheet,
        chart_background=chart_background,
        reading=reading,
    )
    briefing.title = title or default_profile_title(departments[code].name(lang), code, briefing.wave, lang)
    profile = DepartmentProfile(briefing=briefing, department=code)
    if not profile.all_hidden:
        profile.charts  # noqa: B018 - creating the batch starts it, while the notebook writes text
    return profile
