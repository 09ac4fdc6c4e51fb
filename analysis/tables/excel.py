"""The score tables as one Excel workbook for analysts working in Danish Excel.

The workbook holds the same tables as the CSV files of :mod:`analysis.tables.contract` (one sheet each),
with a few additions that only make sense for people reading it: names next to the codes,
headers in Danish (or English), number formats, a frozen and filterable header row, and a first
sheet that explains the columns. The CSV files stay the stable contract for scripts.

Disclosure control holds here as everywhere (method.md, version 2):

- in a suppressed row, the score, interval and level cells carry the words ``skjult (n < 5)``,
  never a number and never a blank; in the row of a department pooled into the merged group
  they read ``skjult (i Øvrige forvaltninger)``, and its *Bemærkning* (note) says so;
- the merged group is a row of its own, named ``Øvrige forvaltninger (KFF og BIF)``
  (:func:`analysis.words.merged_group_name`), with its members' codes in the *Medlemmer* column;
- a count under ``min_n`` (blank in the CSV) is the text ``færre end 5``
  (:func:`analysis.words.count_text`), never a number.

Text that a spreadsheet could run as a formula is written as a string cell with a leading
``'`` (:func:`analysis.tables.contract.neutralise_text`).

The file is written atomically and byte for byte the same for the same scores, so it can be
cached or hashed: the workbook's created/modified properties and the zip entries' times are
fixed.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import tostring

from .. import config, words
from ..config import check_lang
from ..formatting import format_number, join_names
from ..stats.barriers import BarrierScores
from ..stats.changes import MINIMAL_IMPORTANT_DIFFERENCE
from ..stats.scores import Scores
from ..survey.codebook import Codebook, Departments, load_codebook, load_departments
from ..words import change_word, count_text, hidden_text, merged_group_name
from .atomic import atomic_write
from .contract import BARRIERS, TABLES, neutralise_text, table_barriers, table_changes
from .workbook_texts import (
    ABOUT_SHEET,
    CHANGES,
    COLUMNS,
    DONT_KNOW,
    EXCEL_ONLY,
    FAMILIES,
    SHEET_COLUMNS,
    SHEETS,
    pooled_text,
)

#: File name used when :func:`write_excel` is given a folder.
EXCEL_NAME = "briefing_tables.xlsx"
#: Created/modified time written into the workbook unless the caller passes one: a fixed value,
#: so that two writes of the same scores give identical bytes.
DEFAULT_TIMESTAMP = datetime(2000, 1, 1)
#: The time stamped on every entry of the xlsx zip container (the earliest a zip can hold).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

_FLOAT_FORMAT = "0.00"
_PERCENT_FORMAT = "0.0%"
_INT_FORMAT = "0"
_P_FORMAT = "0.000"
_FLOATS = {"score", "ci_low", "ci_high", "diff"}
_PERCENTS = {"dont_know_share", "share_high"}
_PS = {"p_adjusted"}
#: Columns shown as percentages in one sheet only: the intervals of the don't-know share and the barriers' share.
_SHEET_PERCENTS = {(DONT_KNOW, "ci_low"), (DONT_KNOW, "ci_high"), (BARRIERS, "ci_low"), (BARRIERS, "ci_high")}
_INTS = {
    "wave",
    "n",
    "level",
    "n_departments",
    "n_respondents",
    "dont_know",
    "answers",
    "respondents",
    "wave_from",
    "wave_to",
}
_FORBIDDEN_IN_SHEET_NAMES = "[]:*?/\\"
#: Counts that are blank in the CSV when under min_n; in the workbook they read "færre end 5".
_COUNTS = {"n", "respondents", "n_respondents", "dont_know", "answers"}
#: Counts of people: one under min_n is never written as a number, even if a table carried it.
_PEOPLE = {"n", "respondents", "n_respondents"}


#: The columns that carry a finding about a group, so are replaced by words in suppressed rows.
_HIDDEN = {
    "score",
    "ci_low",
    "ci_high",
    "level",
    "level_name",
    "diff",
    "verdict",
    "verdict_name",
    "dont_know_share",
    "dont_know",
    "answers",
    "flagged",
    "p_adjusted",
    "share_high",
}
#: Name columns (Excel only), each placed right after the code column it names.
_NAMED = {
    "department": "department_name",
    "value": "value_name",
    "focus_area": "focus_area_name",
    "barrier": "barrier_name",
    "level": "level_name",
    "verdict": "verdict_name",
    "family": "family_name",
}
_BOLD = Font(bold=True)
_HIDDEN_FONT = Font(italic=True, color="595959")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="808080"))


def write_excel(
    scores: Scores,
    path: str | Path,
    *,
    changes: pd.DataFrame | None = None,
    barriers: BarrierScores | None = None,
    lang: str = "da",
    codebook: Codebook | None = None,
    departments: Departments | None = None,
    timestamp: datetime | None = None,
) -> Path:
    """Write the score tables as one Excel workbook and return its path.

    Parameters
    ----------
    scores
        The scores of :func:`analysis.stats.scoring.score_survey`.
    path
        The ``.xlsx`` file to write, or a folder to write ``briefing_tables.xlsx`` into.
    changes
        Changes between waves (:func:`analysis.stats.scoring.score_changes`); adds the sheet
        *Ændringer* when given and not empty.
    barriers
        The barriers instrument's scores (:func:`analysis.stats.barriers.score_barriers`); adds
        the sheet *Barrierer og drivkræfter* when given, with the same suppression as the others
        (its merged group is built per item).
    lang
        ``"da"`` (default) or ``"en"``: sheet names, headers, names and notes.
    codebook, departments
        Where value, focus-area, barrier item, level and department names come from; the bundled ones by
        default. A code they do not know is shown as its own name.
    timestamp
        The workbook's created/modified time; :data:`DEFAULT_TIMESTAMP` by default, so that the
        same scores always give the same bytes.

    Returns
    -------
    pathlib.Path
        The workbook written. It replaces any earlier file only once it is complete.
    """
    lang = check_lang(lang)
    codebook = codebook or load_codebook()
    departments = departments or load_departments()
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        target = target / EXCEL_NAME

    pools = _merged_groups(scores.department_value)
    tables = [(name, make(scores), None, pools) for name, make in TABLES.items()]
    if changes is not None and not changes.empty:
        frame = table_changes(changes)
        if "suppressed" in changes.columns:
            mask = changes["suppressed"].to_numpy(dtype=bool)
        else:
            mask = frame["diff"].isna().to_numpy()
        tables.append((CHANGES, frame, mask, pools))
    if barriers is not None:
        frame = table_barriers(barriers)
        tables.append((BARRIERS, frame, None, _merged_groups(frame, "barrier")))
    sheets = []  # (csv name, frame with name and note columns, the words of each hidden row or None)
    for name, frame, mask, groups in tables:
        mask = _suppressed(frame) if mask is None else mask
        sheets.append((name, *_prepared(name, frame, mask, groups, scores.min_n, codebook, departments, lang)))

    settings = _settings_filler(scores, lang)
    wb = Workbook()
    about = wb.active
    about.title = ABOUT_SHEET.name(lang)
    used = {about.title.casefold()}
    titles = {}
    for name, frame, hidden in sheets:
        title = _sheet_title(name, lang, used)
        titles[name] = title
        _write_table(wb.create_sheet(title), name, frame, hidden, scores.min_n, lang, settings)
    _write_about(about, scores, [(titles[name], name, frame) for name, frame, _ in sheets], lang)

    stamp = timestamp or DEFAULT_TIMESTAMP
    props = wb.properties
    props.creator = "analysis"
    props.lastModifiedBy = None
    props.title = words.t(lang, "Modenhed i indkøbet: tabeller", "Procurement maturity: tables")
    props.created = props.modified = stamp
    atomic_write(target, _deterministic_bytes(wb, stamp))
    return target


# -- tables -----------------------------------------------------------------------------------
def _suppressed(frame: pd.DataFrame) -> np.ndarray:
    """Return which rows of a table are hidden for anonymity."""
    if "suppressed" in frame.columns:
        return frame["suppressed"].fillna(True).to_numpy(dtype=bool)
    if "n_departments" in frame.columns:
        # The municipality has no score when every department is hidden.
        return (frame["n_departments"] == 0).to_numpy()
    return np.zeros(len(frame), dtype=bool)


#: The merged group of one wave and value (or barriers item): its members (report order) and whether it is published.
_Pools = dict[tuple[int, str], tuple[tuple[str, ...], bool]]
#: The columns a merged group is built per: a value (the maturity tables), an item (the barriers table).
_POOLED_BY = ("value", "barrier")


def _pooled_by(frame: pd.DataFrame) -> str | None:
    """Return the column ``frame``'s merged groups are built per, or None (e.g. the respondents)."""
    return next((column for column in _POOLED_BY if column in frame.columns), None)


def _merged_groups(table: pd.DataFrame, key: str = "value") -> _Pools:
    """Return the merged group of every wave and ``key`` (value, item) that has one, from a table's ``ØVRIGE`` rows."""
    rows = table[table["department"] == config.MERGED_GROUP]
    return {
        (int(wave), str(value)): (tuple(m for m in str(members).split("+") if m), not bool(suppressed))
        for wave, value, members, suppressed in zip(rows["wave"], rows[key], rows["members"], rows["suppressed"])
    }


def _row_groups(frame: pd.DataFrame, pools: _Pools) -> list[list[tuple[tuple[str, ...], bool]]]:
    """Return, per row, the merged groups of its wave(s) and value (or item): one wave, or both waves of a change."""
    key = _pooled_by(frame)
    if key is None:
        return [[] for _ in range(len(frame))]
    if "wave" in frame.columns:
        waves = [[w] for w in frame["wave"]]
    elif {"wave_from", "wave_to"} <= set(frame.columns):
        waves = [[b, a] for a, b in zip(frame["wave_from"], frame["wave_to"])]  # the later wave first
    else:
        return [[] for _ in range(len(frame))]
    return [
        [pools[pair] for pair in ((int(w), str(v)) for w in ws) if pair in pools] for ws, v in zip(waves, frame[key])
    ]


def _prepared(
    name: str,
    frame: pd.DataFrame,
    suppressed: np.ndarray,
    pools: _Pools,
    min_n: int,
    codebook: Codebook,
    departments: Departments,
    lang: str,
) -> tuple[pd.DataFrame, list[str | None]]:
    """Return a table as its sheet shows it, and the words that stand in each hidden row's findings.

    The merged group is named with its members; a department pooled into a published merged group
    has its findings read ``skjult (i Øvrige forvaltninger)`` and a note saying where it is pooled
    (in the sheets with a ``members`` column, and the change sheet); any other hidden row reads
    ``skjult (n < 5)``.
    """
    codes = frame["department"].tolist() if "department" in frame.columns else [None] * len(frame)
    groups = _row_groups(frame, pools)
    own_members = frame["members"].tolist() if "members" in frame.columns else [None] * len(frame)
    merged_names, hidden, notes = [], [], []
    waves = frame["wave"].tolist() if "wave" in frame.columns and _pooled_by(frame) is None else None
    for k, (code, row_groups, own, hide) in enumerate(zip(codes, groups, own_members, suppressed)):
        pooled_in = next((members for members, published in row_groups if published and code in members), None)
        if waves is not None:  # respondents: pooled on any value of the wave
            pooled_in = next(
                (m for (w, _), (m, published) in pools.items() if w == int(waves[k]) and published and code in m), None
            )
        if code == config.MERGED_GROUP:
            members = own if isinstance(own, str) and own else ("+".join(row_groups[0][0]) if row_groups else "")
            merged_names.append(merged_group_name(members, lang) if members else config.MERGED_GROUP_NAME[lang])
            notes.append(_group_note(members, lang, published=not hide, min_n=min_n) if members else "")
        else:
            merged_names.append(None)
            notes.append(_member_note("+".join(pooled_in), lang) if pooled_in else "")
        if not hide and not (waves is not None and pooled_in):
            hidden.append(None)
        else:
            hidden.append(pooled_text(lang) if pooled_in else hidden_text(min_n, lang))
    out = _with_names(frame, codebook, departments, lang, merged_names)
    if "members" in frame.columns or name == CHANGES:
        out["note"] = pd.Series(notes, index=out.index, dtype=object)
    return out, hidden


def _member_note(members: str, lang: str) -> str:
    """Return the note of a department pooled into the merged group."""
    group = merged_group_name(members, lang)
    return words.t(
        lang,
        f"Indgår i {group}; forvaltningens egne tal vises ikke.",
        f"Pooled in {group}; the department's own figures are not shown.",
    )


def _group_note(members: str, lang: str, *, published: bool, min_n: int) -> str:
    """Return the note of the merged group's row."""
    names = join_names([m for m in members.split("+") if m], lang)
    if not published:
        return words.t(
            lang,
            f"Selv samlet har {names} færre end {min_n} svarende; intet vises.",
            f"Even together, {names} have fewer than {min_n} respondents; nothing is shown.",
        )
    return words.t(
        lang,
        f"{names} lagt sammen og regnet som én forvaltning (anonymitet).",
        f"{names} pooled and scored as one department (anonymity).",
    )


def _with_names(
    frame: pd.DataFrame,
    codebook: Codebook,
    departments: Departments,
    lang: str,
    merged_names: list[str | None] | None = None,
) -> pd.DataFrame:
    """Return ``frame`` with a name column right after each code column.

    ``merged_names`` gives, per row, the name of the merged group where the row is one.
    """

    def department(code):
        if code == config.MUNICIPALITY:
            return config.MUNICIPALITY_NAME[lang]
        if code == config.MERGED_GROUP:
            return config.MERGED_GROUP_NAME[lang]
        try:
            return departments[code].name(lang)
        except KeyError:
            return code

    def lookup(find):
        def name(code):
            try:
                return find(code)
            except (KeyError, ValueError, TypeError):
                return code

        return name

    namers = {
        "department": department,
        "value": lookup(lambda v: codebook.value_name(v, lang)),
        "focus_area": lookup(lambda f: codebook.focus_area_name(f, lang)),
        "barrier": lookup(lambda b: _barrier_text(codebook, b, lang)),
        "level": lambda lv: codebook.level_name(int(lv), lang) if pd.notna(lv) else None,
        "verdict": lambda v: change_word(v, lang) if isinstance(v, str) and v else None,
        "family": lambda f: words.t(lang, *FAMILIES[f]) if f in FAMILIES else f,
    }
    out = frame.copy()
    for code, name in _NAMED.items():
        if code in out.columns:
            names = [namers[code](x) for x in out[code]]
            if code == "department" and merged_names is not None:
                names = [merged or own for merged, own in zip(merged_names, names)]
            out.insert(out.columns.get_loc(code) + 1, name, pd.Series(names, index=out.index, dtype=object))
    return out


def _barrier_text(codebook: Codebook, item: str, lang: str) -> str:
    """Return the text of barriers item ``item`` from the codebook's ``barriers`` section; KeyError when it has none."""
    section = getattr(codebook, "barriers", None)
    for entry in getattr(section, "items", None) or ():
        if entry.id == item:
            return entry.text_en if lang == "en" else entry.text_da
    raise KeyError(item)


def _sheet_title(name: str, lang: str, used: set[str]) -> str:
    """Return a valid, unused sheet title for table ``name`` (at most 31 characters)."""
    sheet = SHEETS.get(name)
    title = sheet.name(lang) if sheet else name.removesuffix(".csv").replace("_", " ")
    title = "".join(" " if c in _FORBIDDEN_IN_SHEET_NAMES else c for c in title).strip(" '")[:31] or "Tabel"
    base, k = title, 2
    while title.casefold() in used:
        suffix = f" ({k})"
        title, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(title.casefold())
    return title


def _cell_value(column: str, value):
    """Return a value as openpyxl should store it: Python numbers, booleans, text or None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return None
        return round(value) if column in _INTS and float(value).is_integer() else float(value)
    return str(value)


def _set_text(cell, text: str) -> None:
    """Store ``text`` as a string cell that Excel never runs as a formula."""
    cell.value = neutralise_text(ILLEGAL_CHARACTERS_RE.sub("", text))
    # openpyxl makes any text starting with "=" a formula; the neutralised text cannot start
    # with it, and the explicit type keeps it a string whatever the text is.
    cell.data_type = "s"


def _number_format(sheet: str, column: str) -> str | None:
    """Return the number format of ``column`` in the sheet of table ``sheet``."""
    if column in _PERCENTS or (sheet, column) in _SHEET_PERCENTS:
        return _PERCENT_FORMAT
    if column in _FLOATS:
        return _FLOAT_FORMAT
    if column in _PS:
        return _P_FORMAT
    if column in _INTS:
        return _INT_FORMAT
    return None


def _shown_width(value, fmt: str | None) -> int:
    if value is None:
        return 0
    if isinstance(value, bool):
        return 5
    if isinstance(value, (int, float)):
        if fmt == _PERCENT_FORMAT:
            return len(f"{100 * value:.1f}%")
        if fmt == _FLOAT_FORMAT:
            return len(f"{value:.2f}")
        if fmt == _P_FORMAT:
            return len(f"{value:.3f}")
        return len(str(value))
    return len(str(value))


def _settings_filler(scores: Scores, lang: str) -> Callable[[str], str]:
    """Return a function that writes the settings into a text.

    ``{ci}`` is the confidence level (95 %), ``{flag}`` the don't-know threshold (30 %),
    ``{alpha}`` the level a change's adjusted p-value must be under (5 %), ``{mid}`` the minimal
    important difference (0,25 in Danish, 0.25 in English), ``{min_n}`` the minimum group size and
    ``{few}`` the words for a count under it (færre end 5). Sheet and column texts are formatted
    from the settings, so a changed setting never leaves a stale number in the workbook.
    """

    def percent(x: float) -> str:
        return f"{100 * x:.0f} %"

    values = {
        "ci": percent(scores.confidence),
        "flag": percent(config.DONT_KNOW_FLAG),
        "alpha": percent(1 - scores.confidence),
        "mid": format_number(MINIMAL_IMPORTANT_DIFFERENCE, lang, 2),
        "min_n": scores.min_n,
        "few": count_text(None, scores.min_n, lang),
    }
    return lambda text: text.format(**values)


def _column_texts(sheet: str, column: str) -> tuple[str, str, str, str]:
    """Return a column's header and explanation (da, en) in the sheet of table ``sheet``."""
    return SHEET_COLUMNS.get(sheet, {}).get(column) or COLUMNS.get(column, (column, column, "", ""))


def _write_table(
    ws, sheet: str, frame: pd.DataFrame, hidden: list[str | None], min_n: int, lang: str, settings: Callable[[str], str]
) -> None:
    """Fill a sheet with a header row (bold, frozen, filterable) and one row per table row.

    ``hidden`` holds, per row, the words that replace its findings (:data:`_HIDDEN`), or None
    when the row is shown. A count under ``min_n`` (blank in the table) is written as words.
    """
    columns = list(frame.columns)
    few = count_text(None, min_n, lang)
    widths = []
    for j, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j)
        da, en = _column_texts(sheet, column)[:2]
        _set_text(cell, settings(words.t(lang, da, en)))
        cell.font, cell.fill, cell.border = _BOLD, _HEADER_FILL, _HEADER_BORDER
        widths.append(len(str(cell.value)) + 4)  # room for the filter button
    records = frame.to_dict("records")
    for i, (record, words_for_hidden) in enumerate(zip(records, hidden), start=2):
        for j, column in enumerate(columns, start=1):
            cell = ws.cell(row=i, column=j)
            fmt = _number_format(sheet, column)
            value = _cell_value(column, record[column])
            if words_for_hidden is not None and column in _HIDDEN:
                text = words_for_hidden
            elif words_for_hidden is not None and column in _COUNTS and value is None:
                # A hidden row publishes no count; its words say why (pooled, or under min_n).
                text = words_for_hidden
            elif column in _COUNTS and _small_count(column, value, min_n):
                text = few
            else:
                text = None
            if text is not None:
                _set_text(cell, text)
                cell.font = _HIDDEN_FONT
                cell.alignment = Alignment(horizontal="right")
                shown = len(text)
            elif isinstance(value, str):
                _set_text(cell, value)
                shown = len(cell.value)
            else:
                cell.value = value
                if fmt and isinstance(value, (int, float)) and not isinstance(value, bool):
                    cell.number_format = fmt
                shown = _shown_width(value, fmt)
            widths[j - 1] = max(widths[j - 1], shown + 2)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(width, 8), 60)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(records) + 1, 1)}"


def _small_count(column: str, value, min_n: int) -> bool:
    """Return whether a count cell must read "færre end 5": blank in the table, or a head count under min_n."""
    if value is None:
        return True
    if column in _PEOPLE and isinstance(value, (int, float)) and not isinstance(value, bool):
        return 0 < value < min_n
    return False


# -- the about sheet ----------------------------------------------------------------------------
def _write_about(ws, scores: Scores, sheets: list[tuple[str, str, pd.DataFrame]], lang: str) -> None:
    """Write the first sheet: settings, the anonymity rules, the municipality, changes, and what each column means."""
    fill = _settings_filler(scores, lang)
    few = count_text(None, scores.min_n, lang)
    group = config.MERGED_GROUP_NAME[lang]

    def t(da: str, en: str) -> str:
        return words.t(lang, da, en)

    rows: list[tuple] = [
        (t("Modenhed i indkøbet: tabeller", "Procurement maturity: tables"),),
        (),
        (t("Kodebogens version", "Codebook version"), str(scores.codebook_version)),
        (t("År i data", "Years in the data"), ", ".join(str(w) for w in scores.waves)),
        (t("Mindste gruppestørrelse (min_n)", "Minimum group size (min_n)"), scores.min_n),
        (t("Bootstrap-gentagelser", "Bootstrap resamples"), scores.resamples),
        (t("Seed (startværdi for bootstrap)", "Seed (bootstrap)"), scores.seed),
        (t("Konfidensniveau", "Confidence level"), float(scores.confidence)),
        (),
        (
            t("Anonymitet", "Anonymity"),
            t(
                f"En forvaltning med færre end {scores.min_n} svarende på en værdi vises ikke for sig: score, interval "
                f"og niveau står som »{hidden_text(scores.min_n, lang)}«.",
                f"A department with fewer than {scores.min_n} respondents on a value is not shown on its own: score, "
                f"interval and level read '{hidden_text(scores.min_n, lang)}'.",
            ),
        ),
        (
            "",
            t(
                f"Et antal under {scores.min_n} (svarende, n) vises aldrig som tal, men som »{few}«.",
                f"A count under {scores.min_n} (respondents, n) is never shown as a number but as '{few}'.",
            ),
        ),
        (
            group,
            t(
                f"Forvaltninger med færre end {scores.min_n} svarende lægges sammen i »{group}« (koden "
                f"{config.MERGED_GROUP}, medlemmernes koder i navnet og i kolonnen Medlemmer), og er gruppen for lille "
                f"eller har den kun ét medlem, kommer den mindste viste forvaltning med, så medlemmernes egne tal står "
                f"som »{pooled_text(lang)}«.",
                f"Departments with fewer than {scores.min_n} respondents are pooled into '{group}' (code "
                f"{config.MERGED_GROUP}, the members' codes in its name and in the Members column), and when the group "
                f"is too small or has one member, the smallest department shown joins it, so the members' own figures "
                f"read '{pooled_text(lang)}'.",
            ),
        ),
        (
            config.MUNICIPALITY_NAME[lang],
            t(
                f"Kommunens tal er gennemsnittet over alle forvaltninger med svar, hver med samme vægt, hvor de små "
                f"indgår gennem {group}, der vejer som sine medlemmer.",
                f"The municipality's figure is the mean over every department with answers, each weighing the same, "
                f"the small ones entering through {group}, which weighs as many departments as it has members.",
            ),
        ),
        (
            t("Vurdering af ændringer", "Change verdicts"),
            fill(
                t(
                    "En ændring kaldes forbedring eller tilbagegang kun, når dens justerede p-værdi er under {alpha}, "
                    "og den er mindst {mid} på skalaen 1-5; ellers står der »ingen klar ændring«.",
                    "A change is called an improvement or a decline only when its adjusted p-value is under {alpha} "
                    "and it is at least {mid} on the 1-5 scale; otherwise it reads 'no clear change'.",
                )
            ),
        ),
        (
            t("Tal", "Numbers"),
            t(
                "Tal er gemt som tal (to decimaler, andele i procent); Excel viser decimalkomma efter computerens "
                "sprogindstilling.",
                "Numbers are stored as numbers (two decimals, shares as percentages); Excel shows the decimal "
                "separator of the computer's locale.",
            ),
        ),
        (
            t("Koder", "Codes"),
            t(
                "Kolonner med »(kode)« svarer til CSV-filerne i mappen tables; navnekolonnerne findes kun her.",
                "Columns marked '(code)' match the CSV files in the tables folder; the name columns are only here.",
            ),
        ),
        (
            t("Tekst", "Text"),
            t(
                "Tekst, der begynder med = + - eller @, har fået et ' foran, så Excel ikke udfører den som en formel.",
                "Text beginning with = + - or @ has a ' in front, so that Excel does not run it as a formula.",
            ),
        ),
        (),
        (t("Ark", "Sheet"), t("Kolonne", "Column"), t("CSV-kolonne", "CSV column"), t("Forklaring", "Explanation")),
    ]
    header_row = len(rows)
    sheet_rows = []
    for title, csv_name, frame in sheets:
        sheet = SHEETS.get(csv_name)
        sheet_rows.append(len(rows) + 1)
        rows.append((title, "", csv_name, fill(sheet.about(lang)) if sheet else ""))
        for column in frame.columns:
            da, en, about_da, about_en = _column_texts(csv_name, column)
            named = column.endswith("_name") and column[:-5] in _NAMED
            csv_column = "" if named or column in EXCEL_ONLY else column
            rows.append(("", fill(t(da, en)), csv_column, fill(t(about_da, about_en))))

    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row, start=1):
            cell = ws.cell(row=i, column=j)
            value = _cell_value("", value)
            if isinstance(value, str):
                if value:
                    _set_text(cell, value)
            elif value is not None:
                cell.value = value
                cell.number_format = "0%" if isinstance(value, float) else _INT_FORMAT
                cell.alignment = Alignment(horizontal="left")
    ws["A1"].font = Font(bold=True, size=14)
    for j in range(1, 5):
        cell = ws.cell(row=header_row, column=j)
        cell.font, cell.fill, cell.border = _BOLD, _HEADER_FILL, _HEADER_BORDER
    for i in range(3, header_row):
        ws.cell(row=i, column=1).font = _BOLD
    for i in sheet_rows:
        for j in (1, 3, 4):
            ws.cell(row=i, column=j).font = _BOLD
    for letter, width in zip("ABCD", (34, 24, 38, 90)):
        ws.column_dimensions[letter].width = width


# -- writing ------------------------------------------------------------------------------------
def _deterministic_bytes(wb: Workbook, stamp: datetime) -> bytes:
    """Return the workbook's bytes with every time in it fixed.

    openpyxl stamps the modified property with the current time on save and the zip entries
    with the time of writing; both are replaced, so the bytes depend on the content only.
    """
    raw = io.BytesIO()
    wb.save(raw)
    wb.properties.modified = stamp
    core = tostring(wb.properties.to_tree())
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = core if info.filename == "docProps/core.xml" else src.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()
