"""Property: whatever instructors do to the files, learner data is never lost.

Answers are interleaved with random content edits and re-imports (reword, reorder, remove,
restore, move a topic); after every step each attempt still exists, still points at the
question it was graded on, and keeps the version it was graded on; read marks survive too.
"""

from __future__ import annotations

import random

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.importer import load_content
from courses.models import Topic
from quizzes.answers import check_answer, record_answer
from quizzes.models import Attempt, Learner, Question, TopicProgress
from tests.factories import write

STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.integers(0, 5), st.booleans()),
        st.tuples(st.just("reword"), st.integers(0, 5), st.booleans()),
        st.tuples(st.just("reorder"), st.integers(0, 1000), st.booleans()),
        st.tuples(st.just("remove"), st.integers(0, 5), st.booleans()),
        st.tuples(st.just("restore"), st.integers(0, 5), st.booleans()),
        st.tuples(st.just("move"), st.integers(0, 1), st.booleans()),
        st.tuples(st.just("read"), st.integers(0, 1), st.booleans()),
    ),
    min_size=1,
    max_size=14,
)


def initial_questions() -> list[dict]:
    return [
        {
            "id": f"q{i}" if i % 2 == 0 else "",
            "prompt": f"Question {i}?",
            "choices": [(f"right {i}", True), (f"wrong {i}", False), (f"other {i}", False)],
        }
        for i in range(4)
    ]


def topic_markdown(questions: list[dict]) -> str:
    lines = ["---", "number: 1", "title: Edited", "---", "", "Body.", "", "## Knowledge Check", ""]
    for q in questions:
        lines.append(f"### {q['prompt']}")
        if q["id"]:
            lines.append(f"<!-- id: {q['id']} -->")
        lines.append("")
        lines += [f"- [{'x' if ok else ' '}] {text}" for text, ok in q["choices"]]
        lines.append("")
    return "\n".join(lines)


class Course:
    """The content tree on disk, edited step by step."""

    def __init__(self, root):
        self.root = root
        self.questions = initial_questions()
        self.removed: list[dict] = []
        self.chapter = "01-one"
        self.edits = 0
        write(root, "course.md", "---\ntitle: C\nslug: c\n---\n")
        write(root, "01-one/chapter.md", "---\nnumber: 1\ntitle: One\n---\n")
        write(root, "02-two/chapter.md", "---\nnumber: 2\ntitle: Two\n---\n")
        write(root, "01-one/09-reading.md", "---\nnumber: 9\ntitle: Reading\n---\nJust text.\n")
        self.save()

    def save(self) -> None:
        for folder in ("01-one", "02-two"):
            (self.root / folder / "01-edited.md").unlink(missing_ok=True)
        write(self.root, f"{self.chapter}/01-edited.md", topic_markdown(self.questions))
        load_content(self.root)

    def apply(self, op: str, n: int, flag: bool) -> None:
        self.edits += 1
        qs = self.questions
        if op == "reword" and qs:
            q = qs[n % len(qs)]
            if flag:
                q["prompt"] = q["prompt"].rstrip("?") + f" (edit {self.edits})?"
            else:
                text, ok = q["choices"][1]
                q["choices"][1] = (f"{text} v{self.edits}", ok)
        elif op == "reorder":
            random.Random(n).shuffle(qs)
        elif op == "remove" and len(qs) > 1:
            self.removed.append(qs.pop(n % len(qs)))
        elif op == "restore" and self.removed:
            qs.insert(n % (len(qs) + 1), self.removed.pop())
        elif op == "move":
            self.chapter = "02-two" if self.chapter == "01-one" else "01-one"
        else:
            return
        self.save()


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_edits_never_lose_learner_data(tmp_path_factory, steps):
    with transaction.atomic():
        course = Course(tmp_path_factory.mktemp("content"))
        learner = Learner.objects.create()
        graded: dict[int, tuple[int, str]] = {}  # attempt -> (question, version graded)
        reads = 0
        ids = dict(Question.objects.filter(key__in=["q0", "q2"]).values_list("key", "pk"))
        for i, (op, n, flag) in enumerate(steps):
            if op == "answer":
                active = list(Question.objects.active().filter(topic__slug="edited"))
                question = active[n % len(active)]
                choices = list(question.choices.active())
                pick = [c.token for c in choices if c.is_correct == flag][:1]
                attempt = record_answer(learner, question, check_answer(question, pick), f"{i:08x}")
                graded[attempt.pk] = (question.pk, question.version)
            elif op == "read":
                topic = Topic.objects.get(slug="reading")
                _, created = TopicProgress.objects.get_or_create(
                    learner=learner, topic=topic, defaults={"read_at": timezone.now()}
                )
                reads += created
            else:
                course.apply(op, n, flag)
            stored = dict(Attempt.objects.values_list("pk", "question_id"))
            versions = dict(Attempt.objects.values_list("pk", "version"))
            assert stored == {pk: q for pk, (q, _) in graded.items()}
            assert versions == {pk: v for pk, (_, v) in graded.items()}
            assert TopicProgress.objects.count() == reads
            assert Topic.objects.get(slug="edited").is_active
            active = Question.objects.active().filter(topic__slug="edited")
            assert sorted(active.values_list("prompt_text", flat=True)) == sorted(
                q["prompt"] for q in course.questions
            )
            # Questions with an id are the same rows, whatever happened to them.
            assert (
                dict(Question.objects.filter(key__in=["q0", "q2"]).values_list("key", "pk")) == ids
            )
        transaction.set_rollback(True)
