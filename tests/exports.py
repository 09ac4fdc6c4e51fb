"""Writers that lay our plain survey out exactly as survey tools export it: the ground truth for
the export readers of issue 9.

Each writer takes the plain wide frame (``respondent_id, department, wave, <item ids>`` as read from
``data/sample/responses_2025.csv`` with ``dtype=str``: answers ``1``-``5``, ``Ved ikke``, ``Ikke
relevant`` or blank) plus the codebook and department list, and writes one tool's layout. The
survey is the same in every tool: a department question ("Hvilken forvaltning arbejder du i?",
answered with ``name_da``, coded 1-7 in department-list order where the tool codes answers) and one
matrix/battery whose statements are the items' ``text_da``, under :data:`STEM`, on the scale
:data:`SCALE` then "Ved ikke" and "Ikke relevant". No tool writes a wave column.

Every writer is deterministic (no clock, no random state) and returns a :class:`Written`:
the path to give the loader, the respondent ids the tool gave each plain ``respondent_id``, and
(LimeSurvey with codes) the mapping YAML text.

Which real files each layout was checked against is said in each writer's docstring; where the
issue text and the real files differ, the real files win and the docstring says so.
``python tests/exports.py`` regenerates the committed fixtures in ``tests/fixtures/exports/``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat
import yaml

from analysis.survey.codebook import Codebook, Departments, load_codebook, load_departments

#: The department question, as worded in every tool.
DEPARTMENT_QUESTION = "Hvilken forvaltning arbejder du i?"
#: The stem of the matrix / battery that holds the items as statements.
STEM = "Hvor langt er din forvaltning? Vurdér hvert udsagn"
#: The five scale labels, codes 1-5.
SCALE = ["Ikke påbegyndt", "Begyndende", "Etableret", "Systematisk", "Førende"]
DONT_KNOW = "Ved ikke"
NOT_APPLICABLE = "Ikke relevant"
#: A free-text question SurveyXact carries along (not an item: readers must leave it alone).
COMMENT_QUESTION = "Har du kommentarer til undersøgelsen?"

#: When the (made-up) survey opened; every timestamp is derived from it, so files never change.
OPENED = dt.datetime(2025, 3, 3, 8, 30, 0)

__all__ = [
    "DEPARTMENT_QUESTION",
    "STEM",
    "Written",
    "read_plain",
    "write_forms",
    "write_google",
    "write_limesurvey",
    "write_qualtrics",
    "write_spss",
    "write_surveyxact",
]


@dataclass
class Written:
    """What a writer wrote: ``path`` to load, ``ids`` plain respondent_id -> the tool's id."""

    path: Path
    ids: dict[str, str] = field(default_factory=dict)
    mapping: str | None = None


@dataclass
class _Person:
    """One respondent of the plain frame: answers as 1-5, "dk", "na" or None (blank)."""

    plain_id: str
    department: str
    answers: list
    index: int  # 1-based position in the frame

    @property
    def empty(self) -> bool:
        return all(a is None for a in self.answers)


def read_plain(path) -> pd.DataFrame:
    """Return a plain CSV as the writers take it: every cell text, blanks as ''."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _defaults(codebook, departments) -> tuple[Codebook, Departments]:
    return (codebook or load_codebook(), departments or load_departments())


def _parse(frame: pd.DataFrame, codebook: Codebook) -> tuple[list[str], list[_Person]]:
    """Split the plain frame into item ids (frame order) and respondents."""
    item_ids = [c for c in frame.columns if c in set(codebook.item_ids)]
    people = []
    for i, cells in enumerate(frame.to_dict("records"), start=1):
        answers = []
        for item in item_ids:
            raw = str(cells[item]).strip()
            if raw == "":
                answers.append(None)
            elif raw == DONT_KNOW:
                answers.append("dk")
            elif raw == NOT_APPLICABLE:
                answers.append("na")
            elif raw in {"1", "2", "3", "4", "5"}:
                answers.append(int(raw))
            else:
                raise ValueError(f"row {i + 1}, {item}: {raw!r} is not 1-5, Ved ikke, Ikke relevant or blank")
        people.append(_Person(str(cells["respondent_id"]), str(cells["department"]), answers, i))
    return item_ids, people


def _label(answer) -> str:
    """Return the scale label of an answer (blank for None)."""
    if answer is None:
        return ""
    if answer == "dk":
        return DONT_KNOW
    if answer == "na":
        return NOT_APPLICABLE
    return SCALE[answer - 1]


def _coded(answer, dont_know, not_applicable):
    """Return an answer as the tool's numeric code (None for blank)."""
    if answer is None:
        return None
    if answer == "dk":
        return dont_know
    if answer == "na":
        return not_applicable
    return answer


def _dept_code(departments: Departments, code: str) -> int:
    """Return the 1-based answer code of a department (department-list order)."""
    return list(departments.codes).index(code) + 1


def _times(index: int) -> tuple[dt.datetime, dt.datetime]:
    """Return a made-up (start, end) for the respondent at ``index``: deterministic."""
    start = OPENED + dt.timedelta(minutes=47 * index, seconds=13 * index)
    return start, start + dt.timedelta(minutes=6 + index % 5, seconds=(17 * index) % 60)


def _texts(item_ids: list[str], codebook: Codebook) -> list[str]:
    by_id = {it.id: it for it in codebook.items}
    return [by_id[i].text_da for i in item_ids]


def _csv_text(rows, sep: str, line: str = "\n", quoting=csv.QUOTE_MINIMAL) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator=line, quoting=quoting)
    writer.writerows(rows)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------- SurveyXact

#: SurveyXact's overall status, one-hot in ``stato_1..stato_5`` (Danish user interface).
SX_STATUS = ["Ny", "Distribueret", "Nogle svar", "Gennemført", "Frafaldet"]
SX_DONT_KNOW = 6
SX_NOT_APPLICABLE = 7


def _sx_number(value, decimal_comma: bool) -> str:
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return text.replace(".", ",") if decimal_comma else text


def _surveyxact_rows(frame, codebook, departments, nonresponders, partial_ids=()):
    """Return (header, rows as lists of Python values, ids, item_ids), non-responders interleaved."""
    item_ids, people = _parse(frame, codebook)
    order: list[_Person | None] = list(people)
    # Invited people who never answered sit among the others, as SurveyXact lists the invited.
    for k in range(nonresponders):
        order.insert(min(len(order), 2 + 3 * k), None)
    header = ["responde", "closetim", "starttim", "difftime", "s_1"]
    header += [f"s_2_{k}" for k in range(1, len(item_ids) + 1)]
    header += ["s_3"] + [f"stato_{k}" for k in range(1, 6)]
    rows, ids = [], {}
    for position, person in enumerate(order, start=1):
        responde = 4711000 + position
        if person is None:
            status = 2  # Distribueret: invited, never answered
            rows.append([responde, None, None, None, None] + [None] * len(item_ids) + [""] + _one_hot(status))
            continue
        ids[person.plain_id] = str(responde)
        start, end = _times(person.index)
        partial = person.plain_id in set(partial_ids)
        status = 3 if partial else 4
        closed = None if partial else end
        difftime = None if partial else round((end - start).total_seconds() + 0.25 * (person.index % 4), 2)
        comment = "Godt initiativ; mere af det, tak" if person.index == 3 else ""
        rows.append(
            [
                responde,
                closed.strftime("%d-%m-%Y %H:%M:%S") if closed else None,
                start.strftime("%d-%m-%Y %H:%M:%S"),
                difftime,
                _dept_code(departments, person.department),
            ]
            + [_coded(a, SX_DONT_KNOW, SX_NOT_APPLICABLE) for a in person.answers]
            + [comment]
            + _one_hot(status)
        )
    return header, rows, ids, item_ids


def _one_hot(status: int) -> list[int]:
    return [1 if k == status else 0 for k in range(1, 6)]


def _surveyxact_labels(item_ids, departments) -> list[list]:
    """Return the labels rows: variable, value, label, in display order (not code order)."""
    rows = []
    # The department answers are displayed alphabetically; their codes follow the department list.
    names = [(d.name_da, i) for i, d in enumerate(departments.departments, start=1)]
    rows += [["s_1", code, name] for name, code in sorted(names)]
    for k in range(1, len(item_ids) + 1):
        variable = f"s_2_{k}"
        rows += [[variable, code, label] for code, label in enumerate(SCALE, start=1)]
        # Real label files keep the designer's trailing blanks ("Vet ikke    "): one here.
        rows += [[variable, SX_DONT_KNOW, DONT_KNOW + " "], [variable, SX_NOT_APPLICABLE, NOT_APPLICABLE]]
    for k in range(1, 6):
        rows += [[f"stato_{k}", 0, "Ikke valgt"], [f"stato_{k}", 1, "Valgt"]]
    return rows


def _surveyxact_structure(item_ids, codebook) -> list[list]:
    """Return the structure rows (header first); choice rows carry one trailing empty field."""
    rows = [["questionName", "variableName", "questionType", "subType", "questionText", "choiceValue", "choiceText"]]
    rows.append(["s_1", "s_1", "Closed", "Single", DEPARTMENT_QUESTION, None, None])
    for k, text in enumerate(_texts(item_ids, codebook), start=1):
        # "<stem> - <statement>", with the trailing blank real battery rows have.
        rows.append(["s_2", f"s_2_{k}", "Closed", "Single", f"{STEM} - {text} ", None, None])
    rows.append(["s_3", "s_3", "Open", "String", COMMENT_QUESTION, None, None])
    for k, name in enumerate(SX_STATUS, start=1):
        rows.append(["statoverall", f"stato_{k}", "Closed", "Multiple", "Samlet status", k, name, None])
    return rows


def _sx_delimited(rows, sep: str, numeric_columns: set[int], decimal_comma: bool, line: str) -> str:
    """Write rows as SurveyXact does: text quoted, numbers bare, blanks empty."""
    out = []
    for row in rows:
        cells = []
        for j, value in enumerate(row):
            if value is None:
                cells.append("")
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                cells.append(_sx_number(value, decimal_comma))
            elif j in numeric_columns:
                cells.append(str(value))
            else:
                cells.append('"' + str(value).replace('"', '""') + '"')
        out.append(sep.join(cells))
    return line.join(out) + line


def _sx_files(frame, codebook, departments, nonresponders, partial_ids, sep, line):
    header, rows, ids, item_ids = _surveyxact_rows(frame, codebook, departments, nonresponders, partial_ids)
    dataset = sep.join(header) + line + _sx_delimited(rows, sep, set(), True, line)
    labels = _sx_delimited(_surveyxact_labels(item_ids, departments), sep, set(), True, line)
    structure_rows = _surveyxact_structure(item_ids, codebook)
    structure = sep.join(structure_rows[0]) + line + _sx_delimited(structure_rows[1:], sep, set(), True, line)
    return {"dataset.csv": dataset, "labels.csv": labels, "structure.csv": structure}, ids


def write_surveyxact(
    frame: pd.DataFrame,
    folder,
    variant: str = "ansi",
    nonresponders: int = 0,
    *,
    partial_ids=(),
    codebook: Codebook | None = None,
    departments: Departments | None = None,
) -> Written:
    """Write a SurveyXact export: ``dataset``, ``labels`` and ``structure`` in ``folder``.

    Layout, checked against NIFU-NO/readSX ``inst/extdata/`` (``ex_survey2_semicolon_ansi/``,
    ``ex_survey2_comma_ansi/``, ``ex_survey2_tab_utf16/``, ``ex_survey2.xlsx``, at the commit
    "Version 0.7.0" fc9c2b5 and at HEAD) and the reader ``R/read_surveyxact.R``:

    - ``dataset``: one header row of variable names, one row per invited respondent, numeric codes,
      blank = unanswered; text cells quoted (``""`` for empty free text), numbers bare; the status
      one-hot ``stato_1..stato_5`` after the questions (where the real file has it), labelled
      0 "Ikke valgt" / 1 "Valgt". The system columns ``responde, closetim, starttim, difftime``
      come first (issue text: the readSX example has none, so their place and the date format
      are not verified). ``difftime`` has a decimal comma in the CSV variants.
    - ``labels``: ``variable;value;label`` with NO header, in display order (the department
      answers alphabetical, so not in code order, as ``s_6`` in the real file), labels quoted,
      one with a trailing blank as real labels have.
    - ``structure``: ``questionName;variableName;questionType;subType;questionText;choiceValue;
      choiceText``; a battery row reads ``s_2;s_2_1;Closed;Single;<stem> - <statement> ;;`` (the
      real battery rows end the text with a blank); text quoted; rows with a choice (here the
      status rows ``statoverall;stato_k;Closed;Multiple;Samlet status;k;<status>``) carry one
      trailing empty field, as in the real 0.7.0 files: in the semicolon file as well as in the
      UTF-16 one (the issue says only UTF-16).
    - ``variant="ansi"``: Windows-1252, ``;``, LF line ends (as the real file).
      ``"utf16"``: UTF-16LE with BOM, tab, CRLF. ``"xlsx"``: one workbook, sheets in the real
      order ``Labels`` (no header row), ``Dataset``, ``Structure``; blank answers are empty-string
      cells, as in the real workbook. ``"zip"``: the three ANSI files in ``surveyxact.zip``.
    - Codes: departments 1-7 in department-list order; scale 1-5, Ved ikke 6, Ikke relevant 7.
      Partial respondents (``partial_ids``) have status 3 "Nogle svar" and no ``closetim``; ``nonresponders``
      adds invited people with status 2 "Distribueret" and no answers, placed among the others.
    """
    codebook, departments = _defaults(codebook, departments)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if variant in {"ansi", "zip"}:
        files, ids = _sx_files(frame, codebook, departments, nonresponders, partial_ids, ";", "\n")
        encoded = {name: text.encode("cp1252") for name, text in files.items()}
        if variant == "ansi":
            for name, data in encoded.items():
                (folder / name).write_bytes(data)
            return Written(folder / "dataset.csv", ids)
        target = folder / "surveyxact.zip"
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in encoded.items():
                info = zipfile.ZipInfo(name, date_time=(2025, 3, 20, 12, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        return Written(target, ids)
    if variant == "utf16":
        files, ids = _sx_files(frame, codebook, departments, nonresponders, partial_ids, "\t", "\r\n")
        for name, text in files.items():
            (folder / name).write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
        return Written(folder / "dataset.csv", ids)
    if variant == "xlsx":
        header, rows, ids, item_ids = _surveyxact_rows(frame, codebook, departments, nonresponders, partial_ids)
        book = openpyxl.Workbook()
        labels = book.active
        labels.title = "Labels"
        for row in _surveyxact_labels(item_ids, departments):
            labels.append(row)
        data = book.create_sheet("Dataset")
        data.append(header)
        for row in rows:
            data.append(["" if v is None else v for v in row])
        structure = book.create_sheet("Structure")
        for row in _surveyxact_structure(item_ids, codebook):
            structure.append(row[:7])
        target = folder / "surveyxact.xlsx"
        _save_workbook(book, target)
        return Written(target, ids)
    raise ValueError(f"unknown SurveyXact variant {variant!r}")


def _save_workbook(book: openpyxl.Workbook, target: Path) -> None:
    """Save with fixed document times, so the same data give the same bytes."""
    fixed = dt.datetime(2025, 3, 20, 12, 0, 0)
    book.properties.created = fixed
    book.properties.modified = fixed
    book.properties.creator = "exports.py"
    book.save(target)
    _normalise_zip_times(target)


def _normalise_zip_times(target: Path) -> None:
    """Rewrite a zip container with fixed member times (openpyxl stamps the current time)."""
    with zipfile.ZipFile(target) as source:
        members = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the clock
                data = re.sub(rb"<dcterms:modified([^>]*)>[^<]*<", rb"<dcterms:modified\1>2025-03-20T12:00:00Z<", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 3, 20, 12, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(fixed, data)


# ---------------------------------------------------------------------------------------- Qualtrics

_QX_SYSTEM = [
    ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Europe/Copenhagen"}'),
    ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Europe/Copenhagen"}'),
    ("Status", "Response Type", '{"ImportId":"status"}'),
    ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
    ("Progress", "Progress", '{"ImportId":"progress"}'),
    ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
    ("Finished", "Finished", '{"ImportId":"finished"}'),
    ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"Europe/Copenhagen"}'),
    ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
    ("RecipientLastName", "Recipient Last Name", '{"ImportId":"recipientLastName"}'),
    ("RecipientFirstName", "Recipient First Name", '{"ImportId":"recipientFirstName"}'),
    ("RecipientEmail", "Recipient Email", '{"ImportId":"recipientEmail"}'),
    ("ExternalReference", "External Data Reference", '{"ImportId":"externalDataReference"}'),
    ("LocationLatitude", "Location Latitude", '{"ImportId":"locationLatitude"}'),
    ("LocationLongitude", "Location Longitude", '{"ImportId":"locationLongitude"}'),
    ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
    ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
]
#: Status codes and their choice texts: 0 a real response, 1 a preview, 2 a test.
_QX_STATUS = {0: "IP Address", 1: "Survey Preview", 2: "Survey Test"}


def _qualtrics_id(seed: str) -> str:
    """Return a Qualtrics-like response id (R_ + 15 letters/digits), derived from ``seed``."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    number = int(hashlib.sha256(seed.encode()).hexdigest(), 16)
    chars = []
    for _ in range(15):
        number, rest = divmod(number, 62)
        chars.append(alphabet[rest])
    return "R_" + "".join(chars)


def write_qualtrics(
    frame: pd.DataFrame,
    path,
    values: str = "numeric",
    previews: int = 0,
    partial_ids=(),
    sep: str = ",",
    *,
    bom: bool = False,
    dont_know: int = 8,
    not_applicable: int = 9,
    codebook: Codebook | None = None,
    departments: Departments | None = None,
) -> Written:
    """Write a Qualtrics CSV (``sep=","``) or TSV (``sep="\\t"``) export with three header rows.

    Checked against ropensci/qualtRics ``inst/extdata/sample.csv`` (and
    ``tests/testthat/files/sample.csv``): row 1 the export tags ``StartDate, EndDate, Status,
    IPAddress, Progress, Duration (in seconds), Finished, RecordedDate, ResponseId,
    RecipientLastName, RecipientFirstName, RecipientEmail, ExternalReference, LocationLatitude,
    LocationLongitude, DistributionChannel, UserLanguage`` then the questions; row 2 the labels
    (localised to the exporting user: the sample's are German, "Antworttyp" for Status; these are
    English, "Response Type"); row 3 ``{"ImportId":"..."}`` JSON, CSV-quoted with doubled quotes
    (``_recordId`` for ResponseId; date columns also carry ``"timeZone"``, as in the export quoted
    in the NZSL Signbank docs); no BOM and LF line ends as the sample (``bom=True`` for exports
    that have one); values unquoted unless they need it.

    The survey: ``Q1`` the department (recode 1-7 in department-list order, row 2 the question),
    ``Q2_1..Q2_k`` the matrix rows (row 2 "<stem> - <statement>", ImportId ``QID2_k``).
    ``values="numeric"``: recodes, scale 1-5, ``dont_know`` (8) and ``not_applicable`` (9);
    Status 0/1/2 and Finished 1/0. ``values="text"``: choice texts, department names, Status
    "IP Address"/"Survey Preview"/"Survey Test", Finished "True"/"False". ``previews`` adds that
    many preview (Status 1) and test (Status 2) responses, alternating, all answering 1 for every
    item, with DistributionChannel "preview"/"test"; ``partial_ids`` are plain ids exported as
    closed partial responses (Finished 0/False, Progress under 100, answers kept).
    """
    codebook, departments = _defaults(codebook, departments)
    item_ids, people = _parse(frame, codebook)
    texts = _texts(item_ids, codebook)
    partial_ids = set(partial_ids)
    header1 = [t for t, _, _ in _QX_SYSTEM] + ["Q1"] + [f"Q2_{k}" for k in range(1, len(item_ids) + 1)]
    header2 = [label for _, label, _ in _QX_SYSTEM] + [DEPARTMENT_QUESTION] + [f"{STEM} - {t}" for t in texts]
    header3 = [i for _, _, i in _QX_SYSTEM] + ['{"ImportId":"QID1"}']
    header3 += [f'{{"ImportId":"QID2_{k}"}}' for k in range(1, len(item_ids) + 1)]

    def row(response_id, index, department, answers, status, finished, channel):
        start, end = _times(index)
        answered = sum(a is not None for a in answers) + 1
        progress = 100 if finished else max(5, round(100 * answered / (len(answers) + 1)) - 5)
        if values == "numeric":
            status_cell, finished_cell = str(status), "1" if finished else "0"
            dept = str(_dept_code(departments, department))
            cells = ["" if a is None else str(_coded(a, dont_know, not_applicable)) for a in answers]
        else:
            status_cell, finished_cell = _QX_STATUS[status], "True" if finished else "False"
            dept = departments[department].name_da
            cells = [_label(a) for a in answers]
        recorded = end if finished else end + dt.timedelta(days=7)  # closed after a week
        return [
            start.strftime("%Y-%m-%d %H:%M:%S"),
            end.strftime("%Y-%m-%d %H:%M:%S"),
            status_cell,
            "",  # IP addresses not recorded (anonymised survey)
            str(progress),
            str(int((end - start).total_seconds())),
            finished_cell,
            recorded.strftime("%Y-%m-%d %H:%M:%S"),
            response_id,
            "",
            "",
            "",
            "",
            "",
            "",
            channel,
            "DA",
            dept,
            *cells,
        ]

    body, ids = [], {}
    for person in people:
        rid = _qualtrics_id(f"qualtrics:{person.plain_id}")
        ids[person.plain_id] = rid
        finished = person.plain_id not in partial_ids
        answers = person.answers
        body.append(row(rid, person.index, person.department, answers, 0, finished, "anonymous"))
    first_dept = people[0].department if people else departments.codes[0]
    for k in range(previews):
        status = 1 if k % 2 == 0 else 2
        rid = _qualtrics_id(f"qualtrics:preview:{k}")
        preview = row(rid, 90 + k, first_dept, [1] * len(item_ids), status, True, "preview" if status == 1 else "test")
        # Previews come first in a real export (made while building the survey).
        body.insert(k, preview)
    text = _csv_text([header1, header2, header3, *body], sep)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return Written(path, ids)


# ------------------------------------------------------------------------------- Microsoft Forms

_FORMS_HEADERS = {
    False: ["ID", "Start time", "Completion time", "Email", "Name"],
    True: ["Id", "Starttidspunkt", "Tidspunkt for fuldførelse", "Mail", "Navn"],
}


def write_forms(
    frame: pd.DataFrame,
    path,
    danish: bool = False,
    *,
    department_header: str | None = None,
    headers: dict[str, str] | None = None,
    codebook: Codebook | None = None,
    departments: Departments | None = None,
) -> Written:
    """Write a Microsoft Forms "Open results in Excel" workbook (one sheet, ``Sheet1``).

    Follows the issue text (no real Forms export was available to check against): one header
    row ``ID, Start time, Completion time, Email, Name`` (Danish with ``danish=True``: ``Id,
    Starttidspunkt, Tidspunkt for fuldførelse, Mail, Navn``), then the department question, then
    one column per Likert statement headed by the statement text alone (no stem), values the
    label text; blank = empty cell. ``ID`` is 1, 2, ... in submission order; times are Excel
    date-times; Email "anonymous", Name empty. ``department_header`` replaces the department
    question's header (to test finding the department column by its values); ``headers`` maps an
    item id to a replacement header (to test near-miss texts and duplicate matches).
    """
    codebook, departments = _defaults(codebook, departments)
    item_ids, people = _parse(frame, codebook)
    texts = _texts(item_ids, codebook)
    headers = headers or {}
    statement_headers = [headers.get(i, t) for i, t in zip(item_ids, texts)]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(_FORMS_HEADERS[danish] + [department_header or DEPARTMENT_QUESTION] + statement_headers)
    ids = {}
    for number, person in enumerate(people, start=1):
        start, end = _times(person.index)
        ids[person.plain_id] = str(number)
        labels = [_label(a) or None for a in person.answers]
        sheet.append([number, start, end, "anonymous", None, departments[person.department].name_da, *labels])
    for cells in sheet.iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in cells:
            cell.number_format = "m/d/yy h:mm:ss"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _save_workbook(book, path)
    return Written(path, ids)


# -------------------------------------------------------------------------------------- LimeSurvey

_LS_SYSTEM_FULL = {
    "id": "Response ID",
    "submitdate": "Date submitted",
    "lastpage": "Last page",
    "startlanguage": "Start language",
    "seed": "Seed",
    "startdate": "Date started",
    "datestamp": "Date last action",
}


def write_limesurvey(
    frame: pd.DataFrame,
    path,
    headings: str = "code",
    answers: str = "code",
    *,
    partial_ids=(),
    datestamp: bool | None = None,
    codebook: Codebook | None = None,
    departments: Departments | None = None,
) -> Written:
    """Write a LimeSurvey "Export responses" CSV; return also the mapping YAML for code exports.

    Checked against LimeSurvey/LimeSurvey ``application/helpers/admin/export/CsvWriter.php``
    (UTF-8 BOM; every value quoted with doubled inner quotes, but a NULL written as nothing at all;
    records end in CRLF; ``close()`` writes one more CRLF, so the file ends in an empty line),
    ``Writer.php`` (``code`` headings ``G02Q01[SQ001]``, ``full`` headings "<question>
    [<subquestion>]") and ``common_helper.php`` ``createFieldMap`` (the system columns ``id,
    submitdate, lastpage, startlanguage, seed`` then ``startdate, datestamp`` for a datestamped
    survey; full headings "Response ID", "Date submitted", "Last page", "Start language", "Seed",
    "Date started", "Date last action"). Separator: comma (the export form's option).

    The survey: ``G01Q01`` the department (answer codes A1-A7 in department-list order),
    ``G02Q01[SQ001]..`` the array rows (answer codes A1-A5 the scale, A6 Ved ikke, A7 Ikke
    relevant). ``answers="full"`` writes answer texts instead. Incomplete responses
    (``partial_ids``) have a NULL ``submitdate``, a lower ``lastpage`` and NULL for questions on
    pages never reached; a question shown but skipped is the empty string (quoted). Without a
    datestamp (default for ``headings="full"``) LimeSurvey stores ``submitdate`` of a complete
    response as "1980-01-01 00:00:00" (the anonymised-survey sentinel, see ``mktime(0, 0, 0, 1, 1,
    1980)`` in its response filters). ``Written.mapping`` is the mapping YAML for code exports.
    """
    codebook, departments = _defaults(codebook, departments)
    item_ids, people = _parse(frame, codebook)
    texts = _texts(item_ids, codebook)
    partial_ids = set(partial_ids)
    if datestamp is None:
        datestamp = headings == "code"
    system = ["id", "submitdate", "lastpage", "startlanguage", "seed"] + (
        ["startdate", "datestamp"] if datestamp else []
    )
    codes = [f"G02Q01[SQ{k:03d}]" for k in range(1, len(item_ids) + 1)]
    if headings == "code":
        header = [*system, "G01Q01", *codes]
    elif headings == "full":
        header = [_LS_SYSTEM_FULL[s] for s in system] + [DEPARTMENT_QUESTION] + [f"{STEM} [{t}]" for t in texts]
    else:
        raise ValueError(f"unknown headings {headings!r}")
    scale_codes = {k: f"A{k}" for k in range(1, 6)} | {"dk": "A6", "na": "A7"}

    def answer(a, reached: bool):
        if a is None:
            return "" if reached else None
        return scale_codes[a] if answers == "code" else _label(a)

    lines = [header]
    ids = {}
    for number, person in enumerate(people, start=1):
        ids[person.plain_id] = str(number)
        start, end = _times(person.index)
        partial = person.plain_id in partial_ids
        if partial:
            # Left on page 2 (the array): its later unanswered rows were never submitted.
            last = max((j for j, a in enumerate(person.answers) if a is not None), default=-1)
            cells = [answer(a, j <= last) for j, a in enumerate(person.answers)]
            submit, lastpage = None, "1"
        else:
            cells = [answer(a, True) for a in person.answers]
            submit = end.strftime("%Y-%m-%d %H:%M:%S") if datestamp else "1980-01-01 00:00:00"
            lastpage = "2"
        dept_index = _dept_code(departments, person.department)
        dept = f"A{dept_index}" if answers == "code" else departments[person.department].name_da
        row = [str(number), submit, lastpage, "da", str(1000003 * number % 99991)]
        if datestamp:
            row += [start.strftime("%Y-%m-%d %H:%M:%S"), (end if not partial else start).strftime("%Y-%m-%d %H:%M:%S")]
        lines.append([*row, dept, *cells])
    text = "".join(
        ",".join("" if v is None else '"' + v.replace('"', '""') + '"' for v in line) + "\r\n" for line in lines
    )
    text += "\r\n"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))

    mapping = None
    if headings == "code" or answers == "code":
        columns = {header[0]: "respondent_id", header[len(system)]: "department"}
        columns |= dict(zip(header[len(system) + 1 :], item_ids))
        doc: dict = {"source": "limesurvey", "columns": columns}
        if answers == "code":
            doc["answers"] = {
                "*": {"A1": 1, "A2": 2, "A3": 3, "A4": 4, "A5": 5, "A6": DONT_KNOW, "A7": NOT_APPLICABLE},
                header[len(system)]: {f"A{i}": code for i, code in enumerate(departments.codes, start=1)},
            }
        mapping = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=200)
    return Written(path, ids, mapping)


# ------------------------------------------------------------------------------------ Google Forms


def write_google(
    frame: pd.DataFrame, path, *, codebook: Codebook | None = None, departments: Departments | None = None
) -> Written:
    """Write a Google Forms "Download responses (.csv)" file.

    Follows the issue text (no real Google Forms export was available to check against): UTF-8
    without BOM, comma, ``Timestamp`` then the question titles; a multiple-choice grid gives one
    column per row headed "<question> [<row>]"; values the label text; no respondent id.
    The timestamp format ("2025/03/03 9:17:13 AM GMT+1") is the Forms download's as remembered,
    not verified.
    """
    codebook, departments = _defaults(codebook, departments)
    item_ids, people = _parse(frame, codebook)
    texts = _texts(item_ids, codebook)
    rows = [["Timestamp", DEPARTMENT_QUESTION, *[f"{STEM} [{t}]" for t in texts]]]
    for person in people:
        _, end = _times(person.index)
        hour = end.hour % 12 or 12
        stamp = f"{end:%Y/%m/%d} {hour}:{end:%M:%S} {'AM' if end.hour < 12 else 'PM'} GMT+1"
        rows.append([stamp, departments[person.department].name_da, *[_label(a) for a in person.answers]])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_csv_text(rows, ",").encode("utf-8"))
    return Written(path, {})


# -------------------------------------------------------------------------------------------- SPSS


def write_spss(
    frame: pd.DataFrame, path, *, codebook: Codebook | None = None, departments: Departments | None = None
) -> Written:
    """Write an SPSS ``.sav`` with value labels embedded, laid out as SurveyXact's SPSS export.

    Only the call is given by the issue (``pyreadstat.write_sav(df, path,
    variable_value_labels=..., column_labels=...)``); no real ``.sav`` export was available, so the
    variables follow the SurveyXact dataset above: ``responde`` (the id), ``s_1`` (department,
    1-7 labelled with ``name_da``), ``s_2_k`` (1-5 labelled with the scale, 6 "Ved ikke",
    7 "Ikke relevant"), variable labels the question text and "<stem> - <statement>". Blank
    answers are system-missing. Respondents only (no non-responders).
    """
    codebook, departments = _defaults(codebook, departments)
    item_ids, people = _parse(frame, codebook)
    texts = _texts(item_ids, codebook)
    variables = [f"s_2_{k}" for k in range(1, len(item_ids) + 1)]
    data: dict[str, list] = {"responde": [], "s_1": []} | {v: [] for v in variables}
    ids = {}
    for position, person in enumerate(people, start=1):
        responde = 4711000 + position
        ids[person.plain_id] = str(responde)
        data["responde"].append(float(responde))
        data["s_1"].append(float(_dept_code(departments, person.department)))
        for v, a in zip(variables, person.answers):
            code = _coded(a, SX_DONT_KNOW, SX_NOT_APPLICABLE)
            data[v].append(float("nan") if code is None else float(code))
    df = pd.DataFrame(data)
    scale_labels = {float(k): label for k, label in enumerate(SCALE, start=1)}
    scale_labels |= {float(SX_DONT_KNOW): DONT_KNOW, float(SX_NOT_APPLICABLE): NOT_APPLICABLE}
    value_labels = {"s_1": {float(i): d.name_da for i, d in enumerate(departments.departments, start=1)}}
    value_labels |= {v: scale_labels for v in variables}
    column_labels = ["Respondent", DEPARTMENT_QUESTION, *[f"{STEM} - {t}" for t in texts]]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pyreadstat.write_sav(df, str(path), column_labels=column_labels, variable_value_labels=value_labels)
    # The header's creation date and time (bytes 92-108 of a .sav) come from the clock: fix them.
    data = bytearray(path.read_bytes())
    data[92:109] = b"20 Mar 2512:00:00"
    path.write_bytes(bytes(data))
    return Written(path, ids)


# -------------------------------------------------------------------------------- the fixtures

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
#: The plain ids exported as partial (incomplete) responses in the fixtures.
FIXTURE_PARTIAL = ("17",)


def write_fixtures(folder: Path = FIXTURES) -> dict[str, Written]:
    """Write every committed export fixture from ``folder / "plain.csv"``; return what was written."""
    frame = read_plain(folder / "plain.csv")
    out = {
        "surveyxact_ansi": write_surveyxact(
            frame, folder / "surveyxact" / "ansi", "ansi", nonresponders=1, partial_ids=FIXTURE_PARTIAL
        ),
        "surveyxact_utf16": write_surveyxact(
            frame, folder / "surveyxact" / "utf16", "utf16", nonresponders=1, partial_ids=FIXTURE_PARTIAL
        ),
        "surveyxact_xlsx": write_surveyxact(
            frame, folder / "surveyxact", "xlsx", nonresponders=1, partial_ids=FIXTURE_PARTIAL
        ),
        "surveyxact_zip": write_surveyxact(
            frame, folder / "surveyxact", "zip", nonresponders=1, partial_ids=FIXTURE_PARTIAL
        ),
        "qualtrics_numeric": write_qualtrics(
            frame, folder / "qualtrics" / "numeric.csv", "numeric", previews=2, partial_ids=FIXTURE_PARTIAL
        ),
        "qualtrics_text": write_qualtrics(
            frame, folder / "qualtrics" / "text.csv", "text", previews=2, partial_ids=FIXTURE_PARTIAL, bom=True
        ),
        "forms": write_forms(frame, folder / "forms" / "forms.xlsx"),
        "forms_da": write_forms(frame, folder / "forms" / "forms_da.xlsx", danish=True),
        "limesurvey_code": write_limesurvey(
            frame, folder / "limesurvey" / "codes.csv", "code", "code", partial_ids=FIXTURE_PARTIAL
        ),
        "limesurvey_full": write_limesurvey(
            frame, folder / "limesurvey" / "full.csv", "full", "full", partial_ids=FIXTURE_PARTIAL
        ),
        "google": write_google(frame, folder / "google" / "google.csv"),
        "spss": write_spss(frame, folder / "spss" / "survey.sav"),
    }
    (folder / "limesurvey" / "mapping.yaml").write_text(out["limesurvey_code"].mapping, encoding="utf-8")
    return out


if __name__ == "__main__":
    for name, written in write_fixtures().items():
        print(f"{name}: {written.path}")
