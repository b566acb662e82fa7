"""When manage.py falls back to development settings (config/checkout.py), and when not."""

import pytest

from config.checkout import use_development_defaults


@pytest.fixture
def checkout(tmp_path):
    (tmp_path / ".git").mkdir()
    return tmp_path


def test_a_checkout_without_environment_gets_debug(checkout):
    """No SECRET_KEY, no DEBUG, a .git: DEBUG=1."""
    environ = {}
    assert use_development_defaults(environ, checkout) is True
    assert environ == {"DEBUG": "1"}


@pytest.mark.parametrize(
    "environ",
    [
        {"SECRET_KEY": "x" * 50},
        {"DEBUG": "0"},
        {"DJANGO_ENV": "production"},
        {"DJANGO_ENV": "Production "},
        {"DJANGO_SETTINGS_MODULE": "config.test_settings"},
    ],
)
def test_anything_saying_otherwise_keeps_the_environment(checkout, environ):
    """A key, an explicit DEBUG, DJANGO_ENV=production or other settings: nothing changes."""
    before = dict(environ)
    assert use_development_defaults(environ, checkout) is False
    assert environ == before


def test_no_checkout_means_no_default(tmp_path):
    """Without .git (an image, an unpacked release) manage.py behaves like the app server."""
    environ = {}
    assert use_development_defaults(environ, tmp_path) is False
    assert environ == {}


def test_django_env_development_works_without_a_checkout(tmp_path):
    """DJANGO_ENV=development asks for the default where there is no .git."""
    environ = {"DJANGO_ENV": "development"}
    assert use_development_defaults(environ, tmp_path) is True
    assert environ["DEBUG"] == "1"
