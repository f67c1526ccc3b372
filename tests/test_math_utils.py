"""autogen.math_utils: boxed-answer extraction, answer equivalence, voting and grading."""

from __future__ import annotations

import pytest

from autogen.math_utils import (
    eval_math_responses,
    get_answer,
    is_equiv,
    is_equiv_chain_of_thought,
    last_boxed_only_string,
    remove_boxed,
    solve_problem,
    voting_counts,
)


def test_last_boxed_only_string_returns_the_last_boxed_element_with_nested_braces():
    text = "first \\boxed{1} then \\boxed{\\frac{2}{3}} done"
    assert last_boxed_only_string(text) == "\\boxed{\\frac{2}{3}}"


def test_last_boxed_only_string_falls_back_to_fbox():
    assert last_boxed_only_string("answer: \\fbox{7}.") == "\\fbox{7}"


def test_last_boxed_only_string_is_none_without_a_box_or_with_unclosed_braces():
    assert last_boxed_only_string("no answer here") is None
    assert last_boxed_only_string("\\boxed{1") is None


def test_remove_boxed_returns_the_inside_or_none():
    assert remove_boxed("\\boxed{\\frac{2}{3}}") == "\\frac{2}{3}"
    assert remove_boxed("\\fbox{2}") is None
    assert remove_boxed("boxed 2") is None


def test_get_answer_extracts_the_final_boxed_answer():
    assert get_answer("so x = 3, hence \\boxed{3}.") == "3"
    assert get_answer("no box") is None
    assert get_answer(None) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("\\frac12", "\\frac{1}{2}"),
        ("\\dfrac{1}{2}", "\\frac{1}{2}"),
        ("0.5", "\\frac{1}{2}"),
        ("1/2", "\\frac{1}{2}"),
        ("\\sqrt3", "\\sqrt{3}"),
        ("90^\\circ", "90"),
        ("50\\%", "50"),
        ("\\$5", "5"),
        ("5 \\text{ cm}", "5"),
        ("k = 4", "4"),
        ("\\left( 1, 2 \\right)", "(1,2)"),
        (".5", "0.5"),
    ],
)
def test_is_equiv_ignores_formatting_differences(a, b):
    assert is_equiv(a, b) == 1.0


def test_is_equiv_tells_different_answers_apart():
    assert is_equiv("\\frac{1}{3}", "\\frac{1}{2}") == 0.0


def test_is_equiv_treats_two_missing_answers_as_equal_and_one_as_different():
    assert is_equiv(None, None) == 1.0
    assert is_equiv("1", None) == 0.0


def test_is_equiv_compares_raw_strings_when_normalisation_fails():
    two_units = "1 \\text{ m} \\text{ s}"
    assert is_equiv(two_units, two_units) == 1.0
    assert is_equiv(two_units, "1") == 0.0


def test_is_equiv_chain_of_thought_compares_the_boxed_answers():
    assert is_equiv_chain_of_thought("we get \\boxed{\\frac12}", "thus \\boxed{0.5}") == 1.0
    assert is_equiv_chain_of_thought("we get \\boxed{1}", "thus \\boxed{2}") == 0.0


def test_voting_counts_groups_equivalent_answers_under_their_first_response():
    responses = ["\\boxed{1/2}", "\\boxed{3}", "\\boxed{0.5}", "no answer", "\\boxed{\\frac{1}{2}}"]
    assert voting_counts(responses) == {0: 3, 1: 1}


def test_eval_math_responses_votes_and_grades_against_the_solution():
    responses = ["\\boxed{2}", "\\boxed{3}", "\\boxed{3}"]
    result = eval_math_responses(responses, solution="The answer is \\boxed{3}.")
    assert result["voted_answer"] == "\\boxed{3}"
    assert result["votes"] == 2
    assert result["success"] is True
    assert result["success_vote"] == 1.0
    assert result["expected_success"] == pytest.approx(1 - (1 - 2 / 3) ** 3)


def test_eval_math_responses_without_responses_reports_no_success():
    assert eval_math_responses([]) == {
        "expected_success": 0,
        "success": False,
        "success_vote": 0,
        "voted_answer": None,
        "votes": 0,
    }


def test_eval_math_responses_without_solution_still_votes():
    result = eval_math_responses(["\\boxed{4}", "\\boxed{4}", "\\boxed{5}"])
    assert result["voted_answer"] == "\\boxed{4}"
    assert result["votes"] == 2
    assert result["success"] is False


def test_solve_problem_raises_the_legacy_completion_deprecation_error():
    with pytest.raises(RuntimeError, match=r"Deprecated.*OpenAIWrapper"):
        solve_problem("1+1?")
