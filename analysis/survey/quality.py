"""The record of what was loaded: files read, respondents, answer kinds and warnings.

In: facts gathered while files are read and checked. Out: :class:`FileInfo` per file and
:class:`DataQuality`, whose :meth:`~DataQuality.summary` is the report of ``briefing validate``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..exceptions import Problem
from .reading import DELIMITER_NAMES
from .sources.base import SOURCE_NAMES

__all__ = ["DataQuality", "FileInfo"]

_DELIMITER_NAMES_DA = {";": "semikolon", "\t": "tabulator", ",": "komma"}

_KIND_LABELS = {
    "en": {
        "level": "on the 1-5 scale",
        "dont_know": "'Ved ikke' (don't know)",
        "not_applicable": "'Ikke relevant' (not applicable)",
        "blank": "blank",
    },
    "da": {
        "level": "på skalaen 1-5",
        "dont_know": "'Ved ikke'",
        "not_applicable": "'Ikke relevant'",
        "blank": "blanke",
    },
}


_ROW_KINDS = ("complete", "partial", "partial, left out", "no answers", "preview", "test", "spam")
_ROW_KIND_DA = {
    "complete": "fuldført",
    "partial": "delvis",
    "partial, left out": "delvis, udeladt",
    "no answers": "uden svar",
    "preview": "forhåndsvisning",
    "test": "test",
    "spam": "spam",
}


# Public records
@dataclass(frozen=True)
class FileInfo:
    """Facts about one input file, as read.

    Attributes
    ----------
    path : str
        The path as given by the caller.
    format : str
        ``"csv"`` or ``"xlsx"``.
    encoding : str or None
        Text encoding detected for CSV (``"utf-8"``, ``"utf-8-sig"``, ``"cp1252"``,
        ``"utf-16"`` with a BOM, ``"utf-16-le"`` or ``"utf-16-be"`` without); None for Excel.
    delimiter : str or None
        Field delimiter detected for CSV; None for Excel.
    sheet : str or None
        Worksheet read for Excel; None for CSV.
    data_rows : int
        Respondent rows the file contributed (fully blank rows not counted).
    waves : tuple of int
        The survey waves found in the file.
    blank_rows : int
        Fully blank rows skipped.
    item_columns : tuple of str
        Codebook item ids the file has a column for, in codebook order.
    unknown_columns : tuple of str
        Headers that match no required column and no codebook item (ignored).
    source : str
        The survey tool the export came from (``"surveyxact"``, ``"qualtrics"``, ..., ``"plain"``).
    files : tuple of str
        Every file read for this export (SurveyXact: dataset, labels and structure).
    row_kinds : tuple of (department, kind, rows)
        Rows kept ("complete", "partial") and left out ("no answers", "preview", "test", "spam",
        "partial" with ``complete_only``) per department code ("" where the row names none).
    """

    path: str
    format: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    data_rows: int
    waves: tuple[int, ...]
    blank_rows: int = 0
    item_columns: tuple[str, ...] = ()
    unknown_columns: tuple[str, ...] = ()
    source: str = "plain"
    files: tuple[str, ...] = ()
    row_kinds: tuple[tuple[str, str, int], ...] = ()


@dataclass(eq=False)
class DataQuality:
    """Record of what was loaded: files, respondent counts, answer kinds and warnings.

    Attributes
    ----------
    files : list of FileInfo
        One entry per input file, in the order given.
    warnings : list of Problem
        Problems that did not stop loading (columns matching no item, items without a column,
        respondents who left every item blank).
    answer_counts : pandas.DataFrame
        Answers per wave (index) and kind (columns ``level``, ``dont_know``,
        ``not_applicable``, ``blank``), counted over the rows of ``responses``.
    respondent_counts : pandas.DataFrame
        Respondents per department (index, department list order) and wave (columns).
    """

    files: list[FileInfo]
    warnings: list[Problem]
    answer_counts: pd.DataFrame
    respondent_counts: pd.DataFrame

    @property
    def waves(self) -> list[int]:
        """Return the waves loaded, oldest first."""
        return [int(w) for w in self.respondent_counts.columns]

    @property
    def data_rows(self) -> int:
        """Return the number of respondent rows over all files."""
        return sum(f.data_rows for f in self.files)

    def files_read(self) -> list[str]:
        """Return every file read, in order (an export of several files lists each of them)."""
        return [f for info in self.files for f in (info.files or (info.path,))]

    def invited_from_exports(self, wave: int) -> dict[str, int]:
        """Return, per department, everyone a survey tool's export of ``wave`` lists: answered or not.

        Only files of one wave that list invited non-responders (rows with no answers) say how many
        were asked; departments of other files are missing from the result. Invited people whose
        department the export does not name (it was a question they never answered) are under "".
        """
        out: dict[str, int] = {}
        for f in self.files:
            kinds = {k for _, k, _ in f.row_kinds}
            if f.waves != (int(wave),) or "no answers" not in kinds:
                continue
            for dept, kind, n in f.row_kinds:
                if kind in ("complete", "partial", "partial, left out", "no answers"):
                    out[dept] = out.get(dept, 0) + n
        return out

    def row_kinds(self) -> pd.DataFrame:
        """Return the rows kept and left out per department (rows) and kind (columns).

        Kinds: ``complete`` and ``partial`` (kept), ``no answers`` (invited, never answered),
        ``preview``, ``test``, ``spam`` and ``partial, left out`` (with ``complete_only``).
        """
        records = [(d or "-", k, n) for f in self.files for d, k, n in f.row_kinds]
        if not records:
            return pd.DataFrame(dtype="int64")
        frame = pd.DataFrame(records, columns=["department", "kind", "rows"])
        table = frame.pivot_table(index="department", columns="kind", values="rows", aggfunc="sum", fill_value=0)
        kinds = [k for k in _ROW_KINDS if k in table.columns]
        return table[kinds].astype("int64")

    def respondents(self) -> pd.DataFrame:
        """Return respondent counts per department (rows) and wave (columns).

        Every department of the department list is a row, with 0 where it has no respondents.
        """
        return self.respondent_counts.copy()

    def summary(self, lang: str = "en") -> str:
        """Return a readable multi-line report of the loaded data (``briefing validate``).

        Parameters
        ----------
        lang : {"en", "da"}
            Language of the report; Danish writes numbers the Danish way.

        Returns
        -------
        str
            Files read, respondents per department and wave, answer kinds and warnings.
        """
        da = lang == "da"

        def n(x):
            return _format_int(x, lang)

        lines = ["Kontrol af besvarelser" if da else "Survey data check", ""]
        lines.append(f"{'Filer' if da else 'Files'} ({len(self.files)}):")
        for f in self.files:
            if f.format == "csv":
                how = f"CSV, {f.encoding}, " + (
                    f"skilletegn {_DELIMITER_NAMES_DA.get(f.delimiter, repr(f.delimiter))}"
                    if da
                    else f"{DELIMITER_NAMES.get(f.delimiter, repr(f.delimiter))}-delimited"
                )
            elif f.format == "xlsx":
                how = f"Excel, {'ark' if da else 'sheet'} '{f.sheet}'"
            else:
                how = f.format.upper()
            if f.source != "plain":
                how = f"{SOURCE_NAMES[f.source].split(' (')[0]}, {how}"
            waves = ", ".join(str(w) for w in f.waves)
            rows = f"{n(f.data_rows)} {'rækker' if da else 'rows'}"
            lines.append(f"  {f.path} ({how}): {rows}, {'bølge' if da else 'wave'} {waves}")
        total = int(self.respondent_counts.to_numpy().sum())
        waves = ", ".join(str(w) for w in self.waves)
        lines.append("")
        lines.append(f"{'Respondenter' if da else 'Respondents'}: {n(total)} ({'bølger' if da else 'waves'} {waves})")
        lines.append("")
        lines.append("Respondenter pr. forvaltning og bølge:" if da else "Respondents per department and wave:")
        table = self.respondent_counts.copy()
        table.loc["I alt" if da else "Total"] = table.sum()
        cells = [[str(i)] + [n(int(v)) for v in row] for i, row in zip(table.index, table.to_numpy())]
        head = ["Forvaltning" if da else "Department"] + [str(c) for c in table.columns]
        widths = [max(len(r[k]) for r in [head, *cells]) for k in range(len(head))]
        for r in [head, *cells]:
            lines.append(
                "  " + "  ".join(r[k].ljust(widths[k]) if k == 0 else r[k].rjust(widths[k]) for k in range(len(r)))
            )
        kinds = self.row_kinds()
        if len(kinds) and set(kinds.columns) != {"complete"}:
            lines.append("")
            lines.append(
                "Rækker pr. forvaltning, brugt og udeladt:" if da else "Rows per department, kept and left out:"
            )
            head = ["Forvaltning" if da else "Department"] + [_ROW_KIND_DA[k] if da else k for k in kinds.columns]
            order = [d for d in self.respondent_counts.index if d in kinds.index] + [
                d for d in kinds.index if d not in self.respondent_counts.index
            ]
            cells = [[str(d)] + [n(int(v)) for v in kinds.loc[d]] for d in order]
            widths = [max(len(r[k]) for r in [head, *cells]) for k in range(len(head))]
            for r in [head, *cells]:
                lines.append(
                    "  " + "  ".join(r[k].ljust(widths[k]) if k == 0 else r[k].rjust(widths[k]) for k in range(len(r)))
                )
        lines.append("")
        lines.append("Svar:" if da else "Answers:")
        counts = self.answer_counts.sum()
        all_answers = int(counts.sum())
        for kind, label in _KIND_LABELS["da" if da else "en"].items():
            k = int(counts.get(kind, 0))
            share = _format_share(k / all_answers if all_answers else 0.0, lang)
            lines.append(f"  {label}: {n(k)} ({share})")
        lines.append("")
        if self.warnings:
            lines.append(f"{'Advarsler' if da else 'Warnings'} ({len(self.warnings)}):")
            lines.extend(f"  - {w}" for w in self.warnings)
        else:
            lines.append("Ingen advarsler." if da else "No warnings.")
        return "\n".join(lines)


def _format_int(x: int, lang: str) -> str:
    """Return a whole number with thousands separators, Danish style (100.000) for "da"."""
    text = f"{int(x):,}"
    return text.replace(",", ".") if lang == "da" else text


def _format_share(x: float, lang: str) -> str:
    """Return a share as a percentage with one decimal, decimal comma for "da"."""
    text = f"{100 * x:.1f} %"
    return text.replace(".", ",") if lang == "da" else text
