"""ONIX 3.0: the product record of an e-book — an article's (the record of
``epub/<id>.epub``) or a book's — as one ONIX for Books 3.0 message with one
<Product>, for the distributors and stores that list it.

Reference: ONIX for Books 3.0 (EDItEUR), the reference-tag XSD
ONIX_BookProduct_3.0_reference.xsd and its code lists (the PyPI package ``onixcheck``
ships both; tests/test_onix.py validates every record against them). The record
describes the EPUB that the EPUB exporter writes: every fact comes from
:func:`healthinfo.exporters.epub.publication.publication` (the package-level facts)
and :func:`healthinfo.exporters.epub.accessibility.facts_accessibility` (the
accessibility claims), the sources the EPUB's package document is written from, so
that the record and the e-book say the same. docs/exporters/onix.md has the mapping,
element by element, and what is not written and why.

The tree is built with lxml and written once, indented (the record has no mixed
content), so the bytes are the same for the same document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import pycountry
from lxml import etree

from ...schema import Article, Book
from .._base import ExportError, Rendered, warn
from .._i18n import base_language, edition_label
from ..epub.accessibility import facts_accessibility
from ..epub.publication import Contributor, Publication, publication
from . import codes
from .features import Features, features
from .options import Options

__all__ = ["EXTENSION", "MEDIA_TYPE", "NAME", "language_code", "render", "to_tree"]

NAME = "onix"
#: In its own folder (onix/), beside JATS's .xml files of the same articles.
EXTENSION = ".onix.xml"
#: ONIX has no IANA media type of its own.
MEDIA_TYPE = "application/xml"

_NS = f"{{{codes.NAMESPACE}}}"
#: The white space of XML Schema (space, tab, CR, LF). ONIX's dt.NonEmptyString is
#: one line (".*\S.*"): runs of it become one space in single-line values; other
#: characters (a no-break space) are kept.
_XSD_SPACE = re.compile(r"[ \t\r\n]+")
#: The years an ONIX date can have (dt.DateOrDateTime: "(19|2\d)\d\d…").
_FIRST_YEAR, _LAST_YEAR = 1900, 2999


def _line(value: str) -> str:
    return _XSD_SPACE.sub(" ", value).strip(" ")


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    """A new last child ``<tag>`` of ``parent`` in the ONIX namespace, holding
    ``text`` as one line."""
    element = etree.SubElement(parent, _NS + tag)
    if text is not None:
        element.text = _line(text)
    return element


def _date(value: dt.date | dt.datetime, what: str) -> str:
    """YYYYMMDD (with THHMMSSZ for a moment in UTC), the ONIX date format."""
    if not _FIRST_YEAR <= value.year <= _LAST_YEAR:
        raise ExportError(f"ONIX dates are between {_FIRST_YEAR} and {_LAST_YEAR}; the {what} is {value.isoformat()}")
    return value.strftime("%Y%m%dT%H%M%SZ" if isinstance(value, dt.datetime) else "%Y%m%d")


def language_code(tag: str) -> str | None:
    """The ONIX code (list 74, ISO 639-2/B) of a BCP 47 language tag: its primary
    language's bibliographic code where ISO 639-2 has one ("de" -> "ger"), else its
    three-letter code ("en" -> "eng"); None for a language ISO 639 does not know.
    The codes are pycountry's ISO 639-3 data, not a table of our own."""
    primary = base_language(tag)
    found = pycountry.languages.get(**{"alpha_2" if len(primary) == 2 else "alpha_3": primary})
    if found is None:
        return None
    return str(getattr(found, "bibliographic", None) or found.alpha_3)


# ---------------------------------------------------------------- the message


def _header(root: etree._Element, facts: Publication, options: Options) -> None:
    header = _sub(root, "Header")
    sender = _sub(header, "Sender")
    _sub(sender, "SenderName", facts.publisher.name)
    _sub(header, "SentDateTime", _date(options.timestamp(facts.modified), "moment the record is sent"))


def _identifier(product: etree._Element, facts: Publication) -> None:
    """ISBN-13 when the e-book has one; else a DOI (without its doi: or resolver
    prefix, as list 5 asks), a URN (urn:uuid:…), or a proprietary identifier."""
    value = facts.identifier
    lowered = value.lower()
    name = None
    if facts.isbn:
        kind, value = codes.ID_ISBN13, facts.isbn
    elif lowered.startswith("doi:"):
        kind, value = codes.ID_DOI, value[4:].strip()
    elif lowered.startswith(("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/")):
        kind, value = codes.ID_DOI, value.split("doi.org/", 1)[1]
    elif lowered.startswith("urn:"):
        kind = codes.ID_URN
    else:
        kind, name = codes.ID_PROPRIETARY, "healthinfo identifier"
    element = _sub(product, "ProductIdentifier")
    _sub(element, "ProductIDType", kind)
    if name:
        _sub(element, "IDTypeName", name)
    _sub(element, "IDValue", value)


def _form(detail: etree._Element, facts: Publication, access: Features) -> None:
    """An EPUB 3.3 download without DRM, its accessibility (list 196 details and list
    143 hazard warnings), its content types and its licence."""
    _sub(detail, "ProductComposition", codes.COMPOSITION_SINGLE)
    _sub(detail, "ProductForm", codes.FORM_DIGITAL_DOWNLOAD)
    _sub(detail, "ProductFormDetail", codes.FORM_DETAIL_EPUB)
    features: list[tuple[str, str, str | None]] = [(codes.FORMAT_VERSION, codes.EPUB_VERSION, None)]
    features += [(codes.ACCESSIBILITY_DETAIL, code, text) for code, text in access.details]
    features += [(codes.HAZARD_WARNING, code, None) for code in access.hazards]
    for kind, value, text in features:
        feature = _sub(detail, "ProductFormFeature")
        _sub(feature, "ProductFormFeatureType", kind)
        _sub(feature, "ProductFormFeatureValue", value)
        if text:
            _sub(feature, "ProductFormFeatureDescription", text)
    for number, content in enumerate(access.content_types):
        _sub(detail, "PrimaryContentType" if number == 0 else "ProductContentType", content)
    _sub(detail, "EpubTechnicalProtection", codes.PROTECTION_NONE)
    if facts.license:
        # The licence is known by its address only: the address is its name too.
        licence = _sub(detail, "EpubLicense")
        _sub(licence, "EpubLicenseName", facts.license)
        expression = _sub(licence, "EpubLicenseExpression")
        _sub(expression, "EpubLicenseExpressionType", codes.LICENSE_HUMAN_READABLE)
        _sub(expression, "EpubLicenseExpressionLink", facts.license)


def _title(parent: etree._Element, level: str, title: str, subtitle: str | None = None,
           part: int | None = None) -> None:
    detail = _sub(parent, "TitleDetail")
    _sub(detail, "TitleType", codes.TITLE_DISTINCTIVE)
    element = _sub(detail, "TitleElement")
    _sub(element, "TitleElementLevel", level)
    if part is not None:
        _sub(element, "PartNumber", str(part))
    _sub(element, "TitleText", title)
    if subtitle:
        _sub(element, "Subtitle", subtitle)


def _contributors(parent: etree._Element, people: Sequence[Contributor]) -> None:
    """Each contributor in order, with its list 17 role; an organisation by its
    corporate name."""
    for number, person in enumerate(people, start=1):
        role = codes.CONTRIBUTOR_ROLES.get(person.role)
        if role is None:
            warn("onix:contributor-role", f"the role {person.role!r} of {person.name!r} has no ONIX code; written as Other")
            role = codes.OTHER_ROLE
        contributor = _sub(parent, "Contributor")
        _sub(contributor, "SequenceNumber", str(number))
        _sub(contributor, "ContributorRole", role)
        _sub(contributor, "CorporateName" if person.corporate else "PersonName", person.name)


def _languages(detail: etree._Element, facts: Publication) -> None:
    written: list[str] = []
    for tag in facts.languages:
        code = language_code(tag)
        if code is None:
            warn("onix:language", f"the language {tag!r} has no ISO 639-2 code; the record does not name it")
        elif code not in written:
            written.append(code)
            language = _sub(detail, "Language")
            _sub(language, "LanguageRole", codes.LANGUAGE_OF_TEXT)
            _sub(language, "LanguageCode", code)


def _subjects(detail: etree._Element, facts: Publication) -> None:
    """The topics and keywords in one keyword subject, joined by semicolons (list 27,
    code 20)."""
    if not facts.subjects:
        return
    for subject in facts.subjects:
        if ";" in subject:
            warn("onix:keyword", f"the keyword {subject!r} holds a semicolon: ONIX readers take it for two keywords")
    element = _sub(detail, "Subject")
    _sub(element, "SubjectSchemeIdentifier", codes.SUBJECT_KEYWORDS)
    _sub(element, "SubjectHeadingText", codes.KEYWORD_SEPARATOR.join(_line(s) for s in facts.subjects))


def _audiences(detail: etree._Element, facts: Publication) -> None:
    """The audiences of the articles (list 28), each once."""
    for code in dict.fromkeys(codes.AUDIENCES[article.audience.value] for article in facts.articles):
        audience = _sub(detail, "Audience")
        _sub(audience, "AudienceCodeType", codes.AUDIENCE_ONIX)
        _sub(audience, "AudienceCodeValue", code)


def _descriptive_detail(product: etree._Element, facts: Publication, access: Features) -> None:
    detail = _sub(product, "DescriptiveDetail")
    _form(detail, facts, access)
    if facts.series is not None:
        collection = _sub(detail, "Collection")
        _sub(collection, "CollectionType", codes.COLLECTION_PUBLISHER)
        _title(collection, codes.LEVEL_COLLECTION, facts.series.title, part=facts.series.position)
    _title(detail, codes.LEVEL_PRODUCT, facts.title, facts.subtitle)
    _contributors(detail, facts.contributors)
    if facts.edition is not None:  # a regional edition, said in the book's language (P.6.3)
        _sub(detail, "EditionStatement", edition_label(facts.edition, facts.lang))
    _languages(detail, facts)
    _subjects(detail, facts)
    _audiences(detail, facts)


def _collateral_detail(product: etree._Element, facts: Publication) -> None:
    """The description (text type 03) and the rights statement (13, a publisher's
    notice)."""
    texts = [(codes.TEXT_DESCRIPTION, facts.description), (codes.TEXT_PUBLISHERS_NOTICE, facts.rights)]
    if not any(text for _, text in texts):
        return
    collateral = _sub(product, "CollateralDetail")
    for kind, text in texts:
        if text:
            content = _sub(collateral, "TextContent")
            _sub(content, "TextType", kind)
            _sub(content, "ContentAudience", codes.CONTENT_AUDIENCE_UNRESTRICTED)
            _sub(content, "Text").text = text


def _content_detail(product: etree._Element, articles: Sequence[Article]) -> None:
    """A book's articles as its content items (body matter), titled as its chapters."""
    content = _sub(product, "ContentDetail")
    for number, article in enumerate(articles, start=1):
        item = _sub(content, "ContentItem")
        _sub(item, "LevelSequenceNumber", str(number))
        _sub(_sub(item, "TextItem"), "TextItemType", codes.TEXT_ITEM_BODY)
        _title(item, codes.LEVEL_CONTENT_ITEM, article.title)


def _publishing_detail(product: etree._Element, facts: Publication) -> None:
    detail = _sub(product, "PublishingDetail")
    publisher = _sub(detail, "Publisher")
    _sub(publisher, "PublishingRole", codes.PUBLISHER)
    _sub(publisher, "PublisherName", facts.publisher.name)
    if facts.publisher.url:
        website = _sub(publisher, "Website")
        _sub(website, "WebsiteRole", codes.PUBLISHER_WEBSITE)
        _sub(website, "WebsiteLink", facts.publisher.url)
    _sub(detail, "PublishingStatus", codes.PUBLISHING_STATUS_ACTIVE)
    date = _sub(detail, "PublishingDate")
    _sub(date, "PublishingDateRole", codes.PUBLICATION_DATE)
    _sub(date, "Date", _date(facts.date, "publication date"))


def to_tree(document: Article | Book, options: Options | None = None) -> etree._Element:
    """The ONIX message of ``document``'s e-book, as an lxml tree."""
    options = options or Options()
    facts = publication(document)
    access = features(facts_accessibility(facts))
    # The default namespace: lxml-stubs type nsmap's keys as str, lxml takes None.
    root = etree.Element(_NS + "ONIXMessage", {"release": codes.RELEASE}, nsmap={None: codes.NAMESPACE})  # type: ignore[dict-item]
    _header(root, facts, options)
    product = _sub(root, "Product")
    _sub(product, "RecordReference", facts.identifier)
    _sub(product, "NotificationType", codes.NOTIFICATION_CONFIRMED)
    _identifier(product, facts)
    _descriptive_detail(product, facts, access)
    _collateral_detail(product, facts)
    if not facts.single:
        _content_detail(product, facts.articles)
    _publishing_detail(product, facts)
    return root


def render(document: Article | Book, options: Options) -> Rendered:
    """The ONIX record of ``document``'s e-book (UTF-8, with its XML declaration)."""
    return Rendered(etree.tostring(to_tree(document, options), xml_declaration=True, encoding="UTF-8", pretty_print=True))
