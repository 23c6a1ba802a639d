"""Building a whole corpus: every article and book to every chosen format.

    healthinfo.build("corpus/", "build/", formats=["jats"], jobs=2)

Layout of the output folder (docs/build.md):

    OUT/<format>/<article id><ext>          one file per article
    OUT/<format>/books/<book id><ext>       one file per book (formats that take books)
    OUT/<format>/images/…                   images the files point at (formats that link them)
    OUT/<target>/…                          a corpus-level target (the site: OUT/site/)
    OUT/.healthinfo-manifest.json           what was built from what (for incremental builds)

A build reads the corpus (:mod:`.sources`), plans what is due (:mod:`.plan`, a pure
step, with the fingerprints of :mod:`.fingerprint` and the manifest of
:mod:`.manifest`), runs a job per due document on any
:class:`concurrent.futures.Executor` (:mod:`.execute`), writes every file atomically
(:mod:`.write`), renders the corpus-level pages of the targets from the summaries the
manifest keeps, and writes the manifest last.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .._errors import Problem
from ..editions import is_country
from ..exporters import REGISTRY, TARGETS, CorpusTarget, Exporter, get, get_target
from ..exporters._cache import compiled_folder, keep_compiled_in
from ..schema import Corpus
from .execute import Job, Outcome, Result, forget_reader, make_jobs, outcomes
from .fingerprint import FingerprintCache, option_files
from .guard import OutputPathError, check_output_folder, claimed, inside
from .manifest import (
    CACHE,
    MANIFEST,
    clear_pending,
    entry_files,
    merge,
    read_manifest,
    take_pending,
    write_manifest,
    write_pending,
)
from .options import OptionError, resolve_options
from .plan import Plan, Producer, make_plan
from .sources import DocumentRef, Sources, known_files, read_sources
from .write import Writer, existing_files, remove_stale_temporaries, write_atomic

__all__ = ["MANIFEST", "BuildFailure", "BuildReport", "BuildWarning", "OptionError", "build", "write_atomic"]

Progress = Callable[[str, str], None]

#: The file of the build's cache folder that records the status and digest of each
#: corpus file (see :class:`~.sources.FileHashes`).
FILES = "files.json"


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

    @property
    def problems(self) -> list[Problem]:
        """The content problems that kept documents from being built, once each
        (several outputs of several documents may share one), by file and line."""
        found = {problem for failure in self.failed for problem in failure.problems}
        return sorted(found, key=lambda p: (p.path, p.line or 0, p.message))


def _module(path: str) -> str:
    """The module of a registry value ``"package.module:ATTRIBUTE"``."""
    return path.partition(":")[0]


def _chosen_targets(formats: Sequence[str], site: bool | None) -> list[CorpusTarget[Any]]:
    """The corpus-level targets of the build: those whose ``default_with`` format is
    built (``site`` None), all (True) or none (False)."""
    if site is False:
        return []
    targets = [get_target(name) for name in TARGETS]
    return targets if site else [target for target in targets if target.default_with in formats]


def _options_json(options: BaseModel) -> str:
    """The options as the workers get them and the manifest's key holds them: the
    values that differ from the defaults, as JSON."""
    return json.dumps(options.model_dump(mode="json", exclude_defaults=True), sort_keys=True)


def _producer(thing: Exporter[Any] | CorpusTarget[Any], module: str, options: BaseModel, code: FingerprintCache,
              edition: str = "") -> Producer:
    """The plan's view of a format or a target: its key covers its code (and that of
    everything it imports), the files its options name, the options and the edition."""
    made_by = [thing.name, code.fingerprint(module), option_files(options), _options_json(options)]
    key = json.dumps(made_by + [edition] if edition else made_by)  # the complete text keeps its keys
    digest = hashlib.sha256(key.encode()).hexdigest()
    if isinstance(thing, Exporter):
        return Producer(thing.name, digest, thing.accepts_books, thing.extension)
    return Producer(thing.name, digest, books=False)


class _Recorder:
    """Turns the workers' outcomes into the report, the writes and the manifest's new
    entries (``done``), in the calling process."""

    def __init__(self, output: Path, sources: Sources, keys: Mapping[str, str], report: BuildReport,
                 progress: Progress | None, manifest: dict[str, Any] | None = None) -> None:
        self.output, self.sources, self.keys, self.report, self.progress = output, sources, keys, report, progress
        #: The last build's manifest: the entry of an output whose document is not in
        #: this regional edition goes, with its files.
        self.manifest = manifest if manifest is not None else {}
        self.writer = Writer(output)
        self.done: dict[str, dict[str, Any]] = {}

    def tell(self, file: str, status: str) -> None:
        if self.progress:
            self.progress(file, status)

    def current(self, outcome: Outcome) -> bool:
        """Whether the outcome was made from the corpus files as they are now."""
        return all(self.sources.hashes(relative) == digest for relative, digest in outcome.inputs)

    def record(self, outcome: Outcome) -> None:
        job = outcome.job
        producers = dict((name, producer) for producer, name in job.targets)
        if outcome.problems:
            message = "\n".join(str(problem) for problem in outcome.problems)
            for producer, name in job.targets:
                self.report.failed.append(BuildFailure(job.id, producer, message, outcome.problems))
                self.tell(name, "failed")
            return
        for name, message in outcome.warnings:
            self.report.warnings.append(BuildWarning(job.id, producers[name], message))
        if self.sources.root is not None:
            inputs = dict(outcome.inputs)
        else:  # a loaded corpus's document stands for itself
            own = self.sources.name(DocumentRef(job.id, job.book))
            inputs = {own: self.sources.hashes(own)}
        for result in outcome.results:
            self._result(job.id, job.book, producers[result.name], result, inputs)

    def _result(self, document: str, book: bool, producer: str, result: Result, inputs: dict[str, str]) -> None:
        if result.error is not None:
            self.report.failed.append(BuildFailure(document, producer, result.error))
            self.tell(result.name, "failed")
            return
        if result.excluded:
            self._excluded(result.name)
            return
        entry: dict[str, Any] = {"producer": producer, "document": document, "book": book,
                                 "key": self.keys[producer], "inputs": inputs, "files": list(result.recorded)}
        if result.summary is not None:
            entry["summary"] = result.summary
        if result.written:
            self._written(result.name, entry)
        else:
            self.writer.write(result.files, lambda: self._written(result.name, entry))

    def _excluded(self, name: str) -> None:
        """An output whose document is not in the build's edition: what the last build
        wrote of it is removed (it must not stay published as part of this edition)."""
        entry = self.manifest.pop(name, None)
        if entry is not None:
            self.remove_files(entry_files(name, entry))

    def _written(self, name: str, entry: dict[str, Any]) -> None:
        self.done[name] = entry
        for file in entry["files"]:
            self.report.written.append(self.output / file)
            self.tell(file, "written")
        before = self.manifest.get(name)
        if before is not None:
            # files the last build wrote for this output that it has no more (the site's
            # social card of an article once the corpus names no base_url)
            self.remove_files([file for file in entry_files(name, before) if file not in entry["files"]])

    def remove_files(self, files: Sequence[str]) -> None:
        """Removes files of the output folder, with the folders they leave empty, so
        that the folder holds what a build from scratch writes."""
        for file in files:
            try:
                path = inside(self.output, file)
            except OutputPathError:
                continue  # a damaged manifest names nothing outside OUT
            if path.is_file():
                path.unlink()
                self.report.removed.append(path)
                self.tell(file, "removed")
                _remove_empty_folders(path.parent, self.output)


def _remove_empty_folders(folder: Path, output: Path) -> None:
    """Removes ``folder`` and its parents up to ``output`` while they are empty."""
    while folder != output and output in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty (or not ours to remove): the folders above stay too
            return
        folder = folder.parent


def _pending(jobs: Sequence[Job], setup: _Setup, manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The outputs the jobs will write, with the files each will have (a format's
    file; a target's files of the article; those the last build recorded), named
    before they are written."""
    targets = {target.name: target for target in setup.targets}
    pending: dict[str, Any] = {}
    for job in jobs:
        for producer, name in job.targets:
            target = targets.get(producer)
            files = [f"{producer}/{file}" for file in target.article_files(job.id)] if target else [name]
            files += [file for file in entry_files("", manifest.get(name)) if file not in files]
            pending[name] = {"producer": producer, "document": job.id, "book": job.book, "files": files}
    return pending


def _remove_withdrawn(plan: Plan, manifest: dict[str, Any], recorder: _Recorder) -> None:
    """Delete the outputs the manifest records for documents no longer in the corpus
    (images beside them stay: other documents may use them)."""
    for name in plan.removed:
        entry = manifest.pop(name)
        for file in entry_files(name, entry):
            try:
                path = inside(recorder.output, file)
            except OutputPathError as error:  # a damaged or forged manifest: nothing outside OUT goes
                recorder.report.warnings.append(BuildWarning(str(entry.get("document")), str(entry.get("producer")),
                                                             f"manifest:unsafe-name: {error}"))
                continue
            path.unlink(missing_ok=True)
            recorder.report.removed.append(path)
            recorder.tell(file, "removed")


def _pages_key(target: CorpusTarget[Any], summaries: Sequence[Any], recorder: _Recorder) -> str:
    """What a target's corpus-level pages are made from: its code and options, the
    summaries of every article, the corpus settings and the glossary."""
    sources = recorder.sources
    made_from = [
        recorder.keys[target.name],
        summaries,
        sources.settings.model_dump(mode="json"),
        {key: entry.model_dump(mode="json") for key, entry in sorted(sources.glossary.items())},
    ]
    return hashlib.sha256(json.dumps(made_from, sort_keys=True).encode()).hexdigest()


def _write_pages(target: CorpusTarget[Any], options: Any, entries: Mapping[str, Any], recorder: _Recorder,
                 force: bool = False) -> None:
    """A corpus-level target's pages (the site's index and glossary page), from the
    summaries the manifest keeps of every article (an article whose last build failed
    keeps its last summary, as its page stays). When what they are made from is what
    the last build made them from (a change to an article's text, not its title,
    topic, date or terms), they are not made again; otherwise each is written only
    when it changed. ``force``: made and written again, like every output."""
    mine = [(entry_files(name, entry), entry) for name, entry in entries.items()
            if isinstance(entry, dict) and entry.get("producer") == target.name and isinstance(entry.get("summary"), dict)]
    summaries = [entry["summary"] for _, entry in sorted(mine, key=lambda item: item[0])]
    for message in target.warnings(recorder.sources.settings, options, summaries):
        recorder.report.warnings.append(BuildWarning("corpus", target.name, message))
    key = _pages_key(target, summaries, recorder)
    pages = {name: entry for name, entry in entries.items() if _is_page(entry, target) and not entry.get("index")}
    if not force and pages and all(entry.get("key") == key and (recorder.output / name).is_file() for name, entry in pages.items()):
        _kept(recorder, pages)
        return
    sources = recorder.sources
    made = target.pages(sources.settings, sources.glossary, summaries, options)
    _write_made(recorder, target, made, pages, {"producer": target.name, "page": True, "key": key}, force)


def _kept(recorder: _Recorder, entries: Mapping[str, Any]) -> None:
    """Corpus-level files that stay as the last build wrote them."""
    for file, entry in sorted(entries.items()):
        recorder.done[file] = entry
        recorder.report.skipped.append(recorder.output / file)
        recorder.tell(file, "skipped")


def _write_made(recorder: _Recorder, target: CorpusTarget[Any], made: Mapping[str, bytes], before: Mapping[str, Any],
                entry: dict[str, Any], force: bool) -> None:
    """Writes a target's corpus-level files ``made`` (relative to its folder), each
    recorded as ``entry``; removes those of the last build (``before``) that it no
    longer makes. A file whose bytes are on disk already is not written again."""
    prefix = f"{target.name}/"
    recorder.remove_files(sorted(name for name in before if name.removeprefix(prefix) not in made))
    for relative, blob in sorted(made.items()):
        file = f"{prefix}{relative}"
        recorder.done[file] = dict(entry)
        path = recorder.output / file
        if not force and path.is_file() and path.read_bytes() == blob:
            recorder.report.skipped.append(path)
            recorder.tell(file, "skipped")
            continue
        write_atomic(path, blob)
        recorder.report.written.append(path)
        recorder.tell(file, "written")


def _is_page(entry: Any, target: CorpusTarget[Any]) -> bool:
    """Whether a manifest entry is a corpus-level file of ``target`` (a page, or a
    file of its index)."""
    return isinstance(entry, dict) and entry.get("producer") == target.name and bool(entry.get("page"))


def _write_index(target: CorpusTarget[Any], options: Any, entries: Mapping[str, Any], recorder: _Recorder,
                 force: bool = False) -> None:
    """A target's files made from its written files (the site's search index), once
    every page of it is on disk: made again only when one of those files changed;
    its files of the last build that it no longer makes are removed."""
    if target.index is None:
        return
    prefix = f"{target.name}/"
    names = sorted({file for name, entry in entries.items() if isinstance(entry, dict)
                    and entry.get("producer") == target.name and not entry.get("index")
                    for file in (entry_files(name, entry) if not entry.get("page") else [name])})
    made_from = {name.removeprefix(prefix): (recorder.output / name).read_bytes()
                 for name in names if name.startswith(prefix) and (recorder.output / name).is_file()}
    digest = hashlib.sha256(recorder.keys[target.name].encode())
    for name, data in sorted(made_from.items()):
        digest.update(f"{name}\0{hashlib.sha256(data).hexdigest()}\0".encode())
    key = digest.hexdigest()
    before = {name: entry for name, entry in entries.items() if _is_page(entry, target) and entry.get("index")}
    if not force and before and all(entry.get("key") == key and (recorder.output / name).is_file()
                                    for name, entry in before.items()):
        _kept(recorder, before)
        return
    made = target.index(made_from, options)
    _write_made(recorder, target, made, before, {"producer": target.name, "page": True, "index": True, "key": key}, force)


def _pages_known(manifest: Mapping[str, Any], targets: Sequence[CorpusTarget[Any]]) -> int:
    """How many corpus-level pages the last build wrote for ``targets``."""
    names = {target.name for target in targets}
    return sum(1 for entry in manifest.values() if isinstance(entry, dict) and entry.get("page") and entry.get("producer") in names)


@dataclass(frozen=True)
class _Setup:
    """The formats and targets of a build, their checked options, their plan view."""

    targets: list[CorpusTarget[Any]]
    models: dict[str, BaseModel]
    producers: list[Producer]
    #: The regional edition (ISO 3166-1 alpha-2), "" for the complete text.
    edition: str = ""


def _prepare(formats: Sequence[str], site: bool | None, options: Mapping[str, Mapping[str, Any]] | None,
             source_date_epoch: int | None, code: FingerprintCache, edition: str | None = None) -> _Setup:
    exporters = [get(name) for name in formats]  # unknown formats fail before anything is done
    targets = _chosen_targets(formats, site)
    models = resolve_options(exporters, targets, options, source_date_epoch)
    if edition is not None and not is_country(edition):
        raise OptionError(f"--edition {edition!r} is not a country code; use the two capital letters of "
                          "ISO 3166-1, e.g. AT")
    region = edition or ""
    producers = [_producer(e, _module(REGISTRY[e.name]), models[e.name], code, region) for e in exporters]
    producers += [_producer(t, _module(TARGETS[t.name]), models[t.name], code, region) for t in targets]
    return _Setup(targets, models, producers, region)


def _execute(jobs: list[Job], executor: Executor | None, workers: int, recorder: _Recorder, setup: _Setup,
             manifest: dict[str, Any], force: bool) -> None:
    """Run the jobs, write what they made, then the targets' corpus-level pages; the
    manifest last, whatever happened (it lists only outputs complete on disk)."""
    output = recorder.output
    try:
        for outcome in outcomes(jobs, executor=executor, workers=workers, output=output, sources=recorder.sources,
                                current=recorder.current):
            recorder.record(outcome)
        recorder.writer.finish()
        for target in setup.targets:
            _write_pages(target, setup.models[target.name], {**manifest, **recorder.done}, recorder, force)
            _write_index(target, setup.models[target.name], {**manifest, **recorder.done}, recorder, force)
    finally:
        forget_reader()
        recorder.writer.close()  # the writes under way complete; their outputs are recorded
        due = {name for job in jobs for _, name in job.targets}
        present = existing_files(output, skip=(CACHE,))
        write_manifest(output / MANIFEST, merge(manifest, due, recorder.done, present.__contains__))
        clear_pending(output / CACHE)  # the manifest knows every file now


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
    progress: Progress | None = None,
    on_start: Callable[[int], None] | None = None,
    site: bool | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    today: dt.date | None = None,
    edition: str | None = None,
) -> BuildReport:
    """Export every article and book of ``corpus`` to ``formats`` (default: all
    registered) into the folder ``out``.

    ``jobs``: worker processes of the built-in pool (default: the CPU count; 1 renders
    in this process). ``executor``: any ``concurrent.futures.Executor`` to use instead;
    from a corpus folder its workers read their documents from that folder, so they
    must see it at the same path (their outputs come back to this process, which
    writes them; the built-in pool's workers write their own). ``only``: article or
    book ids to build. ``force``: ignore the manifest and rebuild everything.
    ``progress(target, status)`` is called once per output file with status
    "written", "skipped", "removed" or "failed"; ``on_start(n)`` once, with the number
    of outputs about to be rendered and of the corpus-level pages the last build
    wrote. ``site``: also write the corpus-level targets (the HTML site: index by
    topic, one page per article, glossary, in ``OUT/site/``); default: each when its
    ``default_with`` format is built. Its article pages are built and skipped like any
    output; its index and glossary page are made from what the manifest keeps of
    every article (title, topic, date, terms), so they need no full load either.
    ``options``: format (or target) name -> exporter options, e.g.
    ``{"docx": {"page_size": "a5"}, "html": {"template_dir": "templates"}}``; a target
    takes those of its ``default_with`` format unless given its own. A changed option
    rebuilds the outputs it applies to. ``today``: the build date the loader checks
    the content's dates against (an ``updated`` after it is a warning of the document
    when it is rendered); default: today's date. It changes no output. ``edition``: a
    country (ISO 3166-1 alpha-2, e.g. ``"AT"``): build that regional edition, without
    the passages, notes and articles scoped to other countries (each left out is a
    warning of its document, ``edition:…``; see :mod:`healthinfo.editions`); the outputs
    say which edition they are. Default: the complete text, every passage marked.

    Raises :class:`OptionError` (a bad option) or :class:`~healthinfo.CorpusError`
    (problems in the files every document uses, or the file names) before anything is
    written. A document with problems of its own is not built: its outputs are listed
    in ``report.failed`` with the problems (file, line, what to fix), and the other
    documents are built.
    """
    chosen = list(formats) if formats else list(REGISTRY)
    output = Path(out)
    if not isinstance(corpus, Corpus):
        check_output_folder(output, Path(corpus))  # never into, inside or around the corpus
    code = FingerprintCache(output / CACHE / "code.json")
    setup = _prepare(chosen, site, options, source_date_epoch, code, edition)  # bad formats and options fail here
    stamps = output / CACHE / FILES
    known = None if isinstance(corpus, Corpus) else known_files(stamps, corpus)
    sources = read_sources(corpus, known, today)  # CorpusError here: nothing is written
    unknown = sorted(set(only or ()) - {document.id for document in sources.documents})
    if unknown:
        raise OptionError(f"no article or book {', '.join(map(repr, unknown))} in the corpus (--only)")
    with claimed(output, CACHE):
        return _build(output, sources, setup, code, set(only) if only else None, force, executor,
                      jobs or os.cpu_count() or 1, progress, on_start)


def _build(output: Path, sources: Sources, setup: _Setup, code: FingerprintCache, only: set[str] | None,
           force: bool, executor: Executor | None, workers: int, progress: Progress | None,
           on_start: Callable[[int], None] | None) -> BuildReport:
    """The build once its corpus is read and its output folder held: plan, remove the
    withdrawn, run the jobs, write the pages and the manifest."""
    remove_stale_temporaries(output, [producer.name for producer in setup.producers] + [CACHE])
    damage: list[str] = []
    manifest = read_manifest(output / MANIFEST, damage)
    take_pending(output / CACHE, manifest)  # what a killed build was writing
    present = existing_files(output, skip=(CACHE,))
    plan = make_plan(sources.documents, setup.producers, manifest, sources.hashes, present.__contains__,
                     only=only, force=force)
    report = BuildReport(documents=plan.documents, formats=[p.name for p in setup.producers if p.extension])
    report.warnings += [BuildWarning(MANIFEST, "build", f"manifest:damaged: {why}") for why in damage]
    recorder = _Recorder(output, sources, {producer.name: producer.key for producer in setup.producers}, report, progress,
                         manifest)
    _remove_withdrawn(plan, manifest, recorder)
    for file in plan.skipped:
        report.skipped.append(output / file)
        recorder.tell(file, "skipped")
    values = {name: _options_json(model) for name, model in setup.models.items()}
    jobs_to_run = make_jobs(plan.due, sources, recorder.keys, values, manifest, setup.edition)
    if on_start:
        on_start(sum(len(job.targets) for job in jobs_to_run) + _pages_known(manifest, setup.targets))
    if jobs_to_run:
        write_pending(output / CACHE, _pending(jobs_to_run, setup, manifest))
    previous = compiled_folder()
    keep_compiled_in(output / CACHE / "templates")  # compiled templates kept for the next build
    try:
        _execute(jobs_to_run, executor, workers, recorder, setup, manifest, force)
    finally:
        keep_compiled_in(previous)
    code.save()
    sources.hashes.save(output / CACHE / FILES)
    return report
