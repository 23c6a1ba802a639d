"""The site's search in a real browser: validators/search-check.js types a query into
a page's search box in the system's headless Chromium (playwright-core), waits for
the search page's results, and runs axe-core on the page with the results showing.
The site must be served over http://127.0.0.1 (Pagefind fetches its index)."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from . import NODE_MODULES, ROOT, require

SCRIPT = ROOT / "validators" / "search-check.js"


def run(url: str, query: str) -> dict[str, Any]:
    """What a reader sees after searching ``query`` from the page at ``url``:
    ``{"url", "status", "results": [{"title", "href", "topic", "snippet", "marked"}],
    "violations", "blockedRequests", "consoleErrors"}``."""
    node = require("node", "Node.js (for the browser test of the search)")
    require(NODE_MODULES / "axe-core" / "axe.min.js", "axe-core")
    require(NODE_MODULES / "playwright-core" / "package.json", "playwright-core")
    chromium = require(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), "Chromium (Debian package chromium)")
    done = subprocess.run([node, str(SCRIPT), url, query], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "CHROMIUM_PATH": chromium})
    if done.returncode != 0:
        raise AssertionError(f"search-check.js could not run (exit {done.returncode}): {done.stderr[-3000:]}{done.stdout[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result
