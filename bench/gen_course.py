"""Write a large course (or several) shaped like the seed topic (content/containers/02-images/).

Each topic is ~9 KB of Markdown: prose, a ```spectrum fence, Dockerfile and shell code blocks,
lists, a table and a five-question Knowledge Check. Text varies per topic so every file has its
own content hash (as real topics would).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

SEED = (
    Path(__file__).resolve().parent.parent
    / "content"
    / "containers"
    / "02-images"
    / "12-base-images.md"
)
KEEP = ["Full vs Slim"]
EXTRA_QUESTION = """
### Which base is the sane default for most services?
<!-- id: sane-default -->

- [ ] A full distro base, because every debugging tool is already installed and ready
  It works, but you ship and patch far more than the service uses.
- [x] A pinned official -slim base: glibc and a package manager at a fraction of the size
- [ ] scratch, because an empty image is always the safest possible choice for any app
  Only a static binary can run on scratch.

Slim keeps what most apps and debugging need, without the docs and locales.
"""


def seed_parts() -> tuple[str, dict[str, str], str]:
    """The seed's intro (with the spectrum fence), its sections by title, its questions."""
    text = SEED.read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    body, questions = body.split("## Knowledge Check\n", 1)
    chunks = re.split(r"^## ", body, flags=re.MULTILINE)
    intro = chunks[0]
    sections = {}
    for chunk in chunks[1:]:
        title, _, rest = chunk.partition("\n")
        sections[title.strip()] = rest
    return intro, sections, questions.strip() + "\n" + EXTRA_QUESTION


def topic_text(number: int, chapter: int, parts: tuple[str, dict[str, str], str]) -> str:
    intro, sections, questions = parts
    note = (
        f"This is topic {number} of chapter {chapter}; the same trade-offs apply to image "
        f"number {number}, built for service {number * 7 % 101}.\n\n"
    )
    out = [
        "---",
        f"number: {number}",
        f"title: Base Images, part {number}",
        f"slug: base-images-{number}",
        f"summary: Base-image trade-offs, variation {number}, size and surface against "
        "debuggability.",
        "minutes: 9",
        "---",
        "",
        note + intro.strip(),
        "",
    ]
    for title in KEEP:
        out += [f"## {title} ({number})", "", sections[title].strip(), ""]
    out += ["## Knowledge Check", "", questions.strip(), ""]
    return "\n".join(out)


def generate(root: Path, chapters: int, topics: int, slug: str = "containers") -> int:
    """Write course.md, `chapters` chapter folders with `topics` topics each; return the count."""
    parts = seed_parts()
    root.mkdir(parents=True, exist_ok=True)
    (root / "course.md").write_text(
        f"---\ntitle: Containers at Scale ({slug})\nslug: {slug}\n---\n\n"
        "A generated benchmark course.\n",
        encoding="utf-8",
    )
    n = 0
    for c in range(1, chapters + 1):
        folder = root / f"{c:03d}-chapter-{c}"
        folder.mkdir(exist_ok=True)
        (folder / "chapter.md").write_text(
            f"---\nnumber: {c}\ntitle: Chapter {c}\n---\n\nGenerated chapter {c}.\n",
            encoding="utf-8",
        )
        for _ in range(topics):
            n += 1
            (folder / f"{n:04d}-base-images-{n}.md").write_text(
                topic_text(n, c, parts), encoding="utf-8"
            )
    return n


def generate_many(root: Path, courses: int, chapters: int, topics: int) -> int:
    """`courses` course folders (course-1, …), each a generated course; return all topics."""
    return sum(
        generate(root / f"course-{k}", chapters, topics, slug=f"course-{k}")
        for k in range(1, courses + 1)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--chapters", type=int, default=50)
    parser.add_argument("--topics", type=int, default=20, help="topics per chapter")
    args = parser.parse_args()
    count = generate(args.root, args.chapters, args.topics)
    print(f"wrote {count} topics under {args.root}")


if __name__ == "__main__":
    main()
