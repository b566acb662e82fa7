"""`{% render_diagram %}`: a topic's diagram, in the state its page URL asks for; and
`{% answer_tiers %}`: a question's answer mode on its diagram."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from django import template
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from courses import spectrum
from courses.models import Topic

register = template.Library()


def diagram_context(request: HttpRequest, topic: Topic, diagram: dict, index: int) -> dict:
    """Template context for one diagram: its state from the query string, and its URLs."""
    context = {"diagram": diagram, "index": index}
    if diagram.get("kind") == "spectrum":
        # parse_qs keeps repeated keys (the compare form sends two), like QueryDict.getlist.
        params = parse_qs(request.META.get("QUERY_STRING", ""))
        context["s"] = {
            **spectrum.build_state(diagram, params, index),
            "page_url": topic.get_absolute_url(),
            "fragment_url": reverse(
                "courses:diagram", args=[topic.course.slug, topic.chapter.slug, topic.slug, index]
            ),
        }
    return context


def deep_link(topic: Topic, context: dict) -> str:
    """The topic URL that reopens this diagram in its current (valid) state, at its result."""
    state = context.get("s")
    query = f"?{state['query']}" if state and state["query"] else ""
    return f"{topic.get_absolute_url()}{query}#spectrum-{context['index']}-result"


@register.simple_tag(takes_context=True)
def render_diagram(context: template.Context, diagram: dict, index: int) -> SafeString:
    """Render the index-th diagram of the page's topic; reads ?tier= and friends from request."""
    request, topic = context["request"], context["topic"]
    return render_to_string(
        "courses/_diagram.html", diagram_context(request, topic, diagram, index)
    )


@register.simple_tag
def answer_tiers(question, choices) -> dict:
    """The answer mode of a question answered on a diagram, for these choices in this order."""
    return spectrum.answer_state(question.diagram, [(c.text, c.token) for c in choices])


@register.filter
def choice_label(question, choice) -> str:
    """A choice as plain text: a diagram question's tier name, else its authored text."""
    return question.choice_label(choice)


@register.filter
def breakable(value: str) -> SafeString:
    """Text with a line-break opportunity after each / and :, so image names wrap in cells."""
    # Escaped first, and "/" or ":" never occur inside an entity, so the markup stays safe.
    return mark_safe(re.sub(r"([/:])", r"\1<wbr>", escape(value)))  # noqa: S308
