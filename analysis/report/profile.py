"""One department's profile: where it stands on the five values, and what to work on next.

The notebook ``notebooks/department.ipynb`` makes one :class:`DepartmentProfile` with
:func:`prepare_profile` and shows its sections: header, summary, values, focus areas, answer
distributions and don't know, change over time, appendix (the longer ones in
:mod:`analysis.report.profile_sections`, :mod:`analysis.report.profile_appendix`). The profile is built on the committee briefing
(:func:`analysis.report.briefing.prepare_briefing`), so it uses exactly the same scores,
intervals, seed and suppression as the briefing the committee sees.

Disclosure control (method.md) is applied to the department's own numbers in every section:

- a value on which the department's cell is suppressed (fewer than ``min_n`` gave a valid answer,
  or the department was pulled into the merged group "Øvrige forvaltninger" so that the small
  members cannot be worked out) shows no score, interval, level, focus area, item, distribution,
  don't-know share, trend point or change of the department's own; it says in which merged group
  its answers are counted, why, and the group's published score (:meth:`DepartmentProfile.merged`);
- counts under ``min_n`` are written in words ("færre end 5", :func:`analysis.words.count_text`);
- comparisons (with the municipality, between values) are paired (method.md v2) and change
  verdicts are the change table's (adjusted p-value and at least 0,25);
- when one focus area of a value is hidden, scoring hides the value's other focus areas too
  (secondary suppression in :func:`analysis.stats.scoring.score_survey`): a value's score is the
  mean of its focus areas, so the others would give the hidden one away by subtraction;
- item means are never printed: a focus area's score and the means of its other items would give
  a hidden item away; the profile names its lowest-scoring items without numbers;
- a department hidden on every value gets a profile of the header, one paragraph (where its
  answers are counted, with the merged group's scores) and the method note, and nothing else,
  not even its number of respondents.
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
from ..stats.bootstrap import stratified_mean
from ..stats.comparisons import (
    ABOVE,
    BELOW,
    ON_LEVEL,
    compare_departments_to_municipality,
    compare_values,
    paired_difference,
    position,
)
from ..stats.scores import Scores
from ..survey.codebook import Codebook, load_departments
from ..words import (
    cannot_show_text,
    count_text,
    hidden_text,
    hidden_word,
    interval_text,
    merged_group_name,
    organisation_text,
    prepared_text,
    t,
    threshold_text,
)
from . import profile_appendix, profile_sections
from .briefing import Briefing, prepare_briefing
from .parts import NumberedFigures, document_header
from .view import Heading, Paragraph, Section

__all__ = ["PULLED_IN", "SMALL", "DepartmentProfile", "default_profile_title", "prepare_profile"]

#: Why a department's cell is in the merged group: fewer than min_n answered, or it was pulled in
#: (complementary suppression) so that the small members cannot be worked out.
SMALL, PULLED_IN = "small", "pulled in"


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

        The comparison is paired (method.md): the interval of the bootstrap distribution of the
        difference department minus municipality, resample by resample
        (:func:`analysis.stats.comparisons.compare_departments_to_municipality`), never whether
        two intervals overlap.

        Returns
        -------
        pandas.DataFrame
            Indexed by value id: the department's ``score, ci_low, ci_high, n, level,
            level_uncertain, suppressed``, the municipality's ``muni_score, muni_low, muni_high,
            muni_level, muni_level_uncertain``, the difference ``diff, diff_low, diff_high, p``
            and ``position``: ``"above"`` or ``"below"`` when the difference's interval excludes
            0, ``"on level"`` when it does not, and empty when the department is hidden.
        """
        cells = self.cells()
        muni = self.briefing.municipal_cells().set_index("value").reindex(self.codebook.value_ids)
        out = cells[["score", "ci_low", "ci_high", "n", "level", "level_uncertain", "suppressed"]].copy()
        out["muni_score"], out["muni_low"], out["muni_high"] = muni["score"], muni["ci_low"], muni["ci_high"]
        out["muni_level"], out["muni_level_uncertain"] = muni["level"], muni["level_uncertain"]
        paired = compare_departments_to_municipality(self.scores, self.wave)
        paired = paired[paired["department"] == self.department].set_index("value").reindex(out.index)
        out["diff"], out["diff_low"], out["diff_high"], out["p"] = (
            paired["diff"],
            paired["ci_low"],
            paired["ci_high"],
            paired["p"],
        )
        out["position"] = paired["position"].fillna("").where(~out["suppressed"], "")
        return out

    def merged(self, wave: int | None = None) -> pd.DataFrame:
        """Return, per value, whether the department's answers are counted in the merged group.

        Returns
        -------
        pandas.DataFrame
            Indexed by value id: ``in_group`` (the department is a member of ``ØVRIGE`` on the
            value), ``reason`` (:data:`SMALL` when fewer than ``min_n`` of its respondents
            answered, :data:`PULLED_IN` when it was pulled in by complementary suppression,
            empty when not in the group), ``members`` (``"KFF+BIF"``), ``group_shown`` (the
            group's score is published) and the group's published ``score, ci_low, ci_high, n,
            level, level_uncertain`` (blank unless ``group_shown``). Never the department's own number.
        """
        wave = self.wave if wave is None else wave
        ids = self.codebook.value_ids
        dv = self.scores.department_value
        group = dv[(dv["wave"] == wave) & (dv["department"] == config.MERGED_GROUP)].set_index("value").reindex(ids)
        members = group["members"].fillna("").astype(str) if "members" in group else pd.Series("", index=ids, dtype=str)
        out = pd.DataFrame(index=ids)
        out["members"] = members
        out["in_group"] = [self.department in m.split("+") for m in members]
        shown = ~group["suppressed"].astype("boolean").fillna(True).astype(bool) & group["score"].notna()
        out["group_shown"] = out["in_group"] & shown
        for col in ("score", "ci_low", "ci_high", "n", "level", "level_uncertain"):
            out[col] = group[col].where(out["group_shown"])
        # The department's own n as the scores publish it: blank (NA) when under min_n.
        raw = dv[(dv["wave"] == wave) & (dv["department"] == self.department)].set_index("value").reindex(ids)
        out["own_n"] = raw["n"]
        reasons = []
        for vid in ids:
            if not out.loc[vid, "in_group"]:
                reasons.append("")
            elif self.department in self.scores.pulled_in.get((wave, vid), ()):
                reasons.append(PULLED_IN)
            else:
                reasons.append(SMALL)
        out["reason"] = reasons
        return out

    def group_name(self, members: str) -> str:
        """Return the merged group's name with its members, e.g. "Øvrige forvaltninger (KFF og BIF)"."""
        return merged_group_name(members, self.lang)

    def merged_reason_text(self, reason: str, own_n=None, members: str = "") -> str:
        """Return why the department is counted in the merged group, as a clause ("fordi ...").

        ``own_n`` is the department's n as the scores publish it (blank under ``min_n``); it is
        written with :func:`analysis.words.count_text`, so never as a number under ``min_n``.
        ``members`` names the group, so a department pulled in can say whom it protects.
        """
        if reason == PULLED_IN:
            others = self._others(members)
            return t(
                self.lang,
                f"fordi forvaltningen er lagt sammen med {others}, så resultaterne for {others} ikke kan regnes ud "
                "af de viste tal",
                f"because the department was pooled with {others}, so that the results of {others} cannot be "
                "worked out from the figures shown",
            )
        return t(
            self.lang,
            f"fordi {count_text(own_n, self.min_n, self.lang)} gav et gyldigt svar",
            f"because {count_text(own_n, self.min_n, self.lang)} gave a valid answer",
        )

    def _others(self, members: str) -> str:
        """Return the merged group's other members, e.g. "KFF og BIF"."""
        return join_names([m for m in str(members).split("+") if m and m != self.department], self.lang)

    def group_score_text(self, vid: str, wave: int | None = None) -> str:
        """Return the merged group's published score and level on a value, e.g. "2,82 (etableret?)"."""
        g = self.merged(wave).loc[vid]
        if not g["group_shown"]:
            return ""
        level = self.level_name(g["level"], bool(g["level_uncertain"]))
        return f"{self.number(g['score'], 2)} ({level.lower() if self.lang == 'da' else level})"

    def merged_cell_text(self, vid: str, wave: int | None = None) -> str:
        """Return the words of a table cell for a value the department is hidden on.

        In the merged group: the group's name and published score, and why; else that it cannot
        be shown.
        """
        g = self.merged(wave).loc[vid]
        if not g["group_shown"]:
            return self.cannot_show
        return t(
            self.lang,
            f"Tælles med i {self.group_name(g['members'])}, "
            f"{self.merged_reason_text(g['reason'], g['own_n'], g['members'])}. "
            f"Gruppens score: {self.group_score_text(vid, wave)}",
            f"Counted in {self.group_name(g['members'])}, "
            f"{self.merged_reason_text(g['reason'], g['own_n'], g['members'])}. "
            f"The group's score: {self.group_score_text(vid, wave)}",
        )

    def hidden_short(self, vid: str, wave: int | None = None) -> str:
        """Return the short words of a hidden cell: "skjult (n < 5)" or "skjult (i Øvrige forvaltninger)"."""
        g = self.merged(wave).loc[vid]
        if g["in_group"] and g["reason"] == PULLED_IN:
            group = config.MERGED_GROUP_NAME[self.lang]
            return t(self.lang, f"{hidden_word(self.lang)} (i {group})", f"{hidden_word(self.lang)} (in {group})")
        return self.hidden

    def merged_sentence(self, vids: list[str]) -> str:
        """Return one clause per group and reason: on which values the answers count in which group, and why.

        The group's scores are in the values table (:meth:`merged_cell_text`), so the clause
        points there instead of repeating them.
        """
        lang = self.lang
        merged = self.merged()
        clauses = []
        keys = list(dict.fromkeys((merged.loc[v, "members"], merged.loc[v, "reason"]) for v in vids))
        for members, reason in keys:
            these = [v for v in vids if (merged.loc[v, "members"], merged.loc[v, "reason"]) == (members, reason)]
            names = join_names([self.value_name(v, lower=True) for v in these], lang)
            why = self.merged_reason_text(reason, merged.loc[these[0], "own_n"], members)
            clauses.append(
                t(
                    lang,
                    f"på {names} tælles forvaltningens svar med i {self.group_name(members)}, {why}",
                    f"on {names} the department's answers are counted in {self.group_name(members)}, {why}",
                )
            )
        return "; ".join(clauses) + t(lang, " (gruppens score står i tabellen)", " (the group's score is in the table)")

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

    def _municipal_focus_area_parts(self) -> list[tuple[pd.DataFrame, float, np.ndarray | None]]:
        """Return the shown focus-area rows of every department and the merged group, with weights and replicates."""
        fa = self.scores.department_focus_area
        depts = list(dict.fromkeys(fa.loc[fa["wave"] == self.wave, "department"]))
        parts = []
        for d in depts:
            rows = self.focus_areas_table(department=d)
            rows = rows[rows["shown"]]
            if rows.empty:
                continue
            weight = 1.0
            if d == config.MERGED_GROUP and "members" in rows:
                weight = float(len(str(rows["members"].iloc[0]).split("+")))
            parts.append((rows, weight, self.scores.focus_area_replicates.get((self.wave, d))))
        return parts

    def municipal_focus_areas(self) -> pd.Series:
        """Return the municipality's mean per focus area in :attr:`wave` (no interval).

        The mean over the departments whose focus-area score is published and the merged group
        (weighing as many departments as it has members, as in the municipal value score). Only
        published cells enter it, so no hidden focus area can be worked out from it.
        """
        frames = [rows.assign(weight=w) for rows, w, _ in self._municipal_focus_area_parts()]
        if not frames:
            return pd.Series(dtype=float)
        shown = pd.concat(frames, ignore_index=True)
        shown["weighted"] = shown["score"] * shown["weight"]
        sums = shown.groupby("focus_area")[["weighted", "weight"]].sum()
        return sums["weighted"] / sums["weight"]

    def focus_area_comparison(self) -> pd.DataFrame:
        """Return the department's shown focus areas against :meth:`municipal_focus_areas`, paired.

        The municipality's resample b is the weighted mean of every shown group's resample b
        (the stratified bootstrap), so the department's replicate minus it is a paired difference
        (method.md). Indexed by focus area: ``diff, ci_low, ci_high, p, position``.
        """
        ids = [f.id for f in self.codebook.focus_areas]
        own = self.focus_areas_table()
        own = own[own["shown"]].set_index("focus_area")
        reps = self.scores.focus_area_replicates.get((self.wave, self.department))
        parts = self._municipal_focus_area_parts()
        muni = self.municipal_focus_areas()
        rows = {}
        for fid in own.index:
            k = ids.index(fid)
            strata = [(r[:, k], w) for rows_, w, r in parts if r is not None and fid in set(rows_["focus_area"])]
            if reps is None or not strata or fid not in muni.index:
                continue
            muni_reps = stratified_mean([x for x, _ in strata], weights=[w for _, w in strata])
            result = paired_difference(reps[:, k], muni_reps, own.loc[fid, "score"], muni[fid], self.scores.confidence)
            rows[fid] = result | {"position": position(result["ci_low"], result["ci_high"])}
        return pd.DataFrame.from_dict(rows, orient="index", columns=["diff", "ci_low", "ci_high", "p", "position"])

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

    @cached_property
    def distribution(self) -> pd.DataFrame:
        """Return the briefing's answer distributions with this department's hidden values masked.

        A department pulled into the merged group can have ``2 * min_n`` respondents, but its cell is
        suppressed (complementary suppression): its distribution would give its score away and,
        with the group's score, the small members' (method.md: a suppressed cell is hidden
        everywhere). So its rows on those values are marked not shown and carry no shares.
        """
        dist = self.briefing.distribution.copy()
        cells = self.cells()
        if cells.empty:
            return dist
        hidden = set(cells.index[cells["suppressed"]])
        mask = (dist["department"] == self.department) & dist["value"].isin(hidden)
        shares = [c for c in dist.columns if c.startswith("share_") or c == "answers"]
        dist.loc[mask, "shown"] = False
        dist[shares] = dist[shares].astype(float)
        dist.loc[mask, shares] = np.nan
        return dist

    def distribution_rows(self) -> pd.DataFrame:
        """Return the department's answer-distribution rows, one per value that has one."""
        dist = self.distribution
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
                self.distribution, self.codebook, lang, department=code, min_n=self.min_n, departments=deps
            )
        if self.has_trend:
            builders["trend"] = lambda: charts.plot_trend(
                self.scores, self.codebook, lang, department=code, departments=deps
            )
        return ChartBatch(builders, background=self.briefing.chart_background)

    # -- sections -----------------------------------------------------------------------------
    def header(self) -> Section:
        """Return the title block of a department profile, with the synthetic-data notice."""
        lang = self.lang
        kind = t(
            lang,
            f"Forvaltningsprofil · {self.name} ({self.department})",
            f"Department profile · {self.name} ({self.department})",
        )
        header = document_header(
            organisation_text(lang),
            kind,
            self.title,
            prepared_text(self.wave, _dt.date.today(), lang),
            is_sample=self.briefing.is_sample,
            lang=lang,
        )
        return Section("header", [header], document="profile")

    def summary(self) -> Section:
        """Return the summary: 2-4 sentences from the numbers (one paragraph when all is hidden)."""
        text = self.all_hidden_text() if self.all_hidden else " ".join(self.summary_sentences())
        heading = Heading(t(self.lang, "Resumé", "Summary"))
        return Section("summary", [heading, Paragraph.of(text, style="lead")], document="profile")

    def all_hidden_text(self) -> str:
        """Return the one paragraph of a department hidden on every value.

        It says why (on each value: fewer than ``min_n`` answered, or the department was pooled
        so that the smaller departments cannot be worked out), in which merged group its answers
        are counted with the group's published score, and never a number of the department's own.
        """
        lang, n = self.lang, self.min_n
        merged = self.merged()
        few = count_text(None, n, lang)
        small = [v for v in merged.index if merged.loc[v, "reason"] != PULLED_IN]
        pulled = [v for v in merged.index if merged.loc[v, "reason"] == PULLED_IN]
        names = lambda vs: join_names([self.value_name(v, lower=True) for v in vs], lang)  # noqa: E731
        sentences = [
            t(
                lang,
                f"Resultaterne for {self.name} ({self.department}) i {self.wave} kan ikke vises for forvaltningen "
                "alene.",
                f"The results for {self.name} ({self.department}) in {self.wave} cannot be shown for the "
                "department on its own.",
            )
        ]
        if small and not pulled:
            scope = t(lang, "hver af indkøbspolitikkens fem værdier", "each of the procurement policy's five values")
            scope = scope if len(small) == 5 else names(small)
            sentences.append(
                t(
                    lang,
                    f"{few.capitalize()} medarbejdere har givet et gyldigt svar på {scope}, og for at ingen enkelt "
                    f"besvarelse skal kunne genkendes, vises resultater kun for grupper på mindst {n}.",
                    f"{few.capitalize()} staff gave a valid answer on {scope}, and so that no single answer can "
                    f"be recognised, results are shown only for groups of at least {n}.",
                )
            )
        else:
            parts = []
            if small:
                parts.append(
                    t(
                        lang,
                        f"på {names(small)} har {few} givet et gyldigt svar",
                        f"on {names(small)} {few} gave a valid answer",
                    )
                )
            for members in dict.fromkeys(merged.loc[pulled, "members"]):
                these = [v for v in pulled if merged.loc[v, "members"] == members]
                parts.append(
                    t(
                        lang,
                        f"på {names(these)} er forvaltningen lagt sammen med {self._others(members)}, så "
                        f"resultaterne for {self._others(members)} ikke kan regnes ud af de viste tal",
                        f"on {names(these)} the department was pooled with {self._others(members)}, so that the "
                        f"results of {self._others(members)} cannot be worked out from the figures shown",
                    )
                )
            text = "; ".join(parts)
            sentences.append(
                t(
                    lang,
                    f"{text[:1].upper()}{text[1:]}. Resultater vises kun for grupper på mindst {n}, så ingen enkelt "
                    "besvarelse kan genkendes.",
                    f"{text[:1].upper()}{text[1:]}. Results are shown only for groups of at least {n}, so that no "
                    "single answer can be recognised.",
                )
            )
        grouped = [v for v in merged.index if merged.loc[v, "group_shown"]]
        if grouped:
            sentences.append(self._group_scores_sentence(grouped) + ".")
            sentences.append(
                t(
                    lang,
                    "Gruppen indgår i kommunens gennemsnit med vægt som det antal forvaltninger, den består af, så "
                    "forvaltningen er med i kommunens gennemsnit.",
                    "The group enters the municipal average weighing as many departments as it has members, so the "
                    "department is part of the municipal average.",
                )
            )
        else:
            sentences.append(
                t(
                    lang,
                    "Forvaltningen indgår derfor heller ikke i kommunens gennemsnit.",
                    "The department is therefore not part of the municipal average either.",
                )
            )
        sentences.append(
            t(
                lang,
                f"Når mindst {n} svarer i en senere undersøgelse, kan profilen vises.",
                f"Once at least {n} answer in a later survey, the profile can be shown.",
            )
            if not pulled
            else t(
                lang,
                "Når flere svarer i en senere undersøgelse, kan profilen vises.",
                "Once more staff answer in a later survey, the profile can be shown.",
            )
        )
        return " ".join(sentences)

    def _group_scores_sentence(self, vids: list[str]) -> str:
        """Return "Forvaltningens svar tælles med i <group>: <value> 2,82 (etableret?), ..." per group."""
        lang = self.lang
        merged = self.merged()
        clauses = []
        for members in dict.fromkeys(merged.loc[vids, "members"]):
            these = [v for v in vids if merged.loc[v, "members"] == members]
            scores = join_names(
                [
                    t(
                        lang,
                        f"{self.group_score_text(v)} på {self.value_name(v, lower=True)}",
                        f"{self.group_score_text(v)} on {self.value_name(v, lower=True)}",
                    )
                    for v in these
                ],
                lang,
            )
            clauses.append(
                t(
                    lang,
                    f"på {'alle fem værdier' if len(these) == 5 else join_names([self.value_name(v, lower=True) for v in these], lang)} "
                    f"tælles forvaltningens svar med i {self.group_name(members)}, der vises samlet med scoren {scores}",
                    f"on {'all five values' if len(these) == 5 else join_names([self.value_name(v, lower=True) for v in these], lang)} "
                    f"the department's answers are counted in {self.group_name(members)}, shown together, "
                    f"scoring {scores}",
                )
            )
        text = "; ".join(clauses)
        return text[:1].upper() + text[1:]

    def summary_sentences(self) -> list[str]:
        """Return the summary's sentences: scope, against the municipality, strongest and weakest value."""
        lang = self.lang
        comp = self.comparison()
        shown = comp[~comp["suppressed"]]
        merged = self.merged()
        hidden_ids = list(comp.index[comp["suppressed"]])
        grouped = [v for v in hidden_ids if merged.loc[v, "group_shown"]]
        alone = [self.value_name(v, lower=True) for v in hidden_ids if v not in grouped]
        respondents = self.scores.respondents
        n_resp = respondents.loc[
            (respondents["wave"] == self.wave) & (respondents["department"] == self.department), "respondents"
        ]
        n_text = count_text(n_resp.iloc[0] if len(n_resp) else None, self.min_n, lang)
        who = f"{self.name} ({self.department})"
        if not hidden_ids:
            first = t(
                lang,
                f"{who} kan vises på alle fem værdier i {self.wave}; {n_text} medarbejdere har svaret.",
                f"{who} can be shown on all five values in {self.wave}; {n_text} staff answered.",
            )
        else:
            k = len(shown)
            clauses = []
            if grouped:
                clauses.append(self.merged_sentence(grouped))
            if alone:
                clauses.append(
                    t(
                        lang,
                        f"på {join_names(alone, lang)} har færre end {self.min_n} givet et gyldigt svar, så resultatet "
                        "vises ikke af hensyn til anonymiteten",
                        f"on {join_names(alone, lang)} fewer than {self.min_n} gave a valid answer, so the result is "
                        "not shown, to protect anonymity",
                    )
                )
            first = t(
                lang,
                f"{who} kan vises for sig på {k} af de fem værdier i {self.wave}; {'; '.join(clauses)}.",
                f"{who} can be shown on its own on {k} of the five values in {self.wave}; {'; '.join(clauses)}.",
            )
        sentences = [first, self._comparison_sentence(shown)]
        sentences.extend(self._extreme_sentences(shown))
        return [s for s in sentences if s]

    def _comparison_sentence(self, shown: pd.DataFrame) -> str:
        """Say on which values the department is clearly above, clearly below or on level with the municipality.

        From the paired comparison (:meth:`comparison`), symmetric: below is said as plainly as above.
        """
        lang = self.lang
        groups = {
            v: [self.value_name(vid, lower=True) for vid in shown.index[shown["position"] == v]]
            for v in (ABOVE, BELOW, ON_LEVEL)
        }
        if not any(groups.values()):
            return ""
        if not groups[ABOVE] and not groups[BELOW]:
            scope = (
                t(lang, "alle fem værdier", "all five values")
                if len(shown) == 5
                else t(lang, f"alle {len(shown)} værdier, der kan vises", f"all {len(shown)} values shown")
            )
            return t(
                lang,
                f"Forvaltningen ligger på niveau med kommunens gennemsnit på {scope}: ingen af forskellene er klare.",
                f"The department is on level with the municipal average on {scope}: none of the differences is clear.",
            )
        parts = []
        said_average = False
        if groups[ABOVE]:
            parts.append(
                t(
                    lang,
                    f"klart over kommunens gennemsnit på {join_names(groups[ABOVE], lang)}",
                    f"clearly above the municipal average on {join_names(groups[ABOVE], lang)}",
                )
            )
            said_average = True
        if groups[BELOW]:
            names = join_names(groups[BELOW], lang)
            parts.append(
                t(
                    lang,
                    f"klart under på {names}" if said_average else f"klart under kommunens gennemsnit på {names}",
                    f"clearly below on {names}" if said_average else f"clearly below the municipal average on {names}",
                )
            )
        if groups[ON_LEVEL]:
            parts.append(
                t(
                    lang,
                    f"på niveau med kommunen på {join_names(groups[ON_LEVEL], lang)}",
                    f"on level with the municipality on {join_names(groups[ON_LEVEL], lang)}",
                )
            )
        # Semicolons between the groups: value names such as "partnerskaber og innovation" hold an "og".
        return t(lang, f"Forvaltningen ligger {'; '.join(parts)}.", f"The department is {'; '.join(parts)}.")

    def value_positions(self) -> dict[str, dict[str, str]]:
        """Return, for each pair of the department's shown values, where the first lies against the second.

        From the paired comparison of values within the department's own resamples
        (:func:`analysis.stats.comparisons.compare_values`): ``positions[a][b]`` is ``"above"``,
        ``"below"`` or ``"on level"``.
        """
        flip = {ABOVE: BELOW, BELOW: ABOVE, ON_LEVEL: ON_LEVEL, "": ""}
        out: dict[str, dict[str, str]] = {}
        for r in compare_values(self.scores, self.wave, self.department).itertuples():
            out.setdefault(r.value_a, {})[r.value_b] = r.position
            out.setdefault(r.value_b, {})[r.value_a] = flip[r.position]
        return out

    def _extreme_sentences(self, shown: pd.DataFrame) -> list[str]:
        """Name the strongest and weakest value, each called so only when its paired differences are clear."""
        lang = self.lang
        ids = list(shown.index)
        if len(ids) < 2:
            return []
        positions = self.value_positions()
        top = max(ids, key=lambda v: shown.loc[v, "score"])
        bottom = min(ids, key=lambda v: shown.loc[v, "score"])
        top_ties = [v for v in ids if v != top and positions.get(top, {}).get(v, ON_LEVEL) != ABOVE]
        bottom_ties = [v for v in ids if v != bottom and positions.get(bottom, {}).get(v, ON_LEVEL) != BELOW]

        def say(vid: str) -> str:
            r = shown.loc[vid]
            level = self.level_name(r["level"], bool(r["level_uncertain"]))
            return f"{self.value_name(vid, lower=True)} ({self.number(r['score'])}, {level.lower() if lang == 'da' else level})"

        def names(vs: list[str]) -> str:
            return join_names([self.value_name(v, lower=True) for v in vs], lang)

        if len(top_ties) == len(ids) - 1 and len(bottom_ties) == len(ids) - 1:
            return [
                t(
                    lang,
                    f"Ingen af forvaltningens værdier skiller sig klart ud: højest scorer {say(top)} og "
                    f"lavest {say(bottom)}, men forskellen er ikke klar.",
                    f"None of the department's values stands clearly apart: the highest score is {say(top)} and "
                    f"the lowest {say(bottom)}, but the difference is not clear.",
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
        if len(ids) == 2 and top_ties:
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

    def values(self) -> Section:
        """Return the five values: the department beside the municipality, as a chart and a table."""
        return profile_sections.values_section(self)

    def focus_areas(self) -> Section:
        """Return each value's lowest-scoring focus area, and the three to look at first."""
        return profile_sections.focus_areas_section(self)

    def distributions(self) -> Section:
        """Return the department's answer distribution (when its group is large enough) and don't-know shares."""
        return profile_sections.distributions_section(self)

    def trend(self) -> Section:
        """Return the department's scores over the waves and the change since the previous wave."""
        return profile_sections.trend_section(self)

    def appendix(self) -> Section:
        """Return the method note and the department's table of values and focus areas."""
        return profile_appendix.appendix_section(self)

    def provenance(self, output_dir: str | Path = "") -> Section:
        """Return the provenance section (data, code and settings behind this profile)."""
        from .appendix import provenance_section

        return provenance_section(self.lang, output_dir, t(self.lang, "Sporbarhed", "Provenance"), document="profile")

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
