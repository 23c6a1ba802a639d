"""How the loader's time grows with the size of one article: figures, not assertions.

    python benchmarks/scale_loader.py

For each shape of article body (a paragraph of glossary terms, a paragraph of many
short lines, many sections of the same heading), loads a copy of the shipped corpus
with that article at 1x, 10x and 100x its base size (100x is just under the loader's
2,000,000-byte limit for the first two) and prints the load time and the ratio to the
previous size. Linear time shows ratios near 10 (less at small sizes, where the fixed
cost of the rest of the corpus counts); quadratic steps show ratios near 100.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import healthinfo  # noqa: E402

FRONT = "---\ntitle: Scale\nupdated: 2024-01-23\n---\n\n"

#: Shape name, the piece repeated, how often at 1x.
SHAPES = (
    ("glossary terms in one paragraph", "{term}`fatigue` ", 1_100),
    ("short lines in one paragraph", "word\n", 3_600),
    ("sections with the same heading", "## Same\n\nText.\n\n", 200),
)


def load_time(corpus: Path, body: str) -> float:
    """Seconds to load ``corpus`` with an article of ``body`` (best of three)."""
    (corpus / "articles" / "scale.md").write_text(FRONT + body, encoding="utf-8")
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        healthinfo.load_corpus(corpus)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus"
        shutil.copytree(ROOT / "corpus", corpus)
        for name, piece, count in SHAPES:
            print(name)
            previous = None
            for factor in (1, 10, 100):
                body = piece * (count * factor) + "\n"
                seconds = load_time(corpus, body)
                ratio = f"  x{seconds / previous:5.1f}" if previous else ""
                print(f"  {factor:>3}x {len(body):>9,} bytes {seconds:8.3f} s{ratio}")
                previous = seconds


if __name__ == "__main__":
    main()
