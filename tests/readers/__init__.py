"""Readers that get the text back out of an exported file, one module per format
(``tests/readers/<format>.py`` with ``text(rendered) -> str``), for the exporter
contract test. They use each format's own independent reader (lxml's HTML and XML
parsers, python-docx, the EPUB's zip), never the exporter's code."""

from __future__ import annotations

import importlib
from types import ModuleType


def reader(format_name: str) -> ModuleType:
    return importlib.import_module(f"tests.readers.{format_name}")
