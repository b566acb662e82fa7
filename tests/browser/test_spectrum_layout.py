"""The spectrum's layout at 1280 and 375 px: tables that read as tables, screenshots, axe."""

from itertools import combinations
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TOPIC = reverse("courses:topic", args=["containers", "images", "base-images"])
TIERS = ["full", "slim", "alpine", "distroless", "scratch"]
PICKS = "q-static-binary=no&q-needs-shell=no&q-glibc-only=yes&q-debug-containers=yes"
# Every state a diagram can be in: its query, and whether the all-tiers table is opened.
STATES = {
    "plain": ("", False),
    "all-tiers": ("", True),
    "tier": ("tier=distroless", False),
    "compare": ("compare=full,distroless", False),
    "recommend": (PICKS, False),
    "message": ("compare=slim,slim", False),
}
WIDTHS = [1280, 375]

# Words (runs between spaces, hyphens, slashes and colons) that the layout split across lines.
BROKEN_WORDS = """(root) => {
  const broken = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/[^\\s\\-\\/:]+[\\-\\/:]?/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


def open_at(page, live_server, width: int, query: str = "") -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{TOPIC}{'?' + query if query else ''}")


def overflow(locator) -> int:
    """How far a box's content reaches past its right edge, in pixels."""
    return locator.evaluate("(e) => e.scrollWidth - e.clientWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_comparison_reads_as_a_table(live_server, page, seed_course, width):
    """No word is split and nothing scrolls sideways, for every pair of tiers."""
    page.set_viewport_size({"width": width, "height": 900})
    for first, second in combinations(TIERS, 2):
        page.goto(f"{live_server.url}{TOPIC}?compare={first},{second}")
        table = page.locator("#spectrum-0-result table")
        assert table.evaluate(BROKEN_WORDS) == [], (first, second)
        assert overflow(page.locator("#spectrum-0-result")) <= 0, (first, second)
        caption = table.locator("caption")
        assert overflow(caption) <= 0
        assert caption.bounding_box()["x"] >= table.bounding_box()["x"]


def test_all_tiers_table_fits_the_column_at_desktop(live_server, page, seed_course):
    open_at(page, live_server, 1280)
    page.get_by_text("All tiers as a table").click()
    region = page.get_by_role("region", name="All tiers side by side")
    assert region.locator("table").evaluate(BROKEN_WORDS) == []
    assert overflow(region) <= 0


def test_all_tiers_table_scrolls_in_its_own_box_on_a_phone(live_server, page, seed_course):
    """The page stays 375 px wide; the table scrolls, its row headings stay in view."""
    open_at(page, live_server, 375)
    page.get_by_text("All tiers as a table").click()
    region = page.get_by_role("region", name="All tiers side by side")
    assert region.locator("table").evaluate(BROKEN_WORDS) == []
    assert overflow(region) > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    heading = region.get_by_role("rowheader", name="Debuggability")
    before = heading.bounding_box()["x"]
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    expect(region).not_to_have_js_property("scrollLeft", 0)
    assert heading.bounding_box()["x"] == before


@pytest.mark.parametrize("width", WIDTHS)
def test_prose_tables_keep_their_words_whole(live_server, page, seed_course, width):
    """Markdown tables outside the diagram share the look, not the word-splitting."""
    open_at(page, live_server, width)
    table = page.locator(".prose > table").first
    expect(table).to_be_visible()
    assert table.evaluate(BROKEN_WORDS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("state", STATES)
def test_every_state_fits_has_no_axe_violations_and_is_captured(
    live_server, page, seed_course, state, width
):
    query, open_table = STATES[state]
    open_at(page, live_server, width, query)
    if open_table:
        page.get_by_text("All tiers as a table").click()
    figure = page.locator("#spectrum-0")
    ARTIFACTS.mkdir(exist_ok=True)
    figure.screenshot(path=ARTIFACTS / f"spectrum-{state}-{width}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = figure.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
