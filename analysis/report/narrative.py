"""Sentences generated from the numbers, saying only what the paired comparisons support.

method.md's narrative rules (version 2): sentences are symmetric, naming departments clearly
below the municipality as plainly as those clearly above; a value or department is "highest" or
"lowest" only when its paired difference to each other excludes 0, otherwise they are "on level
with" each other (:mod:`analysis.stats.comparisons`); a level name carries the "?" of the figures
when its interval crosses a level boundary; a change is an improvement or a decline only as the
change table's verdict says (adjusted test and at least 0,25).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..formatting import format_number, join_names
from ..stats.comparisons import ABOVE, BELOW
from ..words import t

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


def level_text(level_name: str, uncertain: bool, lang: str = "da") -> str:
    """Return a level name as text writes it: lower case in Danish, with "?" when uncertain.

    Examples
    --------
    >>> level_text("Etableret", True), level_text("Established", False, "en")
    ('etableret?', 'established')
    """
    return f"{level_name.lower()}{'?' if uncertain else ''}"


def _lower(name: str, lang: str) -> str:
    return name.lower() if lang == "da" else name


def sentence_value_extreme(
    values: pd.DataFrame, pairs: pd.DataFrame, which: str, names: dict[str, str], lang: str = "da"
) -> str:
    """Say which value is least (``which="lowest"``) or most mature, guarded by paired differences.

    Parameters
    ----------
    values
        One row per value: ``value, score, level_name, level_uncertain`` (the municipality).
    pairs
        :func:`analysis.stats.comparisons.compare_values` for the same scores: ``value_a,
        value_b, position`` (where a lies against b, by the paired bootstrap difference).
    which
        ``"lowest"`` or ``"highest"``.

    The extreme is called the least/most mature only when it is clearly below/above every other
    value; otherwise the sentence names the values it is on level with.

    Examples
    --------
    >>> values = pd.DataFrame({"value": ["a", "b", "c"], "score": [2.1, 3.2, 3.22],
    ...                        "level_name": ["Begyndende", "Etableret", "Etableret"],
    ...                        "level_uncertain": [False, True, False]})
    >>> pairs = pd.DataFrame({"value_a": ["a", "a", "b"], "value_b": ["b", "c", "c"],
    ...                       "position": ["below", "below", "on level"]})
    >>> names = {"a": "Innovation", "b": "Miljø", "c": "Klima"}
    >>> sentence_value_extreme(values, pairs, "lowest", names)
    'Innovation er den mindst modne værdi med en score på 2,1 (begyndende).'
    >>> sentence_value_extreme(values, pairs, "highest", names)
    'Klima har den højeste score (3,2, etableret), men ligger på niveau med miljø.'
    """
    shown = values.dropna(subset=["score"])
    if shown.empty:
        return ""
    top = shown.sort_values("score", ascending=(which == "lowest"), kind="stable").iloc[0]
    tied = []
    for other in shown["value"]:
        if other == top["value"]:
            continue
        pair = pairs[
            ((pairs["value_a"] == top["value"]) & (pairs["value_b"] == other))
            | ((pairs["value_a"] == other) & (pairs["value_b"] == top["value"]))
        ]
        if pair.empty or pair["position"].iloc[0] not in (ABOVE, BELOW):
            tied.append(_lower(names[other], lang))
    name, score = names[top["value"]], _fmt(top["score"], lang)
    level = level_text(top["level_name"], bool(top["level_uncertain"]), lang)
    if lang == "da":
        word, low_high = ("mindst", "laveste") if which == "lowest" else ("mest", "højeste")
        if not tied:
            return f"{name} er den {word} modne værdi med en score på {score} ({level})."
        return f"{name} har den {low_high} score ({score}, {level}), men ligger på niveau med {join_names(tied, lang)}."
    word, low_high = ("least", "lowest") if which == "lowest" else ("most", "highest")
    if not tied:
        return f"{name} is the {word} mature value, scoring {score} ({level})."
    return f"{name} has the {low_high} score ({score}, {level}) but is on level with {join_names(tied, lang)}."


def sentence_positions(
    positions: pd.DataFrame, dept_names: dict[str, str], value_name: str, municipal_score: float, lang: str = "da"
) -> str:
    """Name the departments clearly above **and** clearly below the municipality on one value.

    ``positions`` is :func:`analysis.stats.comparisons.compare_departments_to_municipality` for one
    value (``department, diff, position``); ``dept_names`` maps codes to the names to print (the
    merged group to "Øvrige forvaltninger (KFF og BIF)").

    Examples
    --------
    >>> pos = pd.DataFrame({"department": ["SUF", "SOF", "BUF"], "diff": [1.2, -0.7, 0.1],
    ...                     "position": ["above", "below", "on level"]})
    >>> sentence_positions(pos, {}, "Innovation", 2.64)
    'På innovation ligger SUF klart over kommunens gennemsnit på 2,6, og SOF ligger klart under.'
    >>> sentence_positions(pos.iloc[2:], {}, "Innovation", 2.64, "en")
    'No department is clearly above or below the municipal average on innovation (2.6).'
    """
    above = positions[positions["position"] == ABOVE].sort_values("diff", ascending=False)
    below = positions[positions["position"] == BELOW].sort_values("diff")
    up = join_names([dept_names.get(d, d) for d in above["department"]], lang)
    down = join_names([dept_names.get(d, d) for d in below["department"]], lang)
    score, value = _fmt(municipal_score, lang), value_name.lower()
    if lang == "da":
        if up and down:
            return f"På {value} ligger {up} klart over kommunens gennemsnit på {score}, og {down} ligger klart under."
        if up:
            return f"På {value} ligger {up} klart over kommunens gennemsnit på {score}; ingen ligger klart under."
        if down:
            return f"På {value} ligger {down} klart under kommunens gennemsnit på {score}; ingen ligger klart over."
        return f"Ingen forvaltning ligger klart over eller under kommunens gennemsnit på {value} ({score})."
    if up and down:
        return f"On {value}, {up} {'are' if len(above) > 1 else 'is'} clearly above the municipal average of {score}, and {down} {'are' if len(below) > 1 else 'is'} clearly below."
    if up:
        return f"On {value}, {up} {'are' if len(above) > 1 else 'is'} clearly above the municipal average of {score}; none is clearly below."
    if down:
        return f"On {value}, {down} {'are' if len(below) > 1 else 'is'} clearly below the municipal average of {score}; none is clearly above."
    return f"No department is clearly above or below the municipal average on {value} ({score})."


def sentence_share_high(shares: pd.Series, names: dict[str, str], lang: str = "da") -> str:
    """Say, per value, the share of answers at level 4-5 ("systematisk eller førende").

    Examples
    --------
    >>> sentence_share_high(pd.Series({"a": 0.61, "b": 0.26}), {"a": "Klima", "b": "Innovation"})
    'Andelen af svar på niveau 4-5 (systematisk eller førende) er 61 % på klima og 26 % på innovation.'
    """
    from ..formatting import format_share

    parts = [
        f"{format_share(x, lang, 0)} {'på' if lang == 'da' else 'on'} {_lower(names[v], lang)}"
        for v, x in shares.dropna().items()
    ]
    if not parts:
        return ""
    return t(
        lang,
        f"Andelen af svar på niveau 4-5 (systematisk eller førende) er {join_names(parts, lang)}.",
        f"The share of answers at level 4-5 (systematic or leading) is {join_names(parts, lang)}.",
    )


def sentence_coverage(
    full: pd.Series, published_only: pd.Series, names: dict[str, str], members: str, lang: str = "da"
) -> str:
    """Say where the municipality of the departments shown alone would tell another story than all of them.

    ``full`` and ``published_only`` map value ids to the municipal score over every department and
    over the departments published on their own; a value is named when the two differ by at least
    the minimal important difference (0,25) or fall on different levels. ``members`` names the
    pooled departments ("KFF og BIF"). Empty when the pictures agree.

    Examples
    --------
    >>> sentence_coverage(pd.Series({"a": 2.64, "b": 3.4}), pd.Series({"a": 3.07, "b": 3.45}),
    ...                   {"a": "Innovation", "b": "Klima"}, "KFF og BIF")
    'Regnet alene på de forvaltninger, der kan vises hver for sig, ville kommunens score være 3,1 i stedet for 2,6 på innovation; de mindre forvaltninger (KFF og BIF) trækker altså gennemsnittet ned.'
    """
    from ..stats.changes import MINIMAL_IMPORTANT_DIFFERENCE
    from ..stats.scoring import level_of

    rows = []
    for value, score in full.dropna().items():
        other = published_only.get(value)
        if other is None or pd.isna(other):
            continue
        if abs(other - score) >= MINIMAL_IMPORTANT_DIFFERENCE or level_of(other) != level_of(score):
            rows.append((value, score, other))
    if not rows:
        return ""
    parts = [
        t(
            lang,
            f"{_fmt(other, lang)} i stedet for {_fmt(score, lang)} på {_lower(names[v], lang)}",
            f"{_fmt(other, lang)} instead of {_fmt(score, lang)} on {names[v]}",
        )
        for v, score, other in rows
    ]
    down = all(other > score for _, score, other in rows)
    up = all(other < score for _, score, other in rows)
    effect = (
        t(lang, "trækker altså gennemsnittet ned", "pull the average down")
        if down
        else t(lang, "trækker altså gennemsnittet op", "pull the average up")
        if up
        else t(lang, "flytter altså gennemsnittet", "move the average")
    )
    return t(
        lang,
        f"Regnet alene på de forvaltninger, der kan vises hver for sig, ville kommunens score være "
        f"{join_names(parts, lang)}; de mindre forvaltninger ({members}) {effect}.",
        f"Counting only the departments that can be shown on their own, the municipal score would be "
        f"{join_names(parts, lang)}; the smaller departments ({members}) {effect}.",
    )


def estimates(frame: pd.DataFrame, name_col: str, names: dict[str, str] | None = None) -> list[Estimate]:
    """Turn published rows with ``score, ci_low, ci_high`` into :class:`Estimate` objects."""
    shown = frame.dropna(subset=["score"])
    out = []
    for row in shown.itertuples():
        key = getattr(row, name_col)
        out.append(Estimate((names or {}).get(key, key), float(row.score), float(row.ci_low), float(row.ci_high)))
    return [e for e in out if not np.isnan(e.score)]
