"""The ``healthinfo`` command: a thin layer over the library.

Every command is one call of the public API; bad content is reported as
``file:line: message`` lines on standard error with exit status 2, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._errors import CorpusError, CorpusWarning, HealthinfoError
from ._version import __version__
from .exporters import formats as registered_formats
from .exporters import get as get_exporter
from .exporters import render
from .loader import load_corpus
from .schema import MODELS, Article, Book, Corpus, Figure, Section, json_schema, walk

if TYPE_CHECKING:
    from rich.console import Console

    from ._build import BuildReport
    from .checks.audit import AuditReport
    from .exporters import Rendered

app = typer.Typer(
    name="healthinfo",
    help="Check and publish a corpus of patient health information.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

#: Environment variables with which rich treats a stream that is not a terminal as one.
_FORCE_TERMINAL = ("FORCE_COLOR", "FORCE_TERMINAL", "TTY_COMPATIBLE", "JUPYTER_COLUMNS")


class _Console:
    """Standard output or error for the commands: plain lines are written straight to
    the stream when it is not a terminal (logs, CI, pipes); rich's Console (the
    progress bar, the summary table) is made on first use, on a terminal. Importing and
    setting up rich costs about a tenth of a second, a seventh of a one-change
    rebuild. The stream is looked up at each call, so a test that swaps sys.stdout sees
    the output."""

    def __init__(self, stderr: bool = False) -> None:
        self._stderr = stderr
        self._rich: Console | None = None

    def _stream(self) -> Any:
        return sys.stderr if self._stderr else sys.stdout

    @property
    def rich(self) -> Console:
        if self._rich is None:
            from rich.console import Console

            self._rich = Console(stderr=self._stderr, highlight=False, soft_wrap=True, emoji=False)
        return self._rich

    @property
    def is_terminal(self) -> bool:
        if any(os.environ.get(name) for name in _FORCE_TERMINAL):
            return self.rich.is_terminal
        isatty = getattr(self._stream(), "isatty", None)
        return bool(isatty and isatty())

    def print(self, value: object, *, markup: bool = False) -> None:
        if isinstance(value, str) and not self.is_terminal:
            stream = self._stream()
            stream.write(value + "\n")
            stream.flush()
            return
        self.rich.print(value, markup=markup)


out = _Console()
err = _Console(stderr=True)

CorpusArg = Annotated[
    Path, typer.Argument(help="The corpus folder (with healthinfo.yaml).", show_default=True)
]
TodayOption = Annotated[
    str | None,
    typer.Option("--today", metavar="DATE",
                 help="The build date (YYYY-MM-DD) the content's dates are checked against; default: today."),
]


EditionOption = Annotated[
    str | None,
    typer.Option("--edition", metavar="COUNTRY",
                 help="Make the regional edition for this country (ISO 3166-1, e.g. AT): passages for other "
                 "countries are left out (each named in a warning); default: the complete text."),
]


def _edition(value: str | None) -> str | None:
    """The --edition country, or None; exit 2 when it is not an ISO 3166-1 code."""
    from .editions import is_country

    if value is None or is_country(value):
        return value
    err.print(f"error: --edition {value!r} is not a country code; use the two capital letters of ISO 3166-1, "
              "e.g. AT", markup=False)
    raise typer.Exit(2)


def _build_date(value: str | None) -> dt.date | None:
    """The --today date, or None; exit 2 when it is not a YYYY-MM-DD date."""
    if value is None:
        return None
    try:
        if len(value) != 10 or value[4] != "-":  # fromisoformat takes 20240123 and 2024-W04 too
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        err.print(f"error: --today {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-01-23", markup=False)
        raise typer.Exit(2) from None


def _print_corpus_warnings(caught: list[warnings.WarningMessage]) -> None:
    """The loader's warnings as ``warning: <file:line>: <code>: <message>`` lines on
    standard error; other warnings are issued again, as if not caught."""
    for warning in caught:
        if issubclass(warning.category, CorpusWarning):
            err.print(f"warning: {warning.message}", markup=False)
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)


def _version(value: bool) -> None:
    if value:
        out.print(f"healthinfo {__version__}", markup=False)
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Check and publish a corpus of patient health information."""


def _report(error: HealthinfoError) -> None:
    if isinstance(error, CorpusError):
        for problem in error.problems:
            err.print(str(problem), markup=False)
        count = len(error.problems)
        err.print(f"{count} problem{'s' if count != 1 else ''}; nothing was written.", markup=False)
    else:
        err.print(f"error: {error}", markup=False)


def _source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH (reproducible builds), or None; exit 2 when it is not a
    number of seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch and not epoch.isdigit():
        err.print(f"error: SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds", markup=False)
        raise typer.Exit(2)
    return int(epoch) if epoch else None


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _article_line(article: Article) -> str:
    sections = sum(1 for node in walk(article.sections) if isinstance(node, Section))
    figures = sum(1 for node in walk([article.blocks, article.sections]) if isinstance(node, Figure))
    return (
        f"{article.id}: {article.title} ({article.lang}; {_plural(sections, 'section')}, "
        f"{_plural(len(article.references), 'source')}, {_plural(len(article.glossary), 'glossary term')}, "
        f"{_plural(figures, 'figure')}; updated {article.updated.isoformat()})"
    )


def summary(corpus: Corpus) -> str:
    """The one-line count of what a corpus holds."""
    return ", ".join(
        [
            _plural(len(corpus.articles), "article"),
            _plural(len(corpus.blocks), "block"),
            _plural(len(corpus.books), "book"),
            _plural(len(corpus.references), "source"),
            _plural(len(corpus.glossary), "glossary term"),
            "0 problems",
        ]
    )


@app.command()
def validate(corpus: CorpusArg = Path("corpus"), today: TodayOption = None) -> None:
    """Check a corpus: every file, field and reference. Prints one line per article
    and book, or every problem found (exit status 2); warnings (what only looks
    wrong) on standard error."""
    build_date = _build_date(today)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CorpusWarning)
        try:
            loaded = load_corpus(corpus, today=build_date)
        except HealthinfoError as error:
            _print_corpus_warnings(caught)
            _report(error)
            raise typer.Exit(2) from None
    _print_corpus_warnings(caught)
    for article in loaded.articles.values():
        out.print(_article_line(article), markup=False)
    for book in loaded.books.values():
        out.print(
            f"{book.id}: {book.title} ({book.profile.value}; {_plural(len(book.articles), 'article')})",
            markup=False,
        )
    out.print(summary(loaded), markup=False)


@app.command()
def schema(
    model: Annotated[
        str, typer.Argument(help=f"The model: {', '.join(MODELS)}.")
    ] = "article",
) -> None:
    """Print the JSON Schema of the JSON form of a model (article, book or corpus)."""
    if model not in MODELS:
        err.print(f"error: unknown model {model!r}; choose one of {', '.join(MODELS)}", markup=False)
        raise typer.Exit(2)
    sys.stdout.write(json.dumps(json_schema(model), indent=2, ensure_ascii=False) + "\n")  # type: ignore[arg-type]


@app.command()
def formats() -> None:
    """List the registered output formats."""
    for name in registered_formats():
        out.print(name, markup=False)


def _render_printing_warnings(jobs: list[tuple[Article | Book, Path]], format: str, options: dict[str, Any]) -> list[tuple[Rendered, Path]]:
    """Render each document; its ExportWarnings (lossy mappings) are printed plainly,
    as ``warning: <code>: <message>``, not as Python warnings."""

    from .exporters import ExportWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ExportWarning)
        results = [(render(doc, format, **options), file) for doc, file in jobs]
    for warning in caught:
        if issubclass(warning.category, ExportWarning):
            err.print(f"warning: {warning.message}", markup=False)
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return results


@app.command()
def export(
    target: Annotated[str, typer.Argument(help="An article or book id, or the path of an article file.")],
    format: Annotated[str, typer.Option("--format", "-f", help="The output format (see `healthinfo formats`).")],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The file to write; a folder when a book goes to a one-article-per-file format (JATS).",
        ),
    ],
    corpus: Annotated[Path, typer.Option("--corpus", "-c", help="The corpus folder.")] = Path("corpus"),
    edition: EditionOption = None,
) -> None:
    """Export one article or book to one format. Images go beside the output file."""
    if format not in registered_formats():
        known = ", ".join(registered_formats()) or "none yet"
        err.print(f"error: unknown format {format!r}; registered formats: {known}", markup=False)
        raise typer.Exit(2)
    path = Path(target)
    if path.suffix == ".md":
        if not path.is_file():
            err.print(f"error: {path} does not exist", markup=False)
            raise typer.Exit(2)
        corpus, target = path.resolve().parent.parent, path.stem
    region = _edition(edition)
    epoch = _source_date_epoch()
    options = {"source_date_epoch": epoch} if epoch is not None else {}
    module = get_exporter(format)
    try:
        loaded = load_corpus(corpus)
        document: Article | Book | None = loaded.articles.get(target) or loaded.books.get(target)
        if document is None:
            err.print(f"error: no article or book {target!r} in {corpus}", markup=False)
            raise typer.Exit(2)
        if region is not None:
            document = _edition_printing_warnings(document, region)
        jobs: list[tuple[Article | Book, Path]] = [(document, output)]
        if isinstance(document, Book) and not module.accepts_books:
            # One file per article of the book, in the output folder.
            jobs = [(a, output / f"{a.id}{module.extension}") for a in document.articles]
        results = _render_printing_warnings(jobs, format, options)
    except HealthinfoError as error:
        _report(error)
        raise typer.Exit(2) from None
    _write_exported(results, corpus)


def _edition_printing_warnings(document: Article | Book, region: str) -> Article | Book:
    """The ``region`` edition of ``document``, what it left out printed as
    ``warning: edition:…: …``; exit 2 when the document is not in that edition."""
    from .editions import edition_of

    cut, notices = edition_of(document, region)
    for notice in notices:
        err.print(f"warning: {notice}", markup=False)
    if cut is None:
        err.print(f"error: {document.id} is not in the {region} edition", markup=False)
        raise typer.Exit(2)
    return cut


def _write_exported(results: list[tuple[Rendered, Path]], corpus: Path) -> None:
    """Write what ``export`` rendered: never into the corpus; the resources beside the
    file, each inside its folder; the file named (or the file a link names) replaced
    atomically, or written into when it is a device such as /dev/stdout."""
    from ._build import write_atomic
    from ._build.guard import OutputPathError, check_output_folder, inside

    try:
        for _, file in results:
            check_output_folder(file.parent, corpus, around=False)
        writes = [(inside(file.parent, relative), data, False) for rendered, file in results
                  for relative, data in sorted(rendered.resources.items())]
    except OutputPathError as error:
        err.print(f"error: {error}", markup=False)
        raise typer.Exit(2) from None
    writes += [(file, rendered.data, True) for rendered, file in results]
    for path, data, named in writes:
        write_atomic(path, data, through_links=named)
        if named:
            out.print(f"wrote {path}", markup=False)


def _parse_settings(settings: list[str]) -> dict[str, dict[str, str]]:
    """``--set FORMAT.FIELD=VALUE`` options -> {format: {field: value}}; exit 2 when
    one is not of that form. The values stay text: each exporter's options model
    reads them (a number, a path, 'a5')."""
    options: dict[str, dict[str, str]] = {}
    for setting in settings:
        name, equals, value = setting.partition("=")
        producer, _, option = name.strip().partition(".")
        if not equals or not producer or not option.strip():
            err.print(f"error: --set {setting!r}: expected FORMAT.OPTION=VALUE, e.g. docx.page_size=a5", markup=False)
            raise typer.Exit(2)
        options.setdefault(producer, {})[option.strip()] = value.strip()
    return options


def _chosen_formats(format: str) -> list[str]:
    chosen = registered_formats() if format == "all" else [f.strip() for f in format.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in registered_formats()]
    if unknown or not chosen:
        known = ", ".join(registered_formats()) or "none yet"
        err.print(f"error: unknown format {', '.join(unknown) or format!r}; registered formats: {known}", markup=False)
        raise typer.Exit(2)
    return chosen


class _BuildProgress:
    """A progress bar on a terminal; plain lines otherwise (logs, CI) and with -q/-v."""

    def __init__(self, output: Path, quiet: bool, verbose: bool) -> None:
        self.output, self.quiet, self.verbose = output, quiet, verbose
        self.bar: Any = None
        self.task: Any = None
        if out.is_terminal and not quiet and not verbose:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=out.rich)

    def start(self, total: int) -> None:
        if self.bar is not None:
            self.bar.start()
            self.task = self.bar.add_task("build", total=total)

    def __call__(self, target: str, status: str) -> None:
        if self.bar is not None and self.task is not None and status != "removed":
            task = self.bar.tasks[0]
            if task.total is not None and task.completed >= task.total:  # pages the last build did not write
                self.bar.update(self.task, total=task.completed + 1)
            self.bar.advance(self.task)
        if status == "failed":
            err.print(f"{status:8} {self.output / target}", markup=False)
        elif self.verbose or (self.bar is None and not self.quiet and status in ("written", "removed")):
            out.print(f"{status:8} {self.output / target}", markup=False)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _print_problems(report: BuildReport) -> bool:
    """Content problems (file:line: what to fix) once each, however many outputs of
    however many documents they kept from being built; then exporter failures and
    warnings. Whether there were content problems."""
    problems = report.problems
    for problem in problems:
        err.print(str(problem), markup=False)
    if problems:
        unbuilt = sorted({f.document for f in report.failed if f.problems})
        err.print(f"{_plural(len(problems), 'problem')}; not built: {', '.join(unbuilt)}", markup=False)
    for failure in report.failed:
        if not failure.problems:
            err.print(f"failed: {failure}", markup=False)
    for warning in report.warnings:
        err.print(f"warning: {warning}", markup=False)
    return bool(problems)


def _print_summary(report: BuildReport, elapsed: float, quiet: bool) -> None:
    if out.is_terminal and not quiet:
        from rich.table import Table

        table = Table(title="healthinfo build", show_header=False)
        for name, value in [
            ("documents", report.documents),
            ("formats", ", ".join(report.formats)),
            ("written", len(report.written)),
            ("unchanged", len(report.skipped)),
            ("removed", len(report.removed)),
            ("failed", len(report.failed)),
            ("warnings", len(report.warnings)),
            ("time", f"{elapsed:.1f} s"),
        ]:
            table.add_row(name, str(value))
        out.print(table)
        return
    out.print(
        f"{_plural(report.documents, 'document')} x {_plural(len(report.formats), 'format')}: "
        f"{len(report.written)} written, {len(report.skipped)} unchanged, {len(report.failed)} failed"
        + (f", {len(report.removed)} removed" if report.removed else "")
        + (f", {_plural(len(report.warnings), 'warning')}" if report.warnings else "")
        + f" in {elapsed:.1f} s",
        markup=False,
    )


@app.command()
def build(
    corpus: CorpusArg = Path("corpus"),
    output: Annotated[Path, typer.Option("--output", "-o", help="The output folder.")] = Path("build"),
    format: Annotated[
        str, typer.Option("--format", "-f", help="Formats, comma-separated, or 'all'.")
    ] = "all",
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: CPU count).")] = None,
    only: Annotated[list[str] | None, typer.Option("--only", help="Build only this article or book id (repeatable).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild everything, ignoring the manifest.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems and the summary line.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print every file, skipped ones too.")] = False,
    site: Annotated[
        bool | None,
        typer.Option("--site/--no-site", help="Also write the HTML site to OUT/site/ (default: when html is built)."),
    ] = None,
    settings: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="FORMAT.OPTION=VALUE",
            help="An exporter option (repeatable), e.g. docx.page_size=a5 or html.template_dir=DIR; "
            "the site takes html's unless site.OPTION is set.",
        ),
    ] = None,
    today: TodayOption = None,
    edition: EditionOption = None,
) -> None:
    """Export every article and book of a corpus to the chosen formats. Unchanged
    outputs are skipped. A document with content problems is reported (file:line) and
    not built; the others are. Exit status: 0 all built, 1 an exporter failed, 2 bad
    content or a bad option."""
    import time

    from ._build import build as run_build

    chosen = _chosen_formats(format)
    build_date = _build_date(today)
    region = _edition(edition)
    options = _parse_settings(settings or [])
    epoch = _source_date_epoch()
    started = time.monotonic()
    progress = _BuildProgress(output, quiet, verbose)
    try:
        report = run_build(
            corpus, output, chosen, jobs=jobs, only=only, force=force, source_date_epoch=epoch,
            progress=progress, on_start=progress.start, site=site, options=options, today=build_date,
            edition=region,
        )
    except HealthinfoError as error:
        _report(error)
        raise typer.Exit(2) from None
    finally:
        progress.stop()
    problems = _print_problems(report)
    _print_summary(report, time.monotonic() - started, quiet)
    if problems:
        raise typer.Exit(2)
    if report.failed:
        raise typer.Exit(1)


@app.command()
def site(
    corpus: CorpusArg = Path("corpus"),
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder for the site.")] = Path("site"),
    template_dir: Annotated[
        Path | None, typer.Option("--templates", help="A folder of templates that override the built-in ones.")
    ] = None,
) -> None:
    """Render the corpus as a small static web site: an index of the articles by
    topic, one page per article, the glossary, a 404 page, robots.txt, and with the
    corpus's base_url a sitemap, an Atom feed and social cards."""
    from jinja2 import TemplateError, TemplateSyntaxError

    from ._build import write_atomic
    from .exporters.html import Options as HtmlOptions
    from .exporters.html import render_site

    try:
        loaded = load_corpus(corpus)
        pages = render_site(loaded, HtmlOptions(template_dir=str(template_dir) if template_dir else None))
    except HealthinfoError as error:
        _report(error)
        raise typer.Exit(2) from None
    except TemplateSyntaxError as error:
        err.print(f"{error.filename or error.name}:{error.lineno}: template error: {error.message}", markup=False)
        raise typer.Exit(2) from None
    except TemplateError as error:
        err.print(f"error: in the templates: {error}", markup=False)
        raise typer.Exit(2) from None
    from ._build.guard import OutputPathError, check_output_folder, inside

    try:
        check_output_folder(output, corpus, around=False)
        paths = [(inside(output, relative), data) for relative, data in sorted(pages.items())]
    except OutputPathError as error:
        err.print(f"error: {error}", markup=False)
        raise typer.Exit(2) from None
    for path, data in paths:
        write_atomic(path, data)
    from .exporters.site import TARGET as SITE
    from .exporters.site import site_summary

    summaries = [site_summary(a) for a in loaded.articles.values()]
    for message in SITE.warnings(loaded.settings, SITE.make_options(), summaries):
        err.print(f"warning: {message}", markup=False)
    out.print(f"wrote {_plural(len(pages), 'file')} to {output}", markup=False)


@app.command()
def serve(
    corpus: CorpusArg = Path("corpus"),
    port: Annotated[int, typer.Option("--port", "-p", min=0, max=65535, help="The port (0: any free one).")] = 8000,
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
) -> None:
    """Preview the site while you write: build it into a temporary folder, serve it
    on this machine, rebuild what changed when a corpus file is saved and reload the
    open pages. Problems show in the browser (file:line); Ctrl-C stops."""
    from .preview import Preview, stop_on_sigterm

    if not (corpus / "healthinfo.yaml").is_file():
        err.print(f"error: {corpus} is not a corpus folder (it has no healthinfo.yaml)", markup=False)
        raise typer.Exit(2)
    def say(line: str) -> None:
        out.print(line, markup=False)
        sys.stdout.flush()  # the lines are the author's log: at once, also into a pipe

    try:
        preview = Preview(corpus, host=host, port=port, say=say)
    except OSError as error:
        err.print(f"error: cannot listen on {host}:{port}: {error.strerror or error}", markup=False)
        raise typer.Exit(2) from None
    def ready() -> None:
        say(f"serving {corpus} at {preview.address} (Ctrl-C stops)")
        for line in problems:
            say(f"  {line}")

    stop_on_sigterm()
    try:
        problems = preview.rebuild()
        preview.serve(ready)
    except KeyboardInterrupt:  # before the server ran: during the first build
        preview.close()
    say("stopped")


@app.command("check-outputs")
def check_outputs(
    folder: Annotated[Path, typer.Argument(help="A build folder (from `healthinfo build`).", metavar="OUT")],
    corpus: Annotated[
        Path | None, typer.Option("--corpus", "-c", help="Compare with this corpus's model too.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Processes reading the outputs (default: the CPU count).")
    ] = None,
    edition: EditionOption = None,
) -> None:
    """Check that every format of each article and book shows the same text, block by
    block, with the same sources, glossary and metadata (as the corpus's model, with
    --corpus; as its regional edition, with --edition). Exit status 1 when they differ."""
    from .checks.consistency import check_outputs as run_check
    from .checks.consistency import summary_lines

    if not folder.is_dir():
        err.print(f"error: {folder} is not a folder; give the output folder of `healthinfo build`", markup=False)
        raise typer.Exit(2)
    try:
        loaded = load_corpus(corpus) if corpus is not None else None
    except HealthinfoError as error:
        _report(error)
        raise typer.Exit(2) from None
    report = run_check(folder, loaded, jobs=jobs, edition=_edition(edition))
    if as_json:
        out.print(json.dumps(report.as_json(), ensure_ascii=False, indent=2), markup=False)
    else:
        for line in summary_lines(report):
            out.print(line, markup=False)
    if not report.ok:
        raise typer.Exit(1)


def _as_of(value: str | None) -> dt.date | None:
    """The --as-of day; exit 2 when it is not a date."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        err.print(f"error: --as-of {value!r} is not a date; write it as YYYY-MM-DD", markup=False)
        raise typer.Exit(2) from None


@app.command()
def audit(
    corpus: CorpusArg = Path("corpus"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON (docs/audit.schema.json).")] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge the review status on this day, YYYY-MM-DD (default: today).")
    ] = None,
) -> None:
    """Report review governance and plain language: overdue reviews, old sources,
    readability, long sentences and words, unmarked terms, missing alt text and
    sources, unused glossary entries and sources. Exit status 1 when a finding is
    an error (docs/governance.md)."""
    from .checks.audit import audit as run_audit
    from .checks.audit import summary_lines

    day = _as_of(as_of)
    try:
        report = run_audit(corpus, as_of=day)
    except HealthinfoError as error:
        _report(error)
        raise typer.Exit(2) from None
    if as_json:
        out.print(json.dumps(report.as_json(), ensure_ascii=False, indent=2), markup=False)
    else:
        _print_findings(report)
        for line in summary_lines(report):
            out.print(line, markup=False)
    if not report.ok:
        raise typer.Exit(1)


def _print_findings(report: AuditReport) -> None:
    """The findings as a rich table on a terminal, as plain ``file:line: severity:
    code: message`` lines otherwise."""
    if not out.is_terminal:
        for finding in report.findings:
            article = f" [{finding.article}]" if finding.article else ""
            out.print(f"{finding.where}: {finding.severity.value}: {finding.code}: {finding.message}{article}")
        return
    from rich.table import Table

    table = Table(title="healthinfo audit")
    for column in ("code", "severity", "article", "file:line", "message"):
        table.add_column(column, overflow="fold")
    for finding in report.findings:
        table.add_row(finding.code, finding.severity.value, finding.article or "—", finding.where, finding.message)
    out.print(table)


def main() -> None:
    """Entry point of the console script."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted; files already written are complete.", markup=False)
        sys.exit(130)
    except OSError as error:
        # The machine, not the content: a folder that cannot be written, a full disk.
        where = f": {error.filename}" if error.filename else ""
        err.print(f"error: {error.strerror or error}{where}", markup=False)
        sys.exit(1)



