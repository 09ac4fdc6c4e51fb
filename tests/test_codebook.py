"""Tests of analysis.codebook: the bundled files load, broken files are named, names resolve."""

from __future__ import annotations

import pytest

from analysis.exceptions import CodebookError
from analysis.survey.codebook import load_codebook, load_departments, normalise_label


# ------------------------------------------------------------------------------------------
# The bundled codebook and department list
def test_bundled_codebook_has_five_values_each_with_focus_areas_and_items():
    cb = load_codebook()
    assert len(cb.values) == 5
    for value in cb.values:
        assert value.focus_areas, value.id
        for fa in value.focus_areas:
            assert fa.items, fa.id
            assert all(it.focus_area == fa.id and it.value == value.id for it in fa.items)
    assert cb.items, "the codebook has no items"


def test_bundled_codebook_ids_are_unique_across_values_focus_areas_and_items():
    cb = load_codebook()
    ids = [v.id for v in cb.values] + [fa.id for fa in cb.focus_areas] + cb.item_ids
    assert len(ids) == len(set(ids))


def test_bundled_codebook_scale_is_one_to_five_plus_dont_know_and_not_applicable():
    cb = load_codebook()
    assert sorted(cb.levels) == [1, 2, 3, 4, 5]
    assert (cb.dont_know, cb.not_applicable) == (8, 9)
    assert cb.level_name(5) == "Førende" and cb.level_name(2, "en") == "Developing"


def test_bundled_departments_are_the_seven_with_unique_codes():
    deps = load_departments()
    assert len(deps.codes) == 7 == len(set(deps.codes))


def test_bundled_departments_resolve_codes_and_names_with_noise():
    deps = load_departments()
    for d in deps.departments:
        for text in (d.code, d.code.lower(), f"  {d.name_da.upper()} ", d.name_en.replace(" ", "  ")):
            assert deps.resolve(text) == d.code, text
    assert deps.resolve(" børne- og  ungdomsforvaltningen") == "BUF"
    assert deps.resolve("Nowhere Administration") is None
    assert deps.resolve("") is None


# ------------------------------------------------------------------------------------------
# Matching in the tiny fixture
def test_department_aliases_resolve_with_case_and_whitespace_noise(tiny_departments):
    assert tiny_departments.resolve("  BØRNE OG UNGE ") == "BUF"
    assert tiny_departments.resolve("sundhed  og omsorg") == "SUF"
    assert tiny_departments.resolve("okf") == "ØKF"
    assert tiny_departments.resolve("øKf") == "ØKF"
    assert tiny_departments.resolve("Teknik og Miljø") is None


def test_item_headers_match_ids_and_aliases_ignoring_case_and_space(tiny_codebook):
    assert tiny_codebook.match_column(" FOOD_1 ") == "food_1"
    assert tiny_codebook.match_column("q2") == "food_2"
    assert tiny_codebook.match_column("økologisk  MAD") == "food_1"
    assert tiny_codebook.match_column("Kommentar") is None


def test_answers_parse_codes_names_and_non_answers(tiny_codebook):
    cb = tiny_codebook
    assert [
        cb.parse_answer(x) for x in ["1", 5.0, " førende ", "Developing", "VED IKKE", "Not applicable", "", None]
    ] == [1, 5, 5, 2, 8, 9, None, None]
    with pytest.raises(ValueError):
        cb.parse_answer("6")


def test_normalise_label_ignores_case_spaces_and_hyphens():
    assert normalise_label(" Børne- og  Ungdomsforvaltningen") == "børneogungdomsforvaltningen"


# ------------------------------------------------------------------------------------------
# Broken codebooks name the offending entry
def _write(tmp_path, text, name="codebook.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_tiny_codebook_fixture_is_valid(tiny_codebook):
    assert tiny_codebook.item_ids == ["food_1", "food_2", "wages_1"]
    assert [it.reverse for it in tiny_codebook.items] == [False, True, False]


def test_duplicate_id_names_both_entries(tmp_path, tiny_codebook_yaml):
    text = tiny_codebook_yaml.replace("id: wages_1", "id: food_1")
    with pytest.raises(CodebookError) as exc:
        load_codebook(_write(tmp_path, text))
    message = str(exc.value)
    assert "'food_1'" in message and "already used" in message
    assert "soc_wages" in message and "clim_food" in message


def test_value_without_focus_areas_is_named(tmp_path, tiny_codebook_yaml):
    head, _, _ = tiny_codebook_yaml.partition("  - id: social")
    text = head + '  - id: social\n    name_da: "Socialt"\n    name_en: "Social"\n    focus_areas: []\n'
    with pytest.raises(CodebookError) as exc:
        load_codebook(_write(tmp_path, text))
    assert "'social'" in str(exc.value) and "focus_areas" in str(exc.value)


def test_focus_area_without_items_is_named(tmp_path, tiny_codebook_yaml):
    head, _, _ = tiny_codebook_yaml.partition("        items:\n          - {id: wages_1")
    text = head + "        items: []\n"
    with pytest.raises(CodebookError) as exc:
        load_codebook(_write(tmp_path, text))
    assert "'soc_wages'" in str(exc.value) and "no items" in str(exc.value)


@pytest.mark.parametrize("field", ["text_da", "text_en"])
def test_missing_item_text_is_named(tmp_path, tiny_codebook_yaml, field):
    text = tiny_codebook_yaml.replace(
        f'{field}: "Madspild", ' if field == "text_da" else f'{field}: "Food waste", ', ""
    )
    assert text != tiny_codebook_yaml
    with pytest.raises(CodebookError) as exc:
        load_codebook(_write(tmp_path, text))
    assert "'food_2'" in str(exc.value) and f"'{field}'" in str(exc.value)


def test_alias_shared_by_two_items_is_named(tmp_path, tiny_codebook_yaml):
    text = tiny_codebook_yaml.replace('aliases: ["Q3"', 'aliases: ["q1"')
    with pytest.raises(CodebookError) as exc:
        load_codebook(_write(tmp_path, text))
    assert "'wages_1'" in str(exc.value) and "'food_1'" in str(exc.value)


def test_department_name_shared_by_two_departments_is_named(tmp_path, tiny_departments_yaml):
    text = tiny_departments_yaml.replace('aliases: ["OKF"]', 'aliases: ["Børne og Unge"]')
    with pytest.raises(CodebookError) as exc:
        load_departments(_write(tmp_path, text, "departments.yaml"))
    assert "ØKF" in str(exc.value) and "BUF" in str(exc.value)


def test_missing_codebook_file_is_a_codebook_error(tmp_path):
    with pytest.raises(CodebookError) as exc:
        load_codebook(tmp_path / "nope.yaml")
    assert "nope.yaml" in str(exc.value)


def test_departments_order_lists_known_codes_first_then_others_alphabetically(tiny_departments):
    # The tiny list is BUF, SUF, ØKF; unknown codes follow in alphabetical order.
    assert tiny_departments.order(["ØKF", "ZZ", "BUF", "AA", "BUF"]) == ["BUF", "ØKF", "AA", "ZZ"]
    assert tiny_departments.order([*tiny_departments.codes, "AA"]) == ["BUF", "SUF", "ØKF", "AA"]
    assert sorted(["ZZ", "ØKF", "BUF"], key=tiny_departments.sort_key) == ["BUF", "ØKF", "ZZ"]
