"""JATS XML import: the ``<front>`` — journal-meta (the publisher) and article-meta.

The inverse of :mod:`healthinfo.exporters.jats.front`; the values both sides agree on
are in :mod:`healthinfo.exporters.jats.vocab`. The journal title is not read: it is
the publisher's series in the article's language, derived on export (or an option),
so the reader depends on no fixed words of any language. Elements of article-meta the
model has no field for (from other tools) are passed over; custom-meta it does not
know carries nothing of the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ...exporters.jats import vocab
from ...schema import Publisher
from ...schema.article import Audience
from ...schema.publisher import Person
from ._errors import JatsImportError, at, unknown
from ._tree import date, date_parts, elements, find, plain

__all__ = ["FrontMeta", "read_front"]


@dataclass
class FrontMeta:
    """What the front holds besides the article's own fields: the contributors (the
    publisher's short name is among them) and custom-meta's records of the images
    (size, model path by resource path), which the body needs."""

    contrib_group: etree._Element | None = None
    image_sizes: dict[str, tuple[int, int]] = field(default_factory=dict)
    image_paths: dict[str, str] = field(default_factory=dict)


def read_front(front: etree._Element, fields: dict[str, Any]) -> FrontMeta:
    """Reads ``front`` into ``fields`` (the keyword arguments of the Article)."""
    journal_meta = find(front, "journal-meta")
    article_meta = find(front, "article-meta")
    if journal_meta is None or article_meta is None:
        raise JatsImportError("<front> needs a <journal-meta> and an <article-meta>")
    meta = read_article_meta(article_meta, fields)
    fields["publisher"] = read_publisher(journal_meta, meta.contrib_group)
    return meta


# ---------------------------------------------------------------------------
# article-meta


def read_article_meta(meta: etree._Element, fields: dict[str, Any]) -> FrontMeta:
    result = FrontMeta()
    for child in elements(meta):
        if child.tag == "contrib-group":
            result.contrib_group = child
            _read_contrib_group(child, fields)
        elif child.tag == "custom-meta-group":
            _read_custom_meta(child, fields, result)
        else:
            reader = _ARTICLE_META.get(child.tag)
            if reader is not None:
                reader(child, fields)
    if "updated" not in fields:
        raise JatsImportError('the article has no <pub-date date-type="update">; healthinfo needs the date of the last update')
    return result


def _read_article_id(child: etree._Element, fields: dict[str, Any]) -> None:
    if child.get("pub-id-type") == "publisher-id":
        fields["id"] = plain(child)


def _read_categories(child: etree._Element, fields: dict[str, Any]) -> None:
    for group in elements(child):
        if group.tag == "subj-group" and group.get("subj-group-type") == "topic":
            subject = find(group, "subject")
            if subject is not None:
                fields["topic"] = plain(subject)


def _read_title_group(child: etree._Element, fields: dict[str, Any]) -> None:
    title = find(child, "article-title")
    if title is not None:
        fields["title"] = plain(title)


def _read_pub_date(child: etree._Element, fields: dict[str, Any]) -> None:
    # @pub-type="epub" is how JATS 1.0 and older tools mark the publication date.
    kind = child.get("date-type") or child.get("pub-type")
    if kind == vocab.DATE_UPDATED:
        fields["updated"] = date(child)
    elif kind in (vocab.DATE_PUBLISHED, "epub"):
        fields["published"] = date(child)


def _read_history(child: etree._Element, fields: dict[str, Any]) -> None:
    for element in elements(child):
        if element.get("date-type") == vocab.DATE_NEXT_UPDATE:
            parts = date_parts(element)
            fields["next_update"] = parts[0] if len(parts) == 1 else date(element)


def _read_permissions(child: etree._Element, fields: dict[str, Any]) -> None:
    for part in elements(child):
        if part.tag == "copyright-statement":
            fields["rights"] = plain(part)
        elif part.tag == "license":
            ref = find(part, vocab.ALI_LICENSE_REF)
            if ref is not None:
                fields["license"] = plain(ref).strip()
            elif part.get(vocab.HREF):
                fields["license"] = part.get(vocab.HREF)
        # copyright-year and copyright-holder are derived from the dates and the
        # publisher.


def _read_self_uri(child: etree._Element, fields: dict[str, Any]) -> None:
    fields["url"] = child.get(vocab.HREF)


def _read_related_article(child: etree._Element, fields: dict[str, Any]) -> None:
    # An other language version, as healthinfo writes one (exporters/jats/front.py);
    # other related articles carry nothing of the model.
    kind = child.get("related-article-type")
    pub_id, title, updated = find(child, "pub-id"), find(child, "article-title"), find(child, "date")
    lang = child.get(vocab.LANG)
    if kind not in (vocab.RELATED_ORIGINAL, vocab.RELATED_TRANSLATION) or pub_id is None or title is None \
            or updated is None or lang is None:
        return
    article_id, href = plain(pub_id).strip(), child.get(vocab.HREF)
    fields.setdefault("translations", []).append({
        "id": article_id, "lang": lang, "title": plain(title), "updated": date(updated),
        "url": None if href == f"{article_id}.xml" else href,
    })
    if kind == vocab.RELATED_ORIGINAL:
        fields["translation_of"] = article_id


def _read_abstract(child: etree._Element, fields: dict[str, Any]) -> None:
    paragraphs = [p for p in elements(child) if p.tag == "p"]
    fields["description"] = "\n\n".join(plain(p) for p in paragraphs)


def _read_keywords(child: etree._Element, fields: dict[str, Any]) -> None:
    fields.setdefault("keywords", []).extend(plain(k) for k in elements(child) if k.tag == "kwd")


#: The children of article-meta read by tag (contrib-group and custom-meta-group,
#: which feed the publisher and the body too, are read by read_article_meta).
_ARTICLE_META: dict[str, Callable[[etree._Element, dict[str, Any]], None]] = {
    "article-id": _read_article_id,
    "article-categories": _read_categories,
    "title-group": _read_title_group,
    "pub-date": _read_pub_date,
    "history": _read_history,
    "permissions": _read_permissions,
    "self-uri": _read_self_uri,
    "related-article": _read_related_article,
    "abstract": _read_abstract,
    "kwd-group": _read_keywords,
}


def _read_contrib_group(group: etree._Element, fields: dict[str, Any]) -> None:
    authors, reviewers = [], []
    for contrib in elements(group):
        kind = contrib.get("contrib-type")
        if kind == "author":
            authors.append(read_person(contrib))
        elif kind == "reviewer":
            reviewers.append(read_person(contrib))
    fields["authors"], fields["reviewers"] = authors, reviewers


def read_person(contrib: etree._Element) -> Person:
    fields: dict[str, Any] = {}
    for child in elements(contrib):
        if child.tag == "name-alternatives":
            names = [n for n in elements(child) if n.tag == "string-name"]
            if not names:
                raise JatsImportError(f"{at(child)}a contributor's <name-alternatives> has no <string-name>")
            fields["name"] = plain(names[0])
        elif child.tag == "aff":
            fields["affiliation"] = plain(child)
        elif child.tag == "contrib-id" and child.get("contrib-id-type") == "orcid":
            fields["orcid"] = plain(child).strip().removeprefix(vocab.ORCID_URI).removeprefix("http://orcid.org/")
        else:
            raise unknown(child, contrib)
    return Person(**fields)


def _read_custom_meta(group: etree._Element, fields: dict[str, Any], meta: FrontMeta) -> None:
    for item in elements(group):
        name_element = find(item, "meta-name")
        value_element = find(item, "meta-value")
        if name_element is None or value_element is None:
            continue
        name, value = plain(name_element), plain(value_element)
        href = item.get(vocab.HREF)
        if name == vocab.META_SCHEMA_VERSION:
            fields["schema_version"] = value
        elif name == vocab.META_AUDIENCE:
            fields["audience"] = Audience(value)
        elif name == vocab.META_REGION:
            fields["region"] = value
        elif name == vocab.META_EDITION:
            fields["edition"] = value
        elif name == vocab.META_IMAGE_SIZE and href:
            width, _, height = value.partition("x")
            try:
                meta.image_sizes[href] = (int(width), int(height))
            except ValueError:
                raise JatsImportError(f"{at(item)}image size {value!r} is not WIDTHxHEIGHT") from None
        elif name == vocab.META_IMAGE_PATH and href:
            meta.image_paths[href] = value
        # Other custom-meta (from other tools) carries nothing of the model.


# ---------------------------------------------------------------------------
# journal-meta: the publisher


def read_publisher(journal_meta: etree._Element, contrib_group: etree._Element | None) -> Publisher:
    """The publisher: its id and address from journal-meta, its short name from the
    publisher's <contrib> in article-meta. The journal title is not read (see the
    module docstring)."""
    fields: dict[str, Any] = {}
    for child in elements(journal_meta):
        if child.tag == "journal-id" and child.get("journal-id-type") == "publisher-id":
            fields["id"] = plain(child)
        elif child.tag == "publisher":
            for part in elements(child):
                if part.tag == "publisher-name":
                    fields["name"] = plain(part)
                elif part.tag == "publisher-loc":
                    _read_publisher_loc(part, fields)
    if contrib_group is not None:
        for contrib in elements(contrib_group):
            if contrib.get("contrib-type") != "publisher":
                continue
            alternatives = find(contrib, "collab-alternatives")
            if alternatives is not None:
                for collab in elements(alternatives):
                    if collab.get("specific-use") == vocab.SHORT_NAME:
                        fields["short_name"] = plain(collab)
    return Publisher(**fields)


def _read_publisher_loc(loc: etree._Element, fields: dict[str, Any]) -> None:
    # Lenient: the parts are separated by ", " for display.
    for item in elements(loc, lenient=True):
        if item.tag == "addr-line":
            fields["address"] = plain(item)
        elif item.tag == "country":
            fields["country"] = item.get("country") or plain(item)
        elif item.tag == "email":
            fields["email"] = plain(item)
        elif item.tag == "uri":
            fields["url"] = item.get(vocab.HREF) or plain(item)
