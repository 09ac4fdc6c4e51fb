"""Generate the synthetic survey sample that ships in ``data/sample/``.

The real answers of procurement staff are not public, so the project ships a **synthetic**
sample: made-up answers drawn from a simple, stated model whose department pattern follows the
findings of the documents the briefing builds on (SUF and TMF work systematically with
innovation and partnerships, BUF takes part in partnerships on food, the other departments work
with it little, and *Partnerskaber og innovation* is the least mature value). The sample lets the
notebooks, the CLI and the tests run end to end; it says nothing about real departments.

The generating model, per wave ``w``, department ``d``, respondent ``r`` and item ``i`` of
value ``V``::

    latent(d, V, w) = LATENT[d][V] + (w - BASE_WAVE) * (DEPARTMENT_GAIN[d] + VALUE_GAIN[V])
    x = latent(d, V, w) + offset(i) + FOOD_BOOST[d] * food(i) + u(r) + e(r, i)
    answer = clip(round(x), 1, 5), written as 6 - answer for reverse-worded items

with ``offset(i)`` a small fixed item effect drawn from the seed (centred within each value, so
it moves items, not values), ``u(r) ~ N(0, RESPONDENT_SD)`` and ``e(r, i) ~ N(0, NOISE_SD)``.
Then some answers are replaced by *Ikke relevant*, *Ved ikke* and blanks as described in
:func:`make_sample`. These numbers are the generator's assumptions, not results of the analysis.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import ParameterError
from .answers import turn_reverse
from .codebook import Codebook, Departments, Item, load_codebook, load_departments

# -- the generating model ------------------------------------------------------------------

#: Value ids in the order of the model tables (the codebook's order).
MODEL_VALUES: tuple[str, ...] = ("organisation", "climate", "labour", "environment", "innovation")

#: Latent maturity (1-5 scale) per department and value in :data:`BASE_WAVE`.
#: Innovation: SUF and TMF systematic (~4), BUF partial (2.6, but see :data:`FOOD_BOOST`),
#: ØKF, SOF, KFF and BIF low (1.6-2.0). Other values 2.6-3.8: ØKF strongest on organisation,
#: TMF on climate, labour fairly high everywhere.
LATENT: dict[str, dict[str, float]] = {
    "ØKF": {"organisation": 3.7, "climate": 3.0, "labour": 3.4, "environment": 3.1, "innovation": 2.0},
    "BUF": {"organisation": 3.2, "climate": 3.3, "labour": 3.5, "environment": 3.4, "innovation": 2.6},
    "SUF": {"organisation": 3.4, "climate": 3.4, "labour": 3.6, "environment": 3.5, "innovation": 3.8},
    "SOF": {"organisation": 2.9, "climate": 2.7, "labour": 3.4, "environment": 2.8, "innovation": 1.7},
    "TMF": {"organisation": 3.4, "climate": 3.8, "labour": 3.5, "environment": 3.6, "innovation": 3.9},
    "KFF": {"organisation": 3.0, "climate": 2.8, "labour": 3.3, "environment": 3.0, "innovation": 1.8},
    "BIF": {"organisation": 2.8, "climate": 2.6, "labour": 3.3, "environment": 2.7, "innovation": 1.6},
}

#: The wave :data:`LATENT` describes; other waves add the gains below per year of distance.
BASE_WAVE = 2023

#: Latent change per wave by department (added to :data:`VALUE_GAIN`): a modest, uneven rise.
DEPARTMENT_GAIN: dict[str, float] = {
    "ØKF": 0.15,
    "BUF": 0.15,
    "SUF": 0.10,
    "SOF": 0.10,
    "TMF": 0.20,
    "KFF": 0.05,
    "BIF": 0.10,
}

#: Latent change per wave by value (added to :data:`DEPARTMENT_GAIN`): climate moves fastest,
#: innovation no faster than the departments, labour nearly flat (already high).
VALUE_GAIN: dict[str, float] = {
    "organisation": 0.02,
    "climate": 0.08,
    "labour": -0.03,
    "environment": 0.04,
    "innovation": 0.00,
}

#: Extra latent maturity on items tagged "food" (BUF's food partnerships, e.g. the EAT potatoes).
FOOD_BOOST: dict[str, float] = {"BUF": 1.0}

#: Standard deviation of the fixed item offsets, of the respondent effect and of the answer noise.
ITEM_SD = 0.20
RESPONDENT_SD = 0.40
NOISE_SD = 0.60

#: Respondents per department and wave: drawn uniformly from [low, high] in every wave. BIF and
#: KFF are small enough to fall below the anonymity threshold (min_n = 5) in some or all waves.
RESPONDENTS: dict[str, tuple[int, int]] = {
    "ØKF": (6, 10),
    "BUF": (11, 15),
    "SUF": (11, 15),
    "SOF": (5, 9),
    "TMF": (11, 15),
    "KFF": (4, 6),
    "BIF": (3, 4),
}

#: Share of *Ved ikke* per item, drawn once per item from [low, high].
DONT_KNOW_BASE = (0.03, 0.08)
#: Innovation in departments whose latent innovation is below :data:`UNAWARE_BELOW`: a respondent
#: knows nothing about the value with probability ``respondent`` (all its items *Ved ikke*), and
#: the others answer *Ved ikke* per item with probability ``item`` (about 30 % in total).
UNAWARE_VALUE = "innovation"
UNAWARE_BELOW = 2.5
UNAWARE_DONT_KNOW = {"respondent": 0.10, "item": 0.22}

#: Share of *Ikke relevant* per item, drawn once per item from [low, high].
NOT_APPLICABLE_BASE = (0.02, 0.04)
#: Construction- and transport-type items (matched in item id, focus-area id or tags) are
#: *Ikke relevant* more often in departments that build and drive little.
SITE_KEYWORDS: tuple[str, ...] = ("construction", "transport", "building")
SITE_NOT_APPLICABLE: dict[str, float] = {"BUF": 0.10, "SUF": 0.08, "SOF": 0.25, "KFF": 0.20, "BIF": 0.30}

#: Blanks: a respondent stops early with this probability (all later items blank), at a point
#: in the last 60 % of the questionnaire; besides, single items are skipped now and then.
STOP_EARLY = 0.08
STOP_FROM = 0.40
SKIP_ITEM = 0.008

#: The wave in which the export wrote full Danish names instead of codes for some departments
#: (a survey link with the department prefilled by name); loading resolves them as aliases.
FULL_NAME_WAVE = 2024
FULL_NAME_DEPARTMENTS: tuple[str, ...] = ("SOF", "KFF")

#: Answer texts as the survey tool exports them.
DONT_KNOW_TEXT = "Ved ikke"
NOT_APPLICABLE_TEXT = "Ikke relevant"
BLANK_TEXT = ""

#: Codes used inside the generator for the two non-level answers and blanks.
_DK, _NA, _BLANK = 8, 9, 0

SAMPLE_COMMAND = "briefing sample --out data/sample --seed 2025"

# -- the barrier instrument and the open question --------------------------------------------
#: The wave the barrier instrument and its open question were first asked in. Before it, only the
#: legal-competence statement was asked (as the maturity item ``inno_forms_3``, its header then).
BARRIER_WAVE = 2025
#: The header the legal-competence statement had before :data:`BARRIER_WAVE`.
LEGAL_OLD_HEADER = "inno_forms_3"
#: Latent agreement (1-5) per barrier statement; :data:`BARRIER_SHIFT` moves it per department.
#: Following the documents: legal competence and resources are the largest barriers; no central
#: unit exists; SUF and TMF have units, management backing and networks in place.
#: ``bar_legal`` is not here: it is drawn as it always was, from the innovation maturity (see
#: :func:`_model_items`), so it is high where innovation is low.
BARRIER_LATENT: dict[str, float] = {
    "bar_resources": 3.7,
    "bar_risk": 3.1,
    "bar_implementation": 3.0,
    "bar_sharing": 2.8,
    "en_central_unit": 1.9,
    "en_management": 2.4,
    "en_unit": 1.8,
    "en_network": 2.5,
}
#: Per-department shifts of :data:`BARRIER_LATENT` (statements not named are not shifted).
BARRIER_SHIFT: dict[str, dict[str, float]] = {
    "SUF": {"bar_resources": -0.4, "en_management": 1.4, "en_unit": 2.4, "en_network": 1.2},
    "TMF": {"bar_resources": -0.5, "en_management": 1.5, "en_unit": 2.5, "en_network": 1.3},
    "BUF": {"en_unit": 0.6, "en_network": 0.4},
}
#: Respondent effect and noise of a barrier answer, and the shares of *Ved ikke* and of blanks.
BARRIER_RESPONDENT_SD = 0.35
BARRIER_NOISE_SD = 0.8
BARRIER_DONT_KNOW = 0.07
BARRIER_SKIP = 0.01
#: Share of respondents who write an answer to the open question.
OPEN_ANSWER_RATE = 0.75
#: Made-up answers to the open question, by the theme they mention (written for the sample; no
#: one wrote them). Departments pick themes with :data:`OPEN_THEME_WEIGHTS`.
OPEN_PHRASES: dict[str, tuple[str, ...]] = {
    "legal": (
        "Adgang til en udbudsjurist, der kender OPI og innovationspartnerskaber.",
        "Juridisk sparring tidligt i processen, så vi tør vælge en anden udbudsform.",
        "Vi mangler jurister med erfaring i OPP-kontrakter.",
        "Hjælp til at forstå udbudsreglerne, når vi vil lave noget nyt.",
    ),
    "central_unit": (
        "En central enhed eller taskforce, vi kan ringe til, når vi har en idé.",
        "Et rejsehold fra Økonomiforvaltningen, der hjælper os i gang.",
        "Fælles rådgivning om innovative udbud i stedet for at hver forvaltning starter forfra.",
    ),
    "resources": (
        "Mere tid og ressourcer til markedsdialog.",
        "Vi har ikke timerne til det ved siden af driften.",
        "Midler til at frikøbe en kollega i projektperioden.",
        "Ressourcerne går til de lovpligtige udbud, så der er ingen tid til innovation.",
    ),
    "management": (
        "Ledelsesopbakning og at det bliver prioriteret højere.",
        "At direktionen efterspørger innovation og ikke kun besparelser.",
        "Et klart mandat fra vores chef.",
    ),
    "risk": (
        "Lov at fejle uden at det går ud over effektiviseringskravene.",
        "Plads til forsøg, selv om det ikke lykkes første gang.",
        "Mindre frygt for risici i store kontrakter.",
    ),
    "sharing": (
        "Bedre videndeling på tværs af forvaltningerne.",
        "Et netværk, hvor vi kan høre om de andres erfaringer.",
        "Erfaringsudveksling med andre kommuner og KL.",
    ),
    "implementation": (
        "Hjælp til implementering i driften, når projektet slutter.",
        "En plan for forankring, så løsningen ikke dør efter piloten.",
    ),
    "none": ("Ingen kommentarer.", "Ved ikke.", "Det ved jeg ikke nok om til at svare."),
}
#: How often each department's answers mention each theme (relative weights).
OPEN_THEME_WEIGHTS: dict[str, dict[str, float]] = {
    "default": {
        "legal": 3,
        "central_unit": 2.5,
        "resources": 3,
        "management": 1.5,
        "risk": 1,
        "sharing": 1,
        "implementation": 0.5,
        "none": 1,
    },
    "SUF": {
        "legal": 1.5,
        "central_unit": 1,
        "resources": 2,
        "management": 0.5,
        "risk": 1,
        "sharing": 2.5,
        "implementation": 2,
        "none": 0.5,
    },
    "TMF": {
        "legal": 1.5,
        "central_unit": 1,
        "resources": 2,
        "management": 0.5,
        "risk": 1.5,
        "sharing": 2.5,
        "implementation": 2,
        "none": 0.5,
    },
}
#: A few answers with personal data, as real answers sometimes have: the briefing never shows
#: them as written (themes only; quotes, when turned on, are redacted). Made up for the sample.
OPEN_PERSONAL: tuple[str, ...] = (
    "Kontakt mig gerne på mette.lind@kk.dk eller 33 66 12 34, hvis I vil høre om vores erfaringer med netværk.",
    "Spørg Jens Holm i vores enhed, han har tid til sparring om juridisk hjælp: www.kk.dk/indkob",
)


# -- public API ----------------------------------------------------------------------------
def make_sample(
    codebook: Codebook | None = None,
    departments: Departments | None = None,
    *,
    seed: int = 2025,
    waves: tuple[int, ...] = (2023, 2024, 2025),
) -> dict[int, pd.DataFrame]:
    """Generate synthetic survey responses, one wide export-like table per wave.

    Parameters
    ----------
    codebook : Codebook, optional
        The questionnaire; :func:`~analysis.survey.codebook.load_codebook` by default. Its values must
        be those of :data:`MODEL_VALUES`.
    departments : Departments, optional
        The department list; :func:`~analysis.survey.codebook.load_departments` by default. Every code
        must appear in :data:`LATENT`.
    seed : int, default 2025
        Seed of :func:`numpy.random.default_rng`. The item offsets come from ``(seed, 0)`` and
        each wave from ``(seed, wave)``, so a wave's answers do not depend on which other waves
        are asked for.
    waves : tuple of int, default (2023, 2024, 2025)
        Survey years to generate.

    Returns
    -------
    dict of int to pandas.DataFrame
        Per wave, columns ``respondent_id``, ``department``, ``wave`` and one column per item id
        in codebook order. Answers are text: ``"1"``-``"5"``, ``"Ved ikke"``,
        ``"Ikke relevant"`` or ``""`` (blank). Rows are in respondent-id order, departments
        interleaved as responses arrive.

    Notes
    -----
    Missing answers, in this order (later steps overwrite earlier ones):

    1. *Ikke relevant* with a per-item probability in :data:`NOT_APPLICABLE_BASE`, raised to
       :data:`SITE_NOT_APPLICABLE` for construction/transport items in departments that do
       little of either.
    2. *Ved ikke* with a per-item probability in :data:`DONT_KNOW_BASE`; on innovation items in
       low-maturity departments far more often (:data:`UNAWARE_DONT_KNOW`): not knowing is
       itself a signal.
    3. Blanks: respondents who stop early (:data:`STOP_EARLY`) leave every later item blank;
       single skipped items (:data:`SKIP_ITEM`).

    Examples
    --------
    >>> frames = make_sample(seed=1, waves=(2024,))
    >>> list(frames[2024].columns[:3])
    ['respondent_id', 'department', 'wave']
    >>> frames[2024]["respondent_id"].iloc[0][:4]
    'R24-'
    """
    codebook = codebook if codebook is not None else load_codebook()
    departments = departments if departments is not None else load_departments()
    _check_model(codebook, departments)
    offsets = _item_offsets(codebook, seed)
    dk_base, na_base = _item_missing_rates(codebook, seed)
    return {int(wave): _make_wave(codebook, departments, int(wave), seed, offsets, dk_base, na_base) for wave in waves}


#: The sample folder's record of what :func:`write_sample` wrote (no times: the same seed gives the same bytes).
SAMPLE_MANIFEST = "manifest.json"


def write_sample(
    out_dir: str | Path, *, seed: int = 2025, codebook: Codebook | None = None, departments: Departments | None = None
) -> list[Path]:
    """Write the synthetic sample as ``responses_<wave>.csv`` files plus a ``README.md``.

    Beside them goes ``manifest.json``, the SHA-256 of every file written, by which a later run
    knows its own files. Existing files of the same names are replaced only when they are the
    sample's own, unchanged (listed in that manifest with the same SHA-256) or already hold
    exactly what would be written; anything else, such as a real export named
    ``responses_2025.csv``, is never overwritten: the call is refused before anything is written.
    Other files are left alone.

    Parameters
    ----------
    out_dir : str or Path
        Folder to write into; created when missing.
    seed : int, default 2025
        Passed to :func:`make_sample`.
    codebook, departments : optional
        Passed to :func:`make_sample`.

    Returns
    -------
    list of Path
        The CSV files, oldest wave first, then the README (the manifest is not listed).

    Raises
    ------
    ParameterError
        The folder holds a file of one of those names that the sample did not write.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in write_sample(tmp, seed=7)]
    ['responses_2023.csv', 'responses_2024.csv', 'responses_2025.csv', 'README.md']
    """
    codebook = codebook if codebook is not None else load_codebook()
    departments = departments if departments is not None else load_departments()
    out = Path(out_dir)
    frames = make_sample(codebook, departments, seed=seed)
    contents = {
        f"responses_{wave}.csv": frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
        for wave, frame in sorted(frames.items())
    }
    contents["README.md"] = _readme_text(frames, codebook, departments, seed).encode("utf-8")
    manifest = {
        "command": "sample",
        "about": "Written by `briefing sample`: the files it wrote, so that it never overwrites any other.",
        "seed": seed,
        "outputs": {name: hashlib.sha256(data).hexdigest() for name, data in contents.items()},
    }
    _refuse_foreign(out, contents)
    out.mkdir(parents=True, exist_ok=True)
    paths = [_write_whole(out / name, data) for name, data in contents.items()]
    _write_whole(out / SAMPLE_MANIFEST, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return paths


def _refuse_foreign(out: Path, contents: dict[str, bytes]) -> None:
    """Raise ParameterError when ``out`` holds a file of these names that the sample did not write."""
    if not out.exists():
        return
    if not out.is_dir():
        raise ParameterError(f"{out} exists and is not a folder; give a folder to write the sample into.")
    recorded = _recorded_outputs(out)
    foreign = [] if recorded is not None or not (out / SAMPLE_MANIFEST).exists() else [SAMPLE_MANIFEST]
    for name, data in contents.items():
        path = out / name
        if not path.exists() and not path.is_symlink():
            continue
        try:
            current = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        except OSError:
            current = None
        if current is not None and current in (hashlib.sha256(data).hexdigest(), (recorded or {}).get(name)):
            continue
        foreign.append(name)
    if foreign:
        raise ParameterError(
            f"{out} already holds {', '.join(foreign)}, which `briefing sample` did not write (or which "
            "were changed since): it never overwrites them. Write the sample into a new or empty folder, "
            "or move those files away first."
        )


def _recorded_outputs(out: Path) -> dict[str, str] | None:
    """Return the outputs the folder's sample manifest lists, or None when it has none of ours."""
    try:
        data = json.loads((out / SAMPLE_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("command") != "sample" or not isinstance(data.get("outputs"), dict):
        return None
    return {str(k): str(v) for k, v in data["outputs"].items()}


def _write_whole(path: Path, data: bytes) -> Path:
    """Write a file so that it holds either its old or its new bytes, never a part."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def latent_table(waves: tuple[int, ...] | None = None) -> pd.DataFrame:
    """Return the model's latent maturity per department and value as a table.

    Parameters
    ----------
    waves : tuple of int, optional
        When given, one row per department and wave (with the wave gains applied); otherwise
        the :data:`BASE_WAVE` table, one row per department.

    Examples
    --------
    >>> float(latent_table().loc["TMF", "innovation"])
    3.9
    >>> round(float(latent_table((2025,)).loc[("TMF", 2025), "innovation"]), 2)
    4.3
    """
    codes = list(LATENT)
    if waves is None:
        return pd.DataFrame(
            [[LATENT[d][v] for v in MODEL_VALUES] for d in codes],
            index=pd.Index(codes, name="department"),
            columns=list(MODEL_VALUES),
        )
    rows = [[_latent(d, v, w) for v in MODEL_VALUES] for d in codes for w in waves]
    index = pd.MultiIndex.from_tuples([(d, w) for d in codes for w in waves], names=["department", "wave"])
    return pd.DataFrame(rows, index=index, columns=list(MODEL_VALUES))


# -- helpers -------------------------------------------------------------------------------
def _check_model(codebook: Codebook, departments: Departments) -> None:
    """Raise ValueError when the codebook or department list does not fit the model tables."""
    unknown_values = [v for v in codebook.value_ids if v not in MODEL_VALUES]
    unknown_deps = [d for d in departments.codes if d not in LATENT]
    if unknown_values or unknown_deps:
        raise ValueError(
            "The sample generator's model (analysis/survey/sample.py: LATENT) has no entry for "
            f"values {unknown_values} / departments {unknown_deps}. Expected values "
            f"{list(MODEL_VALUES)} and departments {list(LATENT)}; add rows or columns to "
            "LATENT, DEPARTMENT_GAIN and VALUE_GAIN."
        )


def _latent(department: str, value: str, wave: int) -> float:
    """Return the latent maturity of ``department`` on ``value`` in ``wave``, kept within 1-5."""
    gain = DEPARTMENT_GAIN[department] + VALUE_GAIN[value]
    return float(np.clip(LATENT[department][value] + (wave - BASE_WAVE) * gain, 1.0, 5.0))


def _item_offsets(codebook: Codebook, seed: int) -> np.ndarray:
    """Return one fixed offset per item, centred within each value."""
    rng = np.random.default_rng([seed, 0])
    items = _model_items(codebook)
    raw = rng.normal(0.0, ITEM_SD, size=len(items))
    values = np.array([it.value for it in items])
    for v in codebook.value_ids:
        mask = values == v
        raw[mask] -= raw[mask].mean()
    return raw


def _item_missing_rates(codebook: Codebook, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the per-item base probabilities of *Ved ikke* and *Ikke relevant*."""
    rng = np.random.default_rng([seed, 1])
    n = len(_model_items(codebook))
    dk = rng.uniform(*DONT_KNOW_BASE, size=n)
    na = rng.uniform(*NOT_APPLICABLE_BASE, size=n)
    return dk, na


def _is_site_item(item) -> bool:
    """Return True for construction- or transport-type items."""
    words = (item.id, item.focus_area, *item.tags)
    return any(k in w for k in SITE_KEYWORDS for w in words)


def _make_wave(
    codebook: Codebook,
    departments: Departments,
    wave: int,
    seed: int,
    offsets: np.ndarray,
    dk_base: np.ndarray,
    na_base: np.ndarray,
) -> pd.DataFrame:
    """Return the export-like table of one wave."""
    rng = np.random.default_rng([seed, wave])
    items = _model_items(codebook)
    n_items = len(items)
    item_values = [it.value for it in items]
    food = np.array(["food" in it.tags for it in items])
    reverse = np.array([it.reverse for it in items])
    site = np.array([_is_site_item(it) for it in items])
    unaware_items = np.array([v == UNAWARE_VALUE for v in item_values])

    counts = {d: int(rng.integers(RESPONDENTS[d][0], RESPONDENTS[d][1] + 1)) for d in departments.codes}
    blocks, labels = [], []
    for d in departments.codes:
        n = counts[d]
        latent = np.array([_latent(d, v, wave) for v in item_values])
        mean = latent + offsets + FOOD_BOOST.get(d, 0.0) * food
        x = mean + rng.normal(0.0, RESPONDENT_SD, size=(n, 1)) + rng.normal(0.0, NOISE_SD, size=(n, n_items))
        codes = np.clip(np.rint(x), 1, 5).astype(int)
        codes = turn_reverse(codes, reverse)

        p_na = np.where(site, SITE_NOT_APPLICABLE.get(d, 0.0), 0.0)
        p_na = np.maximum(p_na, na_base)
        codes[rng.random((n, n_items)) < p_na] = _NA

        p_dk = dk_base.copy()
        unaware = LATENT[d].get(UNAWARE_VALUE, 5.0) < UNAWARE_BELOW
        if unaware:
            p_dk = np.where(unaware_items, np.maximum(p_dk, UNAWARE_DONT_KNOW["item"]), p_dk)
        dk = rng.random((n, n_items)) < p_dk
        if unaware:
            knows_nothing = rng.random(n) < UNAWARE_DONT_KNOW["respondent"]
            dk |= knows_nothing[:, None] & unaware_items[None, :]
        codes[dk] = _DK

        stops = rng.random(n) < STOP_EARLY
        stop_at = rng.integers(int(np.ceil(STOP_FROM * n_items)), n_items, size=n)
        trailing = stops[:, None] & (np.arange(n_items)[None, :] >= stop_at[:, None])
        codes[trailing | (rng.random((n, n_items)) < SKIP_ITEM)] = _BLANK

        blocks.append(codes)
        label = departments[d].name_da if wave == FULL_NAME_WAVE and d in FULL_NAME_DEPARTMENTS else d
        labels.extend([label] * n)

    answers = np.vstack(blocks) if blocks else np.zeros((0, n_items), dtype=int)
    total = answers.shape[0]
    codes_of = [d for d in departments.codes for _ in range(counts[d])]
    # Survey tools number invitations, not responses: ids have gaps, rows arrive interleaved.
    order = rng.permutation(total)
    serials = np.sort(rng.choice(np.arange(1, int(total * 1.6) + 2), size=total, replace=False))
    text = np.array([_answer_text(c) for c in range(10)], dtype=object)
    frame = pd.DataFrame(text[answers[order]], columns=[it.id for it in items])
    frame.insert(0, "respondent_id", [f"R{wave % 100:02d}-{s:03d}" for s in serials])
    frame.insert(1, "department", [labels[k] for k in order])
    frame.insert(2, "wave", np.full(total, wave, dtype=np.int64))
    legal = frame.pop(LEGAL_OLD_HEADER) if LEGAL_OLD_HEADER in frame.columns else None
    extra = _barrier_columns(codebook, [codes_of[k] for k in order], wave, seed)
    if legal is not None:
        # The legal-competence answers as they were always drawn (see _model_items), now the
        # barrier statement; under its old header before BARRIER_WAVE.
        extra = {(LEGAL_OLD_HEADER if wave < BARRIER_WAVE else "bar_legal"): legal.tolist(), **extra}
    for column, values in extra.items():
        frame[column] = values
    return frame


def _model_items(codebook: Codebook) -> tuple:
    """Return the items the maturity model draws: the codebook's, plus the legal-competence statement.

    Until codebook 2026.1 that statement was the reverse-worded innovation item ``inno_forms_3``,
    drawn like the other innovation items and written as 6 - x (so a high answer is a large
    barrier). It is still drawn there, so the sample's answers to every other item, and the
    statement's own answers, stay what they were; the wave's columns then carry it as the
    barrier statement ``bar_legal`` (under its old header before :data:`BARRIER_WAVE`).
    """
    items = list(codebook.items)
    if "bar_legal" not in codebook.barrier_ids or any(it.id == LEGAL_OLD_HEADER for it in items):
        return tuple(items)
    after = next((k for k, it in enumerate(items) if it.id == "inno_forms_2"), None)
    if after is None:
        return tuple(items)
    legal = Item(
        id=LEGAL_OLD_HEADER,
        text_da=codebook.barriers.item("bar_legal").text_da,
        text_en=codebook.barriers.item("bar_legal").text_en,
        reverse=True,
        focus_area=items[after].focus_area,
        value=items[after].value,
    )
    return tuple([*items[: after + 1], legal, *items[after + 1 :]])


def _barrier_columns(codebook: Codebook, codes_of: list[str], wave: int, seed: int) -> dict[str, list[str]]:
    """Return the barrier instrument's columns (and the open question's) of one wave, rows as ``codes_of``.

    Before :data:`BARRIER_WAVE` only the legal-competence statement, under its old header.
    Drawn from a stream of their own, so the maturity answers do not depend on them.
    """
    if codebook.barriers is None:
        return {}
    rng = np.random.default_rng([seed, wave, 7])
    n = len(codes_of)
    ids = [i for i in codebook.barrier_ids if i != "bar_legal"] if wave >= BARRIER_WAVE else []
    if not ids and wave < BARRIER_WAVE:
        return {}
    latent = np.array(
        [[BARRIER_LATENT.get(i, 3.0) + BARRIER_SHIFT.get(d, {}).get(i, 0.0) for i in ids] for d in codes_of]
    )
    x = (
        latent
        + rng.normal(0.0, BARRIER_RESPONDENT_SD, size=(n, 1))
        + rng.normal(0.0, BARRIER_NOISE_SD, size=(n, len(ids)))
    )
    codes = np.clip(np.rint(x), 1, 5).astype(int)
    codes[rng.random((n, len(ids))) < BARRIER_DONT_KNOW] = _DK
    codes[rng.random((n, len(ids))) < BARRIER_SKIP] = _BLANK
    text = np.array([_answer_text(c) for c in range(10)], dtype=object)
    out = {}
    for k, item_id in enumerate(ids):
        header = LEGAL_OLD_HEADER if item_id == "bar_legal" and wave < BARRIER_WAVE else item_id
        out[header] = list(text[codes[:, k]])
    if wave >= BARRIER_WAVE:
        for question in codebook.open_questions:
            out[question.id] = _open_answers(codes_of, rng)
    return out


def _open_answers(codes_of: list[str], rng: np.random.Generator) -> list[str]:
    """Return made-up answers to the open question: one or two themes, by the department's weights."""
    answers = []
    personal = iter(OPEN_PERSONAL)
    for k, d in enumerate(codes_of):
        if rng.random() >= OPEN_ANSWER_RATE:
            answers.append("")
            continue
        weights = OPEN_THEME_WEIGHTS.get(d, OPEN_THEME_WEIGHTS["default"])
        themes = list(weights)
        p = np.array([weights[t] for t in themes], dtype=float)
        first = themes[rng.choice(len(themes), p=p / p.sum())]
        parts = [OPEN_PHRASES[first][rng.integers(len(OPEN_PHRASES[first]))]]
        if first != "none" and rng.random() < 0.35:
            others = [t for t in themes if t not in (first, "none")]
            q = np.array([weights[t] for t in others], dtype=float)
            second = others[rng.choice(len(others), p=q / q.sum())]
            parts.append(OPEN_PHRASES[second][rng.integers(len(OPEN_PHRASES[second]))])
        if k % 17 == 5:
            extra = next(personal, None)
            if extra is not None:
                parts = [extra]
        answers.append(" ".join(parts))
    return answers


def _answer_text(code: int) -> str:
    """Return the export text of an internal answer code."""
    if 1 <= code <= 5:
        return str(code)
    return {_DK: DONT_KNOW_TEXT, _NA: NOT_APPLICABLE_TEXT}.get(code, BLANK_TEXT)


def _markdown_table(frame: pd.DataFrame, fmt: str = "{}") -> str:
    """Return ``frame`` as a GitHub-flavoured Markdown table (index as first column)."""
    names = [n if n else "" for n in frame.index.names]
    head = "| " + " | ".join([*map(str, names), *map(str, frame.columns)]) + " |"
    sep = "|" + "---|" * (len(names) + frame.shape[1])
    rows = []
    for idx, row in frame.iterrows():
        idx = idx if isinstance(idx, tuple) else (idx,)
        rows.append("| " + " | ".join([*map(str, idx), *(fmt.format(v) for v in row)]) + " |")
    return "\n".join([head, sep, *rows])


def _readme_text(frames: dict[int, pd.DataFrame], codebook: Codebook, departments: Departments, seed: int) -> str:
    """Return the sample folder's README: what the data are, how they were made, what for."""
    waves = sorted(frames)
    counts = (
        pd.DataFrame({w: frames[w]["department"].map(departments.resolve).value_counts() for w in waves})
        .reindex(departments.codes)
        .fillna(0)
        .astype(int)
    )
    counts.index.name = "department"
    shares = pd.DataFrame(
        {
            w: {
                "Ved ikke": (frames[w][codebook.item_ids] == DONT_KNOW_TEXT).to_numpy().mean(),
                "Ikke relevant": (frames[w][codebook.item_ids] == NOT_APPLICABLE_TEXT).to_numpy().mean(),
                "blank": (frames[w][codebook.item_ids] == BLANK_TEXT).to_numpy().mean(),
            }
            for w in waves
        }
    )
    shares.index.name = "answer"
    latent = latent_table()
    gains = pd.DataFrame({"gain per wave": [DEPARTMENT_GAIN[d] for d in latent.index]}, index=latent.index)
    value_gain = pd.DataFrame(
        {"gain per wave": [VALUE_GAIN[v] for v in MODEL_VALUES]}, index=pd.Index(list(MODEL_VALUES), name="value")
    )
    food_items = ", ".join(f"`{it.id}`" for it in codebook.items if "food" in it.tags) or "none"
    site_items = ", ".join(f"`{it.id}`" for it in codebook.items if _is_site_item(it)) or "none"
    full_names = ", ".join(f'{d} as "{departments[d].name_da}"' for d in FULL_NAME_DEPARTMENTS)
    files = ", ".join(f"`responses_{w}.csv`" for w in waves)
    return f"""# Synthetic sample: NOT real survey answers

**The files in this folder are SYNTHETIC.** No person answered them. They were drawn at random
from a simple model written into `analysis/survey/sample.py`. They must never be quoted as the maturity
of any Copenhagen department, nor used for a decision.

## What they are for
They let the project run end to end without the real survey exports (which stay in `data/raw/`,
outside git): the notebooks, `briefing render`, the tests and the demos all use them. They have
the shape and the messiness of a real export (text answers, *Ved ikke*, *Ikke relevant*, blanks,
small departments below the anonymity threshold, department names instead of codes), so the
loading, validation, scoring and disclosure-control code meet realistic input.

## Files
{files}

One file per survey wave, UTF-8, comma-separated, `\\n` line endings. Columns:

- `respondent_id`: like `R25-007`, unique within a wave (numbered by invitation, so with gaps);
- `department`: the department code; in {FULL_NAME_WAVE} the export wrote {full_names}
  (loading resolves them through the aliases in `data/departments.yaml`);
- `wave`: the survey year;
- one column per item id of `data/codebook.yaml` ({len(codebook.items)} items, codebook order).

Answers: `1`-`5`, `Ved ikke`, `Ikke relevant`, or empty (blank). Reverse-worded items are written
as the respondent would answer them (the analysis scores them 6 - x).

After the items come the barrier instrument's statements ({", ".join(f"`{i}`" for i in codebook.barrier_ids)};
answers `1`-`5` on its agreement scale, `Ved ikke`, blank) and, from {BARRIER_WAVE}, the open question
{", ".join(f"`{q.id}`" for q in codebook.open_questions)} (free text). Before {BARRIER_WAVE} only the
legal-competence statement was asked, under its old header `{LEGAL_OLD_HEADER}` (a maturity item until
codebook 2026.1; loading reads it as `bar_legal`). It is still drawn as it always was, as 6 minus
an innovation answer, so it is high where innovation maturity is low, and its answers are the
same as before the move. The latent agreement on resources is
{BARRIER_LATENT["bar_resources"]:.1f}: with legal competence, the largest barriers, as in the
documents. SUF and TMF have their own units, management backing and networks in place
(`BARRIER_SHIFT` in `analysis/survey/sample.py`). The free-text answers are
made-up sentences by theme; {len(OPEN_PERSONAL)} of them hold made-up personal data (an e-mail
address, a phone number, a name, a link), so that redaction meets it.

## How they were generated
Command: `{SAMPLE_COMMAND}` (the same as
`write_sample(SAMPLE_DIR, seed={seed})` in `analysis.survey.sample`). Seed: **{seed}**. The same seed and
the same codebook give byte-identical files; a test checks that these files equal a fresh run.

The model, in plain words:

1. Each department has a *latent maturity* on each of the five values (table below, for
   {BASE_WAVE}). It follows what the policy documents say about the real departments: SUF and TMF
   work systematically with partnerships and innovation, BUF partly but strongly on food, the
   others little; innovation is the least mature value. In BUF the food-tagged items get
   +{FOOD_BOOST.get("BUF", 0):.1f}: {food_items}.
2. Every wave the latent maturity rises a little: a department gain plus a value gain per year
   (tables below), about +0.1 to +0.2 per wave on average, not the same everywhere.
3. An answer is latent maturity + a small fixed item offset (sd {ITEM_SD}, drawn from the seed,
   centred within each value) + a respondent effect (sd {RESPONDENT_SD}, the same for all of a
   respondent's answers) + noise (sd {NOISE_SD}), rounded and kept within 1-5. Reverse-worded
   items are written as 6 - x.
4. Respondents per department and wave are drawn from fixed ranges
   ({", ".join(f"{d} {lo}-{hi}" for d, (lo, hi) in RESPONDENTS.items())}), so some
   department-by-value cells fall below the anonymity threshold (min_n = 5) and others are well
   above it.
5. *Ikke relevant*: {NOT_APPLICABLE_BASE[0]:.0%}-{NOT_APPLICABLE_BASE[1]:.0%} per item, more often
   on construction- and transport-type items in departments that build and drive little
   ({", ".join(f"{d} {p:.0%}" for d, p in SITE_NOT_APPLICABLE.items())}). Those items: {site_items}.
6. *Ved ikke*: {DONT_KNOW_BASE[0]:.0%}-{DONT_KNOW_BASE[1]:.0%} per item; on innovation items in
   the departments with latent innovation below {UNAWARE_BELOW} about 30 %: there
   {UNAWARE_DONT_KNOW["respondent"]:.0%} of the respondents know nothing about the value and the
   others answer *Ved ikke* to {UNAWARE_DONT_KNOW["item"]:.0%} of its items. Not knowing is itself
   a signal.
7. Blanks: {STOP_EARLY:.0%} of respondents stop early and leave the rest of the questionnaire
   blank; besides, {SKIP_ITEM:.1%} of single answers are skipped.

Latent maturity in {BASE_WAVE}:

{_markdown_table(latent, "{:.1f}")}

Gain per wave by department, to which the gain by value is added:

{_markdown_table(gains, "{:+.2f}")}

{_markdown_table(value_gain, "{:+.2f}")}

## What came out (seed {seed})
Respondents per department and wave:

{_markdown_table(counts)}

Share of answers that are not a level:

{_markdown_table(shares, "{:.1%}")}

To regenerate after a codebook change, run the command above and commit the files together with
the codebook; the test `tests/test_sample.py` fails until they match.
"""
