"""The official ONIX for Books 3.0 reference XSD of EDItEUR and its code lists, as the
PyPI package ``onixcheck`` (the ``test`` extra) ships them, and onixcheck's own
validator. A missing package fails the test loudly, it never passes."""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import cast

import pytest
from lxml import etree

__all__ = ["code_list", "onixcheck_problems", "problems", "schema_folder", "xsd"]


@functools.cache
def schema_folder() -> Path:
    """The folder of the ONIX 3.0 XSD inside the installed ``onixcheck`` package."""
    try:
        import onixcheck.schema
    except ImportError:
        pytest.fail("the PyPI package onixcheck is not installed; run: bash scripts/setup-test-tools.sh", pytrace=False)
    folder = Path(onixcheck.schema.__file__).resolve().parent / "xsd3.0"
    if not (folder / "ONIX_BookProduct_3.0_reference.xsd").is_file():
        pytest.fail(f"onixcheck has no ONIX 3.0 reference XSD in {folder}", pytrace=False)
    return folder


@functools.cache
def xsd() -> etree.XMLSchema:
    """The ONIX 3.0 reference-tag schema (with its code lists), loaded once."""
    return etree.XMLSchema(etree.parse(str(schema_folder() / "ONIX_BookProduct_3.0_reference.xsd")))


def problems(data: bytes) -> list[str]:
    """What the reference XSD finds wrong with one ONIX message (empty: valid)."""
    schema = xsd()
    if schema.validate(etree.fromstring(data)):
        return []
    # lxml-stubs do not say that an error log iterates over its entries.
    entries = cast("Iterable[etree._LogEntry]", schema.error_log)
    return [f"line {error.line}: {error.message}" for error in entries]


def onixcheck_problems(data: bytes) -> list[str]:
    """What onixcheck's own validate() finds (it picks the schema by the release)."""
    import onixcheck

    with tempfile.TemporaryDirectory(prefix="onixcheck-") as folder:
        path = Path(folder) / "record.onix.xml"
        path.write_bytes(data)
        return [str(message) for message in onixcheck.validate(str(path))]


@functools.cache
def code_list(number: int) -> dict[str, str]:
    """ONIX code list ``number`` as the XSD's code lists define it: code -> label (its
    first documentation)."""
    xs = "{http://www.w3.org/2001/XMLSchema}"
    tree = etree.parse(str(schema_folder() / "ONIX_BookProduct_CodeLists.xsd"))
    found = tree.find(f"{xs}simpleType[@name='List{number}']")
    if found is None:
        raise KeyError(f"the ONIX code lists have no list {number}")
    return {str(value.get("value")): value.findtext(f"{xs}annotation/{xs}documentation") or ""
            for value in found.iter(f"{xs}enumeration")}
