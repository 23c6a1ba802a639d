"""The author's loop of ``healthinfo serve`` in a real browser:
validators/preview-check.js opens a page of the preview in the system's headless
Chromium (playwright-core), edits, breaks and mends an article file, and reports how
long each took to show, the problems page's lines and axe-core's findings on it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from . import NODE_MODULES, ROOT, require

SCRIPT = ROOT / "validators" / "preview-check.js"


def run(url: str, file: Path, old: str, new: str, broken_from: str, broken_to: str) -> dict[str, Any]:
    node = require("node", "Node.js (for the browser test of the preview)")
    require(NODE_MODULES / "axe-core" / "axe.min.js", "axe-core")
    require(NODE_MODULES / "playwright-core" / "package.json", "playwright-core")
    chromium = require(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), "Chromium (Debian package chromium)")
    done = subprocess.run([node, str(SCRIPT), url, str(file), old, new, broken_from, broken_to],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "CHROMIUM_PATH": chromium})
    if done.returncode != 0:
        raise AssertionError(f"preview-check.js failed (exit {done.returncode}): {done.stderr[-3000:]}{done.stdout[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result
