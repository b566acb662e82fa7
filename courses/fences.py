"""Which fence info strings are code languages (highlighted by Pygments)."""

from functools import cache

from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

# Plain fences that are not a Pygments alias but are still ordinary code blocks.
PLAIN_LANGUAGES = {"text", "txt", "plain", "plaintext", "output", "console-output"}


@cache
def is_known_language(name: str) -> bool:
    """True when `name` is a Pygments lexer alias (or a plain-text marker)."""
    if name in PLAIN_LANGUAGES:
        return True
    try:
        get_lexer_by_name(name)
    except ClassNotFound:
        return False
    return True
