"""The Nu Html Checker (vnu.jar), run once over many pages: a JVM start costs seconds."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

PROJECT = Path(__file__).resolve().parents[2]
INSTALL = "The Nu Html Checker is not installed: run `make nu-checker` (CONTRIBUTING.md)."


def nu_jar() -> Path | None:
    """vnu.jar as `make nu-checker` installed it (or where VNU_JAR says), if it is there."""
    if os.environ.get("VNU_JAR"):
        jar = Path(os.environ["VNU_JAR"])
        return jar if jar.is_file() else None
    found = sorted(PROJECT.glob(".tools/vnu-*/node_modules/vnu-jar/build/dist/vnu.jar"))
    return found[-1] if found else None


def problem(message: dict) -> str | None:
    """An error or a warning as "line N: text"; None for what is only information."""
    kind = message.get("type")
    if kind == "info" and message.get("subType") != "warning":
        return None
    label = "warning" if kind == "info" else kind
    return f"line {message.get('lastLine', '?')}: {label}: {message.get('message', '')}"


def check(documents: list[str], folder: Path) -> list[list[str]]:
    """The checker's errors and warnings for each HTML document, in order, from one run."""
    jar = nu_jar()
    if jar is None:
        raise RuntimeError(INSTALL)
    files = []
    for number, html in enumerate(documents):
        path = folder / f"page-{number:03}.html"
        path.write_text(html, encoding="utf-8")
        files.append(path)
    done = subprocess.run(  # noqa: S603 - our own jar and files
        [os.environ.get("JAVA", "java"), "-jar", str(jar), "--format", "json", "--stdout"]
        + [str(path) for path in files],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError as error:
        raise RuntimeError(f"the Nu Html Checker failed:\n{done.stdout}\n{done.stderr}") from error
    found: dict[str, list[str]] = {path.name: [] for path in files}
    for message in report["messages"]:
        text = problem(message)
        if text is not None:
            # "file:/tmp/…/page-007.html"; a message about no file at all is everyone's.
            name = unquote(urlsplit(message.get("url", "")).path).rpartition("/")[2]
            for key in [name] if name in found else found:
                found[key].append(text)
    return [found[path.name] for path in files]
