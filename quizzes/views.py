"""Knowledge-check views (grading arrives with the grading issue)."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.http import require_POST


@require_POST
def answer(request: HttpRequest, question_id: int) -> HttpResponse:
    return HttpResponseNotAllowed(["POST"])
