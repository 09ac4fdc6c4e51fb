"""The briefing's Bilag: method, data quality, score tables, robustness, distributions, provenance.

:func:`appendix_section` makes appendices 1-5 from a :class:`analysis.report.briefing.Briefing`;
:func:`provenance_section` makes the provenance appendix (appendix 6, and the profiles' own)
from the manifest that ``briefing render`` writes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import config
from ..formatting import format_interval, format_number, format_share, join_names
from ..stats.disclosure import distribution_limit
from ..stats.reliability import LOW_ALPHA
from ..stats.sensitivity import ranking_summary
from ..words import change_word, confidence_text, count_text, hidden_word, t, threshold_text
from .briefing import Briefing
from .html import Html, escape, heading_and_paragraphs


def appendix_section(b: Briefing) -> Html:
    """Return the Bilag: method, data quality, score tables, robustness and distributions."""
    out = [
        f"<h2 class='appendix'>{escape(t(b.lang, 'Bilag', 'Appendices'))}</h2>",
        method(b),
        data_quality(b),
        score_tables(b),
        robustness(b),
        department_distributions(b),
    ]
    return Html("\n".join(out))


def provenance_section(lang: str, output_dir: str | Path, title: str) -> Html:
    """Return the provenance appendix: which data, code and settings produced the document.

    Reads the ``manifest.json`` that ``briefing render`` writes into the output folder before
    the notebook runs; an interactive run (no ``output_dir``) gets a one-line note instead.
    """
    from ..pipeline.provenance import provenance_rows, read_manifest

    manifest = read_manifest(output_dir) if str(output_dir) else None
    if manifest is None:
        note = t(
            lang,
            "Kørt interaktivt: ingen manifest (briefing render skriver et).",
            "Run interactively: no manifest (briefing render writes one).",
        )
        return Html(f"<h3>{escape(title)}</h3><p class='note'>{escape(note)}</p>")
    rows = "".join(
        f"<tr><th scope='row'>{escape(label)}</th><td>{escape(value)}</td></tr>"
        for label, value in provenance_rows(manifest, lang=lang)
    )
    intro = t(
        lang,
        "Dokumentet er lavet af disse data, denne kode og disse indstillinger; det samme står i "
        "manifest.json ved siden af og i PDF-filens metadata.",
        "The document was made from these data, this code and these settings; the same facts are in "
        "manifest.en.json beside it and in the PDF's metadata.",
    )
    return Html(
        f"<h3>{escape(title)}</h3><p>{escape(intro)}</p><table class='provenance keep'><tbody>{rows}</tbody></table>"
    )


def data_source(is_sample: bool, lang: str) -> str:
    """Return what the data are: the synthetic sample or the survey's answers."""
    if is_sample:
        return t(lang, "Syntetiske eksempeldata (ikke virkelige svar)", "Synthetic sample data (not real answers)")
    return t(lang, "Spørgeskemaets svar", "The survey's answers")


def method_parameters(b: Briefing) -> list[tuple[str, str, str]]:
    """Return the settings the method appendix quotes: (key, label, value as printed).

    The keys are those of the parameter table in ``docs/method.md``; a test checks that the values
    printed here are the ones the scores were made with, and the ones the document states.
    """
    from ..stats.changes import MINIMAL_IMPORTANT_DIFFERENCE

    lang, s = b.lang, b.scores
    return [
        ("min_n", t(lang, "Mindste gruppe (min_n)", "Minimum group (min_n)"), str(s.min_n)),
        ("resamples", t(lang, "Bootstrap-gentagelser", "Bootstrap resamples"), b.number(s.resamples, 0)),
        ("seed", t(lang, "Startværdi (seed)", "Seed"), str(s.seed)),
        (
            "confidence",
            t(lang, "Konfidensniveau", "Confidence level"),
            confidence_text(s.confidence, lang, spaced=True),
        ),
        (
            "don't-know flag",
            t(lang, "Grænse for »Ved ikke«", "Don't-know flag"),
            threshold_text(config.DONT_KNOW_FLAG, lang, spaced=True),
        ),
        (
            "minimal important difference",
            t(lang, "Mindste vigtige ændring", "Minimal important difference"),
            b.number(MINIMAL_IMPORTANT_DIFFERENCE, 2),
        ),
        (
            "distribution limit",
            t(lang, "Fordelinger vises fra", "Distributions shown from"),
            str(distribution_limit(s.min_n)),
        ),
        ("alpha threshold", t(lang, "Grænse for Cronbachs alfa", "Cronbach's alpha threshold"), b.number(LOW_ALPHA, 1)),
    ]


def method(b: Briefing) -> str:
    """Return appendix 1: how the scores, intervals and disclosure control are made, from the settings used."""
    from ..stats.changes import MINIMAL_IMPORTANT_DIFFERENCE

    lang, s, cb = b.lang, b.scores, b.codebook
    n_items, n_fa = len(cb.items), len(cb.focus_areas)
    n_rev = sum(it.reverse for it in cb.items)
    levels = ", ".join(f"{c} {b.level_name(c)}" for c in sorted(cb.levels))
    members = b.group_members()
    group = config.MERGED_GROUP_NAME[lang]
    pooled = join_names(members, lang) if members else t(lang, "ingen", "none")
    conf, ci = confidence_text(s.confidence, lang), b.interval
    limit = distribution_limit(s.min_n)
    mid = b.number(MINIMAL_IMPORTANT_DIFFERENCE, 2)
    data = data_source(b.is_sample, lang)
    files = ", ".join(Path(f).name for f in b.response_files)
    if lang == "da":
        paras = [
            f"Spørgeskemaet (kodebog version {cb.version}) har {n_items} spørgsmål fordelt på indkøbspolitikkens "
            f"fem værdier og {n_fa} indsatsområder. Hvert spørgsmål beskriver en praksis, og den svarende vælger "
            f"det niveau, der bedst beskriver forvaltningens praksis: {levels}. Svarene »Ved ikke« og »Ikke "
            f"relevant« indgår ikke i scoren; andelen »Ved ikke« vises for sig i bilag 2. {n_rev} spørgsmål er "
            f"formuleret omvendt og vendes (6 minus svaret), før der regnes.",
            "En forvaltnings score på et spørgsmål er gennemsnittet af dens gyldige svar. Et indsatsområdes "
            "score er gennemsnittet af dets spørgsmål, og en værdis score er gennemsnittet af dens "
            "indsatsområder, som vejer lige meget. Kommunens score dækker alle forvaltninger med svar, som "
            f"vejer lige meget uanset antal svar; forvaltninger i »{group}« indgår med gruppens score, og "
            "gruppen tæller med så mange forvaltninger, som den rummer. Niveauet er det nærmeste hele niveau "
            "(2,5 rundes op til 3). Ved siden af hver værdis score vises andelen af svar på niveau 4-5.",
            f"Usikkerheden vises som {conf}-intervaller beregnet med bootstrap: svarene trækkes {b.number(s.resamples, 0)} "
            f"gange med tilbagelægning inden for hver forvaltning (fast startværdi {s.seed}), og hele beregningen "
            "gentages hver gang. For en forvaltning tages intervallet på et justeret niveau, der tager højde for, "
            "at grupperne er små (det udvidede percentilinterval), så det også holder ved 5-10 svarende. Kommunens "
            "interval følger af at trække inden for hver forvaltning og gruppe for sig.",
            "Sammenligninger bygger på forskellen mellem to scorer beregnet i de samme gentagelser (parvis), ikke på "
            "om intervallerne overlapper: en værdi eller forvaltning kaldes højere eller lavere, når intervallet for "
            "forskellen ikke indeholder 0; ellers ligger de på niveau. Ændringer fra år til år testes som to "
            "familier: kommunens fem ændringer (Holm-korrektion) og forvaltningernes ændringer (Benjamini-Hochberg, "
            f"5 % falske fund). En ændring kaldes en forbedring eller et fald, kun når den korrigerede test er "
            f"klar og ændringen er mindst {mid} point på skalaen; ellers »ingen klar ændring«. Et »?« efter et "
            "niveau betyder, at intervallet krydser en niveaugrænse.",
            f"Anonymitet: En forvaltning vises ikke på en værdi, når færre end {s.min_n} har givet et gyldigt svar "
            f"på værdiens spørgsmål (grænsen kan ikke sættes lavere end 5). De små forvaltninger lægges sammen "
            f"i »{group}« og vises med gruppens score og navnene på dens forvaltninger. Er der kun én lille "
            f"forvaltning, eller har gruppen færre end {s.min_n} svarende, lægges den mindste af de viste "
            "forvaltninger til (ved lighed den sidste i rækkefølgen), og dens egen score skjules også, så ingen "
            "forvaltnings resultat kan regnes baglæns. Antal under "
            f"{s.min_n} vises som »færre end {s.min_n}«. Svarfordelinger vises kun for forvaltninger med mindst "
            f"{limit} svarende. Andelen »Ved ikke« vises, hvor scoren vises, og kaldes kun »over 30 %«, når hele "
            f"dens interval ligger over. I {b.wave} indgår i {group}: {pooled}.",
            f"Pålidelighed og følsomhed (bilag 4): Cronbachs alfa pr. værdi med Feldts {ci} viser, om "
            f"spørgsmålene under en værdi hænger sammen; den beregnes kun på de viste forvaltningers svarende, "
            f"målt inden for hver forvaltning. Under {b.number(LOW_ALPHA)} vises værdiens indsatsområder "
            "hver for sig. Kommunens scorer beregnes også med forvaltningerne vægtet efter antal svarende og efter "
            "det skønnede antal indkøbsmedarbejdere, for at vise om rækkefølgen af værdierne afhænger af vægtningen.",
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
            "municipality's score covers every department with answers, each weighing the same whatever its "
            f"number of answers; departments in '{group}' enter with the group's score, and the group counts as "
            "many departments as it holds. The level is the nearest whole level (2.5 rounds up to 3). Beside each "
            "value's score the share of answers at level 4-5 is shown.",
            f"Uncertainty is shown as {conf} intervals by bootstrap: the answers are redrawn {b.number(s.resamples, 0)} times "
            f"with replacement within each department (fixed seed {s.seed}) and the whole calculation is repeated "
            "each time. A department's interval is taken at an adjusted level that allows for small groups (the "
            "expanded percentile interval), so that it holds at 5-10 respondents too. The municipal interval "
            "follows from redrawing within each department and group separately.",
            "Comparisons rest on the difference between two scores computed in the same resamples (paired), not "
            "on whether intervals overlap: a value or department is called higher or lower when the interval of "
            "the difference excludes 0; otherwise they are on level. Changes between years are tested as two "
            "families: the municipality's five changes (Holm correction) and the departments' changes "
            f"(Benjamini-Hochberg, 5 % false discoveries). A change is an improvement or a decline only when the "
            f"corrected test is clear and the change is at least {mid} points on the scale; otherwise 'no clear "
            "change'. A '?' after a level means the interval crosses a level boundary.",
            f"Anonymity: a department is not shown on a value when fewer than {s.min_n} gave a valid answer to the "
            f"value's questions (the limit cannot be set below 5). The small departments are pooled in '{group}' "
            f"and shown with the group's score and the names of its departments. When only one department is "
            f"small, or the group has fewer than {s.min_n} respondents, the smallest published department joins "
            "it (on a tie the later in report order) and its own score is hidden too, so that no department's "
            f"result can be worked out backwards. Counts under {s.min_n} read 'fewer than {s.min_n}'. Answer "
            f"distributions are shown only for departments of at least {limit} respondents. The don't-know share "
            "is shown where the score is, and called 'over 30 %' only when its whole interval lies above. In "
            f"{b.wave}, '{group}' holds: {pooled}.",
            f"Reliability and sensitivity (appendix 4): Cronbach's alpha per value with Feldt's {ci} "
            "shows whether the questions under a value hang together; it is computed on the published "
            f"departments' respondents only, within each department. Below {b.number(LOW_ALPHA)} the value's "
            "focus areas are shown one by one. The municipal scores are also computed with departments weighted by "
            "respondents and by the estimated procurement staff, to show whether the order of the values depends "
            "on the weighting.",
            f"Data: {data} ({files}).",
        ]
    title = t(lang, "Bilag 1. Metode", "Appendix 1. Method")
    rows = "".join(
        f"<tr data-key='{escape(key)}'><th scope='row'>{escape(label)}</th><td class='num'>{escape(value)}</td></tr>"
        for key, label, value in method_parameters(b)
    )
    settings = (
        f"<p>{escape(t(lang, 'Indstillinger i denne kørsel:', 'Settings of this run:'))}</p>"
        f"<table class='settings keep'><tbody>{rows}</tbody></table>"
    )
    return heading_and_paragraphs(title, paras) + settings


def _count_cell(b: Briefing, dept: str, wave: int, count) -> str:
    """Return a department's respondent count as the table shows it: hidden ones never as a number."""
    if pd.notna(count):
        return str(int(count))
    actual = b.survey.quality.respondent_counts
    n = int(actual.loc[dept, wave]) if dept in actual.index and wave in actual.columns else 0
    if n == 0:
        return ""
    if n < b.scores.min_n:
        return count_text(n, b.scores.min_n, b.lang)
    return t(b.lang, f"i {config.MERGED_GROUP_NAME['da']}", f"in {config.MERGED_GROUP_NAME['en']}")


def _response_text(b: Briefing) -> str:
    """Return the response rate per department and in all, where the number invited is known, or ""."""
    lang = b.lang
    answered, invited = b.response()
    if not invited:
        return ""
    parts = []
    for dept, shown, asked in b.response_by_department():
        if shown is None:
            parts.append(
                t(
                    lang,
                    f"{dept}: indgår i {config.MERGED_GROUP_NAME['da']}",
                    f"{dept}: in {config.MERGED_GROUP_NAME['en']}",
                )
            )
        else:
            parts.append(f"{dept} {format_share(shown / asked, lang)} ({shown} {t(lang, 'af', 'of')} {asked})")
    per = f" {t(lang, 'Pr. forvaltning', 'Per department')}: {'; '.join(parts)}." if parts else ""
    return t(
        lang,
        f"Svarprocent i {b.wave}: {answered} af {invited} inviterede har svaret ({format_share(answered / invited, lang)}).{per}",
        f"Response rate in {b.wave}: {answered} of {invited} invited answered ({format_share(answered / invited, lang)}).{per}",
    )


def data_quality(b: Briefing) -> str:
    """Return appendix 2: responses per department and year, the don't-know shares, loading notes."""
    lang = b.lang
    resp = b.scores.respondents.pivot(index="department", columns="wave", values="respondents")
    resp = resp.reindex(b.departments.order(resp.index))
    waves = list(resp.columns)
    head = "".join(f"<th class='num'>{w}</th>" for w in waves)
    rows = []
    for dept, row in resp.iterrows():
        name = b.departments.name_of(dept, lang)
        cells = "".join(f"<td class='num'>{escape(_count_cell(b, dept, w, row[w]))}</td>" for w in waves)
        rows.append(f"<tr><td>{escape(dept)}</td><td>{escape(name)}</td>{cells}</tr>")
    counts = b.survey.quality.respondent_counts
    total = "".join(
        f"<td class='num'><strong>{int(counts[w].sum()) if w in counts.columns else ''}</strong></td>" for w in waves
    )
    rows.append(
        f"<tr class='total'><td colspan='2'><strong>{escape(t(lang, 'I alt', 'Total'))}</strong></td>{total}</tr>"
    )
    out = [
        f"<h3>{escape(t(lang, 'Bilag 2. Datakvalitet', 'Appendix 2. Data quality'))}</h3>",
        f"<p>{escape(t(lang, 'Besvarelser pr. forvaltning og år:', 'Responses per department and year:'))}</p>",
        f"<table class='respondents'><thead><tr><th>{escape(t(lang, 'Kode', 'Code'))}</th>"
        f"<th>{escape(t(lang, 'Forvaltning', 'Department'))}</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
    ]

    rates = _response_text(b)
    if rates:
        out.append(f"<p>{escape(rates)}</p>")

    dk = b.scores.dont_know
    dk = dk[dk["wave"] == b.wave]
    names = b.value_names()
    flagged = dk[dk["flagged"] == True]  # noqa: E712 - NaN-safe boolean column
    flag = threshold_text(config.DONT_KNOW_FLAG, lang, spaced=True)
    flag_text = t(
        lang,
        f"Andel »Ved ikke« af de afgivne svar pr. forvaltning og værdi i {b.wave}. Over {flag} er markeret med fed: "
        "her ved mange ikke, hvordan forvaltningen arbejder, og det er i sig selv et tegn på lav modenhed.",
        f"Share of 'don't know' among the answers given per department and value in {b.wave}. Above {flag} "
        "is marked in bold: many do not know how the department works, which is itself a sign of low maturity.",
    )
    out.append(f"<p>{escape(flag_text)}</p>")
    out.append(
        b.value_table(
            dk,
            lambda r: (
                f"<td class='num{' flag' if r['flagged'] else ''}'>{format_share(r['dont_know_share'], lang)}</td>"
            ),
            "dontknow",
        )
    )
    if not flagged.empty:
        items = [
            f"{d} ({names[v].lower() if lang == 'da' else names[v]})"
            for d, v in zip(flagged["department"], flagged["value"])
        ]
        out.append(
            "<p>"
            + escape(
                t(
                    lang,
                    f"Over {flag} »Ved ikke«: {join_names(items, lang)}.",
                    f"Above {flag} don't know: {join_names(items, lang)}.",
                )
            )
            + "</p>"
        )
    rows = _rows_read_text(b)
    if rows:
        out.append(f"<p>{escape(rows)}</p>")
    warnings = b.survey.quality.warnings
    if warnings:
        out.append(
            f"<p>{escape(t(lang, 'Bemærkninger fra indlæsningen:', 'Notes from loading:'))}</p><ul class='warnings'>"
            + "".join(f"<li>{escape(w)}</li>" for w in warnings)
            + "</ul>"
        )
    else:
        out.append(f"<p>{escape(t(lang, 'Indlæsningen gav ingen bemærkninger.', 'Loading gave no warnings.'))}</p>")
    return "\n".join(out)


def _rows_read_text(b: Briefing) -> str:
    """Return a sentence on the rows the survey tool's export held and which were left out, or ""."""
    kinds = b.survey.quality.row_kinds()
    if kinds.empty or set(kinds.columns) <= {"complete"}:
        return ""
    total = kinds.sum()
    lang = b.lang
    parts = []
    # kind -> (Danish one, Danish several, English one, English several)
    words = {
        "partial": (
            "delvis besvarelse, medtaget med de svar, der blev givet",
            "delvise besvarelser, medtaget med de svar, der blev givet",
            "partial response, kept with the answers given",
            "partial responses, kept with the answers given",
        ),
        "partial, left out": (
            "delvis besvarelse, udeladt",
            "delvise besvarelser, udeladt",
            "partial response, left out",
            "partial responses, left out",
        ),
        "no answers": (
            "inviteret uden svar, udeladt",
            "inviterede uden svar, udeladt",
            "invited person without answers, left out",
            "invited people without answers, left out",
        ),
        "preview": (
            "forhåndsvisning, udeladt",
            "forhåndsvisninger, udeladt",
            "preview, left out",
            "previews, left out",
        ),
        "test": (
            "testbesvarelse, udeladt",
            "testbesvarelser, udeladt",
            "test response, left out",
            "test responses, left out",
        ),
        "spam": (
            "spambesvarelse, udeladt",
            "spambesvarelser, udeladt",
            "spam response, left out",
            "spam responses, left out",
        ),
    }
    for kind, (da1, da2, en1, en2) in words.items():
        n = int(total.get(kind, 0))
        if n:
            parts.append(f"{format_number(n, lang, 0)} {t(lang, da1 if n == 1 else da2, en1 if n == 1 else en2)}")
    if not parts:
        return ""
    return t(
        lang,
        f"Spørgeskemaværktøjets eksport indeholdt også: {join_names(parts, lang)}.",
        f"The survey tool's export also held: {join_names(parts, lang)}.",
    )


def score_tables(b: Briefing) -> str:
    """Return appendix 3: the scores per department and value, the municipality per year, the changes."""
    lang, short, ci = b.lang, b.short_names(), b.interval
    values = b.codebook.value_ids
    head = "".join(f"<th class='num'>{escape(short[v])}</th>" for v in values)
    scores_table = b.value_table(
        b.department_cells(),
        lambda r: (
            f"<td class='num'><strong>{b.number(r['score'], 2)}</strong><br>{escape(b.level_name(r['level']))}"
            f"{'?' if r['level_uncertain'] else ''}<br><span class='ci'>"
            f"{format_interval(r['ci_low'], r['ci_high'], lang, 2)}<br>n = {int(r['n'])}</span></td>"
        ),
        "scores",
    )
    muni_rows = []
    for wave in b.scores.waves:
        m = b.municipal_cells(wave).set_index("value")
        tds = "".join(
            f"<td class='num'><strong>{b.number(m.loc[v, 'score'], 2)}</strong><br><span class='ci'>"
            f"{format_interval(m.loc[v, 'ci_low'], m.loc[v, 'ci_high'], lang, 2)}<br>{int(m.loc[v, 'n_departments'])} "
            f"{escape(t(lang, 'forv.', 'dept.'))}</span></td>"
            for v in values
        )
        muni_rows.append(f"<tr><td>{wave}</td>{tds}</tr>")
    legend = t(
        lang,
        f"Score (1-5), niveau, {ci} og antal svarende (n). »?« betyder, at intervallet krydser en "
        "niveaugrænse, så niveauet er usikkert.",
        f"Score (1-5), level, {ci} and number of respondents (n). '?' means the interval crosses a "
        "level boundary, so the level is uncertain.",
    )
    return "\n".join(
        [
            f"<h3>{escape(t(lang, 'Bilag 3. Tabeller', 'Appendix 3. Tables'))}</h3>",
            f"<p>{escape(t(lang, f'Modenhed pr. forvaltning og værdi i {b.wave}.', f'Maturity per department and value in {b.wave}.'))} {escape(legend)}</p>",
            scores_table,
            f"<p>{escape(t(lang, 'Kommunens modenhed pr. værdi og år (alle forvaltninger; Øvrige forvaltninger vejer med deres antal).', 'Municipal maturity per value and year (every department; Other departments weigh as many as they hold).'))}</p>",
            f"<table class='scores keep'><thead><tr><th>{escape(t(lang, 'År', 'Year'))}</th>{head}</tr></thead><tbody>{''.join(muni_rows)}</tbody></table>",
            department_change_table(b),
        ]
    )


def department_change_table(b: Briefing) -> str:
    """Return the change per department and value since the previous wave; nothing without one."""
    if b.previous_wave is None:
        return ""
    lang, ci = b.lang, b.interval

    def cell(r) -> str:
        sign = "+" if r["diff"] > 0 else ""
        cls = " flag" if r["verdict"] in ("improvement", "decline") else ""
        return (
            f"<td class='num{cls}'>{sign}{b.number(r['diff'], 2)}<br><span class='ci'>"
            f"{format_interval(r['ci_low'], r['ci_high'], lang, 2)}<br>{escape(change_word(r['verdict'], lang))}"
            "</span></td>"
        )

    intro = t(
        lang,
        f"Ændring fra {b.previous_wave} til {b.wave} pr. forvaltning og værdi med {ci} for "
        "forskellen. Fed: en klar forbedring eller tilbagegang (intervallet indeholder ikke 0). En "
        "forvaltning, der er skjult i et af årene, er skjult her.",
        f"Change from {b.previous_wave} to {b.wave} per department and value with the {ci} of "
        "the difference. Bold: a clear improvement or decline (the interval excludes 0). A department "
        "hidden in either year is hidden here.",
    )
    table = b.value_table(
        b.changes,
        cell,
        "scores",
        hidden=hidden_word(lang),
        label=lambda d: t(lang, "Kommunen", "Municipality") if d == config.MUNICIPALITY else d,
    )
    return f"<p>{escape(intro)}</p>{table}"


def robustness(b: Briefing) -> str:
    """Return appendix 4: internal consistency (alpha) and the weighting sensitivity panel."""
    lang, names, short, ci = b.lang, b.value_names(), b.short_names(), b.interval
    low_alpha = b.number(LOW_ALPHA)
    out = [
        f"<h3>{escape(t(lang, 'Bilag 4. Pålidelighed og følsomhed', 'Appendix 4. Reliability and sensitivity'))}</h3>"
    ]
    alpha = b.reliability
    out.append(
        "<p>"
        + escape(
            t(
                lang,
                "Intern konsistens: Cronbachs alfa måler, om spørgsmålene under en værdi måler det samme. Alfa "
                "beregnes på de viste forvaltningers svarende, der har givet et gyldigt svar på alle værdiens "
                "spørgsmål, målt inden for hver forvaltning, så forskelle mellem forvaltninger ikke puster den op, med "
                f"{ci} (Feldt). Under {low_alpha} er værdiens score et mindre sikkert samlet mål, "
                "og indsatsområderne vises da hver for sig.",
                "Internal consistency: Cronbach's alpha measures whether the questions under a value measure the same "
                "thing. Alpha uses the respondents of the published departments who gave a valid answer to all of the "
                "value's questions, measured within each department so that differences between departments do not "
                "inflate it, with a "
                f"{ci} (Feldt). Below {low_alpha} the value's score is a less reliable summary, and "
                "its focus areas are then shown one by one.",
            )
        )
        + "</p>"
    )
    head = t(
        lang,
        "<th>Værdi</th><th class='num'>Alfa</th>"
        f"<th class='num'>{ci}</th><th class='num'>Svarende</th><th class='num'>Spørgsmål</th>",
        "<th>Value</th><th class='num'>Alpha</th>"
        f"<th class='num'>{ci}</th><th class='num'>Respondents</th><th class='num'>Questions</th>",
    )
    rows = "".join(
        f"<tr><td>{escape(names[r.value])}</td><td class='num'>{b.number(r.alpha, 2)}</td>"
        f"<td class='num'>{format_interval(r.ci_low, r.ci_high, lang, 2)}</td><td class='num'>{int(r.n)}</td>"
        f"<td class='num'>{int(r.k)}</td></tr>"
        for r in alpha.itertuples()
    )
    out.append(f"<table class='keep'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    low = alpha[alpha["low"] == True]  # noqa: E712 - the column can hold NA
    if low.empty:
        out.append(
            "<p>"
            + escape(
                t(
                    lang,
                    f"Alle fem værdier har en alfa på mindst {low_alpha}.",
                    f"All five values have an alpha of at least {low_alpha}.",
                )
            )
            + "</p>"
        )
    for r in low.itertuples():
        out.append(
            "<p>"
            + escape(
                t(
                    lang,
                    f"{names[r.value]} har en alfa under {low_alpha} ({b.number(r.alpha, 2)}); "
                    "indsatsområderne vises derfor hver for sig:",
                    f"{names[r.value]} has an alpha below {low_alpha} ({b.number(r.alpha, 2)}); its focus "
                    "areas are therefore shown one by one:",
                )
            )
            + "</p>"
        )
        out.append(focus_area_table(b, r.value))

    table = b.sensitivity
    summary = ranking_summary(table)
    scheme_names = {
        "equal": t(lang, "Lige vægt (hovedtal)", "Equal weights (headline)"),
        "respondents": t(lang, "Vægtet med svarende", "Weighted by respondents"),
        "headcount": t(lang, "Vægtet med indkøbsmedarbejdere", "Weighted by procurement staff"),
    }
    schemes = summary["schemes"]
    head = "".join(f"<th class='num'>{escape(scheme_names[sc])}</th>" for sc in schemes)
    rows = []
    for vid in b.codebook.value_ids:
        tds = []
        for sc in schemes:
            r = table[(table["value"] == vid) & (table["scheme"] == sc)].iloc[0]
            tds.append(
                f"<td class='num'><strong>{b.number(r['score'], 2)}</strong> ({int(r['rank'])}.)<br>"
                f"<span class='ci'>{format_interval(r['ci_low'], r['ci_high'], lang, 2)}</span></td>"
            )
        rows.append(f"<tr><td>{escape(short[vid])}</td>{''.join(tds)}</tr>")
    out.append(
        "<p>"
        + escape(
            t(
                lang,
                "Følsomhed: kommunens score er gennemsnittet af alle forvaltninger med lige vægt (Øvrige "
                "forvaltninger med så mange, som gruppen rummer). Tabellen viser "
                "også scoren, når forvaltningerne vægtes med antal svarende og med det skønnede antal "
                "indkøbsmedarbejdere (data/departments.yaml), med placering i parentes.",
                "Sensitivity: the municipal score is the mean of every department with equal weights (Other "
                "departments counting as many as the group holds). The table "
                "also shows the score when departments are weighted by respondents and by the estimated number of "
                "procurement staff (data/departments.yaml), with the rank in brackets.",
            )
        )
        + "</p>"
    )
    out.append(
        f"<table class='scores wide-first keep'><thead><tr><th>{escape(t(lang, 'Værdi', 'Value'))}</th>{head}"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    out.append("<p>" + escape(sensitivity_sentence(b, summary)) + "</p>")
    return "\n".join(out)


def sensitivity_sentence(b: Briefing, summary: dict) -> str:
    """Say whether the order of the values holds under every weighting, and which values move."""
    lang, names = b.lang, b.value_names()
    if summary["holds"]:
        return t(
            lang,
            "Rækkefølgen af værdierne er den samme med alle vægtninger.",
            "The order of the values is the same under every weighting.",
        )
    kept = [v for v in b.codebook.value_ids if v not in summary["changed"]]
    fixed = [f"{names[v]} ({summary['ranks'][v]['equal']}.)" for v in kept]
    moved = [names[v].lower() if lang == "da" else names[v] for v in summary["changed"]]
    first = t(
        lang,
        f"Rækkefølgen skifter mellem vægtningerne for {join_names(moved, lang)}.",
        f"The order changes between weightings for {join_names(moved, lang)}.",
    )
    second = (
        t(
            lang,
            f"{join_names(fixed, lang)} har samme placering med alle vægtninger.",
            f"{join_names(fixed, lang)} keeps its place under every weighting.",
        )
        if fixed
        else ""
    )
    third = t(
        lang,
        "Hovedtallet bruger lige vægt, fordi hver forvaltning er en selvstændig enhed i politikken.",
        "The headline uses equal weights because each department is an accountable unit under the policy.",
    )
    return " ".join(filter(None, [first, second, third]))


def focus_area_table(b: Briefing, value_id: str) -> str:
    """Return a value's focus-area scores per department (shown when the value's alpha is low)."""
    lang = b.lang
    fa = b.scores.department_focus_area
    fa = fa[(fa["wave"] == b.wave) & (fa["value"] == value_id)]
    areas = list(b.codebook.value(value_id).focus_areas)
    head = "".join(f"<th class='num'>{escape(f.name_en if lang == 'en' else f.name_da)}</th>" for f in areas)
    rows = []
    for dept, g in fa.groupby("department", sort=False):
        g = g.set_index("focus_area")
        tds = "".join(
            f"<td class='num hidden'>{escape(b.hidden)}</td>"
            if g.loc[f.id, "suppressed"]
            else f"<td class='num'>{b.number(g.loc[f.id, 'score'], 2)}<br><span class='ci'>"
            f"{format_interval(g.loc[f.id, 'ci_low'], g.loc[f.id, 'ci_high'], lang, 2)}</span></td>"
            for f in areas
        )
        rows.append(f"<tr><td>{escape(dept)}</td>{tds}</tr>")
    return (
        f"<table class='scores'><thead><tr><th>{escape(t(lang, 'Kode', 'Code'))}</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def department_distributions(b: Briefing) -> str:
    """Return appendix 5: the answer distribution of each department large enough to show one."""
    lang = b.lang
    out = [
        f"<h3>{escape(t(lang, 'Bilag 5. Svarfordelinger pr. forvaltning', 'Appendix 5. Answer distributions per department'))}</h3>"
    ]
    depts = b.distribution_departments
    limit = distribution_limit(b.scores.min_n)
    if not depts:
        out.append(
            "<p>"
            + escape(
                t(
                    lang,
                    f"Ingen forvaltning har mindst {limit} svarende, så ingen fordeling vises.",
                    f"No department has at least {limit} respondents, so no distribution is shown.",
                )
            )
            + "</p>"
        )
        return "\n".join(out)
    others = [
        c for c in b.scores.respondents.loc[b.scores.respondents["wave"] == b.wave, "department"] if c not in depts
    ]
    out.append(
        "<p>"
        + escape(
            t(
                lang,
                f"Fordelinger vises kun for forvaltninger med mindst {limit} svarende ({join_names(depts, lang)})"
                + (f"; {join_names(others, lang)} vises ikke." if others else "."),
                f"Distributions are shown only for departments with at least {limit} respondents "
                f"({join_names(depts, lang)})" + (f"; {join_names(others, lang)} are not shown." if others else "."),
            )
        )
        + "</p>"
    )
    for dept in depts:
        name = b.departments.name_of(dept, lang)
        out.append(
            b.figure(
                f"distribution:{dept}",
                t(
                    lang,
                    f"Svarfordeling pr. værdi i {b.wave}: {name}.",
                    f"Answer distribution per value in {b.wave}: {name}.",
                ),
            )
        )
    return "\n".join(out)
