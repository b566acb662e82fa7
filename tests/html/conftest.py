import pytest
from django.core.cache import cache
from django.db import transaction

from tests.html.nu import check
from tests.html.pages import Page, collect_pages

# A page that must fail, checked in the same run: proves the checker runs and is read.
BROKEN = '<!doctype html><html lang="en"><title>x</title><p hx-get="/">x</p>'


@pytest.fixture(scope="session")
def site_pages(django_db_setup, django_db_blocker) -> list[Page]:
    """Every page in every state, fetched once per test run; the data is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        pages = collect_pages()
        transaction.set_rollback(True)
    cache.clear()
    return pages


@pytest.fixture(scope="session")
def nu_report(site_pages, tmp_path_factory) -> list[tuple[Page | None, list[str]]]:
    """The Nu Html Checker's errors and warnings per page, from one run over all of them.

    The first entry is BROKEN's (no page); then each page of `site_pages`, in order.
    """
    found = check([BROKEN] + [page.html for page in site_pages], tmp_path_factory.mktemp("nu"))
    return [(None, found[0]), *zip(site_pages, found[1:], strict=True)]
