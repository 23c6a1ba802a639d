"""HTML5: the characters HTML cannot carry, and corpus text and URLs made safe for a page.

References: the parse errors of the HTML Living Standard
(https://html.spec.whatwg.org/multipage/parsing.html#parse-errors), the URL Standard's
URL code points (https://url.spec.whatwg.org/#url-code-points), RFC 3986 (URIs) and
RFC 2397 (data: URIs). Everything a page writes passes through here: text through
:func:`clean` (via the templates' ``finalize`` or :func:`escape_text`), addresses
through :func:`href`.
"""

from __future__ import annotations

import base64
import re
import urllib.parse
import warnings
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape

from ...schema import Image
from .._base import ExportWarning

__all__ = [
    "FORBIDDEN",
    "ForbiddenCodePointWarning",
    "clean",
    "data_uri",
    "escape_text",
    "finalize",
    "href",
    "join",
    "may_hold_forbidden",
]

# C1 controls and Unicode noncharacters are allowed by the model but are parse errors
# in HTML ("control-character-in-input-stream", "noncharacter-in-input-stream",
# https://html.spec.whatwg.org/multipage/parsing.html#parse-errors), and a character
# reference to them is an error too. They carry no meaning for a reader: each becomes
# U+FFFD REPLACEMENT CHARACTER, with a warning (code html:forbidden-code-point).
FORBIDDEN = re.compile(
    "[\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
    + "]"
)


class ForbiddenCodePointWarning(ExportWarning):
    """html:forbidden-code-point — a character HTML cannot carry was replaced."""


def may_hold_forbidden(text: str) -> bool:
    """False when ``text`` certainly holds no character of FORBIDDEN. Nearly all text
    is ASCII (str.isascii() is O(1) in CPython) and then only DEL (U+007F) could be one,
    which a substring test finds far faster than the regex's character class, which is
    slow to match (its astral noncharacters are tested one by one at every position)."""
    if text.isascii():
        return "\x7f" in text
    return FORBIDDEN.search(text) is not None


def clean(text: str) -> str:
    """``text`` with every character of FORBIDDEN written as U+FFFD, with a warning."""
    if not may_hold_forbidden(text):
        return text
    found = sorted({f"U+{ord(c):04X}" for c in FORBIDDEN.findall(text)})
    warnings.warn(
        ForbiddenCodePointWarning(
            "html:forbidden-code-point", f"{', '.join(found)} cannot appear in HTML; written as U+FFFD"
        ),
        stacklevel=3,
    )
    return FORBIDDEN.sub("\ufffd", text)


def finalize(value: Any) -> Any:
    """Jinja2 ``finalize``: every string a template writes passes through here first
    (then through autoescaping). Rendered fragments (Markup) were cleaned when made."""
    if type(value) is str and value.isascii() and "\x7f" not in value:
        return value  # the common case, as may_hold_forbidden, without two calls
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean(value)
    return value


def escape_text(value: str) -> Markup:
    """Corpus text as escaped HTML character data (no markup)."""
    return escape(clean(value))


def join(parts: Iterable[Markup]) -> Markup:
    """Rendered fragments one after the other, as ``Markup("").join`` joins them, which
    passes every part through escape() and so copies each Markup part into a new
    Markup; here a Markup part is taken as it is, and anything else is escaped."""
    return Markup("".join(part if isinstance(part, Markup) else escape(part) for part in parts))


# What may stay as it is in a URL: the reserved and unreserved characters of RFC 3986
# and "%" (a "%" that starts no %XX escape is escaped itself, below).
_URL_SAFE = ":/?#[]@!$&'()*+,;=-._~%"


def href(url: str) -> str:
    """A URL as an href value that HTML's URL parser takes without error: characters
    that URLs cannot hold (< > " space { } | \\ ^ ` and non-ASCII) percent-encoded
    (UTF-8). The model allows them in links and identifiers (a DOI may hold "<").
    https://url.spec.whatwg.org/#url-code-points"""
    url = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", url)
    return urllib.parse.quote(url, safe=_URL_SAFE)


def data_uri(image: Image) -> str:
    """An image as a data: URI (RFC 2397), so that the page needs no other file."""
    return f"data:{image.media_type};base64,{base64.b64encode(image.data).decode('ascii')}"
