"""The parts of a corpus every document may use, and reading its Markdown files.

The settings (``healthinfo.yaml`` with the publishers), the glossary
(``glossary.yaml``), the references (CSL-YAML or CSL-JSON, the item format of the
Citation Style Language: https://docs.citationstyles.org/en/stable/specification.html),
the images (read by ``_images``) and the reusable blocks (``blocks/<id>.md``); and a
Markdown file parsed with its YAML front matter, with the callbacks the Markdown
walker makes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from .._errors import CorpusError, Problem
from ..schema import Citation, CitationStyle, CorpusSettings, GlossaryEntry, Image, Publisher, ReusableBlock, TypographySettings
from ..schema._base import ContentStr, Id, LanguageTag, Node
from ._depth import BLOCK_TOO_DEEP, MAX_BLOCK_DEPTH
from ._files import is_id, parse_date
from ._images import ImageReader
from ._markdown import Body, Document, Heading, Use, parse_body, read_document
from ._translations import close_ids, same_language
from ._typography import Typography
from ._validation import salvage
from ._yaml import DATA_TOO_DEEP, LineDict, LineList, YamlProblem, is_too_deep, json_depth_line, line_of, load_yaml

__all__ = ["SETTINGS_FILE", "BlockFrontMatter", "BlockUses", "MarkdownContext", "MarkdownFile", "SharedParts"]

SETTINGS_FILE = "healthinfo.yaml"
#: The bibliography's file names, all read when there are several.
REFERENCE_FILES = ("references.yaml", "references.yml", "references.json")

_Meta = TypeVar("_Meta", bound=Node)


class BlockFrontMatter(Node):
    """The (optional) YAML front matter of a reusable block."""

    title: ContentStr | None = None
    lang: LanguageTag | None = None
    translation_of: Id | None = None
    updated: Any = None


@dataclass
class MarkdownFile(Generic[_Meta]):
    """A Markdown file as parsed: None for ``body`` when it could not be read, None
    for ``meta`` when its front matter is missing or wrong (reported)."""

    body: Body | None
    meta: _Meta | None
    #: The front matter as YAML data, which knows the line of each field.
    data: Any = field(default_factory=LineDict)
    #: The glossary terms and the sources the body cites, with their lines, in
    #: document order: those of included blocks (nested too) at the include.
    terms: list[Use] = field(default_factory=list)
    cites: list[Use] = field(default_factory=list)


@dataclass(frozen=True)
class BlockUses:
    """The glossary terms and sources a reusable block uses, its nested includes'
    too, each with the block (and file) it stands in."""

    terms: tuple[Use, ...] = ()
    cites: tuple[Use, ...] = ()


def _key_line(parsed: MarkdownFile[Any], key: str) -> int | None:
    """The line of front matter field ``key`` in the file."""
    found = getattr(parsed.data, "key_lines", {}).get(key) if isinstance(parsed.data, LineDict) else None
    if found is None or parsed.body is None:
        return None
    return int(found) + parsed.body.front_matter_line - 1


def _is_broken_link(path: Path) -> bool:
    return path.is_symlink() and not path.exists()


class SharedParts(ImageReader):
    """Loads and holds what every document may use."""

    #: What a loader for more documents takes over from one that loaded the shared
    #: parts (see :meth:`share_with`).
    SHARED: tuple[str, ...] = (
        "settings", "citation_style", "publishers", "glossary", "broken_terms", "broken_keys", "glossary_broken",
        "references_broken", "references", "short_keys", "reference_places", "block_files", "blocks", "block_uses", "today",
    )

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.settings: CorpusSettings | None = None
        #: healthinfo.yaml's citation_style, resolved (None: the default style).
        self.citation_style: CitationStyle | None = None
        self.publishers: dict[str, Publisher] = {}
        self.glossary: dict[str, GlossaryEntry] = {}
        # Ids (or whole files) that failed to load: references to them are not
        # reported again, the first problem says it all.
        self.broken_terms: set[str] = set()
        self.broken_keys: set[str] = set()
        self.glossary_broken = False
        self.references_broken = False
        self.references: dict[str, Citation] = {}
        # A source's citation-key (a short key, as Better BibTeX writes it) -> the ids
        # of the sources that have it.
        self.short_keys: dict[str, list[str]] = {}
        self.reference_places: dict[str, tuple[Path, int | None]] = {}
        self.block_files: dict[str, Path] = {}
        self.blocks: dict[str, ReusableBlock | None] = {}
        # What each loaded block uses: the including article's glossary and
        # references take these in.
        self.block_uses: dict[str, BlockUses] = {}
        # The line of each block's translation_of, checked once every block is loaded.
        self.block_translation_lines: dict[str, int | None] = {}
        # The blocks being loaded, outermost first: a block met again is a cycle.
        self.resolving: list[str] = []

    def load_shared(self) -> None:
        """What every document may use: the settings, the glossary, the references and
        the reusable blocks."""
        if not self.root.is_dir():
            exists = os.path.lexists(self.root) and not _is_broken_link(self.root)
            message = "is not a folder; give the corpus folder (the one holding healthinfo.yaml)" if exists else (
                "the corpus folder does not exist")
            raise CorpusError([Problem(self.display_root, None, message)])
        self.load_settings()
        self.load_glossary()
        self.load_references()
        self.block_files = {}
        for path in self.files("blocks", (".md",)):
            block_id = self.file_id(path)
            if block_id is not None:
                self.block_files[block_id] = path
        for block_id in self.block_files:
            self.resolve_block(block_id, None, None)
        self.check_block_translations()

    def check_block_translations(self) -> None:
        """Each block's ``translation_of``: a block there is, in another language,
        itself an original, and one translation per language."""
        assert self.settings is not None or self.problems
        default = self.settings.lang if self.settings is not None else "en"
        blocks = {k: v for k, v in self.blocks.items() if v is not None}
        for block_id, block in sorted(blocks.items()):
            original_id = block.translation_of
            if original_id is None:
                continue
            path, line = self.block_files[block_id], self.block_translation_lines.get(block_id)
            original = blocks.get(original_id)
            lang = block.lang or default
            if original_id == block_id:
                self.problem(path, line, "translation_of: a block cannot be a translation of itself; name the block it translates")
            elif original is None:
                if original_id not in self.block_files:  # else its own problems say why it is missing
                    self.problem(path, line, f"translation_of: there is no reusable block {original_id!r} in blocks/"
                                 f"{close_ids(original_id, set(self.block_files) - {block_id})}")
            elif original.translation_of is not None:
                self.problem(path, line, f"translation_of: {original_id!r} is itself a translation (of "
                             f"{original.translation_of!r}); name the original: translation_of: {original.translation_of}")
            elif same_language(original.lang or default, lang):
                self.problem(path, line, f"translation_of: {original_id!r} is in the same language ({lang}) as this "
                             "block; a translation is in another language (set its lang)")
            else:
                for twin in sorted(k for k, v in blocks.items() if k != block_id and v.translation_of == original_id
                                   and same_language(v.lang or default, lang)):
                    self.problem(path, line, f"translation_of: {twin!r} is a translation of {original_id!r} into "
                                 f"{lang} too; keep one block per language")

    def share_with(self, other: SharedParts) -> None:
        """Give ``other`` this loader's shared parts (which loading documents only reads)."""
        other.display_root = self.display_root
        for name in self.SHARED:
            setattr(other, name, getattr(self, name))
        other.digests = dict(self.digests)  # the shared files' hashes; the rest is the other's own

    # ------------------------------------------------------------ settings
    def load_settings(self) -> None:
        path = self.root / SETTINGS_FILE
        if not os.path.lexists(path):
            self.problem(path, None, "is missing; every corpus needs it (name, lang, publishers)")
            return
        data = self.read_yaml(path)
        if data is None:
            return
        self.settings = self.validate(CorpusSettings, data, path)
        if self.settings is not None:
            for index, publisher in enumerate(self.settings.publishers):
                if publisher.id in self.publishers:
                    line = line_of(data, ("publishers", index))
                    self.problem(path, line, f"the publisher id {publisher.id!r} is used twice")
                self.publishers[publisher.id] = publisher
            if self.settings.citation_style is not None:
                self.citation_style = self.load_style(path, line_of(data, ("citation_style",)), self.settings.citation_style)

    def load_style(self, settings: Path, line: int | None, name: str) -> CitationStyle | None:
        """The CSL style healthinfo.yaml names: a .csl file of the corpus, or a style of
        the CSL style repository by name (healthinfo.csl.styles)."""
        from ..csl import StyleError, named_style
        from ..csl.styles import is_style_file

        try:
            if not is_style_file(name):
                return named_style(name)
            relative = Path(name)
            if relative.is_absolute() or ".." in relative.parts:
                self.problem(settings, line, f"the style file {name!r} is outside the corpus; "
                             "put it in the corpus folder and name it relative to it (house.csl)")
                return None
            path = self.root / relative
            if not os.path.lexists(path):
                self.problem(settings, line, f"the style file {name!r} does not exist in the corpus folder")
                return None
            text = self.read_text(path)
            if text is None:
                return None
            from ..csl.styles import style_problems

            problems = style_problems(text)
            if problems:
                for problem in problems:
                    self.problem(path, None, f"is no usable CSL style: {problem}")
                return None
            return CitationStyle(name=relative.as_posix(), csl=text)
        except StyleError as error:
            self.problem(settings, line, str(error))
            return None

    # ------------------------------------------------------------ glossary
    def load_glossary(self) -> None:
        path = self.root / "glossary.yaml"
        if not os.path.lexists(path):
            return
        data = self.read_yaml(path)
        if data is None:
            self.glossary_broken = True
            return
        if not isinstance(data, dict):
            self.glossary_broken = True
            self.problem(path, 1, "the glossary is a mapping: term id, then term and definition under it")
            return
        for key, value in data.items():
            line = data.key_lines.get(key) if isinstance(data, LineDict) else None
            self._add_glossary_entry(path, key, value, line)

    def _add_glossary_entry(self, path: Path, key: Any, value: Any, line: int | None) -> None:
        if not isinstance(value, dict):
            self.problem(path, line, f"glossary entry {key!r} needs 'term' and 'definition' under it")
            return
        if "id" in value:
            self.problem(path, line, f"glossary entry {key!r}: the id is the key; remove 'id'")
            self.broken_terms.add(str(key))
            return
        if not is_id(str(key)):
            self.problem(path, line, f"glossary id {key!r} is not valid; use lower-case letters, digits and hyphens")
            self.broken_terms.add(str(key))
            return
        entry = self.validate(GlossaryEntry, value, path, id=str(key))
        if entry is not None:
            self.glossary[entry.id] = entry
        else:
            self.broken_terms.add(str(key))

    # ------------------------------------------------------------ references
    def load_references(self) -> None:
        for name in REFERENCE_FILES:
            path = self.root / name
            if os.path.lexists(path):  # a folder or FIFO of this name is reported
                self._load_reference_file(path)
        self._index_short_keys()

    def _index_short_keys(self) -> None:
        """Which sources each citation-key names (a key cited that names several is
        reported where it is cited; a source's id always names that source)."""
        owners: dict[str, list[str]] = {}
        for citation in self.references.values():
            if citation.citation_key is not None and citation.citation_key != citation.id:
                owners.setdefault(citation.citation_key, []).append(citation.id)
        self.short_keys = owners

    def source_key(self, written: str) -> str:
        """The id of the source that ``written`` names: its id, or the citation-key of
        one source (else ``written`` itself, reported by :meth:`check_terms_and_cites`)."""
        if written in self.references:
            return written
        owners = self.short_keys.get(written, ())
        return owners[0] if len(owners) == 1 else written

    def _load_reference_file(self, path: Path) -> None:
        if path.name.endswith(".json"):
            data = self._read_json(path)
            if data is None:
                self.references_broken = True
                return
        else:
            data = self.read_yaml(path)
            if data is None:
                self.references_broken = True
                return
        if isinstance(data, dict) and "references" in data:  # pandoc-style YAML metadata
            data = data["references"]
        if not isinstance(data, list):
            self.problem(path, 1, "the bibliography is a list of CSL items (- id: …, type: …)")
            return
        self._add_references(path, data)

    def _read_json(self, path: Path) -> Any:
        """The data of a JSON file, or None (reported)."""
        text = self.read_text(path)
        if text is None:
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            self.problem(path, error.lineno, f"invalid JSON: {error.msg}")
            return None
        except RecursionError:  # nested far deeper than the limit
            self.problem(path, json_depth_line(text), DATA_TOO_DEEP)
            return None
        if is_too_deep(data):
            self.problem(path, json_depth_line(text), DATA_TOO_DEEP)
            return None
        return data

    def _add_references(self, path: Path, data: list[Any]) -> None:
        for index, item in enumerate(data):
            line = data.item_lines[index] if isinstance(data, LineList) else None
            citation = self.validate(Citation, item, path)
            if citation is None:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    self.broken_keys.add(item["id"])
                continue
            if citation.id in self.references:
                self.problem(path, line, f"the source id {citation.id!r} is used twice")
                continue
            self.references[citation.id] = citation
            self.reference_places[citation.id] = (path, line)

    def check_terms_and_cites(self, path: Path, article_id: str | None, terms: list[Use], cites: list[Use]) -> bool:
        """Report unknown terms and sources (one used in an included block at the
        block's file and line, naming the block and the article); True when one
        points at an entry that failed to load (already reported where it is)."""
        depends_on_broken = any(
            use.ref not in self.glossary and (self.glossary_broken or use.ref in self.broken_terms) for use in terms
        ) or any(
            use.ref not in self.references and (self.references_broken or use.ref in self.broken_keys) for use in cites
        )
        for use in terms:
            if use.ref not in self.glossary and not (self.glossary_broken or use.ref in self.broken_terms):
                where = _where_used(use, article_id)
                self.problem(use.block_path or path, use.line,
                             f"the term {use.ref!r}{where} is not in glossary.yaml; add it there or fix the spelling")
        for use in cites:
            if use.ref not in self.references and not (self.references_broken or use.ref in self.broken_keys):
                where = _where_used(use, article_id)
                self.problem(use.block_path or path, use.line, self.unknown_source(use.ref, where))
        return depends_on_broken

    def unknown_source(self, key: str, where: str = "") -> str:
        """What to say of a cited key that names no source."""
        owners = self.short_keys.get(key, ())
        if len(owners) > 1:
            return (f"the key {key!r}{where} is the citation-key of {len(owners)} sources "
                    f"({', '.join(map(repr, owners))}); cite the one you mean by its id")
        return f"the source {key!r}{where} is not in the references; add it there or fix the key"

    # ------------------------------------------------------------ reusable blocks
    def resolve_block(self, block_id: str, from_path: Path | None, line: int | None) -> ReusableBlock | None:
        """The reusable block ``block_id``, loaded on first use; None when it is
        missing, broken or part of an include cycle (reported at ``from_path``,
        ``line``, or in the block's own file)."""
        if block_id in self.resolving:
            cycle = " -> ".join([*self.resolving[self.resolving.index(block_id):], block_id])
            where = from_path or self.block_files[block_id]
            self.problem(where, line, f"blocks include each other in a cycle: {cycle}")
            return None
        if block_id in self.blocks:
            return self.blocks[block_id]
        path = self.block_files.get(block_id)
        if path is None:
            if from_path is not None:
                known = ", ".join(sorted(self.block_files)) or "none"
                self.problem(from_path, line, f"there is no reusable block {block_id!r} in blocks/ (known: {known})")
            return None
        if len(self.resolving) >= MAX_BLOCK_DEPTH:
            where = from_path or path
            self.problem(where, line, f"the block {block_id!r} included here: {BLOCK_TOO_DEEP}")
            return None
        self.resolving.append(block_id)
        try:
            block = self._load_block(block_id, path)
        finally:
            self.resolving.pop()
        self.blocks[block_id] = block
        return block

    def _load_block(self, block_id: str, path: Path) -> ReusableBlock | None:
        parsed = self.parse_markdown(path, BlockFrontMatter, required=False)
        body, meta = parsed.body, parsed.meta
        if body is None or meta is None:
            return None
        blocks = [item for item in body.items if not isinstance(item, Heading)]
        for item in body.items:
            if isinstance(item, Heading):
                self.problem(path, item.line, "a reusable block cannot contain headings")
        if not blocks:
            self.problem(path, None, "the reusable block is empty")
            return None

        def here(use: Use) -> Use:  # nested blocks' uses already name their block
            return use if use.block is not None else replace(use, block=block_id, block_path=path)

        self.block_uses[block_id] = BlockUses(tuple(map(here, parsed.terms)), tuple(map(here, parsed.cites)))
        self.block_translation_lines[block_id] = _key_line(parsed, "translation_of")
        updated = None
        if meta.updated is not None:
            try:
                updated = parse_date(meta.updated)
            except ValueError as error:
                self.problem(path, _key_line(parsed, "updated"), f"updated: {error}")
                return None
        return ReusableBlock(id=block_id, title=meta.title, lang=meta.lang, translation_of=meta.translation_of,
                             updated=updated, blocks=blocks)

    # ------------------------------------------------------------ Markdown files
    def parse_markdown(self, path: Path, meta_cls: type[_Meta], required: bool = True) -> MarkdownFile[_Meta]:
        """A Markdown file's body and front matter (as ``meta_cls``). Without front
        matter, ``meta`` is None (reported) when ``required``, else ``meta_cls()``.
        The body's text is typeset in the language of the front matter (else the
        corpus's)."""
        text = self.read_text(path)
        if text is None:
            return MarkdownFile(None, None)
        document = read_document(text)
        parsed: MarkdownFile[_Meta] = MarkdownFile(None, None)
        if document.front_matter is None:
            if required:
                self.problem(path, 1, "has no front matter; start the file with --- and the title, updated, … fields")
            else:
                parsed.meta = meta_cls()
        else:
            self._read_front_matter(path, document, meta_cls, parsed)
        context = MarkdownContext(self, path)
        parsed.body = parse_body(document, context, self.typography(getattr(parsed.meta, "lang", None)))
        parsed.terms, parsed.cites = context.terms, context.cites
        return parsed

    def _read_front_matter(
        self, path: Path, document: Document, meta_cls: type[_Meta], parsed: MarkdownFile[_Meta]
    ) -> None:
        """Read the front matter of ``document`` into ``parsed`` (its data and meta)."""
        assert document.front_matter is not None
        offset = document.front_matter_line - 1
        bad_dates: list[YamlProblem] = []
        try:
            data = load_yaml(document.front_matter, bad_dates) if document.front_matter.strip() else LineDict()
        except YamlProblem as error:
            self.problem(path, error.line + offset if error.line else document.front_matter_line, error.message)
            return
        for bad in bad_dates:  # the rest of the front matter is checked all the same
            self.settle(path, (bad.line or 1) + offset, bad.message)
        parsed.data = LineDict() if data is None else data
        parsed.meta = self.validate(meta_cls, parsed.data, path, line_offset=offset)
        if parsed.meta is None and isinstance(parsed.data, dict):
            parsed.meta = salvage(meta_cls, parsed.data)

    def typography(self, lang: str | None) -> Typography:
        """The typography of a text in ``lang`` (the corpus's language when None)."""
        if self.settings is None:  # reported; the defaults, for the problems of the body
            return Typography.of(TypographySettings(), lang or "en")
        return Typography.of(self.settings.typography, lang or self.settings.lang)


class MarkdownContext:
    """What the Markdown walker calls back into, for one file."""

    def __init__(self, loader: SharedParts, path: Path) -> None:
        self.loader = loader
        self.path = path
        self.terms: list[Use] = []
        self.cites: list[Use] = []

    def problem(self, line: int | None, message: str) -> None:
        self.loader.problem(self.path, line, message)

    def include(self, ref: str, line: int) -> tuple[str | None, list[Any]] | None:
        block = self.loader.resolve_block(ref, self.path, line)
        if block is None:
            return None
        # What the block uses belongs to this file, at the include's place in it.
        uses = self.loader.block_uses.get(ref, BlockUses())
        self.terms.extend(uses.terms)
        self.cites.extend(uses.cites)
        return block.title, list(block.blocks)

    def image(self, src: str, line: int) -> Image | None:
        return self.loader.image(src, self.path, line)

    def source_key(self, written: str) -> str:
        return self.loader.source_key(written)


def _where_used(use: Use, article_id: str | None) -> str:
    """" (in the block 'x', included by the article 'y')" for a use inside a
    reusable block; empty for one in the file itself."""
    if use.block is None:
        return ""
    by = f", included by the article {article_id!r}" if article_id else ""
    return f" (in the block {use.block!r}{by})"
