"""Shared pieces of the content model: the base class and the constrained scalar types.

No I/O and no output format lives in ``healthinfo.schema``; loaders build these
objects and exporters read them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Strict, StringConstraints, WithJsonSchema

__all__ = [
    "SCHEMA_VERSION",
    "ContentStr",
    "Date",
    "Email",
    "HttpUrl",
    "Id",
    "Key",
    "LanguageTag",
    "LinkTarget",
    "Node",
    "NonEmptyStr",
    "Region",
    "SchemaVersion",
    "StrictBool",
    "StrictInt",
]

#: Version of the JSON form of the model. The major number changes when a JSON
#: document of an older version would no longer load.
SCHEMA_VERSION = "1.1"


class Node(BaseModel):
    """Base of every model class: unknown fields are errors, instances are immutable."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        ser_json_bytes="base64",
        val_json_bytes="base64",
    )


# Strict where the YAML (and JSON) type is known, field by field, so that the loader
# and the JSON Schema agree: a quoted "2027" is text, not a number; "true" is not a
# boolean. Not model-wide: strict mode would refuse an ISO date string for a date
# field, which the JSON Schema (format: date) accepts, and enum values given as text.
StrictInt = Annotated[int, Strict()]
StrictBool = Annotated[bool, Strict()]


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _not_a_number(value: Any) -> Any:
    # pydantic's lax mode reads 1706000000 (or "2027") as a Unix time; a date is
    # written 2024-01-23 (a date in YAML, an ISO text in JSON), never a number.
    if isinstance(value, (int, float)) or (isinstance(value, str) and not _ISO_DATE.match(value)):
        raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-01-23")
    return value


#: A date: a date object or an ISO ``YYYY-MM-DD`` text (as in JSON), never a number.
Date = Annotated[dt.date, BeforeValidator(_not_a_number)]


def _pattern_type(pattern: str, max_length: int, explain: str) -> Any:
    """A string type checked against ``pattern`` with a plain-language message; the
    JSON Schema still carries the pattern."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if len(value) > max_length or not compiled.match(value):
            raise ValueError(f"{value!r} {explain}")
        return value

    return Annotated[
        str,
        AfterValidator(check),
        WithJsonSchema({"type": "string", "pattern": pattern, "maxLength": max_length}),
    ]


# An id of an article, section, block, book, publisher or glossary entry:
# lower-case letters, digits and single hyphens, usable as a file name and as an
# XML/HTML id after a prefix.
Id = _pattern_type(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    100,
    "is not a valid id; use lower-case letters, digits and single hyphens, e.g. side-effects",
)

# A bibliography key (CSL item id) is freer: reference managers write "Smith2020a",
# "doi:10.1/x", "ITEM-1" or a URI ("http://zotero.org/users/1/items/ABCD2345"). Any
# text without spaces or control characters that starts with an ASCII letter or digit;
# not braces or a backtick, which the {cite} role uses around keys.
Key = _pattern_type(
    r"^[A-Za-z0-9][^\s{}`\x00-\x1f\x7f]*$",
    500,
    "is not a valid source key; use a key that starts with a letter or digit and holds no spaces, "
    "braces or backticks, e.g. danesh2014",
)

# The shape of a BCP 47 language tag (RFC 5646, section 2.1): language, extlang,
# script, region, variants, extensions, private use. Checked for shape, not
# against the IANA registry.
_BCP47 = re.compile(
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3})"
    r"(?:-[A-Za-z]{4})?"
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-x(?:-[A-Za-z0-9]{1,8})+)?$"
)


def _check_language_tag(value: str) -> str:
    if not _BCP47.match(value):
        raise ValueError(
            f"{value!r} is not a language tag; use a BCP 47 tag such as 'en', 'de' or 'pt-BR'"
        )
    return value


# The pattern in the JSON Schema too, so that it refuses what the loader refuses.
LanguageTag = Annotated[
    str, AfterValidator(_check_language_tag), WithJsonSchema({"type": "string", "pattern": _BCP47.pattern})
]

# ISO 3166-1 alpha-2 country code, upper case ("DE").
Region = _pattern_type(
    r"^[A-Z]{2}$", 2, "is not a country code; use the two capital letters of ISO 3166-1, e.g. DE"
)


def _check_http_url(value: str) -> str:
    if not (value.startswith("https://") or value.startswith("http://")) or len(value) < 10:
        raise ValueError(f"{value!r} is not a web address; it must start with https:// or http://")
    if any(c.isspace() or ord(c) < 32 for c in value):
        raise ValueError(f"{value!r} contains spaces or control characters")
    return value


def _check_link_target(value: str) -> str:
    if value.startswith("mailto:"):
        if "@" not in value or any(c.isspace() or ord(c) < 32 for c in value):
            raise ValueError(f"{value!r} is not an e-mail link")
        return value
    try:
        return _check_http_url(value)
    except ValueError:
        raise ValueError(
            f"link target {value!r} is not allowed; links must start with https://, http:// or mailto:"
        ) from None


HttpUrl = Annotated[str, AfterValidator(_check_http_url)]
LinkTarget = Annotated[str, AfterValidator(_check_link_target)]
Email = _pattern_type(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", 254, "is not an e-mail address (name@example.org)")


# Characters no output format can carry: those XML 1.0 cannot hold (C0 controls
# other than tab/newline/CR, lone surrogates, U+FFFE/U+FFFF), and those HTML forbids
# and the Nu Html Checker rejects even as references (DEL and the C1 controls, the
# Unicode non-characters U+FDD0-U+FDEF and U+nFFFE/U+nFFFF of every plane).
_NOT_CARRIED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr((plane << 16) | 0xFFFE) + chr((plane << 16) | 0xFFFF) for plane in range(17))
    + "]"
)


#: The same for ASCII text (nearly all of it): a class of ASCII ranges only is matched
#: far faster than one listing the astral non-characters one by one.
_NOT_CARRIED_ASCII = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _check_text(value: str) -> str:
    # Checked here, once, instead of in each exporter.
    found = (_NOT_CARRIED_ASCII if value.isascii() else _NOT_CARRIED).search(value)
    if found:
        code = ord(found.group())
        kind = "non-character" if code >= 0xFDD0 else "control character"
        raise ValueError(
            f"text contains the {kind} U+{code:04X} at position {found.start() + 1}, "
            "which no output format can hold; delete it"
        )
    return value


#: Content text: any Unicode that XML 1.0 can carry.
ContentStr = Annotated[str, AfterValidator(_check_text)]
NonEmptyStr = Annotated[str, StringConstraints(min_length=1), AfterValidator(_check_text)]


def _check_schema_version(value: str) -> str:
    major = value.split(".", 1)[0]
    if major != SCHEMA_VERSION.split(".", 1)[0]:
        raise ValueError(
            f"this JSON has schema version {value}; this healthinfo reads version {SCHEMA_VERSION} "
            "and its minor updates"
        )
    return value


#: The ``schema_version`` field of the top-level models.
SchemaVersion = Annotated[str, AfterValidator(_check_schema_version)]
