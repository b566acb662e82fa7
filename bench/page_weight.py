"""The topic page in headless Chromium: bytes on the wire, requests, DOMContentLoaded.

First visit (empty cache) and repeat visit (same context, warm cache). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def visit(page, cdp, url: str) -> dict:
    seen: dict[str, dict] = {}

    def sent(event):
        seen.setdefault(event["requestId"], {"url": event["request"]["url"], "bytes": 0})

    def cached(event):
        seen.setdefault(event["requestId"], {"url": "", "bytes": 0})["cache"] = True

    def response(event):
        entry = seen.setdefault(event["requestId"], {"url": "", "bytes": 0})
        if event["response"].get("fromDiskCache") or event["response"].get("fromPrefetchCache"):
            entry["cache"] = True
        entry["encoding"] = {k.lower(): v for k, v in event["response"]["headers"].items()}.get(
            "content-encoding", ""
        )

    def finished(event):
        seen.setdefault(event["requestId"], {"url": "", "bytes": 0})["bytes"] = event[
            "encodedDataLength"
        ]

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.requestServedFromCache", cached)
    cdp.on("Network.responseReceived", response)
    cdp.on("Network.loadingFinished", finished)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    timing = page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return n.domContentLoadedEventEnd - n.startTime; }"
    )
    for name, handler in [
        ("Network.requestWillBeSent", sent),
        ("Network.requestServedFromCache", cached),
        ("Network.responseReceived", response),
        ("Network.loadingFinished", finished),
    ]:
        cdp.remove_listener(name, handler)
    network = [e for e in seen.values() if not e.get("cache") and e["url"].startswith("http")]
    return {
        "bytes": sum(e["bytes"] for e in network),
        "requests": len(network),
        "cached": sum(1 for e in seen.values() if e.get("cache")),
        "dcl_ms": timing,
        "resources": [
            {"url": e["url"], "bytes": e["bytes"], "encoding": e.get("encoding", "")}
            for e in network
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), args=ARGS
        )
        try:
            context = browser.new_context()
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            first = visit(page, cdp, args.url)
            repeat = visit(page, cdp, args.url)
        finally:
            browser.close()
    print(json.dumps({"first": first, "repeat": repeat}))


if __name__ == "__main__":
    main()
