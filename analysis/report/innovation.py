"""The innovation track: why departments are where they are, the documented cases, and staff's own words.

The memo's subsection *Partnerskaber og innovation* (:func:`memo_blocks`) tells it in one order,
within a page: maturity on innovation (who is ahead, who behind), the largest barriers, the
documented cases beside the self-assessment, and what staff say would help. The Bilag
(:func:`bilag_blocks`) holds the detail: departments x barriers, the case register, cases beside
each department's innovation score, OPP/OPI per year, and the themes (with redacted quotes when
the analyst turned them on). Numbers come from :mod:`analysis.stats.barriers`,
:mod:`analysis.stats.cases` and :mod:`analysis.stats.themes`; what may be shown is decided in
:mod:`analysis.stats.disclosure`. Free text reaches a document only as a quote that passed redaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .. import config
from ..formatting import format_interval, format_number, join_names
from ..formatting import format_share as _share
from ..stats.cases import case_counts, new_cases, opp_opi_per_year, register_frame
from ..words import count_text, hidden_word, t
from .briefing import INNOVATION
from .texts import Run
from .view import Cell, Heading, Items, Paragraph, Table

if TYPE_CHECKING:
    from .briefing import Briefing

#: Why the administration advised against a numeric target for OPP/OPI (the orientering to ØU).
NO_TARGET = {
    "da": "Der er ikke sat et måltal for antallet: OPP og OPI er langsomme, risikable og svinger fra år til år, og "
    "ét vellykket partnerskab er mere værd end flere svagere.",
    "en": "The Finance Administration sets no target for their number: OPP and OPI are slow, risky and vary from "
    "year to year, and one successful partnership is worth more than several weaker ones.",
}


def _pct(x, lang: str) -> str:
    """Return a share as "50 %" (Danish) or "50%", the number and sign kept together on one line."""
    return _share(float(x), lang).replace(" ", "\u00a0")


def _group_label(group: str, lang: str) -> str:
    """Return a table's column label for a group: the department code, "Øvrige" or "Kommunen"."""
    return {config.MERGED_GROUP: t(lang, "Øvrige", "Other"), config.MUNICIPALITY: t(lang, "Kommunen", "City")}.get(
        group, group
    )


def _bilag(b: Briefing) -> Run:
    from .case import bilag_ref

    return bilag_ref(b, 2)


# -- the memo ------------------------------------------------------------------------------------
def memo_blocks(b: Briefing) -> list:
    """Return the memo's *Partnerskaber og innovation*: maturity, barriers, cases, what would help."""
    lang = b.lang
    blocks: list = [Heading(b.value_names()[INNOVATION], 3, "innovation")]
    maturity = b.innovation_sentence()
    if maturity:
        blocks.append(Paragraph.of(maturity.rstrip(". "), " (", _bilag(b), ")."))
    barrier_text = barrier_sentences(b)
    if barrier_text:
        blocks.append(
            b.figure(
                "barriers",
                t(
                    lang,
                    f"Andel af de svarende, der i høj eller meget høj grad oplever hver barriere, og som har hver "
                    f"forudsætning på plads, {b.wave}, med usikkerhed. Alle forvaltninger vejer lige meget.",
                    f"Share of respondents who to a high or very high degree meet each barrier, and who have each "
                    f"enabler in place, {b.wave}, with uncertainty. Every department weighs the same.",
                ),
            )
        )
        blocks.append(Paragraph.of(Run(t(lang, "Barrierer. ", "Barriers. "), bold=True), barrier_text))
    case_text = case_sentences(b)
    if case_text:
        blocks.append(Paragraph.of(Run(t(lang, "Dokumenterede sager. ", "Documented cases. "), bold=True), case_text))
    words = theme_sentences(b)
    if words:
        blocks.append(
            Paragraph.of(
                Run(t(lang, "Hvad ville hjælpe? ", "What would help? "), bold=True), words, " (", _bilag(b), ")."
            )
        )
    return blocks


def _lower_first(name: str) -> str:
    """Return a name for the middle of a sentence: its first letter small (unless an abbreviation)."""
    first = name.split(" ", 1)[0]
    return name if len(first) > 1 and first.isupper() else name[:1].lower() + name[1:]


def _names(b: Briefing, ids) -> list[str]:
    return [_lower_first(b.codebook.barriers.item(i).short(b.lang)) for i in ids]


def barrier_sentences(b: Briefing) -> str:
    """Return the municipal ranking of barriers (guarded) and the enablers in place, in words; '' without data."""
    lang = b.lang
    barriers = b.barrier_ranking("barrier")
    if barriers.empty or barriers["share_high"].isna().all():
        return ""
    shown = barriers[barriers["share_high"].notna()]
    top = shown[shown["tied_with_top"].astype(bool)]
    parts = [f"{name} ({_pct(s, lang)})" for name, s in zip(_names(b, top["barrier"]), top["share_high"])]
    n = _respondents(b)
    base = t(lang, f"Af de {n} svarende ", f"Of the {n} respondents, ") if n else ""
    if len(shown) == 1:
        # One statement asked (a wave before the instrument was complete): a share, no ranking.
        name, share = _names(b, shown["barrier"])[0], _pct(shown["share_high"].iloc[0], lang)
        return t(
            lang,
            f"{share} af de svarende oplever {name} som en barriere i høj eller meget høj grad.",
            f"{share} of respondents meet {name} as a barrier to a high or very high degree.",
        )
    if len(top) == 1 and bool(top["clearly_largest"].iloc[0]):
        first = t(
            lang,
            f"{base}oplever flest {parts[0]} som en barriere i høj eller meget høj grad; den er klart større end "
            "de andre.",
            f"{base}most meet {parts[0]} as a barrier to a high or very high degree; it is clearly larger than the "
            "others.",
        )
    elif len(top) == 1:
        first = t(
            lang,
            f"{base}oplever flest {parts[0]} som en barriere i høj eller meget høj grad.",
            f"{base}most meet {parts[0]} as a barrier to a high or very high degree.",
        )
    else:
        first = t(
            lang,
            f"De største barrierer er {join_names(parts, lang)}; forskellen mellem dem er ikke klar.",
            f"The largest barriers are {join_names(parts, lang)}; the difference between them is not clear.",
        )
    rest = shown[~shown["tied_with_top"].astype(bool)]
    second = ""
    if not rest.empty:
        low = [f"{name} ({_pct(s, lang)})" for name, s in zip(_names(b, rest["barrier"]), rest["share_high"])]
        second = t(
            lang,
            f" Færre oplever de øvrige barrierer: {join_names(low, lang)}.",
            f" Fewer meet the other barriers: {join_names(low, lang)}.",
        )
    return first + second


def _respondents(b: Briefing) -> int | None:
    """Return the barrier table's municipal n (respondents answering the instrument), or None."""
    bs = b.barriers
    if bs is None:
        return None
    rows = bs.table[(bs.table["wave"] == b.wave) & (bs.table["department"] == config.MUNICIPALITY)]
    n = pd.to_numeric(rows["n"], errors="coerce").max()
    return None if pd.isna(n) else int(n)


def case_sentences(b: Briefing) -> str:
    """Return the documented cases in words: how many, where, new ones, beside the self-assessment, OPP/OPI."""
    lang, register = b.lang, b.register
    if register is None:
        return ""
    frame = register_frame(register, b.wave)
    if frame.empty:
        return t(
            lang,
            f"Registret over dokumenterede sager har ingen sager for {b.wave}.",
            f"The register of documented cases has no cases for {b.wave}.",
        )
    counts = case_counts(register, b.wave, b.departments)
    per = counts[(counts["department"] != config.MUNICIPALITY) & (counts["total"] > 0)]
    where = join_names([f"{d} {k}" for d, k in zip(per["department"], per["total"])], lang)
    text = t(
        lang,
        f"Registret har {len(frame)} dokumenterede sager fra {len(per)} forvaltninger ({where}).",
        f"The register holds {len(frame)} documented cases from {len(per)} departments ({where}).",
    )
    prev = b.previous_wave
    if prev is not None:
        new = new_cases(register, b.wave, prev)
        if register.first_wave is not None and register.first_wave >= b.wave:
            text += t(lang, f" Registret er oprettet i {b.wave}.", f" The register was started in {b.wave}.")
        elif len(new):
            text += t(lang, f" {len(new)} er kommet til siden {prev}.", f" {len(new)} are new since {prev}.")
        else:
            text += t(lang, f" Ingen er kommet til siden {prev}.", f" None is new since {prev}.")
    opp = opp_opi_per_year(register, b.wave)
    total = int(opp["total"].sum()) if not opp.empty else 0
    text += t(
        lang,
        f" Af dem er {total} {'et OPP- eller OPI-projekt' if total == 1 else 'OPP- eller OPI-projekter'}. "
        f"{NO_TARGET['da']}",
        f" Of them, {total} {'is an OPP or OPI project' if total == 1 else 'are OPP or OPI projects'}. "
        f"{NO_TARGET['en']}",
    )
    return text + " " + fact_sentence(b)


def fact_sentence(b: Briefing) -> str:
    """Return the self-assessment beside the documented cases, stated carefully (a register is no sample)."""
    lang = b.lang
    fp = b.facts
    fp = fp[fp["pattern"] != "hidden"]
    both = fp[(fp["cases"] > 0) & (fp["level"].astype("Float64") >= 4)]
    high_none = fp[fp["pattern"] == "high_no_case"]
    low_with = fp[fp["pattern"] == "low_with_cases"]
    names = b.group_names(INNOVATION)
    parts = []
    if len(both):
        parts.append(
            t(
                lang,
                f"{join_names([names.get(d, d) for d in both['department']], lang)} vurderer sig selv højt på "
                "innovation og har også dokumenterede sager.",
                f"{join_names([names.get(d, d) for d in both['department']], lang)} rate themselves high on "
                "innovation and also have documented cases.",
            )
        )
    if len(high_none):
        parts.append(
            t(
                lang,
                f"{join_names([names.get(d, d) for d in high_none['department']], lang)} vurderer sig selv højt uden "
                "en dokumenteret sag.",
                f"{join_names([names.get(d, d) for d in high_none['department']], lang)} rate themselves high "
                "without a documented case.",
            )
        )
    if len(low_with):
        parts.append(
            t(
                lang,
                f"{join_names([names.get(d, d) for d in low_with['department']], lang)} har dokumenterede sager, men "
                "vurderer sig selv lavt.",
                f"{join_names([names.get(d, d) for d in low_with['department']], lang)} have documented cases but "
                "rate themselves low.",
            )
        )
    parts.append(
        t(
            lang,
            "Registret er ikke en stikprøve: en forvaltning uden sag kan godt arbejde med innovation.",
            "The register is not a sample: a department without a case may still work on innovation.",
        )
    )
    return " ".join(parts)


def theme_sentences(b: Briefing) -> str:
    """Return what staff say would help: how many answered, the most mentioned themes; '' without answers."""
    lang, q, answers = b.lang, b.open_question, b.open_answers
    if q is None or not answers:
        return ""
    muni = b.themes[b.themes["department"] == config.MUNICIPALITY]
    respondents = int((b.survey.respondents["wave"] == b.wave).sum())
    names = {th.id: _lower_first(th.name(lang)) for th in q.themes}
    shown = muni[muni["share"].notna()].sort_values("share", ascending=False, kind="stable")
    top = [f"{names[r.theme]} ({_pct(r.share, lang)})" for r in shown.head(3).itertuples()]
    count = count_text(answers, b.scores.min_n, lang)
    text = t(
        lang,
        f"{count[:1].upper() + count[1:]} af de {respondents} svarende skrev, hvad der ville hjælpe",
        f"{count[:1].upper() + count[1:]} of the {respondents} respondents wrote what would help",
    )
    if top:
        text += t(lang, f"; oftest nævnes {join_names(top, lang)}", f"; most often {join_names(top, lang)}")
    return text


# -- the Bilag -------------------------------------------------------------------------------------
def bilag_blocks(b: Briefing) -> list:
    """Return Bilag 2's innovation part: barriers by department, the case register, themes and quotes."""
    lang = b.lang
    blocks: list = [
        Heading(
            t(
                lang,
                "Innovation: barrierer, sager og medarbejdernes ord",
                "Innovation: barriers, cases and staff's words",
            ),
            3,
            "innovation-detaljer",
        )
    ]
    blocks.extend(barrier_table_blocks(b))
    blocks.extend(register_blocks(b))
    blocks.extend(theme_blocks(b))
    return blocks


def barrier_table_blocks(b: Briefing) -> list:
    """Return departments x barrier statements: the share answering 4-5, hidden where the rules say so."""
    lang, bs = b.lang, b.barriers
    if bs is None or b.wave not in bs.waves:
        return []
    table = bs.table[bs.table["wave"] == b.wave]
    groups = [
        d for d in [*b.departments.codes, config.MERGED_GROUP, config.MUNICIPALITY] if d in set(table["department"])
    ]
    if (
        config.MERGED_GROUP in groups
        and table.loc[table["department"] == config.MERGED_GROUP, "share_high"].isna().all()
    ):
        groups.remove(config.MERGED_GROUP)
    # A department hidden on every statement (it is in Øvrige forvaltninger) gets no column: the note names it.
    pooled = [g for g in groups if g in b.departments.codes and table.loc[table["department"] == g, "suppressed"].all()]
    groups = [g for g in groups if g not in pooled]
    columns = (Cell(t(lang, "Udsagn", "Statement")), *(Cell(_group_label(g, lang), style="num") for g in groups))
    rows = []
    by = table.set_index(["barrier", "department"])
    for kind in ("barrier", "enabler"):
        for item in (it for it in b.codebook.barriers.items if it.kind == kind):
            cells = [Cell(item.short(lang))]
            for g in groups:
                row = by.loc[(item.id, g)] if (item.id, g) in by.index else None
                if row is None or bool(row["suppressed"]) or pd.isna(row["share_high"]):
                    cells.append(Cell(hidden_word(lang) if row is not None else "", style="num hidden"))
                else:
                    cells.append(Cell(_pct(row["share_high"], lang), style="num"))
            rows.append(tuple(cells))
    members = sorted({m for m in table.loc[table["department"] == config.MERGED_GROUP, "members"] if m})
    n_barriers = sum(it.kind == "barrier" for it in b.codebook.barriers.items)
    note = t(
        lang,
        "Andel, der i høj eller meget høj grad oplever barrieren eller har forudsætningen på plads (svar 4-5 blandt "
        f"svar 1-5; »Ved ikke« tæller ikke med), {b.wave}. De første {n_barriers} er barrierer, resten forudsætninger. "
        f"»{hidden_word(lang)}« betyder færre end {b.scores.min_n} svar eller med i Øvrige forvaltninger",
        "Share who to a high or very high degree meet the barrier or have the enabler in place (answers 4-5 among "
        f"answers 1-5; 'Don't know' does not count), {b.wave}. The first {n_barriers} are barriers, the rest enablers. "
        f"'{hidden_word(lang)}' means fewer than {b.scores.min_n} answers or part of Other departments",
    )
    if members:
        note += t(lang, f" (Øvrige: {', '.join(members)}).", f" (Other: {', '.join(members)}).")
    else:
        note += "."
    if pooled:
        note += t(
            lang,
            f" {join_names(pooled, lang)} har ingen kolonne: de indgår i Øvrige på alle udsagn.",
            f" {join_names(pooled, lang)} have no column: they are part of Other on every statement.",
        )
    intervals = _ci_sentence(b, table)
    return [
        Heading(
            t(lang, "Barrierer og forudsætninger pr. forvaltning", "Barriers and enablers by department"),
            4,
            "barrierer",
        ),
        Paragraph.of(note),
        Table(columns, tuple(rows), "barriers", keep=True),
        Paragraph.of(intervals),
    ]


def _ci_sentence(b: Briefing, table: pd.DataFrame) -> str:
    lang = b.lang
    muni = table[(table["department"] == config.MUNICIPALITY) & table["share_high"].notna()]
    if muni.empty:
        return ""
    parts = [
        f"{b.codebook.barriers.item(r.barrier).short(lang)} {_pct(r.share_high, lang)} "
        f"({_pct(r.ci_low, lang)}–{_pct(r.ci_high, lang)})"
        for r in muni.itertuples()
    ]
    return t(
        lang,
        f"Kommunens andele med usikkerhed: {'; '.join(parts)}. Hele tabellen står i tables/barriers_by_department.csv.",
        f"The municipality's shares with their uncertainty: {'; '.join(parts)}. The whole table is in "
        "tables/barriers_by_department.csv.",
    )


def register_blocks(b: Briefing) -> list:
    """Return the case register of the wave, the counts, cases beside the self-assessment and OPP/OPI per year."""
    lang, register = b.lang, b.register
    if register is None:
        return []
    frame = register_frame(register, b.wave)
    blocks: list = [
        Heading(t(lang, "Registret over dokumenterede sager", "The register of documented cases"), 4, "sager")
    ]
    if frame.empty:
        return [*blocks, Paragraph.of(case_sentences(b))]
    columns = (
        Cell(t(lang, "Forv.", "Dept.")),
        Cell(t(lang, "Type", "Kind")),
        Cell(t(lang, "Sag og partnere", "Case and partners")),
        Cell(t(lang, "Start, status, omfang", "Start, status, scale")),
    )
    rows = []
    for r in frame.itertuples():
        title = r.title_en if lang == "en" else r.title_da
        new = t(lang, " (ny)", " (new)") if bool(r.new) else ""
        text = (r.text_en if lang == "en" else r.text_da) or ""
        if r.partners:
            text += t(lang, f"\nPartnere: {r.partners}", f"\nPartners: {r.partners}")
        facts = [] if pd.isna(r.start_year) else [t(lang, f"Start {int(r.start_year)}", f"Started {int(r.start_year)}")]
        facts.append(register.status_name(r.status, lang))
        if not pd.isna(r.value_kr):
            facts.append(_kroner(float(r.value_kr), lang))
        if not pd.isna(r.municipalities):
            facts.append(t(lang, f"{int(r.municipalities)} kommuner", f"{int(r.municipalities)} municipalities"))
        rows.append(
            (
                Cell(r.department),
                Cell(register.kind(r.kind).name(lang)),
                Cell(text, strong=title + new),
                Cell("\n".join(facts)),
            )
        )
    blocks += [
        Paragraph.of(
            t(
                lang,
                f"Sagerne i registret for {b.wave}, som forvaltningerne har beskrevet dem. Det, der ikke er oplyst, "
                "er udeladt.",
                f"The cases in the register for {b.wave}, as the departments described them. What is not known is "
                "left out.",
            )
        ),
        Table(columns, tuple(rows), "cases"),
        *count_blocks(b),
    ]
    blocks += fact_blocks(b)
    opp = opp_opi_per_year(register, b.wave)
    if not opp.empty:
        year_rows = tuple(
            (
                Cell(t(lang, "ukendt", "unknown") if pd.isna(r.start_year) else str(int(r.start_year))),
                Cell(str(int(r.opp)), style="num"),
                Cell(str(int(r.opi)), style="num"),
            )
            for r in opp.itertuples()
        )
        blocks += [
            Paragraph.of(
                t(lang, "OPP og OPI efter startår, uden måltal. ", "OPP and OPI by start year, without a target. "),
                NO_TARGET[lang],
            ),
            Table(
                (Cell(t(lang, "Startår", "Start year")), Cell("OPP", style="num"), Cell("OPI", style="num")),
                year_rows,
                "opp",
            ),
        ]
    return blocks


def count_blocks(b: Briefing) -> list:
    """Return the number of cases per kind and department (departments with a case, and the total)."""
    lang, register = b.lang, b.register
    counts = case_counts(register, b.wave, b.departments)
    muni = counts[counts["department"] == config.MUNICIPALITY]
    depts = counts[(counts["department"] != config.MUNICIPALITY) & (counts["total"] > 0)]
    if muni.empty or int(muni["total"].iloc[0]) == 0:
        return []
    kinds = [c for c in counts.columns if c not in ("department", "total")]
    columns = (
        Cell(t(lang, "Type", "Kind")),
        *(Cell(d, style="num") for d in depts["department"]),
        Cell(t(lang, "I alt", "Total"), style="num"),
    )
    rows = tuple(
        (
            Cell(register.kind(k).name(lang)),
            *(Cell(str(int(v)), style="num") for v in depts[k]),
            Cell(str(int(muni[k].iloc[0])), style="num"),
        )
        for k in kinds
    )
    return [
        Paragraph.of(t(lang, "Antal sager pr. type og forvaltning:", "Number of cases per kind and department:")),
        Table(columns, rows, "case-counts", keep=True),
    ]


def _kroner(amount: float, lang: str) -> str:
    if amount >= 1e6:
        return t(
            lang,
            f"{format_number(amount / 1e6, lang, 0)} mio. kr.",
            f"DKK {format_number(amount / 1e6, lang, 0)} million",
        )
    return t(lang, f"{format_number(amount, lang, 0)} kr.", f"DKK {format_number(amount, lang, 0)}")


def fact_blocks(b: Briefing) -> list:
    """Return each department's innovation score beside its documented cases ("fact and perception")."""
    lang = b.lang
    fp = b.facts
    names = b.group_names(INNOVATION)
    pattern = {
        "high_no_case": t(lang, "højt uden sag", "high, no case"),
        "low_with_cases": t(lang, "lavt med sager", "low, with cases"),
        "consistent": t(lang, "stemmer overens", "consistent"),
        "hidden": t(lang, "indgår i Øvrige", "in Other departments"),
    }
    rows = []
    for r in fp.itertuples():
        if r.pattern == "hidden" or pd.isna(r.score):
            score = Cell(hidden_word(lang), style="num hidden")
            level = Cell("")
        else:
            score = Cell(
                f"{format_number(float(r.score), lang, 2)}\n({format_interval(r.ci_low, r.ci_high, lang, 2)})",
                style="num",
            )
            level = Cell(b.level_name(r.level) + ("?" if bool(r.level_uncertain) else ""))
        rows.append(
            (
                Cell(names.get(r.department, r.department)),
                score,
                level,
                Cell(str(int(r.cases)), style="num"),
                Cell(str(int(r.cases_active)), style="num"),
                Cell(pattern.get(r.pattern, r.pattern)),
            )
        )
    columns = (
        Cell(t(lang, "Forvaltning", "Department")),
        Cell(t(lang, "Score (usikkerhed)", "Score (uncertainty)"), style="num"),
        Cell(t(lang, "Niveau", "Level")),
        Cell(t(lang, "Sager", "Cases"), style="num"),
        Cell(t(lang, "Heraf i gang", "Of these active"), style="num"),
        Cell(t(lang, "Mønster", "Pattern")),
    )
    return [
        Heading(t(lang, "Fakta og opfattelse", "Fact and perception"), 4, "fakta-og-opfattelse"),
        Paragraph.of(
            t(
                lang,
                "Forvaltningernes egen vurdering af innovation ved siden af deres dokumenterede sager. »Højt« er "
                "niveau Systematisk (4) eller derover, »lavt« Begyndende (2) eller derunder. ",
                "The departments' own rating of innovation beside their documented cases. 'High' is level "
                "Systematic (4) or above, 'low' Developing (2) or below. ",
            ),
            fact_sentence(b),
        ),
        Table(columns, tuple(rows), "facts", keep=True),
    ]


def theme_blocks(b: Briefing) -> list:
    """Return the themes of the open answers (chart and table), and redacted quotes when turned on."""
    lang, themes, q = b.lang, b.themes, b.open_question
    if q is None or not b.open_answers:
        return []
    blocks: list = [
        Heading(t(lang, "Hvad medarbejderne skriver", "What staff write"), 4, "medarbejdernes-ord"),
        Paragraph.of(
            t(
                lang,
                f"Svarene på det åbne spørgsmål »{q.text('da')}« er sorteret i temaer efter nøgleord; et svar kan "
                "nævne flere temaer. Svarene gengives ikke ordret. »< 5« i tabellen: nævnt af færre end 5. ",
                f"The answers to the open question '{q.text('en')}' are sorted into themes by keywords; one answer "
                "may mention several themes. The answers are not reproduced word for word. '< 5' in the table: "
                "mentioned by fewer than 5. ",
            ),
            theme_sentences(b),
            ".",
        ),
        b.figure(
            "themes",
            t(
                lang,
                f"Andel af svarene på det åbne spørgsmål, der nævner hvert tema, {b.wave}.",
                f"Share of the answers to the open question that mention each theme, {b.wave}.",
            ),
            document="bilag",
        ),
    ]
    groups = [
        g for g in [config.MUNICIPALITY, *b.departments.codes, config.MERGED_GROUP] if g in set(themes["department"])
    ]
    groups = [g for g in groups if not themes.loc[themes["department"] == g, "suppressed"].astype(bool).all()]
    by = themes.set_index(["theme", "department"])
    rows = []
    for th in q.themes:
        cells = [Cell(th.name(lang))]
        for g in groups:
            row = by.loc[(th.id, g)] if (th.id, g) in by.index else None
            if row is None or pd.isna(row["share"]):
                cells.append(Cell("<\u00a05" if row is not None else "", style="num hidden"))
            else:
                cells.append(Cell(_pct(row["share"], lang), style="num"))
        rows.append(tuple(cells))
    answers_row = [Cell(t(lang, "Svar", "Answers"))]
    for g in groups:
        n = by.loc[(q.themes[0].id, g), "answers"] if (q.themes[0].id, g) in by.index else None
        answers_row.append(
            Cell(count_text(n, b.scores.min_n, lang) if n is not None and not pd.isna(n) else "", style="num")
        )
    rows.append(tuple(answers_row))
    blocks.append(
        Table(
            (Cell(t(lang, "Tema", "Theme")), *(Cell(_group_label(g, lang), style="num") for g in groups)),
            tuple(rows),
            "themes",
            keep=True,
        )
    )
    quotes = b.quote_rows
    if b.quotes and not quotes.empty:
        names = {th.id: th.name(lang) for th in q.themes}
        items = tuple(
            (
                Run(f"{names.get(r.theme, r.theme)}: ", bold=True),
                Run(f"»{r.quote}«" if lang == "da" else f"“{r.quote}”"),
                Run(f" ({_group_label(r.department, lang)})"),
            )
            for r in quotes.itertuples()
        )
        blocks += [
            Paragraph.of(
                t(
                    lang,
                    f"Udvalgte citater, kun fra grupper med mindst {b.scores.min_n} svar. E-mailadresser, "
                    "telefonnumre, CPR-numre, links og navne er fjernet.",
                    f"Selected quotes, only from groups of at least {b.scores.min_n} answers. E-mail addresses, "
                    "phone numbers, CPR numbers, links and names are removed.",
                )
            ),
            Items(items, style="quotes"),
        ]
    return blocks
