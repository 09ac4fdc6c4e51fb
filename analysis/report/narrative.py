"""Sentences generated from the numbers, saying only what the intervals support.

method.md's narrative rules: a ranking between two departments or two values is stated only when
their 95 % intervals do not overlap; otherwise they are "on level with" each other. A change is
called an improvement or a decline only when the interval of the difference excludes 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..formatting import format_number, join_names

HIGHER, LOWER, LEVEL = "higher", "lower", "on level"


@dataclass(frozen=True)
class Estimate:
    """A score with its interval and a display name."""

    name: str
    score: float
    low: float
    high: float


def compare(a: Estimate, b: Estimate) -> str:
    """Return whether ``a`` is clearly higher or lower than ``b``, or on level (intervals overlap).

    Examples
    --------
    >>> compare(Estimate("A", 3.0, 2.8, 3.2), Estimate("B", 2.0, 1.8, 2.2))
    'higher'
    >>> compare(Estimate("A", 3.0, 2.5, 3.5), Estimate("B", 2.6, 2.2, 2.9))
    'on level'
    """
    if a.low > b.high:
        return HIGHER
    if a.high < b.low:
        return LOWER
    return LEVEL


def _fmt(x: float, lang: str) -> str:
    return format_number(x, lang, 1)


def sentence_extreme(estimates: list[Estimate], which: str, level_name: str, lang: str = "da") -> str:
    """Say which value is least (``which="lowest"``) or most mature, guarded by the intervals.

    The extreme is called the least/most mature only when its interval lies clear of every
    other's; otherwise the sentence names the values it is on level with.
    """
    if not estimates:
        return ""
    ordered = sorted(estimates, key=lambda e: e.score, reverse=(which == "highest"))
    top, rest = ordered[0], ordered[1:]
    tied = [e.name.lower() if lang == "da" else e.name for e in rest if compare(top, e) == LEVEL]
    score = _fmt(top.score, lang)
    if lang == "da":
        word = "mindst" if which == "lowest" else "mest"
        low_high = "laveste" if which == "lowest" else "højeste"
        if not tied:
            return f"{top.name} er den {word} modne værdi med en score på {score} ({level_name.lower()})."
        return (
            f"{top.name} har den {low_high} score ({score}, {level_name.lower()}), "
            f"men ligger på niveau med {join_names(tied, lang)}."
        )
    word = "least" if which == "lowest" else "most"
    low_high = "lowest" if which == "lowest" else "highest"
    if not tied:
        return f"{top.name} is the {word} mature value, scoring {score} ({level_name.lower()})."
    return (
        f"{top.name} has the {low_high} score ({score}, {level_name.lower()}) "
        f"but is on level with {join_names(tied, lang)}."
    )


def sentence_leaders(departments: list[Estimate], municipality: Estimate, value_name: str, lang: str = "da") -> str:
    """Name the departments clearly above the municipality on a value.

    A department leads when its interval lies entirely above the municipality's score;
    departments are named in order of score.
    """
    leaders = [d for d in sorted(departments, key=lambda d: -d.score) if d.low > municipality.score]
    score = _fmt(municipality.score, lang)
    names = join_names([d.name for d in leaders], lang)
    if lang == "da":
        if not leaders:
            return f"Ingen forvaltning ligger klart over kommunens gennemsnit på {value_name.lower()} ({score})."
        return f"På {value_name.lower()} ligger {names} klart over kommunens gennemsnit på {score}."
    if not leaders:
        return f"No department is clearly above the municipal average on {value_name.lower()} ({score})."
    verb = "are" if len(leaders) > 1 else "is"
    return f"On {value_name.lower()}, {names} {verb} clearly above the municipal average of {score}."


def sentence_changes(changes: pd.DataFrame, names: dict[str, str], wave_from: int, lang: str = "da") -> str:
    """Summarise the municipality's changes since ``wave_from`` by verdict.

    ``changes`` holds the municipality rows of :func:`analysis.stats.scoring.score_changes`;
    ``names`` maps value ids to display names.
    """
    by = {
        v: [names[r.value] for r in changes.itertuples() if r.verdict == v]
        for v in ("improvement", "decline", "no clear change")
    }
    for verdict in ("improvement", "decline"):
        if len(by[verdict]) == len(changes) > 1:
            by[verdict] = ["alle værdier" if lang == "da" else "every value"]
    lower = (lambda xs: [x.lower() for x in xs]) if lang == "da" else (lambda xs: xs)
    parts = []
    if lang == "da":
        if by["improvement"]:
            parts.append(f"er modenheden steget på {join_names(lower(by['improvement']), lang)}")
        if by["decline"]:
            subject = "den" if parts else "modenheden"
            parts.append(f"er {subject} faldet på {join_names(lower(by['decline']), lang)}")
        if not parts:
            return f"Siden {wave_from} er der ingen klar ændring på nogen af værdierne."
        rest = " For de øvrige værdier er der ingen klar ændring." if by["no clear change"] else ""
        return f"Siden {wave_from} {' og '.join(parts)}.{rest}"
    if by["improvement"]:
        parts.append(f"maturity has risen on {join_names(by['improvement'], lang)}")
    if by["decline"]:
        subject = "it" if parts else "maturity"
        parts.append(f"{subject} has fallen on {join_names(by['decline'], lang)}")
    if not parts:
        return f"Since {wave_from} there is no clear change on any value."
    rest = " The other values show no clear change." if by["no clear change"] else ""
    return f"Since {wave_from}, {' and '.join(parts)}.{rest}"


def estimates(frame: pd.DataFrame, name_col: str, names: dict[str, str] | None = None) -> list[Estimate]:
    """Turn published rows with ``score, ci_low, ci_high`` into :class:`Estimate` objects."""
    shown = frame.dropna(subset=["score"])
    out = []
    for row in shown.itertuples():
        key = getattr(row, name_col)
        out.append(Estimate((names or {}).get(key, key), float(row.score), float(row.ci_low), float(row.ci_high)))
    return [e for e in out if not np.isnan(e.score)]
