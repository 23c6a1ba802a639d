"""ONIX 3.0: the code-list values the writer writes, and the one table that maps the
EPUB's accessibility metadata to ONIX (:data:`ACCESSIBILITY`).

Reference: ONIX for Books 3.0 (EDItEUR, https://www.editeur.org/93/Release-3.0-Downloads/)
and its code lists, issue 75 as the XSD of the PyPI package ``onixcheck`` holds them
(ONIX_BookProduct_CodeLists.xsd). Each constant names its list and the code's label
there; docs/exporters/onix.md has the whole mapping and what is left out and why.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ACCESSIBILITY",
    "ACCESSIBILITY_DETAIL",
    "ANY",
    "AUDIENCES",
    "AUDIENCE_ONIX",
    "COLLECTION_PUBLISHER",
    "COMPOSITION_SINGLE",
    "CONTENT_AUDIENCE_UNRESTRICTED",
    "CONTENT_STILL_IMAGES",
    "CONTENT_TEXT",
    "CONTRIBUTOR_ROLES",
    "EPUB_VERSION",
    "FORMAT_VERSION",
    "FORM_DETAIL_EPUB",
    "FORM_DIGITAL_DOWNLOAD",
    "HAZARD_WARNING",
    "ID_DOI",
    "ID_ISBN13",
    "ID_PROPRIETARY",
    "ID_URN",
    "KEYWORD_SEPARATOR",
    "LANGUAGE_OF_TEXT",
    "LEVEL_COLLECTION",
    "LEVEL_CONTENT_ITEM",
    "LEVEL_PRODUCT",
    "LICENSE_HUMAN_READABLE",
    "NAMESPACE",
    "NOTIFICATION_CONFIRMED",
    "OTHER_ROLE",
    "PROTECTION_NONE",
    "PUBLICATION_DATE",
    "PUBLISHER",
    "PUBLISHER_WEBSITE",
    "PUBLISHING_STATUS_ACTIVE",
    "RELEASE",
    "SUBJECT_KEYWORDS",
    "TEXT_DESCRIPTION",
    "TEXT_ITEM_BODY",
    "TEXT_PUBLISHERS_NOTICE",
    "TITLE_DISTINCTIVE",
    "URL",
    "Statement",
]

#: The namespace of the reference-tag ONIX 3.0 message, and its release attribute.
NAMESPACE = "http://ns.editeur.org/onix/3.0/reference"
RELEASE = "3.0"

# ---------------------------------------------------------------- the product

#: List 1: "Notification confirmed on publication" (a complete record of a published product).
NOTIFICATION_CONFIRMED = "03"
#: List 5, product identifier types: "Proprietary product ID scheme", "DOI", "ISBN-13", "URN".
ID_PROPRIETARY, ID_DOI, ID_ISBN13, ID_URN = "01", "06", "15", "22"
#: List 2: "Single-component retail product".
COMPOSITION_SINGLE = "00"
#: List 150: "Digital download" (an e-book file); list 175: "EPUB".
FORM_DIGITAL_DOWNLOAD, FORM_DETAIL_EPUB = "ED", "E101"
#: List 79, product form feature types: "E-publication accessibility detail" (values
#: from list 196), "US CPSIA or other international hazard warning" (list 143),
#: "E-publication format version" (list 220).
ACCESSIBILITY_DETAIL, HAZARD_WARNING, FORMAT_VERSION = "09", "12", "15"
#: List 220: "EPUB 3.3", the version the EPUB exporter writes (EPUBCheck 5 checks it).
EPUB_VERSION = "101F"
#: List 144, e-publication technical protection: "None" (no DRM, no watermark).
PROTECTION_NONE = "00"
#: List 218, license expression type: "Human readable" (a document for the lay reader).
LICENSE_HUMAN_READABLE = "01"
#: List 148, collection type: "Publisher collection" (a series the publisher defines).
COLLECTION_PUBLISHER = "10"
#: List 15, title type: "Distinctive title (book); ... Title of content item, collection".
TITLE_DISTINCTIVE = "01"
#: List 149, title element level: "Product", "Collection level", "Content item".
LEVEL_PRODUCT, LEVEL_COLLECTION, LEVEL_CONTENT_ITEM = "01", "02", "04"
#: List 22, language role: "Language of text".
LANGUAGE_OF_TEXT = "01"
#: List 27, subject scheme: "Keywords" (several in one SubjectHeadingText, separated
#: by semicolons, as the list's note recommends).
SUBJECT_KEYWORDS = "20"
KEYWORD_SEPARATOR = "; "
#: List 29, audience code type: "ONIX audience codes" (values from list 28).
AUDIENCE_ONIX = "01"
#: List 153, text type: "Description" (of the product, length unrestricted) and
#: "Publisher's notice" (a legal notice of any sort: the rights statement).
TEXT_DESCRIPTION, TEXT_PUBLISHERS_NOTICE = "03", "13"
#: List 154, content audience: "Unrestricted".
CONTENT_AUDIENCE_UNRESTRICTED = "00"
#: List 42, text item type: "Body matter" (an article of a book).
TEXT_ITEM_BODY = "03"
#: List 45, publishing role: "Publisher".
PUBLISHER = "01"
#: List 73, website role: "Publisher's corporate website".
PUBLISHER_WEBSITE = "01"
#: List 64, publishing status: "Active".
PUBLISHING_STATUS_ACTIVE = "04"
#: List 163, publishing date role: "Publication date".
PUBLICATION_DATE = "01"
#: List 81, product content types: "Text" (readable text of the main content: required
#: for an e-book whose primary content is text) and "Still images / graphics".
CONTENT_TEXT, CONTENT_STILL_IMAGES = "10", "07"

#: MARC relator code of a contributor (healthinfo.exporters.epub.publication) -> list
#: 17, contributor role. ``aut``: A01 "By (author)". ``rev`` (an external reviewer of
#: the article's content): list 17 has no "reviewed by"; B20 "Consultant editor" is
#: the one whose note names the role ("use also for 'advisory editor', 'editorial
#: consultant'"); B02 "Revised by" would say they changed the text, Z04 "Peer reviewed"
#: is only for unnamed persons.
CONTRIBUTOR_ROLES = {"aut": "A01", "rev": "B20"}
#: List 17: "Other" (other creative responsibility), for a role without a mapping.
OTHER_ROLE = "Z99"

#: The article's audience (healthinfo.schema.Audience) -> list 28. Patients,
#: caregivers and the public are 01 "General / adult" ("a non-specialist or 'popular'
#: adult audience"); professionals are 06 "Professional and scholarly".
AUDIENCES = {"patients": "01", "caregivers": "01", "public": "01", "professionals": "06"}


# ---------------------------------------------------------------- accessibility


#: The values of :data:`ACCESSIBILITY` keys that stand for any text, any web address.
ANY, URL = "*", "<url>"


@dataclass(frozen=True)
class Statement:
    """What ONIX says for one statement of the EPUB's accessibility metadata.

    ``codes``: (list, code) pairs written for it — list "196" and "143" are
    ProductFormFeature values (type 09 and 12), list "81" is a content type (the first
    "81" of a record is its PrimaryContentType, the others ProductContentType); empty
    when ONIX has no code whose definition holds. ``text``: the EPUB's own text goes
    into ProductFormFeatureDescription. ``why``: the definition the mapping rests on,
    or why nothing is written."""

    codes: tuple[tuple[str, str], ...]
    why: str
    text: bool = False


#: THE mapping of the accessibility metadata of the EPUB's package document (EPUB
#: Accessibility 1.1, section 2; healthinfo.exporters.epub.accessibility) to ONIX:
#: (OPF property, value) -> :class:`Statement`. The value :data:`ANY` stands for any
#: text and :data:`URL` for any web address (the text is carried). dcterms:conformsTo is parsed into its three parts ("EPUB
#: Accessibility 1.1", "WCAG 2.2", "Level AA"). The OPF counterpart of every ONIX code
#: is its key; docs/exporters/onix.md shows the table, tests/test_onix.py compares the
#: two records statement by statement.
ACCESSIBILITY: dict[tuple[str, str], Statement] = {
    # Conformance (list 196: 04, then the WCAG version 80-82 and level 84-86 "in
    # combination with code 04"). Without a certifier, ONIX reads it as "self-certified
    # by the publisher", as the EPUB's summary says.
    ("dcterms:conformsTo", "EPUB Accessibility 1.1"): Statement(
        (("196", "04"),), "04 EPUB Accessibility Specification 1.1: conforms with EPUB Accessibility 1.1"),
    ("dcterms:conformsTo", "WCAG 2.0"): Statement((("196", "80"),), "80 WCAG v2.0"),
    ("dcterms:conformsTo", "WCAG 2.1"): Statement((("196", "81"),), "81 WCAG v2.1"),
    ("dcterms:conformsTo", "WCAG 2.2"): Statement((("196", "82"),), "82 WCAG v2.2"),
    ("dcterms:conformsTo", "Level A"): Statement((("196", "84"),), "84 WCAG level A"),
    ("dcterms:conformsTo", "Level AA"): Statement((("196", "85"),), "85 WCAG level AA"),
    ("dcterms:conformsTo", "Level AAA"): Statement((("196", "86"),), "86 WCAG level AAA"),
    # Features.
    ("schema:accessibilityFeature", "tableOfContents"): Statement(
        (("196", "11"),),
        "11 Table of contents navigation: direct access to every level of the text above "
        "paragraphs (the navigation's contents: chapters and sections) and to all tables and "
        "figures (its lists of figures and of tables)",
    ),
    ("schema:accessibilityFeature", "readingOrder"): Statement(
        (("196", "13"),), "13 Single logical reading order: the spine and the text, notes, "
        "captions and figures in one order"),
    ("schema:accessibilityFeature", "alternativeText"): Statement(
        (("196", "14"),), "14 Short alternative textual descriptions: every figure has alt text"),
    ("schema:accessibilityFeature", "structuralNavigation"): Statement(
        (("196", "29"),), "29 Next / Previous structural navigation: headings marked up at every level"),
    ("schema:accessibilityFeature", "displayTransformability"): Statement(
        (("196", "36"),), "36 Appearance of all textual content can be modified: reflowable, relative units"),
    ("schema:accessibilityFeature", "pageNavigation"): Statement(
        (("196", "41"),), "41 Page list navigation (page number navigation to print-equivalent or "
        "static page breaks); 19 is print-equivalent page numbering, schema.org printPageNumbers"),
    # Access modes: the content types 14 is to be used with (list 81).
    ("schema:accessMode", "textual"): Statement(
        (("81", CONTENT_TEXT),), "list 81 10 Text: an e-book whose primary content is text"),
    ("schema:accessMode", "visual"): Statement(
        (("81", CONTENT_STILL_IMAGES),), "list 81 07 Still images / graphics: the figures"),
    ("schema:accessModeSufficient", "textual,visual"): Statement(
        (), "ONIX has no code for 'text and images together are enough'; a record without 52 says as much"),
    ("schema:accessModeSufficient", "textual"): Statement(
        (("196", "52"),), "52 All non-decorative content supports reading without sight: "
        "text alone is enough (images through their text alternatives)"),
    # The summary (00: "consistent with the more specific conformance, feature and
    # certification details").
    ("schema:accessibilitySummary", ANY): Statement((("196", "00"),), "00 Accessibility summary", text=True),
    # Hazards (list 143, feature type 12).
    ("schema:accessibilityHazard", "none"): Statement(
        (("143", "14"), ("143", "16"), ("143", "18")),
        "14, 16, 18: no flashing, no sound, no motion simulation hazard warning necessary"),
    ("schema:accessibilityHazard", "noFlashingHazard"): Statement((("143", "14"),), "14 No flashing hazard warning necessary"),
    ("schema:accessibilityHazard", "flashing"): Statement((("143", "13"),), "13 WARNING – Flashing hazard"),
    ("schema:accessibilityHazard", "noSoundHazard"): Statement((("143", "16"),), "16 No sound hazard warning necessary"),
    ("schema:accessibilityHazard", "sound"): Statement((("143", "15"),), "15 WARNING – Sound hazard"),
    ("schema:accessibilityHazard", "noMotionSimulationHazard"): Statement(
        (("143", "18"),), "18 No motion simulation hazard warning necessary"),
    ("schema:accessibilityHazard", "motionSimulation"): Statement((("143", "17"),), "17 WARNING – Motion simulation hazard"),
    # Certification (EPUB Accessibility 1.1, 2.1.3), only when a certifier is named.
    ("a11y:certifiedBy", ANY): Statement(
        (("196", "90"),), "90 Compliance certification by (name)", text=True),
    ("a11y:certifierCredential", ANY): Statement(
        (("196", "88"),), "88 Certifier credentialled by (name): who credentialled the certifier", text=True),
    ("a11y:certifierCredential", URL): Statement(
        (("196", "89"),), "89 Certifier credentialled by (URL), for a credential that is a web address", text=True),
    ("a11y:certifierReport", URL): Statement(
        (("196", "94"),), "94 Compliance web page for detailed accessibility information, maintained by "
        "the certifier; 93 is the certifier's own home page, which the model does not hold", text=True),
}
