"""The department profile's longer sections: values, focus areas, distributions, trend, appendix.

Each function makes one section from a :class:`analysis.report.profile.DepartmentProfile`, which
holds the numbers; a department hidden on every value gets an empty section (the appendix keeps
its method note).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..formatting import join_names
from ..stats.changes import MINIMAL_IMPORTANT_DIFFERENCE
from ..stats.comparisons import ABOVE, BELOW, ON_LEVEL
from ..stats.disclosure import distribution_limit
from ..words import change_word, count_text, hidden_word, quote_item, t
from .html import Html, escape
from .narrative import sentence_changes

if TYPE_CHECKING:
    from .profile import DepartmentProfile


#: How many focus areas "What the data point to" names.
N_FOCUS_POINTS = 3
#: How many of a focus area's lowest-scoring items are named at most.
N_ITEMS = 2


def values_section(p: DepartmentProfile) -> Html:
    """Return the five values: the department beside the municipality, as a chart and a table."""
    if p.all_hidden:
        return Html("")
    lang = p.lang
    comp = p.comparison()
    # The chart right under the heading, so the two move to a new page together.
    intro = (
        "<p>"
        + escape(
            t(
                lang,
                f"Figuren viser forvaltningens score på hver af indkøbspolitikkens fem værdier med {p.interval}, "
                "og kommunens gennemsnit lige under. Forvaltningen kaldes kun over eller under kommunen, når "
                f"{p.interval}let for forskellen mellem dem ikke indeholder 0; forskellen er beregnet parvis, i de "
                "samme genudtrækninger af svarene.",
                "The chart shows the department's score on each of the procurement policy's five values with "
                f"its {p.interval}, and the municipal average just below it. The department is called above or "
                f"below the municipality only when the {p.interval} of the difference between them excludes 0; "
                "the difference is computed pairwise, in the same redraws of the answers.",
            )
        )
        + "</p>"
    )
    out = [
        f"<h2>{escape(t(lang, 'Modenhed på de fem værdier', 'Maturity on the five values'))}</h2>",
        p.figure(
            "values",
            t(
                lang,
                f"Modenhed i {p.name} pr. værdi i {p.wave} (blå prik) og kommunens gennemsnit af alle "
                f"forvaltninger (grå), begge med {p.interval}; n er antal svarende i forvaltningen."
                + (
                    " En værdi, hvor forvaltningens svar tælles med i Øvrige forvaltninger, er skjult."
                    if comp["suppressed"].any()
                    else ""
                ),
                f"Maturity in {p.name} per value in {p.wave} (blue dot) and the municipal average of all "
                f"departments (grey), both with {p.interval}; n is the department's respondents."
                + (
                    " A value on which the department's answers are counted in Other departments is hidden."
                    if comp["suppressed"].any()
                    else ""
                ),
            ),
        ),
        intro,
    ]
    words = {
        ABOVE: t(lang, "klart over", "clearly above"),
        BELOW: t(lang, "klart under", "clearly below"),
        ON_LEVEL: t(lang, "på niveau", "on level"),
        "": "–",
    }
    head = t(
        lang,
        f"<th>Værdi</th><th class='num'>{escape(p.department)}</th><th class='num'>{p.interval}</th>"
        f"<th>Niveau</th><th class='num'>n</th><th class='num'>Kommunen</th><th class='num'>{p.interval}</th>"
        "<th>Forvaltningen ligger</th>",
        f"<th>Value</th><th class='num'>{escape(p.department)}</th><th class='num'>{p.interval}</th>"
        f"<th>Level</th><th class='num'>n</th><th class='num'>Municipality</th><th class='num'>{p.interval}</th>"
        "<th>The department is</th>",
    )
    rows = []
    for vid, r in comp.iterrows():
        muni = (
            f"<td class='num'>{p.number(r['muni_score'], 2)}</td>"
            f"<td class='num'>{p.ci(r['muni_low'], r['muni_high'], 2)}</td>"
        )
        if r["suppressed"]:
            rows.append(
                f"<tr><td>{escape(p.short(vid))}</td><td class='hidden' colspan='3'>"
                f"{escape(p.merged_cell_text(vid))}</td>"
                f"<td class='num hidden'>{escape(count_text(p.merged().loc[vid, 'own_n'], p.min_n, lang))}</td>"
                f"{muni}<td class='hidden'>–</td></tr>"
            )
            continue
        cls = " class='flag'" if r["position"] in (ABOVE, BELOW) else ""
        rows.append(
            f"<tr><td>{escape(p.short(vid))}</td><td class='num'><strong>{p.number(r['score'], 2)}"
            f"</strong></td><td class='num'>{p.ci(r['ci_low'], r['ci_high'], 2)}</td>"
            f"<td>{escape(p.level_name(r['level'], bool(r['level_uncertain'])))}</td>"
            f"<td class='num'>{count_text(r['n'], p.min_n, lang)}</td>{muni}<td{cls}>{escape(words[r['position']])}</td></tr>"
        )
    note = t(
        lang,
        "Score på skalaen 1-5 og niveau; »?« betyder, at intervallet krydser en niveaugrænse, så "
        "niveauet er usikkert. Kommunens tal er gennemsnittet af alle syv forvaltninger, denne "
        "forvaltning medregnet; de små forvaltninger indgår gennem Øvrige forvaltninger, der vejer som "
        "det antal forvaltninger, gruppen består af. Over eller under kommunen: intervallet for den "
        "parvise forskel ligger helt over eller under 0.",
        "Score on the 1-5 scale and level; '?' means the interval crosses a level boundary, so the level "
        "is uncertain. The municipal figure is the mean of all seven departments, this one included; the "
        "small departments enter through Other departments, which weighs as many departments as it has "
        "members. Above or below the municipality: the interval of the paired difference lies wholly above "
        "or below 0.",
    )
    out.append(
        f"<table class='profile-values keep'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}"
        f"</tbody></table><p class='note'>{escape(note)}</p>"
    )
    return Html("\n".join(out))


def focus_areas_section(p: DepartmentProfile) -> Html:
    """Return each value's lowest-scoring focus area, and the three to look at first."""
    if p.all_hidden:
        return Html("")
    lang = p.lang
    cells = p.cells()
    fa = p.focus_areas_table()
    muni_fa = p.municipal_focus_areas()
    out = [
        f"<h2>{escape(t(lang, 'Indsatsområder', 'Focus areas'))}</h2>",
        "<p>"
        + escape(
            t(
                lang,
                "Hver værdi består af flere indsatsområder. Tabellen viser for hver værdi det indsatsområde, "
                "hvor forvaltningen scorer lavest, med kommunens gennemsnit for samme indsatsområde (de "
                "forvaltninger og den gruppe Øvrige forvaltninger, hvis indsatsområde vises).",
                "Each value consists of several focus areas. The table shows, for each value, the focus area "
                "where the department scores lowest, with the municipal average for the same focus area (the "
                "departments, and the group Other departments, whose focus area is shown).",
            )
        )
        + "</p>",
    ]
    head = t(
        lang,
        "<th>Værdi</th><th>Lavest scorende indsatsområde</th><th class='num'>Score</th>"
        f"<th class='num'>{p.interval}</th><th class='num'>Kommunen</th>",
        "<th>Value</th><th>Lowest-scoring focus area</th><th class='num'>Score</th>"
        f"<th class='num'>{p.interval}</th><th class='num'>Municipality</th>",
    )
    rows = []
    values_hidden = False
    for vid in p.codebook.value_ids:
        name = escape(p.short(vid))
        if cells.loc[vid, "suppressed"]:
            rows.append(
                f"<tr><td>{name}</td><td class='hidden' colspan='4'>{escape(p.merged_cell_text(vid))}</td></tr>"
            )
            continue
        g = fa[(fa["value"] == vid) & fa["shown"]]
        if g.empty:  # scoring hides every focus area of a value when one is hidden
            values_hidden = True
            rows.append(
                f"<tr><td>{name}</td><td class='hidden' colspan='4'>{escape(focus_areas_hidden_text(p))}</td></tr>"
            )
            continue
        low = g.loc[g["score"].idxmin()]
        rows.append(
            f"<tr><td>{name}</td><td>{escape(p.codebook.focus_area_name(low['focus_area'], lang))}</td>"
            f"<td class='num'><strong>{p.number(low['score'], 2)}</strong></td>"
            f"<td class='num'>{p.ci(low['ci_low'], low['ci_high'], 2)}</td>"
            f"<td class='num'>{p.number(muni_fa.get(low['focus_area'], np.nan), 2)}</td></tr>"
        )
    out.append(
        f"<table class='profile-focus keep'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    if values_hidden:
        out.append(
            "<p class='note'>"
            + escape(
                t(
                    lang,
                    f"Når ét indsatsområde under en værdi har færre end {p.min_n} svar, vises ingen af værdiens "
                    "indsatsområder: værdiens score er gennemsnittet af indsatsområderne, så det skjulte ellers kunne "
                    "regnes ud fra de andre.",
                    f"When one focus area of a value has fewer than {p.min_n} answers, none of the value's focus "
                    "areas is shown: the value's score is the mean of its focus areas, so the hidden one could "
                    "otherwise be worked out from the others.",
                )
            )
            + "</p>"
        )
    out.append(focus_points(p, fa, muni_fa))
    return Html("\n".join(out))


def focus_areas_hidden_text(p: DepartmentProfile) -> str:
    """Return the words for a value whose focus areas are hidden because one of them is small."""
    return t(
        p.lang,
        f"Indsatsområderne vises ikke: et af dem har færre end {p.min_n} svar",
        f"Focus areas not shown: one of them has fewer than {p.min_n} answers",
    )


def focus_points(p: DepartmentProfile, fa: pd.DataFrame, muni_fa: pd.Series) -> str:
    """Return "What the data point to": the lowest focus areas and their lowest items."""
    lang = p.lang
    out = [f"<h3>{escape(t(lang, 'Hvad data peger på', 'What the data point to'))}</h3>"]
    shown = fa[fa["shown"]].sort_values("score", kind="stable").head(N_FOCUS_POINTS)
    if shown.empty:
        out.append(
            "<p>"
            + escape(
                t(
                    lang,
                    "Ingen indsatsområder kan vises for forvaltningen.",
                    "No focus area of the department can be shown.",
                )
            )
            + "</p>"
        )
        return "\n".join(out)
    out.append(
        "<p>"
        + escape(
            t(
                lang,
                f"De {len(shown)} indsatsområder, hvor forvaltningen scorer lavest på tværs af værdierne, er oplagte "
                "emner for det videre arbejde. Under hvert står de udsagn i spørgeskemaet, som forvaltningen scorer "
                "lavest på; de kan være et konkret sted at begynde.",
                f"The {len(shown)} focus areas where the department scores lowest across the values are natural "
                "candidates for the next steps. Under each are the statements in the questionnaire the department "
                "scores lowest on; they may be a concrete place to start.",
            )
        )
        + "</p>"
    )
    items = p.scores.item
    items = items[
        (items["wave"] == p.wave)
        & (items["department"] == p.department)
        & ~items["suppressed"].astype(bool)
        & items["mean"].notna()
    ]
    # Quoted inside a sentence, so without their own full stop.
    texts = {it.id: (it.text_en if lang == "en" else it.text_da).strip().rstrip(".") for it in p.codebook.items}
    reverse = {it.id: it.reverse for it in p.codebook.items}
    entries = []
    paired = p.focus_area_comparison()
    for r in shown.itertuples():
        fa_name = p.codebook.focus_area_name(r.focus_area, lang)
        muni = muni_fa.get(r.focus_area, np.nan)
        where = paired["position"].get(r.focus_area, "")
        relation = ""
        if pd.notna(muni) and where:
            m = p.number(muni, 2)
            if where == BELOW:
                relation = t(
                    lang,
                    f"Kommunens gennemsnit er {m}, så forvaltningen ligger klart under.",
                    f"The municipal average is {m}, so the department is clearly below it.",
                )
            elif where == ABOVE:
                relation = t(
                    lang,
                    f"Kommunens gennemsnit er lavere ({m}): området er svagt i hele kommunen.",
                    f"The municipal average is lower ({m}): the area is weak across the municipality.",
                )
            else:
                relation = t(
                    lang,
                    f"Kommunens gennemsnit er {m}, så forvaltningen ligger på niveau med kommunen.",
                    f"The municipal average is {m}, so the department is on level with the municipality.",
                )
        own = items[items["focus_area"] == r.focus_area].sort_values("mean", kind="stable")
        # The items at or below the focus area's score pull it down; at least the lowest one.
        low = own[own["mean"] <= r.score + 1e-9].head(N_ITEMS)
        if low.empty:
            low = own.head(1)
        quoted = [quote_item(texts[i], reverse[i], lang) for i in low["item"]]
        if not quoted:
            item_text = t(
                lang,
                f"Hvert af områdets udsagn har færre end {p.min_n} svar, så de rangeres ikke",
                f"Each of the area's statements has fewer than {p.min_n} answers, so they are not ranked",
            )
        elif len(quoted) == 1:
            item_text = t(lang, f"Lavest scorer udsagnet {quoted[0]}", f"The lowest-scoring statement is {quoted[0]}")
        else:
            item_text = t(
                lang,
                f"Lavest scorer udsagnene {join_names(quoted, lang)}",
                f"The lowest-scoring statements are {join_names(quoted, lang)}",
            )
        entries.append(
            f"<li><strong>{escape(fa_name)}</strong> ({escape(p.value_name(r.value, lower=True))}): "
            f"{p.number(r.score, 2)} ({escape(p.interval)} "
            f"{p.ci(r.ci_low, r.ci_high, 2)}). {escape(relation)}"
            + (f"<br>{escape(item_text)}." if item_text else "")
            + "</li>"
        )
    out.append(f"<ol class='focus-points'>{''.join(entries)}</ol>")
    out.append(
        "<p class='note'>"
        + escape(
            t(
                lang,
                "Listen viser, hvor svarene ligger lavest, ikke hvad der er vigtigst; den er et udgangspunkt for "
                "forvaltningens egen drøftelse af, hvor den vil sætte ind. Spørgsmålenes enkelte gennemsnit vises ikke, "
                "så intet spørgsmål med få svar kan regnes ud.",
                "The list shows where the answers are lowest, not what matters most; it is a starting point for the "
                "department's own discussion of where to act. The questions' own means are not shown, so no question "
                "with few answers can be worked out.",
            )
        )
        + "</p>"
    )
    return "\n".join(out)


def distributions_section(p: DepartmentProfile) -> Html:
    """Return the department's answer distribution (n >= 2 min_n) and its don't-know shares."""
    if p.all_hidden:
        return Html("")
    lang = p.lang
    limit = distribution_limit(p.min_n)
    out = [f"<h2>{escape(t(lang, 'Svarfordeling og kendskab', 'Answer distribution and awareness'))}</h2>"]
    rows = p.distribution_rows()
    if p.shows_distribution:
        cells = p.cells()
        merged = [v for v in rows.index if cells.loc[v, "suppressed"]]
        not_shown = [
            p.value_name(v, lower=True)
            for v in rows.index
            if v not in merged and (not bool(rows.loc[v, "shown"]) or pd.isna(rows.loc[v, "shown"]))
        ]
        text = t(
            lang,
            "Fordelingen af forvaltningens svar på de fem niveauer viser, om scoren dækker over enighed "
            "eller spredning. Niveau 1-2 står til venstre for midten, niveau 4-5 til højre, og niveau 3 "
            "deles af midterlinjen.",
            "The distribution of the department's answers over the five levels shows whether its score "
            "hides agreement or spread. Levels 1-2 are left of the centre, levels 4-5 right of it, and "
            "level 3 is split by the centre line.",
        )
        if not_shown:
            text += " " + t(
                lang,
                f"På {join_names(not_shown, lang)} vises fordelingen ikke, fordi færre end "
                f"{limit} har svaret; fordelinger vises kun for grupper på mindst {limit}.",
                f"On {join_names(not_shown, lang)} the distribution is not shown because fewer than "
                f"{limit} answered; distributions are shown only for groups of at least {limit}.",
            )
        if merged:
            names = join_names([p.value_name(v, lower=True) for v in merged], lang)
            text += " " + t(
                lang,
                f"På {names} vises fordelingen heller ikke, fordi forvaltningens resultat dér ikke vises for sig.",
                f"On {names} the distribution is not shown either, because the department's result there is not "
                "shown on its own.",
            )
        out.append(f"<p>{escape(text)}</p>")
        out.append(
            p.figure(
                "distribution",
                t(
                    lang,
                    f"Svarfordeling pr. værdi i {p.wave}: {p.name}. »Ved ikke« og »Ikke relevant« til højre "
                    "som andel af alle svar.",
                    f"Answer distribution per value in {p.wave}: {p.name}. 'Don't know' and 'not applicable' on "
                    "the right as shares of all answers.",
                ),
            )
        )
    else:
        out.append(
            "<p>"
            + escape(
                t(
                    lang,
                    f"Svarfordelingen vises ikke, fordi færre end {limit} i forvaltningen har svaret på hver "
                    f"værdi. En fordeling viser mere end en score, så den vises kun for grupper på mindst {limit} "
                    f"(to gange mindstegrænsen på {p.min_n}).",
                    f"The answer distribution is not shown because fewer than {limit} in the department answered on "
                    f"each value. A distribution shows more than a score, so it is shown only for groups of at least "
                    f"{limit} (twice the minimum of {p.min_n}).",
                )
            )
            + "</p>"
        )
    out.append(dont_know_block(p))
    return Html("\n".join(out))


def dont_know_block(p: DepartmentProfile) -> str:
    lang = p.lang
    dk = p.dont_know()
    limit = p.flag
    out = [f"<h3>{escape(t(lang, 'Kendskab: svaret »Ved ikke«', 'Awareness: the answer “don’t know”'))}</h3>"]
    head = t(
        lang,
        f"<th>Værdi</th><th class='num'>{escape(p.department)}</th><th class='num'>Kommunen</th>",
        f"<th>Value</th><th class='num'>{escape(p.department)}</th><th class='num'>Municipality</th>",
    )
    rows = []
    for vid, r in dk.iterrows():
        if r["suppressed"] or pd.isna(r["share"]):
            own = f"<td class='num hidden'>{escape(p.hidden_short(vid))}</td>"
        else:
            own = (
                f"<td class='num{' flag' if r['flagged'] else ''}'>{p.share(r['share'])}"
                f"{' ▲' if r['flagged'] else ''}</td>"
            )
        muni = (
            f"<td class='num{' flag' if r['muni_flagged'] else ''}'>{p.share(r['muni_share'])}"
            f"{' ▲' if r['muni_flagged'] else ''}</td>"
        )
        rows.append(f"<tr><td>{escape(p.short(vid))}</td>{own}{muni}</tr>")
    flagged = [p.value_name(v, lower=True) for v in dk.index[dk["flagged"].astype(bool)]]
    if flagged:
        sentence = t(
            lang,
            f"Over {limit} af forvaltningens svar er »Ved ikke« på {join_names(flagged, lang)} "
            "(markeret ▲). Når mange ikke ved, hvordan forvaltningen arbejder, er det i sig selv "
            "et tegn på lav modenhed, og kendskabet kan være et sted at begynde.",
            f"More than {limit} of the department's answers are 'don't know' on "
            f"{join_names(flagged, lang)} (marked ▲). When many do not know how their department works, "
            "that is itself a sign of low maturity, and awareness may be a place to start.",
        )
    else:
        sentence = t(
            lang,
            f"Ingen af forvaltningens værdier har over {limit} »Ved ikke«.",
            f"None of the department's values has more than {limit} 'don't know'.",
        )
    intro = t(
        lang,
        "Andelen »Ved ikke« af de afgivne svar pr. værdi, ved siden af kommunens (alle forvaltninger under ét, "
        "de små gennem Øvrige forvaltninger).",
        "The share of 'don't know' among the answers given per value, beside the municipality's (all "
        "departments together, the small ones through Other departments).",
    )
    out.append(f"<p>{escape(intro)} {escape(sentence)}</p>")
    out.append(
        f"<table class='profile-dontknow keep'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return "\n".join(out)


def trend_section(p: DepartmentProfile) -> Html:
    """Return the department's scores over the waves and the change since the previous wave."""
    if p.all_hidden:
        return Html("")
    lang = p.lang
    out = [f"<h2>{escape(t(lang, 'Udvikling over tid', 'Change over time'))}</h2>"]
    if not p.has_trend:
        out.append(
            "<p>"
            + escape(
                t(
                    lang,
                    "Data har kun ét år, så udviklingen kan først vises, når undersøgelsen er gentaget.",
                    "The data hold one year only, so the change can be shown once the survey has been repeated.",
                )
            )
            + "</p>"
        )
        return Html("\n".join(out))
    waves = p.scores.waves
    out.append(
        p.figure(
            "trend",
            t(
                lang,
                f"Modenhed i {p.name} pr. værdi og år ({waves[0]}-{waves[-1]}) med {p.interval}; n under hvert "
                f"år er antal svarende. Et år, hvor færre end {p.min_n} svarede på værdien, eller hvor "
                "forvaltningens svar tælles med i Øvrige forvaltninger, er skjult.",
                f"Maturity in {p.name} per value and year ({waves[0]}-{waves[-1]}) with {p.interval}; n under each "
                f"year is the number of respondents. A year in which fewer than {p.min_n} answered on the value, or "
                "in which the department's answers are counted in Other departments, is hidden.",
            ),
        )
    )
    prev = p.previous_wave
    if prev is not None:
        out.append(f"<h3>{escape(t(lang, f'Ændring siden {prev}', f'Change since {prev}'))}</h3>")
        out.append(change_block(p, prev))
    return Html("\n".join(out))


def change_block(p: DepartmentProfile, prev: int) -> str:
    lang = p.lang
    changes = p.changes()
    before, now = p.cells(prev), p.cells()
    published = changes[~changes["suppressed"].astype("boolean").fillna(True).astype(bool)]
    hidden = [p.value_name(v, lower=True) for v in changes.index if v not in published.index]
    if published.empty:
        text = t(
            lang,
            f"Ændringen siden {prev} kan ikke vises på nogen værdi, fordi forvaltningens resultat var skjult i "
            f"et af årene (færre end {p.min_n} svar, eller svarene talt med i Øvrige forvaltninger).",
            f"The change since {prev} cannot be shown on any value, because the department's result was hidden "
            f"in one of the years (fewer than {p.min_n} answers, or the answers counted in Other departments).",
        )
    else:
        names = {v: p.codebook.value_name(v, lang) for v in p.codebook.value_ids}
        text = sentence_changes(published.reset_index(), names, prev, lang)
        if hidden:
            text += " " + t(
                lang,
                f"På {join_names(hidden, lang)} kan ændringen ikke vises, fordi forvaltningens resultat "
                f"var skjult i et af årene (færre end {p.min_n} svar, eller svarene talt med i Øvrige forvaltninger).",
                f"On {join_names(hidden, lang)} the change cannot be shown, because the department's result "
                f"was hidden in one of the years (fewer than {p.min_n} answers, or the answers counted in Other "
                "departments).",
            )
    mid = p.number(MINIMAL_IMPORTANT_DIFFERENCE, 2)
    text += " " + t(
        lang,
        "En ændring kaldes kun en forbedring eller tilbagegang, når en statistisk test, der tager højde for, at "
        f"mange ændringer testes på én gang, afviser, at den er tilfældig, og den samtidig er mindst {mid} på "
        "skalaen 1-5; ellers står der »ingen klar ændring«, og tallet vises.",
        "A change is called an improvement or a decline only when a statistical test that allows for many "
        f"changes being tested at once rejects that it is chance, and it is at least {mid} on the 1-5 scale; "
        "otherwise it reads 'no clear change', and the number is shown.",
    )
    head = t(
        lang,
        f"<th>Værdi</th><th class='num'>{prev}</th><th class='num'>{p.wave}</th>"
        f"<th class='num'>Ændring</th><th class='num'>{p.interval}</th><th>Vurdering</th>",
        f"<th>Value</th><th class='num'>{prev}</th><th class='num'>{p.wave}</th>"
        f"<th class='num'>Change</th><th class='num'>{p.interval}</th><th>Verdict</th>",
    )
    rows = []
    for vid in p.codebook.value_ids:
        cells = []
        for table in (before, now):
            if table.empty or table.loc[vid, "suppressed"]:
                wave = prev if table is before else p.wave
                cells.append(f"<td class='num hidden'>{escape(p.hidden_short(vid, wave))}</td>")
            else:
                cells.append(f"<td class='num'>{p.number(table.loc[vid, 'score'], 2)}</td>")
        if vid in published.index:
            r = published.loc[vid]
            sign = "+" if r["diff"] > 0 else ""
            cls = " class='flag'" if r["verdict"] in ("improvement", "decline") else ""
            cells.append(
                f"<td class='num'>{sign}{p.number(r['diff'], 2)}</td>"
                f"<td class='num'>{p.ci(r['ci_low'], r['ci_high'], 2)}</td>"
                f"<td{cls}>{escape(change_word(r['verdict'], lang))}</td>"
            )
        else:
            cells.append(
                f"<td class='num hidden'>{escape(hidden_word(lang))}</td>"
                f"<td class='num hidden'>–</td><td class='hidden'>{escape(hidden_word(lang))}</td>"
            )
        rows.append(f"<tr><td>{escape(p.short(vid))}</td>{''.join(cells)}</tr>")
    return (
        f"<p>{escape(text)}</p><table class='profile-change keep'><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
