"""No course can shadow a page of the site: every top-level path the site serves is reserved."""

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from courses.slugs import RESERVED_CHAPTER_SLUGS, RESERVED_COURSE_SLUGS, slugify


def first_segments() -> set[str]:
    """The literal first path segment of every URL pattern (patterns starting with a
    converter, like the course pages themselves, have none)."""
    found = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver) and not str(pattern.pattern):
                walk(pattern.url_patterns, prefix)
                continue
            segment = route.split("/")[0]
            if segment and "<" not in segment:
                found.add(segment)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_top_level_path_is_a_reserved_course_slug():
    admin = settings.ADMIN_URL.strip("/").split("/")[0]
    served = {slugify(s) for s in first_segments()} - {slugify(admin)}
    assert served <= RESERVED_COURSE_SLUGS, served - RESERVED_COURSE_SLUGS


def test_course_pages_are_reserved_chapter_slugs():
    """/<course>/progress/ and friends: a chapter may not be named like them."""
    course_pages = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and not str(pattern.pattern):
            for inner in pattern.url_patterns:
                route = str(inner.pattern)
                if isinstance(inner, URLPattern) and route.startswith("<uslug:course_slug>/"):
                    rest = route.removeprefix("<uslug:course_slug>/").split("/")[0]
                    if rest and "<" not in rest:
                        course_pages.add(rest)
    assert course_pages
    assert course_pages <= RESERVED_CHAPTER_SLUGS
