"""How export and import time grows with the size of one article.

    python benchmarks/scale.py [--sizes 1 10 100] [--runs 3]

Builds articles at 1x, 10x and 100x the size of the shipped article (its sections
repeated, each copy with ids of its own), and articles with one paragraph of 1,000 x N
inline nodes (text, emphasis, strong, glossary terms, links and line breaks in turn);
times each registered exporter's ``render`` and the JATS importer's ``read_jats`` of
the JATS export (the best of ``--runs``), and prints the times and the ratio of each
size to the first. Time linear in the size gives ratios close to the size factors.

Figures, not assertions: nothing here fails on a slow machine (docs/benchmarks.md,
"Scaling with the size of an article").
"""

from __future__ import annotations

import argparse
import functools
import gc
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import healthinfo  # noqa: E402
from healthinfo.exporters import formats  # noqa: E402
from healthinfo.exporters.html.pages import clear_last_view  # noqa: E402
from healthinfo.importers import read_jats  # noqa: E402
from healthinfo.schema import Article, Emphasis, LineBreak, Link, Paragraph, Section, Strong, Term, Text  # noqa: E402

ARTICLE_ID = "metastatic-breast-cancer-treatment"
#: Inline nodes of the one-paragraph article at 1x.
INLINE_NODES = 1000


def _renamed(section: Section, suffix: str) -> Section:
    """A copy of ``section`` (and its subsections) with ids that end in ``suffix``."""
    return section.model_copy(
        update={"id": section.id + suffix, "sections": [_renamed(s, suffix) for s in section.sections]}
    )


def sections_article(article: Article, factor: int) -> Article:
    """The article with its sections repeated ``factor`` times."""
    sections = [_renamed(s, f"-{n}" if n else "") for n in range(factor) for s in article.sections]
    return article.model_copy(update={"sections": sections})


def paragraph_article(article: Article, factor: int) -> Article:
    """The article with one more paragraph of ``INLINE_NODES * factor`` inline nodes."""
    term = next(iter(article.glossary))
    cycle: list[Callable[[int], Any]] = [
        lambda n: Text(text=f"word {n} "),
        lambda n: Emphasis(children=[Text(text="emphasis")]),
        lambda n: Text(text=" and "),
        lambda n: Strong(children=[Text(text="strong")]),
        lambda n: Text(text=", "),
        lambda n: Term(ref=term, children=[Text(text="term")]),
        lambda n: Text(text=" "),
        lambda n: Link(href="https://example.org/", children=[Text(text="link")]),
        lambda n: LineBreak(),
    ]
    children = [cycle[n % len(cycle)](n) for n in range(INLINE_NODES * factor)]
    return article.model_copy(update={"blocks": [*article.blocks, Paragraph(children=children)]})


#: Set by --no-gc: time with Python's cyclic garbage collector off.
GC_OFF = False


def best_of(runs: int, task: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        clear_last_view()  # the HTML exporter keeps the last article's view: render it again
        gc.collect()
        if GC_OFF:
            gc.disable()
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
        gc.enable()
    return min(times)


def time_article(article: Article, runs: int) -> dict[str, float]:
    """Seconds to render ``article`` in each format, and to read its JATS back."""
    figures = {name: best_of(runs, functools.partial(healthinfo.render, article, name)) for name in formats()}
    jats = healthinfo.render(article, "jats")
    figures["read_jats"] = best_of(runs, lambda: read_jats(jats.data, jats.resources))
    figures["jats bytes"] = float(len(jats.data))
    return figures


def report(title: str, sizes: list[int], rows: dict[int, dict[str, float]]) -> None:
    print(f"\n{title}")
    columns = [c for c in rows[sizes[0]] if c != "jats bytes"]
    print(f"{'size':>6} {'JATS bytes':>11} " + " ".join(f"{c:>16}" for c in columns))
    for size in sizes:
        cells = []
        for column in columns:
            seconds = rows[size][column]
            ratio = seconds / rows[sizes[0]][column] if rows[sizes[0]][column] else 0.0
            cells.append(f"{seconds * 1000:9.1f} ms {ratio:4.0f}x" if size != sizes[0] else f"{seconds * 1000:9.1f} ms      ")
        print(f"{size:>5}x {int(rows[size]['jats bytes']):>11,} " + " ".join(f"{c:>16}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the best is kept)")
    parser.add_argument(
        "--no-gc", action="store_true", help="time with the cyclic garbage collector off (what it costs at scale)"
    )
    args = parser.parse_args()
    global GC_OFF
    GC_OFF = args.no_gc
    article = healthinfo.load_corpus(ROOT / "corpus").articles[ARTICLE_ID]
    time_article(article, 1)  # imports, templates and caches, before any figure
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}; best of {args.runs} runs"
          + (", garbage collector off" if GC_OFF else ""))
    for title, make in (
        ("Sections repeated (the shipped article is 1x)", sections_article),
        (f"One paragraph of {INLINE_NODES:,} x size inline nodes", paragraph_article),
    ):
        rows = {size: time_article(make(article, size), args.runs) for size in args.sizes}
        report(title, args.sizes, rows)


if __name__ == "__main__":
    main()
