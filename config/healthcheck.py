"""Container HEALTHCHECK: `python -m config.healthcheck` exits 0 when /healthz answers 200.

Plain urllib (the slim image has no curl). The Host header is one that ALLOWED_HOSTS accepts,
otherwise Django would answer 400 to the probe.
"""

import os
import sys
import urllib.request


def probe_host() -> str:
    """A host name ALLOWED_HOSTS accepts ("localhost" when it names none usable)."""
    for host in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")
        if host and "*" not in host:
            return host
    return "localhost"


def main() -> int:
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Host": probe_host()}
    )
    try:
        with urllib.request.urlopen(request, timeout=3) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"healthcheck failed: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
