"""The workbook's words: sheet names and descriptions, and each column's header and meaning.

Danish and English side by side. ``{ci}`` and ``{flag}`` stand for the confidence level and the
don't-know threshold; :mod:`analysis.tables.excel` fills them in from the settings when it writes.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The file name of the change table (its sheet is written only when there are changes).
CHANGES = "change_by_department_value.csv"


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
        "Modenhed pr. år, forvaltning og værdi med {ci}-interval.",
        "Maturity per year, department and value with its {ci} interval.",
    ),
    "maturity_by_value.csv": Sheet(
        "Kommunen",
        "Municipality",
        "Kommunens modenhed pr. år og værdi: gennemsnit af de viste forvaltninger.",
        "The municipality's maturity per year and value: mean of the departments shown.",
    ),
    "maturity_by_department_focus_area.csv": Sheet(
        "Indsatsområder",
        "Focus areas",
        "Modenhed pr. år, forvaltning og indsatsområde.",
        "Maturity per year, department and focus area.",
    ),
    "dont_know_by_department_value.csv": Sheet(
        "Ved ikke",
        "Don't know",
        "Andelen »Ved ikke« pr. år, forvaltning og værdi; over {flag} markeres.",
        "Share of 'don't know' per year, department and value; above {flag} is flagged.",
    ),
    "respondents_by_department.csv": Sheet(
        "Svarende", "Respondents", "Antal svarende pr. år og forvaltning.", "Respondents per year and department."
    ),
    CHANGES: Sheet(
        "Ændringer",
        "Changes",
        "Ændring pr. forvaltning og værdi mellem to år; ALL er hele kommunen.",
        "Change per department and value between two years; ALL is the whole municipality.",
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
    "n": ("Svarende (n)", "Respondents (n)", "Antal svarende bag tallet.", "Number of respondents behind the figure."),
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
        "SAND, når gruppen er for lille til at blive vist (anonymitet).",
        "TRUE when the group is too small to be shown (anonymity).",
    ),  # min_n is added in the sheet
    "n_departments": (
        "Forvaltninger",
        "Departments",
        "Antal viste forvaltninger i gennemsnittet.",
        "Number of departments shown that make up the mean.",
    ),
    "n_respondents": (
        "Svarende i alt",
        "Respondents in all",
        "Svarende i de viste forvaltninger.",
        "Respondents in the departments shown.",
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
        "Over {flag}",
        "Above {flag}",
        "SAND, når over {flag} svarer »Ved ikke«.",
        "TRUE when more than {flag} answer 'don't know'.",
    ),
    "respondents": (
        "Svarende",
        "Respondents",
        "Antal svarende i forvaltningen (antallet vises altid).",
        "Number of respondents in the department (always shown).",
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
        "Forbedring eller tilbagegang kun når {ci}-intervallet for ændringen ikke rummer 0.",
        "Improvement or decline only when the {ci} interval of the change excludes 0.",
    ),
}
