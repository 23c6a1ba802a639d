"""Benchmark healthinfo against pandoc on the same machine, in the same run.

    python benchmarks/run.py --articles 1000 --jobs 2

Generates a synthetic corpus (benchmarks/generate.py), then times:

1. ``healthinfo build`` of every article to every registered format with N jobs
   (without the HTML site, like for like, median of three runs; then once with it, as a
   build does by default);
2. pandoc (from pypandoc-binary) converting the same articles to the matching
   formats (html5, epub3, docx, jats_publishing), N processes at a time;
3. ``healthinfo validate`` against ``pandoc -t native`` reading every article;
4. a rebuild after changing one article (median of three);
5. ``healthinfo check-outputs`` over the build, with the corpus and without;
6. the whole-process time of ``healthinfo --version``;

and prints the figures, the ratios and the peak memory of the build (all its
processes together). Figures, not assertions: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import median
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

PANDOC_FORMATS = {"html": ("html5", ".html"), "epub": ("epub3", ".epub"), "docx": ("docx", ".docx"), "jats": ("jats_publishing", ".xml")}
HEALTHINFO = [sys.executable, "-m", "healthinfo"]
BUILD_RUNS = 3


def pandoc_path() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def tree_rss_kib(pid: int) -> int:
    """Memory of a process and all its descendants, from /proc (KiB): the proportional
    set size (PSS), so that libraries and pages the processes share are counted once,
    not once per process as a sum of RSS would."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup")
            status = rollup if rollup.exists() else Path(f"/proc/{current}/status")
            for line in status.read_text().splitlines():
                if line.startswith(("Pss:", "VmRSS:")):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def timed(command: list[str], **kwargs: object) -> tuple[float, int]:
    """Wall time of a command and the peak memory of its process tree (MiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)  # type: ignore[call-overload]
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_kib(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, error = process.communicate()
    stop.set()
    sampler.join()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {error.decode()[-2000:]}")
    return elapsed, peak // 1024


def run_parallel(commands: list[list[str]], jobs: int, cwd: Path) -> float:
    started = time.perf_counter()

    def one(command: list[str]) -> None:
        result = subprocess.run(command, cwd=cwd, capture_output=True)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {result.stderr.decode()[-2000:]}")

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, commands))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus and outputs")
    arguments = parser.parse_args()
    import compileall

    import healthinfo

    # As installed from a wheel (pip compiles the modules): healthinfo's bytecode is
    # compiled once before anything is timed. An editable install in an environment
    # with PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module again in
    # every process, a tenth of a second that no installed copy pays.
    compileall.compile_dir(Path(healthinfo.__file__).parent, quiet=1)

    formats = [f for f in healthinfo.formats() if f in PANDOC_FORMATS]
    work = Path(tempfile.mkdtemp(prefix="healthinfo-bench-"))
    pandoc = pandoc_path()
    version = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; {version}")
    print(f"corpus: {arguments.articles} synthetic articles (~2,500 words, 8 sections); formats: {', '.join(formats)}; "
          f"{arguments.jobs} jobs\n")
    try:
        corpus = generate(work / "input", arguments.articles)
        markdown = sorted((work / "input" / "pandoc").glob("*.md"))
        results: dict[str, Any] = {}

        # Like for like with pandoc: the four formats, no site. Three runs, the median
        # counts: a 20-second run on a shared machine varies by a tenth or more, while
        # pandoc's four minutes average out on their own.
        build = [*HEALTHINFO, "build", str(corpus), "-o", str(work / "out"), "-f", ",".join(formats), "-j", str(arguments.jobs), "-q"]
        runs = [timed([*build, "--force", "--no-site"]) for _ in range(BUILD_RUNS)]
        results["build_runs_s"] = [seconds for seconds, _ in runs]
        results["build_s"] = median(results["build_runs_s"])
        results["build_peak_mib"] = max(peak for _, peak in runs)
        # The default build: the same plus the HTML site (a page per article, the index, the glossary).
        results["build_site_s"], results["build_site_peak_mib"] = timed([*build, "--force"])

        (work / "pandoc-out").mkdir()
        commands = [
            [pandoc, str(md), "-f", "markdown", "-t", PANDOC_FORMATS[f][0], "-s", "--resource-path", str(md.parent),
             "-o", str(work / "pandoc-out" / (md.stem + PANDOC_FORMATS[f][1]))]
            for md in markdown for f in formats
        ]
        results["pandoc_build_s"] = run_parallel(commands, arguments.jobs, work)

        results["validate_s"], _ = timed([*HEALTHINFO, "validate", str(corpus)])
        results["pandoc_read_s"] = run_parallel([[pandoc, str(md), "-f", "markdown", "-t", "native", "-o", os.devnull]
                                                 for md in markdown], arguments.jobs, work)

        rebuilds = []
        for number in range(1, BUILD_RUNS + 1):  # a change to one article, then a rebuild (with the site)
            changed = corpus / "articles" / f"a-{number:04d}.md"
            changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
            rebuilds.append(timed(build)[0])
        results["rebuild_runs_s"] = rebuilds
        results["rebuild_one_s"] = median(rebuilds)

        # The consistency check over the build (every format read back), with the model
        # and without: a small multiple of the build time.
        check = [*HEALTHINFO, "check-outputs", str(work / "out"), "-j", str(arguments.jobs)]
        results["check_corpus_s"], _ = timed([*check, "--corpus", str(corpus)])
        results["check_s"], _ = timed(check)

        # The PDF column: every article as a tagged PDF (Typst), alone. pandoc writes PDF
        # through an engine program; with a typst binary on PATH it is timed the same way.
        results["pdf_s"], results["pdf_peak_mib"] = timed(
            [*HEALTHINFO, "build", str(corpus), "-o", str(work / "out-pdf"), "-f", "pdf", "-j", str(arguments.jobs),
             "-q", "--no-site"])
        # With no typst program on PATH, pandoc gets a `typst` command made of the PyPI
        # binding healthinfo uses (typst_shim.py): the same engine on both sides, plus
        # one Python start per article on pandoc's side (about 0.1 s).
        typst_binary = shutil.which("typst")
        if typst_binary is None:
            (work / "bin").mkdir()
            shim = work / "bin" / "typst"
            shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{Path(__file__).with_name("typst_shim.py")}" "$@"\n')
            shim.chmod(0o755)
            typst_binary = str(shim)
            results["pandoc_pdf_engine"] = "typst_shim.py (the PyPI typst binding)"
        else:
            results["pandoc_pdf_engine"] = typst_binary
        (work / "pandoc-pdf").mkdir()
        results["pandoc_pdf_s"] = run_parallel(
            [[pandoc, str(md), "-f", "markdown", "--pdf-engine", typst_binary, "--resource-path", str(md.parent),
              "-o", str(work / "pandoc-pdf" / (md.stem + ".pdf"))] for md in markdown], arguments.jobs, work)

        runs = [timed([*HEALTHINFO, "--version"])[0] for _ in range(10)]
        results["version_s"] = sorted(runs)[len(runs) // 2]
    finally:
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)

    n = arguments.articles
    rows = [
        ("build, all formats", results["build_s"], results["pandoc_build_s"]),
        ("validate / read", results["validate_s"], results["pandoc_read_s"]),
    ]
    print(f"{'task':24} {'healthinfo':>12} {'pandoc':>12} {'pandoc/healthinfo':>18}")
    for name, ours, theirs in rows:
        print(f"{name:24} {ours:10.2f} s {theirs:10.2f} s {theirs / ours:17.1f}x")
    print(f"{'articles per second':24} {n / results['build_s']:12.1f} {n / results['pandoc_build_s']:12.1f}")
    print(f"(healthinfo build: median of {BUILD_RUNS} runs: "
          f"{', '.join(f'{seconds:.2f}' for seconds in results['build_runs_s'])} s; the first writes into an "
          f"empty folder: {results['pandoc_build_s'] / results['build_runs_s'][0]:.1f}x; the others find the "
          "same bytes there and do not write them again)")
    print(f"\nbuild with the HTML site (the default): {results['build_site_s']:.2f} s, "
          f"{results['pandoc_build_s'] / results['build_site_s']:.1f}x pandoc's time for the four formats alone")
    print(f"\nrebuild after one change: {results['rebuild_one_s']:.2f} s (median of {BUILD_RUNS})")
    print(f"check-outputs:            {results['check_corpus_s']:.2f} s with the corpus "
          f"({results['check_corpus_s'] / results['build_site_s']:.1f}x the build with the site), "
          f"{results['check_s']:.2f} s without")
    pdf_line = f"pdf (every article):      {results['pdf_s']:.2f} s, {n / results['pdf_s']:.1f} articles per second, " \
               f"peak {results['pdf_peak_mib']} MiB"
    pdf_line += f"; pandoc --pdf-engine=typst {results['pandoc_pdf_s']:.2f} s " \
                f"({results['pandoc_pdf_s'] / results['pdf_s']:.1f}x; engine: {results['pandoc_pdf_engine']})"
    print(pdf_line)
    print(f"healthinfo --version:     {results['version_s']:.3f} s (median of 10, whole process)")
    print(f"build peak memory:        {results['build_peak_mib']} MiB (all processes, PSS); "
          f"with the site {results['build_site_peak_mib']} MiB")
    if arguments.json:
        arguments.json.write_text(json.dumps({"articles": n, "jobs": arguments.jobs, "formats": formats, **results}, indent=2))


if __name__ == "__main__":
    main()
