"""Pure grading and shuffling rules."""

import pytest

from quizzes.grading import AnswerError, grade_answer, shuffle_choices


def test_single_answer_right_and_wrong():
    assert grade_answer({"a"}, "abcd", ["a"], allows_many=False).is_correct
    grade = grade_answer({"a"}, "abcd", ["b"], allows_many=False)
    assert not grade.is_correct
    assert (grade.missed, grade.wrong) == ({"a"}, {"b"})


def test_select_all_needs_exactly_the_correct_set():
    assert grade_answer({"a", "b"}, "abc", ["b", "a"], allows_many=True).is_correct
    assert not grade_answer({"a", "b"}, "abc", ["a"], allows_many=True).is_correct
    assert not grade_answer({"a", "b"}, "abc", ["a", "b", "c"], allows_many=True).is_correct


@pytest.mark.parametrize(
    ("picked", "allows_many", "message"),
    [
        ([], False, "Choose an answer"),
        (["z"], False, "not part of this question"),
        (["a", "b"], False, "choose only one"),
    ],
)
def test_bad_answers_raise(picked, allows_many, message):
    with pytest.raises(AnswerError, match=message):
        grade_answer({"a"}, "abc", picked, allows_many=allows_many)


def order(items, pinned, key: str):
    """shuffle_choices with each item as its own id."""
    return shuffle_choices(list(items), pinned, [str(i) for i in items], key.encode())


def test_shuffle_is_stable_per_key_and_varies_across_keys():
    items = list(range(8))
    pinned = [False] * 8
    assert order(items, pinned, "s1") == order(items, pinned, "s1")
    orders = {tuple(order(items, pinned, f"seed{i}")) for i in range(20)}
    assert len(orders) > 15


def test_pinned_choice_keeps_its_place():
    items = ["a", "b", "c", "none of the above"]
    for i in range(30):
        assert order(items, [False, False, False, True], str(i))[3] == "none of the above"


def test_first_choice_is_not_always_first():
    """Authors put every right answer first: shuffling must hide that."""
    firsts = {order("abcd", [False] * 4, f"learner{i}:q")[0] for i in range(40)}
    assert firsts == set("abcd")


def test_adding_a_choice_keeps_the_others_in_order():
    """A learner who reads a question again after a choice was added finds the rest in place."""
    before = order("abcd", [False] * 4, "k")
    after = order("abcde", [False] * 5, "k")
    assert [c for c in after if c != "e"] == before


def test_orders_already_shown_to_learners_never_change():
    """Learners keep the order they saw: these were computed before choice_order existed."""
    ids = [f"tok-{c}" for c in "abcdef"]
    pinned = [False, False, True, False, False, False]
    assert shuffle_choices(list("abcdef"), pinned, ids, b"k" * 32) == list("fbcade")
    assert shuffle_choices(
        list("abcd"), [False] * 4, ["t1", "t2", "t3", "t4"], bytes(range(32))
    ) == list("dbca")
