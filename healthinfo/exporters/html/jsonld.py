"""HTML5: the schema.org JSON-LD of a page, in its <script type="application/ld+json">.

References: schema.org's MedicalWebPage (https://schema.org/MedicalWebPage), Book,
CollectionPage and DefinedTermSet, JSON-LD 1.1 (https://www.w3.org/TR/json-ld11/) and
the HTML Living Standard's restrictions for the contents of script elements.
docs/exporters/html.md ("schema.org JSON-LD") has the mapping from the model.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from ...schema import Article, Book, Citation, Name, Publisher, Translation
from ...schema.publisher import Person
from .text import FORBIDDEN, may_hold_forbidden

__all__ = [
    "CSL_TO_SCHEMA_ORG",
    "article_jsonld",
    "book_jsonld",
    "citation_jsonld",
    "jsonld_script",
    "organisation",
    "prune",
]


#: CSL item type -> schema.org type of a cited work.
CSL_TO_SCHEMA_ORG = {
    "article": "Article",
    "article-journal": "ScholarlyArticle",
    "article-magazine": "Article",
    "article-newspaper": "NewsArticle",
    "book": "Book",
    "chapter": "Chapter",
    "report": "Report",
    "webpage": "WebPage",
    "post-weblog": "BlogPosting",
    "thesis": "Thesis",
    "dataset": "Dataset",
    "software": "SoftwareApplication",
    "legislation": "Legislation",
}


def prune(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without None, empty lists and empty dicts, recursively."""
    pruned: dict[str, Any] = _pruned(data)
    return pruned


def _pruned(value: Any) -> Any:
    if isinstance(value, dict):
        pruned = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def organisation(publisher: Publisher) -> dict[str, Any]:
    """A publisher as a schema.org Organization."""
    return {
        "@type": "Organization",
        "name": publisher.name,
        "alternateName": publisher.short_name,
        "url": publisher.url,
        "email": publisher.email,
    }


def _csl_name(name: Name) -> dict[str, Any]:
    if name.literal is not None:
        return {"@type": "Organization", "name": name.literal}
    family = " ".join(p for p in (name.non_dropping_particle, name.family) if p)
    return {"@type": "Person", "familyName": family, "givenName": name.given}


def _csl_date(citation: Citation) -> str | None:
    # schema.org datePublished: an ISO 8601 date (a season, month 21-24, is left out).
    if citation.issued is None or not citation.issued.date_parts:
        return None
    parts = citation.issued.date_parts[0]
    if len(parts) > 1 and parts[1] > 12:
        parts = parts[:1]
    return "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])])


def citation_jsonld(citation: Citation) -> dict[str, Any]:
    """A source as a schema.org CreativeWork (for MedicalWebPage.citation)."""
    identifiers = [
        {"@type": "PropertyValue", "propertyID": kind, "value": value}
        for kind, value in (("DOI", citation.DOI), ("PMID", citation.PMID), ("PMCID", citation.PMCID))
        if value
    ]
    same_as = [f"https://doi.org/{citation.DOI}"] if citation.DOI else []
    if citation.PMID:
        same_as.append(f"https://pubmed.ncbi.nlm.nih.gov/{citation.PMID}/")
    return {
        "@type": CSL_TO_SCHEMA_ORG.get(citation.type, "CreativeWork"),
        "name": citation.title or citation.container_title,
        "author": [_csl_name(n) for n in citation.author],
        "editor": [_csl_name(n) for n in citation.editor],
        "isPartOf": {"@type": "CreativeWork", "name": citation.container_title}
        if citation.title and citation.container_title
        else None,
        "datePublished": _csl_date(citation),
        "volumeNumber": citation.volume,
        "issueNumber": citation.issue,
        "pagination": citation.page,
        "publisher": {"@type": "Organization", "name": citation.publisher} if citation.publisher else None,
        "locationCreated": {"@type": "Place", "name": citation.publisher_place} if citation.publisher_place else None,
        "isbn": citation.ISBN,
        "identifier": identifiers,
        "sameAs": same_as,
        "url": citation.URL,
        "inLanguage": citation.language,
        "comment": citation.note,
    }


def _people(people: Sequence[Person]) -> list[dict[str, Any]]:
    return [{"@type": "Person", "name": p.name, "affiliation": p.affiliation} for p in people]


def article_jsonld(article: Article) -> dict[str, Any]:
    """The schema.org MedicalWebPage of an article (docs/exporters/html.md has the
    mapping). ``lastReviewed`` is the date of the last update: each update of an
    article is a review of the evidence."""
    return prune(
        {
            "@type": "MedicalWebPage",
            "name": article.title,
            "headline": article.title,
            "description": article.description,
            "inLanguage": article.lang,
            "url": article.url,
            "keywords": list(article.keywords),
            "audience": prune({"@type": "Audience", "audienceType": article.audience.value,
                               "geographicArea": _country(article.edition)}),
            "publisher": organisation(article.publisher),
            "author": _people(article.authors),
            "reviewedBy": _people(article.reviewers),
            "datePublished": article.published.isoformat() if article.published else None,
            "dateModified": article.updated.isoformat(),
            "lastReviewed": article.updated.isoformat(),
            "about": {"@type": "Thing", "name": article.topic} if article.topic else None,
            "isPartOf": {"@type": "CollectionPage", "name": article.topic} if article.topic else None,
            "spatialCoverage": _country(article.region),
            "copyrightNotice": article.rights,
            "license": article.license,
            "citation": [citation_jsonld(c) for c in article.references],
            "translationOfWork": _work(article.original()),
            "workTranslation": [_work(t) for t in article.translations if article.translation_of is None],
        }
    )


def _work(version: Translation | None) -> dict[str, Any] | None:
    """Another language version of an article: the original a translation is a
    translation of (schema.org translationOfWork), or a translation of an original
    (workTranslation)."""
    if version is None:
        return None
    return prune({"@type": "MedicalWebPage", "name": version.title, "inLanguage": version.lang, "url": version.url,
                  "dateModified": version.updated.isoformat()})


def _country(code: str | None) -> dict[str, str] | None:
    """A schema.org Country by its ISO 3166-1 code: the article's own region
    (spatialCoverage), or the readers' country of a regional edition (the audience's
    geographicArea)."""
    return {"@type": "Country", "identifier": code} if code else None


def book_jsonld(book: Book) -> dict[str, Any]:
    """The schema.org Book of a book, its articles as its parts."""
    isbn = book.identifier.split(":")[-1] if book.identifier.lower().startswith(("urn:isbn:", "isbn:")) else None
    return prune(
        {
            "@type": "Book",
            "name": book.title,
            "alternativeHeadline": book.subtitle,
            "description": book.description,
            "inLanguage": book.lang,
            "identifier": book.identifier,
            "isbn": isbn,
            "publisher": organisation(book.publisher),
            "datePublished": book.effective_date.isoformat(),
            "bookEdition": book.edition,
            "audience": {"@type": "Audience", "geographicArea": _country(book.edition)} if book.edition else None,
            "copyrightNotice": book.rights,
            "license": book.license,
            "hasPart": [article_jsonld(a) for a in book.articles],
        }
    )


def jsonld_script(data: dict[str, Any]) -> Markup:
    """JSON-LD for a <script type="application/ld+json">. The content of a script
    element ends at the first "</script" and "<!--" changes how it is parsed
    (https://html.spec.whatwg.org/multipage/scripting.html#restrictions-for-contents-of-script-elements):
    <, > and & are written as JSON escapes (\\u003c …), as are U+2028/U+2029 and the
    characters HTML cannot carry, so no corpus text can end or bend the script."""
    text = json.dumps({"@context": "https://schema.org", **data}, ensure_ascii=False, indent=1)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    if may_hold_forbidden(text):
        text = FORBIDDEN.sub(
            lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) < 0x10000 else _surrogates(m.group()), text
        )
    return Markup(text)


def _surrogates(char: str) -> str:
    code = ord(char) - 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
