"""CSRF tokens exactly as Django makes them, drawn with two reads of the OS random source.

Django's `get_token` draws its secret and its mask one character at a time (`secrets.choice`:
64 reads of the random source per token), a tenth of an assembled page's time (bench/
inprocess.py). Here each 32-character string comes from one `os.urandom` read mapped onto the
same 62 characters without bias: bytes from 248 (= 4 x 62) up are dropped, so every character
is equally likely. Alphabet, length, masking and cookie handling are Django's own, and Django's
CsrfViewMiddleware checks the tokens (tests/config/test_csrf_tokens.py).
"""

from __future__ import annotations

import os

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_BASE = len(CSRF_ALLOWED_CHARS)
_UNBIASED = 256 - 256 % _BASE
_TO_CHAR = "".join(CSRF_ALLOWED_CHARS[b % _BASE] for b in range(256)).encode()
_BIASED_BYTES = bytes(range(_UNBIASED, 256))
_INDEX = {char: i for i, char in enumerate(CSRF_ALLOWED_CHARS)}


def random_chars(length: int = CSRF_SECRET_LENGTH) -> str:
    """`length` characters of CSRF_ALLOWED_CHARS, each uniformly random (os.urandom)."""
    drawn = b""
    while len(drawn) < length:
        # A few spare bytes: about 3% are dropped, so one read nearly always suffices.
        drawn += os.urandom(length + 8).translate(_TO_CHAR, _BIASED_BYTES)
    return drawn[:length].decode()


def mask(secret: str) -> str:
    """The secret masked as Django masks it: a fresh mask, then secret + mask per character."""
    key = random_chars(len(secret))
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(_INDEX[s] + _INDEX[k]) % _BASE]
        for s, k in zip(secret, key, strict=True)
    )
    return key + cipher


def get_token(request: HttpRequest) -> str:
    """`django.middleware.csrf.get_token`: a masked token of the request's secret (a new one
    when the browser has none, sent as a cookie by CsrfViewMiddleware)."""
    meta = request.META
    if "CSRF_COOKIE" not in meta:
        meta["CSRF_COOKIE"] = random_chars()
    # As Django does: the cookie is (re)sent, which also renews its expiry.
    meta["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return mask(meta["CSRF_COOKIE"])
