"""Who a browser is before it has an account: an opaque identifier in a signed cookie.

Every visitor gets a random key at their first page view, in a cookie signed with the server's
secret, so the client can neither choose nor forge one. Once they answer, the cookie also names
their learner row; pages then read the learner's id from the cookie instead of the database or
the session. Fixing the key before the first answer makes the learner row idempotent: answers
sent in parallel from two tabs all find (or create) the learner with that key.

Nothing a client can see or choose decides the choice order: it is ranked by a MAC under the
server's secret (see `order_key`), never by a value from the cookie itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare

COOKIE = "cd_visitor"
SALT = "coursedeck.visitor"
MAX_AGE = 365 * 24 * 3600


@dataclass
class Visitor:
    """The browser's identity: a random key, and its learner's id once it has answered."""

    key: str
    learner_id: int | None = None
    changed: bool = False  # the cookie must be (re)issued with this response

    @cached_property
    def seed(self) -> str:
        """The order seed of this visitor's future learner: secret, derived from the key."""
        return salted_mac("coursedeck.visitor-seed", self.key).hex()[:32]

    def attach(self, learner_id: int | None) -> None:
        """Name (or forget) the learner this browser answers as."""
        if learner_id != self.learner_id:
            self.learner_id, self.changed = learner_id, True


def new_visitor() -> Visitor:
    return Visitor(key=secrets.token_urlsafe(18), changed=True)


def cookie_value(found: Visitor) -> str:
    """The signed cookie that names this visitor (and its learner, once there is one)."""
    learner = "" if found.learner_id is None else str(found.learner_id)
    payload = f"{found.key}.{learner}"
    return f"{payload}:{signature(payload, settings.SECRET_KEY)}"


def parse_cookie(value: str | None) -> Visitor | None:
    """The visitor a cookie names, or None when it is missing, tampered with or malformed."""
    if not value:
        return None
    payload, sep, given = value.rpartition(":")
    if not sep or not any(
        constant_time_compare(given, signature(payload, secret))
        for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)
    ):
        return None
    key, _, learner = payload.partition(".")
    if not key or (learner and not learner.isdigit()):
        return None
    return Visitor(key=key, learner_id=int(learner) if learner else None)


def visitor(request: HttpRequest) -> Visitor:
    """This request's visitor, read from its cookie or created now (kept on the request)."""
    found = getattr(request, "_visitor", None)
    if found is None:
        found = parse_cookie(request.COOKIES.get(COOKIE)) or new_visitor()
        request._visitor = found
    return found


def reset_visitor(request: HttpRequest) -> Visitor:
    """Start a new identity (on login and logout), so a shared browser never carries one over."""
    request._visitor = new_visitor()
    return request._visitor


def order_key(seed: str, question_id: int) -> bytes:
    """The secret that orders one learner's choices of one question (a MAC, never sent out):
    keyed BLAKE2b under a key derived from SECRET_KEY, cheaper than an HMAC per question."""
    key = _salted_key("coursedeck.choice-order", settings.SECRET_KEY)
    return hashlib.blake2b(f"{seed}:{question_id}".encode(), key=key, digest_size=32).digest()


def salted_mac(salt: str, value: str) -> bytes:
    """`django.utils.crypto.salted_hmac(salt, value).digest()`, the same bytes, with the
    key it derives from the salt and SECRET_KEY kept: a page view computes one per question."""
    return hmac.digest(_salted_key(salt, settings.SECRET_KEY), value.encode(), "sha1")


def signature(payload: str, secret: str) -> str:
    """`django.core.signing.Signer(salt=SALT).signature(payload, secret)`, the same text,
    with the key it derives kept: every page view reads the cookie, a first one signs it."""
    digest = hmac.digest(_salted_key(SALT + "signer", secret, "sha256"), payload.encode(), "sha256")
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@lru_cache(maxsize=16)
def _salted_key(salt: str, secret: str, algorithm: str = "sha1") -> bytes:
    # HMAC key derivation as Django's salted_hmac (sha1 is its default there).
    return hashlib.new(algorithm, (salt + secret).encode()).digest()


class VisitorMiddleware:
    """Issue the visitor cookie whenever the identity was created or changed by the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        found = getattr(request, "_visitor", None)
        if found is not None and found.changed:
            response.set_cookie(
                COOKIE,
                cookie_value(found),
                max_age=MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
