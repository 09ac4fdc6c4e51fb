"""The department profile's appendix: the method in plain words and the table of its figures.

In: a :class:`~analysis.report.profile.DepartmentProfile`. Out: the profile's Bilag as a
:class:`~analysis.report.view.Section` (blocks the templates and the Word writer render).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..config import MERGED_GROUP_NAME
from ..formatting import format_number
from ..stats.changes import MINIMAL_IMPORTANT_DIFFERENCE
from ..stats.disclosure import distribution_limit
from ..words import count_text, t
from .appendix import data_source
from .parts import heading_and_paragraphs
from .view import AnyBlock, Cell, Heading, Paragraph, Section, Table

if TYPE_CHECKING:
    from .profile import DepartmentProfile


def appendix_section(p: DepartmentProfile) -> Section:
    """Return the method note and the department's table of values and focus areas."""
    lang = p.lang
    heading = Heading(t(lang, "Bilag", "Appendix"))
    if p.all_hidden:
        # One page: no page break before a method note that is the only thing left to show.
        return Section("appendix", [heading, *method(p)], document="profile")
    return Section("appendix", [heading, *method(p), *figures_table(p)], document="profile", page_break=True)


def method(p: DepartmentProfile) -> list[AnyBlock]:
    """Return the method in plain words: a heading and four paragraphs."""
    lang, s = p.lang, p.scores
    n, limit = s.min_n, distribution_limit(s.min_n)
    resamples = format_number(s.resamples, lang, 0)
    data = data_source(p.briefing.is_sample, lang)
    files = ", ".join(Path(f).name for f in p.briefing.response_files)
    mid = format_number(MINIMAL_IMPORTANT_DIFFERENCE, lang, 2)
    group = MERGED_GROUP_NAME[lang]
    if lang == "da":
        paras = [
            "Hvert spørgsmål beskriver en praksis, og den svarende vælger det af fem niveauer fra Ikke påbegyndt "
            "(1) til Førende (5), der bedst beskriver forvaltningens praksis; »Ved ikke« og »Ikke relevant« "
            "indgår ikke i scoren. Forvaltningens score på et spørgsmål er gennemsnittet af dens gyldige svar, "
            "et indsatsområdes score gennemsnittet af dets spørgsmål og en værdis score gennemsnittet af dens "
            "indsatsområder. Niveauet er det nærmeste hele niveau (halve rundes op). Kommunens score er "
            f"gennemsnittet af alle syv forvaltninger, som vejer lige meget; de små forvaltninger indgår gennem {group}, "
            "der vejer som det antal forvaltninger, gruppen består af.",
            f"Usikkerheden vises som {p.interval}ler beregnet med bootstrap: svarene trækkes {resamples} gange "
            f"med tilbagelægning inden for forvaltningen (fast startværdi {s.seed}), og hele beregningen gentages "
            "hver gang; for små grupper er intervallet udvidet (Hesterberg), så det også dér rammer rigtigt. "
            "Teksten kalder kun forvaltningen over eller under kommunen, eller én værdi stærkere end en anden, når "
            "intervallet for forskellen mellem dem, beregnet parvis i de samme genudtrækninger, ikke indeholder 0. "
            "En ændring kaldes kun en forbedring eller tilbagegang, når testen, justeret for at mange ændringer "
            f"testes på én gang, afviser tilfældighed, og ændringen er mindst {mid}. Et niveau med »?« er usikkert: "
            "intervallet krydser en niveaugrænse.",
            f"Anonymitet: Et resultat vises ikke, når færre end {n} har givet et gyldigt svar, og et antal under "
            f"{n} skrives »færre end {n}«. Det gælder overalt i profilen: score, interval, niveau, indsatsområder, "
            f"figurer, udvikling og tabeller. De små forvaltninger lægges sammen i {group}, hvis score vises med "
            "navnene på gruppens forvaltninger. Er gruppen for lille, eller har den kun én forvaltning, lægges "
            "den mindste af de viste forvaltninger også ind i gruppen, så ingen forvaltnings resultat kan regnes "
            "ud af de viste tal; dens eget resultat vises da heller ikke. "
            f"Svarfordelinger vises kun for grupper på mindst {limit}. Når ét indsatsområde er skjult, vises "
            "værdiens øvrige indsatsområder heller ikke, og spørgsmålenes enkelte gennemsnit vises ikke, så "
            "intet skjult tal kan regnes ud af de viste.",
            f"Data: {data} ({files}).",
        ]
    else:
        paras = [
            "Each question describes a practice, and the respondent picks the one of five levels from Not "
            "started (1) to Leading (5) that best describes the department's practice; 'don't know' and 'not "
            "applicable' are not scored. The department's score on a question is the mean of its valid answers, "
            "a focus area's score the mean of its questions and a value's score the mean of its focus areas. "
            "The level is the nearest whole level (halves round up). The municipal score is the mean of all "
            f"seven departments, each weighing the same; the small departments enter through {group}, which "
            "weighs as many departments as it has members.",
            f"Uncertainty is shown as {p.interval}s by bootstrap: the answers are redrawn {resamples} times "
            f"with replacement within the department (fixed seed {s.seed}) and the whole calculation is "
            "repeated each time; for small groups the interval is expanded (Hesterberg) so that it holds there "
            "too. The text calls the department above or below the municipality, or one value stronger than "
            "another, only when the interval of the difference between them, computed pairwise in the same "
            "redraws, excludes 0. A change is called an improvement or a decline only when its test, adjusted "
            f"for many changes being tested at once, rejects chance and the change is at least {mid}. A level "
            "marked '?' is uncertain: its interval crosses a level boundary.",
            f"Anonymity: a result is not shown when fewer than {n} gave a valid answer, and a count under {n} "
            f"reads 'fewer than {n}'. This holds everywhere in the profile: score, interval, level, focus areas, "
            f"charts, change and tables. The small departments are pooled into {group}, whose score is shown "
            "with the names of its departments. When the group is too small or has one department only, the "
            "smallest of the departments shown joins it too, so that no department's result can be worked out "
            "from the figures shown; its own result is then not shown either. Answer "
            f"distributions are shown only for groups of at least {limit}. When one focus area is hidden, the "
            "value's other focus areas are not shown either, and the questions' own means are not shown, so no "
            "hidden number can be worked out from the ones shown.",
            f"Data: {data} ({files}).",
        ]
    title = t(lang, "Metode", "Method")
    return heading_and_paragraphs(title, paras)


def figures_table(p: DepartmentProfile) -> list[AnyBlock]:
    """Return the department's figures: each value (bold) and its focus areas under it, with n and level."""
    lang = p.lang
    cells = p.cells()
    fa = p.focus_areas_table().set_index("focus_area")
    columns = (
        Cell(t(lang, "Værdi og indsatsområde", "Value and focus area")),
        Cell("Score", "num"),
        Cell(p.interval, "num"),
        Cell("n", "num"),
        Cell(t(lang, "Niveau", "Level")),
    )
    rows = []
    for value in p.codebook.values:
        c = cells.loc[value.id]
        name = Cell(strong=value.name(lang), style="head")
        if c["suppressed"]:
            # The words take the place of the score, the interval, n and the level.
            rows.append((name, Cell(p.merged_cell_text(value.id), "hidden", span=4)))
            continue
        rows.append(
            (
                name,
                Cell(strong=p.number(c["score"], 2), style="num"),
                Cell(p.ci(c["ci_low"], c["ci_high"], 2), "num"),
                Cell(count_text(c["n"], p.min_n, lang), "num"),
                Cell(p.level_name(c["level"], bool(c["level_uncertain"]))),
            )
        )
        for area in value.focus_areas:
            label = Cell(area.name_en if lang == "en" else area.name_da, "head sub")
            r = fa.loc[area.id] if area.id in fa.index else None
            if r is None or not r["shown"]:
                rows.append((label, Cell(p.hidden, "hidden", span=4)))
                continue
            rows.append(
                (
                    label,
                    Cell(p.number(r["score"], 2), "num"),
                    Cell(p.ci(r["ci_low"], r["ci_high"], 2), "num"),
                    Cell(count_text(r["n"], p.min_n, lang), "num"),
                    Cell(p.level_name(r["level"], bool(r["level_uncertain"]))),
                )
            )
    intro = t(
        lang,
        f"{p.name}s værdier og indsatsområder i {p.wave}: score (1-5), {p.interval}, antal "
        "svarende (n) og niveau; »?« betyder, at niveauet er usikkert.",
        f"The values and focus areas of {p.name} in {p.wave}: score (1-5), {p.interval}, number "
        "of respondents (n) and level; '?' means the level is uncertain.",
    )
    return [
        Heading(t(lang, "Forvaltningens tal", "The department’s figures"), 3),
        Paragraph.of(intro),
        Table(columns, tuple(rows), "profile-table"),
    ]
