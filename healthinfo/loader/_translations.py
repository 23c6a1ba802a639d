"""Which articles are the same text in other languages: an article names the one it
translates with ``translation_of: <id>`` in its front matter, and the articles that
translate one original are its translations (docs/authoring.md, Translations).

An article's page links to every other language version, so what it shows depends on
other articles' front matter, including articles written after it. The loader reads
that front matter for every article it loads, partial loads too (a build's workers
load one article each): :func:`read_index` reads the front matter of the articles that
take part in a translation (their title, language and date; not their text), and
:meth:`TranslationIndex.digest` says what an article's translation links are made of,
which a build records as one of the article's inputs (under
``<translations>:<id>``) so that a new translation of an article rebuilds it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..schema import CorpusSettings
from ..schema._base import HttpUrl, Id, LanguageTag, NonEmptyStr
from ._files import MAX_FILE_BYTES, parse_date, read_regular_file
from ._markdown import read_document
from ._yaml import YamlProblem, load_yaml

__all__ = ["TRANSLATIONS", "TranslationIndex", "Version", "close_ids", "read_index", "same_language"]

#: The prefix of the name a build records an article's translation links under.
TRANSLATIONS = "<translations>:"

_KEY = "translation_of"


@dataclass(frozen=True)
class Version:
    """An article as its translations see it: from its front matter only."""

    id: str
    lang: str
    title: str
    updated: dt.date
    url: str | None
    translation_of: str | None


def same_language(one: str, other: str) -> bool:
    """Whether two language tags name one language (tags are case-insensitive; "de"
    and "de-AT" are two: an Austrian German text may translate a German one)."""
    return one.casefold() == other.casefold()


def close_ids(wanted: str, known: Iterable[str]) -> str:
    """ "; did you mean 'x'?" when a known id is close to ``wanted``."""
    close = difflib.get_close_matches(wanted, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class TranslationIndex:
    """The articles of a corpus that take part in a translation, by id, and the ids
    of all its articles."""

    def __init__(self, versions: dict[str, Version], ids: Iterable[str]) -> None:
        self.versions = versions
        self.ids = frozenset(ids)
        self._of: dict[str, list[str]] = {}
        for version in sorted(versions.values(), key=lambda v: v.id):
            if version.translation_of is not None:
                self._of.setdefault(version.translation_of, []).append(version.id)

    def group(self, original: str) -> list[Version]:
        """The original (when its front matter could be read) and its translations."""
        members = [self.versions[original]] if original in self.versions else []
        return members + [self.versions[t] for t in self._of.get(original, ())]

    def root(self, article_id: str) -> str:
        """The original of the article's group: the one it translates, or itself."""
        version = self.versions.get(article_id)
        return version.translation_of if version is not None and version.translation_of else article_id

    def digest(self, article_id: str) -> str:
        """What the article's translation links are made from: its group's front
        matter (every member's id, language, title, date, address and original)."""
        root = self.root(article_id)
        made_from = [root, [dataclasses.astuple(v) for v in self.group(root)]]
        return hashlib.sha256(json.dumps(made_from, default=str).encode()).hexdigest()

    def others(self, article_id: str, lang: str, translation_of: str | None) -> list[Version]:
        """The article's other language versions, by language: its group without
        itself and without the translations that are wrong (in its language or its
        original's, or two in one language; each is reported in its own file)."""
        root = translation_of or article_id
        original = self.versions.get(root)
        if original is not None and original.translation_of is not None:
            return []  # its original is a translation itself: reported
        taken = [lang] if original is None else [lang, original.lang]
        translations = [v for v in self.group(root) if v.id != root]
        counts: dict[str, int] = {}
        for version in translations:
            counts[version.lang.casefold()] = counts.get(version.lang.casefold(), 0) + 1
        members = [original] if original is not None and root != article_id else []
        members += [v for v in translations if v.id != article_id and counts[v.lang.casefold()] == 1
                    and not any(same_language(v.lang, other) for other in taken)]
        return sorted(members, key=lambda v: (v.lang.casefold(), v.id))

    def problems(self, article_id: str, lang: str, translation_of: str) -> list[str]:
        """What is wrong with ``translation_of`` in an article in ``lang``."""
        if translation_of == article_id:
            return ["translation_of: an article cannot be a translation of itself; name the article it translates"]
        if translation_of not in self.ids:
            return [f"translation_of: there is no article {translation_of!r} in articles/"
                    f"{close_ids(translation_of, self.ids - {article_id})}"]
        original = self.versions.get(translation_of)
        if original is None:
            return [f"translation_of: the front matter of {translation_of!r} cannot be read (its file lists why); "
                    "fix it first"]
        if original.translation_of is not None:
            return [f"translation_of: {translation_of!r} is itself a translation (of {original.translation_of!r}); "
                    f"name the original: translation_of: {original.translation_of}"]
        if same_language(original.lang, lang):
            return [f"translation_of: {translation_of!r} is in the same language ({original.lang}) as this article; "
                    "a translation is in another language (set its lang)"]
        twins = [v.id for v in self.group(translation_of) if v.id != article_id and v.translation_of is not None
                 and same_language(v.lang, lang)]
        return [f"translation_of: {twin!r} is a translation of {translation_of!r} into {lang} too; keep one article "
                "per language (remove translation_of from one of them, or give it its own lang)" for twin in twins]


def read_index(articles: Iterable[tuple[str, Path]], settings: CorpusSettings) -> TranslationIndex:
    """The translation index of the articles (id, file): the front matter of each
    article that names ``translation_of`` and of each article named so. A file that
    cannot be read, or a field that is wrong, leaves the article out; the loader
    reports it when the article itself is loaded. Only the files that hold the word
    ``translation_of`` are parsed; the others are only read."""
    files = dict(articles)
    versions: dict[str, Version] = {}
    for article_id, path in files.items():
        raw = _read(path)
        if raw is not None and _KEY.encode() in raw:
            version = _version(article_id, raw, settings)
            if version is not None and version.translation_of is not None:
                versions[article_id] = version
    named = {v.translation_of for v in versions.values() if v.translation_of is not None}
    for article_id in sorted(named - set(versions)):
        raw = _read(files[article_id]) if article_id in files else None
        version = _version(article_id, raw, settings) if raw is not None else None
        if version is not None:
            versions[article_id] = version
    return TranslationIndex(versions, files)


def _read(path: Path) -> bytes | None:
    """The bytes of an article's file, as the loader reads them; None when they
    cannot be read (the loader reports why)."""
    try:
        return read_regular_file(path, MAX_FILE_BYTES)
    except (OSError, ValueError):
        return None


def _front_matter(raw: bytes) -> str | None:
    """The front matter of a Markdown file, as the loader reads it (markdown-it's
    front matter plugin), parsing only as far as its end; None when there is none."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if len(lines[i].rstrip()) >= 3 and set(lines[i].rstrip()) == {"-"}), None)
    head = "\n".join(lines[: end + 1]) + "\n" if end is not None else text
    front = read_document(head).front_matter
    return front if front is not None or head == text else read_document(text).front_matter


@functools.cache
def _adapter(kind: str) -> TypeAdapter[Any]:
    types: dict[str, Any] = {"id": Id, "lang": LanguageTag, "title": NonEmptyStr, "url": HttpUrl}
    return TypeAdapter(types[kind])


def _field(data: dict[Any, Any], key: str, kind: str) -> Any:
    """A field of the front matter as the model takes it; None when missing or wrong."""
    value = data.get(key)
    if value is None:
        return None
    try:
        return _adapter(kind).validate_python(value)
    except ValidationError:
        return None


def _version(article_id: str, raw: bytes, settings: CorpusSettings) -> Version | None:
    front = _front_matter(raw)
    if front is None:
        return None
    try:
        data = load_yaml(front)
    except YamlProblem:
        return None
    if not isinstance(data, dict):
        return None
    title, original = _field(data, "title", "title"), _field(data, _KEY, "id")
    if title is None or (original is None and data.get(_KEY) is not None):
        return None
    try:
        updated = parse_date(data.get("updated"))
    except ValueError:
        return None
    lang = _field(data, "lang", "lang") or settings.lang
    url = _field(data, "url", "url") or settings.article_address(article_id)
    return Version(article_id, str(lang), str(title), updated, url, original)
