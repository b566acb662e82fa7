"""A course speaks its own language: its pages' interface text follows `Course.language`.

Pages that belong to no course (the course list, login, errors) keep the language
LocaleMiddleware chose from the browser. A course page calls `use_course_language` as soon as it
knows its course, before rendering anything, so cached pieces are rendered in that language too
(their cache keys are per course, so one course's language never leaks into another's pages).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation

from courses.models import Course


def use_course_language(request: HttpRequest, course: Course | str) -> None:
    """Speak this course's language (a Course or its language tag) for the rest of the request."""
    language = course if isinstance(course, str) else course.language
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()
