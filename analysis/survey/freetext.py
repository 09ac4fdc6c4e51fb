"""Free-text answers to the codebook's open questions, kept so that they are never shown as read.

(Placeholder of the loader's side; the theme coding lands with the free-text work.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, eq=False)
class FreeText:
    """Free-text answers: respondents x open questions, ``''`` where blank. Never displays a text."""

    question_ids: tuple[str, ...]
    texts: np.ndarray = field(repr=False)

    def answers(self, question_id: str) -> np.ndarray:
        """Return the answers to ``question_id`` (one per respondent, ``''`` where blank)."""
        return self.texts[:, self.question_ids.index(question_id)]

    def __repr__(self) -> str:
        filled = int((self.texts != "").sum()) if self.texts.size else 0
        return f"FreeText({len(self.question_ids)} questions, {filled} answers; the texts are not shown)"

    __str__ = __repr__
