"""URL path converters: slugs in any script, as courses.slugs defines them."""

from __future__ import annotations

from django.urls import register_converter

from courses.slugs import is_slug


class UnicodeSlugConverter:
    """Like Django's `<slug:...>`, but for slugs such as `café-crème` or `日本語`."""

    # Django's resolver hands the converter the decoded path segment; the regex only cuts
    # the segment out, and `to_python` decides (a ValueError is a 404, not a 500).
    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        if not is_slug(value):
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UnicodeSlugConverter, "uslug")
