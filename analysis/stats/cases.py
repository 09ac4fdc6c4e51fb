"""The case register as frames: a wave's cases, their counts, what is new, and cases beside scores.

In: a :class:`~analysis.survey.cases.CaseRegister` and, for :func:`fact_and_perception`, the
scores (:class:`~analysis.stats.scores.Scores` or its ``department_value`` frame). Out: tidy
pandas frames with codes only (departments, kinds, statuses, patterns): no language, no HTML.

The register of wave W is the cases registered in W or before and not withdrawn by then
(:meth:`~analysis.survey.cases.CaseRegister.cases_in`). No frame here sets a target for the
number of cases: the documents advise against a numeric target for OPPs and OPIs.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .. import config
from ..exceptions import ParameterError
from ..survey.cases import ACTIVE_STATUSES, CaseRegister
from ..survey.codebook import Departments

__all__ = [
    "HIGH_LEVEL",
    "LOW_LEVEL",
    "PATTERNS",
    "case_counts",
    "fact_and_perception",
    "new_cases",
    "opp_opi_per_year",
    "register_frame",
]

#: A published level at or above this (4 Systematisk, 5 Førende) claims systematic work.
HIGH_LEVEL = 4
#: A published level at or below this (1 Ikke påbegyndt, 2 Begyndende) claims little work.
LOW_LEVEL = 2
#: The values of :func:`fact_and_perception`'s ``pattern`` column, each a neutral description.
PATTERNS = ("high_no_case", "low_with_cases", "consistent", "hidden", "no_score")

_REGISTER_COLUMNS = [
    "id",
    "department",
    "kind",
    "title_da",
    "title_en",
    "text_da",
    "text_en",
    "partners",
    "start_year",
    "status",
    "value_kr",
    "municipalities",
    "source",
    "registered",
    "new",
]


def register_frame(register: CaseRegister, wave: int) -> pd.DataFrame:
    """Return the register of ``wave`` as a tidy frame, one row per case.

    Parameters
    ----------
    register : CaseRegister
        The case register (:func:`~analysis.survey.cases.load_register`).
    wave : int
        The survey wave whose register is wanted.

    Returns
    -------
    pandas.DataFrame
        ``id, department, kind, title_da, title_en, text_da, text_en, partners, start_year,
        status, value_kr, municipalities, source, registered, new``: ``partners`` joined with
        ``"; "``, ``status`` the case's status in ``wave``, unknown facts as ``<NA>``/NaN, and
        ``new`` true for a case registered in ``wave`` when ``wave`` is later than the
        register's first wave (the first wave's cases are the starting point, not news).
        Departments in department-list order, cases in file order within.

    Examples
    --------
    >>> from analysis.survey.cases import load_register
    >>> lamps = register_frame(load_register(), 2025).set_index("id").loc["suf_circadian_lamps"]
    >>> int(lamps["municipalities"]), float(lamps["value_kr"]), lamps["status"]
    (8, 150000000.0, 'in_operation')
    """
    first = register.first_wave
    order = {code: k for k, code in enumerate(register.departments)}
    cases = sorted(register.cases_in(wave), key=lambda c: order.get(c.department, len(order)))
    rows = [
        {
            "id": c.id,
            "department": c.department,
            "kind": c.kind.id,
            "title_da": c.title_da,
            "title_en": c.title_en,
            "text_da": c.text_da,
            "text_en": c.text_en,
            "partners": "; ".join(c.partners),
            "start_year": c.start_year,
            "status": c.status_in(wave),
            "value_kr": c.value_kr,
            "municipalities": c.municipalities,
            "source": c.source,
            "registered": c.registered,
            "new": bool(c.registered == wave and first is not None and wave > first),
        }
        for c in cases
    ]
    frame = pd.DataFrame(rows, columns=_REGISTER_COLUMNS)
    return frame.astype(
        {"start_year": "Int64", "value_kr": "float64", "municipalities": "Int64", "registered": "Int64", "new": bool}
    )


def case_counts(
    register: CaseRegister, wave: int, departments: Departments | Iterable[str] | None = None
) -> pd.DataFrame:
    """Return the number of cases in the register of ``wave`` per department and kind.

    Parameters
    ----------
    register : CaseRegister
        The case register.
    wave : int
        The survey wave.
    departments : Departments or iterable of str, optional
        The departments to list, in order; the register's department list by default. Every one
        gets a row, with zeros where it has no case.

    Returns
    -------
    pandas.DataFrame
        ``department``, one column per kind id (in the register's order) and ``total``; one row
        per department and a last row ``ALL`` (:data:`analysis.config.MUNICIPALITY`) with the
        totals. Counts are whole numbers.

    Examples
    --------
    >>> from analysis.survey.cases import load_register
    >>> counts = case_counts(load_register(), 2025)
    >>> counts.set_index("department").loc[["TMF", "SOF", "ALL"], "total"].tolist()
    [3, 0, 5]
    """
    if departments is None:
        codes = list(register.departments)
    else:
        codes = list(departments.codes if isinstance(departments, Departments) else departments)
    cases = register.cases_in(wave)
    codes += [c.department for c in cases if c.department not in codes]
    kinds = [k.id for k in register.kinds]
    counts = pd.DataFrame(0, index=pd.Index(list(dict.fromkeys(codes)), name="department"), columns=kinds)
    for c in cases:
        counts.loc[c.department, c.kind.id] += 1
    counts.loc[config.MUNICIPALITY] = counts.sum()
    counts["total"] = counts.sum(axis=1)
    return counts.astype("int64").reset_index()


def new_cases(register: CaseRegister, wave: int, previous_wave: int) -> pd.DataFrame:
    """Return the cases in the register of ``wave`` that were not in that of ``previous_wave``.

    Parameters
    ----------
    register : CaseRegister
        The case register.
    wave, previous_wave : int
        The wave and an earlier wave to compare it with.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`register_frame` for ``wave`` whose id was not in the register of
        ``previous_wave`` (empty when nothing was added).

    Raises
    ------
    ParameterError
        When ``previous_wave`` is not before ``wave``.
    """
    if previous_wave >= wave:
        raise ParameterError(f"previous_wave ({previous_wave}) must be before wave ({wave}).")
    before = {c.id for c in register.cases_in(previous_wave)}
    frame = register_frame(register, wave)
    return frame[~frame["id"].isin(before)].reset_index(drop=True)


def fact_and_perception(register: CaseRegister, scores, wave: int, value: str = "innovation") -> pd.DataFrame:
    """Return each department's self-assessed level on ``value`` beside its documented cases.

    The survey measures how mature staff think their department is (perception); the register
    holds the cases documented in the administration's own reporting (fact). This sets the two
    side by side, per department, with a neutral ``pattern``:

    - ``hidden``: the department's score is suppressed (too few answers, or pooled into the
      merged group): no score, interval or level is shown, whatever the scores frame holds;
    - ``no_score``: the scores have no row for the department;
    - ``high_no_case``: a published level of :data:`HIGH_LEVEL` (4 Systematisk) or more, and no
      case in the register of ``wave``;
    - ``low_with_cases``: a published level of :data:`LOW_LEVEL` (2 Begyndende) or less, and at
      least one case;
    - ``consistent``: any other published score.

    The rule uses the published level (the score rounded to the scale) rather than the interval
    against the municipality: level 4 is the scale's "Systematisk", the very claim the documents
    test ("units that work systematically"). ``level_uncertain`` is carried along so that a
    pattern resting on a level whose interval crosses a level boundary can be worded with care.
    Every case counts as evidence, whatever its status; ``cases_active`` counts those running or
    in operation in ``wave``.

    The merged group (:data:`analysis.config.MERGED_GROUP`), when published, gets its own row:
    its pooled score beside the cases of all its members, and its pattern judged as a group. Its
    members' rows stay ``hidden`` (``merged_into`` names the group): the pooled score is never
    attributed to any one of them.

    Parameters
    ----------
    register : CaseRegister
        The case register.
    scores : Scores or pandas.DataFrame
        The scores, or a frame with the columns of ``Scores.department_value`` (``wave,
        department, value, score, ci_low, ci_high, n, suppressed, level, level_uncertain`` and,
        for the merged group, ``members`` as ``"SOF+KFF"``).
    wave : int
        The survey wave: its scores and its register.
    value : str, default "innovation"
        The policy value whose score is set beside the cases.

    Returns
    -------
    pandas.DataFrame
        ``wave, department, members, merged_into, score, ci_low, ci_high, n, level,
        level_uncertain, suppressed, cases, cases_active, pattern``: one row per department of
        the register's department list, then the merged group and any other scored code.

    Raises
    ------
    ParameterError
        When the scores have no row for ``wave`` or ``value``.
    """
    dv = scores.department_value if hasattr(scores, "department_value") else scores
    if not (dv["wave"] == wave).any():
        waves = ", ".join(str(w) for w in sorted(dv["wave"].unique())) or "none"
        raise ParameterError(f"wave {wave} is not in the scores; they have the waves {waves}.")
    if not ((dv["wave"] == wave) & (dv["value"] == value)).any():
        values = ", ".join(dict.fromkeys(dv["value"]))
        raise ParameterError(f"value {value!r} is not in the scores; they have {values}.")
    rows = dv[(dv["wave"] == wave) & (dv["value"] == value)].set_index("department")
    cases = register.cases_in(wave)
    count = {c: 0 for c in register.departments}
    active = dict(count)
    for case in cases:
        count[case.department] = count.get(case.department, 0) + 1
        active[case.department] = active.get(case.department, 0) + (case.status_in(wave) in ACTIVE_STATUSES)

    groups: dict[str, list[str]] = {}
    for code, row in rows.iterrows():
        members = row.get("members") if "members" in rows.columns else None
        if isinstance(members, str) and members:
            groups[code] = members.split("+")
    merged_into = {member: group for group, members in groups.items() for member in members}

    out = []
    for code in dict.fromkeys([*register.departments, *rows.index]):
        members = groups.get(code, [])
        own = members or [code]
        record = {
            "wave": wave,
            "department": code,
            "members": "+".join(members),
            "merged_into": merged_into.get(code, ""),
            "cases": sum(count.get(d, 0) for d in own),
            "cases_active": sum(active.get(d, 0) for d in own),
        }
        row = rows.loc[code] if code in rows.index else None
        suppressed = row is not None and bool(row["suppressed"])
        shown = row is not None and not suppressed and pd.notna(row["score"])
        for column in ("score", "ci_low", "ci_high", "n", "level", "level_uncertain"):
            record[column] = row[column] if shown else pd.NA
        record["suppressed"] = suppressed
        if suppressed:
            record["pattern"] = "hidden"
        elif not shown:
            record["pattern"] = "no_score"
        elif int(row["level"]) >= HIGH_LEVEL and record["cases"] == 0:
            record["pattern"] = "high_no_case"
        elif int(row["level"]) <= LOW_LEVEL and record["cases"] > 0:
            record["pattern"] = "low_with_cases"
        else:
            record["pattern"] = "consistent"
        out.append(record)
    columns = [
        "wave",
        "department",
        "members",
        "merged_into",
        "score",
        "ci_low",
        "ci_high",
        "n",
        "level",
        "level_uncertain",
        "suppressed",
        "cases",
        "cases_active",
        "pattern",
    ]
    frame = pd.DataFrame(out, columns=columns)
    return frame.astype(
        {
            "wave": "int64",
            "score": "Float64",
            "ci_low": "Float64",
            "ci_high": "Float64",
            "n": "Int64",
            "level": "Int64",
            "level_uncertain": "boolean",
            "suppressed": bool,
            "cases": "int64",
            "cases_active": "int64",
        }
    )


def opp_opi_per_year(register: CaseRegister, wave: int) -> pd.DataFrame:
    """Return the number of OPP and OPI cases in the register of ``wave`` by start year.

    Parameters
    ----------
    register : CaseRegister
        The case register; its kinds ``opp`` and ``opi`` are counted.
    wave : int
        The survey wave.

    Returns
    -------
    pandas.DataFrame
        ``start_year, opp, opi, total``: one row per year from the first to the last start year
        of such a case, years without one as 0; then, when some case's start year is unknown,
        a last row with ``start_year`` ``<NA>`` counting those, so that no case is left out
        unseen. Empty when the register has no OPP or OPI case. There is no target column: the
        documents advise against a numeric target.

    Examples
    --------
    >>> from analysis.survey.cases import load_register
    >>> per_year = opp_opi_per_year(load_register(), 2025)  # the one OPI's start year is not stated
    >>> per_year["start_year"].isna().tolist(), per_year["opi"].tolist()
    ([True], [1])
    """
    cases = [c for c in register.cases_in(wave) if c.kind.id in ("opp", "opi")]
    known = [c.start_year for c in cases if c.start_year is not None]
    years: list = list(range(min(known), max(known) + 1)) if known else []
    if any(c.start_year is None for c in cases):
        years.append(pd.NA)
    frame = pd.DataFrame({"start_year": pd.array(years, dtype="Int64"), "opp": 0, "opi": 0})
    for c in cases:
        at = frame["start_year"].isna() if c.start_year is None else (frame["start_year"] == c.start_year)
        frame.loc[at.fillna(False).to_numpy(dtype=bool), c.kind.id] += 1
    frame["total"] = frame["opp"] + frame["opi"]
    return frame.astype({"opp": "int64", "opi": "int64", "total": "int64"})
