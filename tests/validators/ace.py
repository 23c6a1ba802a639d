"""DAISY Ace (https://daisy.github.io/ace/), the EPUB accessibility checker: the npm
package @daisy/ace-cli in validators/node_modules, run with Node.js. Ace drives
Chromium through puppeteer; it is pointed at the system's Chromium (Debian package
``chromium``, CHROMIUM_PATH overrides /usr/bin/chromium) through a small wrapper
script, written to a temporary folder for each run, that adds the flags a headless
browser needs in a container (no sandbox: it may run as root). No browser is ever
downloaded. A missing piece fails the test loudly, it never passes silently."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import NODE_MODULES, require

ACE_JS = NODE_MODULES / "@daisy" / "ace-cli" / "bin" / "ace.js"

#: Seconds one check may take.
TIMEOUT = int(os.environ.get("TOOL_TIMEOUT", "300"))

_WRAPPER = """#!/bin/sh
# Headless Chromium for DAISY Ace (puppeteer), written by tests/validators/ace.py.
exec "{browser}" --no-sandbox --headless --disable-gpu --disable-dev-shm-usage \\
  --disable-background-networking --disable-component-update --disable-sync \\
  --no-first-run --no-default-browser-check "$@"
"""


def _wrapper(folder: Path, browser: str) -> Path:
    path = folder / "chromium-nosandbox"
    path.write_text(_WRAPPER.format(browser=browser), encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IRUSR)
    return path


def report(epub: Path | str) -> dict[str, Any]:
    """Ace's report.json for one e-book (EARL assertions per content document, the
    package metadata, the outline)."""
    node = require("node", "Node.js (for DAISY Ace)")
    ace = require(ACE_JS, "DAISY Ace (npm @daisy/ace-cli)")
    browser = require(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), "Chromium (Debian package chromium)")
    with tempfile.TemporaryDirectory(prefix="ace-") as tmp:
        folder = Path(tmp)
        wrapper = _wrapper(folder, browser)
        out = folder / "report"
        env = {
            **os.environ,
            "PUPPETEER_EXECUTABLE_PATH": str(wrapper),
            "PUPPETEER_SKIP_DOWNLOAD": "1",
            "NO_COLOR": "1",
            "ACE_TIMEOUT_INITIAL": os.environ.get("ACE_TIMEOUT_INITIAL", "30000"),
            # Ace keeps its cache and logs under HOME; keep them out of the user's.
            "HOME": str(folder),
        }
        result = subprocess.run(
            [node, ace, "--force", "--silent", "--outdir", str(out), str(epub)],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=TIMEOUT,
            env=env,
            check=False,
        )
        path = out / "report.json"
        if not path.is_file():
            raise AssertionError(f"Ace wrote no report (exit {result.returncode}): {result.stderr[-3000:]}{result.stdout[-2000:]}")
        return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def violations(epub: Path | str) -> list[dict[str, Any]]:
    """Every failed assertion of Ace's report: ``{"doc", "rule", "impact", "description",
    "pointer"}``. Any of them, whatever its impact, is a violation."""
    data = report(epub)
    found: list[dict[str, Any]] = []
    for document in data.get("assertions", []):
        doc = document.get("earl:testSubject", {}).get("url", "")
        for assertion in document.get("assertions", []):
            if assertion.get("earl:result", {}).get("earl:outcome") != "fail":
                continue
            test = assertion.get("earl:test", {})
            result = assertion.get("earl:result", {})
            found.append(
                {
                    "doc": doc,
                    "rule": test.get("dct:title"),
                    "impact": test.get("earl:impact"),
                    "description": result.get("dct:description"),
                    "pointer": (result.get("earl:pointer") or {}).get("css"),
                }
            )
    return found


def describe(found: Sequence[dict[str, Any]]) -> str:
    return "\n".join(f"{v['doc']}: {v['rule']} ({v['impact']}): {v['description']} at {v['pointer']}" for v in found)


