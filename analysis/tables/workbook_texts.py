"""The workbook's words: sheet names and descriptions, and each column's header and meaning.

Danish and English side by side. ``{ci}`` and ``{flag}`` stand for the confidence level and the
don't-know threshold, ``{alpha}`` for the level an adjusted p-value must be under, ``{mid}`` for
the minimal important difference (0,25), ``{min_n}`` for the minimum group size and ``{few}`` for
the words of a count under it (færre end 5); :mod:`analysis.tables.excel` fills them in from the
settings when it writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import MERGED_GROUP_NAME
from .contract import BARRIERS

#: The file name of the change table (its sheet is written only when there are changes).
CHANGES = "change_by_department_value.csv"
#: The file name of the don't-know table, whose interval is of a share, not of a score.
DONT_KNOW = "dont_know_by_department_value.csv"
#: Columns that only the workbook has (besides the ``_name`` columns): no CSV column matches them.
EXCEL_ONLY = {"note"}
#: The names of the change families (the ``family`` column): (da, en).
FAMILIES = {
    "municipality": ("Kommunen (Holm)", "Municipality (Holm)"),
    "departments": ("Forvaltningerne (Benjamini-Hochberg)", "Departments (Benjamini-Hochberg)"),
    "focus_areas": ("Indsatsområderne (Benjamini-Hochberg)", "Focus areas (Benjamini-Hochberg)"),
}


def pooled_text(lang: str = "da") -> str:
    """Return the words in a hidden cell of a department pooled into the merged group.

    Examples
    --------
    >>> pooled_text(), pooled_text("en")
    ('skjult (i Øvrige forvaltninger)', 'hidden (in Other departments)')
    """
    return f"hidden (in {MERGED_GROUP_NAME['en']})" if lang == "en" else f"skjult (i {MERGED_GROUP_NAME['da']})"


@dataclass(frozen=True)
class Sheet:
    """A sheet's name and one-line description in Danish and English."""

    da: str
    en: str
    about_da: str
    about_en: str

    def name(self, lang: str) -> str:
        return self.en if lang == "en" else self.da

    def about(self, lang: str) -> str:
        return self.about_en if lang == "en" else self.about_da


ABOUT_SHEET = Sheet("Om tabellerne", "About", "", "")
SHEETS = {
    "maturity_by_department_value.csv": Sheet(
        "Forvaltning x værdi",
        "Department x value",
        "Modenhed pr. år, forvaltning og værdi med {ci}-interval; Øvrige forvaltninger er de små forvaltninger samlet.",
        "Maturity per year, department and value with its {ci} interval; Other departments are the small "
        "departments pooled.",
    ),
    "maturity_by_value.csv": Sheet(
        "Kommunen",
        "Municipality",
        "Kommunens modenhed pr. år og værdi: gennemsnit over alle forvaltninger, de små gennem Øvrige forvaltninger.",
        "The municipality's maturity per year and value: mean over every department, the small ones through "
        "Other departments.",
    ),
    "maturity_by_department_focus_area.csv": Sheet(
        "Indsatsområder",
        "Focus areas",
        "Modenhed pr. år, forvaltning og indsatsområde; Øvrige forvaltninger er de små forvaltninger samlet.",
        "Maturity per year, department and focus area; Other departments are the small departments pooled.",
    ),
    "dont_know_by_department_value.csv": Sheet(
        "Ved ikke",
        "Don't know",
        "Andelen »Ved ikke« pr. år, forvaltning og værdi med {ci}-interval; over {flag} markeres.",
        "Share of 'don't know' per year, department and value with its {ci} interval; above {flag} is flagged.",
    ),
    "respondents_by_department.csv": Sheet(
        "Svarende",
        "Respondents",
        "Antal svarende pr. år og forvaltning; under {min_n} står der »{few}«.",
        "Respondents per year and department; under {min_n} it reads '{few}'.",
    ),
    BARRIERS: Sheet(
        "Barrierer og drivkræfter",
        "Barriers and enablers",
        "Andelen, der svarer »I høj grad« eller »I meget høj grad« (4-5) pr. år, forvaltning og udsagn, med "
        "{ci}-interval; »Ved ikke« tæller ikke med. ALL er hele kommunen.",
        "Share answering 'to a high degree' or 'to a very high degree' (4-5) per year, department and statement, "
        "with its {ci} interval; 'don't know' does not count. ALL is the whole municipality.",
    ),
    CHANGES: Sheet(
        "Ændringer",
        "Changes",
        "Ændring pr. forvaltning og værdi mellem to år med justeret p-værdi; ALL er hele kommunen.",
        "Change per department and value between two years with its adjusted p-value; ALL is the whole municipality.",
    ),
}

#: Header and explanation of every column: (header da, header en, explanation da, explanation en).
#: Columns ending in ``_name`` exist only in Excel; the others are the CSV columns.
COLUMNS = {
    "wave": ("År", "Year", "Undersøgelsens år.", "Survey year."),
    "department": (
        "Forvaltning (kode)",
        "Department (code)",
        "Forvaltningens kode, som i CSV-filerne.",
        "The department's code, as in the CSV files.",
    ),
    "department_name": ("Forvaltning", "Department", "Forvaltningens navn.", "The department's name."),
    "value": ("Værdi (kode)", "Value (code)", "Værdiens kode i kodebogen.", "The value's code in the codebook."),
    "value_name": ("Værdi", "Value", "Indkøbspolitikkens værdi.", "The procurement policy's value."),
    "focus_area": (
        "Indsatsområde (kode)",
        "Focus area (code)",
        "Indsatsområdets kode i kodebogen.",
        "The focus area's code in the codebook.",
    ),
    "focus_area_name": ("Indsatsområde", "Focus area", "Indsatsområdets navn.", "The focus area's name."),
    "barrier": (
        "Udsagn (kode)",
        "Statement (code)",
        "Udsagnets kode i kodebogen (en barriere eller en drivkraft).",
        "The statement's code in the codebook (a barrier or an enabler).",
    ),
    "barrier_name": ("Udsagn", "Statement", "Udsagnets tekst.", "The statement's text."),
    "share_high": (
        "Andel i høj grad (4-5)",
        "Share to a high degree (4-5)",
        "Andelen af svarene 1-5, der er 4 »I høj grad« eller 5 »I meget høj grad«; »Ved ikke« og »Ikke relevant« "
        "tæller ikke med.",
        "Share of the answers 1-5 that are 4 'to a high degree' or 5 'to a very high degree'; 'don't know' and "
        "'not applicable' do not count.",
    ),
    "score": (
        "Score (1-5)",
        "Score (1-5)",
        "Modenhed på skalaen 1-5 (gennemsnit af gennemsnit, se metodebilaget).",
        "Maturity on the 1-5 scale (a mean of means, see the method appendix).",
    ),
    "ci_low": (
        "Nedre grænse ({ci})",
        "Lower bound ({ci})",
        "Nedre grænse af {ci}-intervallet (bootstrap).",
        "Lower bound of the {ci} interval (bootstrap).",
    ),
    "ci_high": (
        "Øvre grænse ({ci})",
        "Upper bound ({ci})",
        "Øvre grænse af {ci}-intervallet (bootstrap).",
        "Upper bound of the {ci} interval (bootstrap).",
    ),
    "n": (
        "Svarende (n)",
        "Respondents (n)",
        "Antal svarende bag tallet; under {min_n} står der »{few}«.",
        "Number of respondents behind the figure; under {min_n} it reads '{few}'.",
    ),
    "level": (
        "Niveau (1-5)",
        "Level (1-5)",
        "Nærmeste modenhedsniveau; halve runder op (2,5 bliver 3).",
        "Nearest maturity level; halves round up (2.5 becomes 3).",
    ),
    "level_name": ("Niveau", "Level", "Niveauets navn.", "The level's name."),
    "suppressed": (
        "Skjult",
        "Hidden",
        "SAND, når tallene er skjult af hensyn til anonymiteten: n < {min_n}, eller forvaltningen indgår i "
        "Øvrige forvaltninger.",
        "TRUE when the figures are hidden for anonymity: n < {min_n}, or the department is pooled in Other "
        "departments.",
    ),
    "members": (
        "Medlemmer (koder)",
        "Members (codes)",
        "For Øvrige forvaltninger: medlemmernes koder forbundet med +; tom i andre rækker.",
        "For Other departments: the members' codes joined by +; empty in other rows.",
    ),
    "note": (
        "Bemærkning",
        "Note",
        "Fx at forvaltningen indgår i Øvrige forvaltninger, eller hvilke forvaltninger gruppen samler.",
        "For example that the department is pooled in Other departments, or which departments the group pools.",
    ),
    "n_departments": (
        "Forvaltninger",
        "Departments",
        "Antal forvaltninger i gennemsnittet: alle med svar, Øvrige forvaltninger talt som sine medlemmer.",
        "Number of departments in the mean: every one with answers, Other departments counted as its members.",
    ),
    "n_respondents": (
        "Svarende i alt",
        "Respondents in all",
        "Svarende i alle forvaltningerne.",
        "Respondents in every department.",
    ),
    "dont_know_share": (
        "Andel »Ved ikke«",
        "Don't know share",
        "»Ved ikke« som andel af alle afgivne svar.",
        "'Don't know' as a share of all answers given.",
    ),
    "dont_know": ("»Ved ikke«-svar", "Don't know answers", "Antal »Ved ikke«-svar.", "Number of 'don't know' answers."),
    "answers": (
        "Svar i alt",
        "Answers in all",
        "Antal afgivne svar på værdiens spørgsmål.",
        "Number of answers given to the value's questions.",
    ),
    "flagged": (
        "Markeret ({flag})",
        "Flagged ({flag})",
        "SAND, når andelen »Ved ikke« er over {flag}; klart over {flag} er den kun, når intervallets nedre grænse "
        "også er.",
        "TRUE when the share of 'don't know' is above {flag}; it is clearly above {flag} only when the interval's "
        "lower bound is too.",
    ),
    "respondents": (
        "Svarende",
        "Respondents",
        "Antal svarende i forvaltningen; under {min_n} står der »{few}«.",
        "Number of respondents in the department; under {min_n} it reads '{few}'.",
    ),
    "wave_from": ("Fra år", "From year", "Året, der sammenlignes fra.", "The year compared from."),
    "wave_to": ("Til år", "To year", "Året, der sammenlignes med.", "The year compared to."),
    "diff": (
        "Ændring",
        "Change",
        "Score i til-året minus score i fra-året; negativ er et fald.",
        "Score in the to-year minus score in the from-year; negative is a fall.",
    ),
    "verdict": (
        "Vurdering (kode)",
        "Verdict (code)",
        "improvement, decline eller no clear change, som i CSV-filen.",
        "improvement, decline or no clear change, as in the CSV file.",
    ),
    "verdict_name": (
        "Vurdering",
        "Verdict",
        "Forbedring eller tilbagegang kun, når den justerede p-værdi er under {alpha} og ændringen er mindst {mid}; "
        "ellers ingen klar ændring.",
        "Improvement or decline only when the adjusted p-value is under {alpha} and the change is at least {mid}; "
        "otherwise no clear change.",
    ),
    "p_adjusted": (
        "Justeret p-værdi",
        "Adjusted p-value",
        "Ændringens p-værdi (bootstrap), justeret inden for sin familie, fordi mange ændringer testes på én gang.",
        "The change's p-value (bootstrap), adjusted within its family because many changes are tested at once.",
    ),
    "family": (
        "Familie (kode)",
        "Family (code)",
        "municipality (kommunens ændringer, Holm) eller departments (forvaltningernes, Benjamini-Hochberg).",
        "municipality (the municipality's changes, Holm) or departments (the departments', Benjamini-Hochberg).",
    ),
    "family_name": ("Familie", "Family", "Testfamilien og dens justering.", "The family of tests and its adjustment."),
}

#: Columns whose header or meaning differ in one sheet: the intervals of shares, and the barriers' n.
SHEET_COLUMNS = {
    BARRIERS: {
        "ci_low": (
            "Andel, nedre grænse ({ci})",
            "Share, lower bound ({ci})",
            "Nedre grænse af {ci}-intervallet for andelen 4-5 (bootstrap).",
            "Lower bound of the {ci} interval of the share 4-5 (bootstrap).",
        ),
        "ci_high": (
            "Andel, øvre grænse ({ci})",
            "Share, upper bound ({ci})",
            "Øvre grænse af {ci}-intervallet for andelen 4-5 (bootstrap).",
            "Upper bound of the {ci} interval of the share 4-5 (bootstrap).",
        ),
        "n": (
            "Svarende (n)",
            "Respondents (n)",
            "Antal svarende med et svar 1-5 på udsagnet; under {min_n} står der »{few}«.",
            "Number of respondents with an answer 1-5 on the statement; under {min_n} it reads '{few}'.",
        ),
    },
    DONT_KNOW: {
        "ci_low": (
            "Andel, nedre grænse ({ci})",
            "Share, lower bound ({ci})",
            "Nedre grænse af {ci}-intervallet for andelen »Ved ikke« (bootstrap).",
            "Lower bound of the {ci} interval of the 'don't know' share (bootstrap).",
        ),
        "ci_high": (
            "Andel, øvre grænse ({ci})",
            "Share, upper bound ({ci})",
            "Øvre grænse af {ci}-intervallet for andelen »Ved ikke« (bootstrap).",
            "Upper bound of the {ci} interval of the 'don't know' share (bootstrap).",
        ),
    },
}
