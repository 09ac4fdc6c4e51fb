"""Free-text answers to the open questions, and the coding of those answers into themes.

The answers are held in a :class:`FreeText` whose printed forms never show a text: free text
must not reach an executed notebook, a log or a report by accident (method.md, *Disclosure
control*). What may be published is counted from themes (:func:`code_themes`, counted by
:func:`analysis.stats.themes.theme_counts`) or quoted after redaction
(:func:`analysis.stats.disclosure.select_quotes`).

The theme rule, in short (method.md, *Open questions (themes)*): a keyword matches a word of the
answer as the whole word, inflected, as the first part of a compound or as its last part; a
keyword of several words matches consecutive words; a keyword written with a leading ``-`` is a
negative one, whose matches do not count for the theme.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["FreeText", "code_themes", "keyword_matches", "normalise_words", "word_matches"]


@dataclass(frozen=True, eq=False)
class FreeText:
    """The free-text answers of the respondents, one column per open question.

    Rows are aligned with a respondents frame (:attr:`analysis.survey.loading.Survey.respondents`).
    Printing the object (``repr``, ``str``, a notebook's display) shows how many answers it holds,
    never an answer: read them with :meth:`answers`.

    Attributes
    ----------
    question_ids : tuple of str
        The open questions' ids, in codebook order.
    texts : numpy.ndarray
        object array, respondents x questions: the answer as written, ``''`` for a blank
        (``None`` and NaN are turned into ``''``).

    Examples
    --------
    >>> ft = FreeText(("needs",), np.array([["Mere tid"], [""], [None]], dtype=object))
    >>> ft
    FreeText(1 question, 1 answer; the texts are not shown)
    >>> str(ft) == repr(ft) and "Mere tid" not in ft._repr_html_()
    True
    >>> ft.answers("needs").tolist()
    ['Mere tid', '', '']
    """

    question_ids: tuple[str, ...]
    texts: np.ndarray

    def __post_init__(self) -> None:
        ids = tuple(str(q) for q in self.question_ids)
        texts = np.asarray(self.texts, dtype=object)
        if texts.ndim == 1 and len(ids) == 1:
            texts = texts.reshape(-1, 1)
        if texts.ndim != 2 or texts.shape[1] != len(ids):
            raise ValueError(
                f"FreeText needs a respondents x questions array with {len(ids)} column(s), "
                f"one per question id; found shape {texts.shape}."
            )
        if len(set(ids)) != len(ids):
            raise ValueError("FreeText: the question ids must be distinct.")
        clean = np.empty(texts.shape, dtype=object)
        for index, value in np.ndenumerate(texts):
            clean[index] = _text(value)
        clean.flags.writeable = False
        object.__setattr__(self, "question_ids", ids)
        object.__setattr__(self, "texts", clean)

    def answers(self, question_id: str) -> np.ndarray:
        """Return the answers to one question (read-only object array, one per respondent, ``''`` when blank)."""
        if question_id not in self.question_ids:
            known = ", ".join(self.question_ids) or "none"
            raise KeyError(f"No open question {question_id!r} in the free text (known: {known}).")
        return self.texts[:, self.question_ids.index(question_id)]

    def answered(self, question_id: str) -> np.ndarray:
        """Return a boolean per respondent: whether the answer to ``question_id`` is not blank."""
        return np.array([bool(t.strip()) for t in self.answers(question_id)], dtype=bool)

    def _summary(self) -> str:
        questions = len(self.question_ids)
        answers = sum(int(self.answered(q).sum()) for q in self.question_ids)
        return (
            f"FreeText({questions} question{'' if questions == 1 else 's'}, "
            f"{answers} answer{'' if answers == 1 else 's'}; the texts are not shown)"
        )

    def __repr__(self) -> str:
        return self._summary()

    __str__ = __repr__

    def _repr_html_(self) -> str:
        return html.escape(self._summary())

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/plain": self._summary(), "text/html": self._repr_html_()}

    def _repr_markdown_(self) -> str:
        return self._summary()

    def _repr_latex_(self) -> str:
        return self._summary()


def _text(value: object) -> str:
    """Return an answer as text: ``''`` for None, NaN and ``<NA>``."""
    if value is None or (not isinstance(value, str) and np.ndim(value) == 0 and pd.isna(value)):
        return ""
    return str(value)


_WORD = re.compile(r"[^\W\d_]+")


def normalise_words(text: str) -> list[str]:
    """Return the words of ``text``: NFKC-normalised, casefolded, split on everything but letters.

    Danish letters are letters; digits, hyphens, slashes and punctuation split words.

    Examples
    --------
    >>> normalise_words("En central enhed/taskforce – ØKONOMI-afdelingen, 2 gange!")
    ['en', 'central', 'enhed', 'taskforce', 'økonomi', 'afdelingen', 'gange']
    """
    return _WORD.findall(unicodedata.normalize("NFKC", str(text)).casefold())


#: Endings that inflect a Danish noun, verb or adjective: jurist-en, jurist-erne, ressource-r,
#: ressource-rne, ledelse-n, ledelse-s, tid-s, central-e.
INFLECTIONS = frozenset(
    {"e", "en", "er", "et", "ene", "erne", "ens", "ers", "ets", "enes", "ernes", "es", "s"}
    | {"n", "ne", "r", "rne", "ns", "rs", "rnes", "nes"}
)
#: Endings allowed only for keywords of at least :data:`LONG_KEYWORD` letters (central-t; not tid-t).
LONG_INFLECTIONS = frozenset(["t", "ts"])
#: A keyword this long may start a compound without a linking letter (ressource-mangel, jurist-bistand).
LONG_KEYWORD = 5
#: The letters that may join the first part of a compound to the next (tid-s-pres, tid-e-...).
LINKING = ("s", "e")
#: The least number of letters of the other part of a compound.
COMPOUND_PART = 3


def word_matches(word: str, keyword: str, compounds: bool = True) -> bool:
    """Return True when the one-word ``keyword`` matches ``word`` (both normalised).

    The rule, with ``k`` the keyword, ``w`` the word and ``x`` an ending from :data:`INFLECTIONS`
    (``t``/``ts`` too when ``k`` has at least 5 letters):

    1. ``w`` is ``k``, or ``k`` + ``x`` (juristen, juristerne, ressourcerne, ledelsen, tids);
    2. ``w`` starts with ``k`` followed by the rest of a compound of at least 3 letters; a keyword
       of fewer than 5 letters must be joined to it by a linking ``s`` or ``e`` (tidspres,
       ledelsesopbakning, ressourcemangel; not tidligere);
    3. ``w`` ends with ``k`` or ``k`` + ``x``, after a first part of at least 3 letters
       (udbudsjurist, udbudsjuristen, topledelsen; not altid).

    Rules 2 and 3 apply only with ``compounds`` (the words of a keyword of several words match by
    rule 1 alone) and only to a keyword of at least 3 letters (``it`` does not match "profit").

    Examples
    --------
    >>> [w for w in ["jurist", "juristen", "juristerne", "jurister", "udbudsjurist", "udbudsjuristen",
    ...              "juristbistand", "juridisk"] if word_matches(w, "jurist")]
    ['jurist', 'juristen', 'juristerne', 'jurister', 'udbudsjurist', 'udbudsjuristen', 'juristbistand']
    >>> [w for w in ["ressourcer", "ressourcerne", "ressourcemangel", "personaleressourcer"]
    ...  if word_matches(w, "ressource")]
    ['ressourcer', 'ressourcerne', 'ressourcemangel', 'personaleressourcer']
    >>> [w for w in ["tid", "tiden", "tider", "tids", "tidspres", "arbejdstid", "tidligere", "altid", "tidt"]
    ...  if word_matches(w, "tid")]
    ['tid', 'tiden', 'tider', 'tids', 'tidspres', 'arbejdstid']
    >>> [w for w in ["ledelsen", "ledelses", "ledelsesopbakning", "topledelsen"] if word_matches(w, "ledelse")]
    ['ledelsen', 'ledelses', 'ledelsesopbakning', 'topledelsen']
    >>> word_matches("videndelingsplatform", "videndeling"), word_matches("centralt", "central")
    (True, True)
    >>> word_matches("profit", "it"), word_matches("enhedsløsning", "enhed", compounds=False)
    (False, False)
    """
    if word == keyword:
        return True
    k = len(keyword)
    endings = INFLECTIONS | LONG_INFLECTIONS if k >= LONG_KEYWORD else INFLECTIONS
    if word.startswith(keyword) and word[k:] in endings:
        return True
    if not compounds or k < COMPOUND_PART:
        return False
    if word.startswith(keyword):
        rest = word[k:]
        if k >= LONG_KEYWORD and len(rest) >= COMPOUND_PART:
            return True
        if rest[:1] in LINKING and len(rest) - 1 >= COMPOUND_PART:
            return True
    at = word.find(keyword, COMPOUND_PART)
    while at != -1:
        tail = word[at + k :]
        if tail == "" or tail in endings:
            return True
        at = word.find(keyword, at + 1)
    return False


def keyword_matches(words: Sequence[str], keyword: Sequence[str]) -> list[tuple[int, int]]:
    """Return the spans ``(start, stop)`` of ``words`` that a keyword of one or more words matches.

    A keyword of one word matches a word by :func:`word_matches`; a keyword of several words
    matches as many consecutive words, each as a whole word or inflected (no compounds).

    Examples
    --------
    >>> words = normalise_words("Vi ønsker os centrale enheder og lov at fejle")
    >>> keyword_matches(words, ["central", "enhed"]), keyword_matches(words, ["lov", "at", "fejle"])
    ([(3, 5)], [(6, 9)])
    """
    m = len(keyword)
    if m == 0:
        return []
    single = m == 1
    return [
        (i, i + m)
        for i in range(len(words) - m + 1)
        if all(word_matches(words[i + j], keyword[j], compounds=single) for j in range(m))
    ]


def _split_keywords(keywords: Sequence[str]) -> tuple[list[list[str]], list[list[str]]]:
    """Return the positive and negative keywords of a theme, each as a list of normalised words."""
    positive, negative = [], []
    for keyword in keywords:
        text = str(keyword).strip()
        target = negative if text.startswith("-") else positive
        words = normalise_words(text.lstrip("-"))
        if words:
            target.append(words)
    return positive, negative


def code_themes(texts: Sequence[str], themes: Mapping[str, Sequence[str]]) -> np.ndarray:
    """Return which themes each text mentions: bool, texts x themes in the mapping's order.

    Parameters
    ----------
    texts
        The answers; a blank (``''`` or None) mentions no theme.
    themes
        Keywords per theme id. A keyword matches by :func:`word_matches` (inflections and
        compounds), a keyword of several words by :func:`keyword_matches` (consecutive words,
        each whole or inflected).
        A keyword with a leading ``-`` is negative: a match that shares a word with a negative
        keyword's match does not count (``-fritid`` keeps "fritid" out of ``tid``).

    Notes
    -----
    The rule with ``k`` a keyword, ``w`` a word and ``x`` a Danish ending (e, en, er, erne, et,
    ene, s, es, ens, n, ne, r, rne, ...): ``w`` is ``k`` or ``k+x``; or ``w`` starts a compound
    with ``k`` and the rest has at least 3 letters (joined by a linking s or e when ``k`` is
    shorter than 5 letters); or ``w`` ends with ``k`` or ``k+x`` after at least 3 letters. The
    two compound rules need a keyword of at least 3 letters and one word; a keyword of several
    words matches consecutive words, each ``k`` or ``k+x``. One answer may mention several themes.

    Examples
    --------
    >>> themes = {"jura": ["jurist", "juridisk"], "tid": ["tid", "travlt", "-fritid", "-tidspunkt"],
    ...           "central": ["central enhed", "taskforce"]}
    >>> code_themes(["Vi mangler en udbudsjurist", "Mere tid og en taskforce", "Tidligere var det bedre",
    ...              "Vi har altid travlt", "Kultur og fritid", "På et tidspunkt", ""], themes).astype(int).tolist()
    [[1, 0, 0], [0, 1, 1], [0, 0, 0], [0, 1, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]
    """
    parsed = [_split_keywords(keywords) for keywords in themes.values()]
    coded = np.zeros((len(texts), len(parsed)), dtype=bool)
    for row, text in enumerate(texts):
        text = _text(text)
        if not text.strip():
            continue
        words = normalise_words(text)
        for col, (positive, negative) in enumerate(parsed):
            excluded = {i for kw in negative for start, stop in keyword_matches(words, kw) for i in range(start, stop)}
            coded[row, col] = any(
                not excluded.intersection(range(start, stop))
                for kw in positive
                for start, stop in keyword_matches(words, kw)
            )
    return coded
