"""The committee briefing, section by section, as HTML blocks a notebook displays.

The notebook ``notebooks/briefing.ipynb`` makes one :class:`Briefing` with
:func:`prepare_briefing` and shows its sections in the order of an *orientering* to
Økonomiudvalget: Resumé, Sagsfremstilling, Økonomi, Videre proces, Bilag. Every sentence and
figure here is computed from the scores; nothing is typed in by hand except the parameters.
"""

from __future__ import annotations

import datetime as _dt
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .. import config
from ..survey.codebook import Codebook, Departments, load_codebook, load_departments
from ..exceptions import ParameterError
from .formatting import check_lang, format_date_long, format_interval, format_number, format_share
from ..survey.loading import Survey, load_responses
from .narrative import (
    Estimate,
    change_word,
    estimates,
    join_names,
    sentence_changes,
    sentence_extreme,
    sentence_leaders,
)
from ..stats.scoring import ALL, Scores, score_changes, score_changes_to, score_survey

INNOVATION = "innovation"


class Html(str):
    """A piece of HTML that Jupyter displays as rich output (``text/html``)."""

    def _repr_html_(self) -> str:
        return str(self)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _t(lang: str, da: str, en: str) -> str:
    return en if lang == "en" else da


@dataclass
class Briefing:
    """Everything one briefing shows: the survey, its scores and the settings."""

    survey: Survey
    scores: Scores
    codebook: Codebook
    departments: Departments
    wave: int
    lang: str
    title: str
    is_sample: bool
    response_files: list[str]
    chart_background: bool = True
    _figure_no: int = field(default=0, repr=False)
    _charts: Any = field(default=None, repr=False)
    _distribution: pd.DataFrame | None = field(default=None, repr=False)
    _changes: pd.DataFrame | None = field(default=None, repr=False)

    # -- helpers ------------------------------------------------------------------------------
    @property
    def previous_wave(self) -> int | None:
        """Return the wave before :attr:`wave` in the data, if any."""
        earlier = [w for w in self.scores.waves if w < self.wave]
        return max(earlier) if earlier else None

    def _value_names(self) -> dict[str, str]:
        return {v.id: v.name(self.lang) for v in self.codebook.values}

    def _short_names(self) -> dict[str, str]:
        return {v.id: v.short(self.lang) for v in self.codebook.values}

    def _level(self, level) -> str:
        return self.codebook.level_name(int(level), self.lang) if pd.notna(level) else "–"

    def _num(self, x, decimals: int = 1) -> str:
        return format_number(x, self.lang, decimals)

    def _figure(self, chart, caption: str) -> str:
        from .charts import figure_html

        self._figure_no += 1
        return figure_html(chart, number=self._figure_no, caption=caption, lang=self.lang)

    def _chart(self, name: str):
        """Return the named chart, rendered (see :meth:`start_charts`)."""
        if self._charts is None:
            self.start_charts()
        return self._charts[name]

    def start_charts(self) -> None:
        """Start rendering every chart of the briefing, partly in a background process.

        :func:`prepare_briefing` calls this as soon as the scores exist, so the charts are
        drawn while the notebook writes its tables and text (:class:`analysis.report.chartpool.ChartBatch`).
        """
        from . import charts
        from .chartpool import ChartBatch

        lang = self.lang
        builders = {
            "values": lambda: charts.plot_value_maturity(self.scores, self.codebook, self.wave, lang),
            "heatmap": lambda: charts.plot_department_heatmap(self.scores, self.codebook, self.departments,
                                                              self.wave, lang),
            "innovation": lambda: charts.plot_innovation_by_department(self.scores, self.codebook,
                                                                       self.departments, self.wave, lang),
            "dont_know": lambda: charts.plot_dont_know(self.scores, self.codebook, self.departments, self.wave,
                                                       lang),
            "distribution": lambda: charts.plot_distribution(self.distribution(), self.codebook, lang,
                                                             department=ALL),
        }
        if len(self.scores.waves) > 1:
            builders["trend"] = lambda: charts.plot_trend(self.scores, self.codebook, lang)
        for dept in self._distribution_departments():
            builders[f"distribution:{dept}"] = (
                lambda dept=dept: charts.plot_distribution(self.distribution(), self.codebook, lang,
                                                           department=dept))
        self._charts = ChartBatch(builders, background=self.chart_background)

    def distribution(self) -> pd.DataFrame:
        """Return the answer distributions of this wave (municipality and departments)."""
        if self._distribution is None:
            from ..stats.distributions import answer_distribution

            self._distribution = answer_distribution(self.survey.responses, self.codebook, wave=self.wave,
                                                     min_n=self.scores.min_n, departments=self.departments)
        return self._distribution

    def _distribution_departments(self) -> list[str]:
        """Return the departments whose full answer distribution may be shown (n >= 2 min_n)."""
        dist = self.distribution()
        shown = dist[(dist["department"] != ALL) & dist["shown"]]
        return list(dict.fromkeys(shown["department"]))

    def _cells(self, wave: int | None = None) -> pd.DataFrame:
        dv = self.scores.department_value
        return dv[dv["wave"] == (wave or self.wave)]

    def _municipality(self, wave: int | None = None) -> pd.DataFrame:
        v = self.scores.value
        return v[v["wave"] == (wave or self.wave)]

    def _department_value_table(self, frame: pd.DataFrame, cell, css: str, *, hidden: str = "",
                                label=None) -> str:
        """Return an HTML table with a row per department and a column per value.

        ``cell(row)`` makes the ``<td>`` of a shown cell; a suppressed (or missing) cell says
        ``hidden`` (default: "skjult (n < min_n)") and nothing else.
        """
        lang, short, values = self.lang, self._short_names(), self.codebook.value_ids
        hidden_td = f"<td class='num hidden'>{_e(hidden or self._hidden_text())}</td>"
        head = "".join(f"<th class='num'>{_e(short[v])}</th>" for v in values)
        rows = []
        for dept, g in frame.groupby("department", sort=False):
            g = g.set_index("value")
            tds = "".join(cell(g.loc[v]) if v in g.index and not g.loc[v, "suppressed"] else hidden_td for v in values)
            rows.append(f"<tr><td>{_e(label(dept) if label else dept)}</td>{tds}</tr>")
        return (f"<table class='{css}'><thead><tr><th>{_e(_t(lang, 'Kode', 'Code'))}</th>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")

    def _hidden_text(self) -> str:
        return _t(self.lang, f"skjult (n < {self.scores.min_n})", f"hidden (n < {self.scores.min_n})")

    # -- sections -----------------------------------------------------------------------------
    def header(self) -> Html:
        """Return the title block, with a warning when the data are the synthetic sample."""
        date = _dt.date.today()
        kind = _t(self.lang, "Orientering til Økonomiudvalget", "Briefing for the Finance Committee (Økonomiudvalget)")
        org = _t(self.lang, "Københavns Kommune · Økonomiforvaltningen",
                 "City of Copenhagen · Finance Administration (Økonomiforvaltningen)")
        meta = _t(self.lang, f"Spørgeskemaundersøgelse {self.wave} · udarbejdet {format_date_long(date, 'da')}",
                  f"Survey {self.wave} · prepared {format_date_long(date, 'en')}")
        parts = [f'<header class="doc-header"><p class="org">{_e(org)}</p><p class="kind">{_e(kind)}</p>',
                 f'<h1 class="doctitle">{_e(self.title)}</h1><p class="meta">{_e(meta)}</p></header>']
        if self.is_sample:
            parts.append('<aside class="synthetic"><strong>{}</strong> {}</aside>'.format(
                _e(_t(self.lang, "Syntetiske data.", "Synthetic data.")),
                _e(_t(self.lang,
                      "Denne udgave er lavet på projektets syntetiske eksempeldata. Tallene viser ikke "
                      "virkelige svar og må ikke bruges som grundlag for beslutninger.",
                      "This edition was made from the project's synthetic sample data. The numbers are "
                      "not real answers and must not be used for decisions."))))
        return Html("\n".join(parts))

    def resume(self) -> Html:
        """Return the Resumé: 3-5 sentences generated from the numbers."""
        return Html(f"<h2>{_e(_t(self.lang, 'Resumé', 'Summary'))}</h2>\n"
                    f"<p class=\"lead\">{_e(' '.join(self.resume_sentences()))}</p>")

    def resume_sentences(self) -> list[str]:
        """Return the Resumé's sentences: scope, least and most mature value, leaders, change."""
        lang, names = self.lang, self._value_names()
        cells, muni = self._cells(), self._municipality()
        respondents = self.scores.respondents
        n_resp = int(respondents.loc[respondents["wave"] == self.wave, "respondents"].sum())
        n_dept = int(respondents.loc[respondents["wave"] == self.wave, "department"].nunique())
        published_all = [d for d, g in cells.groupby("department", sort=False) if not g["suppressed"].any()]
        sentences = [_t(
            lang,
            f"Økonomiforvaltningen har i {self.wave} spurgt {n_resp} indkøbsfaglige medarbejdere i "
            f"{n_dept} forvaltninger, hvor modent indkøbet er på indkøbspolitikkens fem værdier; af hensyn til "
            f"anonymiteten kan {len(published_all)} af forvaltningerne vises på alle værdier.",
            f"In {self.wave} the Finance Administration asked {n_resp} procurement staff in {n_dept} "
            f"departments how mature procurement is on the five values of the procurement policy; to protect "
            f"anonymity, {len(published_all)} of the departments can be shown on every value.")]
        muni_est = estimates(muni, "value", names)
        level_by_name = {names[r.value]: self._level(r.level) for r in muni.itertuples()}
        for which in ("lowest", "highest"):
            ordered = sorted(muni_est, key=lambda e: e.score, reverse=(which == "highest"))
            if ordered:
                sentences.append(sentence_extreme(muni_est, which, level_by_name[ordered[0].name], lang))
        inno = muni[muni["value"] == INNOVATION]
        if not inno.empty and pd.notna(inno["score"].iloc[0]):
            row = inno.iloc[0]
            municipality = Estimate(names[INNOVATION], row["score"], row["ci_low"], row["ci_high"])
            sentences.append(sentence_leaders(
                estimates(cells[cells["value"] == INNOVATION], "department"), municipality,
                names[INNOVATION], lang))
        if self.previous_wave is not None:
            changes = self.changes()
            sentences.append(sentence_changes(changes[changes["department"] == ALL], names,
                                              self.previous_wave, lang))
        return sentences

    def changes(self) -> pd.DataFrame:
        """Return the changes since the previous wave (empty when there is none), computed once."""
        if self._changes is None:
            self._changes = (pd.DataFrame() if self.previous_wave is None
                             else score_changes(self.scores, self.previous_wave, self.wave))
        return self._changes

    def case(self) -> Html:
        """Return the Sagsfremstilling: findings with figures, then examples of innovation work."""
        lang, names = self.lang, self._value_names()
        cells, muni = self._cells(), self._municipality()
        prev = self.previous_wave
        out = [f"<h2>{_e(_t(lang, 'Sagsfremstilling', 'The case and findings'))}</h2>",
               "<p>" + _e(_t(
                   lang,
                   "Indkøbspolitikken 2023-2026 følges op hvert år, og opfølgningen forelægges Økonomiudvalget. "
                   "Økonomiforvaltningen har derfor spurgt de indkøbsfaglige medarbejdere i forvaltningerne, "
                   "hvor langt deres forvaltning er på hver af politikkens fem ligeværdige værdier, med "
                   "særligt fokus på partnerskaber og innovation. Hvert spørgsmål besvares på fem niveauer fra "
                   "Ikke påbegyndt (1) til Førende (5). Alle tal vises med et 95 %-interval, og teksten kalder "
                   "kun én værdi eller forvaltning højere end en anden, når intervallerne ikke overlapper.",
                   "The procurement policy 2023-2026 is followed up every year and the follow-up is presented "
                   "to the Finance Committee. The Finance Administration therefore asked the procurement staff "
                   "of the departments how far their department has come on each of the policy's five equal "
                   "values, with a focus on partnerships and innovation. Each question is answered on five "
                   "levels from Not started (1) to Leading (5). Every number comes with a 95 % interval, and the "
                   "text calls one value or department higher than another only when their intervals do not "
                   "overlap.")) + "</p>"]

        out.append(f"<h3>{_e(_t(lang, 'Modenhed på de fem værdier', 'Maturity on the five values'))}</h3>")
        level_by_name = {names[r.value]: self._level(r.level) for r in muni.itertuples()}
        muni_est = estimates(muni, "value", names)
        if muni_est:
            low = min(muni_est, key=lambda e: e.score)
            high = max(muni_est, key=lambda e: e.score)
            out.append("<p>" + _e(" ".join([
                sentence_extreme(muni_est, "lowest", level_by_name[low.name], lang),
                sentence_extreme(muni_est, "highest", level_by_name[high.name], lang)])) + "</p>")
        out.append(self._figure(self._chart("values"), _t(
            lang, f"Kommunens modenhed pr. værdi i {self.wave}: gennemsnit af de viste forvaltninger med 95 %-interval "
                  "og antal forvaltninger og svarende (n).",
            f"The municipality's maturity per value in {self.wave}: mean of the departments shown, with 95 % "
            "interval and the number of departments and respondents (n).")))

        out.append(f"<h3>{_e(_t(lang, 'Forvaltningerne', 'The departments'))}</h3>")
        out.append("<p>" + _e(self._suppression_sentence()) + "</p>")
        out.append(self._figure(self._chart("heatmap"), _t(
            lang, f"Modenhed pr. forvaltning og værdi i {self.wave} med niveau, score og antal svarende (n). Grå, "
                  f"skraverede felter er skjult af hensyn til anonymiteten (færre end {self.scores.min_n} svar). "
                  "»?« betyder, at intervallet krydser en niveaugrænse, så niveauet er usikkert.",
            f"Maturity per department and value in {self.wave} with level, score and respondents (n). Grey hatched "
            f"cells are hidden to protect anonymity (fewer than {self.scores.min_n} answers). '?' means the "
            "interval crosses a level boundary, so the level is uncertain.")))

        out.append(f"<h3>{_e(names[INNOVATION])}</h3>")
        inno = muni[muni["value"] == INNOVATION]
        if not inno.empty and pd.notna(inno["score"].iloc[0]):
            row = inno.iloc[0]
            out.append("<p>" + _e(sentence_leaders(
                estimates(cells[cells["value"] == INNOVATION], "department"),
                Estimate(names[INNOVATION], row["score"], row["ci_low"], row["ci_high"]),
                names[INNOVATION], lang)) + "</p>")
        out.append(self._figure(self._chart("innovation"), _t(
            lang, f"{names[INNOVATION]} pr. forvaltning i {self.wave} med 95 %-interval; den lodrette linje er "
                  "kommunens gennemsnit.",
            f"{names[INNOVATION]} per department in {self.wave} with 95 % interval; the vertical line is the "
            "municipal mean.")))
        out.append(self._cases())

        if prev is not None:
            out.append(f"<h3>{_e(_t(lang, f'Udvikling siden {prev}', f'Change since {prev}'))}</h3>")
            changes = self.changes()
            out.append("<p>" + _e(" ".join(filter(None, [
                sentence_changes(changes[changes["department"] == ALL], names, prev, lang),
                self._department_change_sentence(changes)]))) + "</p>")
            out.append(self._figure(self._chart("trend"), _t(
                lang, "Kommunens modenhed pr. værdi og år med 95 %-interval. Tallet under hvert punkt er antallet "
                      "af viste forvaltninger, som kan skifte fra år til år.",
                "The municipality's maturity per value and year with 95 % interval. The number under each point "
                "is the number of departments shown, which can change from year to year.")))
            out.append(self._change_table(changes))

        out.append(f"<h3>{_e(_t(lang, 'Kendskab: svaret »Ved ikke«', 'Awareness: the answer “don’t know”'))}</h3>")
        out.append("<p>" + _e(self._dont_know_sentence()) + "</p>")
        out.append(self._figure(self._chart("dont_know"), _t(
            lang, f"Andel »Ved ikke« af de afgivne svar pr. forvaltning og værdi i {self.wave}. Over 30 % er markeret.",
            f"Share of 'don't know' among the answers given per department and value in {self.wave}. Above 30 % "
            "is marked.")))

        out.append(f"<h3>{_e(_t(lang, 'Svarfordelinger', 'Answer distributions'))}</h3>")
        out.append("<p>" + _e(_t(
            lang, "Fordelingen af svarene på de fem niveauer viser, om en middelscore dækker over enighed eller "
                  "spredning. Niveau 1-2 står til venstre for midten, niveau 4-5 til højre, og niveau 3 deles af "
                  "midterlinjen. Fordelinger pr. forvaltning står i bilag 5 for forvaltninger med mindst "
                  f"{2 * self.scores.min_n} svarende.",
            "The distribution of the answers over the five levels shows whether a mean hides agreement or "
            "spread. Levels 1-2 are left of the centre, levels 4-5 right of it, and level 3 is split by the "
            f"centre line. Distributions per department are in appendix 5 for departments with at least "
            f"{2 * self.scores.min_n} respondents.")) + "</p>")
        out.append(self._figure(self._chart("distribution"), _t(
            lang, f"Svarfordeling pr. værdi i {self.wave} for de viste forvaltninger under ét; »Ved ikke« og »Ikke "
                  "relevant« til højre som andel af alle svar.",
            f"Answer distribution per value in {self.wave} for the departments shown, together; 'don't know' and "
            "'not applicable' on the right as shares of all answers.")))
        return Html("\n".join(out))

    def _department_change_sentence(self, changes: pd.DataFrame) -> str:
        """Name the departments with a clear change, each with the values it changed on."""
        lang, names = self.lang, self._value_names()
        depts = changes[(changes["department"] != ALL) & ~changes["suppressed"]]
        n_values = len(self.codebook.values)
        parts = []
        for verdict in ("improvement", "decline"):
            rows = depts[depts["verdict"] == verdict]
            if rows.empty:
                continue
            items = []
            for dept, g in rows.groupby("department", sort=False):
                if len(g) == n_values:
                    values = _t(lang, "alle værdier", "every value")
                else:
                    values = join_names([names[v].lower() if lang == "da" else names[v] for v in g["value"]], lang)
                items.append(f"{dept} {_t(lang, 'på', 'on')} {values}")
            parts.append(_t(lang, f"en klar {change_word(verdict, lang)} for {join_names(items, lang)}",
                            f"a clear {change_word(verdict, lang)} for {join_names(items, lang)}"))
        if not parts:
            return _t(lang, "Ingen enkelt forvaltning har en klar ændring på nogen værdi.",
                      "No single department shows a clear change on any value.")
        return _t(lang, f"Blandt forvaltningerne er der {'; og '.join(parts)} (bilag 3).",
                  f"Among the departments there is {'; and '.join(parts)} (appendix 3).")

    def _dont_know_sentence(self) -> str:
        lang, names = self.lang, self._value_names()
        dk = self.scores.dont_know
        dk = dk[(dk["wave"] == self.wave) & ~dk["suppressed"]]
        pooled = dk.groupby("value", sort=False)[["dont_know", "answers"]].sum()
        share = (pooled["dont_know"] / pooled["answers"]).reindex(self.codebook.value_ids)
        top = share.idxmax()
        flagged = dk[dk["flagged"] == True]  # noqa: E712 - the column can hold NaN
        value_name = names[top].lower() if lang == "da" else names[top]
        first = _t(lang,
                   f"Andelen »Ved ikke« er størst på {value_name}: {format_share(share[top], lang)} af svarene i de "
                   f"viste forvaltninger.",
                   f"The share of 'don't know' is largest on {value_name}: {format_share(share[top], lang)} of the "
                   "answers in the departments shown.")
        if flagged.empty:
            second = _t(lang, "Ingen forvaltning har over 30 % »Ved ikke« på en værdi.",
                        "No department has more than 30 % 'don't know' on a value.")
        else:
            items = [f"{r.department} ({(names[r.value].lower() if lang == 'da' else names[r.value])}, "
                     f"{format_share(r.dont_know_share, lang)})" for r in flagged.itertuples()]
            second = _t(lang,
                        f"Over 30 % svarer »Ved ikke« i {join_names(items, lang)}. Når mange ikke ved, hvordan "
                        "forvaltningen arbejder, er det i sig selv et tegn på lav modenhed.",
                        f"More than 30 % answer 'don't know' in {join_names(items, lang)}. When many do not know "
                        "how their department works, that is itself a sign of low maturity.")
        return f"{first} {second}"

    def _suppression_sentence(self) -> str:
        lang, names = self.lang, self._value_names()
        cells = self._cells()
        hidden = cells[cells["suppressed"]]
        if hidden.empty:
            return _t(lang, "Alle forvaltninger kan vises på alle værdier.", "Every department can be shown on every value.")
        fully = [d for d, g in cells.groupby("department", sort=False) if g["suppressed"].all()]
        partly = {d: [names[v] for v in g.loc[g["suppressed"], "value"]]
                  for d, g in cells.groupby("department", sort=False) if g["suppressed"].any() and not g["suppressed"].all()}
        parts = []
        if fully:
            parts.append(_t(lang, f"{join_names(fully, lang)} vises ikke på nogen værdi",
                            f"{join_names(fully, lang)} cannot be shown on any value"))
        for dept, vals in partly.items():
            vals_text = join_names([v.lower() for v in vals] if lang == "da" else vals, lang)
            parts.append(_t(lang, f"{dept} vises ikke på {vals_text}", f"{dept} cannot be shown on {vals_text}"))
        return _t(
            lang,
            f"{'; '.join(parts)}, fordi færre end {self.scores.min_n} har "
            f"givet et gyldigt svar. Kommunens tal er gennemsnittet af de viste forvaltninger, så de skjulte "
            f"resultater ikke kan regnes baglæns; de skjulte forvaltninger indgår derfor ikke i gennemsnittet.",
            f"{'; '.join(parts)}, because fewer than {self.scores.min_n} gave a valid answer. The municipal "
            f"figures average the departments shown, so hidden results cannot be worked out backwards; the "
            f"hidden departments are therefore not part of the average.")

    def _cases(self) -> str:
        path = config.DATA_DIR / "cases.yaml"
        if not path.exists():
            return ""
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        kinds = {k["id"]: k for k in doc.get("kinds", [])}
        lang = self.lang
        rows = []
        for case in doc.get("cases", []):
            kind = kinds.get(case.get("kind"), {})
            rows.append(
                f"<tr><td>{_e(kind.get('name_' + lang, ''))}</td><td>{_e(case.get('department', ''))}</td>"
                f"<td><strong>{_e(case.get('title_' + lang, ''))}</strong><br>{_e(case.get('text_' + lang, ''))}</td></tr>")
        if not rows:
            return ""
        head = _t(lang, "<th>Type</th><th>Forvaltning</th><th>Eksempel</th>", "<th>Kind</th><th>Department</th><th>Case</th>")
        intro = _t(lang, "Forvaltningerne har beskrevet tre slags innovationsarbejde i indkøbet:",
                   "The departments described three kinds of innovation work in procurement:")
        return (f"<p>{_e(intro)}</p><table class=\"cases\"><thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")

    def _change_table(self, changes: pd.DataFrame) -> str:
        lang, names = self.lang, self._value_names()
        muni = changes[changes["department"] == ALL]
        head = _t(lang, "<th>Værdi</th><th class='num'>Ændring</th><th class='num'>95 %-interval</th><th class='num'>Forvaltninger</th><th>Vurdering</th>",
                  "<th>Value</th><th class='num'>Change</th><th class='num'>95 % interval</th><th class='num'>Departments</th><th>Verdict</th>")
        rows = []
        for r in muni.itertuples():
            sign = "+" if r.diff > 0 else ""
            rows.append(f"<tr><td>{_e(names[r.value])}</td><td class='num'>{sign}{self._num(r.diff, 2)}</td>"
                        f"<td class='num'>{format_interval(r.ci_low, r.ci_high, lang, 2)}</td>"
                        f"<td class='num'>{r.n_departments}</td><td>{_e(change_word(r.verdict, lang))}</td></tr>")
        note = _t(lang, "Ændringen er beregnet over de forvaltninger, der kan vises i begge år.",
                  "The change is computed over the departments that can be shown in both years.")
        return (f"<table class='changes keep'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
                f"<p class='note'>{_e(note)}</p>")

    def economy(self, text: str = "") -> Html:
        """Return the Økonomi section with the analyst's text (a standard sentence when empty)."""
        text = text or _t(self.lang, "Orienteringen har ingen økonomiske konsekvenser.",
                          "The briefing has no financial consequences.")
        return Html(f"<h2>{_e(_t(self.lang, 'Økonomi', 'Finances'))}</h2>\n<p>{_e(text)}</p>")

    def next_steps(self, text: str = "") -> Html:
        """Return the Videre proces section with the analyst's text (a standard sentence when empty)."""
        text = text or _t(
            self.lang,
            f"Økonomiforvaltningen gentager undersøgelsen i {self.wave + 1} og forelægger resultatet for "
            "Økonomiudvalget som en del af den årlige opfølgning på indkøbspolitikken.",
            f"The Finance Administration repeats the survey in {self.wave + 1} and presents the result to the "
            "Finance Committee as part of the yearly follow-up on the procurement policy.")
        return Html(f"<h2>{_e(_t(self.lang, 'Videre proces', 'Next steps'))}</h2>\n<p>{_e(text)}</p>")

    def appendix(self) -> Html:
        """Return the Bilag: method, data quality and the score tables."""
        lang = self.lang
        out = [f"<h2 class='appendix'>{_e(_t(lang, 'Bilag', 'Appendices'))}</h2>",
               self._method(), self._data_quality(), self._score_tables(), self._robustness(),
               self._department_distributions()]
        return Html("\n".join(out))

    def provenance(self, output_dir: str | Path = "", title: str = "") -> Html:
        """Return the provenance appendix: which data, code and settings produced this briefing.

        Reads the ``manifest.json`` that ``briefing render`` writes into the output folder before
        the notebook runs; an interactive run (no ``output_dir``) gets a one-line note instead.
        """
        from ..pipeline.provenance import provenance_rows, read_manifest

        lang = self.lang
        title = title or _t(lang, "Bilag 6. Sporbarhed", "Appendix 6. Provenance")
        manifest = read_manifest(output_dir) if str(output_dir) else None
        if manifest is None:
            note = _t(lang, "Kørt interaktivt: ingen manifest (briefing render skriver et).",
                      "Run interactively: no manifest (briefing render writes one).")
            return Html(f"<h3>{_e(title)}</h3><p class='note'>{_e(note)}</p>")
        rows = "".join(f"<tr><th scope='row'>{_e(label)}</th><td>{_e(value)}</td></tr>"
                       for label, value in provenance_rows(manifest, lang=lang))
        intro = _t(lang, "Dokumentet er lavet af disse data, denne kode og disse indstillinger; det samme står i "
                         "manifest.json ved siden af og i PDF-filens metadata.",
                   "The document was made from these data, this code and these settings; the same facts are in "
                   "manifest.json beside it and in the PDF's metadata.")
        return Html(f"<h3>{_e(title)}</h3><p>{_e(intro)}</p><table class='provenance keep'><tbody>{rows}</tbody></table>")

    def reliability(self) -> pd.DataFrame:
        """Return Cronbach's alpha per value for this wave (Feldt interval)."""
        from ..stats.reliability import score_reliability

        return score_reliability(self.survey.responses, self.codebook, wave=self.wave,
                                 confidence=self.scores.confidence)

    def sensitivity(self) -> pd.DataFrame:
        """Return the municipality's value scores under equal, respondent and headcount weights."""
        from ..stats.sensitivity import score_sensitivity

        return score_sensitivity(self.scores, self.departments, wave=self.wave)

    def _robustness(self) -> str:
        """Return appendix 4: internal consistency (alpha) and the weighting sensitivity panel."""
        from ..stats.reliability import LOW_ALPHA
        from ..stats.sensitivity import ranking_summary

        lang, names, short = self.lang, self._value_names(), self._short_names()
        out = [f"<h3>{_e(_t(lang, 'Bilag 4. Pålidelighed og følsomhed', 'Appendix 4. Reliability and sensitivity'))}</h3>"]
        alpha = self.reliability()
        out.append("<p>" + _e(_t(
            lang, "Intern konsistens: Cronbachs alfa måler, om spørgsmålene under en værdi måler det samme. Alfa "
                  "beregnes på de svarende, der har givet et gyldigt svar på alle værdiens spørgsmål, med "
                  f"95 %-interval (Feldt). Under {self._num(LOW_ALPHA)} er værdiens score et mindre sikkert samlet mål, "
                  "og indsatsområderne vises da hver for sig.",
            "Internal consistency: Cronbach's alpha measures whether the questions under a value measure the same "
            "thing. Alpha uses the respondents who gave a valid answer to all of the value's questions, with a "
            f"95 % interval (Feldt). Below {self._num(LOW_ALPHA)} the value's score is a less reliable summary, and "
            "its focus areas are then shown one by one.")) + "</p>")
        head = _t(lang, "<th>Værdi</th><th class='num'>Alfa</th><th class='num'>95 %-interval</th>"
                        "<th class='num'>Svarende</th><th class='num'>Spørgsmål</th>",
                  "<th>Value</th><th class='num'>Alpha</th><th class='num'>95 % interval</th>"
                  "<th class='num'>Respondents</th><th class='num'>Questions</th>")
        rows = "".join(
            f"<tr><td>{_e(names[r.value])}</td><td class='num'>{self._num(r.alpha, 2)}</td>"
            f"<td class='num'>{format_interval(r.ci_low, r.ci_high, lang, 2)}</td><td class='num'>{int(r.n)}</td>"
            f"<td class='num'>{int(r.k)}</td></tr>" for r in alpha.itertuples())
        out.append(f"<table class='keep'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        low = alpha[alpha["low"] == True]  # noqa: E712 - the column can hold NA
        if low.empty:
            out.append("<p>" + _e(_t(lang, f"Alle fem værdier har en alfa på mindst {self._num(LOW_ALPHA)}.",
                                     f"All five values have an alpha of at least {self._num(LOW_ALPHA)}.")) + "</p>")
        for r in low.itertuples():
            out.append("<p>" + _e(_t(
                lang, f"{names[r.value]} har en alfa under {self._num(LOW_ALPHA)} ({self._num(r.alpha, 2)}); "
                      "indsatsområderne vises derfor hver for sig:",
                f"{names[r.value]} has an alpha below {self._num(LOW_ALPHA)} ({self._num(r.alpha, 2)}); its focus "
                "areas are therefore shown one by one:")) + "</p>")
            out.append(self._focus_area_table(r.value))

        table = self.sensitivity()
        summary = ranking_summary(table)
        scheme_names = {"equal": _t(lang, "Lige vægt (hovedtal)", "Equal weights (headline)"),
                        "respondents": _t(lang, "Vægtet med svarende", "Weighted by respondents"),
                        "headcount": _t(lang, "Vægtet med indkøbsmedarbejdere", "Weighted by procurement staff")}
        schemes = summary["schemes"]
        head = "".join(f"<th class='num'>{_e(scheme_names[sc])}</th>" for sc in schemes)
        rows = []
        for vid in self.codebook.value_ids:
            tds = []
            for sc in schemes:
                r = table[(table["value"] == vid) & (table["scheme"] == sc)].iloc[0]
                tds.append(f"<td class='num'><strong>{self._num(r['score'], 2)}</strong> ({int(r['rank'])}.)<br>"
                           f"<span class='ci'>{format_interval(r['ci_low'], r['ci_high'], lang, 2)}</span></td>")
            rows.append(f"<tr><td>{_e(short[vid])}</td>{''.join(tds)}</tr>")
        out.append("<p>" + _e(_t(
            lang, "Følsomhed: kommunens score er gennemsnittet af de viste forvaltninger med lige vægt. Tabellen viser "
                  "også scoren, når forvaltningerne vægtes med antal svarende og med det skønnede antal "
                  "indkøbsmedarbejdere (data/departments.yaml), med placering i parentes.",
            "Sensitivity: the municipal score is the mean of the departments shown with equal weights. The table "
            "also shows the score when departments are weighted by respondents and by the estimated number of "
            "procurement staff (data/departments.yaml), with the rank in brackets.")) + "</p>")
        out.append(f"<table class='scores wide-first keep'><thead><tr><th>{_e(_t(lang, 'Værdi', 'Value'))}</th>{head}"
                   f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")
        out.append("<p>" + _e(self._sensitivity_sentence(summary)) + "</p>")
        return "\n".join(out)

    def _sensitivity_sentence(self, summary: dict) -> str:
        lang, names = self.lang, self._value_names()
        if summary["holds"]:
            return _t(lang, "Rækkefølgen af værdierne er den samme med alle vægtninger.",
                      "The order of the values is the same under every weighting.")
        kept = [v for v in self.codebook.value_ids if v not in summary["changed"]]
        fixed = [f"{names[v]} ({summary['ranks'][v]['equal']}.)" for v in kept]
        moved = [names[v].lower() if lang == "da" else names[v] for v in summary["changed"]]
        first = _t(lang, f"Rækkefølgen skifter mellem vægtningerne for {join_names(moved, lang)}.",
                   f"The order changes between weightings for {join_names(moved, lang)}.")
        second = (_t(lang, f"{join_names(fixed, lang)} har samme placering med alle vægtninger.",
                     f"{join_names(fixed, lang)} keeps its place under every weighting.") if fixed else "")
        third = _t(lang, "Hovedtallet bruger lige vægt, fordi hver forvaltning er en selvstændig enhed i politikken.",
                   "The headline uses equal weights because each department is an accountable unit under the policy.")
        return " ".join(filter(None, [first, second, third]))

    def _focus_area_table(self, value_id: str) -> str:
        lang = self.lang
        fa = self.scores.department_focus_area
        fa = fa[(fa["wave"] == self.wave) & (fa["value"] == value_id)]
        areas = [f for f in self.codebook.value(value_id).focus_areas]
        head = "".join(f"<th class='num'>{_e(f.name_en if lang == 'en' else f.name_da)}</th>" for f in areas)
        rows = []
        for dept, g in fa.groupby("department", sort=False):
            g = g.set_index("focus_area")
            tds = "".join(
                f"<td class='num hidden'>{_e(self._hidden_text())}</td>" if g.loc[f.id, "suppressed"] else
                f"<td class='num'>{self._num(g.loc[f.id, 'score'], 2)}<br><span class='ci'>"
                f"{format_interval(g.loc[f.id, 'ci_low'], g.loc[f.id, 'ci_high'], lang, 2)}</span></td>"
                for f in areas)
            rows.append(f"<tr><td>{_e(dept)}</td>{tds}</tr>")
        return (f"<table class='scores'><thead><tr><th>{_e(_t(lang, 'Kode', 'Code'))}</th>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")

    def _department_distributions(self) -> str:
        lang = self.lang
        out = [f"<h3>{_e(_t(lang, 'Bilag 5. Svarfordelinger pr. forvaltning', 'Appendix 5. Answer distributions per department'))}</h3>"]
        depts = self._distribution_departments()
        limit = 2 * self.scores.min_n
        if not depts:
            out.append("<p>" + _e(_t(lang, f"Ingen forvaltning har mindst {limit} svarende, så ingen fordeling vises.",
                                     f"No department has at least {limit} respondents, so no distribution is shown."))
                       + "</p>")
            return "\n".join(out)
        others = [c for c in self.scores.respondents.loc[self.scores.respondents["wave"] == self.wave, "department"]
                  if c not in depts]
        out.append("<p>" + _e(_t(
            lang, f"Fordelinger vises kun for forvaltninger med mindst {limit} svarende ({join_names(depts, lang)})"
                  + (f"; {join_names(others, lang)} vises ikke." if others else "."),
            f"Distributions are shown only for departments with at least {limit} respondents "
            f"({join_names(depts, lang)})" + (f"; {join_names(others, lang)} are not shown." if others else ".")))
            + "</p>")
        for dept in depts:
            name = self.departments[dept].name(lang) if dept in self.departments.codes else dept
            out.append(self._figure(self._chart(f"distribution:{dept}"), _t(
                lang, f"Svarfordeling pr. værdi i {self.wave}: {name}.",
                f"Answer distribution per value in {self.wave}: {name}.")))
        return "\n".join(out)

    def _method(self) -> str:
        lang, s, cb = self.lang, self.scores, self.codebook
        n_items, n_fa = len(cb.items), len(cb.focus_areas)
        n_rev = sum(it.reverse for it in cb.items)
        levels = ", ".join(f"{c} {self._level(c)}" for c in sorted(cb.levels))
        hidden = self.scores.suppressed_departments(self.wave)
        hidden_text = join_names(hidden, lang) if hidden else _t(lang, "ingen", "none")
        conf = format_share(s.confidence, lang)
        data = _t(lang, "Syntetiske eksempeldata (ikke virkelige svar)" if self.is_sample else "Spørgeskemaets svar",
                  "Synthetic sample data (not real answers)" if self.is_sample else "The survey's answers")
        files = ", ".join(Path(f).name for f in self.response_files)
        if lang == "da":
            paras = [
                f"Spørgeskemaet (kodebog version {cb.version}) har {n_items} spørgsmål fordelt på indkøbspolitikkens "
                f"fem værdier og {n_fa} indsatsområder. Hvert spørgsmål beskriver en praksis, og den svarende vælger "
                f"det niveau, der bedst beskriver forvaltningens praksis: {levels}. Svarene »Ved ikke« og »Ikke "
                f"relevant« indgår ikke i scoren; andelen »Ved ikke« vises for sig i bilag 2. {n_rev} spørgsmål er "
                f"formuleret omvendt og vendes (6 minus svaret), før der regnes.",
                "En forvaltnings score på et spørgsmål er gennemsnittet af dens gyldige svar. Et indsatsområdes "
                "score er gennemsnittet af dets spørgsmål, og en værdis score er gennemsnittet af dens "
                "indsatsområder, som vejer lige meget. Kommunens score er gennemsnittet af de viste forvaltninger, "
                "som vejer lige meget uanset antal svar. Niveauet er det nærmeste hele niveau (2,5 rundes op til 3).",
                f"Usikkerheden vises som {conf}-intervaller beregnet med bootstrap: svarene trækkes {self._num(s.resamples, 0)} "
                f"gange med tilbagelægning inden for hver forvaltning (fast startværdi {s.seed}), og hele beregningen "
                f"gentages hver gang. Teksten kalder kun en værdi eller forvaltning højere eller lavere end en anden, "
                f"når intervallerne ikke overlapper, og kun en ændring en forbedring eller tilbagegang, når intervallet "
                f"for forskellen ikke indeholder 0.",
                f"Anonymitet: En forvaltning vises ikke på en værdi, når færre end {s.min_n} har givet et gyldigt svar "
                f"på værdiens spørgsmål. Score, interval og niveau er da skjult overalt: i tabeller, figurer, tekst og "
                f"eksport. Svarfordelinger vises kun for forvaltninger med mindst {2 * s.min_n} svarende; kommunens samlede "
                f"fordeling bygger på de viste forvaltninger og kun på skjulte forvaltninger, når de tilsammen har mindst "
                f"{2 * s.min_n} svarende. Kommunens tal er gennemsnittet af de viste forvaltninger, så en skjult "
                f"forvaltning ikke kan regnes baglæns. Andelen »Ved ikke« vises, når mindst {s.min_n} har svaret på "
                f"værdiens spørgsmål, også hvis færre har valgt et niveau. Skjult i {self.wave}: {hidden_text}.",
                "Pålidelighed og følsomhed (bilag 4): Cronbachs alfa pr. værdi med Feldts 95 %-interval viser, om "
                "spørgsmålene under en værdi hænger sammen; under 0,7 vises værdiens indsatsområder hver for sig. "
                "Kommunens scorer beregnes også med forvaltningerne vægtet efter antal svarende og efter det skønnede "
                "antal indkøbsmedarbejdere, for at vise om rækkefølgen af værdierne afhænger af vægtningen. "
                "Ændringer mellem år beregnes over de forvaltninger, der kan vises i begge år, og intervallet for "
                "forskellen bygger på bootstrap i hvert år for sig.",
                f"Data: {data} ({files}).",
            ]
        else:
            paras = [
                f"The questionnaire (codebook version {cb.version}) has {n_items} questions spread over the policy's "
                f"five values and {n_fa} focus areas. Each question describes a practice and the respondent picks the "
                f"level that best describes the department's practice: {levels}. 'Ved ikke' (don't know) and 'Ikke "
                f"relevant' (not applicable) are not scored; the don't-know share is shown separately in appendix 2. "
                f"{n_rev} questions are worded in reverse and turned (6 minus the answer) before scoring.",
                "A department's score on a question is the mean of its valid answers. A focus area's score is the "
                "mean of its questions and a value's score the mean of its focus areas, which weigh equally. The "
                "municipality's score is the mean of the departments shown, each weighing the same whatever its "
                "number of answers. The level is the nearest whole level (2.5 rounds up to 3).",
                f"Uncertainty is shown as {conf} intervals by bootstrap: the answers are redrawn {self._num(s.resamples, 0)} times "
                f"with replacement within each department (fixed seed {s.seed}) and the whole calculation is repeated "
                f"each time. The text calls a value or department higher or lower than another only when their "
                f"intervals do not overlap, and a change an improvement or decline only when the interval of the "
                f"difference excludes 0.",
                f"Anonymity: a department is not shown on a value when fewer than {s.min_n} gave a valid answer to "
                f"the value's questions. Its score, interval and level are then hidden everywhere: tables, charts, "
                f"text and exports. Answer distributions are shown only for departments of at least {2 * s.min_n} "
                f"respondents; the municipal distribution pools the departments shown, and hidden departments only "
                f"when together they have at least {2 * s.min_n}. The municipal figures average the departments "
                f"shown, so a hidden department cannot be worked out backwards. The don't-know share is shown when at "
                f"least {s.min_n} answered the value's questions, even if fewer chose a level. Hidden in {self.wave}: "
                f"{hidden_text}.",
                "Reliability and sensitivity (appendix 4): Cronbach's alpha per value with Feldt's 95 % interval "
                "shows whether the questions under a value hang together; below 0.7 the value's focus areas are "
                "shown one by one. The municipal scores are also computed with departments weighted by respondents "
                "and by the estimated procurement staff, to show whether the order of the values depends on the "
                "weighting. Changes between years are computed over the departments shown in both years, with the "
                "interval of the difference from a bootstrap within each year.",
                f"Data: {data} ({files}).",
            ]
        title = _t(lang, "Bilag 1. Metode", "Appendix 1. Method")
        return f"<h3>{_e(title)}</h3>" + "".join(f"<p>{_e(p)}</p>" for p in paras)

    def _data_quality(self) -> str:
        lang = self.lang
        resp = self.scores.respondents.pivot(index="department", columns="wave", values="respondents")
        resp = resp.reindex([c for c in self.departments.codes if c in resp.index]
                            + [c for c in resp.index if c not in self.departments.codes])
        waves = list(resp.columns)
        head = "".join(f"<th class='num'>{w}</th>" for w in waves)
        rows = []
        for dept, row in resp.iterrows():
            name = self.departments[dept].name(lang) if dept in self.departments.codes else dept
            cells = "".join(f"<td class='num'>{'' if pd.isna(row[w]) else int(row[w])}</td>" for w in waves)
            rows.append(f"<tr><td>{_e(dept)}</td><td>{_e(name)}</td>{cells}</tr>")
        total = "".join(f"<td class='num'><strong>{int(resp[w].sum())}</strong></td>" for w in waves)
        rows.append(f"<tr class='total'><td colspan='2'><strong>{_e(_t(lang, 'I alt', 'Total'))}</strong></td>{total}</tr>")
        out = [f"<h3>{_e(_t(lang, 'Bilag 2. Datakvalitet', 'Appendix 2. Data quality'))}</h3>",
               f"<p>{_e(_t(lang, 'Besvarelser pr. forvaltning og år:', 'Responses per department and year:'))}</p>",
               f"<table class='respondents'><thead><tr><th>{_e(_t(lang, 'Kode', 'Code'))}</th>"
               f"<th>{_e(_t(lang, 'Forvaltning', 'Department'))}</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"]

        dk = self.scores.dont_know
        dk = dk[dk["wave"] == self.wave]
        names = self._value_names()
        flagged = dk[dk["flagged"] == True]  # noqa: E712 - NaN-safe boolean column
        flag_text = _t(
            lang,
            f"Andel »Ved ikke« af de afgivne svar pr. forvaltning og værdi i {self.wave}. Over 30 % er markeret med fed: "
            "her ved mange ikke, hvordan forvaltningen arbejder, og det er i sig selv et tegn på lav modenhed.",
            f"Share of 'don't know' among the answers given per department and value in {self.wave}. Above 30 % "
            "is marked in bold: many do not know how the department works, which is itself a sign of low maturity.")
        out.append(f"<p>{_e(flag_text)}</p>")
        out.append(self._department_value_table(
            dk, lambda r: (f"<td class='num{' flag' if r['flagged'] else ''}'>"
                           f"{format_share(r['dont_know_share'], lang)}</td>"), "dontknow"))
        if not flagged.empty:
            items = [f"{d} ({names[v].lower() if lang == 'da' else names[v]})" for d, v in zip(flagged["department"], flagged["value"])]
            out.append("<p>" + _e(_t(lang, f"Over 30 % »Ved ikke«: {join_names(items, lang)}.",
                                     f"Above 30 % don't know: {join_names(items, lang)}.")) + "</p>")
        warnings = self.survey.quality.warnings
        if warnings:
            out.append(f"<p>{_e(_t(lang, 'Bemærkninger fra indlæsningen:', 'Notes from loading:'))}</p><ul class='warnings'>"
                       + "".join(f"<li>{_e(w)}</li>" for w in warnings) + "</ul>")
        else:
            out.append(f"<p>{_e(_t(lang, 'Indlæsningen gav ingen bemærkninger.', 'Loading gave no warnings.'))}</p>")
        return "\n".join(out)

    def _score_tables(self) -> str:
        lang, short = self.lang, self._short_names()
        values = self.codebook.value_ids
        head = "".join(f"<th class='num'>{_e(short[v])}</th>" for v in values)
        scores_table = self._department_value_table(
            self._cells(),
            lambda r: (f"<td class='num'><strong>{self._num(r['score'], 2)}</strong><br>{_e(self._level(r['level']))}"
                       f"{'?' if r['level_uncertain'] else ''}<br><span class='ci'>"
                       f"{format_interval(r['ci_low'], r['ci_high'], lang, 2)}<br>n = {int(r['n'])}</span></td>"),
            "scores")
        muni_rows = []
        for wave in self.scores.waves:
            m = self._municipality(wave).set_index("value")
            tds = "".join(
                f"<td class='num'><strong>{self._num(m.loc[v, 'score'], 2)}</strong><br><span class='ci'>"
                f"{format_interval(m.loc[v, 'ci_low'], m.loc[v, 'ci_high'], lang, 2)}<br>{int(m.loc[v, 'n_departments'])} "
                f"{_e(_t(lang, 'forv.', 'dept.'))}</span></td>" for v in values)
            muni_rows.append(f"<tr><td>{wave}</td>{tds}</tr>")
        legend = _t(lang, "Score (1-5), niveau, 95 %-interval og antal svarende (n). »?« betyder, at intervallet krydser en "
                          "niveaugrænse, så niveauet er usikkert.",
                    "Score (1-5), level, 95 % interval and number of respondents (n). '?' means the interval crosses a "
                    "level boundary, so the level is uncertain.")
        return "\n".join([
            f"<h3>{_e(_t(lang, 'Bilag 3. Tabeller', 'Appendix 3. Tables'))}</h3>",
            f"<p>{_e(_t(lang, f'Modenhed pr. forvaltning og værdi i {self.wave}.', f'Maturity per department and value in {self.wave}.'))} {_e(legend)}</p>",
            scores_table,
            f"<p>{_e(_t(lang, 'Kommunens modenhed pr. værdi og år (gennemsnit af viste forvaltninger).', 'Municipal maturity per value and year (mean of the departments shown).'))}</p>",
            f"<table class='scores keep'><thead><tr><th>{_e(_t(lang, 'År', 'Year'))}</th>{head}</tr></thead><tbody>{''.join(muni_rows)}</tbody></table>",
            self._department_change_table(),
        ])

    def _department_change_table(self) -> str:
        if self.previous_wave is None:
            return ""
        lang = self.lang

        def cell(r) -> str:
            sign = "+" if r["diff"] > 0 else ""
            cls = " flag" if r["verdict"] in ("improvement", "decline") else ""
            return (f"<td class='num{cls}'>{sign}{self._num(r['diff'], 2)}<br><span class='ci'>"
                    f"{format_interval(r['ci_low'], r['ci_high'], lang, 2)}<br>{_e(change_word(r['verdict'], lang))}"
                    "</span></td>")

        intro = _t(lang, f"Ændring fra {self.previous_wave} til {self.wave} pr. forvaltning og værdi med 95 %-interval for "
                         "forskellen. Fed: en klar forbedring eller tilbagegang (intervallet indeholder ikke 0). En "
                         "forvaltning, der er skjult i et af årene, er skjult her.",
                   f"Change from {self.previous_wave} to {self.wave} per department and value with the 95 % interval of "
                   "the difference. Bold: a clear improvement or decline (the interval excludes 0). A department "
                   "hidden in either year is hidden here.")
        table = self._department_value_table(
            self.changes(), cell, "scores", hidden=_t(lang, "skjult", "hidden"),
            label=lambda d: _t(lang, "Kommunen", "Municipality") if d == ALL else d)
        return f"<p>{_e(intro)}</p>{table}"

    def write_tables(self, output_dir: str | Path) -> list[Path]:
        """Write the score tables (CSV and one Excel workbook) into ``output_dir/tables``.

        Nothing is written when ``output_dir`` is empty (an interactive run).

        Besides the scores, ``change_by_department_value.csv`` holds the change from the previous
        wave and from the first wave to this one.
        """
        from ..tables.excel import write_excel
        from ..tables.contract import write_tables

        if not str(output_dir):
            return []
        folder, changes = Path(output_dir) / "tables", self.all_changes()
        written = write_tables(self.scores, folder, changes=changes)
        written.append(write_excel(self.scores, folder, changes=changes, lang=self.lang, codebook=self.codebook,
                                   departments=self.departments))
        return written

    def all_changes(self) -> pd.DataFrame | None:
        """Return the changes to this wave from the previous and from the first wave, if any."""
        return score_changes_to(self.scores, self.wave)


def default_title(wave: int, lang: str = "da") -> str:
    """Return the briefing's default title for ``wave``."""
    return _t(lang, f"Modenhed i indkøbet {wave}: opfølgning på indkøbspolitikken",
              f"Procurement maturity {wave}: follow-up on the procurement policy")


def prepare_briefing(responses: list[str] | str | None = None, *, wave: int | None = None,
                     min_n: int = config.DEFAULT_MIN_N, seed: int = config.DEFAULT_SEED,
                     resamples: int = config.DEFAULT_RESAMPLES, lang: str = "da", title: str = "",
                     codebook: Codebook | None = None, departments: Departments | None = None,
                     charts: bool = True, sheet: str | None = None, chart_background: bool = True) -> Briefing:
    """Load, check and score the survey and return the :class:`Briefing` to show.

    Parameters
    ----------
    responses
        Response files; empty or None means the bundled synthetic sample.
    wave
        The survey year the briefing is about; None means the latest wave in the data.
    min_n, seed, resamples
        Disclosure threshold and bootstrap settings (method.md).
    lang
        "da" (default) or "en".
    title
        The briefing's title; empty means :func:`default_title`.
    charts
        Start rendering the charts in the background at once (the notebook shows them later);
        False for uses that need only the numbers.
    sheet
        The sheet to read in ``.xlsx`` files; empty or None means the first.
    chart_background
        Let a second process draw some of the charts (:class:`analysis.report.chartpool.ChartBatch`);
        batch renders, whose workers already use every core, pass False.
    """
    check_lang(lang)
    paths = [responses] if isinstance(responses, (str, Path)) else list(responses or [])
    files = [str(p) for p in paths] if paths else [str(p) for p in config.sample_files()]
    sample = {p.resolve() for p in config.sample_files()}
    is_sample = bool(files) and all(Path(f).resolve() in sample for f in files)
    codebook = codebook or load_codebook()
    departments = departments or load_departments()
    survey = load_responses(files, codebook, departments, sheet=sheet or None)
    scores = score_survey(survey.responses, codebook, departments, min_n=min_n, seed=seed, resamples=resamples)
    waves = scores.waves
    if wave is None:
        wave = max(waves)
    elif int(wave) not in waves:
        raise ParameterError(f"wave {wave} is not in the data; the files have the waves {', '.join(map(str, waves))}.")
    briefing = Briefing(survey=survey, scores=scores, codebook=codebook, departments=departments, wave=int(wave),
                        lang=lang, title=title or default_title(int(wave), lang), is_sample=is_sample,
                        response_files=files, chart_background=chart_background)
    if charts:
        briefing.start_charts()
    return briefing
