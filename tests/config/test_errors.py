"""Malformed requests to any form get a clear 4xx, never a 500: test client and a real server."""

import http.client
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import Topic
from quizzes.models import Question

pytestmark = pytest.mark.django_db

URLENCODED = "application/x-www-form-urlencoded"
FORM = b"username=ada&password=secret&nonce=0123456789abcdef&version=x&choice=y"
# (content type, body): bodies Django cannot parse, each a 500 before the fix.
UNREADABLE = [
    (f"{URLENCODED}; charset=utf-16", FORM),
    (f"{URLENCODED}; charset=UTF-32", FORM),
    (f"{URLENCODED}; charset=latin-1", b"username=\xe9"),
    ("multipart/form-data", b"--x\r\nContent-Disposition: form-data\r\n\r\n"),
    ("multipart/form-data; boundary=", b"--\r\n"),
    ("multipart/form-data; boundary=\x00\xff", b"anything"),
]


@pytest.fixture
def form_urls(seed_course) -> list[str]:
    """Every form a visitor can post: login, signup, answer, mark as read, admin login."""
    return [
        reverse("login"),
        reverse("signup"),
        reverse("quizzes:answer", args=[Question.objects.first().pk]),
        reverse("quizzes:mark-read", args=[Topic.objects.first().pk]),
        reverse("admin:login"),
    ]


def csrf_client() -> tuple[Client, str]:
    """A client that enforces CSRF like production, holding a valid token."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(reverse("login"))
    return client, client.cookies["csrftoken"].value


@pytest.mark.parametrize(("content_type", "body"), UNREADABLE)
def test_an_unreadable_body_is_a_400_on_every_form(form_urls, content_type, body):
    """An unknown or non-UTF-8 form encoding or broken multipart: 400 and a clear page."""
    client, token = csrf_client()
    for url in form_urls:
        response = client.generic(
            "POST", url, body, content_type=content_type, headers={"X-CSRFToken": token}
        )
        assert response.status_code == 400, url
        assert "could not be read" in response.content.decode(), url


def test_htmx_gets_the_message_as_a_fragment(form_urls):
    """htmx swaps 4xx answers in: it gets the alert alone, not a whole page."""
    client, token = csrf_client()
    response = client.generic(
        "POST",
        form_urls[2],
        FORM,
        content_type=f"{URLENCODED}; charset=utf-16",
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert response.status_code == 400
    assert response.content.decode().startswith('<p class="feedback error" role="alert">')


def test_a_body_over_the_upload_limit_is_a_413(form_urls, settings):
    """Django's DATA_UPLOAD_MAX_MEMORY_SIZE refusal is a 413 with a message, not a 500."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client, token = csrf_client()
    body = b"username=" + b"a" * 2000
    response = client.generic(
        "POST", form_urls[0], body, content_type=URLENCODED, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()


def test_too_many_fields_is_a_400(form_urls, settings):
    """Django's DATA_UPLOAD_MAX_NUMBER_FIELDS refusal is a 400, not a 500."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client, token = csrf_client()
    body = "&".join(f"f{i}=1" for i in range(20)).encode()
    response = client.generic(
        "POST", form_urls[2], body, content_type=URLENCODED, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 400


def test_a_malformed_content_length_is_a_400(form_urls):
    """A Content-Length that is not a number is refused before any view reads it."""
    client, token = csrf_client()
    response = client.generic(
        "POST",
        form_urls[2],
        FORM,
        content_type=URLENCODED,
        headers={"X-CSRFToken": token},
        CONTENT_LENGTH="12abc",
    )
    assert response.status_code == 400


def test_an_error_before_the_body_is_read_is_still_a_400(form_urls, settings):
    """A bad Host refused by the HTTPS redirect: the 400 page does not read the broken body."""
    settings.SECURE_SSL_REDIRECT = True  # read when the client builds its handler
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = token = "a" * 32
    response = client.generic(
        "POST",
        form_urls[0],
        FORM,
        content_type=f"{URLENCODED}; charset=utf-16",
        headers={"Host": "attacker.example", "X-CSRFToken": token},
    )
    assert response.status_code == 400


def test_a_readable_odd_body_still_reaches_the_form(form_urls):
    """Invalid UTF-8 bytes in a normal form are the form's business: a 4xx with its message."""
    client, token = csrf_client()
    response = client.generic(
        "POST",
        form_urls[0],
        b"username=\xff\xfe&password=x",
        content_type=URLENCODED,
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200  # the login form again, with its error
    assert "Please enter a correct username and password" in response.content.decode()


def post_to_live_server(url: str, content_type: str, body: bytes) -> int:
    """POST through a real HTTP server, where an exception in the error path is a 500."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("POST", parts.path, body, {"Content-Type": content_type})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("content_type", "body"), UNREADABLE[:4])
def test_a_real_server_answers_400_not_500(live_server, form_urls, content_type, body):
    """The same requests over HTTP: a 500 cannot hide behind the test client."""
    for url in form_urls:
        assert post_to_live_server(live_server.url + url, content_type, body) == 400, url


CHARSETS = st.sampled_from(
    ["", "utf-8", "utf-16", "utf-16-le", "utf-32", "latin-1", "ascii", "cp1252", "nope", "é"]
)
# No NUL: HTTP forbids it in header values (RFC 9110 5.5) and gunicorn answers 400 itself. Under
# the test client it makes Django's WSGIRequest raise ValueError (codecs.lookup) before any
# middleware runs, which no app code can catch.
CONTENT_TYPES = st.one_of(
    st.builds(
        lambda base, charset, boundary: f"{base}; charset={charset}; boundary={boundary}",
        st.sampled_from([URLENCODED, "multipart/form-data", "text/plain", "application/json"]),
        CHARSETS,
        st.text(max_size=12),
    ),
    st.text(max_size=40),
).filter(lambda value: "\x00" not in value)
FIELDS = ["username", "password", "password1", "password2", "next", "nonce", "version", "choice"]
# Well-formed forms with odd values (NUL, surrogates, long text) reach the views themselves.
FORMS = st.builds(
    lambda pairs: urlencode(pairs).encode("utf-8", "surrogatepass"),
    st.lists(
        st.tuples(
            st.sampled_from(FIELDS),
            st.one_of(st.text(max_size=30), st.just("0123456789abcdef"), st.just("\x00")),
        ),
        max_size=8,
    ),
)
BODIES = st.one_of(
    FORMS,
    st.binary(max_size=300),
    st.builds(
        lambda name, value: (
            b"--b\r\nContent-Disposition: form-data; name="
            + name
            + b"\r\n\r\n"
            + value
            + b"\r\n--b--\r\n"
        ),
        st.binary(max_size=20),
        st.binary(max_size=40),
    ),
    st.builds(lambda text: text.encode("utf-8", "surrogatepass"), st.text(max_size=200)),
)


@given(
    url_index=st.integers(0, 4),
    content_type=CONTENT_TYPES,
    body=BODIES,
    htmx=st.booleans(),
    token=st.sampled_from(["valid", "none", "garbage"]),
)
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_fuzzed_posts_never_answer_500(form_urls, url_index, content_type, body, htmx, token):
    """Random content types, charsets, bodies and headers on every form: always below 500."""
    client, valid = csrf_client()
    headers = {"HX-Request": "true"} if htmx else {}
    if token != "none":
        headers["X-CSRFToken"] = valid if token == "valid" else "x" * 32
    response = client.generic(
        "POST", form_urls[url_index], body, content_type=content_type, headers=headers
    )
    assert response.status_code < 500
