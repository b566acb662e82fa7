"""Login throttling against password guessing.

Failed logins are counted in the cache (per username and per client IP) from Django's
`user_login_failed` signal, so every way in that calls `authenticate()` counts, the admin's
login included. The middleware refuses POSTs to the login pages with 429 once a count reaches
its limit, until the window that started with the first failure ends. A successful login
clears its username's count; the IP count is left to expire, so an attacker cannot reset it
by logging into an account of their own between guesses.

Counts live in the default cache: with several app servers, set REDIS_URL so they share it.
The receivers are connected when this module is imported, which loading the middleware does.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

PREFIX = "login-throttle"


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


def _key(kind: str, value: str) -> str:
    # Hashed: usernames are user input and cache keys must stay short and safe.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"{PREFIX}:{kind}:{digest}"


def _keys(request: HttpRequest | None, username: str | None) -> list[tuple[str, int]]:
    keys = []
    if username:
        keys.append((_key("user", username), settings.LOGIN_THROTTLE_USER_LIMIT))
    if request is not None:
        keys.append((_key("ip", client_ip(request)), settings.LOGIN_THROTTLE_IP_LIMIT))
    return keys


def record_failure(request: HttpRequest | None, username: str | None) -> None:
    """Count one failed login for this username and this client."""
    window = settings.LOGIN_THROTTLE_WINDOW
    now = time.time()
    for key, _limit in _keys(request, username):
        # add() only sets a missing key, so the window starts at the first failure.
        cache.add(f"{key}:until", now + window, timeout=window)
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window)


def retry_after(request: HttpRequest, username: str | None) -> int:
    """Seconds until this client may try again for this username; 0 when not throttled."""
    now = time.time()
    wait = 0.0
    for key, limit in _keys(request, username):
        if (cache.get(key) or 0) >= limit:
            until = cache.get(f"{key}:until") or now + settings.LOGIN_THROTTLE_WINDOW
            wait = max(wait, until - now, 1)
    return math.ceil(wait)


def reset_user(username: str) -> None:
    """Forget the failures counted for this username."""
    key = _key("user", username)
    cache.delete_many([key, f"{key}:until"])


@receiver(user_login_failed, dispatch_uid="config.throttle.failed")
def _on_login_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs):
    record_failure(request, credentials.get("username"))


@receiver(user_logged_in, dispatch_uid="config.throttle.logged_in")
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
            wait = retry_after(request, request.POST.get("username"))
            if wait:
                return throttled_response(request, wait)
        return self.get_response(request)


def throttled_response(request: HttpRequest, wait: int) -> HttpResponse:
    """A 429 page that says what happened and when to try again."""
    minutes = max(1, math.ceil(wait / 60))
    unit = "minute" if minutes == 1 else "minutes"
    message = (
        "Too many failed login attempts. For your account's safety, logging in is paused: "
        f"try again in {minutes} {unit}."
    )
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(wait)
    return response
