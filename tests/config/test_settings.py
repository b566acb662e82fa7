"""config/settings.py read from the environment, in fresh processes."""

import json

from django.conf import settings

from config.code_stamp import code_stamp
from tests.config.helpers import production_env, run_manage, run_python

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from django.urls import reverse
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": settings.DATABASES["default"]["NAME"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_prefix": settings.CACHES["default"].get("KEY_PREFIX", ""),
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "csrf_trusted_origins": settings.CSRF_TRUSTED_ORIGINS,
    "admin": reverse("admin:index"),
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def read_settings(**env: str) -> dict:
    result = run_python(PRINT_SETTINGS, production_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_missing_secret_key_in_production_is_a_clear_error():
    """DEBUG unset and no SECRET_KEY: start-up fails with ImproperlyConfigured that says why."""
    env = production_env()
    del env["SECRET_KEY"]
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_set():
    """No DEBUG in the environment means production behaviour."""
    assert read_settings()["debug"] is False


def test_debug_runs_without_secret_key():
    """DEBUG=1 needs no environment at all."""
    env = production_env(DEBUG="1")
    del env["SECRET_KEY"]
    result = run_python(PRINT_SETTINGS, env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["debug"] is True


def test_hosts_and_origins_come_from_the_environment():
    """ALLOWED_HOSTS and CSRF_TRUSTED_ORIGINS are comma-separated lists."""
    values = read_settings(
        ALLOWED_HOSTS="a.example.org, b.example.org",
        CSRF_TRUSTED_ORIGINS="https://a.example.org,https://b.example.org",
    )
    assert values["allowed_hosts"] == ["a.example.org", "b.example.org"]
    assert values["csrf_trusted_origins"] == ["https://a.example.org", "https://b.example.org"]


def test_database_url_selects_postgresql():
    """DATABASE_URL picks the engine and database."""
    values = read_settings(DATABASE_URL="postgres://u:p@db.internal:5432/courses")
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "courses"


def test_default_database_is_sqlite_in_the_project():
    """Without DATABASE_URL, a SQLite file in the project."""
    env = production_env()
    env.pop("DATABASE_URL", None)
    result = run_python(PRINT_SETTINGS, env)
    values = json.loads(result.stdout)
    assert values["engine"] == "config.sqlite_backend"  # Django's, see config/sqlite_backend
    assert values["name"].endswith("db.sqlite3")


def test_redis_url_selects_djangos_redis_cache():
    """REDIS_URL switches the cache to Django's own Redis backend."""
    values = read_settings(REDIS_URL="redis://127.0.0.1:6379/0")
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["cache_prefix"] == code_stamp(settings.BASE_DIR)


def test_each_release_reads_only_its_own_kept_values(tmp_path):
    """The shared cache's key prefix changes with any change to the code, and only then:
    a shell pickled by the last release is never unpickled by this one."""
    (tmp_path / "courses").mkdir()
    (tmp_path / "courses" / "assembly.py").write_text("class Shell: pass\n")
    before = code_stamp(tmp_path)
    assert code_stamp(tmp_path) == before
    (tmp_path / "courses" / "notes.txt").write_text("not code")
    assert code_stamp(tmp_path) == before
    (tmp_path / "courses" / "assembly.py").write_text("class Shell:\n    body = b''\n")
    assert code_stamp(tmp_path) != before


def test_admin_url_is_configurable():
    """ADMIN_URL moves the admin."""
    assert read_settings(ADMIN_URL="staff-only")["admin"] == "/staff-only/"
    assert read_settings()["admin"] == "/admin/"


def test_production_serves_hashed_compressed_static_files():
    """DEBUG off uses whitenoise's manifest storage."""
    assert read_settings()["staticfiles"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_check_deploy_is_clean_under_production_settings():
    """manage.py check --deploy reports nothing, not even a warning."""
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
