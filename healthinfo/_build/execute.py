"""Running a build's jobs: one job per due document, on any
:class:`concurrent.futures.Executor` (the built-in process pool, a thread pool, Dask's
``Client.get_executor()``, a Ray adapter), at most a window of them at a time.

A job from a corpus folder names the document and the folder; the worker loads the
document itself, so that no process holds the whole corpus and parsing runs in
parallel too. A loaded corpus sends the document along. The worker renders the
document to each due output: a format's file (and its resources), or a corpus-level
target's files of the article with its summary. Content problems and exporter errors
come back as values: one document's problem must not stop the build.

Executors that cache results by the arguments of a task (Dask's ``pure=True``, the
default of ``Client.get_executor()``) answer an equal task from memory. So a job
carries the hash of everything its outputs are made from (:func:`make_jobs`), and the
worker sends back the hash of every corpus file it read; an outcome made from other
files than the corpus holds now (an answer from a cache) is run again, once.
"""

from __future__ import annotations

import ctypes
import gc
import datetime as dt
import hashlib
import json
import os
import signal
import sys
import warnings
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from .._errors import CorpusError, CorpusWarning, HealthinfoError, Problem
from ..editions import edition_of
from ..exporters import TARGETS, ExportWarning, get, get_target
from ..csl import formatted_folder, keep_formatted_in
from ..exporters._cache import keep_compiled_in
from ..loader import DocumentReader
from ..schema import Article, Book, CorpusSettings
from .guard import is_safe_name
from .manifest import CACHE
from .plan import Due
from .sources import Sources, document_files, file_digest
from .write import write_files

__all__ = ["Job", "Outcome", "Result", "bounded", "forget_reader", "make_jobs", "outcomes", "run"]

#: How often an outcome made from other files than the corpus holds is run again.
RETRIES = 1


@dataclass(frozen=True)
class Job:
    """One document to render to one or more outputs, in a worker."""

    id: str
    book: bool
    #: (producer, manifest name of the output)
    targets: tuple[tuple[str, str], ...]
    #: (producer, its options as JSON)
    options: tuple[tuple[str, str], ...]
    #: SHA-256 of what the outputs are made from (the corpus files known to the plan,
    #: the producers' code and options): equal jobs make equal outputs.
    inputs: str = ""
    #: The corpus folder the worker loads the document from, and a fingerprint of the
    #: files every document uses (a worker reads them again when it changes).
    source: str | None = None
    shared: str = ""
    #: A loaded corpus's document and settings, sent along instead.
    document: Article | Book | None = None
    settings: CorpusSettings | None = None
    #: The output folder, when the worker writes the files itself (the built-in pool).
    output: str | None = None
    attempt: int = 0
    #: The build date the loader checks the content's dates against (ISO; "" today).
    today: str = ""
    #: The regional edition to make (ISO 3166-1 alpha-2; "" the complete text).
    edition: str = ""


@dataclass(frozen=True)
class Result:
    """One output of a job, or why it failed."""

    name: str
    #: The files to write (relative to the output folder): resources first, the
    #: document last. Empty once the worker wrote them itself.
    files: tuple[tuple[str, bytes], ...] = ()
    #: The files the manifest records and the report lists (not the resources).
    recorded: tuple[str, ...] = ()
    error: str | None = None
    #: A corpus-level target's summary of the article.
    summary: dict[str, Any] | None = None
    written: bool = False
    #: The document is not in the build's regional edition: its earlier output goes.
    excluded: bool = False


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back for a job."""

    job: Job
    results: tuple[Result, ...] = ()
    #: The corpus files the document was made from, with the SHA-256 the worker read.
    inputs: tuple[tuple[str, str], ...] = ()
    #: The content problems that kept the document from loading.
    problems: tuple[Problem, ...] = ()
    #: (output name, message) of each ExportWarning.
    warnings: tuple[tuple[str, str], ...] = ()


def make_jobs(due: Sequence[Due], sources: Sources, keys: Mapping[str, str], options: Mapping[str, str],
              manifest: Mapping[str, Any], edition: str = "") -> list[Job]:
    """A job per due document. Its ``inputs`` hash covers the document's own file,
    the shared files, the files the manifest recorded for its outputs (images, a
    book's articles), the producers' keys; a loaded corpus's document by its JSON."""
    jobs = []
    for item in due:
        document = item.document
        recorded = {relative for _, name in item.outputs for relative in _recorded_inputs(manifest.get(name))}
        files = sorted({sources.name(document), *recorded})
        token = json.dumps([document.id, document.book, [(p, keys[p]) for p, _ in item.outputs], sources.shared,
                            [(file, sources.hashes(file)) for file in files]])
        jobs.append(Job(
            document.id, document.book, item.outputs,
            tuple(sorted({(producer, options[producer]) for producer, _ in item.outputs})),
            inputs=hashlib.sha256(token.encode()).hexdigest(),
            source=None if sources.root is None else str(sources.root), shared=sources.shared, today=sources.today,
            edition=edition,
            document=sources.models.get(document), settings=sources.settings if sources.root is None else None,
        ))
    return jobs


def _recorded_inputs(entry: Any) -> list[str]:
    inputs = entry.get("inputs") if isinstance(entry, dict) else None
    return [str(relative) for relative in inputs] if isinstance(inputs, dict) else []


#: The reader of the corpus a worker process builds from: (folder, fingerprint of the
#: shared files) -> reader. One at a time: a long-lived executor that builds another
#: corpus, or the same after an edit to its shared files, reads them afresh.
_READER: dict[tuple[str, str, str], DocumentReader] = {}


def _reader(source: str, shared: str, today: str) -> DocumentReader:
    key = (source, shared, today)
    if key not in _READER:
        _READER.clear()
        _READER[key] = DocumentReader(source, today=dt.date.fromisoformat(today) if today else None)
    return _READER[key]


def forget_reader() -> None:
    _READER.clear()


def _load(job: Job) -> tuple[Article | Book, CorpusSettings, tuple[tuple[str, str], ...]] | Outcome:
    """The job's document, the corpus settings and the corpus files it was made from
    (with their hashes); or an Outcome with the content problems."""
    if job.document is not None:
        assert job.settings is not None
        return job.document, job.settings, ()
    assert job.source is not None
    reader = _reader(job.source, job.shared, job.today)
    try:
        document: Article | Book = reader.book(job.id) if job.book else reader.article(job.id)
    except CorpusError as error:
        return Outcome(job, problems=tuple(error.problems))
    root = Path(job.source)
    # The hash of the bytes the document was made from (as the loader read them), not
    # of the file as it is now: an edit made while the build runs shows as a change
    # next time. A file the loader did not read (one that is not there) is looked at.
    files = document_files(document, root)
    return document, reader.settings, tuple((file, reader.digest(file) or file_digest(root / file)) for file in files)


def _render(document: Article | Book, settings: CorpusSettings, producer: str, name: str, options: str) -> Result:
    """One output of ``document``: a corpus-level target's files of the article, or a
    format's file and its resources (beside it)."""
    values = json.loads(options)
    try:
        if producer in TARGETS:
            target = get_target(producer)
            assert isinstance(document, Article)
            page = target.article(document, settings, target.make_options(values))
            files = tuple((f"{producer}/{relative}", data) for relative, data in sorted(page.files.items()))
            unsafe = next((file for file, _ in files if not is_safe_name(file)), None)
            if unsafe is not None:
                return Result(name, error=f"the {producer} target gave a file named {unsafe!r}: {_UNSAFE_WHY}")
            return Result(name, files, tuple(file for file, _ in files), summary=page.summary)
        exporter = get(producer)
        rendered = exporter.render(document, exporter.make_options(values))
    except HealthinfoError as error:
        return Result(name, error=str(error))
    except RecursionError:  # a loaded model deeper than the loader lets a corpus file be
        return Result(name, error=f"the document is nested too deeply for the {producer} exporter; "
                                  "the loader's limits are in docs/security.md")
    except Exception as error:  # noqa: BLE001 - one document's bug must not stop the build
        return Result(name, error=f"internal error in the {producer} exporter: {type(error).__name__}: {error}")
    folder = PurePosixPath(name).parent
    resources = tuple((str(folder / relative), blob) for relative, blob in sorted(rendered.resources.items()))
    unsafe = _unsafe_resource(rendered.resources, exporter.extension)
    if unsafe is not None:
        return Result(name, error=f"the {producer} exporter gave a resource named {unsafe!r}: {_UNSAFE_WHY}")
    return Result(name, (*resources, (name, rendered.data)), (name,))


_UNSAFE_WHY = ("a resource must be a relative path inside the output folder (no '..', no absolute path) "
               "and not a name of the format's own files; check the image paths of the document")


def _unsafe_resource(resources: Mapping[str, bytes], extension: str) -> str | None:
    """A resource name that could leave the output folder or take the place of a
    document's output (an image called ``one.xml`` beside ``jats/one.xml``), if any."""
    for relative in resources:
        if not is_safe_name(relative) or relative.lower().endswith(extension.lower()):
            return relative
    return None


def _collect_warnings(caught: list[warnings.WarningMessage], name: str) -> list[tuple[str, str]]:
    notes = []
    for warning in caught:
        if issubclass(warning.category, ExportWarning):
            notes.append((name, str(warning.message)))
        else:  # not ours to collect: issued again, as if not caught
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return notes


def run(job: Job) -> Outcome:
    """Load (when needed) and render one document to each of its outputs (in a
    worker). The built-in pool's workers write the files themselves, each atomically,
    so that only a few names travel back to the calling process, not the bytes."""
    if job.output is not None:  # a worker of the built-in pool: compiled templates in the output's cache
        keep_compiled_in(Path(job.output) / CACHE / "templates")
        keep_formatted_in(Path(job.output) / CACHE / "references")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CorpusWarning)
        loaded = _load(job)
    # The loader's warnings (dates:updated-in-future) stand under the job's first output.
    notes = [(job.targets[0][1], str(w.message)) for w in caught if issubclass(w.category, CorpusWarning)]
    if isinstance(loaded, Outcome):
        return loaded
    document, settings, inputs = loaded
    if job.edition:
        cut, notices = edition_of(document, job.edition)
        # What the edition left out stands under the job's first output, as the loader's warnings.
        notes += [(job.targets[0][1], str(notice)) for notice in notices]
        if cut is None:
            return Outcome(job, tuple(Result(name, excluded=True) for _, name in job.targets), inputs,
                           warnings=tuple(notes))
        document = cut
    options = dict(job.options)
    results: list[Result] = []
    writes: list[Future[None]] = []
    for producer, name in job.targets:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ExportWarning)
            result = _render(document, settings, producer, name, options[producer])
        results.append(result)
        notes += _collect_warnings(caught, name)
        if job.output is not None and result.error is None:
            # Written while the next output renders: the wait for the disk overlaps work.
            writes.append(_writer().submit(write_files, Path(job.output), result.files))
    if job.output is not None:
        _written(results, writes)
    return Outcome(job, tuple(results), inputs, warnings=tuple(notes))


#: The threads a pool worker writes its outputs on, made in the worker (after the
#: fork), with the process id it was made in.
_WRITERS: list[tuple[int, ThreadPoolExecutor]] = []


def _writer() -> ThreadPoolExecutor:
    """This process's writing threads (made after a fork: a pool's threads do not
    survive one)."""
    if not _WRITERS or _WRITERS[0][0] != os.getpid():
        _WRITERS[:] = [(os.getpid(), ThreadPoolExecutor(max_workers=8, thread_name_prefix="healthinfo-write"))]
    return _WRITERS[0][1]


def _written(results: list[Result], writes: list[Future[None]]) -> None:
    """Wait until every output of a job is written, each atomically (the first
    failure raises); each result then says it was written, so that only its name
    travels back. The job returns only then: what it reports written is on disk."""
    for future in writes:
        future.result()
    for index, result in enumerate(results):
        if result.error is None:
            results[index] = replace(result, files=(), written=True)


def bounded(executor: Executor, jobs: Sequence[Job], window: int,
            current: Callable[[Outcome], bool] = lambda outcome: True) -> Iterator[Outcome]:
    """Outcomes of :func:`run` over ``jobs``, with at most ``window`` jobs submitted and
    not yet collected: outputs never pile up in memory, whatever the size of the
    corpus. An outcome that is not ``current`` (made from other corpus files than
    there are now) is run again (``attempt`` makes it another task), at most RETRIES
    times; then it is taken as it is (the manifest records what it was made from)."""
    queue = deque(jobs)
    pending: deque[Future[Outcome]] = deque()
    while queue or pending:
        while queue and len(pending) < window:
            pending.append(executor.submit(run, queue.popleft()))
        outcome = pending.popleft().result()
        if not current(outcome) and outcome.job.attempt < RETRIES:
            queue.append(replace(outcome.job, attempt=outcome.job.attempt + 1))
            continue
        yield outcome


def _start_worker(parent: int) -> None:
    """A worker of the built-in pool, as it starts. It dies with the build's process
    (``parent``): on Linux the kernel sends it SIGTERM when that process ends, however
    it ends (a SIGKILL too), so no worker goes on writing outputs the build will never
    record. What it inherited (the libraries, the shared files) is kept out of the
    garbage collector's scans (gc.freeze), and a collection runs every 2,000 new
    objects instead of 700: rendering makes short-lived objects by the hundred
    thousand, nearly all freed by their reference counts."""
    _die_with(parent)
    gc.freeze()
    gc.set_threshold(2000, 10, 10)


#: prctl(2) option: the signal the calling process gets when its parent dies.
_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the check below still holds at start
            pass
    if os.getppid() != parent:  # the build's process died before the signal was asked for
        os._exit(1)


def _hand_down(sources: Sources) -> None:
    """Make this process's reader of the corpus (its shared files read) the one its
    jobs use: rendering in this process, and in the workers of the built-in pool,
    which start as forks of it (a worker that is not a fork reads the files itself)."""
    if sources.reader is not None and sources.root is not None:
        forget_reader()
        _READER[(str(sources.root), sources.shared, sources.today)] = sources.reader


def outcomes(jobs: Sequence[Job], *, executor: Executor | None, workers: int, output: Path, sources: Sources,
             current: Callable[[Outcome], bool]) -> Iterator[Outcome]:
    """The outcomes of ``jobs``: on ``executor`` (its outcomes carry the bytes, this
    process writes them); else on a process pool of ``workers`` (on this machine: the
    workers write the files themselves); else in this process, which has read the
    shared files already."""
    if executor is not None:
        yield from bounded(executor, jobs, window=64, current=current)
    elif workers > 1 and len(jobs) > 1:
        _hand_down(sources)  # forked workers start with the shared files read
        local = [replace(job, output=str(output)) for job in jobs]
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_start_worker,
                                 initargs=(os.getpid(),)) as pool:
            yield from bounded(pool, local, window=workers * 4, current=current)
    else:
        _hand_down(sources)
        # Formatted references kept in the output's cache here too (a rebuild of one
        # article runs in this process), for this build only.
        previous = formatted_folder()
        keep_formatted_in(output / CACHE / "references")
        try:
            for job in jobs:
                yield run(job)
        finally:
            keep_formatted_in(previous)
