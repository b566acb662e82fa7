"""Sign-up, login and logout: Django's own views, each confirming what became of the progress.

A learner's progress is the point of an account, so every change of who is signed in says
where that progress now is (rendered once, in base.html, from Django's messages framework).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from quizzes.forms import SignupForm


def carried_progress(request: HttpRequest) -> bool:
    """Whether logging in just now moved this browser's progress into the account."""
    # Set by the user_logged_in receiver (quizzes/apps.py) that merges the progress.
    return getattr(request, "carried_progress", False)


def signed_up_message(request: HttpRequest, username: str) -> str:
    if carried_progress(request):
        return _(
            "Welcome, %(name)s! Your account is ready, and the progress you made in this "
            "browser is now saved to it."
        ) % {"name": username}
    return _(
        "Welcome, %(name)s! Your account is ready: from now on your progress is saved to it."
    ) % {"name": username}


def logged_in_message(request: HttpRequest, username: str) -> str:
    if carried_progress(request):
        return _(
            "You are logged in as %(name)s. The progress you made in this browser was added to "
            "your account."
        ) % {"name": username}
    return _("You are logged in as %(name)s: your progress is saved to your account.") % {
        "name": username
    }


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account; progress made anonymously carries over."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, signed_up_message(request, user.get_username()))
        return redirect(next_url or "courses:home")
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


class Login(LoginView):
    """Django's login, confirming it and saying where the progress went."""

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        messages.success(self.request, logged_in_message(self.request, user.get_username()))
        return response


class Logout(LogoutView):
    """Django's logout (POST only), confirming it and saying the progress stays saved."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.info(
                request,
                _(
                    "You are logged out. Your progress stays saved in your account: log in "
                    "again to pick it up. Until then, what you do is kept in this browser only."
                ),
            )
        return response
