"""Which translations are missing and which are older than their original: the rule
``healthinfo audit`` (findings translation-missing, translation-outdated and their
block-level pair) and the site build (warnings site:translation-missing,
site:translation-outdated) share. docs/site.md, Translations, explains it for editors.

A translation is outdated when its original was updated after it (the original's
``updated`` is later than the translation's). An original misses a translation in
each expected language it has no version in; the expected languages are those named
(the audit's ``languages`` setting), else every language the corpus's translations
are in — a corpus with no translation expects none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

__all__ = ["Version", "expected_languages", "missing", "outdated"]


@dataclass(frozen=True)
class Version:
    """An article (or a reusable block) as the rule sees it."""

    id: str
    lang: str
    translation_of: str | None
    #: None: a block without a date, which is never called outdated.
    updated: dt.date | None


def outdated(versions: Iterable[Version]) -> list[tuple[Version, Version]]:
    """(translation, original) for each translation whose original was updated after it."""
    by_id = {v.id: v for v in versions}
    found = []
    for version in sorted(by_id.values(), key=lambda v: v.id):
        original = by_id.get(version.translation_of or "")
        if original is None or original.updated is None or version.updated is None:
            continue
        if original.updated > version.updated:
            found.append((version, original))
    return found


def expected_languages(versions: Iterable[Version], named: Collection[str] | None = None) -> list[str]:
    """The languages every original should be in: ``named``, else those of every
    article that is part of a translation (an original with translations, or one)."""
    if named is not None:
        return sorted(dict.fromkeys(named), key=str.casefold)
    versions = list(versions)
    originals = {v.translation_of for v in versions if v.translation_of}
    langs = {v.lang.casefold(): v.lang for v in versions if v.translation_of or v.id in originals}
    return sorted(langs.values(), key=str.casefold)


def missing(versions: Sequence[Version], named: Collection[str] | None = None) -> list[tuple[Version, list[str]]]:
    """(original, the expected languages it has no version in) for each original
    that misses one."""
    expected = expected_languages(versions, named)
    have: dict[str, set[str]] = {}
    for version in versions:
        have.setdefault(version.translation_of or version.id, set()).add(version.lang.casefold())
    found = []
    for version in sorted(versions, key=lambda v: v.id):
        if version.translation_of is not None:
            continue
        lacking = [lang for lang in expected if lang.casefold() not in have.get(version.id, set())]
        if lacking:
            found.append((version, lacking))
    return found
