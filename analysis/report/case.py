"""The briefing's Sagsfremstilling: the findings with their figures, and examples of innovation work.

:func:`case_section` makes the section from a :class:`analysis.report.briefing.Briefing`: the
maturity on the five values, the departments (and which are hidden), partnerships and
innovation with the cases of ``data/cases.yaml``, the change since the previous wave, the
answer "don't know", and the answer distributions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .. import config
from ..formatting import format_interval, format_share, join_names
from ..stats.disclosure import distribution_limit
from ..survey.cases import Case, load_cases
from ..words import change_word, organisation, t, threshold_text
from .briefing import INNOVATION
from .html import Html, escape
from .narrative import sentence_changes, sentence_coverage, sentence_share_high, sentence_value_extreme

if TYPE_CHECKING:
    from .briefing import Briefing


def case_section(b: Briefing) -> Html:
    """Return the Sagsfremstilling: findings with figures, then examples of innovation work."""
    lang, names, ci = b.lang, b.value_names(), b.interval
    muni = b.municipal_cells()
    prev, min_n = b.previous_wave, b.scores.min_n
    out = [
        f"<h2>{escape(t(lang, 'Sagsfremstilling', 'The case and findings'))}</h2>",
        "<p>"
        + escape(
            t(
                lang,
                f"{organisation('policy', lang)} {organisation('policy_period')} følges op hvert år, og opfølgningen "
                f"forelægges {organisation('committee', lang)}. "
                "Økonomiforvaltningen har derfor spurgt de indkøbsfaglige medarbejdere i forvaltningerne, "
                "hvor langt deres forvaltning er på hver af politikkens fem ligeværdige værdier, med "
                "særligt fokus på partnerskaber og innovation. Hvert spørgsmål besvares på fem niveauer fra "
                f"Ikke påbegyndt (1) til Førende (5). Alle tal vises med et {ci}, og teksten kalder "
                "kun én værdi eller forvaltning højere eller lavere end en anden, når forskellen mellem dem er "
                "klar; ellers ligger de på niveau med hinanden. Et »?« efter et niveau betyder, at niveauet er usikkert.",
                f"{organisation('policy', lang)} {organisation('policy_period')} is followed up every year and the "
                f"follow-up is presented to {organisation('committee', lang)}. The Finance Administration therefore asked the procurement staff "
                "of the departments how far their department has come on each of the policy's five equal "
                "values, with a focus on partnerships and innovation. Each question is answered on five "
                f"levels from Not started (1) to Leading (5). Every number comes with a {ci}, and the "
                "text calls one value or department higher or lower than another only when the difference "
                "between them is clear; otherwise they are on level. A '?' after a level means the level is "
                "uncertain.",
            )
        )
        + "</p>",
    ]

    out.append(f"<h3>{escape(t(lang, 'Modenhed på de fem værdier', 'Maturity on the five values'))}</h3>")
    values = muni.assign(level_name=[b.level_name(lv) for lv in muni["level"]])
    members = b.group_members()
    value_text = [
        sentence_value_extreme(values, b.value_pairs, "lowest", names, lang),
        sentence_value_extreme(values, b.value_pairs, "highest", names, lang),
        sentence_share_high(b.share_high(), names, lang),
        sentence_coverage(
            muni.set_index("value")["score"], b.published_only_scores(), names, join_names(members, lang), lang
        )
        if members
        else "",
    ]
    out.append("<p>" + escape(" ".join(x for x in value_text if x)) + "</p>")
    out.append(
        b.figure(
            "values",
            t(
                lang,
                f"Kommunens modenhed pr. værdi i {b.wave}: gennemsnit af alle forvaltninger (de mindste samlet "
                f"som {config.MERGED_GROUP_NAME[lang]}) med {ci} og antal forvaltninger og svarende (n).",
                f"The municipality's maturity per value in {b.wave}: mean of every department (the smallest "
                f"together as {config.MERGED_GROUP_NAME[lang]}) with {ci} and the number of departments and "
                "respondents (n).",
            ),
        )
    )

    out.append(f"<h3>{escape(t(lang, 'Forvaltningerne', 'The departments'))}</h3>")
    out.append("<p>" + escape(suppression_sentence(b)) + "</p>")
    out.append(
        b.figure(
            "heatmap",
            t(
                lang,
                f"Modenhed pr. forvaltning og værdi i {b.wave} med niveau, score og antal svarende (n). Grå, "
                f"skraverede felter er skjult af hensyn til anonymiteten (færre end {min_n} svar). "
                "»?« betyder, at intervallet krydser en niveaugrænse, så niveauet er usikkert.",
                f"Maturity per department and value in {b.wave} with level, score and respondents (n). Grey hatched "
                f"cells are hidden to protect anonymity (fewer than {min_n} answers). '?' means the "
                "interval crosses a level boundary, so the level is uncertain.",
            ),
        )
    )

    out.append(f"<h3>{escape(names[INNOVATION])}</h3>")
    innovation = b.innovation_sentence()
    if innovation:
        out.append("<p>" + escape(innovation) + "</p>")
    out.append(
        b.figure(
            "innovation",
            t(
                lang,
                f"{names[INNOVATION]} pr. forvaltning i {b.wave} med {ci}; den lodrette linje er kommunens gennemsnit.",
                f"{names[INNOVATION]} per department in {b.wave} with {ci}; the vertical line is the municipal mean.",
            ),
        )
    )
    out.append(cases_table(load_cases(), lang))

    if prev is not None:
        out.append(f"<h3>{escape(t(lang, f'Udvikling siden {prev}', f'Change since {prev}'))}</h3>")
        changes = b.changes
        out.append(
            "<p>"
            + escape(
                " ".join(
                    filter(
                        None,
                        [
                            sentence_changes(changes[changes["department"] == config.MUNICIPALITY], names, prev, lang),
                            department_change_sentence(b, changes),
                        ],
                    )
                )
            )
            + "</p>"
        )
        out.append(
            b.figure(
                "trend",
                t(
                    lang,
                    f"Kommunens modenhed pr. værdi og år med {ci}. Hvert år dækker alle forvaltninger, så årene "
                    "sammenlignes på samme grundlag.",
                    f"The municipality's maturity per value and year with {ci}. Every year covers every "
                    "department, so the years compare like with like.",
                ),
            )
        )
        out.append(change_table(b, changes))

    flag = threshold_text(config.DONT_KNOW_FLAG, lang, spaced=True)
    out.append(f"<h3>{escape(t(lang, 'Kendskab: svaret »Ved ikke«', 'Awareness: the answer “don’t know”'))}</h3>")
    out.append("<p>" + escape(dont_know_sentence(b)) + "</p>")
    out.append(
        b.figure(
            "dont_know",
            t(
                lang,
                f"Andel »Ved ikke« af de afgivne svar pr. forvaltning og værdi i {b.wave}. Over {flag} er markeret.",
                f"Share of 'don't know' among the answers given per department and value in {b.wave}. Above {flag} "
                "is marked.",
            ),
        )
    )

    limit = distribution_limit(min_n)
    out.append(f"<h3>{escape(t(lang, 'Svarfordelinger', 'Answer distributions'))}</h3>")
    out.append(
        "<p>"
        + escape(
            t(
                lang,
                "Fordelingen af svarene på de fem niveauer viser, om en middelscore dækker over enighed eller "
                "spredning. Niveau 1-2 står til venstre for midten, niveau 4-5 til højre, og niveau 3 deles af "
                "midterlinjen. Fordelinger pr. forvaltning står i bilag 5 for forvaltninger med mindst "
                f"{limit} svarende.",
                "The distribution of the answers over the five levels shows whether a mean hides agreement or "
                "spread. Levels 1-2 are left of the centre, levels 4-5 right of it, and level 3 is split by the "
                f"centre line. Distributions per department are in appendix 5 for departments with at least "
                f"{limit} respondents.",
            )
        )
        + "</p>"
    )
    out.append(
        b.figure(
            "distribution",
            t(
                lang,
                f"Svarfordeling pr. værdi i {b.wave} for forvaltningerne under ét (uden dem, hvis fordeling kunne "
                "regnes baglæns); »Ved ikke« og »Ikke "
                "relevant« til højre som andel af alle svar.",
                f"Answer distribution per value in {b.wave} for the departments together (leaving out those whose "
                "distribution could be worked out backwards); 'don't know' and "
                "'not applicable' on the right as shares of all answers.",
            ),
        )
    )
    return Html("\n".join(out))


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
        f"Blandt forvaltningerne er der {'; og '.join(parts)} (bilag 3).",
        f"Among the departments there is {'; and '.join(parts)} (appendix 3).",
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


def cases_table(cases: list[Case], lang: str) -> str:
    """Return the examples of innovation work as a table; nothing when there are none."""
    if not cases:
        return ""
    rows = [
        f"<tr><td>{escape(case.kind.name(lang))}</td><td>{escape(case.department)}</td>"
        f"<td><strong>{escape(case.title(lang))}</strong><br>{escape(case.text(lang))}</td></tr>"
        for case in cases
    ]
    head = t(
        lang, "<th>Type</th><th>Forvaltning</th><th>Eksempel</th>", "<th>Kind</th><th>Department</th><th>Case</th>"
    )
    intro = t(
        lang,
        "Forvaltningerne har beskrevet tre slags innovationsarbejde i indkøbet:",
        "The departments described three kinds of innovation work in procurement:",
    )
    return (
        f'<p>{escape(intro)}</p><table class="cases"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def change_table(b: Briefing, changes: pd.DataFrame) -> str:
    """Return the municipality's change per value since the previous wave, with its verdict."""
    lang, names, ci = b.lang, b.value_names(), b.interval
    muni = changes[changes["department"] == config.MUNICIPALITY]
    head = t(
        lang,
        "<th>Værdi</th><th class='num'>Ændring</th>"
        f"<th class='num'>{ci}</th><th class='num'>Forvaltninger</th><th>Vurdering</th>",
        "<th>Value</th><th class='num'>Change</th>"
        f"<th class='num'>{ci}</th><th class='num'>Departments</th><th>Verdict</th>",
    )
    rows = []
    for r in muni.itertuples():
        sign = "+" if r.diff > 0 else ""
        rows.append(
            f"<tr><td>{escape(names[r.value])}</td><td class='num'>{sign}{b.number(r.diff, 2)}</td>"
            f"<td class='num'>{format_interval(r.ci_low, r.ci_high, lang, 2)}</td>"
            f"<td class='num'>{r.n_departments}</td><td>{escape(change_word(r.verdict, lang))}</td></tr>"
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
    return (
        f"<table class='changes keep'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<p class='note'>{escape(note)}</p>"
    )
