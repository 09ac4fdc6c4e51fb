"""Tests of analysis.survey.answers: valid levels, reverse scoring and the answer matrices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import people_frame

from analysis.exceptions import ParameterError
from analysis.survey.answers import answer_matrix, turn_reverse, valid_levels, wave_matrix

ITEMS = ["food_1", "food_2", "wages_1"]


def test_valid_levels_are_one_to_five_only():
    codes = np.array([0, 1, 2, 3, 4, 5, 8, 9, -1, 6])
    assert valid_levels(codes).tolist() == [False, True, True, True, True, True, False, False, False, False]


def test_turn_reverse_turns_levels_of_reverse_items_and_keeps_other_codes():
    codes = np.array([[1, 1, 1], [2, 5, 8], [4, 9, 0]], dtype=np.int8)
    turned = turn_reverse(codes, np.array([False, True, True]))
    # Column 2 and 3 are reverse: 1 -> 5, 5 -> 1, 1 -> 5; 8, 9 and blank 0 stay.
    assert turned.tolist() == [[1, 5, 5], [2, 1, 8], [4, 9, 0]]
    assert turned.dtype == np.int8
    assert (turn_reverse(turned, np.array([False, True, True])) == codes).all()


def test_answer_matrix_sorts_respondents_and_puts_blanks_as_zero(tiny_codebook):
    frame = people_frame({"SUF": [[2, 8, 9]], "BUF": [[1, pd.NA, 5]]}, ITEMS)
    meta, matrix = answer_matrix(frame, tiny_codebook)
    assert meta["department"].tolist() == ["BUF", "SUF"]
    assert matrix.tolist() == [[1, 0, 5], [2, 8, 9]]


def test_wave_matrix_takes_one_wave_and_names_the_waves_present(tiny_codebook):
    frame = pd.concat(
        [people_frame({"BUF": [[1, 2, 3]]}, ITEMS, wave=2023), people_frame({"SUF": [[4, 5, 8]]}, ITEMS, wave=2025)]
    )
    depts, matrix = wave_matrix(frame, tiny_codebook, 2025)
    assert depts.tolist() == ["SUF"]
    assert matrix.tolist() == [[4, 5, 8]]
    with pytest.raises(ParameterError, match=r"wave 2024 has no responses; the data have waves \[2023, 2025\]"):
        wave_matrix(frame, tiny_codebook, 2024)
