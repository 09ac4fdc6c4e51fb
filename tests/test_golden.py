"""Golden tests: the sample's tables, workbook and sections stay exactly as they were.

A refactoring must not change a number, a table or a document. When a change is meant to alter
the output, regenerate the snapshots with ``.venv/bin/python -m tests.golden_snapshot`` and review
the diff of ``tests/golden/`` like any other change.

One test compares everything, so that the snapshot is computed once per run even when the suite
runs in several worker processes.
"""

from __future__ import annotations

import difflib

import pytest

from tests.golden_snapshot import GOLDEN_DIR, snapshot

pytestmark = pytest.mark.slow


def test_tables_workbook_and_sections_are_unchanged():
    current = snapshot()
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(GOLDEN_DIR.iterdir())}
    assert sorted(current) == sorted(expected), "the set of produced files changed"
    changed = []
    for name, text in expected.items():
        if current[name] != text:
            diff = "".join(
                difflib.unified_diff(
                    text.splitlines(True), current[name].splitlines(True), f"golden/{name}", "now", n=2
                )
            )
            changed.append(diff[:3000])
    assert not changed, f"{len(changed)} golden file(s) changed:\n" + "\n".join(changed)
