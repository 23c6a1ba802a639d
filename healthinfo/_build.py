"""Building a whole corpus: every article and book to every chosen format.

    healthinfo.build("corpus/", "build/", formats=["jats"], jobs=2)

Layout of the output folder (docs/build.md):

    OUT/<format>/<article id><ext>          one file per article
    OUT/<format>/books/<book id><ext>       one file per book (formats that take books)
    OUT/<format>/images/…                   images the files point at (formats that link them)
    OUT/.healthinfo-manifest.json           what was built from what (for incremental builds)

Rendering runs in parallel on any :class:`concurrent.futures.Executor` (the default
is a process pool of ``jobs`` workers; pass a Dask or Ray executor to spread it
wider). Files are written by this process only, each atomically (temporary file +
rename), so an interrupted build leaves every output either the old or the new
version. An error in one document is reported and does not stop the others.
Incremental: a document whose content hash, exporter version and options are
unchanged since the last build is skipped, unless ``force``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._version import __version__
from ._errors import HealthinfoError
from .exporters import REGISTRY, get, render
from .loader import load_corpus
from .schema import Article, Book, Corpus, Figure, Include, walk

__all__ = ["build", "BuildReport", "BuildFailure", "write_atomic", "MANIFEST"]

MANIFEST = ".healthinfo-manifest.json"


@dataclass(frozen=True)
class BuildFailure:
    """A document that could not be exported."""

    document: str
    format: str
    message: str

    def __str__(self) -> str:
        return f"{self.document} ({self.format}): {self.message}"


@dataclass
class BuildReport:
    """What a build did."""

    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    failed: list[BuildFailure] = field(default_factory=list)
    documents: int = 0
    formats: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask




def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that the file is always either the old or the new
    version, never half-written (temporary file in the same folder, fsync, rename).
    An existing file keeps its permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            # What open() would give a new file (0o666 less the umask); the temporary
            # file alone is private (0o600) and a web server could not read it.
            mode = 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove_stale_temporaries(output: Path) -> None:
    """Delete the temporary files a killed build may have left (``.name.xxxx.tmp``);
    the outputs themselves are always complete."""
    if output.is_dir():
        for stale in output.rglob(".*.tmp"):
            stale.unlink(missing_ok=True)


def _exporter_version(format_name: str) -> str:
    """A fingerprint of the exporter's code: its module and the shared exporter code
    (and its templates and stylesheets, when it has them)."""
    module = get(format_name)
    package = Path(module.__file__ or "").parent
    digest = hashlib.sha256(__version__.encode())
    files = [Path(module.__file__ or ""), package / "_base.py", package / "_common.py"]
    for folder in (package / "templates" / format_name, package / "static"):
        if folder.is_dir():
            files += sorted(p for p in folder.rglob("*") if p.is_file())
    for file in files:
        if file.is_file():
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def _key(format_name: str, options: dict[str, Any], version: str) -> str:
    """What, besides the inputs, decides an output: the format, its code, the options."""
    return hashlib.sha256(json.dumps([format_name, version, options], sort_keys=True).encode()).hexdigest()


class _FileHashes:
    """SHA-256 of corpus files, each read once per build."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[str, str] = {}

    def __call__(self, relative: str) -> str:
        if relative not in self.cache:
            path = self.root / relative
            self.cache[relative] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"
        return self.cache[relative]


#: Corpus files every article depends on (its publisher, glossary entries, sources).
_SHARED_FILES = ("healthinfo.yaml", "glossary.yaml", "references.yaml", "references.yml", "references.json")


def _article_inputs(article: Article) -> list[str]:
    """The corpus files an article is made from (paths relative to the corpus)."""
    files = [*_SHARED_FILES, f"articles/{article.id}.md"]
    for node in walk([article.blocks, article.sections, article.back]):
        if isinstance(node, Include):
            files.append(f"blocks/{node.ref}.md")
        elif isinstance(node, Figure):
            files.append(node.image.path)
    return files


def _book_file(root: Path, book_id: str) -> Path | None:
    for suffix in (".yaml", ".yml"):
        if (root / "books" / f"{book_id}{suffix}").is_file():
            return root / "books" / f"{book_id}{suffix}"
    return None


def _book_inputs(book: Book, root: Path) -> list[str]:
    found = _book_file(root, book.id)
    files = [found.relative_to(root).as_posix() if found else f"books/{book.id}.yaml"]
    if book.cover:
        files.append(book.cover.path)
    for article in book.articles:
        files += _article_inputs(article)
    return files


def _fresh(entry: Any, key: str, hashes: _FileHashes, output_file: Path) -> bool:
    """Whether a manifest entry says the output is up to date with the corpus files."""
    if not isinstance(entry, dict) or entry.get("key") != key or not output_file.is_file():
        return False
    inputs = entry.get("inputs")
    if not isinstance(inputs, dict) or not inputs:
        return False
    return all(hashes(str(relative)) == digest for relative, digest in inputs.items())


@dataclass(frozen=True)
class _Task:
    document: Article | Book
    format: str
    target: str  # path relative to the output folder
    options: tuple[tuple[str, Any], ...]


def _run(task: _Task) -> tuple[str, bytes, dict[str, bytes]] | tuple[str, None, str]:
    """Render one task (in a worker). Returns (target, data, resources) or
    (target, None, error message)."""
    try:
        rendered = render(task.document, task.format, **dict(task.options))
    except HealthinfoError as error:
        return task.target, None, str(error)
    except Exception as error:  # noqa: BLE001 - one document's bug must not stop the build
        return task.target, None, f"internal error in the {task.format} exporter: {type(error).__name__}: {error}"
    return task.target, rendered.data, rendered.resources


def _bounded(executor: Executor, tasks: Sequence[_Task], window: int) -> Iterator[Any]:
    """Results of ``_run`` over ``tasks`` in order, with at most ``window`` tasks
    submitted and not yet collected: the documents (pickled for the workers) and their
    outputs never pile up in memory, whatever the size of the corpus."""
    pending: deque[Future[Any]] = deque()
    for task in tasks:
        pending.append(executor.submit(_run, task))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _target(format_name: str, document_id: str, book: bool) -> str:
    extension = get(format_name).EXTENSION
    return f"{format_name}/books/{document_id}{extension}" if book else f"{format_name}/{document_id}{extension}"


def _corpus_ids(root: Path, folder: str, suffixes: tuple[str, ...]) -> set[str]:
    directory = root / folder
    if not directory.is_dir():
        return set()
    return {p.stem for p in directory.iterdir() if p.suffix in suffixes and not p.name.startswith(".")}


def _read_manifest(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        outputs = json.loads(path.read_text(encoding="utf-8")).get("outputs", {})
    except (ValueError, AttributeError, OSError):
        return {}
    return dict(outputs) if isinstance(outputs, dict) else {}


def build(
    corpus: str | os.PathLike[str] | Corpus,
    out: str | os.PathLike[str],
    formats: Sequence[str] | None = None,
    *,
    jobs: int | None = None,
    executor: Executor | None = None,
    only: Iterable[str] | None = None,
    force: bool = False,
    source_date_epoch: int | None = None,
    progress: Callable[[str, str], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    site: bool = False,
) -> BuildReport:
    """Export every article and book of ``corpus`` to ``formats`` (default: all
    registered) into the folder ``out``.

    ``jobs``: worker processes of the built-in pool (default: the CPU count; 1 renders
    in this process). ``executor``: any ``concurrent.futures.Executor`` to use instead.
    ``only``: article or book ids to build. ``force``: ignore the manifest and rebuild
    everything. ``progress(target, status)`` is called once per output with status
    "written", "skipped", "removed" or "failed"; ``on_start(n)`` once, with the number
    of outputs about to be rendered. ``site``: also write the HTML site (index by
    topic, one page per article, glossary) to ``OUT/site/``; it needs the whole corpus,
    so it is refreshed (with a full load) whenever anything was rebuilt. Raises :class:`~healthinfo.CorpusError` when the
    corpus has problems (before anything is written).

    From a corpus folder, the manifest's record of each output's corpus files (and
    their SHA-256) decides what is up to date before anything is parsed: a rebuild
    after one change loads and renders only what that change touches.
    """
    chosen = list(formats) if formats else list(REGISTRY)
    for name in chosen:
        get(name)  # unknown formats fail before anything is done
    output = Path(out)
    _remove_stale_temporaries(output)
    options: dict[str, Any] = {}
    if source_date_epoch is not None:
        options["source_date_epoch"] = source_date_epoch
    keys = {name: _key(name, options, _exporter_version(name)) for name in chosen}
    wanted = set(only) if only else None
    manifest_path = output / MANIFEST
    manifest = _read_manifest(manifest_path)
    report = BuildReport(formats=chosen)

    root: Path | None = None if isinstance(corpus, Corpus) else Path(corpus)
    hashes = _FileHashes(root) if root is not None else None
    needed: set[str] | None = None  # None: every document of the loaded corpus
    loaded: Corpus | None
    if isinstance(corpus, Corpus):
        loaded = corpus
    elif force or not manifest or hashes is None or root is None or not (root / "healthinfo.yaml").is_file():
        loaded = load_corpus(Path(corpus))
    else:
        need_articles: set[str] = set()
        need_books: set[str] = set()
        article_ids = _corpus_ids(root, "articles", (".md",))
        book_ids = _corpus_ids(root, "books", (".yaml", ".yml"))
        for name in chosen:
            for article_id in article_ids:
                target = _target(name, article_id, book=False)
                if _fresh(manifest.get(target), keys[name], hashes, output / target):
                    report.skipped.append(output / target)
                else:
                    need_articles.add(article_id)
            if getattr(get(name), "ACCEPTS_BOOKS", True):
                for book_id in book_ids:
                    target = _target(name, book_id, book=True)
                    if _fresh(manifest.get(target), keys[name], hashes, output / target):
                        report.skipped.append(output / target)
                    else:
                        need_books.add(book_id)
        if wanted is not None:
            need_articles &= wanted
            need_books &= wanted
            report.skipped = [p for p in report.skipped if p.name.rsplit(".", 1)[0] in wanted]
        needed = need_articles | need_books
        loaded = load_corpus(root, articles=need_articles, books=need_books) if needed else None
        # A document withdrawn from the corpus must not stay published: its outputs
        # (as the manifest records them) go too.
        for target in sorted(manifest):
            document_id = Path(target).name.rsplit(".", 1)[0]
            is_book = target.split("/")[1:2] == ["books"]
            gone = document_id not in (book_ids if is_book else article_ids)
            if gone and target.split("/", 1)[0] in chosen:
                (output / target).unlink(missing_ok=True)
                del manifest[target]
                report.removed.append(output / target)
                if progress:
                    progress(target, "removed")
        report.skipped = [p for p in report.skipped if p.name.rsplit(".", 1)[0] not in needed]
        if progress:
            for path in report.skipped:
                progress(path.relative_to(output).as_posix(), "skipped")

    tasks: list[_Task] = []
    entries: dict[str, dict[str, Any]] = {}
    option_items = tuple(sorted(options.items()))
    documents: list[tuple[Article | Book, bool]] = []
    if loaded is not None:
        documents = [(a, False) for a in loaded.articles.values()] + [(b, True) for b in loaded.books.values()]
    for name in chosen:
        accepts_books = getattr(get(name), "ACCEPTS_BOOKS", True)
        for document, is_book in documents:
            if (is_book and not accepts_books) or (wanted is not None and document.id not in wanted):
                continue
            if needed is not None and document.id not in needed:
                continue  # loaded only because a book holds it
            target = _target(name, document.id, is_book)
            if root is not None and hashes is not None:
                files = _book_inputs(document, root) if isinstance(document, Book) else _article_inputs(document)
                inputs = {relative: hashes(relative) for relative in files}
            else:
                inputs = {"<model>": hashlib.sha256(document.model_dump_json().encode()).hexdigest()}
            entry = {"key": keys[name], "inputs": inputs}
            if not force and manifest.get(target) == entry and (output / target).is_file():
                report.skipped.append(output / target)
                if progress:
                    progress(target, "skipped")
                continue
            entries[target] = entry
            tasks.append(_Task(document, name, target, option_items))
    report.documents = len({t.document.id for t in tasks} | {p.name.rsplit(".", 1)[0] for p in report.skipped})

    done: dict[str, dict[str, Any]] = {}
    if on_start:
        on_start(len(tasks))

    def record(result: tuple[str, Any, Any]) -> None:
        target, data, extra = result
        if data is None:
            task = next(t for t in tasks if t.target == target)
            report.failed.append(BuildFailure(task.document.id, task.format, extra))
            if progress:
                progress(target, "failed")
            return
        folder = (output / target).parent
        for relative, blob in sorted(extra.items()):
            write_atomic(folder / relative, blob)
        write_atomic(output / target, data)
        report.written.append(output / target)
        done[target] = entries[target]
        if progress:
            progress(target, "written")

    try:
        if executor is not None:
            for result in _bounded(executor, tasks, window=64):
                record(result)
        elif (jobs or os.cpu_count() or 1) > 1 and len(tasks) > 1:
            workers = jobs or os.cpu_count() or 2
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for result in _bounded(pool, tasks, window=workers * 4):
                    record(result)
        else:
            for task in tasks:
                record(_run(task))
        if site and (tasks or report.removed or not (output / "site" / "index.html").is_file()):
            from .exporters.html import render_site

            whole = loaded if (loaded is not None and needed is None) else load_corpus(Path(corpus))  # type: ignore[arg-type]
            for relative, blob in sorted(render_site(whole).items()):
                write_atomic(output / "site" / relative, blob)
                report.written.append(output / "site" / relative)
                if progress:
                    progress(f"site/{relative}", "written")
    finally:
        # The manifest lists only outputs that are complete on disk, so an
        # interrupted build resumes where it stopped; entries of outputs that were
        # due for a rebuild but were not written (failed, interrupted) are dropped.
        kept = {k: v for k, v in manifest.items() if k not in entries and (output / k).is_file()}
        write_atomic(
            manifest_path,
            json.dumps({"healthinfo": __version__, "outputs": {**kept, **done}}, indent=1, sort_keys=True).encode(),
        )
    return report
