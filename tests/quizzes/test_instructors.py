"""Staff are admins (every course) or instructors of particular courses (their own only)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Course
from quizzes.models import Learner, Question
from tests.factories import answer, load, two_courses, write

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def courses(tmp_path):
    """Two courses, each with one learner who answered there."""
    root = two_courses(tmp_path)
    load(root)
    for slug in ("fixture", "zweiter"):
        answer(Client(), Question.objects.get(topic__course__slug=slug, key="run"))
    return root


def staff(name: str, *, superuser: bool = False, teaches: tuple[str, ...] = ()) -> Client:
    user = get_user_model().objects.create_user(
        name, password=PASSWORD, is_staff=True, is_superuser=superuser
    )
    for slug in teaches:
        Course.objects.get(slug=slug).instructors.add(user)
    client = Client()
    client.force_login(user)
    return client


def course_urls(slug: str) -> list[str]:
    question = Question.objects.get(topic__course__slug=slug, key="run")
    learner = Learner.objects.get(attempts__question=question)
    return [
        reverse("results:topics", args=[slug]),
        reverse("results:questions", args=[slug]),
        reverse("results:question", args=[slug, question.pk]),
        reverse("results:learners", args=[slug]),
        reverse("results:learner", args=[slug, learner.pk]),
        reverse("results:attempts-csv", args=[slug]),
        reverse("results:questions-csv", args=[slug]),
    ]


def test_an_instructor_sees_every_page_of_their_course(courses):
    client = staff("ina", teaches=("zweiter",))
    for url in course_urls("zweiter"):
        assert client.get(url).status_code == 200, url


def test_an_instructor_gets_403_for_another_course(courses):
    client = staff("ina", teaches=("zweiter",))
    for url in course_urls("fixture"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Fixture Course" not in b"".join(getattr(response, "streaming_content", [b""]))


def test_an_admin_sees_every_course(courses):
    client = staff("root", superuser=True)
    for url in course_urls("fixture") + course_urls("zweiter"):
        assert client.get(url).status_code == 200, url


def test_staff_who_teach_nothing_see_no_course(courses):
    client = staff("nobody")
    html = client.get(reverse("results:courses")).content.decode()
    assert "You are not an instructor of any course yet." in html
    assert client.get(reverse("results:topics", args=["fixture"])).status_code == 403


def test_the_results_list_shows_only_the_instructors_courses(courses):
    client = staff("ina", teaches=("zweiter", "fixture"))
    Course.objects.get(slug="fixture").instructors.clear()
    response = client.get(reverse("results:courses"))
    assert (response.status_code, response["Location"]) == (302, "/results/zweiter/")


def test_a_question_or_learner_of_another_course_is_not_found_under_mine(courses):
    client = staff("ina", teaches=("zweiter",))
    other = course_urls("fixture")
    mine = "zweiter"
    question_id = other[2].rstrip("/").split("/")[-1]
    learner_id = other[4].rstrip("/").split("/")[-1]
    assert client.get(f"/results/{mine}/questions/{question_id}/").status_code == 404
    assert client.get(f"/results/{mine}/learners/{learner_id}/").status_code == 404


def test_the_learner_list_holds_only_the_courses_learners(courses):
    client = staff("ina", teaches=("zweiter",))
    html = client.get(reverse("results:learners", args=["zweiter"])).content.decode()
    only = Learner.objects.get(attempts__question__topic__course__slug="zweiter")
    other = Learner.objects.get(attempts__question__topic__course__slug="fixture")
    assert f"/results/zweiter/learners/{only.pk}/" in html
    assert f"/learners/{other.pk}/" not in html


def test_the_attempts_csv_holds_only_the_courses_attempts(courses):
    client = staff("ina", teaches=("zweiter",))
    response = client.get(reverse("results:attempts-csv", args=["zweiter"]))
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 2  # header and the one answer given in this course
    assert "grundlagen" in lines[1]


def test_results_queries_do_not_grow_with_courses(courses, tmp_path):
    """An admin's results pages cost the same with 2 courses as with 5."""
    client = staff("root", superuser=True)

    def counts() -> list[int]:
        found = []
        for url in course_urls("zweiter"):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
                b"".join(getattr(response, "streaming_content", [b""]))
            found.append(len(captured))
        return found

    before = counts()
    for n in range(3):
        write(courses, f"extra{n}/course.md", f"---\ntitle: Extra {n}\n---\nMore.\n")
        write(courses, f"extra{n}/01-a/chapter.md", "---\nnumber: 1\ntitle: A\n---\n")
        write(courses, f"extra{n}/01-a/01-t.md", "---\nnumber: 1\ntitle: T\n---\nText.\n")
    load(courses)
    assert counts() == before


def test_admins_assign_instructors_in_the_admin(courses):
    client = staff("root", superuser=True)
    ina = get_user_model().objects.create_user("ina", is_staff=True)
    course = Course.objects.get(slug="zweiter")
    url = reverse("admin:courses_course_change", args=[course.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"instructors": [ina.pk]})
    assert response.status_code == 302
    assert list(course.instructors.all()) == [ina]


def test_instructors_see_only_their_courses_in_the_admin(courses):
    client = staff("ina", teaches=("zweiter",))
    user = get_user_model().objects.get(username="ina")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_attempt", "view_learner", "view_course"])
    )
    attempts = client.get(reverse("admin:quizzes_attempt_changelist")).content.decode()
    assert 'class="field-topic">Hallo<' in attempts  # the answer given in their course
    assert 'class="field-topic">Hello<' not in attempts  # not the one in the other course
    courses_page = client.get(reverse("admin:courses_course_changelist")).content.decode()
    assert "Zweiter Kurs" in courses_page
    assert "Fixture Course" not in courses_page
    learners = client.get(reverse("admin:quizzes_learner_changelist")).content.decode()
    assert learners.count('class="field-__str__') == 1
    fixture = Course.objects.get(slug="fixture")
    change = reverse("admin:courses_course_change", args=[fixture.pk])
    assert client.get(change).status_code in (302, 403, 404)
