"""The department profile's longer sections: values, focus areas, distributions, trend, appendix.

Each function makes one :class:`~analysis.report.view.Section` of the profile document from a
:class:`analysis.report.profile.DepartmentProfile`, which holds the numbers; a department hidden on
every value gets an empty section (the appendix keeps its method note).
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
from .narrative import sentence_changes
from .texts import Run
from .view import AnyBlock, Cell, Heading, Items, Paragraph, Section, Table, runs

if TYPE_CHECKING:
    from .profile import DepartmentProfile


#: How many focus areas "What the data point to" names.
N_FOCUS_POINTS = 3
#: How many of a focus area's lowest-scoring items are named at most.
N_ITEMS = 2


def values_section(p: DepartmentProfile) -> Section:
    """Return the five values: the department beside the municipality, as a chart and a table."""
    if p.all_hidden:
        return Section("values", [], document="profile")
    lang = p.lang
    comp = p.comparison()
    # The chart right under the heading, so the two move to a new page together.
    intro = t(
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
    blocks: list[AnyBlock] = [
        Heading(t(lang, "Modenhed på de fem værdier", "Maturity on the five values")),
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
            document="profile",
        ),
        Paragraph.of(intro),
    ]
    words = {
        ABOVE: t(lang, "klart over", "clearly above"),
        BELOW: t(lang, "klart under", "clearly below"),
        ON_LEVEL: t(lang, "på niveau", "on level"),
        "": "–",
    }
    columns = (
        Cell(t(lang, "Værdi", "Value")),
        Cell(p.department, "num"),
        Cell(p.interval, "num"),
        Cell(t(lang, "Niveau", "Level")),
        Cell("n", "num"),
        Cell(t(lang, "Kommunen", "Municipality"), "num"),
        Cell(p.interval, "num"),
        Cell(t(lang, "Forvaltningen ligger", "The department is")),
    )
    rows = []
    for vid, r in comp.iterrows():
        muni = (Cell(p.number(r["muni_score"], 2), "num"), Cell(p.ci(r["muni_low"], r["muni_high"], 2), "num"))
        if r["suppressed"]:
            # The words take the place of the score; its interval and level stay blank.
            rows.append(
                (
                    Cell(p.short(vid), "head"),
                    Cell(p.merged_cell_text(vid), "hidden"),
                    Cell("", "hidden"),
                    Cell("", "hidden"),
                    Cell(count_text(p.merged().loc[vid, "own_n"], p.min_n, lang), "num hidden"),
                    *muni,
                    Cell("–", "hidden"),
                )
            )
            continue
        rows.append(
            (
                Cell(p.short(vid), "head"),
                Cell(strong=p.number(r["score"], 2), style="num"),
                Cell(p.ci(r["ci_low"], r["ci_high"], 2), "num"),
                Cell(p.level_name(r["level"], bool(r["level_uncertain"]))),
                Cell(count_text(r["n"], p.min_n, lang), "num"),
                *muni,
                Cell(words[r["position"]], "flag" if r["position"] in (ABOVE, BELOW) else ""),
            )
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
    blocks.append(Table(columns, tuple(rows), "profile-values", keep=True))
    blocks.append(Paragraph.of(note, style="note"))
    return Section("values", blocks, document="profile")


def focus_areas_section(p: DepartmentProfile) -> Section:
    """Return each value's lowest-scoring focus area, and the three to look at first."""
    if p.all_hidden:
        return Section("focus_areas", [], document="profile")
    lang = p.lang
    cells = p.cells()
    fa = p.focus_areas_table()
    muni_fa = p.municipal_focus_areas()
    blocks: list[AnyBlock] = [
        Heading(t(lang, "Indsatsområder", "Focus areas")),
        Paragraph.of(
            t(
                lang,
                "Hver værdi består af flere indsatsområder. Tabellen viser for hver værdi det indsatsområde, "
                "hvor forvaltningen scorer lavest, med kommunens gennemsnit for samme indsatsområde (de "
                "forvaltninger og den gruppe Øvrige forvaltninger, hvis indsatsområde vises).",
                "Each value consists of several focus areas. The table shows, for each value, the focus area "
                "where the department scores lowest, with the municipal average for the same focus area (the "
                "departments, and the group Other departments, whose focus area is shown).",
            )
        ),
    ]
    columns = (
        Cell(t(lang, "Værdi", "Value")),
        Cell(t(lang, "Lavest scorende indsatsområde", "Lowest-scoring focus area")),
        Cell("Score", "num"),
        Cell(p.interval, "num"),
        Cell(t(lang, "Kommunen", "Municipality"), "num"),
    )
    # A hidden row says why in the focus area's place; its numbers stay blank.
    blank = (Cell("", "hidden"),) * 3
    rows = []
    values_hidden = False
    for vid in p.codebook.value_ids:
        name = Cell(p.short(vid), "head")
        if cells.loc[vid, "suppressed"]:
            rows.append((name, Cell(p.merged_cell_text(vid), "hidden"), *blank))
            continue
        g = fa[(fa["value"] == vid) & fa["shown"]]
        if g.empty:  # scoring hides every focus area of a value when one is hidden
            values_hidden = True
            rows.append((name, Cell(focus_areas_hidden_text(p), "hidden"), *blank))
            continue
        low = g.loc[g["score"].idxmin()]
        rows.append(
            (
                name,
                Cell(p.codebook.focus_area_name(low["focus_area"], lang)),
                Cell(strong=p.number(low["score"], 2), style="num"),
                Cell(p.ci(low["ci_low"], low["ci_high"], 2), "num"),
                Cell(p.number(muni_fa.get(low["focus_area"], np.nan), 2), "num"),
            )
        )
    blocks.append(Table(columns, tuple(rows), "profile-focus", keep=True))
    if values_hidden:
        blocks.append(
            Paragraph.of(
                t(
                    lang,
                    f"Når ét indsatsområde under en værdi har færre end {p.min_n} svar, vises ingen af værdiens "
                    "indsatsområder: værdiens score er gennemsnittet af indsatsområderne, så det skjulte ellers kunne "
                    "regnes ud fra de andre.",
                    f"When one focus area of a value has fewer than {p.min_n} answers, none of the value's focus "
                    "areas is shown: the value's score is the mean of its focus areas, so the hidden one could "
                    "otherwise be worked out from the others.",
                ),
                style="note",
            )
        )
    blocks.extend(focus_points(p, fa, muni_fa))
    return Section("focus_areas", blocks, document="profile")


def focus_areas_hidden_text(p: DepartmentProfile) -> str:
    """Return the words for a value whose focus areas are hidden because one of them is small."""
    return t(
        p.lang,
        f"Indsatsområderne vises ikke: et af dem har færre end {p.min_n} svar",
        f"Focus areas not shown: one of them has fewer than {p.min_n} answers",
    )


def focus_points(p: DepartmentProfile, fa: pd.DataFrame, muni_fa: pd.Series) -> list[AnyBlock]:
    """Return "What the data point to": the lowest focus areas and their lowest items."""
    lang = p.lang
    blocks: list[AnyBlock] = [Heading(t(lang, "Hvad data peger på", "What the data point to"), 3)]
    shown = fa[fa["shown"]].sort_values("score", kind="stable").head(N_FOCUS_POINTS)
    if shown.empty:
        blocks.append(
            Paragraph.of(
                t(
                    lang,
                    "Ingen indsatsområder kan vises for forvaltningen.",
                    "No focus area of the department can be shown.",
                )
            )
        )
        return blocks
    blocks.append(
        Paragraph.of(
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
        score = f" ({p.value_name(r.value, lower=True)}): {p.number(r.score, 2)} ({p.interval} {p.ci(r.ci_low, r.ci_high, 2)})."
        # The statements on a line of their own, under the focus area.
        entries.append(runs(Run(fa_name, bold=True), score, f" {relation}" if relation else "", f"\n{item_text}."))
    blocks.append(Items(tuple(entries), numbered=True, style="focus-points"))
    blocks.append(
        Paragraph.of(
            t(
                lang,
                "Listen viser, hvor svarene ligger lavest, ikke hvad der er vigtigst; den er et udgangspunkt for "
                "forvaltningens egen drøftelse af, hvor den vil sætte ind. Spørgsmålenes enkelte gennemsnit vises ikke, "
                "så intet spørgsmål med få svar kan regnes ud.",
                "The list shows where the answers are lowest, not what matters most; it is a starting point for the "
                "department's own discussion of where to act. The questions' own means are not shown, so no question "
                "with few answers can be worked out.",
            ),
            style="note",
        )
    )
    return blocks


def distributions_section(p: DepartmentProfile) -> Section:
    """Return the department's answer distribution (n >= 2 min_n) and its don't-know shares."""
    if p.all_hidden:
        return Section("distributions", [], document="profile")
    lang = p.lang
    limit = distribution_limit(p.min_n)
    blocks: list[AnyBlock] = [Heading(t(lang, "Svarfordeling og kendskab", "Answer distribution and awareness"))]
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
        blocks.append(Paragraph.of(text))
        blocks.append(
            p.figure(
                "distribution",
                t(
                    lang,
                    f"Svarfordeling pr. værdi i {p.wave}: {p.name}. »Ved ikke« og »Ikke relevant« til højre "
                    "som andel af alle svar.",
                    f"Answer distribution per value in {p.wave}: {p.name}. 'Don't know' and 'not applicable' on "
                    "the right as shares of all answers.",
                ),
                document="profile",
            )
        )
    else:
        blocks.append(
            Paragraph.of(
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
        )
    blocks.extend(dont_know_blocks(p))
    return Section("distributions", blocks, document="profile")


def dont_know_blocks(p: DepartmentProfile) -> list[AnyBlock]:
    """Return the don't-know shares: a heading, a paragraph and the table beside the municipality's."""
    lang = p.lang
    dk = p.dont_know()
    limit = p.flag

    def share(x, flagged: bool) -> Cell:
        return Cell(p.share(x) + (" ▲" if flagged else ""), "num flag" if flagged else "num")

    columns = (
        Cell(t(lang, "Værdi", "Value")),
        Cell(p.department, "num"),
        Cell(t(lang, "Kommunen", "Municipality"), "num"),
    )
    rows = []
    for vid, r in dk.iterrows():
        if r["suppressed"] or pd.isna(r["share"]):
            own = Cell(p.hidden_short(vid), "num hidden")
        else:
            own = share(r["share"], bool(r["flagged"]))
        rows.append((Cell(p.short(vid), "head"), own, share(r["muni_share"], bool(r["muni_flagged"]))))
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
    return [
        Heading(t(lang, "Kendskab: svaret »Ved ikke«", "Awareness: the answer “don’t know”"), 3),
        Paragraph.of(f"{intro} {sentence}"),
        Table(columns, tuple(rows), "profile-dontknow", keep=True),
    ]


def trend_section(p: DepartmentProfile) -> Section:
    """Return the department's scores over the waves and the change since the previous wave."""
    if p.all_hidden:
        return Section("trend", [], document="profile")
    lang = p.lang
    blocks: list[AnyBlock] = [Heading(t(lang, "Udvikling over tid", "Change over time"))]
    if not p.has_trend:
        blocks.append(
            Paragraph.of(
                t(
                    lang,
                    "Data har kun ét år, så udviklingen kan først vises, når undersøgelsen er gentaget.",
                    "The data hold one year only, so the change can be shown once the survey has been repeated.",
                )
            )
        )
        return Section("trend", blocks, document="profile")
    waves = p.scores.waves
    blocks.append(
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
            document="profile",
        )
    )
    prev = p.previous_wave
    if prev is not None:
        blocks.append(Heading(t(lang, f"Ændring siden {prev}", f"Change since {prev}"), 3))
        blocks.extend(change_blocks(p, prev))
    return Section("trend", blocks, document="profile")


def change_blocks(p: DepartmentProfile, prev: int) -> list[AnyBlock]:
    """Return the change since ``prev``: a paragraph and the table of both years' scores and the verdicts."""
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
    columns = (
        Cell(t(lang, "Værdi", "Value")),
        Cell(str(prev), "num"),
        Cell(str(p.wave), "num"),
        Cell(t(lang, "Ændring", "Change"), "num"),
        Cell(p.interval, "num"),
        Cell(t(lang, "Vurdering", "Verdict")),
    )
    rows = []
    for vid in p.codebook.value_ids:
        cells = [Cell(p.short(vid), "head")]
        for table in (before, now):
            if table.empty or table.loc[vid, "suppressed"]:
                wave = prev if table is before else p.wave
                cells.append(Cell(p.hidden_short(vid, wave), "num hidden"))
            else:
                cells.append(Cell(p.number(table.loc[vid, "score"], 2), "num"))
        if vid in published.index:
            r = published.loc[vid]
            sign = "+" if r["diff"] > 0 else ""
            cells.extend(
                [
                    Cell(f"{sign}{p.number(r['diff'], 2)}", "num"),
                    Cell(p.ci(r["ci_low"], r["ci_high"], 2), "num"),
                    Cell(change_word(r["verdict"], lang), "flag" if r["verdict"] in ("improvement", "decline") else ""),
                ]
            )
        else:
            cells.extend(
                [Cell(hidden_word(lang), "num hidden"), Cell("–", "num hidden"), Cell(hidden_word(lang), "hidden")]
            )
        rows.append(tuple(cells))
    return [Paragraph.of(text), Table(columns, tuple(rows), "profile-change", keep=True)]
