"""Golden tests: the sample's tables, workbook and sections stay exactly as they were.

A refactoring must not change a number, a table or a document. When a change is meant to alter
the output, regenerate the snapshots with ``.venv/bin/python -m tests.golden_snapshot`` and review
the diff of ``tests/golden/`` like any other change.
"""

from __future__ import annotations

import difflib

import pytest

from tests.golden_snapshot import GOLDEN_DIR, snapshot

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def current() -> dict[str, str]:
    return snapshot()


def test_the_same_files_are_produced(current):
    assert sorted(current) == sorted(p.name for p in GOLDEN_DIR.iterdir())


@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN_DIR.iterdir()))
def test_output_is_unchanged(current, name):
    expected = (GOLDEN_DIR / name).read_text(encoding="utf-8")
    got = current.get(name)
    assert got is not None, f"{name} is no longer produced"
    if got != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True), "golden", "now", n=2))
        pytest.fail(f"{name} changed:\n{diff[:4000]}")
