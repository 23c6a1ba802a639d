"""Measure the site's search index: its size per 1,000 articles and the bytes a query
loads in the browser.

    python benchmarks/search.py --articles 1000

Generates a synthetic corpus (benchmarks/generate.py) whose sentences draw their words
from the shipped article's text, weighted by how often each occurs there (a real
vocabulary of about 580 words, rather than the generator's 41, so that the index has
real words to hold), builds the site (``healthinfo build -f html``), and prints:

- the size of ``OUT/site/pagefind/`` (files and bytes, of which the fragments: each
  article's text for the result's snippet) and the time of the build's index step;
- for a few queries, what a reader's browser fetches from ``pagefind/`` (bytes, over
  HTTP from a local server, through the search page, as benchmarks/search-bytes.js
  counts it in headless Chromium), and the number of results.

Figures, not assertions. pandoc writes no search index; there is no ratio.
"""

from __future__ import annotations

import argparse
import collections
import functools
import http.server
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["chemotherapy", "pain relief", "side effects", "psycho-oncology", "xylophone"]


def seed_vocabulary() -> list[str]:
    """The shipped article's words, each as often as it occurs (lower case)."""
    text = (ROOT / "corpus" / "articles" / "metastatic-breast-cancer-treatment.md").read_text(encoding="utf-8")
    body = text.split("---", 2)[2]
    words = re.findall(r"[A-Za-z][a-z]+(?:-[a-z]+)?", body)
    return [word.lower() for word in words]


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    arguments = parser.parse_args()
    generate.WORDS = seed_vocabulary()
    print(f"vocabulary: {len(set(generate.WORDS))} distinct words from the shipped article")
    with tempfile.TemporaryDirectory(prefix="healthinfo-search-bench-") as folder:
        work = Path(folder)
        corpus = generate.generate(work / "input", arguments.articles)
        out = work / "out"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "healthinfo", "build", str(corpus), "-o", str(out), "-f", "html",
                        "-j", str(arguments.jobs), "-q"], check=True)
        built = time.perf_counter() - started
        site = out / "site"
        bundle = site / "pagefind"
        sizes: collections.Counter[str] = collections.Counter()
        counts: collections.Counter[str] = collections.Counter()
        for path in bundle.rglob("*"):
            if path.is_file():
                part = path.relative_to(bundle).parts[0] if len(path.relative_to(bundle).parts) > 1 else "other"
                sizes[part] += path.stat().st_size
                counts[part] += 1
        total = sum(sizes.values())
        pages = sum(1 for _ in (site / "articles").glob("*.html"))
        per_thousand = total * 1000 / arguments.articles
        print(f"site build (html + site + index), {arguments.articles} articles, {arguments.jobs} jobs: {built:.1f} s")
        print(f"index: {sum(counts.values())} files, {total / 1e6:.2f} MB ({per_thousand / 1e6:.2f} MB per 1,000 articles); "
              + ", ".join(f"{name} {counts[name]} files {sizes[name] / 1e6:.2f} MB" for name in sorted(sizes)))
        print(f"article pages: {pages}, {sum(p.stat().st_size for p in (site / 'articles').glob('*.html')) / 1e6:.1f} MB")
        started = time.perf_counter()
        from healthinfo.exporters.site.search import search_bundle

        search_bundle({f"articles/{p.name}": p.read_bytes() for p in (site / "articles").glob("*.html")})
        print(f"indexing alone (Pagefind over the article pages): {time.perf_counter() - started:.1f} s")
        server, base = serve(site)
        try:
            for query in QUERIES:
                done = subprocess.run(["node", str(ROOT / "benchmarks" / "search-bytes.js"), f"{base}search.html", query],
                                      capture_output=True, text=True, timeout=300, check=True)
                figures = json.loads(done.stdout)
                print(f"query {query!r}: {figures['results']} results, {figures['bytes'] / 1e3:.0f} kB from pagefind/ "
                      f"in {figures['requests']} requests (of which fragments {figures['fragmentBytes'] / 1e3:.0f} kB)")
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
