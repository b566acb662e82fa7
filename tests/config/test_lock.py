"""uv.lock: what the production image installs from it, and the uv that reads it."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_TOOLS = {"pytest", "pytest-django", "hypothesis", "playwright", "ruff", "py-spy"}


def load_lock() -> dict:
    return tomllib.loads((ROOT / "uv.lock").read_text())


def production_packages(lock: dict) -> list[dict]:
    """Every locked package the app needs to run: its dependencies, no extras, transitively."""
    by_name: dict[str, list[dict]] = {}
    for package in lock["package"]:
        by_name.setdefault(package["name"], []).append(package)
    (app,) = by_name["coursedeck"]
    wanted = list(app.get("dependencies", []))
    seen: dict[tuple[str, str], dict] = {}
    while wanted:
        dependency = wanted.pop()
        for package in by_name[dependency["name"]]:
            if "version" in dependency and package["version"] != dependency["version"]:
                continue
            extras = package.get("optional-dependencies", {})
            for extra in dependency.get("extra", []):
                wanted.extend(extras[extra])
            key = (package["name"], package["version"])
            if key not in seen:
                seen[key] = package
                wanted.extend(package.get("dependencies", []))
    return list(seen.values())


def test_production_set_has_no_test_or_dev_tools():
    """The image installs the app's own dependencies only: no pytest, Playwright, ruff."""
    names = {package["name"] for package in production_packages(load_lock())}
    assert "django" in names
    assert "psycopg-binary" in names
    assert not names & TEST_TOOLS


def test_every_production_package_can_be_hash_checked():
    """The image's `pip wheel --require-hashes` finds a sha256 for every file it may fetch."""
    unhashed = []
    for package in production_packages(load_lock()):
        files = [package.get("sdist"), *package.get("wheels", [])]
        hashes = [file.get("hash", "") for file in files if file is not None]
        # A git or path source has no files at all: pip could not check it either.
        if not hashes or not all(digest.startswith("sha256:") for digest in hashes):
            unhashed.append(f"{package['name']} {package.get('version')}")
    assert unhashed == []


def test_dockerfile_reads_the_lock_with_the_makefiles_uv():
    """The image's uv is the version `make` uses, so both read the lock the same way."""
    makefile = re.search(r"^UV_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.M)
    dockerfile = re.search(r"^ARG UV_VERSION=(\S+)$", (ROOT / "Dockerfile").read_text(), re.M)
    assert makefile is not None
    assert dockerfile is not None
    assert dockerfile.group(1) == makefile.group(1)
