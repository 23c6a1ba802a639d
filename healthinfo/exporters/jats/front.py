"""JATS XML: the ``<front>`` of an article — ``journal-meta`` and ``article-meta``.

References: the Journal Publishing tag library,
https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/front.html , and the JATS4R
recommendations (permissions, ORCID iDs), https://jats4r.org/ . ``journal-meta``
stands for the publisher's health-information series; ``article-meta`` holds the
article's metadata, and what JATS has no element for (audience, region, image sizes)
goes into ``custom-meta``. The values the importer reads back are in :mod:`.vocab`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lxml import etree

from ...schema import Article, Publisher
from ...schema.publisher import Person
from .._i18n import word
from ._tree import sub
from .vocab import (
    ALI_LICENSE_REF,
    DATE_NEXT_UPDATE,
    DATE_PUBLISHED,
    DATE_UPDATED,
    HREF,
    LANG,
    META_AUDIENCE,
    META_EDITION,
    META_REGION,
    META_SCHEMA_VERSION,
    ORCID_URI,
    RELATED_ORIGINAL,
    RELATED_TRANSLATION,
    SHORT_NAME,
)

__all__ = ["ImageMeta", "journal_title", "write_front"]

#: A custom-meta entry about one image resource: (href, meta-name, meta-value).
ImageMeta = tuple[str, str, str]


def journal_title(publisher: Publisher, lang: str) -> str:
    """The default journal title: the publisher's series in the article's language
    ("IQWiG health information", "IQWiG Gesundheitsinformation")."""
    return word("series", lang).format(publisher=publisher.short_name or publisher.name)


def write_front(
    root: etree._Element,
    article: Article,
    *,
    title: str | None,
    issn: str | None,
    image_meta: Sequence[ImageMeta],
) -> None:
    """The <front> of ``article``: ``title`` is the journal title (None: the default
    of :func:`journal_title`), ``image_meta`` the image entries of custom-meta."""
    front = sub(root, "front")
    _journal_meta(front, article.publisher, title or journal_title(article.publisher, article.lang), issn)
    _article_meta(front, article, image_meta)


def _journal_meta(front: etree._Element, publisher: Publisher, title: str, issn: str | None) -> None:
    # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/journal-meta.html
    meta = sub(front, "journal-meta")
    sub(meta, "journal-id", publisher.id, **{"journal-id-type": "publisher-id"})
    sub(sub(meta, "journal-title-group"), "journal-title", title)
    # The Publishing DTD requires an <issn>; pandoc's JATS writer, too, writes an
    # empty one when the journal has none, rather than a made-up number.
    sub(meta, "issn", issn)
    element = sub(meta, "publisher")
    sub(element, "publisher-name", publisher.name)
    if publisher.address is not None or publisher.country or publisher.email or publisher.url:
        _publisher_loc(sub(element, "publisher-loc"), publisher)


def _publisher_loc(loc: etree._Element, publisher: Publisher) -> None:
    # One element per part, separated by ", " for display; the importer reads the
    # elements, not the separators.
    parts: list[etree._Element] = []
    if publisher.address is not None:
        parts.append(sub(loc, "addr-line", publisher.address))
    if publisher.country:
        parts.append(sub(loc, "country", publisher.country, country=publisher.country))
    if publisher.email:
        parts.append(sub(loc, "email", publisher.email))
    if publisher.url:
        uri = sub(loc, "uri", publisher.url)
        uri.set(HREF, publisher.url)
        parts.append(uri)
    for part in parts[:-1]:
        part.tail = ", "


def _article_meta(front: etree._Element, a: Article, image_meta: Sequence[ImageMeta]) -> None:
    # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/article-meta.html ,
    # its children in the order the DTD requires.
    meta = sub(front, "article-meta")
    sub(meta, "article-id", a.id, **{"pub-id-type": "publisher-id"})
    if a.topic is not None:
        group = sub(sub(meta, "article-categories"), "subj-group", **{"subj-group-type": "topic"})
        sub(group, "subject", a.topic)
    sub(sub(meta, "title-group"), "article-title", a.title)
    _contrib_group(meta, a)
    if a.published is not None:
        _date(meta, "pub-date", a.published, DATE_PUBLISHED)
    _date(meta, "pub-date", a.updated, DATE_UPDATED)
    if a.next_update is not None:
        _date(sub(meta, "history"), "date", a.next_update, DATE_NEXT_UPDATE)
    _permissions(meta, a)
    if a.url is not None:
        sub(meta, "self-uri").set(HREF, a.url)
    _related_articles(meta, a)
    if a.description is not None:
        sub(sub(meta, "abstract"), "p", a.description)
    if a.keywords:
        group = sub(meta, "kwd-group")
        for keyword in a.keywords:
            sub(group, "kwd", keyword)
    _custom_meta(meta, a, image_meta)


def _related_articles(meta: etree._Element, a: Article) -> None:
    # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/related-article.html :
    # each other language version, in its language, with its title, its id and its
    # last update; its address (else its JATS file beside this one, <id>.xml).
    for t in a.translations:
        kind = RELATED_ORIGINAL if t.id == a.translation_of else RELATED_TRANSLATION
        related = sub(meta, "related-article", **{"related-article-type": kind, "ext-link-type": "uri"})
        related.set(HREF, t.url or f"{t.id}.xml")
        related.set(LANG, t.lang)
        sub(related, "article-title", t.title)
        sub(related, "pub-id", t.id, **{"pub-id-type": "publisher-id"})
        _date(related, "date", t.updated, DATE_UPDATED)


def _contrib_group(meta: etree._Element, a: Article) -> None:
    # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/contrib.html
    group = sub(meta, "contrib-group")
    for person in a.authors:
        _person(group, person, "author")
    for person in a.reviewers:
        _person(group, person, "reviewer")
    publisher = a.publisher
    contrib = sub(group, "contrib", **{"contrib-type": "publisher"})
    if publisher.short_name is not None:
        # collab-alternatives: the same organisation's name in other forms.
        alternatives = sub(contrib, "collab-alternatives")
        sub(alternatives, "collab", publisher.name)
        sub(alternatives, "collab", publisher.short_name, **{"specific-use": SHORT_NAME})
    else:
        sub(contrib, "collab", publisher.name)


def _person(group: etree._Element, person: Person, kind: str) -> None:
    contrib = sub(group, "contrib", **{"contrib-type": kind})
    if person.orcid:
        # JATS4R: the ORCID iD as a full https URI.
        sub(contrib, "contrib-id", ORCID_URI + person.orcid, **{"contrib-id-type": "orcid"})
    # The model keeps a person's name as one string (no family/given split). In the
    # Publishing tag set <contrib> cannot hold <string-name> directly, only inside
    # <name-alternatives>.
    sub(sub(contrib, "name-alternatives"), "string-name", person.name)
    if person.affiliation is not None:
        sub(contrib, "aff", person.affiliation)


def _date(parent: etree._Element, tag: str, value: dt.date | int, date_type: str) -> None:
    # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/pub-date.html ; a
    # year alone (a next update planned for "2027") is a date with only <year>.
    if isinstance(value, int):
        element = sub(parent, tag, **{"date-type": date_type, "iso-8601-date": f"{value:04d}"})
        sub(element, "year", str(value))
        return
    attrs = {"date-type": date_type, "iso-8601-date": value.isoformat()}
    if tag == "pub-date":
        attrs = {"publication-format": "electronic", **attrs}
    element = sub(parent, tag, **attrs)
    sub(element, "day", f"{value.day:02d}")
    sub(element, "month", f"{value.month:02d}")
    sub(element, "year", f"{value.year:04d}")


def _permissions(meta: etree._Element, a: Article) -> None:
    # JATS4R permissions: statement, year and holder together; the licence as
    # <license><ali:license_ref>.
    if a.rights is None and a.license is None:
        return
    element = sub(meta, "permissions")
    if a.rights is not None:
        sub(element, "copyright-statement", a.rights)
        sub(element, "copyright-year", str((a.published or a.updated).year))
        sub(element, "copyright-holder", a.publisher.name)
    if a.license is not None:
        sub(sub(element, "license"), ALI_LICENSE_REF, a.license)


def _custom_meta(meta: etree._Element, a: Article, image_meta: Sequence[ImageMeta]) -> None:
    # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/custom-meta.html
    group = sub(meta, "custom-meta-group")

    def add(name: str, value: str, href: str | None = None) -> None:
        item = sub(group, "custom-meta")
        if href is not None:
            item.set(HREF, href)
        sub(item, "meta-name", name)
        sub(item, "meta-value", value)

    add(META_SCHEMA_VERSION, a.schema_version)
    add(META_AUDIENCE, a.audience.value)
    if a.region is not None:
        add(META_REGION, a.region)
    if a.edition is not None:
        add(META_EDITION, a.edition)
    for href, name, value in image_meta:
        add(name, value, href)
