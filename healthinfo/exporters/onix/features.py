"""ONIX 3.0: the accessibility statements of an e-book's record — the ProductFormFeature
composites (list 196 details, list 143 hazard warnings) and the content types (list
81) — from the EPUB's own accessibility metadata, through the one table
:data:`~.codes.ACCESSIBILITY`.

References: ONIX code list 196 "E-publication Accessibility Details" (the definitions
in ONIX_BookProduct_CodeLists.xsd), EPUB Accessibility 1.1 section 2
(https://www.w3.org/TR/epub-a11y-11/) and the W3C crosswalk of the two
(https://www.w3.org/2021/a11y-discov-vocab/latest/crosswalk/). The statements are read
from :class:`~healthinfo.exporters.epub.accessibility.Accessibility`, never derived
from the content a second time, so the record says what the e-book says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .._base import warn
from ..epub.accessibility import Accessibility
from .codes import ACCESSIBILITY, ANY, URL, Statement

__all__ = ["Features", "features", "opf_statements"]

#: dcterms:conformsTo as EPUB Accessibility 1.1 (section 4.1) writes it:
#: "EPUB Accessibility 1.1 - WCAG 2.2 Level AA".
_CONFORMANCE = re.compile(r"^(EPUB Accessibility \d+\.\d+) - (WCAG \d+\.\d+) (Level A{1,3})$")


def _is_url(value: str) -> bool:
    return value.startswith(("https://", "http://"))


def opf_statements(access: Accessibility) -> Iterator[tuple[str, str]]:
    """The accessibility metadata as the EPUB's package document states it: (property,
    value) in the order of the OPF; ``dcterms:conformsTo`` in its three parts when it
    has the shape of EPUB Accessibility 1.1 (else whole, which nothing maps)."""
    yield from (("schema:accessMode", mode) for mode in access.access_modes)
    yield from (("schema:accessModeSufficient", modes) for modes in access.access_mode_sufficient)
    yield from (("schema:accessibilityFeature", feature) for feature in access.features)
    yield from (("schema:accessibilityHazard", hazard) for hazard in access.hazards)
    yield "schema:accessibilitySummary", access.summary
    parts = _CONFORMANCE.match(access.conforms_to)
    if parts is None:
        yield "dcterms:conformsTo", access.conforms_to
    else:
        yield from (("dcterms:conformsTo", part) for part in parts.groups())
    certification = access.certification
    if certification is not None:
        yield "a11y:certifiedBy", certification.certified_by
        if certification.credential:
            yield "a11y:certifierCredential", certification.credential
        if certification.report:
            yield "a11y:certifierReport", certification.report


def _statement(prop: str, value: str) -> Statement | None:
    """The table's entry for a statement: its exact value, else any web address, else
    any text."""
    for key in ((prop, value), (prop, URL) if _is_url(value) else None, (prop, ANY)):
        if key is not None and key in ACCESSIBILITY:
            return ACCESSIBILITY[key]
    return None


@dataclass(frozen=True)
class Features:
    """What the record says of the e-book's accessibility, in the order it is written:
    the list 196 details (code, description or None), the list 143 hazard warnings,
    and the list 81 content types (the first is the primary one)."""

    details: tuple[tuple[str, str | None], ...]
    hazards: tuple[str, ...]
    content_types: tuple[str, ...]


#: The order of the list 196 details in a record: conformance, then features,
#: sufficiency, the summary, and the certification last.
_ORDER = ("dcterms:conformsTo", "schema:accessibilityFeature", "schema:accessModeSufficient",
          "schema:accessibilitySummary", "a11y:certifiedBy", "a11y:certifierCredential", "a11y:certifierReport")


def _rank(prop: str) -> int:
    return _ORDER.index(prop) if prop in _ORDER else len(_ORDER)


def features(access: Accessibility) -> Features:
    """The record's accessibility statements: each statement of the EPUB that the
    table maps, each code once. A statement the table does not know is written nothing
    for, with an ``onix:accessibility`` warning; so is a conformance statement of
    which one part is unknown (a WCAG level without code 04 would claim something
    else)."""
    statements = list(opf_statements(access))
    conformance = [value for prop, value in statements if prop == "dcterms:conformsTo"]
    if any(_statement("dcterms:conformsTo", part) is None for part in conformance):
        warn("onix:accessibility", f"the conformance {access.conforms_to!r} has no ONIX codes; none is written")
        statements = [(prop, value) for prop, value in statements if prop != "dcterms:conformsTo"]
    details: dict[str, tuple[int, str | None]] = {}
    hazards: dict[str, None] = {}
    content: dict[str, None] = {}
    for prop, value in statements:
        statement = _statement(prop, value)
        if statement is None:
            warn("onix:accessibility", f"ONIX has no code for {prop} {value!r}; nothing is written for it")
            continue
        for code_list, code in statement.codes:
            if code_list == "196":
                details.setdefault(code, (_rank(prop), value if statement.text else None))
            elif code_list == "143":
                hazards.setdefault(code)
            else:
                content.setdefault(code)
    ordered = sorted(details.items(), key=lambda item: item[1][0])  # stable: the OPF's order within a kind
    return Features(tuple((code, text) for code, (_, text) in ordered), tuple(hazards), tuple(content))
