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
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._version import __version__
from ._errors import HealthinfoError
from .exporters import REGISTRY, get, render
from .loader import load_corpus
from .schema import Article, Book, Corpus

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
    failed: list[BuildFailure] = field(default_factory=list)
    documents: int = 0
    formats: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that the file is always either the old or the new
    version, never half-written (temporary file in the same folder, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
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


def _content_hash(document: Article | Book, format_name: str, options: dict[str, Any], version: str) -> str:
    digest = hashlib.sha256()
    digest.update(version.encode())
    digest.update(json.dumps(options, sort_keys=True).encode())
    digest.update(format_name.encode())
    digest.update(document.model_dump_json().encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class _Task:
    document: Article | Book
    format: str
    target: str  # path relative to the output folder
    options: tuple[tuple[str, Any], ...]
    key: str


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


def _plan(
    corpus: Corpus, formats: Sequence[str], only: Iterable[str] | None, options: dict[str, Any]
) -> list[_Task]:
    wanted = set(only) if only else None
    tasks: list[_Task] = []
    option_items = tuple(sorted(options.items()))
    for format_name in formats:
        module = get(format_name)
        version = _exporter_version(format_name)
        for article in corpus.articles.values():
            if wanted is None or article.id in wanted:
                target = f"{format_name}/{article.id}{module.EXTENSION}"
                key = _content_hash(article, format_name, options, version)
                tasks.append(_Task(article, format_name, target, option_items, key))
        if getattr(module, "ACCEPTS_BOOKS", True):
            for book in corpus.books.values():
                if wanted is None or book.id in wanted:
                    target = f"{format_name}/books/{book.id}{module.EXTENSION}"
                    key = _content_hash(book, format_name, options, version)
                    tasks.append(_Task(book, format_name, target, option_items, key))
    return tasks


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
) -> BuildReport:
    """Export every article and book of ``corpus`` to ``formats`` (default: all
    registered) into the folder ``out``.

    ``jobs``: worker processes of the built-in pool (default: the CPU count; 1 renders
    in this process). ``executor``: any ``concurrent.futures.Executor`` to use instead.
    ``only``: article or book ids to build. ``force``: ignore the manifest and rebuild
    everything. ``progress(target, status)`` is called once per output with status
    "written", "skipped" or "failed". Raises :class:`~healthinfo.CorpusError` when the
    corpus has problems (before anything is written).
    """
    loaded = corpus if isinstance(corpus, Corpus) else load_corpus(corpus)
    chosen = list(formats) if formats else list(REGISTRY)
    for name in chosen:
        get(name)  # unknown formats fail before anything is done
    output = Path(out)
    _remove_stale_temporaries(output)
    options: dict[str, Any] = {}
    if source_date_epoch is not None:
        options["source_date_epoch"] = source_date_epoch
    tasks = _plan(loaded, chosen, only, options)
    report = BuildReport(formats=chosen, documents=len({t.document.id for t in tasks}))
    manifest_path = output / MANIFEST
    manifest: dict[str, str] = {}
    if manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8")).get("outputs", {})
        except (ValueError, AttributeError):
            manifest = {}
    todo = []
    for task in tasks:
        if not force and manifest.get(task.target) == task.key and (output / task.target).is_file():
            report.skipped.append(output / task.target)
            if progress:
                progress(task.target, "skipped")
        else:
            todo.append(task)
    new_manifest = {t.target: t.key for t in tasks if (output / t.target) in report.skipped}
    keys = {t.target: t.key for t in todo}

    def record(result: tuple[str, Any, Any]) -> None:
        target, data, extra = result
        if data is None:
            task = next(t for t in todo if t.target == target)
            report.failed.append(BuildFailure(task.document.id, task.format, extra))
            if progress:
                progress(target, "failed")
            return
        folder = (output / target).parent
        for relative, blob in sorted(extra.items()):
            write_atomic(folder / relative, blob)
        write_atomic(output / target, data)
        report.written.append(output / target)
        new_manifest[target] = keys[target]
        if progress:
            progress(target, "written")

    try:
        if executor is not None:
            futures: list[Future[Any]] = [executor.submit(_run, task) for task in todo]
            for future in futures:
                record(future.result())
        elif (jobs or os.cpu_count() or 1) > 1 and len(todo) > 1:
            with ProcessPoolExecutor(max_workers=jobs or os.cpu_count()) as pool:
                for result in pool.map(_run, todo, chunksize=max(1, len(todo) // ((jobs or 2) * 4))):
                    record(result)
        else:
            for task in todo:
                record(_run(task))
    finally:
        # The manifest lists only outputs that are complete on disk, so an
        # interrupted build resumes where it stopped.
        kept = {k: v for k, v in manifest.items() if k not in keys and k not in new_manifest and (output / k).is_file()}
        write_atomic(
            manifest_path,
            json.dumps({"healthinfo": __version__, "outputs": {**kept, **new_manifest}}, indent=1, sort_keys=True).encode(),
        )
    return report
