"""The briefing's Bilag, a document of their own (``bilag.*``) that the memo lists and links to.

From a :class:`analysis.report.briefing.Briefing`: Bilag 1 Metode (:func:`method_section`: the
method in plain words, then the technical details, reliability and sensitivity), Bilag 2 Tabeller
og figurer (:func:`tables_section`), Bilag 3 Datakvalitet og kendskab (:func:`quality_section`)
and Bilag 4 Sporbarhed (:func:`provenance_section`, also the profiles' provenance appendix, from the
manifest that ``briefing render`` writes). Each is a view-model section (:mod:`analysis.report.view`).
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
from .case import change_table
from .innovation import bilag_blocks as innovation_bilag_blocks
from .innovation import register_blocks
from .narrative import sentence_coverage
from .texts import Run
from .view import Cell, Heading, Items, Paragraph, Section, Table


def _bilag(b: Briefing, number: int, key: str, blocks: list) -> Section:
    """Return Bilag ``number`` of the Bilag document: its heading (the anchor the memo links to) and blocks."""
    return Section(key, [Heading(b.bilag_title(number), 2, f"bilag-{number}"), *blocks], document="bilag")


def provenance_section(
    lang: str, output_dir: str | Path, title: str, *, document: str = "profile", anchor: str = ""
) -> Section:
    """Return the provenance appendix: which data, code and settings produced the document.

    In the Bilag document it is a Bilag of its own (a level-2 heading); in a profile, a subsection.

    Reads the ``manifest.json`` that ``briefing render`` writes into the output folder before
    the notebook runs; an interactive run (no ``output_dir``) gets a one-line note instead.
    """
    from ..pipeline.provenance import provenance_rows, read_manifest

    heading = Heading(title, 2 if document == "bilag" else 3, anchor)
    manifest = read_manifest(output_dir) if str(output_dir) else None
    if manifest is None:
        note = t(
            lang,
            "Kørt interaktivt: ingen manifest (briefing render skriver et).",
            "Run interactively: no manifest (briefing render writes one).",
        )
        return Section("provenance", [heading, Paragraph.of(note, style="note")], document)
    rows = tuple((Cell(label, "head"), Cell(value)) for label, value in provenance_rows(manifest, lang=lang))
    intro = t(
        lang,
        "Dokumentet er lavet af disse data, denne kode og disse indstillinger; det samme står i "
        "manifest.json ved siden af og i PDF-filens metadata.",
        "The document was made from these data, this code and these settings; the same facts are in "
        "manifest.en.json beside it and in the PDF's metadata.",
    )
    table = Table((Cell(t(lang, "Oplysning", "Item")), Cell(t(lang, "Værdi", "Value"))), rows, "provenance")
    return Section("provenance", [heading, Paragraph.of(intro), table], document)


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


def method_section(b: Briefing) -> Section:
    """Return Bilag 1: the method in plain words, then the technical details and the settings of this run."""
    blocks = [*method_plain(b), Heading(t(b.lang, "Tekniske detaljer", "Technical details"), 3, "teknik")]
    blocks.extend(method_technical(b))
    blocks.extend(robustness(b))
    return _bilag(b, 1, "method", blocks)


def method(b: Briefing) -> Section:
    """Return Bilag 1 (the name the method's tests and the notebook's readers know)."""
    return method_section(b)


def method_plain(b: Briefing) -> list:
    """Return the method in plain words: the questions, the scores, the uncertainty, anonymity, the data."""
    from ..stats.changes import MINIMAL_IMPORTANT_DIFFERENCE

    lang, s, cb = b.lang, b.scores, b.codebook
    n_items, n_fa = len(cb.items), len(cb.focus_areas)
    n_rev = sum(it.reverse for it in cb.items)
    levels = ", ".join(f"{c} {b.level_name(c)}" for c in sorted(cb.levels))
    members = b.group_members()
    group = config.MERGED_GROUP_NAME[lang]
    pooled = join_names(members, lang) if members else t(lang, "ingen", "none")
    conf = confidence_text(s.confidence, lang)
    limit = distribution_limit(s.min_n)
    mid = b.number(MINIMAL_IMPORTANT_DIFFERENCE, 2)
    data = data_source(b.is_sample, lang)
    files = ", ".join(Path(f).name for f in b.response_files)
    paras = t_list(
        lang,
        [
            f"Spørgeskemaet (kodebog version {cb.version}) har {n_items} spørgsmål fordelt på indkøbspolitikkens "
            f"fem værdier og {n_fa} indsatsområder. Hvert spørgsmål beskriver en praksis, og den svarende vælger "
            f"det niveau, der bedst beskriver forvaltningens praksis: {levels}. Svarene »Ved ikke« og »Ikke "
            f"relevant« indgår ikke i scoren; andelen »Ved ikke« vises for sig i bilag 3. {n_rev} spørgsmål er "
            f"formuleret omvendt og vendes (6 minus svaret), før der regnes.",
            "En forvaltnings score på et spørgsmål er gennemsnittet af dens gyldige svar. Et indsatsområdes "
            "score er gennemsnittet af dets spørgsmål, og en værdis score er gennemsnittet af dens "
            "indsatsområder, som vejer lige meget. Kommunens score dækker alle forvaltninger med svar, som "
            f"vejer lige meget uanset antal svar; forvaltninger i »{group}« indgår med gruppens score, og "
            "gruppen tæller med så mange forvaltninger, som den rummer. Niveauet er det nærmeste hele niveau "
            "(2,5 rundes op til 3). Ved siden af hver værdis score vises andelen af svar på niveau 4-5.",
            "Tallene bygger på dem, der har svaret, og ville blive lidt anderledes med andre svarende. Den "
            f"usikkerhed vises som et interval: med {conf} sikkerhed ligger scoren inden for intervallet, og jo "
            "færre svar, jo bredere er det. Teksten kalder kun en værdi eller forvaltning højere eller lavere end "
            "en anden, når forskellen mellem dem er klar, og en ændring fra år til år kaldes kun en forbedring "
            f"eller et fald, når den er klar og mindst {mid} point på skalaen. Et »?« efter et niveau betyder, at "
            "intervallet går over en niveaugrænse, så niveauet er usikkert.",
            f"Anonymitet: En forvaltning vises ikke på en værdi, når færre end {s.min_n} har givet et gyldigt svar "
            f"på værdiens spørgsmål (grænsen kan ikke sættes lavere end 5). De små forvaltninger lægges sammen "
            f"i »{group}« og vises med gruppens score og navnene på dens forvaltninger. Er der kun én lille "
            f"forvaltning, eller har gruppen færre end {s.min_n} svarende, lægges den mindste af de viste "
            "forvaltninger til (ved lighed den sidste i rækkefølgen), og dens egen score skjules også, så ingen "
            "forvaltnings resultat kan regnes baglæns. Antal under "
            f"{s.min_n} vises som »færre end {s.min_n}«. Svarfordelinger vises kun for forvaltninger med mindst "
            f"{limit} svarende. Andelen »Ved ikke« vises, hvor scoren vises, og kaldes kun »over 30 %«, når hele "
            f"dens interval ligger over. I {b.wave} indgår i {group}: {pooled}.",
            f"Data: {data} ({files}).",
        ],
        [
            f"The questionnaire (codebook version {cb.version}) has {n_items} questions spread over the policy's "
            f"five values and {n_fa} focus areas. Each question describes a practice and the respondent picks the "
            f"level that best describes the department's practice: {levels}. 'Ved ikke' (don't know) and 'Ikke "
            f"relevant' (not applicable) are not scored; the don't-know share is shown separately in appendix 3. "
            f"{n_rev} questions are worded in reverse and turned (6 minus the answer) before scoring.",
            "A department's score on a question is the mean of its valid answers. A focus area's score is the "
            "mean of its questions and a value's score the mean of its focus areas, which weigh equally. The "
            "municipality's score covers every department with answers, each weighing the same whatever its "
            f"number of answers; departments in '{group}' enter with the group's score, and the group counts as "
            "many departments as it holds. The level is the nearest whole level (2.5 rounds up to 3). Beside each "
            "value's score the share of answers at level 4-5 is shown.",
            "The numbers rest on those who answered and would come out a little different with other "
            f"respondents. That uncertainty is shown as an interval: with {conf} confidence the score lies inside "
            "it, and the fewer the answers, the wider it is. The text calls a value or department higher or "
            "lower than another only when the difference between them is clear, and a change between years is "
            f"an improvement or a decline only when it is clear and at least {mid} points on the scale. A '?' "
            "after a level means the interval crosses a level boundary, so the level is uncertain.",
            f"Anonymity: a department is not shown on a value when fewer than {s.min_n} gave a valid answer to the "
            f"value's questions (the limit cannot be set below 5). The small departments are pooled in '{group}' "
            f"and shown with the group's score and the names of its departments. When only one department is "
            f"small, or the group has fewer than {s.min_n} respondents, the smallest published department joins "
            "it (on a tie the later in report order) and its own score is hidden too, so that no department's "
            f"result can be worked out backwards. Counts under {s.min_n} read 'fewer than {s.min_n}'. Answer "
            f"distributions are shown only for departments of at least {limit} respondents. The don't-know share "
            "is shown where the score is, and called 'over 30 %' only when its whole interval lies above. In "
            f"{b.wave}, '{group}' holds: {pooled}.",
            f"Data: {data} ({files}).",
        ],
    )
    return [Paragraph.of(p) for p in paras]


def t_list(lang: str, da: list[str], en: list[str]) -> list[str]:
    """Return the Danish or the English list of texts."""
    return en if lang == "en" else da


def method_technical(b: Briefing) -> list:
    """Return the method's technical details: resampling, paired comparisons, test families, the settings table."""
    lang, s = b.lang, b.scores
    conf, ci = confidence_text(s.confidence, lang), b.interval
    paras = t_list(
        lang,
        [
            f"Intervallerne er {conf}-intervaller beregnet med bootstrap: svarene trækkes {b.number(s.resamples, 0)} "
            f"gange med tilbagelægning inden for hver forvaltning (fast startværdi {s.seed}), og hele beregningen "
            "gentages hver gang. For en forvaltning tages intervallet på et justeret niveau, der tager højde for, "
            "at grupperne er små (det udvidede percentilinterval), så det også holder ved 5-10 svarende. Kommunens "
            "interval følger af at trække inden for hver forvaltning og gruppe for sig.",
            "Sammenligninger bygger på forskellen mellem to scorer beregnet i de samme gentagelser (parvis), ikke på "
            "om intervallerne overlapper: en værdi eller forvaltning kaldes højere eller lavere, når intervallet for "
            "forskellen ikke indeholder 0. Ændringer fra år til år testes som to familier: kommunens fem ændringer "
            "(Holm-korrektion) og forvaltningernes ændringer (Benjamini-Hochberg, 5 % falske fund).",
            f"Pålidelighed og følsomhed (nedenfor): Cronbachs alfa pr. værdi med Feldts {ci} viser, om "
            f"spørgsmålene under en værdi hænger sammen; den beregnes kun på de viste forvaltningers svarende, "
            f"målt inden for hver forvaltning. Under {b.number(LOW_ALPHA)} vises værdiens indsatsområder "
            "hver for sig. Kommunens scorer beregnes også med forvaltningerne vægtet efter antal svarende og efter "
            "det skønnede antal indkøbsmedarbejdere, for at vise om rækkefølgen af værdierne afhænger af vægtningen.",
        ],
        [
            f"The intervals are {conf} intervals by bootstrap: the answers are redrawn {b.number(s.resamples, 0)} "
            f"times with replacement within each department (fixed seed {s.seed}) and the whole calculation is "
            "repeated each time. A department's interval is taken at an adjusted level that allows for small groups "
            "(the expanded percentile interval), so that it holds at 5-10 respondents too. The municipal interval "
            "follows from redrawing within each department and group separately.",
            "Comparisons rest on the difference between two scores computed in the same resamples (paired), not "
            "on whether intervals overlap: a value or department is called higher or lower when the interval of "
            "the difference excludes 0. Changes between years are tested as two families: the municipality's five "
            "changes (Holm correction) and the departments' changes (Benjamini-Hochberg, 5 % false discoveries).",
            f"Reliability and sensitivity (below): Cronbach's alpha per value with Feldt's {ci} "
            "shows whether the questions under a value hang together; it is computed on the published "
            f"departments' respondents only, within each department. Below {b.number(LOW_ALPHA)} the value's "
            "focus areas are shown one by one. The municipal scores are also computed with departments weighted by "
            "respondents and by the estimated procurement staff, to show whether the order of the values depends "
            "on the weighting.",
        ],
    )
    rows = tuple((Cell(label, "head"), Cell(value, "num")) for _, label, value in method_parameters(b))
    settings = Table(
        (Cell(t(lang, "Indstilling", "Setting")), Cell(t(lang, "Værdi", "Value"), "num")), rows, "settings", keep=True
    )
    return [
        *(Paragraph.of(p) for p in paras),
        Paragraph.of(t(lang, "Indstillinger i denne kørsel:", "Settings of this run:")),
        settings,
    ]


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


def quality_section(b: Briefing) -> Section:
    """Return Bilag 3: responses per department and year, response rates, "don't know", loading notes."""
    lang = b.lang
    resp = b.scores.respondents.pivot(index="department", columns="wave", values="respondents")
    resp = resp.reindex(b.departments.order(resp.index))
    waves = list(resp.columns)
    columns = (
        Cell(t(lang, "Kode", "Code")),
        Cell(t(lang, "Forvaltning", "Department")),
        *(Cell(str(w), "num") for w in waves),
    )
    rows = []
    for dept, row in resp.iterrows():
        name = b.departments.name_of(dept, lang)
        rows.append((Cell(dept, "head"), Cell(name), *(Cell(_count_cell(b, dept, w, row[w]), "num") for w in waves)))
    counts = b.survey.quality.respondent_counts
    rows.append(
        (
            Cell(strong=t(lang, "I alt", "Total"), style="head"),
            Cell(),
            *(Cell(strong=str(int(counts[w].sum())) if w in counts.columns else "", style="num") for w in waves),
        )
    )
    blocks: list = [
        Heading(t(lang, "Besvarelser", "Responses"), 3, "besvarelser"),
        Paragraph.of(t(lang, "Besvarelser pr. forvaltning og år:", "Responses per department and year:")),
        Table(columns, tuple(rows), "respondents"),
    ]
    rates = _response_text(b)
    if rates:
        blocks.append(Paragraph.of(rates))
    rows_read = _rows_read_text(b)
    if rows_read:
        blocks.append(Paragraph.of(rows_read))

    dk = b.scores.dont_know
    dk = dk[dk["wave"] == b.wave]
    names = b.value_names()
    flagged = dk[dk["flagged"] == True]  # noqa: E712 - NaN-safe boolean column
    flag = threshold_text(config.DONT_KNOW_FLAG, lang, spaced=True)
    blocks.append(Heading(t(lang, "Kendskab: svaret »Ved ikke«", "Awareness: the answer “don’t know”"), 3, "ved-ikke"))
    from .case import dont_know_sentence

    if b.publishable:
        blocks.append(Paragraph.of(dont_know_sentence(b)))
        blocks.append(
            b.figure(
                "dont_know",
                t(
                    lang,
                    f"Andel »Ved ikke« af de afgivne svar pr. forvaltning og værdi i {b.wave}. Over {flag} er markeret.",
                    f"Share of 'don't know' among the answers given per department and value in {b.wave}. Above {flag} "
                    "is marked.",
                ),
                document="bilag",
            )
        )
    blocks.append(
        Paragraph.of(
            t(
                lang,
                f"Andel »Ved ikke« af de afgivne svar pr. forvaltning og værdi i {b.wave}. Over {flag} er markeret med "
                "fed: her ved mange ikke, hvordan forvaltningen arbejder, og det er i sig selv et tegn på lav modenhed.",
                f"Share of 'don't know' among the answers given per department and value in {b.wave}. Above {flag} "
                "is marked in bold: many do not know how the department works, which is itself a sign of low maturity.",
            )
        )
    )
    blocks.append(
        b.value_table(
            dk,
            lambda r: Cell(format_share(r["dont_know_share"], lang), "num flag" if r["flagged"] else "num"),
            "dontknow",
        )
    )
    if not flagged.empty:
        items = [
            f"{d} ({names[v].lower() if lang == 'da' else names[v]})"
            for d, v in zip(flagged["department"], flagged["value"])
        ]
        blocks.append(
            Paragraph.of(
                t(
                    lang,
                    f"Over {flag} »Ved ikke«: {join_names(items, lang)}.",
                    f"Above {flag} don't know: {join_names(items, lang)}.",
                )
            )
        )
    blocks.append(Heading(t(lang, "Indlæsning", "Loading"), 3, "indlaesning"))
    warnings = b.survey.quality.warnings
    if warnings:
        blocks.append(Paragraph.of(t(lang, "Bemærkninger fra indlæsningen:", "Notes from loading:")))
        blocks.append(Items(tuple((Run(w),) for w in warnings), style="warnings"))
    else:
        blocks.append(Paragraph.of(t(lang, "Indlæsningen gav ingen bemærkninger.", "Loading gave no warnings.")))
    return _bilag(b, 3, "quality", blocks)


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


def tables_section(b: Briefing) -> Section:
    """Return Bilag 2: innovation per department, the score tables, the changes and the answer distributions."""
    lang, names = b.lang, b.value_names()
    from .briefing import INNOVATION

    if not b.publishable:
        return _bilag(b, 2, "tables", [Paragraph.of(b.nothing_shown_sentence()), *register_blocks(b)])
    blocks: list = [
        Heading(names[INNOVATION], 3, "innovation-forvaltninger"),
        b.figure(
            "innovation",
            t(
                lang,
                f"{names[INNOVATION]} pr. forvaltning i {b.wave} med {b.interval}; den lodrette linje er kommunens "
                "gennemsnit.",
                f"{names[INNOVATION]} per department in {b.wave} with {b.interval}; the vertical line is the "
                "municipal mean.",
            ),
            document="bilag",
        ),
        *innovation_bilag_blocks(b),
        *score_tables(b),
    ]
    if b.previous_wave is not None:
        blocks.append(
            Heading(t(lang, f"Ændringer siden {b.previous_wave}", f"Changes since {b.previous_wave}"), 3, "aendringer")
        )
        blocks.extend(change_table(b, b.changes))
        blocks.extend(department_change_table(b))
    blocks.extend(distributions(b))
    return _bilag(b, 2, "tables", blocks)


def score_tables(b: Briefing) -> list:
    """Return the scores per department and value, and the municipality per year."""
    lang, short, ci = b.lang, b.short_names(), b.interval
    values = b.codebook.value_ids
    scores_table = b.value_table(
        b.department_cells(),
        lambda r: Cell(
            f"{b.level_name(r['level'])}{'?' if r['level_uncertain'] else ''}\n"
            f"{format_interval(r['ci_low'], r['ci_high'], lang, 2)}\nn = {int(r['n'])}",
            "num",
            strong=b.number(r["score"], 2),
        ),
        "scores",
    )
    muni_rows = []
    for wave in b.scores.waves:
        m = b.municipal_cells(wave).set_index("value")
        muni_rows.append(
            (
                Cell(str(wave), "head"),
                *(
                    Cell(
                        f"{format_interval(m.loc[v, 'ci_low'], m.loc[v, 'ci_high'], lang, 2)}\n"
                        f"{int(m.loc[v, 'n_departments'])} {t(lang, 'forv.', 'dept.')}",
                        "num",
                        strong=b.number(m.loc[v, "score"], 2),
                    )
                    for v in values
                ),
            )
        )
    legend = t(
        lang,
        f"Score (1-5), niveau, {ci} og antal svarende (n). »?« betyder, at intervallet krydser en "
        "niveaugrænse, så niveauet er usikkert.",
        f"Score (1-5), level, {ci} and number of respondents (n). '?' means the interval crosses a "
        "level boundary, so the level is uncertain.",
    )
    members = b.group_members()
    coverage = (
        sentence_coverage(
            b.municipal_cells().set_index("value")["score"],
            b.published_only_scores(),
            b.value_names(),
            join_names(members, lang),
            lang,
        )
        if members
        else ""
    )
    return [
        Heading(t(lang, "Scorer", "Scores"), 3, "scorer"),
        *([Paragraph.of(coverage)] if coverage else []),
        Paragraph.of(
            t(
                lang,
                f"Modenhed pr. forvaltning og værdi i {b.wave}.",
                f"Maturity per department and value in {b.wave}.",
            ),
            " ",
            legend,
        ),
        scores_table,
        Paragraph.of(
            t(
                lang,
                "Kommunens modenhed pr. værdi og år (alle forvaltninger; Øvrige forvaltninger vejer med deres antal).",
                "Municipal maturity per value and year (every department; Other departments weigh as many as they hold).",
            )
        ),
        Table(
            (Cell(t(lang, "År", "Year")), *(Cell(short[v], "num") for v in values)),
            tuple(muni_rows),
            "scores",
            keep=True,
        ),
    ]


def department_change_table(b: Briefing) -> list:
    """Return the change per department and value since the previous wave; nothing without one."""
    if b.previous_wave is None:
        return []
    lang, ci = b.lang, b.interval

    def cell(r) -> Cell:
        sign = "+" if r["diff"] > 0 else ""
        style = "num flag" if r["verdict"] in ("improvement", "decline") else "num"
        return Cell(
            f"{sign}{b.number(r['diff'], 2)}\n{format_interval(r['ci_low'], r['ci_high'], lang, 2)}\n"
            f"{change_word(r['verdict'], lang)}",
            style,
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
    return [Paragraph.of(intro), table]


def robustness(b: Briefing) -> list:
    """Return the internal consistency (alpha) and the weighting sensitivity panel, for Bilag 1."""
    lang, names, short, ci = b.lang, b.value_names(), b.short_names(), b.interval
    low_alpha = b.number(LOW_ALPHA)
    blocks: list = [Heading(t(lang, "Pålidelighed", "Reliability"), 4, "paalidelighed")]
    alpha = b.reliability
    blocks.append(
        Paragraph.of(
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
    )
    columns = (
        Cell(t(lang, "Værdi", "Value")),
        Cell(t(lang, "Alfa", "Alpha"), "num"),
        Cell(ci, "num"),
        Cell(t(lang, "Svarende", "Respondents"), "num"),
        Cell(t(lang, "Spørgsmål", "Questions"), "num"),
    )
    rows = tuple(
        (
            Cell(names[r.value], "head"),
            Cell(b.number(r.alpha, 2), "num"),
            Cell(format_interval(r.ci_low, r.ci_high, lang, 2), "num"),
            Cell(str(int(r.n)), "num"),
            Cell(str(int(r.k)), "num"),
        )
        for r in alpha.itertuples()
    )
    blocks.append(Table(columns, rows, "reliability", keep=True))
    low = alpha[alpha["low"] == True]  # noqa: E712 - the column can hold NA
    if low.empty:
        blocks.append(
            Paragraph.of(
                t(
                    lang,
                    f"Alle fem værdier har en alfa på mindst {low_alpha}.",
                    f"All five values have an alpha of at least {low_alpha}.",
                )
            )
        )
    for r in low.itertuples():
        blocks.append(
            Paragraph.of(
                t(
                    lang,
                    f"{names[r.value]} har en alfa under {low_alpha} ({b.number(r.alpha, 2)}); "
                    "indsatsområderne vises derfor hver for sig:",
                    f"{names[r.value]} has an alpha below {low_alpha} ({b.number(r.alpha, 2)}); its focus "
                    "areas are therefore shown one by one:",
                )
            )
        )
        blocks.append(focus_area_table(b, r.value))

    if not b.publishable:
        return blocks  # no municipal score, so no weighting to compare
    table = b.sensitivity
    summary = ranking_summary(table)
    scheme_names = {
        "equal": t(lang, "Lige vægt (hovedtal)", "Equal weights (headline)"),
        "respondents": t(lang, "Vægtet med svarende", "Weighted by respondents"),
        "headcount": t(lang, "Vægtet med indkøbsmedarbejdere", "Weighted by procurement staff"),
    }
    schemes = summary["schemes"]
    rows = []
    for vid in b.codebook.value_ids:
        cells = []
        for sc in schemes:
            r = table[(table["value"] == vid) & (table["scheme"] == sc)].iloc[0]
            cells.append(
                Cell(
                    f"({int(r['rank'])}.)\n{format_interval(r['ci_low'], r['ci_high'], lang, 2)}",
                    "num",
                    strong=b.number(r["score"], 2),
                )
            )
        rows.append((Cell(short[vid], "head"), *cells))
    blocks.append(Heading(t(lang, "Følsomhed for vægtningen", "Sensitivity to the weighting"), 4, "foelsomhed"))
    blocks.append(
        Paragraph.of(
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
    )
    blocks.append(
        Table(
            (Cell(t(lang, "Værdi", "Value")), *(Cell(scheme_names[sc], "num") for sc in schemes)),
            tuple(rows),
            "scores wide-first",
            keep=True,
        )
    )
    blocks.append(Paragraph.of(sensitivity_sentence(b, summary)))
    return blocks


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


def focus_area_table(b: Briefing, value_id: str) -> Table:
    """Return a value's focus-area scores per department (shown when the value's alpha is low)."""
    lang = b.lang
    fa = b.scores.department_focus_area
    fa = fa[(fa["wave"] == b.wave) & (fa["value"] == value_id)]
    areas = list(b.codebook.value(value_id).focus_areas)
    columns = (Cell(t(lang, "Kode", "Code")), *(Cell(f.name_en if lang == "en" else f.name_da, "num") for f in areas))
    rows = []
    for dept, g in fa.groupby("department", sort=False):
        g = g.set_index("focus_area")
        cells = tuple(
            Cell(b.hidden, "num hidden")
            if g.loc[f.id, "suppressed"]
            else Cell(
                f"{b.number(g.loc[f.id, 'score'], 2)}\n"
                f"{format_interval(g.loc[f.id, 'ci_low'], g.loc[f.id, 'ci_high'], lang, 2)}",
                "num",
            )
            for f in areas
        )
        rows.append((Cell(str(dept), "head"), *cells))
    return Table(columns, tuple(rows), "scores")


def distributions(b: Briefing) -> list:
    """Return the answer distributions: the departments together, then each department large enough to show one."""
    lang = b.lang
    limit = distribution_limit(b.scores.min_n)
    blocks: list = [
        Heading(t(lang, "Svarfordelinger", "Answer distributions"), 3, "svarfordelinger"),
        Paragraph.of(
            t(
                lang,
                "Fordelingen af svarene på de fem niveauer viser, om en middelscore dækker over enighed eller "
                "spredning. Niveau 1-2 står til venstre for midten, niveau 4-5 til højre, og niveau 3 deles af "
                "midterlinjen.",
                "The distribution of the answers over the five levels shows whether a mean hides agreement or "
                "spread. Levels 1-2 are left of the centre, levels 4-5 right of it, and level 3 is split by the "
                "centre line.",
            )
        ),
        b.figure(
            "distribution",
            t(
                lang,
                f"Svarfordeling pr. værdi i {b.wave} for forvaltningerne under ét (uden dem, hvis fordeling kunne "
                "regnes baglæns); »Ved ikke« og »Ikke relevant« til højre som andel af alle svar.",
                f"Answer distribution per value in {b.wave} for the departments together (leaving out those whose "
                "distribution could be worked out backwards); 'don't know' and 'not applicable' on the right as "
                "shares of all answers.",
            ),
            document="bilag",
        ),
    ]
    depts = b.distribution_departments
    if not depts:
        blocks.append(
            Paragraph.of(
                t(
                    lang,
                    f"Ingen forvaltning har mindst {limit} svarende, så ingen fordeling pr. forvaltning vises.",
                    f"No department has at least {limit} respondents, so no distribution per department is shown.",
                )
            )
        )
        return blocks
    others = [
        c for c in b.scores.respondents.loc[b.scores.respondents["wave"] == b.wave, "department"] if c not in depts
    ]
    blocks.append(
        Paragraph.of(
            t(
                lang,
                f"Fordelinger pr. forvaltning vises kun for forvaltninger med mindst {limit} svarende "
                f"({join_names(depts, lang)})" + (f"; {join_names(others, lang)} vises ikke." if others else "."),
                f"Distributions per department are shown only for departments with at least {limit} respondents "
                f"({join_names(depts, lang)})" + (f"; {join_names(others, lang)} are not shown." if others else "."),
            )
        )
    )
    for dept in depts:
        name = b.departments.name_of(dept, lang)
        blocks.append(
            b.figure(
                f"distribution:{dept}",
                t(
                    lang,
                    f"Svarfordeling pr. værdi i {b.wave}: {name}.",
                    f"Answer distribution per value in {b.wave}: {name}.",
                ),
                document="bilag",
            )
        )
    return blocks
