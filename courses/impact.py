"""What an import would do to learner data, computed before it lands (`load_content --check`).

Read-only: pairs the files' questions with the stored ones by the same identity rule the
import uses (quizzes.sync.match_questions) and counts the attempts each change touches.
Nothing is ever deleted by an import; this says what gets retired, regraded in meaning,
or split across versions, so an instructor decides before learners are affected.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count

from courses.content import CourseSource, Problem, TopicSource
from courses.models import Chapter, Course, Topic
from quizzes.models import Attempt, Choice, Question
from quizzes.sync import answer_changed, match_questions, normalize


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class AttemptCounts:
    """Attempts and learners per question and per question version, in two queries."""

    def __init__(self, course: Course) -> None:
        self.by_version: Counter = Counter()
        self.by_question: Counter = Counter()
        self.learners: Counter = Counter()
        attempts = Attempt.objects.filter(question__topic__course=course)
        for row in attempts.values("question_id", "version").annotate(n=Count("id")):
            self.by_version[row["question_id"], row["version"]] = row["n"]
            self.by_question[row["question_id"]] += row["n"]
        for row in attempts.values("question_id").annotate(n=Count("learner_id", distinct=True)):
            self.learners[row["question_id"]] = row["n"]
        self.picks: Counter = Counter(
            dict(
                Attempt.choices.through.objects.filter(choice__question__topic__course=course)
                .values("choice_id")
                .annotate(n=Count("id"))
                .values_list("choice_id", "n")
            )
        )

    def describe(self, question: Question) -> str:
        n, learners = self.by_question[question.pk], self.learners[question.pk]
        return f"{plural(n, 'attempt')} by {plural(learners, 'learner')}"


def impact_report(source: CourseSource, changed: set[str] | None = None) -> list[Problem]:
    """Each effect on stored learner data, as `path:line: message`; empty for a new course.

    `changed` limits the question checks to topics whose files changed (others cannot).
    """
    course = Course.objects.filter(slug=source.slug).first()
    if course is None:
        return []
    topics = {t.slug: t for t in Topic.objects.filter(course=course)}
    questions: dict[int, list[Question]] = defaultdict(list)
    for q in Question.objects.filter(topic__course=course).prefetch_related("choices"):
        questions[q.topic_id].append(q)
    counts = AttemptCounts(course)
    found: list[Problem] = []
    for topic_src in source.topics:
        topic = topics.get(topic_src.slug)
        if topic is None or (changed is not None and topic_src.slug not in changed):
            continue
        if not topic.is_active:
            found.append(Problem(topic_src.path, 1, f"topic '{topic.slug}' is restored"))
        found += topic_impact(topic_src, questions[topic.pk], counts)
    chapter_slugs = {c.slug for c in source.chapters}
    for chapter in Chapter.objects.filter(course=course, is_active=True).order_by("number"):
        if chapter.slug not in chapter_slugs:
            found.append(
                Problem(
                    chapter.source_path,
                    1,
                    f"chapter '{chapter.slug}' would be retired (folder or chapter.md removed)",
                )
            )
    slugs = {t.slug for t in source.topics}
    for slug, topic in sorted(topics.items()):
        if topic.is_active and slug not in slugs:
            n = sum(counts.by_question[q.pk] for q in questions[topic.pk])
            found.append(
                Problem(
                    topic.source_path,
                    1,
                    f"topic '{slug}' would be retired (file removed or slug changed): hidden "
                    f"from learners, its {plural(n, 'attempt')} kept",
                )
            )
    return sorted(found, key=lambda p: (p.path, p.line))


def topic_impact(
    topic_src: TopicSource, existing: list[Question], counts: AttemptCounts
) -> list[Problem]:
    """Effects of one changed topic file on its stored questions."""
    path = topic_src.path
    found = []
    matches = match_questions(topic_src.questions, existing)
    for src, q in zip(topic_src.questions, matches, strict=True):
        if q is None:
            continue
        if not q.is_active:
            found.append(Problem(path, src.line, f"retired question '{q.key}' is restored"))
        if src.version == q.version:
            continue
        live = [c for c in q.choices.all() if c.is_active]
        if answer_changed(src, q):
            graded = counts.by_version[q.pk, q.version]
            found.append(
                Problem(
                    path,
                    src.line,
                    f"correct answer of '{q.key}' changes: {plural(graded, 'attempt')} "
                    f"were graded under the old answer (version {q.version}) and keep "
                    "their grade; its review cards start afresh, due at once",
                )
            )
        else:
            found.append(
                Problem(
                    path,
                    src.line,
                    f"question '{q.key}' changes version {q.version} -> {src.version}: "
                    f"its {counts.describe(q)} stay on their versions",
                )
            )
        kept = {normalize(c.text) for c in src.choices}
        found += retired_choices(path, src.line, live, kept, counts)
    matched = {q.pk for q in matches if q is not None}
    for q in existing:
        if q.is_active and q.pk not in matched:
            found.append(
                Problem(
                    path,
                    q.source_line,
                    f"question '{q.key}' would be retired (removed, or prompt and answer both "
                    f"reworded): hidden from learners, its {counts.describe(q)} kept",
                )
            )
    return found


def retired_choices(
    path: str, line: int, live: list[Choice], kept: set[str], counts: AttemptCounts
) -> list[Problem]:
    """Choices whose text disappears: retired, with the attempts that picked them."""
    return [
        Problem(
            path,
            line,
            f"choice {c.text!r} would be retired ({plural(counts.picks[c.pk], 'attempt')} "
            "picked it and keep it)",
        )
        for c in live
        if normalize(c.text) not in kept
    ]


def retired_course_impact(kept_slugs: set[str]) -> list[Problem]:
    """Active courses whose folder left the tree: retired, their learners' answers kept."""
    found = []
    for course in Course.objects.active().exclude(slug__in=kept_slugs):
        n = Attempt.objects.filter(question__topic__course=course).count()
        found.append(
            Problem(
                course.source_path,
                1,
                f"course {course.slug!r} is no longer in the tree: it will be retired "
                f"(hidden, {plural(n, 'attempt')} kept; it comes back if its folder does)",
            )
        )
    return found
