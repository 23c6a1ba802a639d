"""Runners of the real validators (vnu, axe-core, EPUBCheck, Ace, LibreOffice, pandoc),
one module per tool. A tool that is not installed fails the test with the command
that installs it (``bash scripts/setup-test-tools.sh``); it never passes or skips
silently."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
NODE_MODULES = ROOT / "validators" / "node_modules"


def require(path_or_command: str | Path, what: str) -> str:
    """The path of a tool, or a loud test failure naming how to install it."""
    text = str(path_or_command)
    found = text if Path(text).exists() else shutil.which(text)
    if not found:
        pytest.fail(f"{what} is not installed ({text}); run: bash scripts/setup-test-tools.sh", pytrace=False)
    return found
