"""Issue 12 (part 7): a large CSV is read by pandas' C parser, and reads exactly as the csv module reads it.

``reading._fast_grid`` is taken only when every record has the header's number of fields and
the quoting is well-formed; its cells must then equal the csv module's, and the field counts it
relies on must equal the csv module's record lengths for any text. Anything else goes to the
csv module, whose messages name each bad row (tests/test_reading_guards.py).
"""

from __future__ import annotations

import csv
import io

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.survey import reading
from analysis.survey.problems import FileProblems

PIECES = ["a", "b", " ", "ø", "1", ",", ";", '"', '""', "\n", "\r", "\r\n", "\t"]


def _csv_module(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"'))


def _agrees(text: str, delimiter: str) -> bool:
    """Check the fast reader against the csv module on ``text``; return whether it was taken."""
    raw = text.encode("utf-8")
    records = _csv_module(text, delimiter)
    counts = reading._field_counts(raw, delimiter)
    if counts is not None:
        assert counts.tolist() == [len(r) for r in records]
    grid = reading._fast_grid(raw, delimiter)
    if grid is None:
        return False
    width = len(records[0])
    assert all(len(r) in (0, width) for r in records)
    assert grid.tolist() == [r or [""] * width for r in records]
    return True


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=16), st.sampled_from([",", ";", "\t"]))
def test_any_text_counts_and_reads_as_the_csv_module_reads_it(pieces, delimiter):
    _agrees("".join(pieces), delimiter)


cell = st.lists(st.sampled_from(["a", "ø", " ", ",", '"', "\n", "\r\n", "1"]), max_size=4).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 4).flatmap(lambda w: st.lists(st.lists(cell, min_size=w, max_size=w), min_size=1, max_size=5)),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from(["", "\n", "\r\n", "\n\n"]),
)
def test_a_table_with_quoted_cells_reads_fast_and_as_the_csv_module_reads_it(rows, newline, end):
    # As a spreadsheet writes it: cells with a delimiter, quote or line break quoted, quotes doubled.
    def field(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value

    text = newline.join(",".join(field(v) for v in row) for row in rows) + end
    taken = _agrees(text, ",")
    # Quoting written this way is always well-formed; only a row that reads as a blank line
    # (a single empty cell) falls back.
    assert taken or any(r == [""] for r in rows)


def test_the_fast_reader_gives_the_same_table_as_the_csv_module(tmp_path):
    rows = [
        ["respondent_id", "department", "wave", "food_1", "Hvor langt, alt i alt?"],
        ["r1", "BUF", "2025", "Ved ikke", 'Et "citat", og\nen ny linje'],
        ["r2", "SUF", "2025", "", "5"],
    ]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    data = ("\ufeff" + buffer.getvalue() + ";;;;\r\n\r\n").encode("utf-8")
    table = reading.read_csv_bytes(data, FileProblems("x.csv"))
    assert table is not None and (table.delimiter, table.encoding) == (";", "utf-8-sig")
    assert table.header == rows[0]
    assert table.cells.tolist() == [*rows[1:], [""] * 5, [""] * 5]
    assert isinstance(table.cells, np.ndarray) and table.cells.dtype == object


def test_stray_quotes_and_wrong_field_counts_go_to_the_csv_module():
    for text in ['a,b\n1,x"y\n', 'a,b\n"1"x,2\n', 'a,b\n1,"2\n', "a,b\n1\n", "a,b\n1,2,3\n", "a,b\n   \n"]:
        assert reading._fast_grid(text.encode(), ",") is None, text
        _agrees(text, ",")
