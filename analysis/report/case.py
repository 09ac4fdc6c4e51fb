"""The briefing's Sagsfremstilling: the findings with their figures, and examples of innovation work.

:func:`case_section` makes the memo's section from a :class:`analysis.report.briefing.Briefing`:
the maturity on the five values, the departments (and which are hidden, and the answer "don't
know"), partnerships and innovation with the cases of ``data/cases.yaml``, and the change since
the previous wave: three figures, in plain words. The detail (the innovation chart, the change
tables, the distributions) is in Bilag 2 (:mod:`analysis.report.appendix`), which the text
links to. Every part is a view-model block (:mod:`analysis.report.view`); the templates make HTML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .. import config
from ..formatting import format_interval, format_share, join_names
from ..words import change_word, organisation, t, threshold_text
from .innovation import memo_blocks
from .narrative import sentence_changes, sentence_share_high, sentence_value_extreme
from .texts import Run
from .view import Cell, Heading, Paragraph, Section, Table

if TYPE_CHECKING:
    from .briefing import Briefing


def bilag_ref(b: Briefing, number: int) -> Run:
    """Return "(bilag 2)" as a link to that Bilag in the Bilag document."""
    return Run(t(b.lang, f"bilag {number}", f"appendix {number}"), href=f"bilag.html#bilag-{number}")


def case_section(b: Briefing) -> Section:
    """Return the Sagsfremstilling: findings with three figures, then examples of innovation work."""
    lang, names = b.lang, b.value_names()
    muni = b.municipal_cells()
    prev = b.previous_wave
    blocks: list = [
        Heading(t(lang, "Sagsfremstilling", "The case and findings"), 2, "sagsfremstilling"),
        Paragraph.of(
            t(
                lang,
                f"{organisation('policy', lang)} {organisation('policy_period')} følges op hvert år over for "
                f"{organisation('committee', lang)}. Økonomiforvaltningen har spurgt de indkøbsfaglige medarbejdere, "
                "hvor langt deres forvaltning er på politikkens fem værdier, fra Ikke påbegyndt (1) til Førende (5), "
                "med særligt fokus på partnerskaber og innovation. Tallene bygger på et begrænset antal svar, og "
                "figurerne viser usikkerheden. Teksten kalder kun en værdi eller forvaltning højere eller lavere end "
                "en anden, når forskellen er klar; »?« efter et niveau betyder, at niveauet er usikkert. Metoden "
                "står i ",
                f"{organisation('policy', lang)} {organisation('policy_period')} is followed up every year before "
                f"{organisation('committee', lang)}. The Finance Administration asked the procurement staff how far "
                "their department has come on the policy's five values, from Not started (1) to Leading (5), with a "
                "focus on partnerships and innovation. The numbers rest on a limited number of answers, and the "
                "figures show the uncertainty. The text calls a value or department higher or lower than another "
                "only when the difference is clear; a '?' after a level means the level is uncertain. The method is "
                "in ",
            ),
            bilag_ref(b, 1),
            ".",
        ),
    ]

    if not b.publishable:
        blocks.append(Paragraph.of(b.nothing_shown_sentence()))
        return Section("case", blocks)
    blocks.append(Heading(t(lang, "Modenhed på de fem værdier", "Maturity on the five values"), 3, "vaerdier"))
    values = muni.assign(level_name=[b.level_name(lv) for lv in muni["level"]])
    value_text = [
        sentence_value_extreme(values, b.value_pairs, "lowest", names, lang),
        sentence_value_extreme(values, b.value_pairs, "highest", names, lang),
        sentence_share_high(b.share_high(), names, lang),
    ]
    value_paragraph = Paragraph.of(" ".join(x for x in value_text if x))
    blocks.append(
        b.figure(
            "values",
            t(
                lang,
                f"Kommunens modenhed pr. værdi i {b.wave}: gennemsnit af alle forvaltninger (de mindste samlet "
                f"som {config.MERGED_GROUP_NAME[lang]}) med usikkerhed og antal forvaltninger og svarende (n).",
                f"The municipality's maturity per value in {b.wave}: mean of every department (the smallest "
                f"together as {config.MERGED_GROUP_NAME[lang]}) with its uncertainty and the number of "
                "departments and respondents (n).",
            ),
        )
    )
    blocks.append(value_paragraph)

    blocks.append(Heading(t(lang, "Forvaltningerne", "The departments"), 3, "forvaltninger"))
    blocks.append(
        b.figure(
            "heatmap",
            t(
                lang,
                f"Modenhed pr. forvaltning og værdi i {b.wave} med niveau, score og antal svarende (n). Skraverede "
                f"felter er skjult af hensyn til anonymiteten (færre end {b.scores.min_n} svar).",
                f"Maturity per department and value in {b.wave} with level, score and respondents (n). Hatched "
                f"cells are hidden to protect anonymity (fewer than {b.scores.min_n} answers).",
            ),
        )
    )
    blocks.append(Paragraph.of(suppression_sentence(b)))
    blocks.append(Paragraph.of(dont_know_sentence(b).rstrip("."), " (", bilag_ref(b, 3), ")."))

    blocks.extend(memo_blocks(b))

    if prev is not None:
        blocks.append(Heading(t(lang, f"Udvikling siden {prev}", f"Change since {prev}"), 3, "udvikling"))
        changes = b.changes
        text = [
            sentence_changes(changes[changes["department"] == config.MUNICIPALITY], names, prev, lang),
            department_change_sentence(b, changes),
        ]
        blocks.append(
            b.figure(
                "trend",
                t(
                    lang,
                    "Kommunens modenhed pr. værdi og år med usikkerhed. Hvert år dækker alle forvaltninger, så årene "
                    "sammenlignes på samme grundlag.",
                    "The municipality's maturity per value and year with its uncertainty. Every year covers every "
                    "department, so the years compare like with like.",
                ),
            )
        )
        blocks.append(Paragraph.of(" ".join(filter(None, text)).rstrip("."), " (", bilag_ref(b, 2), ")."))
    return Section("case", blocks)


def department_change_sentence(b: Briefing, changes: pd.DataFrame) -> str:
    """Name the departments with a clear change, each with the values it changed on."""
    lang, names = b.lang, b.value_names()
    depts = changes[(changes["department"] != config.MUNICIPALITY) & ~changes["suppressed"]]
    n_values = len(b.codebook.values)
    parts = []
    for verdict in ("improvement", "decline"):
        rows = depts[depts["verdict"] == verdict]
        if rows.empty:
            continue
        items = []
        for dept, g in rows.groupby("department", sort=False):
            if len(g) == n_values:
                values = t(lang, "alle værdier", "every value")
            else:
                values = join_names([names[v].lower() if lang == "da" else names[v] for v in g["value"]], lang)
            items.append(f"{dept} {t(lang, 'på', 'on')} {values}")
        parts.append(
            t(
                lang,
                f"en klar {change_word(verdict, lang)} for {join_names(items, lang)}",
                f"a clear {change_word(verdict, lang)} for {join_names(items, lang)}",
            )
        )
    if not parts:
        return t(
            lang,
            "Ingen enkelt forvaltning har en klar ændring på nogen værdi.",
            "No single department shows a clear change on any value.",
        )
    return t(
        lang,
        f"Blandt forvaltningerne er der {'; og '.join(parts)}.",
        f"Among the departments there is {'; and '.join(parts)}.",
    )


def dont_know_sentence(b: Briefing) -> str:
    """Say where the share of "don't know" is largest and which departments are over the flag."""
    lang, names = b.lang, b.value_names()
    dk = b.scores.dont_know
    dk = dk[(dk["wave"] == b.wave) & ~dk["suppressed"]]
    share = b.scores.pooled_dont_know_share(b.wave).reindex(b.codebook.value_ids)
    top = share.idxmax()
    # "Over 30 %" only where the share's whole interval lies above the threshold (method.md step 7).
    flagged = dk[dk["flag_clear"] == True]  # noqa: E712 - the column can hold NaN
    flag = threshold_text(config.DONT_KNOW_FLAG, lang, spaced=True)
    value_name = names[top].lower() if lang == "da" else names[top]
    first = t(
        lang,
        f"Andelen »Ved ikke« er størst på {value_name}: {format_share(share[top], lang)} af svarene i alle "
        f"forvaltninger.",
        f"The share of 'don't know' is largest on {value_name}: {format_share(share[top], lang)} of the "
        "answers in every department.",
    )
    if flagged.empty:
        second = t(
            lang,
            f"Ingen forvaltning har klart over {flag} »Ved ikke« på en værdi.",
            f"No department has clearly more than {flag} 'don't know' on a value.",
        )
    else:
        items = [
            f"{b.group_names(r.value).get(r.department, r.department)} "
            f"({(names[r.value].lower() if lang == 'da' else names[r.value])}, "
            f"{format_share(r.dont_know_share, lang)})"
            for r in flagged.itertuples()
        ]
        second = t(
            lang,
            f"Over {flag} svarer »Ved ikke« i {join_names(items, lang)}. Når mange ikke ved, hvordan "
            "forvaltningen arbejder, er det i sig selv et tegn på lav modenhed.",
            f"More than {flag} answer 'don't know' in {join_names(items, lang)}. When many do not know "
            "how their department works, that is itself a sign of low maturity.",
        )
    return f"{first} {second}"


def suppression_sentence(b: Briefing) -> str:
    """Say which departments are pooled in the merged group on which values, and why."""
    lang, names, min_n = b.lang, b.value_names(), b.scores.min_n
    cells = b.department_cells()
    groups = cells[cells["department"] == config.MERGED_GROUP]
    if groups.empty:
        return t(lang, "Alle forvaltninger kan vises på alle værdier.", "Every department can be shown on every value.")
    by_members: dict[str, list[str]] = {}
    for row in groups.itertuples():
        by_members.setdefault(row.members, []).append(row.value)
    parts = []
    for members, values in by_members.items():
        codes = members.split("+")
        on = (
            t(lang, "alle værdier", "every value")
            if len(values) == len(b.codebook.values)
            else join_names([names[v].lower() if lang == "da" else names[v] for v in values], lang)
        )
        parts.append(t(lang, f"{join_names(codes, lang)} på {on}", f"{join_names(codes, lang)} on {on}"))
    return t(
        lang,
        f"Forvaltninger, hvor færre end {min_n} har svaret, vises ikke hver for sig, men samlet som "
        f"»{config.MERGED_GROUP_NAME[lang]}«: {'; '.join(parts)}. Når kun én forvaltning er for lille, lægges "
        f"den mindste af de andre til, så ingens resultat kan regnes baglæns. Kommunens tal dækker alle "
        f"forvaltninger; {config.MERGED_GROUP_NAME[lang]} tæller med så mange forvaltninger, som gruppen rummer.",
        f"Departments where fewer than {min_n} answered are not shown on their own but together as "
        f"'{config.MERGED_GROUP_NAME[lang]}': {'; '.join(parts)}. When only one department is too small, the "
        f"smallest of the others joins it, so that no one's result can be worked out backwards. The municipal "
        f"figures cover every department; {config.MERGED_GROUP_NAME[lang]} counts as many departments as it holds.",
    )


def change_table(b: Briefing, changes: pd.DataFrame) -> list:
    """Return the municipality's change per value since the previous wave, with its verdict and the test's note."""
    lang, names, ci = b.lang, b.value_names(), b.interval
    muni = changes[changes["department"] == config.MUNICIPALITY]
    columns = (
        Cell(t(lang, "Værdi", "Value")),
        Cell(t(lang, "Ændring", "Change"), "num"),
        Cell(ci, "num"),
        Cell(t(lang, "Forvaltninger", "Departments"), "num"),
        Cell(t(lang, "Vurdering", "Verdict")),
    )
    rows = []
    for r in muni.itertuples():
        sign = "+" if r.diff > 0 else ""
        rows.append(
            (
                Cell(names[r.value], "head"),
                Cell(f"{sign}{b.number(r.diff, 2)}", "num"),
                Cell(format_interval(r.ci_low, r.ci_high, lang, 2), "num"),
                Cell(str(r.n_departments), "num"),
                Cell(change_word(r.verdict, lang)),
            )
        )
    from ..stats.changes import MINIMAL_IMPORTANT_DIFFERENCE

    mid = b.number(MINIMAL_IMPORTANT_DIFFERENCE, 2)
    note = t(
        lang,
        "Ændringen sammenligner hele kommunen i begge år. De fem ændringer testes samlet (Holm), og en ændring "
        f"kaldes en forbedring eller et fald, kun når testen er klar og ændringen er mindst {mid}.",
        "The change compares the whole municipality in both years. The five changes are tested together (Holm), "
        f"and a change is called an improvement or a decline only when the test is clear and it is at least {mid}.",
    )
    return [Table(tuple(columns), tuple(rows), "changes", keep=True), Paragraph.of(note, style="note")]
