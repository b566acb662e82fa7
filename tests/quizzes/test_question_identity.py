"""Ids and automatic keys never collide: no edit moves one question's answers to another."""

import pytest

from courses.importer import load_content
from quizzes.models import Attempt, Learner, Question
from tests.factories import minimal_tree, topic_text, write

pytestmark = pytest.mark.django_db

LAYER = "### What is a layer?\n\n- [x] A filesystem diff\n- [ ] A container\n"
NEW = "### Which command builds?\n<!-- id: {id} -->\n\n- [x] docker build\n- [ ] docker ps\n"


def load_questions(root, questions: str):
    write(root, "01-one/01-a.md", topic_text(questions=questions))
    return load_content(root)


def attempt_on(question: Question) -> Attempt:
    return Attempt.objects.create(
        learner=Learner.objects.create(),
        question=question,
        version=question.version,
        is_correct=True,
        is_first=True,
        nonce="n1",
    )


@pytest.fixture
def root(tmp_path):
    root = minimal_tree(tmp_path / "content")
    load_questions(root, LAYER)
    return root


def test_new_id_equal_to_an_automatic_key_takes_nothing_over(root):
    """Item 7: the new question took the unchanged question's row and its attempts."""
    layer = Question.objects.get(prompt_text="What is a layer?")
    assert layer.key == "what-is-a-layer"
    attempt = attempt_on(layer)
    load_questions(root, LAYER + "\n" + NEW.format(id="what-is-a-layer"))
    layer.refresh_from_db()
    assert (layer.prompt_text, layer.is_active) == ("What is a layer?", True)
    assert Attempt.objects.get(pk=attempt.pk).question_id == layer.pk
    new = Question.objects.get(key="what-is-a-layer")
    assert (new.prompt_text, new.attempts.count()) == ("Which command builds?", 0)
    assert layer.key != "what-is-a-layer"


def test_the_same_holds_for_rows_loaded_before_keys_were_marked(root):
    """Rows from before migration 0003 (key_authored unknown) are read the same way."""
    Question.objects.update(key_authored=None)
    layer = Question.objects.get()
    load_questions(root, LAYER + "\n" + NEW.format(id="what-is-a-layer"))
    layer.refresh_from_db()
    assert layer.prompt_text == "What is a layer?"
    assert Question.objects.get(key="what-is-a-layer").pk != layer.pk


def test_adding_an_id_to_a_question_keeps_its_row(root):
    layer = Question.objects.get()
    load_questions(root, LAYER.replace("\n\n", "\n<!-- id: layer -->\n\n", 1))
    assert Question.objects.get(key="layer").pk == layer.pk


def test_adding_its_own_automatic_key_as_id_keeps_its_row(root):
    layer = Question.objects.get()
    load_questions(root, LAYER.replace("\n\n", "\n<!-- id: what-is-a-layer -->\n\n", 1))
    layer.refresh_from_db()
    assert (layer.key, layer.key_authored, layer.is_active) == ("what-is-a-layer", True, True)


def test_an_id_keeps_its_question_through_a_full_rewrite(root):
    load_questions(root, NEW.format(id="build"))
    build = Question.objects.get(key="build")
    load_questions(root, NEW.format(id="build").replace("builds", "compiles").replace("ps", "rm"))
    assert Question.objects.get(key="build").pk == build.pk


def test_keys_can_trade_places_in_one_load(root):
    """The id-less question loses its key to an id while the other takes a new one."""
    load_questions(root, LAYER + "\n" + NEW.format(id="build"))
    layer = Question.objects.get(prompt_text="What is a layer?")
    build = Question.objects.get(key="build")
    swapped = LAYER.replace("\n\n", "\n<!-- id: build-2 -->\n\n", 1) + "\n"
    load_questions(root, swapped + NEW.format(id="what-is-a-layer"))
    assert Question.objects.get(key="build-2").pk == layer.pk
    assert Question.objects.get(key="what-is-a-layer").pk == build.pk
