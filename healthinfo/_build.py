"""Building a whole corpus: every article and book to every chosen format.

    healthinfo.build("corpus/", "build/", formats=["jats"], jobs=2)

Layout of the output folder (docs/build.md):

    OUT/<format>/<article id><ext>          one file per article
    OUT/<format>/books/<book id><ext>       one file per book (formats that take books)
    OUT/<format>/images/…                   images the files point at (formats that link them)
    OUT/.healthinfo-manifest.json           what was built from what (for incremental builds)

Loading and rendering run in parallel on any :class:`concurrent.futures.Executor`
(the default is a process pool of ``jobs`` workers; pass a Dask or Ray executor to
spread it wider): each job is one document, which the worker loads from the corpus
folder itself and renders to every chosen format. The built-in pool's workers write
the files themselves; a custom executor's send the bytes back to this process. Every
file is written atomically (temporary file + rename), so an interrupted build leaves
every output either the old or the new version. An error in one document (a content problem
or an exporter's failure) is reported and does not stop the others.
Incremental: a document whose content hash, exporter version and options are
unchanged since the last build is skipped, unless ``force``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ._errors import CorpusError, HealthinfoError, Problem
from ._version import __version__
from .exporters import REGISTRY, ExportWarning, get, render
from .loader import DocumentReader
from .loader._corpus import _book_path
from .schema import Article, Book, Corpus, CorpusSettings, Figure, GlossaryEntry, Include, walk

__all__ = ["MANIFEST", "BuildFailure", "BuildReport", "BuildWarning", "build", "write_atomic"]

MANIFEST = ".healthinfo-manifest.json"
#: The folder (and manifest name) of the HTML site a build writes beside the formats.
SITE = "site"


@dataclass(frozen=True)
class BuildFailure:
    """A document that could not be exported."""

    document: str
    format: str
    message: str
    #: The content problems (file, line, what to fix) that kept the document from
    #: loading; empty when its exporter failed.
    problems: tuple[Problem, ...] = ()

    def __str__(self) -> str:
        return f"{self.document} ({self.format}): {self.message}"


@dataclass(frozen=True)
class BuildWarning:
    """Something of a document an output could not carry (an ExportWarning: the
    content is kept, not all of it), e.g. ``docx:nested-link``."""

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
    warnings: list[BuildWarning] = field(default_factory=list)
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
    """A fingerprint of the exporter's code: its package and the shared exporter code
    (and its templates and stylesheets)."""
    exporters = Path(__file__).resolve().parent / "exporters"
    digest = hashlib.sha256(__version__.encode())
    files = sorted(p for p in (exporters / format_name).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    files += sorted(exporters.glob("_*.py"))
    for file in files:
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


def _book_inputs(book: Book, root: Path) -> list[str]:
    found = _book_path(root, book.id)
    files = [found.relative_to(root).as_posix()]
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
class _Job:
    """One document to render to one or more formats, in a worker. From a corpus
    folder the worker loads the document itself (``source``: the folder; ``shared``:
    a fingerprint of the files every document uses), so that no process holds the
    whole corpus and parsing runs in parallel too; a corpus given as a model sends the
    ``document`` along instead."""

    id: str
    book: bool
    targets: tuple[tuple[str, str], ...]  # (format, path relative to the output folder)
    options: tuple[tuple[str, Any], ...]
    source: str | None = None
    shared: str = ""
    document: Article | Book | None = None
    site_name: str = ""  # the site's name, for a "site" target
    output: str | None = None  # the output folder, when the worker writes the files itself


@dataclass(frozen=True)
class _Outcome:
    """What a worker sends back for a job: per target the bytes and resources, or an
    error message; the corpus files the document was made from; or the content
    problems that kept it from loading."""

    job: _Job
    results: tuple[tuple[str, bytes | None, dict[str, bytes] | str], ...] = ()
    files: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    summary: dict[str, Any] | None = None  # what the site's index and glossary show of an article
    warnings: tuple[tuple[str, str], ...] = ()  # (target, message) of each ExportWarning
    written: frozenset[str] = frozenset()  # targets the worker wrote itself (their bytes are not sent)


#: The reader of the corpus a worker process builds from: (folder, fingerprint of the
#: shared files) -> reader. One at a time: a long-lived executor that builds another
#: corpus, or the same after an edit to its shared files, reads them afresh.
_READER: dict[tuple[str, str], DocumentReader] = {}


def _reader(source: str, shared: str) -> DocumentReader:
    key = (source, shared)
    if key not in _READER:
        _READER.clear()
        _READER[key] = DocumentReader(source)
    return _READER[key]


def _run(job: _Job) -> _Outcome:
    """Load (when needed) and render one document to each of its targets (in a
    worker). Content problems and exporter errors come back as values: one
    document's problem must not stop the build."""
    document = job.document
    files: tuple[str, ...] = ()
    if document is None:
        assert job.source is not None
        reader = _reader(job.source, job.shared)
        try:
            document = reader.book(job.id) if job.book else reader.article(job.id)
        except CorpusError as error:
            return _Outcome(job, problems=tuple(error.problems))
        root = Path(job.source)
        files = tuple(dict.fromkeys(_book_inputs(document, root) if isinstance(document, Book) else _article_inputs(document)))
    results: list[tuple[str, bytes | None, dict[str, bytes] | str]] = []
    summary = None
    notes: list[tuple[str, str]] = []
    for format_name, target in job.targets:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ExportWarning)
            summary = _render_target(document, format_name, target, job, results) or summary
        for warning in caught:
            if issubclass(warning.category, ExportWarning):
                notes.append((target, str(warning.message)))
            else:  # not ours to collect: issued again, as if not caught
                warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    written: set[str] = set()
    if job.output is not None:
        # Written here, each file atomically, so that only a few names travel back to
        # the calling process (which records them in the manifest), not the bytes.
        for index, (target, data, extra) in enumerate(results):
            if data is not None and isinstance(extra, dict):
                _Writer.write_files(_output_files(Path(job.output), target, data, extra))
                results[index] = (target, b"", {})
                written.add(target)
    return _Outcome(job, tuple(results), files, summary=summary, warnings=tuple(notes), written=frozenset(written))


def _output_files(output: Path, target: str, data: bytes, resources: dict[str, bytes]) -> list[tuple[Path, bytes]]:
    """The files of one output: its resources (beside it) first, the document last."""
    folder = (output / target).parent
    return [(folder / relative, blob) for relative, blob in sorted(resources.items())] + [(output / target, data)]


def _render_target(document: Article | Book, format_name: str, target: str, job: _Job,
                   results: list[tuple[str, bytes | None, dict[str, bytes] | str]]) -> dict[str, Any] | None:
    """Render ``document`` to one target, appending (target, bytes, resources) or
    (target, None, error) to ``results``. Returns the site summary of a site target."""
    try:
        if format_name == SITE:
            from .exporters.html import Options as HtmlOptions
            from .exporters.html import site_article, site_summary

            assert isinstance(document, Article)
            results.append((target, site_article(document, job.site_name, HtmlOptions(**dict(job.options))), {}))
            return site_summary(document)
        rendered = render(document, format_name, **dict(job.options))
    except HealthinfoError as error:
        results.append((target, None, str(error)))
    except Exception as error:  # noqa: BLE001 - one document's bug must not stop the build
        results.append((target, None, f"internal error in the {format_name} exporter: {type(error).__name__}: {error}"))
    else:
        results.append((target, rendered.data, rendered.resources))
    return None


def _bounded(executor: Executor, jobs: Sequence[_Job], window: int) -> Iterator[_Outcome]:
    """Outcomes of ``_run`` over ``jobs`` in order, with at most ``window`` jobs
    submitted and not yet collected: outputs never pile up in memory, whatever the
    size of the corpus."""
    pending: deque[Future[_Outcome]] = deque()
    for job in jobs:
        pending.append(executor.submit(_run, job))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


@functools.cache
def _extension(format_name: str) -> str:
    return get(format_name).extension


def _target(format_name: str, document_id: str, book: bool) -> str:
    extension = _extension(format_name)
    return f"{format_name}/books/{document_id}{extension}" if book else f"{format_name}/{document_id}{extension}"


def _write_site_pages(output: Path, settings: CorpusSettings, glossary: dict[str, GlossaryEntry],
                      entries: dict[str, Any], options: dict[str, Any], report: BuildReport,
                      progress: Callable[[str, str], None] | None) -> None:
    """The site's index and glossary page, from the summaries the manifest keeps of
    every article page (an article whose last build failed keeps its last summary, as
    its page stays); each is written only when it changed."""
    from .exporters.html import Options as HtmlOptions
    from .exporters.html import site_pages

    summaries = [entry["summary"] for target, entry in sorted(entries.items())
                 if target.startswith(f"{SITE}/articles/") and isinstance(entry, dict) and isinstance(entry.get("summary"), dict)]
    for relative, blob in sorted(site_pages(settings, glossary, summaries, HtmlOptions(**options)).items()):
        path = output / SITE / relative
        if path.is_file() and path.read_bytes() == blob:
            report.skipped.append(path)
            if progress:
                progress(f"{SITE}/{relative}", "skipped")
            continue
        write_atomic(path, blob)
        report.written.append(path)
        if progress:
            progress(f"{SITE}/{relative}", "written")


class _Writer:
    """Writes the outputs on a few threads of this process. Each file is flushed to the
    disk before it replaces the old one (write_atomic), and that wait is for the disk,
    not the processor: on threads, the waits overlap each other and the collecting of
    the workers' results. At most ``limit`` outputs wait to be written, so their bytes
    never pile up. ``on_written`` callbacks run in the calling thread, in order, as the
    writes complete (``write`` and ``finish`` run them), never on a writing thread."""

    def __init__(self, threads: int = 4, limit: int = 32) -> None:
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="healthinfo-write")
        self.limit = limit
        self.pending: deque[tuple[Future[None], Callable[[], None]]] = deque()

    @staticmethod
    def write_files(files: list[tuple[Path, bytes]]) -> None:
        for path, data in files:  # resources first, the document last
            write_atomic(path, data)

    def write(self, files: list[tuple[Path, bytes]], on_written: Callable[[], None]) -> None:
        self.pending.append((self.pool.submit(self.write_files, files), on_written))
        self._collect(block=len(self.pending) > self.limit)

    def _collect(self, block: bool) -> None:
        while self.pending and (block or self.pending[0][0].done()):
            future, on_written = self.pending.popleft()
            future.result()  # a write that failed (a full disk) raises here
            on_written()
            block = block and len(self.pending) > self.limit

    def finish(self) -> None:
        """Wait for every write; raise the first that failed."""
        while self.pending:
            future, on_written = self.pending.popleft()
            future.result()
            on_written()

    def close(self) -> None:
        """After an interruption or an error: let the writes under way complete (each is
        atomic), cancel the others, and record those that were written."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        while self.pending:
            future, on_written = self.pending.popleft()
            if not future.cancelled() and future.exception() is None:
                on_written()


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
    site: bool | None = None,
) -> BuildReport:
    """Export every article and book of ``corpus`` to ``formats`` (default: all
    registered) into the folder ``out``.

    ``jobs``: worker processes of the built-in pool (default: the CPU count; 1 renders
    in this process). ``executor``: any ``concurrent.futures.Executor`` to use instead;
    from a corpus folder its workers read their documents from that folder, so they
    must see it at the same path (their outputs come back to this process, which
    writes them; the built-in pool's workers write their own). ``only``: article or book ids to build. ``force``: ignore the manifest and
    rebuild everything. ``progress(target, status)`` is called once per output with
    status "written", "skipped", "removed" or "failed"; ``on_start(n)`` once, with the
    number of outputs reported after it (those about to be rendered, and the site's
    index and glossary page). ``site``: also write the HTML site (index by topic, one
    page per article, glossary) to ``OUT/site/`` (default: when "html" is among the
    formats). Its article pages are built and skipped like any output; the index and
    the glossary page are made from what the manifest keeps of every article (title,
    topic, date, terms), so they need no full load either.

    Raises :class:`~healthinfo.CorpusError`, before anything is written, when the
    files every document uses (settings, glossary, references, reusable blocks) or the
    file names have problems. A document with problems of its own is not built: its
    outputs are listed in ``report.failed`` with the problems (file, line, what to
    fix), and the other documents are built.

    From a corpus folder, the manifest's record of each output's corpus files (and
    their SHA-256) decides what is up to date before anything is parsed: a rebuild
    after one change loads and renders only what that change touches. Each worker
    loads only the documents it renders.
    """
    chosen = list(formats) if formats else list(REGISTRY)
    for name in chosen:
        get(name)  # unknown formats fail before anything is done
    output = Path(out)
    options: dict[str, Any] = {}
    if source_date_epoch is not None:
        options["source_date_epoch"] = source_date_epoch
    option_items = tuple(sorted(options.items()))
    keys = {name: _key(name, options, _exporter_version(name)) for name in chosen}
    with_site = ("html" in chosen) if site is None else site
    if with_site:
        keys[SITE] = _key(SITE, options, _exporter_version("html"))
    wanted = set(only) if only else None
    accepts_books = {name: get(name).accepts_books for name in chosen}
    report = BuildReport(formats=chosen)

    root: Path | None = None if isinstance(corpus, Corpus) else Path(corpus)
    hashes = _FileHashes(root) if root is not None else None
    reader: DocumentReader | None = None
    if root is not None:
        reader = DocumentReader(root)  # CorpusError here: nothing is written
        article_ids, book_ids = reader.articles, reader.books
        settings, glossary = reader.settings, reader.glossary
    else:
        assert isinstance(corpus, Corpus)
        article_ids, book_ids = list(corpus.articles), list(corpus.books)
        settings, glossary = corpus.settings, corpus.glossary
    _remove_stale_temporaries(output)
    manifest_path = output / MANIFEST
    manifest = _read_manifest(manifest_path)

    # A document withdrawn from the corpus must not stay published: its outputs (as
    # the manifest records them) go too.
    for target in sorted(manifest):
        document_id = Path(target).name.rsplit(".", 1)[0]
        is_book = target.split("/")[1:2] == ["books"]
        if document_id not in (book_ids if is_book else article_ids) and target.split("/", 1)[0] in keys:
            (output / target).unlink(missing_ok=True)
            del manifest[target]
            report.removed.append(output / target)
            if progress:
                progress(target, "removed")

    shared = ""
    if root is not None and hashes is not None:
        blocks = sorted(f"blocks/{p.name}" for p in (root / "blocks").glob("*.md")) if (root / "blocks").is_dir() else []
        shared = hashlib.sha256(json.dumps([(f, hashes(f)) for f in [*_SHARED_FILES, *blocks]]).encode()).hexdigest()

    jobs_to_run: list[_Job] = []
    entries: dict[str, dict[str, Any]] = {}  # target -> manifest entry (model input only)
    documented: set[str] = set()
    for document_id, is_book in [(a, False) for a in article_ids] + [(b, True) for b in book_ids]:
        if wanted is not None and document_id not in wanted:
            continue
        document: Article | Book | None = None
        model_inputs: dict[str, str] = {}
        if isinstance(corpus, Corpus):
            document = corpus.books[document_id] if is_book else corpus.articles[document_id]
            model_inputs = {"<model>": hashlib.sha256(document.model_dump_json().encode()).hexdigest()}
        targets: list[tuple[str, str]] = []
        for name in [*chosen, SITE] if with_site and not is_book else chosen:
            if is_book and not accepts_books[name]:
                continue
            target = f"{SITE}/articles/{document_id}.html" if name == SITE else _target(name, document_id, is_book)
            documented.add(document_id)
            entry = manifest.get(target)
            if not force and (output / target).is_file() and (
                (hashes is not None and _fresh(entry, keys[name], hashes, output / target))
                or (document is not None and isinstance(entry, dict) and entry.get("key") == keys[name]
                    and entry.get("inputs") == model_inputs)
            ):
                report.skipped.append(output / target)
                if progress:
                    progress(target, "skipped")
                continue
            targets.append((name, target))
            if document is not None:
                entries[target] = {"key": keys[name], "inputs": model_inputs}
        if targets:
            jobs_to_run.append(_Job(document_id, is_book, tuple(targets), option_items,
                                    source=None if root is None else str(root), shared=shared, document=document,
                                    site_name=settings.name))
    report.documents = len(documented)
    # The outputs about to be rendered, and the site's index and glossary page.
    total = sum(len(job.targets) for job in jobs_to_run) + (2 if with_site else 0)

    done: dict[str, dict[str, Any]] = {}
    if on_start:
        on_start(total)
    writer = _Writer()

    def written(target: str, entry: dict[str, Any]) -> None:
        report.written.append(output / target)
        done[target] = entry
        if progress:
            progress(target, "written")

    def record(outcome: _Outcome) -> None:
        job = outcome.job
        if outcome.problems:
            message = "\n".join(str(problem) for problem in outcome.problems)
            for name, target in job.targets:
                report.failed.append(BuildFailure(job.id, name, message, outcome.problems))
                if progress:
                    progress(target, "failed")
            return
        inputs = {relative: hashes(relative) for relative in outcome.files} if hashes is not None else {}
        formats_of = dict((target, name) for name, target in job.targets)
        for target, message in outcome.warnings:
            report.warnings.append(BuildWarning(job.id, formats_of[target], message))
        for target, data, extra in outcome.results:
            if data is None:
                report.failed.append(BuildFailure(job.id, formats_of[target], str(extra)))
                if progress:
                    progress(target, "failed")
                continue
            assert isinstance(extra, dict)
            entry = {**(entries.get(target) or {"key": keys[formats_of[target]], "inputs": inputs})}
            if formats_of[target] == SITE and outcome.summary is not None:
                entry["summary"] = outcome.summary
            if target in outcome.written:
                written(target, entry)
            else:
                writer.write(_output_files(output, target, data, extra), functools.partial(written, target, entry))

    try:
        workers = jobs or os.cpu_count() or 1
        if executor is not None:
            for outcome in _bounded(executor, jobs_to_run, window=64):
                record(outcome)
        elif workers > 1 and len(jobs_to_run) > 1:
            # The pool's workers are on this machine: they write the files themselves.
            local = [replace(job, output=str(output)) for job in jobs_to_run]
            with ProcessPoolExecutor(max_workers=min(workers, len(jobs_to_run))) as pool:
                for outcome in _bounded(pool, local, window=workers * 4):
                    record(outcome)
        else:
            if reader is not None:
                _READER.clear()
                _READER[(str(root), shared)] = reader  # this process has read the shared files already
            for job in jobs_to_run:
                record(_run(job))
        writer.finish()
        if with_site:
            _write_site_pages(output, settings, glossary, {**manifest, **done}, options, report, progress)
    finally:
        _READER.clear()
        writer.close()  # the writes under way complete; their outputs are recorded
        # The manifest lists only outputs that are complete on disk, so an
        # interrupted build resumes where it stopped; entries of outputs that were
        # due for a rebuild but were not written (failed, interrupted) are dropped.
        due = {target for job in jobs_to_run for _, target in job.targets}
        kept = {k: v for k, v in manifest.items() if k not in due and (output / k).is_file()}
        write_atomic(
            manifest_path,
            json.dumps({"healthinfo": __version__, "outputs": {**kept, **done}}, sort_keys=True, separators=(",", ":")).encode(),
        )
    return report
