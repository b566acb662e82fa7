"""The course list: each course's size and, for a learner, their progress and where to go on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from courses.models import Course, Topic
from quizzes.models import Learner
from quizzes.progress import ProgressSummary, continue_topic, summarize, topic_statuses


@dataclass
class CourseRow:
    course: Course
    chapters: int
    topics: int
    progress: ProgressSummary | None


def course_list(courses: Sequence[Course], learner: Learner | None) -> dict:
    """Context for the course list, in a fixed number of queries however many courses."""
    topics = list(Topic.objects.in_order().filter(course__in=courses))
    statuses = topic_statuses(learner, topics) if learner else {}
    per_course: dict[int, list[Topic]] = {c.pk: [] for c in courses}
    for topic in topics:
        per_course[topic.course_id].append(topic)
    rows = [
        CourseRow(
            course=course,
            chapters=len({t.chapter_id for t in per_course[course.pk]}),
            topics=len(per_course[course.pk]),
            progress=summarize(per_course[course.pk], statuses) if learner else None,
        )
        for course in courses
    ]
    return {"rows": rows, "continue_topic": latest_continue(courses, per_course, statuses)}


def latest_continue(
    courses: Sequence[Course], per_course: dict[int, list[Topic]], statuses: dict
) -> Topic | None:
    """Where to pick up in the course the learner worked on last."""
    if not statuses:
        return None
    worked = [
        (max(statuses[t.pk].last_activity for t in topics if statuses[t.pk].last_activity), pk)
        for pk, topics in per_course.items()
        if any(statuses[t.pk].last_activity for t in topics)
    ]
    if not worked:
        return None
    _, course_pk = max(worked)
    return continue_topic(per_course[course_pk], statuses)
