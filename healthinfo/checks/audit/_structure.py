"""Structure: figures without real alternative text, articles without sources, notes
that name a country without a region, and glossary entries and sources no article uses."""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Iterator, Sequence

from ...schema import Article, Corpus, Figure, Note, Term, inline_text, plain_text, walk
from ._report import Finding
from ._source import SourceFile, SourceFiles
from ._units import Unit

__all__ = ["corpus_findings", "structure_findings"]


@functools.cache
def _country_names(language: str) -> re.Pattern[str]:
    """Country names of ISO 3166-1 (pycountry) in the article's language when
    pycountry has a translation, and in English always, as one whole-word pattern."""
    import pycountry

    translations: gettext.NullTranslations
    try:
        translations = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language.replace("-", "_")])
    except OSError:  # no translation for the language: English names only
        translations = gettext.NullTranslations()
    translate = translations.gettext
    names: set[str] = set()
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "common_name", None)):
            if name:
                names.update({name, translate(name)})
    ordered = sorted(names, key=len, reverse=True)  # "Guinea-Bissau" before "Guinea"
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in ordered) + r")(?!\w)")


def _alt_problem(figure: Figure) -> str | None:
    alt = " ".join(figure.alt.split())
    if not alt:
        return "The figure's alternative text is empty; describe what the image shows."
    caption = " ".join(inline_text(figure.caption).split())
    if caption and alt.casefold().rstrip(".") == caption.casefold().rstrip("."):
        return "The figure's alternative text repeats its caption; describe what the image shows instead."
    return None


def structure_findings(article: Article, units: Sequence[Unit], source: SourceFile) -> Iterator[Finding]:
    """alt-missing, sources-missing, note-region-missing."""
    if not article.references:
        yield Finding("sources-missing", article.id, source.name, source.line_of_key("sources") or 1,
                      "The article lists no sources; add the evidence it is based on under sources.")
    countries = _country_names(article.lang)
    for unit in units:
        if isinstance(unit.node, Figure):
            problem = _alt_problem(unit.node)
            if problem:
                yield Finding("alt-missing", article.id, unit.file, unit.line, problem)
        elif isinstance(unit.node, Note) and unit.node.region is None and article.region is None and not unit.regions:
            named = countries.search(plain_text(unit.node.blocks))
            if named:
                yield Finding("note-region-missing", article.id, unit.file, unit.line,
                              f"The note names {named.group()} but has no region; add :region: with the country's "
                              "two-letter code if it applies only there.")


def corpus_findings(corpus: Corpus, sources: SourceFiles) -> Iterator[Finding]:
    """glossary-unused and source-unused, in the order of the shared files."""
    used_terms = {node.ref for a in corpus.articles.values() for node in walk([a.blocks, a.sections, a.back])
                  if isinstance(node, Term)}
    glossary = sources.get("glossary.yaml")
    for entry_id in corpus.glossary:
        if entry_id not in used_terms:
            yield Finding("glossary-unused", None, glossary.name, glossary.line_of_key(entry_id),
                          f"The glossary entry {entry_id!r} is marked in no article; use it or remove it.")
    used_sources = {c.id for a in corpus.articles.values() for c in a.references}
    references = sources.get(sources.first_existing("references.yaml", "references.yml", "references.json"))
    for key in corpus.references:
        if key not in used_sources:
            yield Finding("source-unused", None, references.name, references.line_of_id(key),
                          f"The source {key!r} is listed or cited by no article; cite it or remove it.")
