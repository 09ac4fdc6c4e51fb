"""Themes of the open questions: how many answers mention each theme, per group.

The answers to an open question are coded into themes by keywords
(:func:`~analysis.survey.freetext.code_themes`) and counted for the municipality (``ALL``),
each department and the merged group (``ØVRIGE``), with the disclosure rules of
:mod:`analysis.stats.disclosure` (method.md, *Open questions (themes)*). Frames in, a frame out:
no language and no markup here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .. import config
from ..exceptions import ParameterError
from ..survey.freetext import FreeText, code_themes
from .disclosure import check_min_n, complementary_cells, hide_small_counts, is_suppressed, merged_group

__all__ = ["THEME_COLUMNS", "theme_counts"]

THEME_COLUMNS = ["wave", "department", "theme", "mentions", "answers", "share", "suppressed", "members"]


def theme_counts(
    respondents: pd.DataFrame,
    freetext: FreeText,
    question: str,
    themes: Mapping[str, Sequence[str]],
    *,
    departments_order: Sequence[str] = (),
    min_n: int = config.DEFAULT_MIN_N,
) -> pd.DataFrame:
    """Count, per wave and group, the answers to one open question that mention each theme.

    Parameters
    ----------
    respondents
        One row per respondent (``wave``, ``department``), aligned with ``freetext``.
    freetext
        The free-text answers.
    question
        The open question's id.
    themes
        Keywords per theme id (:func:`~analysis.survey.freetext.code_themes`); rows follow this order.
    departments_order
        Report order of the department codes; departments not in it follow alphabetically.
    min_n
        The minimum group size.

    Returns
    -------
    pandas.DataFrame
        Columns ``wave, department, theme, mentions, answers, share, suppressed, members``, per
        wave the municipality ``ALL`` first, then each department with at least one answer in
        report order, then ``ØVRIGE`` when there is a merged group:

        - ``answers``: respondents with a non-blank answer to the question;
        - ``mentions``: those of them whose answer mentions the theme (an answer may mention
          several themes, so the mentions of a group do not add up to its answers);
        - ``share``: ``mentions / answers``;
        - ``suppressed``: True where ``mentions`` and ``share`` are withheld (blank);
        - ``members``: the merged group's member codes joined by ``+`` (empty elsewhere).

    Notes
    -----
    Disclosure control, as for scores (method.md):

    1. the departments with fewer than ``min_n`` answers are pooled into the merged group by
       :func:`~analysis.stats.disclosure.merged_group` (pulling in the smallest published
       department when needed); a member's row is blank and the group's row carries
       ``members``. So the municipality minus the published departments is the merged group,
       never one small department;
    2. a count under ``min_n`` (not 0) is blank, with its share;
    3. the theme counts of the published departments and the merged group add up to the
       municipality's, so when one of them is blank, enough others are blanked that none can be
       worked out (:func:`~analysis.stats.disclosure.complementary_cells`);
    4. when the wave has fewer than ``min_n`` answers in all, or no merged group can be made,
       nothing is published.

    Examples
    --------
    >>> resp = pd.DataFrame({"wave": 2025, "department": ["BUF"] * 6 + ["SUF"] * 6 + ["KFF"] * 2})
    >>> texts = ["Mere tid"] * 5 + ["Vi mangler en jurist"] + ["Tid og ressourcer"] * 6 + ["Tid", ""]
    >>> ft = FreeText(("q",), np.array(texts, dtype=object))
    >>> t = theme_counts(resp, ft, "q", {"tid": ["tid"]}, departments_order=["BUF", "SUF", "KFF"])
    >>> t[["department", "mentions", "answers", "share", "members"]].values.tolist()
    [['ALL', 12, 13, 0.923..., ''], ['BUF', 5, 6, 0.833..., ''], ['SUF', <NA>, <NA>, nan, ''], ['KFF', <NA>, <NA>, nan, ''], ['ØVRIGE', 7, 7, 1.0, 'SUF+KFF']]
    """
    min_n = check_min_n(min_n)
    texts = freetext.answers(question)
    if len(respondents) != len(texts):
        raise ParameterError(
            f"theme_counts: the respondents frame has {len(respondents)} rows and the free text {len(texts)}; "
            "they must be aligned, one row per respondent."
        )
    answered = freetext.answered(question)
    coded = code_themes(texts, themes)
    theme_ids = [str(t) for t in themes]
    waves = respondents["wave"].to_numpy()
    depts = respondents["department"].astype(str).to_numpy()

    rows: list[dict] = []
    group_hidden: list[bool] = []
    cell_hidden: list[bool] = []
    for wave in sorted(set(waves[answered].tolist())):
        here = answered & (waves == wave)
        present = set(depts[here].tolist())
        order = [d for d in departments_order if d in present] + sorted(present - set(departments_order))
        n = {d: int((here & (depts == d)).sum()) for d in order}
        members, publishable = merged_group(n, min_n)
        publishable = publishable and not is_suppressed(int(here.sum()), min_n)
        # (code, respondents, published, members text); the parts of the whole follow ALL.
        groups = [(config.MUNICIPALITY, here, publishable, "")]
        groups += [(d, here & (depts == d), publishable and d not in members, "") for d in order]
        if members:
            groups.append((config.MERGED_GROUP, here & np.isin(depts, members), publishable, "+".join(members)))
        for j, theme in enumerate(theme_ids):
            mentions = {code: int(coded[mask, j].sum()) for code, mask, _, _ in groups}
            parts = {code: mentions[code] for code, _, shown, _ in groups[1:] if shown}
            hidden = set(complementary_cells(parts, min_n))
            for code, mask, shown, member_text in groups:
                rows.append(
                    {
                        "wave": int(wave),
                        "department": code,
                        "theme": theme,
                        "mentions": mentions[code],
                        "answers": int(mask.sum()),
                        "members": member_text,
                    }
                )
                group_hidden.append(not shown)
                cell_hidden.append(not shown or code in hidden)

    table = pd.DataFrame(rows, columns=["wave", "department", "theme", "mentions", "answers", "members"])
    hide_small_counts(table, "answers", min_n, hidden=group_hidden)
    hide_small_counts(table, "mentions", min_n, hidden=cell_hidden)
    table["wave"] = table["wave"].astype("int64")
    mentions = table["mentions"].astype("Float64")
    table["share"] = (mentions / table["answers"].astype("Float64")).astype(float)
    table["suppressed"] = table["mentions"].isna().to_numpy(dtype=bool)
    return table[THEME_COLUMNS]
