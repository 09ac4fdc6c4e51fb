"""``briefing inspect``: what an export was read as, column by column, on one screen.

In: the paths and reading options of :func:`~analysis.survey.loading.load_responses`. Out: an
:class:`Inspection` whose :meth:`~Inspection.summary` says per file which tool wrote it, how each
column was mapped (respondent id, department, wave, items by value, the tool's own columns,
unmatched ones), how answer codes read, and which rows were kept or left out; and whose
:meth:`~Inspection.mapping_yaml` is that mapping as a file a person can review and pass back
with ``--mapping``. Problems are listed, not raised, so a broken export can still be inspected.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from dataclasses import dataclass

from ..exceptions import Problem
from .codebook import Codebook, Departments, load_codebook, load_departments
from .loading import ReadExport, read_exports
from .mapping import mapping_yaml, statement_of
from .problems import quote, shorten
from .sources.base import SOURCE_NAMES
from .validation import parse_wave

__all__ = ["Inspection", "inspect_exports"]

#: The first line of every mapping file the tool writes; only such a file may be overwritten.
MAPPING_MARK = "# Column mapping for briefing"
_KIND_ORDER = ("complete", "partial", "partial, left out", "no answers", "preview", "test", "spam")


@dataclass
class Inspection:
    """The result of :func:`inspect_exports`."""

    reads: list[ReadExport]
    warnings: list[Problem]
    codebook: Codebook
    departments: Departments
    wave_given: int | None = None

    @property
    def problems(self) -> list[Problem]:
        """Return every problem that would stop ``validate``, ``score`` and ``render``."""
        return [p for r in self.reads for p in r.log.problems()]

    @property
    def problem_count(self) -> int:
        """Return how many problems there are, also those the capped lists only count."""
        return sum(r.log.total for r in self.reads)

    def summary(self) -> str:
        """Return the report: one block per file, then warnings and problems."""
        lines: list[str] = []
        for read in self.reads:
            lines.extend(self._file_block(read))
            lines.append("")
        if self.warnings:
            lines.append(f"Warnings ({len(self.warnings)}):")
            lines.extend(line for w in self.warnings for line in _bullet(str(w)))
            lines.append("")
        problems = self.problems
        if problems:
            lines.append(f"Problems ({self.problem_count:,}): the files cannot be scored until these are fixed.")
            lines.extend(line for p in problems for line in _bullet(str(p)))
        else:
            lines.append("No problems: the files can be scored.")
        return "\n".join(lines)

    def mapping_yaml(self) -> str:
        """Return the mapping of the first readable export as YAML (``--write-mapping``)."""
        for read in self.reads:
            if read.export is not None and read.colmap is not None:
                return mapping_yaml(read.export, read.colmap, self.codebook, read.near)
        return ""

    # -- one file ---------------------------------------------------------------------------------
    def _file_block(self, read: ReadExport) -> list[str]:
        export, colmap = read.export, read.colmap
        if export is None or colmap is None:
            return [f"{read.log.label}: not readable (see the problems below)."]
        table = export.table
        how = [table.format.upper() if table.format != "xlsx" else f"Excel, sheet {table.sheet!r}"]
        if table.encoding:
            how.append(table.encoding)
        if table.delimiter:
            how.append({";": "semicolon", "\t": "tab", ",": "comma"}.get(table.delimiter, repr(table.delimiter)))
        files = f"; files: {', '.join(f.rsplit('/', 1)[-1] for f in export.files)}" if len(export.files) > 1 else ""
        lines = [f"{export.label}: {SOURCE_NAMES[export.source].split(' (')[0]} export ({', '.join(how)}{files})"]

        def row(label: str, text: str) -> None:
            lines.append(f"  {label:<14}{text}")

        by_role: dict[str, list] = {}
        for c in colmap.columns:
            by_role.setdefault(c.role, []).append(c)
        for role, label in (("respondent_id", "Respondent id"), ("department", "Department")):
            found = by_role.get(role, [])
            if found:
                c = found[0]
                text = f' "{shorten(c.text, 50)}"' if c.text and c.text != c.header else ""
                row(label, f"{quote(c.header, 60)}{text} ({c.how})")
            elif role == "respondent_id" and export.source == "google":
                row(label, "none in the file: rows are named 'row 2', 'row 3', ...")
            else:
                row(label, "NOT FOUND")
        waves = by_role.get("wave", [])
        if waves:
            row("Wave", f"{quote(waves[0].header, 60)} ({waves[0].how})")
        elif self.wave_given is not None:
            row("Wave", f"none in the file: {self.wave_given} (given with --wave)")
        else:
            row("Wave", "none in the file: give --wave")
        barrier_ids = set(self.codebook.barrier_ids)
        items = [c for c in by_role.get("item", []) if c.item not in barrier_ids]
        barriers = [c for c in by_role.get("item", []) if c.item in barrier_ids]
        hows = Counter(c.how for c in items)
        how_text = ", ".join(f"{n} by {h}" for h, n in hows.most_common())
        row("Items", f"{len(items)} of {len(self.codebook.items)} codebook items ({how_text or 'none'})")
        item_col = {c.item: c for c in items}
        for value in self.codebook.values:
            pairs = []
            for fa in value.focus_areas:
                for it in fa.items:
                    c = item_col.get(it.id)
                    if c is not None:
                        pairs.append(it.id if c.header == it.id else f"{shorten(c.header, 24)}={it.id}")
            if pairs:
                lines.extend(_wrapped(f"    {value.id} ({len(pairs)}): ", pairs))
        missing = [i for i in self.codebook.item_ids if i not in item_col]
        if missing and items:
            lines.extend(_wrapped("    no column: ", missing, limit=8))
        if barriers:
            pairs = [c.item if c.header == c.item else f"{shorten(c.header, 24)}={c.item}" for c in barriers]
            lines.extend(_wrapped(f"  {'Barriers':<14}{len(barriers)} of {len(barrier_ids)}: ", pairs))
        open_cols = by_role.get("open", [])
        if open_cols:
            pairs = [c.item if c.header == c.item else f"{shorten(c.header, 24)}={c.item}" for c in open_cols]
            lines.extend(_wrapped(f"  {'Open question':<14}free text, never shown as written: ", pairs))
        system = by_role.get("system", []) + by_role.get("ignore", [])
        if system:
            lines.extend(
                _wrapped(f"  {'Ignored':<14}", [shorten(c.header, 40) or f"(column {c.index + 1})" for c in system], 10)
            )
        unknown = [c for c in by_role.get("unknown", []) if c.header.strip() or c.text]
        for c in unknown[:5]:
            close = read.near.get(c.index)
            note = f"CLOSE TO {close[0]} ({close[1]:.0f} %), not applied" if close else "no codebook item, ignored"
            text = f' "{shorten(statement_of(c.text), 60)}"' if c.text else ""
            row("Unmatched", f"{shorten(c.header, 30)!r}{text}: {note}")
        if len(unknown) > 5:
            row("", f"... and {len(unknown) - 5} more unmatched columns")
        lines.extend(self._code_lines(read))
        lines.extend(self._row_lines(read))
        return lines

    def _code_lines(self, read: ReadExport) -> list[str]:
        """Return how the answers found read: codes through labels, texts as levels."""
        export, colmap = read.export, read.colmap
        out = []
        groups: dict[tuple, list[str]] = {}
        for c in colmap.columns:
            if c.role != "item" and c.role != "department":
                continue
            labels = export.labels.get(c.index)
            if labels:
                groups.setdefault((c.role, tuple(labels.items())), []).append(c.header)
        for (role, labels), headers in groups.items():
            what = f"{len(headers)} item column{'s' if len(headers) != 1 else ''}" if role == "item" else headers[0]
            pairs = [f"{code} {shorten(text, 22)}" for code, text in labels]
            out.extend(_wrapped(f"  {'Codes':<14}{what}: ", pairs, limit=9))
        if not groups and colmap.items:
            # No labels: show the distinct answers found and the level each reads as.
            seen: Counter[str] = Counter()
            rows = export.row_kind == ""
            for item, j in colmap.items.items():
                if item in set(self.codebook.barrier_ids):
                    continue  # read on the barrier instrument's own scale
                seen.update(str(v).strip() for v in export.table.cells[rows, j] if str(v).strip())
            pairs = []
            for value, _ in sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))[:9]:
                pairs.append(f"{shorten(value, 20)!r}={self._reads_as(value)}")
            if pairs:
                out.extend(_wrapped(f"  {'Answers':<14}", pairs, limit=9))
        return out

    def _reads_as(self, value: str) -> str:
        try:
            code = self.codebook.parse_answer(value)
        except ValueError:
            return "NOT AN ANSWER"
        if code == self.codebook.dont_know:
            return "Ved ikke"
        if code == self.codebook.not_applicable:
            return "Ikke relevant"
        return str(code) if parse_wave(value) is None else f"{code} {self.codebook.levels[code][0]}"

    def _row_lines(self, read: ReadExport) -> list[str]:
        """Return the rows kept and left out, in all and per department."""
        if read.result is None:
            return []
        kinds: Counter[str] = Counter()
        per_dept: dict[str, Counter[str]] = {}
        for dept, kind, n in read.result.info.row_kinds:
            kinds[kind] += n
            per_dept.setdefault(dept or "(none)", Counter())[kind] += n
        order = [k for k in _KIND_ORDER if kinds[k]]
        kept = kinds["complete"] + kinds["partial"]
        left = sum(n for k, n in kinds.items() if k not in ("complete", "partial"))
        parts = ", ".join(f"{kinds[k]} {k}" for k in order)
        lines = [f"  {'Rows':<14}{kept + left} read, {kept} kept, {left} left out: {parts}"]
        if left or kinds["partial"]:
            depts = self.departments.order([d for d in per_dept if d != "(none)"]) + (
                ["(none)"] if "(none)" in per_dept else []
            )
            for d in depts:
                c = per_dept[d]
                lines.append(f"    {d:<8}" + ", ".join(f"{c[k]} {k}" for k in order if c[k]))
        return lines


def _bullet(text: str, width: int = 110) -> list[str]:
    """Return one warning or problem as a bullet wrapped to ``width`` (file paths are not split)."""
    return textwrap.wrap(text, width, initial_indent="  - ", subsequent_indent="    ", break_long_words=False)


def _wrapped(prefix: str, words: list[str], limit: int | None = None, width: int = 110) -> list[str]:
    """Return ``words`` after ``prefix``, wrapped to ``width``, cut after ``limit`` words."""
    shown = words if limit is None or len(words) <= limit else [*words[:limit], f"... {len(words) - limit} more"]
    lines, line = [], prefix
    indent = " " * len(prefix)
    for w in shown:
        if len(line) + len(w) + 1 > width and line.strip():
            lines.append(line.rstrip())
            line = indent
        line += w + " "
    lines.append(line.rstrip())
    return lines


def inspect_exports(
    paths, codebook: Codebook | None = None, departments: Departments | None = None, **options
) -> Inspection:
    """Read and map exports as :func:`~analysis.survey.loading.load_responses` would, keeping problems.

    ``options`` are the keyword arguments of ``load_responses`` (``wave``, ``source``, ``mapping``, ...).

    Examples
    --------
    >>> from analysis import config
    >>> report = inspect_exports(config.sample_files()[-1]).summary()
    >>> print(report.splitlines()[0])
    /.../responses_2025.csv: plain table export (CSV, utf-8, comma)
    """
    codebook = codebook if codebook is not None else load_codebook()
    departments = departments if departments is not None else load_departments()
    reads, warnings = read_exports(paths, codebook, departments, **options)
    wave = options.get("wave") if options.get("wave") is not None else options.get("default_wave")
    return Inspection(reads, warnings, codebook, departments, wave)
