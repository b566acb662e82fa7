"""Login throttling against password guessing.

Failed logins are counted per username and per client address from Django's
`user_login_failed` signal, so every way in that calls `authenticate()` counts, the admin's
login included. The middleware refuses POSTs to the login pages with 429 once a count reaches
its limit, until the window that started with that count's first failure ends. A successful
login clears its username's count; the address count is left to expire, so nobody can reset
it by logging into an account of their own between guesses.

Counts live in the database (`LoginFailureCount`), so every worker of every app server sees
the same numbers. A username is counted the way login looks it up: the login form's own field
(whitespace stripped, NFKC: a full-width i is an i), then case-folded. Why not django-axes:
docs/login-throttling.md.
"""

from __future__ import annotations

import contextlib
import functools
import math
import unicodedata
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UsernameField
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from quizzes.models import LoginFailureCount

SALT = "coursedeck.login-throttle"


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting X-Forwarded-For only as far as our own proxies."""
    proxies = settings.LOGIN_THROTTLE_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@functools.cache
def _login_username_field() -> UsernameField:
    # The field AuthenticationForm (and the admin's form) cleans the username with, sized
    # as they size it: longer input is not normalised there, so not here either.
    model = get_user_model()
    max_length = model._meta.get_field(model.USERNAME_FIELD).max_length or 254
    return UsernameField(max_length=max_length)


def login_username(posted: str) -> str:
    """The username the login form would pass to authenticate() for this POSTed value."""
    return _login_username_field().to_python(posted)


def _key(kind: str, value: str) -> str:
    # Keyed hash: the value may be a password typed into the wrong box.
    return f"{kind}:{salted_hmac(SALT, value, algorithm='sha256').hexdigest()}"


def username_key(username: str) -> str:
    """The count key of the account this username logs into (NFKC, then case-folded)."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())
    return _key("user", folded)


def _limits(request: HttpRequest | None, username: str | None) -> dict[str, int]:
    limits = {}
    if username:
        limits[username_key(username)] = settings.LOGIN_THROTTLE_USER_LIMIT
    if request is not None:
        limits[_key("ip", client_ip(request))] = settings.LOGIN_THROTTLE_IP_LIMIT
    return limits


def record_failure(request: HttpRequest | None, username: str | None) -> None:
    """Count one failed login for this username and this client."""
    window = timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)
    LoginFailureCount.objects.record(list(_limits(request, username)), window)
    LoginFailureCount.objects.prune()


def retry_after(request: HttpRequest, username: str | None) -> int:
    """Seconds until this client may try again for this username; 0 when not throttled."""
    now = timezone.now()
    until = LoginFailureCount.objects.blocked_until(_limits(request, username), now)
    if until is None:
        return 0
    return max(1, math.ceil((until - now).total_seconds()))


def reset_user(username: str) -> None:
    """Forget the failures counted for this username."""
    LoginFailureCount.objects.forget(username_key(username))


@receiver(user_login_failed, dispatch_uid="quizzes.throttle.failed")
def _on_login_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs):
    # credentials hold the username exactly as authenticate() received it: already cleaned
    # by the login form on the site and admin login pages.
    record_failure(request, credentials.get("username"))


@receiver(user_logged_in, dispatch_uid="quizzes.throttle.logged_in")
def _on_logged_in(sender, request: HttpRequest | None, user, **kwargs):
    reset_user(user.get_username())


def login_paths() -> set[str]:
    """The URLs that take a password: the site's login and the admin's."""
    paths = set()
    for name in ("login", "admin:login"):
        with contextlib.suppress(NoReverseMatch):  # the admin may be switched off
            paths.add(reverse(name))
    return paths


class LoginThrottleMiddleware:
    """Answer 429 to login POSTs from a client or for a username over the failure limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path_info in login_paths():
            posted = request.POST.get("username")
            wait = retry_after(request, login_username(posted) if posted else None)
            if wait:
                return throttled_response(request, wait)
        return self.get_response(request)


def throttled_response(request: HttpRequest, wait: int) -> HttpResponse:
    """A 429 page that says what happened and when to try again."""
    minutes = max(1, math.ceil(wait / 60))
    message = ngettext(
        "Too many failed login attempts. For your account's safety, logging in is paused: "
        "try again in %(minutes)d minute.",
        "Too many failed login attempts. For your account's safety, logging in is paused: "
        "try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(wait)
    return response
