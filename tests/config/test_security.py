"""Security headers on every page: CSP, nosniff, referrer policy, framing."""

import json
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic_response(client, seed_course):
    return client.get(reverse("courses:topic", args=["containers", "images", "base-images"]))


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_pages_carry_a_content_security_policy(topic_response):
    """default-src, script-src and style-src are 'self' only."""
    directives = csp_directives(topic_response.headers["Content-Security-Policy"])
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]


def test_csp_allows_no_inline_script_or_style(topic_response):
    """Neither 'unsafe-inline' nor 'unsafe-eval' anywhere in the policy."""
    header = topic_response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header


def test_pages_carry_security_headers(topic_response):
    """nosniff, a same-origin referrer policy, and no framing."""
    assert topic_response.headers["X-Content-Type-Options"] == "nosniff"
    assert topic_response.headers["Referrer-Policy"] == "same-origin"
    assert topic_response.headers["X-Frame-Options"] == "DENY"


def test_htmx_indicator_styles_are_not_injected_inline(topic_response):
    """htmx is told not to add its inline <style>, which the CSP would block."""
    match = re.search(rb'<meta name="htmx-config" content=\'([^\']*)\'>', topic_response.content)
    assert match is not None
    assert json.loads(match.group(1))["includeIndicatorStyles"] is False


def test_pages_have_no_inline_scripts_or_style_attributes(topic_response):
    """The policy would block them, so the markup must not rely on them."""
    html = topic_response.content.decode()
    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html


def test_https_redirect_spares_the_health_probes(client, settings):
    """Probes over plain HTTP get answers; pages get redirected to HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/").status_code == 301


def test_secure_cookies_and_hsts_over_https(client, settings, seed_course):
    """Production settings: HSTS on HTTPS responses, cookies marked Secure."""
    response = client.get("/", secure=True)
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
