"""axe-core (https://github.com/dequelabs/axe-core) in the system's headless Chromium,
driven by playwright-core through validators/axe-check.js. No browser is downloaded;
CHROMIUM_PATH overrides /usr/bin/chromium. A missing piece fails the test loudly."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import NODE_MODULES, ROOT, require

SCRIPT = ROOT / "validators" / "axe-check.js"


def run(files: Sequence[Path | str]) -> list[dict[str, Any]]:
    """axe's default rule set on each file (one browser for all): one result per file,
    ``{"file", "violations": [{"id", "impact", "help", "nodes"}], "error"?}``."""
    node = require("node", "Node.js (for axe-core)")
    require(NODE_MODULES / "axe-core" / "axe.min.js", "axe-core")
    require(NODE_MODULES / "playwright-core" / "package.json", "playwright-core")
    chromium = require(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), "Chromium (Debian package chromium)")
    result = subprocess.run(
        [node, str(SCRIPT), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CHROMIUM_PATH": chromium},
    )
    if result.returncode not in (0, 1):
        raise AssertionError(f"axe-check.js could not run (exit {result.returncode}): {result.stderr[-3000:]}{result.stdout[-2000:]}")
    report = json.loads(result.stdout)
    return list(report["results"])


def describe(results: Sequence[dict[str, Any]]) -> str:
    lines = []
    for r in results:
        if r.get("error"):
            lines.append(f"{r['file']}: could not check: {r['error']}")
        for v in r.get("violations", []):
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
            lines.append(f"{r['file']}: {v['id']} ({v['impact']}): {v['help']} at {targets}")
    return "\n".join(lines)
