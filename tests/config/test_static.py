"""Production static files: hashed names, compressed copies, cached for ever."""

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client


@pytest.fixture
def collected(settings, tmp_path):
    """collectstatic into a temporary STATIC_ROOT with the production storage."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--noinput", verbosity=0)
    return settings.STATIC_ROOT


def test_hashed_static_files_are_cached_immutably(collected):
    """A hashed URL is served with a year-long, immutable Cache-Control."""
    url = staticfiles_storage.url("css/site.css")
    assert url != "/static/css/site.css"  # the name carries the content hash
    response = Client().get(url)
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=315360000" in response.headers["Cache-Control"]


def test_static_files_are_served_compressed(collected):
    """Clients that accept gzip get the precompressed copy."""
    url = staticfiles_storage.url("css/site.css")
    response = Client().get(url, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert (collected / url.removeprefix("/static/")).with_suffix(".css.gz").exists()


def test_favicon_ico_is_served_at_the_site_root(client):
    """/favicon.ico (asked for by browsers and crawlers without reading the page) is an icon."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x01\x00")  # ICO header


def test_pages_link_both_icons(client, db):
    """Pages name the .ico and the SVG icon, so every browser finds one."""
    html = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in html
    assert 'favicon.svg" type="image/svg+xml">' in html
