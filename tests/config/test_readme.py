"""The README works as written on a fresh clone: its commands need no DEBUG and no SECRET_KEY."""

import os
import re
import subprocess

import pytest

from tests.config.helpers import DROPPED, PROJECT, production_env, run_manage, run_python

README = (PROJECT / "README.md").read_text(encoding="utf-8")
# Every `manage.py <command>` the README names, and every `make <target> [VAR=value]`.
MANAGE_COMMANDS = sorted(set(re.findall(r"manage\.py ([a-z_]+)", README)))
MAKE_COMMANDS = sorted(
    {span for span in re.findall(r"`([^`\n]+)`", README) if span.startswith("make ")}
    | set(re.findall(r"^(make [^#\n]*?)\s*(?:#.*)?$", README, flags=re.MULTILINE))
)
in_a_checkout = pytest.mark.skipif(
    not (PROJECT / ".git").exists(), reason="manage.py's development default needs a git checkout"
)


def fresh_clone_env(tmp_path) -> dict[str, str]:
    """The environment of someone who just cloned the project (the database kept in tmp_path)."""
    env = {key: value for key, value in os.environ.items() if key not in DROPPED}
    env.pop("DJANGO_ENV", None)
    return {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}


def test_the_readme_names_its_commands():
    """The lists below are read from the README (so a new command is checked too)."""
    assert {"createsuperuser", "load_content"} <= set(MANAGE_COMMANDS)
    assert {"make run", "make run PORT=8001", "make test"} <= set(MAKE_COMMANDS)


@in_a_checkout
@pytest.mark.parametrize("command", MANAGE_COMMANDS)
def test_each_manage_py_command_starts_without_any_environment(tmp_path, command):
    """`manage.py <command> --help` works with no DEBUG and no SECRET_KEY set."""
    result = run_manage(command, "--help", env=fresh_clone_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert f"usage: manage.py {command}" in result.stdout


@in_a_checkout
def test_load_content_check_runs_as_written(tmp_path):
    """`manage.py load_content --check` in a fresh clone: no `migrate` first, no alarm."""
    result = run_manage("load_content", "--check", env=fresh_clone_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("manage.py: set up the development database (")
    assert "SECRET_KEY" not in result.stderr


@in_a_checkout
def test_createsuperuser_runs_as_written(tmp_path):
    """`manage.py createsuperuser` creates an admin in a fresh clone (non-interactively here)."""
    env = {**fresh_clone_env(tmp_path), "DJANGO_SUPERUSER_PASSWORD": "a long passphrase 42"}
    args = ("createsuperuser", "--noinput", "--username", "admin", "--email", "a@example.org")
    result = run_manage(*args, env=env)
    assert result.returncode == 0, result.stderr
    assert "Superuser created successfully." in result.stdout


@in_a_checkout
def test_a_development_database_up_to_date_is_left_alone_quietly(tmp_path):
    """The set-up happens once; later commands print nothing on stderr."""
    env = fresh_clone_env(tmp_path)
    assert run_manage("migrate", "--noinput", env=env).returncode == 0
    result = run_manage("load_content", "--check", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("command", MAKE_COMMANDS)
def test_each_make_command_exists(command):
    """Every `make …` in the README is a target make knows (dry run: nothing is executed)."""
    result = subprocess.run(  # noqa: S603 - fixed arguments from our README
        ["make", "--dry-run", *command.split()[1:]],  # noqa: S607 - make from PATH
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_a_server_without_a_key_still_refuses_to_start():
    """gunicorn's way in (config/wsgi.py) fails without SECRET_KEY, in a checkout or not."""
    env = production_env()
    del env["SECRET_KEY"]
    result = run_python("import config.wsgi", env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_manage_py_refuses_without_a_key_when_told_it_is_production(tmp_path):
    """DJANGO_ENV=production: manage.py needs SECRET_KEY like the app server does."""
    env = {**fresh_clone_env(tmp_path), "DJANGO_ENV": "production"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_manage_py_with_a_key_is_not_switched_to_development(tmp_path):
    """SECRET_KEY set and DEBUG unset: production settings, no development notice."""
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "development settings" not in result.stderr
