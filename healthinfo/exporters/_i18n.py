"""The fixed words of every output, per language, and the language rules every format
shares: which table a language tag reads (its primary subtag) and its writing
direction.

One table for all formats (pandoc keeps one translations file per language; Sphinx
one gettext catalogue): a label, a heading, a reference's "editors" or a date is
written the same way in HTML, EPUB, DOCX, JATS and the site. A language without a
table of its own reads the English one. Every table has every key (a test checks),
so no format can fall back to English for one word of a German page.

References: BCP 47 (https://www.rfc-editor.org/rfc/rfc5646) for language tags; the
CLDR likely-subtags data (https://github.com/unicode-org/cldr, likelySubtags.xml) for
the script a language is written in when its tag names none; Citing Medicine, 2nd ed.
(https://www.ncbi.nlm.nih.gov/books/NBK7256/) for the English words of a reference,
and the Vancouver conventions of German-, French- and Spanish-language medical
journals for theirs ("Hrsg.", "S.", "Verfügbar unter").
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Mapping, Sequence
from typing import Final, Literal

from ..schema import NoteKind

__all__ = [
    "KEYS",
    "LANGUAGES",
    "MONTHS",
    "WORDS",
    "base_language",
    "country_name",
    "direction",
    "edition_label",
    "is_rtl",
    "language_name",
    "note_label",
    "quotes",
    "region_label",
    "table_language",
    "word",
    "words",
]

#: Scripts written right to left (ISO 15924 codes, as a BCP 47 script subtag).
RTL_SCRIPTS: Final = frozenset({"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg", "mand", "samr", "mend", "yezi"})

#: Primary language subtags whose likely script (CLDR) is written right to left. A tag
#: with a script subtag follows its script instead ("sd-Deva" is left to right,
#: "ku-Arab" right to left); Kurdish ("ku") is most often written in Latin script.
RTL_LANGUAGES: Final = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "ug", "ur", "yi"})


def base_language(lang: str) -> str:
    """The primary language subtag of a BCP 47 tag, lower case: "de-CH" -> "de"."""
    return lang.split("-", 1)[0].lower()


def _script(lang: str) -> str | None:
    """The script subtag of a tag ("sr-Latn-RS" -> "latn"), if it has one."""
    for subtag in lang.split("-")[1:]:
        if len(subtag) == 4 and subtag.isalpha():
            return subtag.lower()
        if len(subtag) == 1:  # an extension or private use: no script follows
            break
    return None


@functools.lru_cache(maxsize=256)
def is_rtl(lang: str) -> bool:
    """Whether text in ``lang`` is written right to left."""
    script = _script(lang)
    if script is not None:
        return script in RTL_SCRIPTS
    return base_language(lang) in RTL_LANGUAGES


def direction(lang: str) -> Literal["ltr", "rtl"]:
    """The writing direction of a language tag, as HTML's ``dir`` takes it."""
    return "rtl" if is_rtl(lang) else "ltr"


# ---------------------------------------------------------------- the words

_EN: Final[dict[str, str]] = {
    # callouts (NoteKind values)
    "note": "Note",
    "tip": "Tip",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
    # parts of an article
    "glossary": "Glossary",
    "references": "Sources",
    "contents": "Contents",
    "updated": "Updated on",
    "next_update": "Next planned update",
    "published": "Published",
    "publisher": "Publisher",
    "authors": "Authors",
    "reviewers": "Reviewed by",
    "synonyms": "Also called",
    "also": "also",
    "back_to_text": "Back to the text",
    "figure": "Figure",
    "table": "Table",
    "licence": "Licence",
    "contact": "Contact",
    "identifier": "Identifier",
    "topic": "Topic",
    "region": "Applies to: {countries}",
    "edition": "Edition: {country}",
    # the web page and the site
    "skip": "Skip to content",
    "breadcrumb": "Breadcrumb",
    "home": "Home",
    "used_in": "Used in",
    "other_topics": "Other topics",
    "site_nav": "Site",
    "not_found": "Page not found",
    "not_found_text": "There is no page at this address. It may have moved, or the address may be mistyped.",
    "not_found_home": "Go to the start page",
    "feed": "Recently updated",
    "search": "Search",
    "search_label": "Search the articles",
    "search_found": "Articles found for “{query}”: {count}",
    "search_none": "No article found for “{query}”.",
    "search_unavailable": "The search could not be loaded. It works when the site is opened from a web server (http:// or https://), not from a file.",
    "search_script": "The search needs JavaScript.",
    "translations": "This article in other languages",
    "translations_label": "Other languages",
    "translation_outdated": "This translation was last updated on {updated}; its original in {language} was updated later, on {date}.",
    # the e-book
    "cover": "Cover",
    "title_page": "Title page",
    "list_of_figures": "Figures",
    "list_of_tables": "Tables",
    "landmarks": "Guide",
    "start": "Start of content",
    "more": "More information",
    # a page left blank so that a printed brochure has a multiple of 4 pages
    "blank_page": "This page is intentionally left blank.",
    # JATS journal-meta: the publisher's series ({publisher}: its short name or name)
    "series": "{publisher} health information",
    # the e-book's accessibility summary (EPUB Accessibility 1.1, schema:accessibilitySummary)
    "a11y_summary": (
        "This publication conforms to {conformance}{claim}. It has a table of contents "
        "and one reading order that follows the text. {extras}It has no flashing, motion "
        "or sound hazards."
    ),
    "a11y_certified": ", as certified by {certifier}",
    "a11y_self": ", as its publisher states; no independent certifier has checked it",
    "a11y_headings": "Headings structure its chapters. ",
    "a11y_glossary": "Terms are linked to a glossary that explains them. ",
    "a11y_sources": "Citations are linked to the list of sources. ",
    "a11y_sources_list": "Its sources are listed at the end. ",
    "a11y_image": "It contains one image, which has a text alternative. ",
    "a11y_images": "It contains {n} images, each with a text alternative. ",
    "a11y_images_no_alt": "Some of its {n} images have no text alternative. ",
    # quotation marks, outer then inner (the loader's typographer writes them; docs/authoring.md)
    "quote_open": "\u201c",
    "quote_close": "\u201d",
    "quote_inner_open": "\u2018",
    "quote_inner_close": "\u2019",
}

_DE: Final[dict[str, str]] = {
    "note": "Hinweis",
    "tip": "Tipp",
    "important": "Wichtig",
    "warning": "Warnung",
    "caution": "Vorsicht",
    "glossary": "Glossar",
    "references": "Quellen",
    "contents": "Inhalt",
    "updated": "Aktualisiert am",
    "next_update": "Nächste geplante Aktualisierung",
    "published": "Veröffentlicht",
    "publisher": "Herausgeber",
    "authors": "Autorinnen und Autoren",
    "reviewers": "Begutachtet von",
    "synonyms": "Auch",
    "also": "auch",
    "back_to_text": "Zurück zum Text",
    "figure": "Abbildung",
    "table": "Tabelle",
    "licence": "Lizenz",
    "contact": "Kontakt",
    "identifier": "Kennung",
    "topic": "Thema",
    "region": "Gilt für: {countries}",
    "edition": "Ausgabe: {country}",
    "skip": "Zum Inhalt springen",
    "breadcrumb": "Brotkrümelnavigation",
    "home": "Startseite",
    "used_in": "Verwendet in",
    "other_topics": "Weitere Themen",
    "site_nav": "Website",
    "not_found": "Seite nicht gefunden",
    "not_found_text": "Unter dieser Adresse gibt es keine Seite. Vielleicht wurde sie verschoben, oder die Adresse ist falsch geschrieben.",
    "not_found_home": "Zur Startseite",
    "feed": "Zuletzt aktualisiert",
    "search": "Suche",
    "search_label": "Artikel durchsuchen",
    "search_found": "Artikel zu „{query}“: {count}",
    "search_none": "Kein Artikel zu „{query}“ gefunden.",
    "search_unavailable": "Die Suche konnte nicht geladen werden. Sie funktioniert, wenn die Website von einem Webserver (http:// oder https://) geöffnet wird, nicht als Datei.",
    "search_script": "Die Suche braucht JavaScript.",
    "translations": "Dieser Artikel in anderen Sprachen",
    "translations_label": "Andere Sprachen",
    "translation_outdated": "Diese Übersetzung wurde zuletzt am {updated} aktualisiert, ihr Original ({language}) später, am {date}.",
    "cover": "Titelbild",
    "title_page": "Titelseite",
    "list_of_figures": "Abbildungen",
    "list_of_tables": "Tabellen",
    "landmarks": "Orientierung",
    "start": "Beginn des Inhalts",
    "more": "Weitere Informationen",
    # a page left blank so that a printed brochure has a multiple of 4 pages
    "blank_page": "Diese Seite bleibt absichtlich leer.",
    "series": "{publisher} Gesundheitsinformation",
    "a11y_summary": (
        "Diese Publikation erfüllt {conformance}{claim}. Sie hat ein Inhaltsverzeichnis "
        "und eine Lesereihenfolge, die dem Text folgt. {extras}Sie enthält keine Gefahren "
        "durch Blinken, Bewegung oder Ton."
    ),
    "a11y_certified": ", zertifiziert von {certifier}",
    "a11y_self": ", nach Angabe des Herausgebers; keine unabhängige Stelle hat das geprüft",
    "a11y_headings": "Überschriften gliedern ihre Kapitel. ",
    "a11y_glossary": "Fachbegriffe sind mit einem Glossar verknüpft, das sie erklärt. ",
    "a11y_sources": "Quellenangaben sind mit dem Quellenverzeichnis verknüpft. ",
    "a11y_sources_list": "Ihre Quellen sind am Ende aufgeführt. ",
    "a11y_image": "Sie enthält ein Bild mit einer Textalternative. ",
    "a11y_images": "Sie enthält {n} Bilder, jedes mit einer Textalternative. ",
    "a11y_images_no_alt": "Einige ihrer {n} Bilder haben keine Textalternative. ",
    "quote_open": "\u201e",
    "quote_close": "\u201c",
    "quote_inner_open": "\u201a",
    "quote_inner_close": "\u2018",
}

_FR: Final[dict[str, str]] = {
    "note": "Remarque",
    "tip": "Conseil",
    "important": "Important",
    "warning": "Avertissement",
    "caution": "Attention",
    "glossary": "Glossaire",
    "references": "Sources",
    "contents": "Sommaire",
    "updated": "Mis à jour le",
    "next_update": "Prochaine mise à jour prévue",
    "published": "Publié le",
    "publisher": "Éditeur",
    "authors": "Auteurs",
    "reviewers": "Relu par",
    "synonyms": "Aussi appelé",
    "also": "aussi",
    "back_to_text": "Retour au texte",
    "figure": "Figure",
    "table": "Tableau",
    "licence": "Licence",
    "contact": "Contact",
    "identifier": "Identifiant",
    "topic": "Thème",
    "region": "S’applique à\u00a0: {countries}",
    "edition": "Édition\u00a0: {country}",
    "skip": "Aller au contenu",
    "breadcrumb": "Fil d’Ariane",
    "home": "Accueil",
    "used_in": "Utilisé dans",
    "other_topics": "Autres thèmes",
    "site_nav": "Site",
    "not_found": "Page introuvable",
    "not_found_text": "Il n’y a pas de page à cette adresse. Elle a peut-être été déplacée, ou l’adresse est mal saisie.",
    "not_found_home": "Aller à la page d’accueil",
    "feed": "Mis à jour récemment",
    "search": "Rechercher",
    "search_label": "Rechercher dans les articles",
    "search_found": "Articles trouvés pour « {query} » : {count}",
    "search_none": "Aucun article trouvé pour « {query} ».",
    "search_unavailable": "La recherche n’a pas pu être chargée. Elle fonctionne lorsque le site est ouvert depuis un serveur web (http:// ou https://), pas depuis un fichier.",
    "search_script": "La recherche nécessite JavaScript.",
    "translations": "Cet article dans d’autres langues",
    "translations_label": "Autres langues",
    "translation_outdated": "Cette traduction a été mise à jour pour la dernière fois le {updated} ; son original ({language}) l’a été plus tard, le {date}.",
    "cover": "Couverture",
    "title_page": "Page de titre",
    "list_of_figures": "Figures",
    "list_of_tables": "Tableaux",
    "landmarks": "Repères",
    "start": "Début du contenu",
    "more": "Pour en savoir plus",
    # a page left blank so that a printed brochure has a multiple of 4 pages
    "blank_page": "Cette page est laissée blanche intentionnellement.",
    "series": "Information santé {publisher}",
    "a11y_summary": (
        "Cette publication est conforme à {conformance}{claim}. Elle a une table des "
        "matières et un ordre de lecture qui suit le texte. {extras}Elle ne présente aucun "
        "danger lié au clignotement, au mouvement ou au son."
    ),
    "a11y_certified": ", selon la certification de {certifier}",
    "a11y_self": ", selon son éditeur\u00a0; aucun organisme indépendant ne l’a vérifié",
    "a11y_headings": "Des titres structurent ses chapitres. ",
    "a11y_glossary": "Les termes sont liés à un glossaire qui les explique. ",
    "a11y_sources": "Les citations sont liées à la liste des sources. ",
    "a11y_sources_list": "Ses sources sont listées à la fin. ",
    "a11y_image": "Elle contient une image, qui a une alternative textuelle. ",
    "a11y_images": "Elle contient {n} images, chacune avec une alternative textuelle. ",
    "a11y_images_no_alt": "Certaines de ses {n} images n’ont pas d’alternative textuelle. ",
    # guillemets with the no-break space French typography puts inside them
    "quote_open": "\u00ab\u00a0",
    "quote_close": "\u00a0\u00bb",
    "quote_inner_open": "\u2039\u00a0",
    "quote_inner_close": "\u00a0\u203a",
}

_ES: Final[dict[str, str]] = {
    "note": "Nota",
    "tip": "Consejo",
    "important": "Importante",
    "warning": "Advertencia",
    "caution": "Precaución",
    "glossary": "Glosario",
    "references": "Fuentes",
    "contents": "Índice",
    "updated": "Actualizado el",
    "next_update": "Próxima actualización prevista",
    "published": "Publicado el",
    "publisher": "Editor",
    "authors": "Autores",
    "reviewers": "Revisado por",
    "synonyms": "También llamado",
    "also": "también",
    "back_to_text": "Volver al texto",
    "figure": "Figura",
    "table": "Tabla",
    "licence": "Licencia",
    "contact": "Contacto",
    "identifier": "Identificador",
    "topic": "Tema",
    "region": "Se aplica a: {countries}",
    "edition": "Edición: {country}",
    "skip": "Ir al contenido",
    "breadcrumb": "Ruta de navegación",
    "home": "Inicio",
    "used_in": "Usado en",
    "other_topics": "Otros temas",
    "site_nav": "Sitio",
    "not_found": "Página no encontrada",
    "not_found_text": "No hay ninguna página en esta dirección. Puede que se haya trasladado o que la dirección esté mal escrita.",
    "not_found_home": "Ir a la página de inicio",
    "feed": "Actualizado recientemente",
    "search": "Buscar",
    "search_label": "Buscar en los artículos",
    "search_found": "Artículos encontrados para «{query}»: {count}",
    "search_none": "No se encontró ningún artículo para «{query}».",
    "search_unavailable": "No se pudo cargar la búsqueda. Funciona cuando el sitio se abre desde un servidor web (http:// o https://), no desde un archivo.",
    "search_script": "La búsqueda necesita JavaScript.",
    "translations": "Este artículo en otros idiomas",
    "translations_label": "Otros idiomas",
    "translation_outdated": "Esta traducción se actualizó por última vez el {updated}; su original ({language}) se actualizó después, el {date}.",
    "cover": "Cubierta",
    "title_page": "Portada",
    "list_of_figures": "Figuras",
    "list_of_tables": "Tablas",
    "landmarks": "Puntos de referencia",
    "start": "Inicio del contenido",
    "more": "Más información",
    # a page left blank so that a printed brochure has a multiple of 4 pages
    "blank_page": "Esta página se ha dejado en blanco intencionadamente.",
    "series": "Información de salud de {publisher}",
    "a11y_summary": (
        "Esta publicación cumple {conformance}{claim}. Tiene un índice y un orden de "
        "lectura que sigue el texto. {extras}No presenta riesgos por destellos, movimiento "
        "o sonido."
    ),
    "a11y_certified": ", según la certificación de {certifier}",
    "a11y_self": ", según su editor; ningún certificador independiente lo ha comprobado",
    "a11y_headings": "Los encabezados estructuran sus capítulos. ",
    "a11y_glossary": "Los términos están enlazados a un glosario que los explica. ",
    "a11y_sources": "Las citas están enlazadas a la lista de fuentes. ",
    "a11y_sources_list": "Sus fuentes se enumeran al final. ",
    "a11y_image": "Contiene una imagen, que tiene una alternativa textual. ",
    "a11y_images": "Contiene {n} imágenes, cada una con una alternativa textual. ",
    "a11y_images_no_alt": "Algunas de sus {n} imágenes no tienen alternativa textual. ",
    # comillas angulares, then inglesas (Real Academia Española, Ortografía 2010)
    "quote_open": "\u00ab",
    "quote_close": "\u00bb",
    "quote_inner_open": "\u201c",
    "quote_inner_close": "\u201d",
}

#: Language (primary subtag) -> key -> the word. Every table has every key of "en".
WORDS: Final[Mapping[str, Mapping[str, str]]] = {"en": _EN, "de": _DE, "fr": _FR, "es": _ES}

#: The languages that have a table.
LANGUAGES: Final = tuple(WORDS)

#: Every key a table has.
KEYS: Final = frozenset(_EN)

MONTHS: Final[Mapping[str, tuple[str, ...]]] = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
}


def table_language(lang: str) -> str:
    """The table a language tag reads: its primary subtag's, or English."""
    base = base_language(lang)
    return base if base in WORDS else "en"


def words(lang: str) -> Mapping[str, str]:
    """Every fixed word in ``lang`` (English for a language without a table)."""
    return WORDS[table_language(lang)]


def word(key: str, lang: str) -> str:
    """One fixed word ("Glossary", "Sources", …) in ``lang``."""
    return WORDS[table_language(lang)][key]


def country_name(code: str, lang: str) -> str:
    """The name of the country ``code`` (ISO 3166-1 alpha-2) in the language of the
    fixed words of ``lang``: ISO 3166's short name (its common name where it has one:
    "Bolivia"), translated by the iso-codes catalogues that pycountry ships (offline).
    The code itself for a code ISO 3166 does not assign."""
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    common = str(getattr(country, "common_name", None) or country.name)
    table = table_language(lang)  # the names in the language of the words around them
    if table == "en":
        return common
    catalogue = _country_catalogue(table)
    translated = catalogue.gettext(common)
    return translated if translated != common else catalogue.gettext(country.name)


@functools.cache
def _country_catalogue(base: str) -> gettext.NullTranslations:
    import pycountry

    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[base], fallback=True)


def language_name(tag: str, lang: str | None = None) -> str:
    """The name of the language of ``tag`` in the language ``lang``, by default in
    its own (its autonym: "Deutsch", "Français", "العربية"), as a language switcher
    names it: ISO 639's name, translated by the iso-codes catalogues that pycountry
    ships; a region subtag adds its country ("Deutsch (Österreich)"). The tag itself
    for a language ISO 639 does not name."""
    import pycountry

    parts = tag.split("-")
    base = parts[0].lower()
    language = pycountry.languages.get(alpha_2=base) if len(base) == 2 else pycountry.languages.get(alpha_3=base)
    if language is None:
        return tag
    into = base_language(lang or tag)
    name = gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=[into], fallback=True).gettext(language.name)
    name = name.split(";")[0].strip()
    name = name[:1].upper() + name[1:]
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    country = pycountry.countries.get(alpha_2=region.upper()) if region else None
    if country is None:
        return name
    common = str(getattr(country, "common_name", None) or country.name)
    return f"{name} ({_country_catalogue(into).gettext(common)})"


def region_label(regions: Sequence[str], lang: str) -> str:
    """The visible mark of a regional passage: "Applies to: Germany" in ``lang``."""
    return word("region", lang).format(countries=", ".join(country_name(code, lang) for code in regions))


def edition_label(region: str, lang: str) -> str:
    """The statement of a regional edition: "Edition: Austria" in ``lang``."""
    return word("edition", lang).format(country=country_name(region, lang))


def note_label(kind: NoteKind, lang: str) -> str:
    """The label of a callout of ``kind`` ("Note", "Warning", …) in ``lang``."""
    return word(kind.value, lang)


def quotes(lang: str) -> tuple[str, str, str, str]:
    """The quotation marks of ``lang``: outer opening and closing, inner opening and
    closing (“ ” ‘ ’ in English, „ “ ‚ ‘ in German), as markdown-it's
    ``quotes`` option takes them."""
    table = WORDS[table_language(lang)]
    return table["quote_open"], table["quote_close"], table["quote_inner_open"], table["quote_inner_close"]
