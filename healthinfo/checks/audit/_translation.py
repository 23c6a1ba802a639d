"""Translations: originals without a version in an expected language, translations
older than their original, and the same for reusable blocks — a translated block
older than its original, and an article that includes a block in another language
(healthinfo.checks.translations has the rule; docs/governance.md explains it)."""

from __future__ import annotations

from collections.abc import Iterator

from ...exporters._i18n import language_name
from ...schema import Article, AuditSettings, Corpus, Include, walk
from ..translations import Version, missing, outdated
from ._report import Finding
from ._source import SourceFile, SourceFiles
from ._units import article_file, block_file

__all__ = ["translation_findings"]


def translation_findings(corpus: Corpus, sources: SourceFiles, settings: AuditSettings) -> Iterator[Finding]:
    """translation-outdated, translation-missing, block-translation-outdated,
    block-translation-missing."""
    articles = [Version(a.id, a.lang, a.translation_of, a.updated) for a in corpus.articles.values()]
    for translation, original in outdated(articles):
        source = sources.get(article_file(translation.id))
        yield Finding("translation-outdated", translation.id, source.name, source.line_of_key("updated"),
                      f"The original {original.id!r} ({original.lang}) was updated on {original.updated}, after this "
                      f"translation ({translation.updated}); bring the translation up to date, then set its updated.")
    named = list(settings.languages) if settings.languages is not None else None
    for original, langs in missing(articles, named):
        source = sources.get(article_file(original.id))
        names = ", ".join(f"{language_name(lang, 'en')} ({lang})" for lang in langs)
        yield Finding("translation-missing", original.id, source.name, source.line_of_key("lang") or 1,
                      f"The article has no translation into {names}; a translation names it with "
                      f"translation_of: {original.id}.")
    default = corpus.settings.lang
    blocks = [Version(b.id, b.lang or default, b.translation_of, b.updated) for b in corpus.blocks.values()]
    for translation, original in outdated(blocks):
        source = sources.get(block_file(translation.id))
        yield Finding("block-translation-outdated", None, source.name, source.line_of_key("updated"),
                      f"The original block {original.id!r} ({original.lang}) was updated on {original.updated}, after "
                      f"this translation ({translation.updated}); bring it up to date, then set its updated.")
    for article in corpus.articles.values():
        yield from _foreign_blocks(article, blocks, sources.get(article_file(article.id)))


def _foreign_blocks(article: Article, blocks: list[Version], source: SourceFile) -> Iterator[Finding]:
    """block-translation-missing: the blocks an article includes that are in another
    language than the article, naming the translation to include when there is one."""
    by_id = {b.id: b for b in blocks}
    seen: set[str] = set()
    for node in walk([article.blocks, article.sections, article.back]):
        if not isinstance(node, Include) or node.ref in seen or node.ref not in by_id:
            continue
        seen.add(node.ref)
        block = by_id[node.ref]
        if block.lang.casefold() == article.lang.casefold():
            continue
        original = block.translation_of or block.id
        found = next((b.id for b in blocks if (b.translation_of or b.id) == original
                      and b.lang.casefold() == article.lang.casefold()), None)
        advice = (f"include its translation {found!r} instead" if found else
                  f"translate it: a block in {article.lang} with translation_of: {original}")
        line = source.line_of_item("back", node.ref) if node in article.back else _line_with(source, node.ref)
        yield Finding("block-translation-missing", article.id, source.name, line,
                      f"The article is in {article.lang}, the block {node.ref!r} it includes in {block.lang}; {advice}.")


def _line_with(source: SourceFile, text: str) -> int | None:
    """The first line of the file's body that holds ``text`` (an include's block id)."""
    return next((n + 1 for n in range(source.body_start, len(source.lines)) if text in source.lines[n]), None)
