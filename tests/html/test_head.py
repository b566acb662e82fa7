"""HEAD works wherever GET does (link checkers and monitors send it): never a 405."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from quizzes.models import Question
from tests.html.pages import GROUPS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("group", GROUPS)
def test_head_answers_like_get_on_every_page(site_pages, group):
    """Each page of the group answers HEAD with the status GET had."""
    wrong = [
        f"{page.name} ({page.url}): HEAD {page.head_status}, GET {page.status}"
        for page in site_pages
        if page.group == group and page.head_status is not None and page.head_status != page.status
    ]
    assert not wrong, "\n".join(wrong)


def test_head_answers_on_the_other_get_endpoints(client, seed_course):
    """Retry, a diagram fragment, an old diagram address and the CSV exports answer HEAD."""
    client.force_login(get_user_model().objects.create_superuser("admin"))
    question = Question.objects.first()
    urls = {
        reverse("quizzes:retry", args=[question.pk]): 302,
        reverse("courses:diagram", args=["containers", "images", "base-images", 0]): 302,
        reverse("courses:legacy-diagram", args=["images", "base-images", 0]): 301,
        reverse("results:attempts-csv", args=["containers"]): 200,
        reverse("results:questions-csv", args=["containers"]): 200,
        "/quiz/progress/": 301,
    }
    assert {url: client.head(url).status_code for url in urls} == urls
