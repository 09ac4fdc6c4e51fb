"""One department's profile: where it stands on the five values, and what to work on next.

The notebook ``notebooks/department.ipynb`` makes one :class:`DepartmentProfile` with
:func:`prepare_profile` and shows its sections: header, summary, values, focus areas, answer
distributions and don't know, change over time, appendix. The profile is built on the committee
briefing (:func:`analysis.report.briefing.prepare_briefing`), so it uses exactly the same scores,
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

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from .briefing import Briefing, Html, _e, _t, prepare_briefing
from .chartpool import ChartBatch
from ..survey.codebook import load_departments
from ..exceptions import ParameterError
from .formatting import check_lang, format_interval, format_number, format_share
from .narrative import HIGHER, LEVEL, LOWER, Estimate, change_word, compare, join_names, sentence_changes

__all__ = ["DepartmentProfile", "default_profile_title", "prepare_profile"]

#: How many focus areas "What the data point to" names.
N_FOCUS_POINTS = 3
#: How many of a focus area's lowest-scoring items are named at most.
N_ITEMS = 2


@dataclass
class DepartmentProfile:
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
    _figure_no: int = field(default=0, repr=False)
    _charts: ChartBatch | None = field(default=None, repr=False)

    # -- settings, shared with the briefing ---------------------------------------------------
    @property
    def scores(self):
        """Return the briefing's :class:`analysis.stats.scoring.Scores`."""
        return self.briefing.scores

    @property
    def codebook(self):
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
        muni = self.briefing._municipality().set_index("value").reindex(self.codebook.value_ids)
        out = cells[["score", "ci_low", "ci_high", "n", "level", "level_uncertain", "suppressed"]].copy()
        out["muni_score"], out["muni_low"], out["muni_high"] = muni["score"], muni["ci_low"], muni["ci_high"]
        verdicts = []
        for vid, r in out.iterrows():
            if r["suppressed"] or pd.isna(r["score"]) or pd.isna(r["muni_score"]):
                verdicts.append("")
            else:
                verdicts.append(compare(Estimate(vid, r["score"], r["ci_low"], r["ci_high"]),
                                        Estimate("ALL", r["muni_score"], r["muni_low"], r["muni_high"])))
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
        share pools the departments whose share is shown. ``flagged`` marks a share over 30 %.
        """
        dk = self.scores.dont_know
        dk = dk[dk["wave"] == self.wave]
        own = dk[dk["department"] == self.department].set_index("value").reindex(self.codebook.value_ids)
        pooled = dk[~dk["suppressed"].astype(bool)].groupby("value")[["dont_know", "answers"]].sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            muni = (pooled["dont_know"] / pooled["answers"].where(pooled["answers"] > 0)).reindex(
                self.codebook.value_ids)
        out = pd.DataFrame(index=self.codebook.value_ids)
        out["suppressed"] = own["suppressed"].astype("boolean").fillna(True).astype(bool)
        out["share"] = own["dont_know_share"].where(~out["suppressed"])
        out["flagged"] = (out["share"] > config.DONT_KNOW_FLAG).fillna(False)
        out["muni_share"] = muni
        out["muni_flagged"] = (muni > config.DONT_KNOW_FLAG).fillna(False)
        return out

    # -- helpers ------------------------------------------------------------------------------
    def _num(self, x, decimals: int = 1) -> str:
        return format_number(x, self.lang, decimals)

    def _ci(self, low, high, decimals: int = 1) -> str:
        return format_interval(low, high, self.lang, decimals)

    def _share(self, x) -> str:
        """Return a share as "23 %"; one decimal where rounding would blur the 30 % flag (29,8 %)."""
        threshold = config.DONT_KNOW_FLAG
        decimals = 1 if pd.notna(x) and round(100 * float(x)) == round(100 * threshold) else 0
        return format_share(x, self.lang, decimals)

    def _value_name(self, vid: str, *, lower: bool = False) -> str:
        name = self.codebook.value_name(vid, self.lang)
        return name.lower() if lower and self.lang == "da" else name

    def _short(self, vid: str) -> str:
        return self.codebook.value(vid).short(self.lang)

    def _level(self, level, uncertain: bool = False) -> str:
        if pd.isna(level):
            return "–"
        return self.codebook.level_name(int(level), self.lang) + ("?" if uncertain else "")

    def _hidden(self) -> str:
        return _t(self.lang, f"skjult (n < {self.min_n})", f"hidden (n < {self.min_n})")

    def _cannot_show(self) -> str:
        return _t(self.lang, f"Kan ikke vises af hensyn til anonymiteten (færre end {self.min_n} svar)",
                  f"Cannot be shown, to protect anonymity (fewer than {self.min_n} answers)")

    def _figure(self, chart, caption: str) -> str:
        from .charts import figure_html

        self._figure_no += 1
        return figure_html(chart, number=self._figure_no, caption=caption, lang=self.lang)

    def _distribution_rows(self) -> pd.DataFrame:
        dist = self.briefing.distribution()
        rows = dist[dist["department"] == self.department].drop_duplicates("value").set_index("value")
        return rows.reindex([v for v in self.codebook.value_ids if v in rows.index])

    def _shows_distribution(self) -> bool:
        rows = self._distribution_rows()
        return not self.all_hidden and not rows.empty and bool(rows["shown"].fillna(False).astype(bool).any())

    def _has_trend(self) -> bool:
        return not self.all_hidden and len(self.scores.waves) > 1

    def _chart_start(self) -> None:
        """Start rendering the profile's charts in the background, as soon as the numbers exist."""
        if not self.all_hidden:
            self._chart(None)

    def _chart(self, name: str | None):
        """Return the named chart; every chart of the profile is rendered in one batch, partly in a
        background process (:class:`analysis.report.chartpool.ChartBatch`), started by :func:`prepare_profile`."""
        if self._charts is None:
            from . import charts

            lang, code, deps = self.lang, self.department, self.briefing.departments
            builders = {}
            if not self.all_hidden:
                builders["values"] = lambda: charts.plot_department_values(self.scores, self.codebook, code,
                                                                           self.wave, lang, departments=deps)
            if self._shows_distribution():
                builders["distribution"] = lambda: charts.plot_distribution(
                    self.briefing.distribution(), self.codebook, lang, department=code, min_n=self.min_n,
                    departments=deps)
            if self._has_trend():
                builders["trend"] = lambda: charts.plot_trend(self.scores, self.codebook, lang, department=code,
                                                              departments=deps)
            self._charts = ChartBatch(builders, background=self.briefing.chart_background)
        return self._charts[name] if name is not None else None

    # -- sections -----------------------------------------------------------------------------
    def header(self) -> Html:
        """Return the title block (the briefing's, as a department profile), with the synthetic-data notice."""
        kind = _t(self.lang, f"Forvaltningsprofil · {self.name} ({self.department})",
                  f"Department profile · {self.name} ({self.department})")
        block = str(self.briefing.header())
        mine = f'<p class="kind">{_e(kind)}</p>'
        block, found = re.subn(r'<p class="kind">.*?</p>', lambda _: mine, block, count=1)
        if not found:  # the briefing's header changed shape: still say what this document is
            block = mine + block
        return Html(block)

    def summary(self) -> Html:
        """Return the summary: 2-4 sentences from the numbers (one paragraph when all is hidden)."""
        head = f"<h2>{_e(_t(self.lang, 'Resumé', 'Summary'))}</h2>"
        if self.all_hidden:
            return Html(f"{head}\n<p class=\"lead\">{_e(self._all_hidden_text())}</p>")
        return Html(f"{head}\n<p class=\"lead\">{_e(' '.join(self.summary_sentences()))}</p>")

    def _all_hidden_text(self) -> str:
        n = self.min_n
        return _t(
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
            f"the profile can be shown.")

    def summary_sentences(self) -> list[str]:
        """Return the summary's sentences: scope, against the municipality, strongest and weakest value."""
        lang = self.lang
        comp = self.comparison()
        shown = comp[~comp["suppressed"]]
        hidden = [self._value_name(v, lower=True) for v in comp.index[comp["suppressed"]]]
        respondents = self.scores.respondents
        n_resp = int(respondents.loc[(respondents["wave"] == self.wave)
                                     & (respondents["department"] == self.department), "respondents"].sum())
        who = f"{self.name} ({self.department})"
        if not hidden:
            first = _t(lang, f"{who} kan vises på alle fem værdier i {self.wave}; {n_resp} medarbejdere har svaret.",
                       f"{who} can be shown on all five values in {self.wave}; {n_resp} staff answered.")
        else:
            k = len(shown)
            first = _t(
                lang,
                f"{who} kan vises på {k} af de fem værdier i {self.wave}; på {join_names(hidden, lang)} har færre "
                f"end {self.min_n} givet et gyldigt svar, så resultatet vises ikke af hensyn til anonymiteten.",
                f"{who} can be shown on {k} of the five values in {self.wave}; on {join_names(hidden, lang)} fewer "
                f"than {self.min_n} gave a valid answer, so the result is not shown, to protect anonymity.")
        sentences = [first, self._comparison_sentence(shown)]
        sentences.extend(self._extreme_sentences(shown))
        return [s for s in sentences if s]

    def _comparison_sentence(self, shown: pd.DataFrame) -> str:
        lang = self.lang
        groups = {v: [self._value_name(vid, lower=True) for vid in shown.index[shown["verdict"] == v]]
                  for v in (HIGHER, LOWER, LEVEL)}
        if not any(groups.values()):
            return ""
        if not groups[HIGHER] and not groups[LOWER]:
            scope = (_t(lang, "alle fem værdier", "all five values") if len(shown) == 5 else
                     _t(lang, f"alle {len(shown)} værdier, der kan vises", f"all {len(shown)} values shown"))
            return _t(lang, f"Forvaltningen ligger på niveau med kommunens gennemsnit på {scope}: intervallerne "
                            "overlapper.",
                      f"The department is on level with the municipal average on {scope}: the intervals overlap.")
        parts = []
        said_average = False
        if groups[HIGHER]:
            parts.append(_t(lang, f"klart over kommunens gennemsnit på {join_names(groups[HIGHER], lang)}",
                            f"clearly above the municipal average on {join_names(groups[HIGHER], lang)}"))
            said_average = True
        if groups[LOWER]:
            names = join_names(groups[LOWER], lang)
            parts.append(_t(lang, f"klart under på {names}" if said_average else f"klart under kommunens gennemsnit på {names}",
                            f"clearly below on {names}" if said_average else f"clearly below the municipal average on {names}"))
        if groups[LEVEL]:
            parts.append(_t(lang, f"på niveau med kommunen på {join_names(groups[LEVEL], lang)}",
                            f"on level with the municipality on {join_names(groups[LEVEL], lang)}"))
        # Semicolons between the groups: value names such as "partnerskaber og innovation" hold an "og".
        return _t(lang, f"Forvaltningen ligger {'; '.join(parts)}.", f"The department is {'; '.join(parts)}.")

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
            level = self._level(r["level"])
            return f"{self._value_name(e.name, lower=True)} ({self._num(e.score)}, {level.lower() if lang == 'da' else level})"

        def names(es: list[Estimate]) -> str:
            return join_names([self._value_name(e.name, lower=True) for e in es], lang)

        if len(top_ties) == len(est) - 1 and len(bottom_ties) == len(est) - 1:
            return [_t(lang, f"Ingen af forvaltningens værdier skiller sig klart ud: højest scorer {say(top)} og "
                             f"lavest {say(bottom)}, men intervallerne overlapper.",
                       f"None of the department's values stands clearly apart: the highest score is {say(top)} and "
                       f"the lowest {say(bottom)}, but the intervals overlap.")]
        out = []
        if not top_ties:
            out.append(_t(lang, f"Forvaltningens stærkeste værdi er {say(top)}, klart over de øvrige værdier.",
                          f"The department's strongest value is {say(top)}, clearly above its other values."))
        else:
            out.append(_t(lang, f"Den højeste score har forvaltningen på {say(top)}, men den ligger på niveau med "
                                f"{names(top_ties)}.",
                          f"Its highest score is on {say(top)}, but that is on level with {names(top_ties)}."))
        if len(est) == 2 and top_ties:
            return out  # the two values are on level: the first sentence said it all
        if not bottom_ties:
            out.append(_t(lang, f"Den svageste værdi er {say(bottom)}, klart under de øvrige værdier.",
                          f"The weakest value is {say(bottom)}, clearly below the other values."))
        else:
            out.append(_t(lang, f"Den laveste score har den på {say(bottom)}, som dog ligger på niveau med "
                                f"{names(bottom_ties)}.",
                          f"Its lowest score is on {say(bottom)}, which is on level with {names(bottom_ties)}."))
        return out

    def values(self) -> Html:
        """Return the five values: the department beside the municipality, as a chart and a table."""
        if self.all_hidden:
            return Html("")
        lang = self.lang
        comp = self.comparison()
        # The chart right under the heading, so the two move to a new page together.
        intro = ("<p>" + _e(_t(
                   lang,
                   "Figuren viser forvaltningens score på hver af indkøbspolitikkens fem værdier med 95 %-interval, "
                   "og kommunens gennemsnit lige under. Forvaltningen kaldes kun over eller under kommunen, når de "
                   "to intervaller ikke overlapper.",
                   "The chart shows the department's score on each of the procurement policy's five values with "
                   "its 95 % interval, and the municipal average just below it. The department is called above or "
                   "below the municipality only when the two intervals do not overlap.")) + "</p>")
        out = [f"<h2>{_e(_t(lang, 'Modenhed på de fem værdier', 'Maturity on the five values'))}</h2>",
               self._figure(self._chart("values"), _t(
                   lang,
                   f"Modenhed i {self.name} pr. værdi i {self.wave} (blå prik) og kommunens gennemsnit af de viste "
                   f"forvaltninger (grå), begge med 95 %-interval; n er antal svarende i forvaltningen."
                   + (f" En værdi med færre end {self.min_n} svar er skjult." if comp["suppressed"].any() else ""),
                   f"Maturity in {self.name} per value in {self.wave} (blue dot) and the municipal average of the "
                   f"departments shown (grey), both with 95 % interval; n is the department's respondents."
                   + (f" A value with fewer than {self.min_n} answers is hidden." if comp["suppressed"].any() else ""))),
               intro]
        words = {HIGHER: _t(lang, "klart over", "clearly above"), LOWER: _t(lang, "klart under", "clearly below"),
                 LEVEL: _t(lang, "på niveau", "on level")}
        head = _t(lang,
                  f"<th>Værdi</th><th class='num'>{_e(self.department)}</th><th class='num'>95 %-interval</th>"
                  "<th>Niveau</th><th class='num'>n</th><th class='num'>Kommunen</th><th class='num'>95 %-interval</th>"
                  "<th>Forvaltningen ligger</th>",
                  f"<th>Value</th><th class='num'>{_e(self.department)}</th><th class='num'>95 % interval</th>"
                  "<th>Level</th><th class='num'>n</th><th class='num'>Municipality</th><th class='num'>95 % interval</th>"
                  "<th>The department is</th>")
        rows = []
        for vid, r in comp.iterrows():
            muni = (f"<td class='num'>{self._num(r['muni_score'], 2)}</td>"
                    f"<td class='num'>{self._ci(r['muni_low'], r['muni_high'], 2)}</td>")
            if r["suppressed"]:
                rows.append(f"<tr><td>{_e(self._short(vid))}</td><td class='hidden' colspan='4'>"
                            f"{_e(self._cannot_show())}</td>{muni}<td class='hidden'>–</td></tr>")
                continue
            cls = " class='flag'" if r["verdict"] in (HIGHER, LOWER) else ""
            rows.append(f"<tr><td>{_e(self._short(vid))}</td><td class='num'><strong>{self._num(r['score'], 2)}"
                        f"</strong></td><td class='num'>{self._ci(r['ci_low'], r['ci_high'], 2)}</td>"
                        f"<td>{_e(self._level(r['level'], bool(r['level_uncertain'])))}</td>"
                        f"<td class='num'>{int(r['n'])}</td>{muni}<td{cls}>{_e(words[r['verdict']])}</td></tr>")
        note = _t(lang, "Score på skalaen 1-5 og niveau; »?« betyder, at intervallet krydser en niveaugrænse, så "
                        "niveauet er usikkert. Kommunens tal er gennemsnittet af de viste forvaltninger, denne "
                        "forvaltning medregnet.",
                  "Score on the 1-5 scale and level; '?' means the interval crosses a level boundary, so the level "
                  "is uncertain. The municipal figure is the mean of the departments shown, this one included.")
        out.append(f"<table class='profile-values keep'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}"
                   f"</tbody></table><p class='note'>{_e(note)}</p>")
        return Html("\n".join(out))

    def focus_areas(self) -> Html:
        """Return each value's lowest-scoring focus area, and the three to look at first."""
        if self.all_hidden:
            return Html("")
        lang = self.lang
        cells = self.cells()
        fa = self.focus_areas_table()
        muni_fa = self.municipal_focus_areas()
        out = [f"<h2>{_e(_t(lang, 'Indsatsområder', 'Focus areas'))}</h2>",
               "<p>" + _e(_t(
                   lang,
                   "Hver værdi består af flere indsatsområder. Tabellen viser for hver værdi det indsatsområde, "
                   "hvor forvaltningen scorer lavest, med kommunens gennemsnit for samme indsatsområde.",
                   "Each value consists of several focus areas. The table shows, for each value, the focus area "
                   "where the department scores lowest, with the municipal average for the same focus area.")) + "</p>"]
        head = _t(lang, "<th>Værdi</th><th>Lavest scorende indsatsområde</th><th class='num'>Score</th>"
                        "<th class='num'>95 %-interval</th><th class='num'>Kommunen</th>",
                  "<th>Value</th><th>Lowest-scoring focus area</th><th class='num'>Score</th>"
                  "<th class='num'>95 % interval</th><th class='num'>Municipality</th>")
        rows = []
        values_hidden = False
        for vid in self.codebook.value_ids:
            name = _e(self._short(vid))
            if cells.loc[vid, "suppressed"]:
                rows.append(f"<tr><td>{name}</td><td class='hidden' colspan='4'>{_e(self._cannot_show())}</td></tr>")
                continue
            g = fa[(fa["value"] == vid) & fa["shown"]]
            if g.empty:  # scoring hides every focus area of a value when one is hidden
                values_hidden = True
                rows.append(f"<tr><td>{name}</td><td class='hidden' colspan='4'>{_e(self._withheld_text())}</td></tr>")
                continue
            low = g.loc[g["score"].idxmin()]
            rows.append(f"<tr><td>{name}</td><td>{_e(self.codebook.focus_area_name(low['focus_area'], lang))}</td>"
                        f"<td class='num'><strong>{self._num(low['score'], 2)}</strong></td>"
                        f"<td class='num'>{self._ci(low['ci_low'], low['ci_high'], 2)}</td>"
                        f"<td class='num'>{self._num(muni_fa.get(low['focus_area'], np.nan), 2)}</td></tr>")
        out.append(f"<table class='profile-focus keep'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}"
                   "</tbody></table>")
        if values_hidden:
            out.append("<p class='note'>" + _e(_t(
                lang,
                f"Når ét indsatsområde under en værdi har færre end {self.min_n} svar, vises ingen af værdiens "
                "indsatsområder: værdiens score er gennemsnittet af indsatsområderne, så det skjulte ellers kunne "
                "regnes ud fra de andre.",
                f"When one focus area of a value has fewer than {self.min_n} answers, none of the value's focus "
                "areas is shown: the value's score is the mean of its focus areas, so the hidden one could "
                "otherwise be worked out from the others.")) + "</p>")
        out.append(self._focus_points(fa, muni_fa))
        return Html("\n".join(out))

    def _withheld_text(self) -> str:
        return _t(self.lang, f"Indsatsområderne vises ikke: et af dem har færre end {self.min_n} svar",
                  f"Focus areas not shown: one of them has fewer than {self.min_n} answers")

    def _focus_points(self, fa: pd.DataFrame, muni_fa: pd.Series) -> str:
        """Return "What the data point to": the lowest focus areas and their lowest items."""
        lang = self.lang
        out = [f"<h3>{_e(_t(lang, 'Hvad data peger på', 'What the data point to'))}</h3>"]
        shown = fa[fa["shown"]].sort_values("score", kind="stable").head(N_FOCUS_POINTS)
        if shown.empty:
            out.append("<p>" + _e(_t(lang, "Ingen indsatsområder kan vises for forvaltningen.",
                                     "No focus area of the department can be shown.")) + "</p>")
            return "\n".join(out)
        out.append("<p>" + _e(_t(
            lang,
            f"De {len(shown)} indsatsområder, hvor forvaltningen scorer lavest på tværs af værdierne, er oplagte "
            "emner for det videre arbejde. Under hvert står de udsagn i spørgeskemaet, som forvaltningen scorer "
            "lavest på; de kan være et konkret sted at begynde.",
            f"The {len(shown)} focus areas where the department scores lowest across the values are natural "
            "candidates for the next steps. Under each are the statements in the questionnaire the department "
            "scores lowest on; they may be a concrete place to start.")) + "</p>")
        items = self.scores.item
        items = items[(items["wave"] == self.wave) & (items["department"] == self.department)
                      & ~items["suppressed"].astype(bool) & items["mean"].notna()]
        # Quoted inside a sentence, so without their own full stop.
        texts = {it.id: (it.text_en if lang == "en" else it.text_da).strip().rstrip(".")
                 for it in self.codebook.items}
        entries = []
        for r in shown.itertuples():
            fa_name = self.codebook.focus_area_name(r.focus_area, lang)
            muni = muni_fa.get(r.focus_area, np.nan)
            relation = ""
            if pd.notna(muni):
                m = self._num(muni, 2)
                if r.ci_high < muni:
                    relation = _t(lang, f"Kommunens gennemsnit er {m}, så forvaltningen ligger klart under.",
                                  f"The municipal average is {m}, so the department is clearly below it.")
                elif r.ci_low > muni:
                    relation = _t(lang, f"Kommunens gennemsnit er lavere ({m}): området er svagt i hele kommunen.",
                                  f"The municipal average is lower ({m}): the area is weak across the municipality.")
                else:
                    relation = _t(lang, f"Kommunens gennemsnit er {m}, så forvaltningen ligger på niveau med kommunen.",
                                  f"The municipal average is {m}, so the department is on level with the municipality.")
            own = items[items["focus_area"] == r.focus_area].sort_values("mean", kind="stable")
            # The items at or below the focus area's score pull it down; at least the lowest one.
            low = own[own["mean"] <= r.score + 1e-9].head(N_ITEMS)
            if low.empty:
                low = own.head(1)
            quoted = [f"»{texts[i]}«" if lang == "da" else f"“{texts[i]}”" for i in low["item"]]
            if not quoted:
                item_text = _t(lang, f"Hvert af områdets udsagn har færre end {self.min_n} svar, så de rangeres ikke",
                               f"Each of the area's statements has fewer than {self.min_n} answers, so they are not "
                               "ranked")
            elif len(quoted) == 1:
                item_text = _t(lang, f"Lavest scorer udsagnet {quoted[0]}", f"The lowest-scoring statement is {quoted[0]}")
            else:
                item_text = _t(lang, f"Lavest scorer udsagnene {join_names(quoted, lang)}",
                               f"The lowest-scoring statements are {join_names(quoted, lang)}")
            entries.append(
                f"<li><strong>{_e(fa_name)}</strong> ({_e(self._value_name(r.value, lower=True))}): "
                f"{self._num(r.score, 2)} ({_e(_t(lang, '95 %-interval', '95 % interval'))} "
                f"{self._ci(r.ci_low, r.ci_high, 2)}). {_e(relation)}"
                + (f"<br>{_e(item_text)}." if item_text else "") + "</li>")
        out.append(f"<ol class='focus-points'>{''.join(entries)}</ol>")
        out.append("<p class='note'>" + _e(_t(
            lang,
            "Listen viser, hvor svarene ligger lavest, ikke hvad der er vigtigst; den er et udgangspunkt for "
            "forvaltningens egen drøftelse af, hvor den vil sætte ind. Spørgsmålenes enkelte gennemsnit vises ikke, "
            "så intet spørgsmål med få svar kan regnes ud.",
            "The list shows where the answers are lowest, not what matters most; it is a starting point for the "
            "department's own discussion of where to act. The questions' own means are not shown, so no question "
            "with few answers can be worked out.")) + "</p>")
        return "\n".join(out)

    def distributions(self) -> Html:
        """Return the department's answer distribution (n >= 2 min_n) and its don't-know shares."""
        if self.all_hidden:
            return Html("")
        lang = self.lang
        limit = 2 * self.min_n
        out = [f"<h2>{_e(_t(lang, 'Svarfordeling og kendskab', 'Answer distribution and awareness'))}</h2>"]
        rows = self._distribution_rows()
        if self._shows_distribution():
            not_shown = [self._value_name(v, lower=True) for v in rows.index
                         if not bool(rows.loc[v, "shown"]) or pd.isna(rows.loc[v, "shown"])]
            text = _t(lang,
                      "Fordelingen af forvaltningens svar på de fem niveauer viser, om scoren dækker over enighed "
                      "eller spredning. Niveau 1-2 står til venstre for midten, niveau 4-5 til højre, og niveau 3 "
                      "deles af midterlinjen.",
                      "The distribution of the department's answers over the five levels shows whether its score "
                      "hides agreement or spread. Levels 1-2 are left of the centre, levels 4-5 right of it, and "
                      "level 3 is split by the centre line.")
            if not_shown:
                text += " " + _t(lang, f"På {join_names(not_shown, lang)} vises fordelingen ikke, fordi færre end "
                                       f"{limit} har svaret; fordelinger vises kun for grupper på mindst {limit}.",
                                 f"On {join_names(not_shown, lang)} the distribution is not shown because fewer than "
                                 f"{limit} answered; distributions are shown only for groups of at least {limit}.")
            out.append(f"<p>{_e(text)}</p>")
            out.append(self._figure(self._chart("distribution"), _t(
                lang, f"Svarfordeling pr. værdi i {self.wave}: {self.name}. »Ved ikke« og »Ikke relevant« til højre "
                      "som andel af alle svar.",
                f"Answer distribution per value in {self.wave}: {self.name}. 'Don't know' and 'not applicable' on "
                "the right as shares of all answers.")))
        else:
            out.append("<p>" + _e(_t(
                lang, f"Svarfordelingen vises ikke, fordi færre end {limit} i forvaltningen har svaret på hver "
                      f"værdi. En fordeling viser mere end en score, så den vises kun for grupper på mindst {limit} "
                      f"(to gange mindstegrænsen på {self.min_n}).",
                f"The answer distribution is not shown because fewer than {limit} in the department answered on "
                f"each value. A distribution shows more than a score, so it is shown only for groups of at least "
                f"{limit} (twice the minimum of {self.min_n}).")) + "</p>")
        out.append(self._dont_know_block())
        return Html("\n".join(out))

    def _dont_know_block(self) -> str:
        lang = self.lang
        dk = self.dont_know()
        limit = format_share(config.DONT_KNOW_FLAG, lang)
        out = [f"<h3>{_e(_t(lang, 'Kendskab: svaret »Ved ikke«', 'Awareness: the answer “don’t know”'))}</h3>"]
        head = _t(lang, f"<th>Værdi</th><th class='num'>{_e(self.department)}</th><th class='num'>Kommunen</th>",
                  f"<th>Value</th><th class='num'>{_e(self.department)}</th><th class='num'>Municipality</th>")
        rows = []
        for vid, r in dk.iterrows():
            if r["suppressed"] or pd.isna(r["share"]):
                own = f"<td class='num hidden'>{_e(self._hidden())}</td>"
            else:
                own = (f"<td class='num{' flag' if r['flagged'] else ''}'>{self._share(r['share'])}"
                       f"{' ▲' if r['flagged'] else ''}</td>")
            muni = (f"<td class='num{' flag' if r['muni_flagged'] else ''}'>{self._share(r['muni_share'])}"
                    f"{' ▲' if r['muni_flagged'] else ''}</td>")
            rows.append(f"<tr><td>{_e(self._short(vid))}</td>{own}{muni}</tr>")
        flagged = [self._value_name(v, lower=True) for v in dk.index[dk["flagged"].astype(bool)]]
        if flagged:
            sentence = _t(lang, f"Over {limit} af forvaltningens svar er »Ved ikke« på {join_names(flagged, lang)} "
                                "(markeret ▲). Når mange ikke ved, hvordan forvaltningen arbejder, er det i sig selv "
                                "et tegn på lav modenhed, og kendskabet kan være et sted at begynde.",
                          f"More than {limit} of the department's answers are 'don't know' on "
                          f"{join_names(flagged, lang)} (marked ▲). When many do not know how their department works, "
                          "that is itself a sign of low maturity, and awareness may be a place to start.")
        else:
            sentence = _t(lang, f"Ingen af forvaltningens værdier har over {limit} »Ved ikke«.",
                          f"None of the department's values has more than {limit} 'don't know'.")
        intro = _t(lang, "Andelen »Ved ikke« af de afgivne svar pr. værdi, ved siden af kommunens (de viste "
                         "forvaltninger under ét).",
                   "The share of 'don't know' among the answers given per value, beside the municipality's (the "
                   "departments shown, together).")
        out.append(f"<p>{_e(intro)} {_e(sentence)}</p>")
        out.append(f"<table class='profile-dontknow keep'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}"
                   "</tbody></table>")
        return "\n".join(out)

    def trend(self) -> Html:
        """Return the department's scores over the waves and the change since the previous wave."""
        if self.all_hidden:
            return Html("")
        lang = self.lang
        out = [f"<h2>{_e(_t(lang, 'Udvikling over tid', 'Change over time'))}</h2>"]
        if not self._has_trend():
            out.append("<p>" + _e(_t(lang, "Data har kun ét år, så udviklingen kan først vises, når undersøgelsen "
                                           "er gentaget.",
                                     "The data hold one year only, so the change can be shown once the survey has "
                                     "been repeated.")) + "</p>")
            return Html("\n".join(out))
        waves = self.scores.waves
        out.append(self._figure(self._chart("trend"), _t(
            lang, f"Modenhed i {self.name} pr. værdi og år ({waves[0]}-{waves[-1]}) med 95 %-interval; n under hvert "
                  f"år er antal svarende. Et år, hvor færre end {self.min_n} svarede på værdien, er skjult.",
            f"Maturity in {self.name} per value and year ({waves[0]}-{waves[-1]}) with 95 % interval; n under each "
            f"year is the number of respondents. A year in which fewer than {self.min_n} answered on the value is "
            "hidden.")))
        prev = self.previous_wave
        if prev is not None:
            out.append(f"<h3>{_e(_t(lang, f'Ændring siden {prev}', f'Change since {prev}'))}</h3>")
            out.append(self._change_block(prev))
        return Html("\n".join(out))

    def changes(self) -> pd.DataFrame:
        """Return the department's change per value from the previous wave (empty when there is none)."""
        prev = self.previous_wave
        if prev is None:
            return pd.DataFrame()
        changes = self.briefing.changes()
        return changes[changes["department"] == self.department].set_index("value").reindex(self.codebook.value_ids)

    def _change_block(self, prev: int) -> str:
        lang = self.lang
        changes = self.changes()
        before, now = self.cells(prev), self.cells()
        published = changes[~changes["suppressed"].astype("boolean").fillna(True).astype(bool)]
        hidden = [self._value_name(v, lower=True) for v in changes.index if v not in published.index]
        if published.empty:
            text = _t(lang, f"Ændringen siden {prev} kan ikke vises på nogen værdi, fordi forvaltningen havde færre "
                            f"end {self.min_n} svar i et af årene.",
                      f"The change since {prev} cannot be shown on any value, because the department had fewer than "
                      f"{self.min_n} answers in one of the years.")
        else:
            names = {v: self.codebook.value_name(v, lang) for v in self.codebook.value_ids}
            text = sentence_changes(published.reset_index(), names, prev, lang)
            if hidden:
                text += " " + _t(lang, f"På {join_names(hidden, lang)} kan ændringen ikke vises, fordi forvaltningen "
                                       f"havde færre end {self.min_n} svar i et af årene.",
                                 f"On {join_names(hidden, lang)} the change cannot be shown, because the department "
                                 f"had fewer than {self.min_n} answers in one of the years.")
        text += " " + _t(lang, "En ændring kaldes kun en forbedring eller tilbagegang, når 95 %-intervallet for "
                               "forskellen ikke indeholder 0.",
                         "A change is called an improvement or a decline only when the 95 % interval of the "
                         "difference excludes 0.")
        head = _t(lang, f"<th>Værdi</th><th class='num'>{prev}</th><th class='num'>{self.wave}</th>"
                        "<th class='num'>Ændring</th><th class='num'>95 %-interval</th><th>Vurdering</th>",
                  f"<th>Value</th><th class='num'>{prev}</th><th class='num'>{self.wave}</th>"
                  "<th class='num'>Change</th><th class='num'>95 % interval</th><th>Verdict</th>")
        rows = []
        for vid in self.codebook.value_ids:
            cells = []
            for table in (before, now):
                if table.empty or table.loc[vid, "suppressed"]:
                    cells.append(f"<td class='num hidden'>{_e(self._hidden())}</td>")
                else:
                    cells.append(f"<td class='num'>{self._num(table.loc[vid, 'score'], 2)}</td>")
            if vid in published.index:
                r = published.loc[vid]
                sign = "+" if r["diff"] > 0 else ""
                cls = " class='flag'" if r["verdict"] in ("improvement", "decline") else ""
                cells.append(f"<td class='num'>{sign}{self._num(r['diff'], 2)}</td>"
                             f"<td class='num'>{self._ci(r['ci_low'], r['ci_high'], 2)}</td>"
                             f"<td{cls}>{_e(change_word(r['verdict'], lang))}</td>")
            else:
                cells.append(f"<td class='num hidden'>{_e(_t(lang, 'skjult', 'hidden'))}</td>"
                             f"<td class='num hidden'>–</td><td class='hidden'>{_e(_t(lang, 'skjult', 'hidden'))}</td>")
            rows.append(f"<tr><td>{_e(self._short(vid))}</td>{''.join(cells)}</tr>")
        return (f"<p>{_e(text)}</p><table class='profile-change keep'><thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")

    def appendix(self) -> Html:
        """Return the method note and the department's table of values and focus areas."""
        lang = self.lang
        heading = _t(lang, "Bilag", "Appendix")
        if self.all_hidden:
            # One page: no page break before a method note that is the only thing left to show.
            return Html(f"<h2>{_e(heading)}</h2>\n{self._method()}")
        return Html("\n".join([f"<h2 class='appendix'>{_e(heading)}</h2>", self._method(), self._table()]))

    def _method(self) -> str:
        lang, s = self.lang, self.scores
        n, limit = s.min_n, 2 * s.min_n
        resamples = format_number(s.resamples, lang, 0)
        data = (_t(lang, "Syntetiske eksempeldata (ikke virkelige svar)", "Synthetic sample data (not real answers)")
                if self.briefing.is_sample else _t(lang, "Spørgeskemaets svar", "The survey's answers"))
        files = ", ".join(Path(f).name for f in self.briefing.response_files)
        if lang == "da":
            paras = [
                "Hvert spørgsmål beskriver en praksis, og den svarende vælger det af fem niveauer fra Ikke påbegyndt "
                "(1) til Førende (5), der bedst beskriver forvaltningens praksis; »Ved ikke« og »Ikke relevant« "
                "indgår ikke i scoren. Forvaltningens score på et spørgsmål er gennemsnittet af dens gyldige svar, "
                "et indsatsområdes score gennemsnittet af dets spørgsmål og en værdis score gennemsnittet af dens "
                "indsatsområder. Niveauet er det nærmeste hele niveau (halve rundes op). Kommunens score er "
                "gennemsnittet af de viste forvaltninger, som vejer lige meget.",
                f"Usikkerheden vises som 95 %-intervaller beregnet med bootstrap: svarene trækkes {resamples} gange "
                f"med tilbagelægning inden for forvaltningen (fast startværdi {s.seed}), og hele beregningen gentages "
                "hver gang. Teksten kalder kun forvaltningen over eller under kommunen, eller én værdi stærkere end "
                "en anden, når intervallerne ikke overlapper, og kun en ændring en forbedring eller tilbagegang, når "
                "intervallet for forskellen ikke indeholder 0.",
                f"Anonymitet: Et resultat vises ikke, når færre end {n} har givet et gyldigt svar. Det gælder "
                "overalt i profilen: score, interval, niveau, indsatsområder, figurer, udvikling og tabeller. "
                f"Svarfordelinger vises kun for grupper på mindst {limit}. Når ét indsatsområde er skjult, vises "
                "værdiens øvrige indsatsområder heller ikke, og spørgsmålenes enkelte gennemsnit vises ikke, så "
                "intet skjult tal kan regnes ud af de viste. Skjulte resultater indgår ikke i kommunens gennemsnit.",
                f"Data: {data} ({files}).",
            ]
        else:
            paras = [
                "Each question describes a practice, and the respondent picks the one of five levels from Not "
                "started (1) to Leading (5) that best describes the department's practice; 'don't know' and 'not "
                "applicable' are not scored. The department's score on a question is the mean of its valid answers, "
                "a focus area's score the mean of its questions and a value's score the mean of its focus areas. "
                "The level is the nearest whole level (halves round up). The municipal score is the mean of the "
                "departments shown, each weighing the same.",
                f"Uncertainty is shown as 95 % intervals by bootstrap: the answers are redrawn {resamples} times "
                f"with replacement within the department (fixed seed {s.seed}) and the whole calculation is "
                "repeated each time. The text calls the department above or below the municipality, or one value "
                "stronger than another, only when their intervals do not overlap, and a change an improvement or "
                "decline only when the interval of the difference excludes 0.",
                f"Anonymity: a result is not shown when fewer than {n} gave a valid answer. This holds everywhere "
                "in the profile: score, interval, level, focus areas, charts, change and tables. Answer "
                f"distributions are shown only for groups of at least {limit}. When one focus area is hidden, the "
                "value's other focus areas are not shown either, and the questions' own means are not shown, so no "
                "hidden number can be worked out from the ones shown. Hidden results are not part of the municipal "
                "average.",
                f"Data: {data} ({files}).",
            ]
        title = _t(lang, "Metode", "Method")
        return f"<h3>{_e(title)}</h3>" + "".join(f"<p>{_e(p)}</p>" for p in paras)

    def _table(self) -> str:
        lang = self.lang
        cells = self.cells()
        fa = self.focus_areas_table().set_index("focus_area")
        head = _t(lang, "<th>Værdi og indsatsområde</th><th class='num'>Score</th><th class='num'>95 %-interval</th>"
                        "<th class='num'>n</th><th>Niveau</th>",
                  "<th>Value and focus area</th><th class='num'>Score</th><th class='num'>95 % interval</th>"
                  "<th class='num'>n</th><th>Level</th>")
        indent = " style='padding-left:1.4em'"  # focus areas under their value
        rows = []
        for value in self.codebook.values:
            c = cells.loc[value.id]
            name = f"<strong>{_e(value.name(lang))}</strong>"
            if c["suppressed"]:
                rows.append(f"<tr class='value'><td>{name}</td><td class='hidden' colspan='4'>"
                            f"{_e(self._cannot_show())}</td></tr>")
                continue
            rows.append(f"<tr class='value'><td>{name}</td><td class='num'><strong>{self._num(c['score'], 2)}</strong>"
                        f"</td><td class='num'>{self._ci(c['ci_low'], c['ci_high'], 2)}</td>"
                        f"<td class='num'>{int(c['n'])}</td><td>{_e(self._level(c['level'], bool(c['level_uncertain'])))}"
                        "</td></tr>")
            for area in value.focus_areas:
                label = _e(area.name_en if lang == "en" else area.name_da)
                r = fa.loc[area.id] if area.id in fa.index else None
                if r is None or not r["shown"]:
                    rows.append(f"<tr class='fa'><td{indent}>{label}</td><td class='hidden' colspan='4'>{_e(self._hidden())}"
                                "</td></tr>")
                    continue
                rows.append(f"<tr class='fa'><td{indent}>{label}</td><td class='num'>{self._num(r['score'], 2)}</td>"
                            f"<td class='num'>{self._ci(r['ci_low'], r['ci_high'], 2)}</td>"
                            f"<td class='num'>{int(r['n'])}</td>"
                            f"<td>{_e(self._level(r['level'], bool(r['level_uncertain'])))}</td></tr>")
        intro = _t(lang, f"{self.name}s værdier og indsatsområder i {self.wave}: score (1-5), 95 %-interval, antal "
                         "svarende (n) og niveau; »?« betyder, at niveauet er usikkert.",
                   f"The values and focus areas of {self.name} in {self.wave}: score (1-5), 95 % interval, number "
                   "of respondents (n) and level; '?' means the level is uncertain.")
        return "\n".join([f"<h3>{_e(_t(lang, 'Forvaltningens tal', 'The department’s figures'))}</h3>",
                          f"<p>{_e(intro)}</p>",
                          f"<table class='profile-table'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}"
                          "</tbody></table>"])

    # -- exports ------------------------------------------------------------------------------
    def provenance(self, output_dir: str | Path = "") -> Html:
        """Return the provenance section (data, code and settings behind this profile)."""
        return self.briefing.provenance(output_dir, title=_t(self.lang, "Sporbarhed", "Provenance"))

    def write_tables(self, output_dir: str | Path) -> list[Path]:
        """Write the department's tables into ``output_dir/tables``; nothing when ``output_dir`` is empty.

        ``profile_<CODE>.csv`` holds the department's rows of ``maturity_by_department_value.csv``
        (every wave, the same columns and suppression: suppressed rows have blank score,
        interval and level); ``profile_<CODE>_focus_areas.csv`` holds its rows of
        ``maturity_by_department_focus_area.csv``, likewise.
        """
        from ..tables.contract import neutralise_text, table_department_value, table_focus_area

        if not str(output_dir):
            return []
        folder = Path(output_dir) / "tables"
        folder.mkdir(parents=True, exist_ok=True)
        values = table_department_value(self.scores)
        values = values[values["department"] == self.department]
        areas = table_focus_area(self.scores)
        areas = areas[areas["department"] == self.department]
        written = []
        for name, frame in ((f"profile_{self.department}.csv", values),
                            (f"profile_{self.department}_focus_areas.csv", areas)):
            frame = frame.copy()
            for column in frame.columns:
                if pd.api.types.is_object_dtype(frame[column]) or pd.api.types.is_string_dtype(frame[column]):
                    frame[column] = frame[column].map(neutralise_text, na_action="ignore")
            path = folder / name
            frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
            written.append(path)
        return written


def default_profile_title(department_name: str, code: str, wave: int, lang: str = "da") -> str:
    """Return a profile's default title, e.g. "Modenhed i indkøbet 2025: Børne- og Ungdomsforvaltningen (BUF)"."""
    return _t(lang, f"Modenhed i indkøbet {wave}: {department_name} ({code})",
              f"Procurement maturity {wave}: {department_name} ({code})")


def prepare_profile(department: str, responses: list[str] | str | None = None, *, wave: int | None = None,
                    min_n: int = config.DEFAULT_MIN_N, seed: int = config.DEFAULT_SEED,
                    resamples: int = config.DEFAULT_RESAMPLES, lang: str = "da", title: str = "",
                    sheet: str | None = None, chart_background: bool = True) -> DepartmentProfile:
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
        raise ParameterError(f"department {department!r} is not a department; use one of the codes "
                             f"{', '.join(departments.codes)} (or a department's name).")
    # The committee briefing's own charts are not needed here: only its numbers.
    briefing = prepare_briefing(responses, wave=wave, min_n=min_n, seed=seed, resamples=resamples, lang=lang,
                                title=title, departments=departments, charts=False, sheet=sheet,
                                chart_background=chart_background)
    briefing.title = title or default_profile_title(departments[code].name(lang), code, briefing.wave, lang)
    profile = DepartmentProfile(briefing=briefing, department=code)
    profile._chart_start()
    return profile
