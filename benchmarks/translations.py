"""Measure what translations cost: the loader's index of them and the rebuild when
a translation is added.

    python benchmarks/translations.py --articles 1000 --translated 200 --jobs 2

Generates a synthetic corpus (benchmarks/generate.py) and gives the first
``--translated`` articles a German translation (``translation_of``, dated before
its original, so that its page carries the outdated note). Then prints:

- the time to index the translations (the front matter of every article that names
  ``translation_of`` and of each original) and to open the corpus for a build (a
  DocumentReader: the shared files and the index), with and without translations;
- a site build (``build -f html``), a rebuild without a change, and the rebuild after
  one new translation of an article that had none: its time and the outputs it
  writes (the new pages, and the original's, which now link to it);
- pandoc's time to convert the two articles that rebuild remade (the least work a
  tool without translation links would have to do again), and the ratio; and the
  same rebuild without the site (``--no-site``), which leaves out the search index.

Figures, not assertions.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate
from run import pandoc_path

HEALTHINFO = [sys.executable, "-m", "healthinfo"]


def translate(corpus: Path, number: int) -> Path:
    """A German translation of article ``a-<number>``, dated before it."""
    original = corpus / "articles" / f"a-{number:04}.md"
    text = original.read_text(encoding="utf-8")
    text = text.replace("lang: en", f"lang: de\ntranslation_of: a-{number:04}", 1)
    text = text.replace(f"title: Synthetic article {number}", f"title: Synthetischer Artikel {number}", 1)
    text = text.replace("updated: 2024-01-23", "updated: 2023-11-02", 1).replace("next_update: 2027", "next_update: 2026", 1)
    path = corpus / "articles" / f"a-{number:04}-de.md"
    path.write_text(text, encoding="utf-8")
    return path


def opening(corpus: Path) -> tuple[float, float]:
    """Median seconds of read_index alone and of a DocumentReader (5 runs each)."""
    from healthinfo.loader import DocumentReader
    from healthinfo.loader._translations import read_index

    reader = DocumentReader(corpus)
    ids = reader._loader.article_ids()
    index, whole = [], []
    for _ in range(5):
        started = time.perf_counter()
        read_index(ids, reader.settings)
        index.append(time.perf_counter() - started)
        started = time.perf_counter()
        DocumentReader(corpus)
        whole.append(time.perf_counter() - started)
    return statistics.median(index), statistics.median(whole)


def build(corpus: Path, out: Path, jobs: int, site: bool = True) -> tuple[float, list[str]]:
    started = time.perf_counter()
    done = subprocess.run([*HEALTHINFO, "build", str(corpus), "-o", str(out), "-f", "html", "-j", str(jobs),
                           "--site" if site else "--no-site"], capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    written = [line.split(None, 1)[1] for line in done.stdout.splitlines() if line.startswith("written ")]
    return elapsed, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--translated", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="healthinfo-translations-bench-") as folder:
        work = Path(folder)
        corpus = generate.generate(work / "input", arguments.articles)
        plain_index, plain_open = opening(corpus)
        for number in range(1, arguments.translated + 1):
            translate(corpus, number)
        index, whole = opening(corpus)
        print(f"{arguments.articles} articles: index {plain_index * 1e3:.1f} ms, opening the corpus {plain_open * 1e3:.1f} ms")
        print(f"{arguments.articles} articles + {arguments.translated} translations: index {index * 1e3:.1f} ms, "
              f"opening the corpus {whole * 1e3:.1f} ms")
        out = work / "out"
        first, _ = build(corpus, out, arguments.jobs)
        print(f"site build, {arguments.jobs} jobs: {first:.1f} s")
        unchanged, written = build(corpus, out, arguments.jobs)
        print(f"rebuild without a change: {unchanged:.2f} s, {len(written)} files written")
        new = arguments.translated + 1
        translate(corpus, new)
        added, written = build(corpus, out, arguments.jobs)
        pages = sorted(name for name in written if name.endswith(".html") and ("/articles/" in name or "/html/" in name))
        print(f"rebuild after one new translation: {added:.2f} s, {len(written)} files written, of which the "
              f"article pages: {', '.join(Path(p).name for p in pages)}")
        pandoc = work / "input" / "pandoc"
        started = time.perf_counter()
        for name in (f"a-{new:04}", f"a-{new:04}"):  # the original and its translation (the same text)
            subprocess.run([pandoc_path(), str(pandoc / f"{name}.md"), "-s", "-t", "html5", "-o", str(work / f"{name}.html")],
                           cwd=pandoc, check=True, capture_output=True)
        theirs = time.perf_counter() - started
        print(f"pandoc converting those two articles to HTML: {theirs:.2f} s (healthinfo's rebuild: {added / theirs:.1f}x, "
              "with the site's index, glossary, sitemap and search index made again)")
        translate(corpus, new + 1)
        alone, written = build(corpus, out, arguments.jobs, site=False)
        print(f"the same for another translation without the site (html only): {alone:.2f} s, {len(written)} files "
              f"written ({alone / theirs:.1f}x pandoc's two conversions)")


if __name__ == "__main__":
    main()
