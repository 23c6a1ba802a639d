"""The Nu Html Checker (vnu, https://validator.github.io/validator/), from the npm
package vnu-jar in validators/node_modules, run with Java."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import NODE_MODULES, require

VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def check(files: Sequence[Path | str], css: bool = True) -> list[dict[str, Any]]:
    """Every message vnu gives for ``files`` (one run for all of them); each a dict with
    ``type`` ("error", "info" with ``subType`` "warning", "non-document-error"),
    ``url``, ``lastLine`` and ``message``. Embedded CSS is checked too."""
    java = require("java", "Java (for vnu)")
    jar = require(VNU_JAR, "vnu-jar (the Nu Html Checker)")
    command = [java, "-jar", jar, "--format", "json", "--exit-zero-always"]
    if css:
        command.append("--also-check-css")
    result = subprocess.run([*command, *map(str, files)], capture_output=True, text=True, timeout=300)
    # vnu writes its JSON report on stderr.
    try:
        report = json.loads(result.stderr)
    except json.JSONDecodeError:
        raise AssertionError(f"vnu did not run: {result.stderr[-2000:] or result.stdout[-2000:]}") from None
    return list(report.get("messages", []))


def errors(files: Sequence[Path | str]) -> list[dict[str, Any]]:
    """The messages that make a document invalid (errors and fatal/IO errors)."""
    return [m for m in check(files) if m.get("type") in ("error", "non-document-error")]


def describe(messages: Sequence[dict[str, Any]]) -> str:
    return "\n".join(
        f"{Path(str(m.get('url', ''))).name}:{m.get('lastLine', '?')}: {m.get('type')}: {m.get('message')}"
        f" [{str(m.get('extract', ''))[:80]!r}]"
        for m in messages
    )
