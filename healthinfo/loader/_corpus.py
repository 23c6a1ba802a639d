"""Reading a corpus folder into the model, checking every reference on the way.

Every problem is collected (file, line, plain sentence) and raised together as one
:class:`~healthinfo.CorpusError`. The corpus folder is only read, never written.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Collection
from pathlib import Path, PurePosixPath
from typing import Any

from PIL import Image as PILImage
from pydantic import BaseModel, Field, ValidationError

from .._errors import CorpusError, Problem
from ..schema import (
    Article,
    Book,
    Citation,
    Corpus,
    CorpusSettings,
    GlossaryEntry,
    Image,
    Publisher,
    ReusableBlock,
    Section,
    walk,
)
from ..schema._base import ContentStr, HttpUrl, Id, Key, LanguageTag, Node, NonEmptyStr, Region
from ..schema.article import Audience, NextUpdate
from ..schema.book import Profile
from ..schema.publisher import Person
from ._markdown import Body, Heading, parse_body, slugify
from ._validation import explain
from ._yaml import LineDict, LineList, YamlProblem, line_of, load_yaml

__all__ = ["MAX_FILE_BYTES", "MAX_IMAGE_BYTES", "MAX_IMAGE_PIXELS", "DocumentReader", "load_corpus"]

#: Largest text file (article, block, YAML) read, in bytes.
MAX_FILE_BYTES = 2_000_000
#: Largest image file, in bytes.
MAX_IMAGE_BYTES = 20_000_000
#: Largest image, in pixels (width x height).
MAX_IMAGE_PIXELS = 40_000_000

SETTINGS_FILE = "healthinfo.yaml"


# ---------------------------------------------------------------- input formats
# The shapes of the authoring files where they differ from the model: references
# are ids here and resolved objects there.


class FrontMatter(Node):
    """The YAML front matter of an article."""

    title: NonEmptyStr
    topic: ContentStr | None = None
    description: ContentStr | None = None
    lang: LanguageTag | None = None
    audience: Audience = Audience.patients
    authors: list[Person] = Field(default_factory=list)
    reviewers: list[Person] = Field(default_factory=list)
    publisher: Id | None = None
    published: Any = None
    updated: Any
    next_update: NextUpdate | None = None
    region: Region | None = None
    keywords: list[NonEmptyStr] = Field(default_factory=list)
    url: HttpUrl | None = None
    sources: list[Key] = Field(default_factory=list)
    back: list[Id] = Field(default_factory=list)


class BlockFrontMatter(Node):
    title: ContentStr | None = None
    lang: LanguageTag | None = None


class BookFile(Node):
    """A ``books/<id>.yaml`` file."""

    title: NonEmptyStr
    subtitle: ContentStr | None = None
    identifier: NonEmptyStr
    lang: LanguageTag | None = None
    publisher: Id | None = None
    profile: Profile = Profile.ebook
    description: ContentStr | None = None
    date: Any = None
    articles: list[Id] = Field(min_length=1)
    cover: NonEmptyStr | None = None


class _Date(BaseModel):
    value: Any

    @classmethod
    def check(cls, value: Any) -> Any:
        import datetime as dt

        if isinstance(value, dt.datetime):
            raise ValueError("write a date without a time, e.g. 2024-01-23")
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-01-23")


# ---------------------------------------------------------------- the loader


def load_corpus(
    path: str | os.PathLike[str],
    *,
    articles: Collection[str] | None = None,
    books: Collection[str] | None = None,
) -> Corpus:
    """Read the corpus folder at ``path``: settings, glossary, references, reusable
    blocks, articles and books. Raises :class:`~healthinfo.CorpusError` listing every
    problem when anything is wrong.

    ``articles`` / ``books``: load only these ids (the articles a loaded book holds
    are loaded too). Incremental builds use this; problems of the files not loaded
    are not looked for."""
    return _Loader(Path(path), articles, books).load()


class DocumentReader:
    """A corpus read one document at a time: the settings, glossary, references and
    reusable blocks once, then each article or book when asked for. Builds use it so
    that each worker process loads only its own share of a large corpus.

    Problems of the shared files, and file names that are not ids, raise
    :class:`~healthinfo.CorpusError` when the reader is made; problems of a document
    when it is loaded."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._loader = _Loader(Path(path), (), ())
        self._loader.load_shared()
        self.articles: list[str] = []
        self.books: list[str] = []
        for folder, suffixes, ids in (("articles", (".md",), self.articles), ("books", (".yaml", ".yml"), self.books)):
            for file in self._loader.files(folder, suffixes):
                if self._loader.file_id(file) is not None:
                    ids.append(file.stem)
        if not self.articles and not self._loader.problems:
            self._loader.problem(self._loader.root / "articles", None, "no articles found; add Markdown files to articles/")
        self._loader.corpus()  # raises CorpusError for any problem so far

    @property
    def settings(self) -> CorpusSettings:
        assert self._loader.settings is not None
        return self._loader.settings

    @property
    def glossary(self) -> dict[str, GlossaryEntry]:
        return self._loader.glossary

    def load(self, articles: Collection[str] = (), books: Collection[str] = ()) -> Corpus:
        """The given articles and books (and the articles the books hold) as a Corpus
        with the shared parts; CorpusError lists their problems."""
        return self._documents(articles, books).corpus()

    def article(self, article_id: str) -> Article:
        """One article; CorpusError lists its problems."""
        loader = self._documents([article_id], ())
        if loader.problems:
            raise CorpusError(loader.problems)
        return loader.articles[article_id]

    def book(self, book_id: str) -> Book:
        """One book with its articles; CorpusError lists their problems."""
        loader = self._documents((), [book_id])
        if loader.problems:
            raise CorpusError(loader.problems)
        return loader.books[book_id]

    def _documents(self, articles: Collection[str], books: Collection[str]) -> _Loader:
        loader = self._loader.fork()
        loader.partial = True
        loader.only_articles, loader.only_books = set(articles), set(books)
        for article_id in sorted(loader.only_articles):
            loader.attempted.add(article_id)
            loader.load_article(loader.root / "articles" / f"{article_id}.md")
        for book_id in sorted(loader.only_books):
            found = _book_path(loader.root, book_id)
            loader.load_book(found)
        return loader


def _book_path(root: Path, book_id: str) -> Path:
    for suffix in (".yaml", ".yml"):
        if (root / "books" / f"{book_id}{suffix}").is_file():
            return root / "books" / f"{book_id}{suffix}"
    return root / "books" / f"{book_id}.yaml"


class _Loader:
    def __init__(self, root: Path, only_articles: Collection[str] | None = None, only_books: Collection[str] | None = None) -> None:
        self.root = root
        self.partial = only_articles is not None or only_books is not None
        self.only_articles = set(only_articles or ())
        self.only_books = set(only_books or ())
        self.attempted: set[str] = set()
        self.display_root = str(root)
        self.problems: list[Problem] = []
        self.settings: CorpusSettings | None = None
        self.publishers: dict[str, Publisher] = {}
        self.glossary: dict[str, GlossaryEntry] = {}
        # Ids (or whole files) that failed to load: references to them are not
        # reported again, the first problem says it all.
        self.broken_terms: set[str] = set()
        self.broken_keys: set[str] = set()
        self.glossary_broken = False
        self.references_broken = False
        self.references: dict[str, Citation] = {}
        self.block_files: dict[str, Path] = {}
        self.blocks: dict[str, ReusableBlock | None] = {}
        self.resolving: list[str] = []
        self.images: dict[str, Image | None] = {}
        self.articles: dict[str, Article] = {}
        self.books: dict[str, Book] = {}

    # ------------------------------------------------------------ reporting
    def rel(self, path: Path) -> str:
        try:
            inner = path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
        return os.path.join(self.display_root, inner)

    def problem(self, path: Path, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.rel(path), line, message))

    def validate(
        self, cls: type[Any], data: Any, path: Path, line_offset: int = 0, **extra: Any
    ) -> Any:
        """Build ``cls`` from YAML data, reporting each error at its line."""
        if not isinstance(data, dict):
            self.problem(path, (getattr(data, "line", None) or 1) + line_offset - (1 if line_offset else 0),
                         f"expected a mapping of fields (key: value), found {type(data).__name__}")
            return None
        try:
            return cls.model_validate({**data, **extra})
        except ValidationError as error:
            for line, message in explain(error, data, line_offset, model=cls):
                self.problem(path, line, message)
            return None

    # ------------------------------------------------------------ files
    def read_text(self, path: Path) -> str | None:
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                self.problem(path, None, f"the file is {size:,} bytes; files over {MAX_FILE_BYTES:,} bytes are not read")
                return None
            raw = path.read_bytes()
        except OSError as error:
            self.problem(path, None, f"cannot be read: {error.strerror or error}")
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            self.problem(
                path,
                line,
                f"is not UTF-8 text (byte 0x{raw[error.start]:02X}); save the file with UTF-8 encoding",
            )
            return None
        return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")

    def read_yaml(self, path: Path) -> Any:
        text = self.read_text(path)
        if text is None:
            return None
        try:
            return load_yaml(text)
        except YamlProblem as error:
            self.problem(path, error.line, error.message)
            return None

    def files(self, folder: str, suffixes: tuple[str, ...]) -> list[Path]:
        directory = self.root / folder
        if not directory.is_dir():
            return []
        found = []
        # A file that is not a link is inside the corpus when its folder is: only links
        # (and a linked folder) need resolving, which costs a system call per part.
        folder_inside = not directory.is_symlink() and self.inside(directory)
        for path in sorted(directory.iterdir()):
            if path.name.startswith(".") or path.suffix not in suffixes:
                continue
            if not (folder_inside and not path.is_symlink()) and not self.inside(path):
                self.problem(path, None, "is a link to a file outside the corpus folder; copy the file in instead")
                continue
            found.append(path)
        return found

    def inside(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.root.resolve())
        except (ValueError, OSError):
            return False
        return True

    def file_id(self, path: Path) -> str | None:
        stem = path.stem
        try:
            _IdCheck(id=stem)
        except ValidationError:
            self.problem(
                path, None, f"the file name {stem!r} is not a valid id; use lower-case letters, digits and hyphens"
            )
            return None
        return stem

    # ------------------------------------------------------------ the whole corpus
    def load(self) -> Corpus:
        self.load_shared()
        article_files = self.files("articles", (".md",))
        if not article_files and not self.partial:
            self.problem(self.root / "articles", None, "no articles found; add Markdown files to articles/")
        for path in article_files:
            if not self.partial or path.stem in self.only_articles:
                self.attempted.add(path.stem)
                self.load_article(path)
        for path in self.files("books", (".yaml", ".yml")):
            if not self.partial or path.stem in self.only_books:
                self.load_book(path)
        return self.corpus()

    def load_shared(self) -> None:
        """What every document may use: the settings, the glossary, the references and
        the reusable blocks."""
        if not self.root.is_dir():
            raise CorpusError([Problem(self.display_root, None, "the corpus folder does not exist")])
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

    def corpus(self) -> Corpus:
        """The loaded parts as a Corpus; CorpusError when anything had a problem."""
        if self.problems or self.settings is None:
            raise CorpusError(self.problems)
        try:
            return Corpus(
                settings=self.settings,
                articles=self.articles,
                blocks={k: v for k, v in self.blocks.items() if v is not None},
                glossary=self.glossary,
                references=self.references,
                books=self.books,
            )
        except ValidationError as error:  # pragma: no cover - every part was checked above
            raise CorpusError([Problem(self.display_root, None, str(error))]) from None

    def fork(self) -> _Loader:
        """A loader for more documents that shares this one's loaded settings,
        glossary, references and blocks (which loading documents only reads)."""
        other = _Loader(self.root, (), ())
        other.display_root = self.display_root
        for name in ("settings", "publishers", "glossary", "broken_terms", "broken_keys", "glossary_broken",
                     "references_broken", "references", "block_files", "blocks"):
            setattr(other, name, getattr(self, name))
        return other

    def load_settings(self) -> None:
        path = self.root / SETTINGS_FILE
        if not path.is_file():
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

    def load_glossary(self) -> None:
        path = self.root / "glossary.yaml"
        if not path.is_file():
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
            if not isinstance(value, dict):
                self.problem(path, line, f"glossary entry {key!r} needs 'term' and 'definition' under it")
                continue
            if "id" in value:
                self.problem(path, line, f"glossary entry {key!r}: the id is the key; remove 'id'")
                self.broken_terms.add(str(key))
                continue
            if not _is_id(str(key)):
                self.problem(path, line, f"glossary id {key!r} is not valid; use lower-case letters, digits and hyphens")
                self.broken_terms.add(str(key))
                continue
            entry = self.validate(GlossaryEntry, value, path, id=str(key))
            if entry is not None:
                self.glossary[entry.id] = entry
            else:
                self.broken_terms.add(str(key))

    def load_references(self) -> None:
        for name in ("references.yaml", "references.yml", "references.json"):
            path = self.root / name
            if not path.is_file():
                continue
            if name.endswith(".json"):
                text = self.read_text(path)
                if text is None:
                    continue
                try:
                    data = json.loads(text)
                except json.JSONDecodeError as error:
                    self.problem(path, error.lineno, f"invalid JSON: {error.msg}")
                    self.references_broken = True
                    continue
            else:
                data = self.read_yaml(path)
                if data is None:
                    self.references_broken = True
                    continue
            if isinstance(data, dict) and "references" in data:  # pandoc-style YAML metadata
                data = data["references"]
            if not isinstance(data, list):
                self.problem(path, 1, "the bibliography is a list of CSL items (- id: …, type: …)")
                continue
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

    # ------------------------------------------------------------ images
    def image(self, src: str, path: Path, line: int | None) -> Image | None:
        if src in self.images:
            return self.images[src]
        image = self._read_image(src, path, line)
        self.images[src] = image
        return image

    def _read_image(self, src: str, path: Path, line: int | None) -> Image | None:
        pure = PurePosixPath(src)
        if not src or src.startswith(("/", "\\")) or pure.is_absolute() or ":" in src:
            self.problem(path, line, f"image path {src!r} must be relative to the corpus folder, e.g. images/photo.png")
            return None
        if ".." in pure.parts:
            self.problem(path, line, f"image path {src!r} leaves the corpus folder; keep images in images/")
            return None
        file = self.root / pure
        if not self.inside(file):
            self.problem(path, line, f"image path {src!r} points outside the corpus folder")
            return None
        if not file.is_file():
            self.problem(path, line, f"image {src!r} does not exist")
            return None
        size = file.stat().st_size
        if size > MAX_IMAGE_BYTES:
            self.problem(path, line, f"image {src!r} is {size:,} bytes; the limit is {MAX_IMAGE_BYTES:,}")
            return None
        data = file.read_bytes()
        try:
            with PILImage.open(io.BytesIO(data)) as picture:
                kind = picture.format
                width, height = picture.size
                if width * height > MAX_IMAGE_PIXELS:
                    self.problem(path, line, f"image {src!r} is {width}x{height} pixels; the limit is {MAX_IMAGE_PIXELS:,} pixels")
                    return None
                picture.verify()
        except PILImage.DecompressionBombError:
            self.problem(path, line, f"image {src!r} is too large to open safely; the limit is {MAX_IMAGE_PIXELS:,} pixels")
            return None
        except Exception:  # noqa: BLE001 - Pillow raises many types for broken files
            self.problem(path, line, f"{src!r} is not a readable PNG or JPEG image")
            return None
        media_type = {"PNG": "image/png", "JPEG": "image/jpeg"}.get(kind or "")
        if media_type is None:
            self.problem(path, line, f"image {src!r} is {kind}; use PNG or JPEG, which every output format can embed")
            return None
        return Image(path=pure.as_posix(), media_type=media_type, width=width, height=height, data=data)

    # ------------------------------------------------------------ reusable blocks
    def resolve_block(self, block_id: str, from_path: Path | None, line: int | None) -> ReusableBlock | None:
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
        self.resolving.append(block_id)
        try:
            body, meta = self.parse_markdown(path, BlockFrontMatter, required=False)
            block = None
            if body is not None and meta is not None:
                blocks = [item for item in body.items if not isinstance(item, Heading)]
                for item in body.items:
                    if isinstance(item, Heading):
                        self.problem(path, item.line, "a reusable block cannot contain headings")
                if not blocks:
                    self.problem(path, None, "the reusable block is empty")
                else:
                    block = ReusableBlock(id=block_id, title=meta.title, lang=meta.lang, blocks=blocks)
        finally:
            self.resolving.pop()
        self.blocks[block_id] = block
        return block

    # ------------------------------------------------------------ Markdown files
    def parse_markdown(
        self, path: Path, meta_cls: type[Any], required: bool = True
    ) -> tuple[Body | None, Any]:
        text = self.read_text(path)
        if text is None:
            return None, None
        context = _Context(self, path)
        body = parse_body(text, context)
        self.pending_terms = context.terms
        self.pending_cites = context.cites
        self.pending_data: Any = LineDict()
        if body.front_matter is None:
            if required:
                self.problem(path, 1, "has no front matter; start the file with --- and the title, updated, … fields")
                return body, None
            return body, meta_cls()
        try:
            data = load_yaml(body.front_matter) if body.front_matter.strip() else LineDict()
        except YamlProblem as error:
            line = error.line + body.front_matter_line - 1 if error.line else body.front_matter_line
            self.problem(path, line, error.message)
            return body, None
        if data is None:
            data = LineDict()
        self.pending_data = data
        meta = self.validate(meta_cls, data, path, line_offset=body.front_matter_line - 1)
        return body, meta

    def check_terms_and_cites(self, path: Path, terms: list[tuple[str, int]], cites: list[tuple[str, int]]) -> bool:
        """Report unknown terms and sources; True when one points at an entry that
        failed to load (already reported where it is)."""
        depends_on_broken = any(
            ref not in self.glossary and (self.glossary_broken or ref in self.broken_terms) for ref, _ in terms
        ) or any(key not in self.references and (self.references_broken or key in self.broken_keys) for key, _ in cites)
        for ref, line in terms:
            if ref not in self.glossary and not (self.glossary_broken or ref in self.broken_terms):
                self.problem(path, line, f"the term {ref!r} is not in glossary.yaml; add it there or fix the spelling")
        for key, line in cites:
            if key not in self.references and not (self.references_broken or key in self.broken_keys):
                self.problem(path, line, f"the source {key!r} is not in the references; add it there or fix the key")
        return depends_on_broken

    # ------------------------------------------------------------ articles
    def load_article(self, path: Path) -> None:
        article_id = self.file_id(path)
        before = len(self.problems)
        body, meta = self.parse_markdown(path, FrontMatter)
        terms, cites = self.pending_terms, self.pending_cites
        if body is None:
            return
        depends_on_broken = self.check_terms_and_cites(path, terms, cites)
        lead, sections = self.sectionize(path, body.items)
        if meta is None or article_id is None or self.settings is None:
            return
        fm_line = body.front_matter_line
        data = self.pending_data

        def at(key: str) -> int | None:
            found = data.key_lines.get(key) if isinstance(data, LineDict) else None
            return found + fm_line - 1 if found else fm_line

        publisher_id = meta.publisher
        if publisher_id is None:
            if len(self.publishers) == 1:
                publisher_id = next(iter(self.publishers))
            else:
                self.problem(path, fm_line, "publisher is missing; name one of the publishers of healthinfo.yaml")
        publisher = self.publishers.get(publisher_id) if publisher_id else None
        if publisher_id and publisher is None:
            self.problem(path, at("publisher"), f"the publisher {publisher_id!r} is not in healthinfo.yaml (known: {', '.join(self.publishers) or 'none'})")
        dates: dict[str, Any] = {}
        for key in ("updated", "published"):
            value = getattr(meta, key)
            if value is None:
                continue
            try:
                dates[key] = _Date.check(value)
            except ValueError as error:
                self.problem(path, at(key), f"{key}: {error}")
        references: list[Citation] = []
        for index, key in enumerate(meta.sources):
            if key not in self.references and (self.references_broken or key in self.broken_keys):
                continue
            if key not in self.references:
                line = data["sources"].item_lines[index] + fm_line - 1 if isinstance(data.get("sources"), LineList) else at("sources")
                self.problem(path, line, f"the source {key!r} is not in the references; add it there or fix the key")
            elif key in [c.id for c in references]:
                self.problem(path, at("sources"), f"the source {key!r} is listed twice")
            else:
                references.append(self.references[key])
        for key, _ in cites:
            if key in self.references and key not in [c.id for c in references]:
                references.append(self.references[key])
        back = []
        for block_id in meta.back:
            block = self.resolve_block(block_id, path, at("back"))
            if block is not None:
                back.append({"type": "include", "ref": block_id, "title": block.title, "blocks": block.blocks})
        used_terms = {ref for ref, _ in terms}
        if len(self.problems) > before or depends_on_broken:
            return
        try:
            article = Article(
                id=article_id,
                title=meta.title,
                topic=meta.topic,
                description=meta.description,
                lang=meta.lang or self.settings.lang,
                audience=meta.audience,
                authors=meta.authors,
                reviewers=meta.reviewers,
                publisher=publisher,
                published=dates.get("published"),
                updated=dates["updated"],
                next_update=meta.next_update,
                region=meta.region,
                keywords=meta.keywords,
                url=meta.url or (f"{self.settings.url.rstrip('/')}/{article_id}" if self.settings.url else None),
                rights=self.settings.rights,
                license=self.settings.license,
                blocks=lead,
                sections=sections,
                back=back,
                references=references,
                glossary={k: v for k, v in sorted(self.glossary.items()) if k in used_terms},
            )
        except ValidationError as error:
            for item in error.errors(include_url=False):
                self.problem(path, None, item["msg"].removeprefix("Value error, "))
            return
        self.articles[article_id] = article

    def sectionize(self, path: Path, items: list[Any]) -> tuple[list[Any], list[Section]]:
        """Turn the flat list of blocks and headings into the lead and nested sections."""
        lead: list[Any] = []
        # A stack of open sections: (level, heading, blocks, subsections).
        stack: list[tuple[int, Heading, list[Any], list[Section]]] = []
        top: list[Section] = []
        used_ids: dict[str, int] = {}
        explicit = {item.id for item in items if isinstance(item, Heading) and item.id}

        def close() -> None:
            _level, heading, blocks, subsections = stack.pop()
            section_id = heading.id or ""
            if section_id in used_ids and heading.id:
                self.problem(path, heading.line, f"the section id {section_id!r} is already used on line {used_ids[section_id]}")
                return
            if not heading.id:
                from ..schema import inline_text

                base = slugify(inline_text(heading.title)) or "section"
                section_id, n = base, 2
                while section_id in used_ids or section_id in explicit:
                    section_id, n = f"{base}-{n}", n + 1
            used_ids[section_id] = heading.line
            try:
                section = Section(id=section_id, title=heading.title, aspect=heading.aspect, blocks=blocks, sections=subsections)
            except ValidationError as error:
                for item in error.errors(include_url=False):
                    where = ".".join(str(p) for p in item["loc"] if isinstance(p, str))
                    self.problem(path, heading.line, f"section {where}: {item['msg'].removeprefix('Value error, ')}")
                return
            (stack[-1][3] if stack else top).append(section)

        for item in items:
            if isinstance(item, Heading):
                if item.level == 1:
                    self.problem(path, item.line, "a level-1 heading (#) is not allowed; the title comes from the front matter, sections start with ##")
                    continue
                parent_level = stack[-1][0] if stack else 1
                if item.level > parent_level + 1:
                    self.problem(
                        path, item.line,
                        f"the heading jumps from level {parent_level} to level {item.level}; use {'#' * (parent_level + 1)}",
                    )
                    item.level = parent_level + 1
                while stack and stack[-1][0] >= item.level:
                    close()
                stack.append((item.level, item, [], []))
            elif stack:
                stack[-1][2].append(item)
            else:
                lead.append(item)
        while stack:
            close()
        # Ids of figures and tables share the namespace of section ids.
        for node in walk([lead, top]):
            node_id = getattr(node, "id", None) if getattr(node, "type", None) in ("figure", "table") else None
            if node_id and node_id in used_ids:
                self.problem(path, None, f"the id {node_id!r} is used by a section and a {node.type}")  # type: ignore[attr-defined]
            elif node_id:
                used_ids[node_id] = 0
        return lead, top

    # ------------------------------------------------------------ books
    def load_book(self, path: Path) -> None:
        book_id = self.file_id(path)
        data = self.read_yaml(path)
        if data is None or book_id is None or self.settings is None:
            return
        meta = self.validate(BookFile, data, path)
        if meta is None:
            return
        before = len(self.problems)
        articles = []
        for index, article_id in enumerate(meta.articles):
            article_file = self.root / "articles" / f"{article_id}.md"
            if article_id not in self.attempted and article_file.is_file() and self.inside(article_file):
                # A partial load: the book needs an article that was not asked for.
                self.attempted.add(article_id)
                self.load_article(article_file)
            if article_id in self.articles:
                articles.append(self.articles[article_id])
            elif not (self.root / "articles" / f"{article_id}.md").is_file():
                line = data["articles"].item_lines[index] if isinstance(data.get("articles"), LineList) else None
                self.problem(path, line, f"there is no article {article_id!r} in articles/")
        publisher_id = meta.publisher or (next(iter(self.publishers)) if len(self.publishers) == 1 else None)
        publisher = self.publishers.get(publisher_id or "")
        if publisher is None:
            line = data.key_lines.get("publisher", 1) if isinstance(data, LineDict) else None
            if publisher_id is None:
                self.problem(path, line, "publisher is missing; name one of the publishers of healthinfo.yaml")
            else:
                self.problem(path, line, f"the publisher {publisher_id!r} is not in healthinfo.yaml (known: {', '.join(self.publishers)})")
            return
        cover = None
        if meta.cover:
            cover = self.image(meta.cover, path, data.key_lines.get("cover") if isinstance(data, LineDict) else None)
            if cover is None:
                return
        date = None
        if meta.date is not None:
            try:
                date = _Date.check(meta.date)
            except ValueError as error:
                self.problem(path, data.key_lines.get("date"), f"date: {error}")
                return
        if not articles:
            return
        try:
            book = Book(
                id=book_id,
                title=meta.title,
                subtitle=meta.subtitle,
                identifier=meta.identifier,
                lang=meta.lang or self.settings.lang,
                publisher=publisher,
                profile=meta.profile,
                description=meta.description,
                date=date,
                rights=self.settings.rights,
                license=self.settings.license,
                cover=cover,
                articles=articles,
            )
        except ValidationError as error:
            for line, message in explain(error, data, model=Book):
                self.problem(path, line, message)
            return
        if len(self.problems) == before:
            self.books[book_id] = book


class _IdCheck(BaseModel):
    id: Id


def _is_id(value: str) -> bool:
    try:
        _IdCheck(id=value)
    except ValidationError:
        return False
    return True


class _Context:
    """What the Markdown walker calls back into, for one file."""

    def __init__(self, loader: _Loader, path: Path) -> None:
        self.loader = loader
        self.path = path
        self.terms: list[tuple[str, int]] = []
        self.cites: list[tuple[str, int]] = []

    def problem(self, line: int | None, message: str) -> None:
        self.loader.problem(self.path, line, message)

    def include(self, ref: str, line: int) -> tuple[str | None, list[Any]] | None:
        block = self.loader.resolve_block(ref, self.path, line)
        if block is None:
            return None
        return block.title, list(block.blocks)

    def image(self, src: str, line: int) -> Image | None:
        return self.loader.image(src, self.path, line)


