"""The committee briefing: its data, its derived tables, and its short sections.

The notebook ``notebooks/briefing.ipynb`` makes one :class:`Briefing` with
:func:`prepare_briefing` and shows its sections in the order of an *orientering* to
Økonomiudvalget: Resumé, Sagsfremstilling (:mod:`analysis.report.case`), Økonomi, Videre proces
and the list of Bilag; then the Bilag themselves (:mod:`analysis.report.appendix`), which the
renderer writes as a document of their own (``bilag.*``). Each section is a view-model
(:class:`~analysis.report.view.Section`) that displays as HTML and becomes Word from the same data.
Every sentence and figure is computed from the scores; nothing is typed in by hand except the
parameters and the analyst's texts.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from .. import config
from ..config import check_lang
from ..exceptions import ParameterError
from ..formatting import format_number, format_share, join_names
from ..stats.barriers import BarrierScores, rank_barriers, score_survey_barriers
from ..stats.cases import fact_and_perception
from ..stats.changes import score_changes, score_changes_to
from ..stats.comparisons import compare_departments_to_municipality, compare_values
from ..stats.disclosure import select_quotes
from ..stats.disclosure import stop_list as stop_list_of
from ..stats.distributions import answer_distribution
from ..stats.reliability import score_reliability
from ..stats.scores import Scores
from ..stats.scoring import score_survey
from ..stats.sensitivity import score_sensitivity
from ..stats.themes import theme_counts
from ..survey.cases import CaseRegister, load_register
from ..survey.codebook import Codebook, Departments, load_codebook, load_departments
from ..survey.freetext import FreeText, code_themes
from ..survey.loading import Survey, load_responses
from ..words import hidden_text, interval_text, merged_group_name, organisation, organisation_text, prepared_text, t
from .narrative import sentence_changes, sentence_positions, sentence_value_extreme
from .parts import NumberedFigures, department_value_table, document_header
from .texts import AnalystTexts, Run, load_texts
from .view import Contents, Heading, Items, Paragraph, Section, Table, from_text_blocks

__all__ = ["BILAG", "Briefing", "default_title", "prepare_briefing"]

#: The Bilag of the memo, in order: (number, key, Danish title, English title).
BILAG = (
    (1, "method", "Metode", "Method"),
    (2, "tables", "Tabeller og figurer", "Tables and figures"),
    (3, "quality", "Datakvalitet og kendskab", "Data quality and awareness"),
    (4, "provenance", "Sporbarhed", "Provenance"),
)

#: The value the briefing follows most closely (the policy's focus on partnerships and innovation).
INNOVATION = "innovation"


@dataclass
class Briefing(NumberedFigures):
    """Everything one briefing shows: the survey, its scores and the settings.

    The derived tables (answer distributions, changes, reliability, sensitivity) are computed
    by :mod:`analysis.stats` the first time a section asks for them, and kept.
    """

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
    #: The analyst's own texts (``--texts FILE.md``), by section.
    texts: AnalystTexts = field(default_factory=lambda: AnalystTexts({}))
    #: Show redacted quotes from the open answers (``--quotes``); off by default (method.md).
    quotes: bool = False
    #: Names redaction removes from quotes: staff names the analyst gave, department and unit names.
    stop_names: tuple[str, ...] = ()
    #: The register of documented cases (``data/cases.yaml``).
    register: CaseRegister | None = None

    # -- the innovation track: barriers, cases, staff's own words ----------------------------------
    @cached_property
    def barriers(self) -> BarrierScores | None:
        """Return the barrier instrument's shares (:func:`analysis.stats.barriers.score_barriers`), or None without it."""
        return score_survey_barriers(
            self.survey,
            self.codebook,
            self.departments,
            min_n=self.scores.min_n,
            seed=self.scores.seed,
            resamples=self.scores.resamples,
            confidence=self.scores.confidence,
        )

    def barrier_ranking(self, kind: str) -> pd.DataFrame:
        """Return the municipal ranking of the statements of ``kind`` ("barrier" or "enabler") in :attr:`wave`."""
        bs = self.barriers
        if bs is None or self.wave not in bs.waves:
            return pd.DataFrame()
        return rank_barriers(bs, self.wave, kind=kind)

    @property
    def open_question(self):
        """Return the barrier instrument's open question ("what would help"), or None."""
        found = [q for q in self.codebook.open_questions if q.instrument == "barriers"]
        return found[0] if found and self.survey.free_text is not None else None

    @cached_property
    def facts(self) -> pd.DataFrame:
        """Return each department's innovation score beside its documented cases (:func:`analysis.stats.cases.fact_and_perception`)."""
        return fact_and_perception(self.register, self.scores, self.wave, value=INNOVATION)

    @cached_property
    def _wave_free_text(self) -> tuple[pd.DataFrame, FreeText]:
        """Return the respondents of :attr:`wave` and their free-text answers, rows aligned."""
        rows = (self.survey.respondents["wave"] == self.wave).to_numpy()
        free = self.survey.free_text
        return self.survey.respondents[rows].reset_index(drop=True), FreeText(free.question_ids, free.texts[rows])

    @cached_property
    def themes(self) -> pd.DataFrame:
        """Return the open answers' themes in :attr:`wave` (:func:`analysis.stats.themes.theme_counts`)."""
        q = self.open_question
        if q is None:
            return pd.DataFrame()
        respondents, free = self._wave_free_text
        return theme_counts(
            respondents, free, q.id, q.keywords(), departments_order=self.departments.codes, min_n=self.scores.min_n
        )

    @property
    def open_answers(self) -> int:
        """Return how many answered the open question in :attr:`wave` (0 without one)."""
        themes = self.themes
        if themes.empty:
            return 0
        answers = pd.to_numeric(themes.loc[themes["department"] == config.MUNICIPALITY, "answers"], errors="coerce")
        return 0 if answers.isna().all() else int(answers.max())

    @cached_property
    def quote_rows(self) -> pd.DataFrame:
        """Return the redacted quotes per theme (only with :attr:`quotes`; groups of ``min_n`` or more)."""
        q = self.open_question
        if not self.quotes or q is None:
            return pd.DataFrame(columns=["wave", "department", "theme", "quote", "redacted"])
        respondents, free = self._wave_free_text
        keywords = q.keywords()
        coded = code_themes(free.answers(q.id), keywords)
        return select_quotes(
            respondents,
            free,
            q.id,
            coded,
            themes=list(keywords),
            min_n=self.scores.min_n,
            stop_names=self.stop_names,
            departments_order=self.departments.codes,
        )

    # -- derived tables -----------------------------------------------------------------------
    @property
    def previous_wave(self) -> int | None:
        """Return the wave before :attr:`wave` in the data, if any."""
        earlier = [w for w in self.scores.waves if w < self.wave]
        return max(earlier) if earlier else None

    @cached_property
    def distribution(self) -> pd.DataFrame:
        """Return the answer distributions of this wave (municipality and departments)."""
        return answer_distribution(
            self.survey.responses, self.codebook, wave=self.wave, min_n=self.scores.min_n, departments=self.departments
        )

    @cached_property
    def distribution_departments(self) -> list[str]:
        """Return the departments whose full answer distribution may be shown, in table order."""
        dist = self.distribution
        shown = dist[(dist["department"] != config.MUNICIPALITY) & dist["shown"]]
        return list(dict.fromkeys(shown["department"]))

    @cached_property
    def changes(self) -> pd.DataFrame:
        """Return the changes since the previous wave (empty when there is none)."""
        if self.previous_wave is None:
            return pd.DataFrame()
        return score_changes(self.scores, self.previous_wave, self.wave)

    @cached_property
    def reliability(self) -> pd.DataFrame:
        """Return Cronbach's alpha per value for this wave (Feldt interval), published departments only."""
        return score_reliability(
            self.survey.responses,
            self.codebook,
            wave=self.wave,
            confidence=self.scores.confidence,
            min_n=self.scores.min_n,
            published=self.scores.published_departments(self.wave),
        )

    @cached_property
    def sensitivity(self) -> pd.DataFrame:
        """Return the municipality's value scores under equal, respondent and headcount weights."""
        return score_sensitivity(self.scores, self.departments, wave=self.wave)

    @cached_property
    def value_pairs(self) -> pd.DataFrame:
        """Return every pair of values of the municipality, compared by the paired bootstrap."""
        return compare_values(self.scores, self.wave, config.MUNICIPALITY)

    @cached_property
    def positions(self) -> pd.DataFrame:
        """Return each published department (and the merged group) against the municipality, per value."""
        return compare_departments_to_municipality(self.scores, self.wave)

    @property
    def publishable(self) -> bool:
        """Return whether the municipality's scores of this wave may be shown (at least min_n answered)."""
        return bool(self.municipal_cells()["score"].notna().any())

    def nothing_shown_sentence(self) -> str:
        """Say that no number can be shown, and why: the whole municipality is under the minimum group size."""
        counts = self.survey.quality.respondent_counts
        n_resp = int(counts[self.wave].sum()) if self.wave in counts.columns else 0
        min_n = self.scores.min_n
        return t(
            self.lang,
            f"Af hensyn til anonymiteten vises ingen tal i denne udgave: et tal vises kun, når mindst {min_n} har "
            f"svaret, og i {self.wave} har {n_resp} svaret i alle forvaltninger tilsammen. Med en lavere grænse for "
            "mindste gruppe kan kommunens tal vises.",
            f"To protect anonymity this edition shows no numbers: a number is shown only when at least {min_n} "
            f"answered, and in {self.wave} {n_resp} answered in all departments together. A lower minimum group "
            "size lets the municipal figures be shown.",
        )

    def group_names(self, value: str) -> dict[str, str]:
        """Return the names text gives to the departments of a value: the merged group with its members."""
        cells = self.department_cells()
        group = cells[(cells["department"] == config.MERGED_GROUP) & (cells["value"] == value)]
        if group.empty:
            return {}
        return {config.MERGED_GROUP: merged_group_name(group["members"].iloc[0], self.lang)}

    def group_members(self) -> list[str]:
        """Return every department pooled in the merged group on some value of this wave, in report order."""
        cells = self.department_cells()
        members = {m for ms in cells.loc[cells["department"] == config.MERGED_GROUP, "members"] for m in ms.split("+")}
        return self.departments.order(members) if members else []

    def published_only_scores(self) -> pd.Series:
        """Return, per value, the mean of the departments published on their own (the version 1 headline)."""
        cells = self.department_cells()
        own = cells[(cells["department"] != config.MERGED_GROUP) & ~cells["suppressed"].astype(bool)]
        return own.groupby("value", sort=False)["score"].mean().reindex(self.codebook.value_ids)

    def share_high(self) -> pd.Series:
        """Return the municipality's share of valid answers at level 4-5 per value (method.md step 8)."""
        dist = self.distribution
        muni = dist[(dist["department"] == config.MUNICIPALITY) & (dist["wave"] == self.wave) & dist["shown"]]
        return (muni.set_index("value")["share_4"] + muni.set_index("value")["share_5"]).reindex(
            self.codebook.value_ids
        )

    def response(self) -> tuple[int, int | None]:
        """Return (respondents, invited) of this wave; invited is None when neither source knows it.

        Invited comes from ``invited:`` in the department list when it covers every department with
        respondents, else from a survey tool's export that lists the invited who did not answer.
        """
        counts = self.survey.quality.respondent_counts
        answered = int(counts[self.wave].sum()) if self.wave in counts.columns else 0
        present = [d for d in counts.index if self.wave in counts.columns and counts.loc[d, self.wave] > 0]
        listed = {d: self.departments[d].invited_in(self.wave) for d in present if d in self.departments.codes}
        if present and len(listed) == len(present) and all(v is not None for v in listed.values()):
            return answered, int(sum(listed.values()))
        exported = self.survey.quality.invited_from_exports(self.wave)
        return answered, (int(sum(exported.values())) if exported else None)

    def response_by_department(self) -> list[tuple[str, int | None, int]]:
        """Return (department, respondents or None when hidden, invited) where the number invited is known.

        A department whose respondent count is not published (under min_n, or in the merged group)
        gets None: its rate would give the count away.
        """
        counts = self.survey.quality.respondent_counts
        if self.wave not in counts.columns:
            return []
        exported = self.survey.quality.invited_from_exports(self.wave)
        published = self.scores.respondents
        published = published[published["wave"] == self.wave].set_index("department")["respondents"]
        out = []
        for dept in self.departments.order(counts.index):
            invited = self.departments[dept].invited_in(self.wave) if dept in self.departments.codes else None
            invited = invited if invited is not None else exported.get(dept)
            if not invited:
                continue
            shown = published.get(dept)
            out.append((dept, None if shown is None or pd.isna(shown) else int(shown), int(invited)))
        return out

    def all_changes(self) -> pd.DataFrame | None:
        """Return the changes to this wave from the previous and from the first wave, if any."""
        return score_changes_to(self.scores, self.wave)

    def department_cells(self, wave: int | None = None) -> pd.DataFrame:
        """Return the department x value scores of a wave (this one by default)."""
        dv = self.scores.department_value
        return dv[dv["wave"] == (wave or self.wave)]

    def municipal_cells(self, wave: int | None = None) -> pd.DataFrame:
        """Return the municipality's value scores of a wave (this one by default)."""
        v = self.scores.value
        return v[v["wave"] == (wave or self.wave)]

    # -- words and numbers --------------------------------------------------------------------
    def value_names(self) -> dict[str, str]:
        """Return the values' full names in the briefing's language, by id."""
        return {v.id: v.name(self.lang) for v in self.codebook.values}

    def short_names(self) -> dict[str, str]:
        """Return the values' short names (table headings), by id."""
        return {v.id: v.short(self.lang) for v in self.codebook.values}

    def level_name(self, level) -> str:
        """Return a maturity level's name; an en dash when it is missing."""
        return self.codebook.level_name(int(level), self.lang) if pd.notna(level) else "–"

    def number(self, x, decimals: int = 1) -> str:
        """Return a number the briefing's way (``2,4`` in Danish)."""
        return format_number(x, self.lang, decimals)

    @property
    def hidden(self) -> str:
        """Return the words of a suppressed cell, quoting the minimum group size."""
        return hidden_text(self.scores.min_n, self.lang)

    @property
    def interval(self) -> str:
        """Return the name of an interval at the scores' confidence (``95 %-interval``)."""
        return interval_text(self.scores.confidence, self.lang)

    def value_table(self, frame: pd.DataFrame, cell, style: str, *, hidden: str = "", label=None) -> Table:
        """Return a department x value table (:func:`analysis.report.parts.department_value_table`).

        ``cell`` makes a shown cell's :class:`~analysis.report.view.Cell` from its row; a suppressed
        (or missing) cell says ``hidden`` (default: :attr:`hidden`) and nothing else.
        """
        return department_value_table(
            frame,
            cell,
            style,
            value_ids=self.codebook.value_ids,
            short_names=self.short_names(),
            hidden=hidden or self.hidden,
            lang=self.lang,
            label=label,
        )

    # -- charts -------------------------------------------------------------------------------
    @cached_property
    def charts(self):
        """Return every chart of the briefing by name, rendered partly in a background process.

        :func:`prepare_briefing` starts it as soon as the scores exist, so the charts are drawn
        while the notebook writes its tables and text (:class:`analysis.report.chartpool.ChartBatch`).
        """
        from . import charts
        from .chartpool import ChartBatch

        lang = self.lang
        builders = {
            "values": lambda: charts.plot_value_maturity(self.scores, self.codebook, self.wave, lang),
            "heatmap": lambda: charts.plot_department_heatmap(
                self.scores, self.codebook, self.departments, self.wave, lang
            ),
            "innovation": lambda: charts.plot_innovation_by_department(
                self.scores, self.codebook, self.departments, self.wave, lang
            ),
            "dont_know": lambda: charts.plot_dont_know(self.scores, self.codebook, self.departments, self.wave, lang),
            "distribution": lambda: charts.plot_distribution(
                self.distribution, self.codebook, lang, department=config.MUNICIPALITY
            ),
        }
        if self.barriers is not None and self.wave in self.barriers.waves:
            builders["barriers"] = lambda: charts.plot_barriers(
                pd.concat([self.barrier_ranking("barrier"), self.barrier_ranking("enabler")], ignore_index=True),
                self.codebook,
                lang,
                min_n=self.scores.min_n,
                confidence=self.scores.confidence,
            )
        if self.open_answers:
            builders["themes"] = lambda: charts.plot_themes(
                self.themes, self.open_question, lang, wave=self.wave, min_n=self.scores.min_n
            )
        if len(self.scores.waves) > 1:
            builders["trend"] = lambda: charts.plot_trend(self.scores, self.codebook, lang)
        for dept in self.distribution_departments:
            builders[f"distribution:{dept}"] = lambda dept=dept: charts.plot_distribution(
                self.distribution, self.codebook, lang, department=dept
            )
        return ChartBatch(builders, background=self.chart_background)

    def start_charts(self) -> None:
        """Start rendering every chart of the briefing (see :attr:`charts`)."""
        self.charts  # noqa: B018 - creating the batch starts it

    # -- sections -----------------------------------------------------------------------------
    def header(self) -> Section:
        """Return the memo's title block (with a warning when the data are the synthetic sample) and, on
        screen, a table of contents."""
        lang = self.lang
        kind = t(
            lang,
            f"Orientering til {organisation('committee', lang)}",
            f"Briefing for {organisation('committee', lang)}",
        )
        entries = [("resume", t(lang, "Resumé", "Summary"))]
        if self.texts.get("recommendation"):
            entries.append(("indstilling", t(lang, "Indstilling", "Recommendation")))
        entries += [
            ("sagsfremstilling", t(lang, "Sagsfremstilling", "The case and findings")),
            ("oekonomi", t(lang, "Økonomi", "Finances")),
            ("videre-proces", t(lang, "Videre proces", "Next steps")),
            ("bilag", t(lang, "Bilag", "Appendices")),
        ]
        contents = Contents(t(lang, "Indhold", "Contents"), tuple((a, x, 2) for a, x in entries), word=False)
        return Section("header", [self._document_header(kind), contents])

    def _document_header(self, kind: str):
        return document_header(
            organisation_text(self.lang),
            kind,
            self.title,
            prepared_text(self.wave, _dt.date.today(), self.lang),
            is_sample=self.is_sample,
            lang=self.lang,
        )

    def resume(self) -> Section:
        """Return the Resumé: 3-5 sentences generated from the numbers, then the analyst's paragraphs."""
        return Section(
            "summary",
            [
                Heading(t(self.lang, "Resumé", "Summary"), 2, "resume"),
                Paragraph.of(" ".join(self.resume_sentences()), style="lead"),
                *self._analyst("summary"),
            ],
        )

    def recommendation(self) -> Section:
        """Return the Indstilling the analyst wrote (``## Indstilling`` in the texts file); empty without one."""
        if not self.texts.get("recommendation"):
            return Section("recommendation")
        return Section(
            "recommendation",
            [
                Heading(t(self.lang, "Indstilling", "Recommendation"), 2, "indstilling"),
                *self._analyst("recommendation"),
            ],
        )

    def _analyst(self, key: str) -> list:
        """Return the analyst's blocks of one section (none without any)."""
        return from_text_blocks(self.texts.get(key))

    def resume_sentences(self) -> list[str]:
        """Return the Resumé's sentences: scope, least and most mature value, innovation above and below, change."""
        lang, names = self.lang, self.value_names()
        muni = self.municipal_cells()
        counts = self.survey.quality.respondent_counts
        n_resp = int(counts[self.wave].sum()) if self.wave in counts.columns else 0
        n_dept = int((counts[self.wave] > 0).sum()) if self.wave in counts.columns else 0
        members = self.group_members()
        if members:
            pooled = t(
                lang,
                f"alle forvaltninger indgår i kommunens tal, men {join_names(members, lang)} vises af hensyn til "
                f"anonymiteten samlet som »{config.MERGED_GROUP_NAME[lang]}«",
                f"every department counts in the municipal figures, but {join_names(members, lang)} are shown "
                f"together as '{config.MERGED_GROUP_NAME[lang]}' to protect anonymity",
            )
        else:
            pooled = t(lang, "alle forvaltninger kan vises hver for sig", "every department can be shown on its own")
        _, invited = self.response()
        if invited:
            rate = format_share(n_resp / invited, lang, 0)
            asked = t(
                lang,
                f"Økonomiforvaltningen har i {self.wave} spurgt {invited} indkøbsfaglige medarbejdere i {n_dept} "
                f"forvaltninger, hvor modent indkøbet er på indkøbspolitikkens fem værdier, og {n_resp} har svaret "
                f"({rate})",
                f"In {self.wave} the Finance Administration asked {invited} procurement staff in {n_dept} departments "
                f"how mature procurement is on the five values of the procurement policy, and {n_resp} answered "
                f"({rate})",
            )
        else:
            asked = t(
                lang,
                f"Økonomiforvaltningen har i {self.wave} spurgt {n_resp} indkøbsfaglige medarbejdere i "
                f"{n_dept} forvaltninger, hvor modent indkøbet er på indkøbspolitikkens fem værdier",
                f"In {self.wave} the Finance Administration asked {n_resp} procurement staff in {n_dept} "
                f"departments how mature procurement is on the five values of the procurement policy",
            )
        if not self.publishable:
            return [f"{asked}.", self.nothing_shown_sentence()]
        sentences = [f"{asked}; {pooled}."]
        values = muni.assign(level_name=[self.level_name(lv) for lv in muni["level"]])
        for which in ("lowest", "highest"):
            sentence = sentence_value_extreme(values, self.value_pairs, which, names, lang)
            if sentence:
                sentences.append(sentence)
        sentences.append(self.innovation_sentence())
        if self.previous_wave is not None:
            changes = self.changes
            sentences.append(
                sentence_changes(changes[changes["department"] == config.MUNICIPALITY], names, self.previous_wave, lang)
            )
        return [s for s in sentences if s]

    def innovation_sentence(self) -> str:
        """Return the departments clearly above and clearly below the municipality on innovation."""
        names, muni = self.value_names(), self.municipal_cells()
        inno = muni[muni["value"] == INNOVATION]
        if inno.empty or pd.isna(inno["score"].iloc[0]):
            return ""
        positions = self.positions[self.positions["value"] == INNOVATION]
        return sentence_positions(
            positions, self.group_names(INNOVATION), names[INNOVATION], float(inno["score"].iloc[0]), self.lang
        )

    def case(self) -> Section:
        """Return the Sagsfremstilling (:func:`analysis.report.case.case_section`), with the analyst's paragraphs last."""
        from .case import case_section

        section = case_section(self)
        section.blocks.extend(self._analyst("case"))
        return section

    def economy(self, text: str = "") -> Section:
        """Return the Økonomi section: the texts file's, else ``text``, else a standard sentence."""
        heading = Heading(t(self.lang, "Økonomi", "Finances"), 2, "oekonomi")
        if self.texts.get("economy"):
            return Section("economy", [heading, *self._analyst("economy")])
        text = text or t(
            self.lang, "Orienteringen har ingen økonomiske konsekvenser.", "The briefing has no financial consequences."
        )
        return Section("economy", [heading, Paragraph.of(text)])

    def next_steps(self, text: str = "") -> Section:
        """Return the Videre proces section: the texts file's, else ``text``, else a standard sentence."""
        heading = Heading(t(self.lang, "Videre proces", "Next steps"), 2, "videre-proces")
        if self.texts.get("next_steps"):
            return Section("next_steps", [heading, *self._analyst("next_steps")])
        text = text or t(
            self.lang,
            f"Økonomiforvaltningen gentager undersøgelsen i {self.wave + 1} og forelægger resultatet for "
            "Økonomiudvalget som en del af den årlige opfølgning på indkøbspolitikken.",
            f"The Finance Administration repeats the survey in {self.wave + 1} and presents the result to the "
            "Finance Committee as part of the yearly follow-up on the procurement policy.",
        )
        return Section("next_steps", [heading, Paragraph.of(text)])

    def bilag_title(self, number: int) -> str:
        """Return a Bilag's heading, e.g. "Bilag 2. Tabeller og figurer"."""
        _, _, da, en = BILAG[number - 1]
        return t(self.lang, f"Bilag {number}. {da}", f"Appendix {number}. {en}")

    def attachments(self) -> Section:
        """Return the memo's numbered list of Bilag, each linked to its place in the Bilag document."""
        items = tuple((Run(self.bilag_title(number), href=f"bilag.html#bilag-{number}"),) for number, *_ in BILAG)
        return Section(
            "attachments", [Heading(t(self.lang, "Bilag", "Appendices"), 2, "bilag"), Items(items, style="bilag-list")]
        )

    def appendix_header(self) -> Section:
        """Return the Bilag document's title block and its table of contents (in HTML)."""
        lang = self.lang
        kind = t(
            lang,
            f"Bilag til orientering til {organisation('committee', lang)}",
            f"Appendices to the briefing for {organisation('committee', lang)}",
        )
        entries = tuple((f"bilag-{number}", self.bilag_title(number), 2) for number, *_ in BILAG)
        return Section(
            "bilag-header",
            [self._document_header(kind), Contents(t(lang, "Indhold", "Contents"), entries)],
            document="bilag",
        )

    def method(self) -> Section:
        """Return Bilag 1, the method: plain words first, then the technical details."""
        from .appendix import method_section

        return method_section(self)

    def tables(self) -> Section:
        """Return Bilag 2: the score and change tables, and the figures behind the memo's findings."""
        from .appendix import tables_section

        return tables_section(self)

    def data_quality(self) -> Section:
        """Return Bilag 3: responses, response rates, the answer "don't know" and the loading notes."""
        from .appendix import quality_section

        return quality_section(self)

    def provenance(self, output_dir: str | Path = "") -> Section:
        """Return Bilag 4, provenance (:func:`analysis.report.appendix.provenance_section`)."""
        from .appendix import provenance_section

        return provenance_section(self.lang, output_dir, self.bilag_title(4), document="bilag", anchor="bilag-4")

    def write_tables(self, output_dir: str | Path) -> list[Path]:
        """Write the score tables (:func:`analysis.tables.documents.write_briefing_tables`)."""
        from ..tables.documents import write_briefing_tables

        return write_briefing_tables(
            self.scores,
            output_dir,
            changes=self.all_changes(),
            lang=self.lang,
            codebook=self.codebook,
            departments=self.departments,
            barriers=self.barriers,
        )


def default_title(wave: int, lang: str = "da") -> str:
    """Return the briefing's default title for ``wave``."""
    return t(
        lang,
        f"Modenhed i indkøbet {wave}: opfølgning på indkøbspolitikken",
        f"Procurement maturity {wave}: follow-up on the procurement policy",
    )


def prepare_briefing(
    responses: list[str] | str | None = None,
    *,
    wave: int | None = None,
    min_n: int = config.DEFAULT_MIN_N,
    seed: int = config.DEFAULT_SEED,
    resamples: int = config.DEFAULT_RESAMPLES,
    lang: str = "da",
    title: str = "",
    codebook: Codebook | None = None,
    departments: Departments | None = None,
    charts: bool = True,
    sheet: str | None = None,
    chart_background: bool = True,
    reading: dict | None = None,
    texts: str | Path = "",
    quotes: bool = False,
    stop_list: str | Path = "",
) -> Briefing:
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
    texts
        A Markdown file of the analyst's own texts (:mod:`analysis.report.texts`); empty for none.
    quotes
        Show a few redacted quotes per theme of the open answers (groups of ``min_n`` or more only).
    stop_list
        A text file of names (one per line, ``#`` comments) that redaction removes from quotes,
        besides the department names; empty for none.
    reading
        How to read the exports: keyword arguments of :func:`~analysis.survey.loading.load_responses`
        (``source``, ``mapping``, ``department_column``, ``complete_only``). Files without a wave
        column take ``wave``.
    """
    check_lang(lang)
    paths = [responses] if isinstance(responses, (str, Path)) else list(responses or [])
    files = [str(p) for p in paths] if paths else [str(p) for p in config.sample_files()]
    sample = {p.resolve() for p in config.sample_files()}
    is_sample = bool(files) and all(Path(f).resolve() in sample for f in files)
    codebook = codebook or load_codebook()
    departments = departments or load_departments()
    options = dict(reading or {})
    if wave is not None:
        options.setdefault("default_wave", int(wave))
    survey = load_responses(files, codebook, departments, sheet=sheet or None, **options)
    scores = score_survey(survey.responses, codebook, departments, min_n=min_n, seed=seed, resamples=resamples)
    waves = scores.waves
    if wave is None:
        wave = max(waves)
    elif int(wave) not in waves:
        raise ParameterError(f"wave {wave} is not in the data; the files have the waves {', '.join(map(str, waves))}.")
    briefing = Briefing(
        survey=survey,
        scores=scores,
        codebook=codebook,
        departments=departments,
        wave=int(wave),
        lang=lang,
        title=title or default_title(int(wave), lang),
        is_sample=is_sample,
        response_files=files,
        chart_background=chart_background,
        texts=load_texts(texts),
        quotes=bool(quotes),
        stop_names=stop_list_of(departments, config.ORGANISATION_PATH, path=stop_list or None),
        register=load_register(departments=departments),
    )
    if charts:
        briefing.start_charts()
    return briefing
