"""Review cards through content edits and account merges (docs/authoring.md, docs/review.md)."""

import secrets
from datetime import timedelta

import pytest

from courses.importer import load_content
from quizzes.answers import check_answer, record_and_score
from quizzes.learners import merge_learners
from quizzes.models import Learner, Question, ReviewCard
from quizzes.review import due_count
from tests.factories import minimal_tree, topic_text, write

pytestmark = pytest.mark.django_db

LAYER = "### What is a layer?\n<!-- id: layer -->\n\n- [x] A filesystem diff\n- [ ] A container\n"
OTHER = "### Which command builds?\n<!-- id: build -->\n\n- [x] docker build\n- [ ] docker ps\n"


def load_questions(root, questions: str):
    write(root, "01-one/01-a.md", topic_text(questions=questions))
    return load_content(root)


@pytest.fixture
def root(tmp_path):
    root = minimal_tree(tmp_path / "content")
    load_questions(root, LAYER + "\n" + OTHER)
    return root


def review(learner: Learner, key: str, now, *, correct: bool = True):
    """Answer the question `key` right (or wrong) at `now`."""
    question = Question.objects.select_related("topic").get(key=key, is_active=True)
    picked = question.choices.filter(is_active=True, is_correct=correct)[:1]
    grade = check_answer(question, [c.token for c in picked])
    record_and_score(learner, question, grade, secrets.token_hex(8), [question.pk], now=now)


def test_reworded_question_keeps_its_card(root, clock):
    """Rewording a question (same id) leaves its cards as they were."""
    learner = Learner.objects.create()
    review(learner, "layer", clock())
    before = ReviewCard.objects.get()
    load_questions(root, LAYER.replace("What is a layer?", "What is an image layer?") + OTHER)
    after = ReviewCard.objects.get()
    assert (after.pk, after.due, after.stability) == (before.pk, before.due, before.stability)


def test_retired_question_never_comes_up(root, clock):
    """A question removed from its file leaves the learner's queue."""
    learner = Learner.objects.create()
    review(learner, "layer", clock(), correct=False)
    load_questions(root, OTHER)
    assert due_count(learner, clock.move(days=1)) == 0


def test_restored_question_comes_back_with_its_card(root, clock):
    """Putting a retired question back restores its card as it was."""
    learner = Learner.objects.create()
    review(learner, "layer", clock(), correct=False)
    before = ReviewCard.objects.get()
    load_questions(root, OTHER)
    load_questions(root, LAYER + "\n" + OTHER)
    after = ReviewCard.objects.get()
    assert (after.is_active, after.due, after.stability) == (True, before.due, before.stability)
    assert due_count(learner, clock.move(days=1)) == 1


def test_changed_answer_key_starts_the_card_afresh(root, clock):
    """A changed right answer makes the card new again, due at once."""
    learner = Learner.objects.create()
    review(learner, "layer", clock())
    assert due_count(learner, clock()) == 0
    swapped = LAYER.replace("[x] A filesystem", "[ ] A filesystem").replace(
        "[ ] A container", "[x] A container"
    )
    load_questions(root, swapped + "\n" + OTHER)
    card = ReviewCard.objects.get()
    assert (card.stability, card.last_review) == (None, None)
    assert due_count(learner, clock.move(seconds=1)) == 1


def test_merge_keeps_one_card_per_question(root, clock):
    """Signing up keeps an anonymous learner's cards, one per question, the latest kept."""
    visitor, account = Learner.objects.create(), Learner.objects.create()
    review(account, "layer", clock())
    review(visitor, "layer", clock.move(days=3), correct=False)
    review(visitor, "build", clock())
    merge_learners(visitor, account)
    cards = ReviewCard.objects.filter(learner=account)
    assert cards.count() == 2
    assert ReviewCard.objects.count() == 2
    layer = cards.get(question__key="layer")
    assert layer.last_review == clock()  # the visitor's later review
    assert layer.due - clock() == timedelta(minutes=10)


def test_merge_keeps_the_accounts_later_card(root, clock):
    """Where the account reviewed later, its card wins over the visitor's."""
    visitor, account = Learner.objects.create(), Learner.objects.create()
    review(visitor, "layer", clock(), correct=False)
    review(account, "layer", clock.move(days=3))
    merge_learners(visitor, account)
    card = ReviewCard.objects.get()
    assert (card.learner_id, card.last_review) == (account.pk, clock())


# --- retention on the results dashboard ------------------------------------------------------


def test_results_show_retention_after_a_day(root, clock, client):
    """Instructors see the share of answers a day or more later that were right."""
    from django.contrib.auth import get_user_model

    from quizzes.stats import question_stats

    ada, bob = Learner.objects.create(), Learner.objects.create()
    review(ada, "layer", clock())
    review(bob, "layer", clock())
    review(ada, "layer", clock.move(hours=2))  # the same day: not a retention sample
    clock.move(days=3)
    review(ada, "layer", clock())
    review(bob, "layer", clock(), correct=False)
    layer = next(
        v
        for v in question_stats(Question.objects.get(key="layer").topic.course)
        if v.question.key == "layer"
    )
    assert (layer.reviews, layer.recalled) == (2, 1)
    client.force_login(
        get_user_model().objects.create_user("staff", is_superuser=True, is_staff=True)
    )
    html = client.get(f"/results/{layer.question.topic.course.slug}/questions/").content.decode()
    assert "Retained after a day: 50%" in html
