"""Every page is valid HTML: the Nu Html Checker finds no error and no warning on any."""

import pytest

from tests.html.pages import GROUPS

pytestmark = pytest.mark.django_db


def test_the_checker_reports_an_invalid_page(nu_report):
    """The check can fail: an hx-* attribute is reported as an error."""
    _, broken = nu_report[0]
    assert any("hx-get" in message for message in broken)


@pytest.mark.parametrize("group", GROUPS)
def test_every_page_is_valid_html(nu_report, group):
    """Each page of the group, in each state, has no Nu error or warning."""
    problems = [
        f"{page.name} ({page.url}):\n    " + "\n    ".join(messages)
        for page, messages in nu_report[1:]
        if page.group == group and messages
    ]
    assert not problems, "\n".join(problems)
