"""A build on a distributed executor gives the same bytes as the built-in process
pool, also when the executor caches results by the arguments of a task (Dask's
``pure=True``, the default of ``Client.get_executor()``) and still holds the results
of an earlier build."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

import pytest

from healthinfo._build import MANIFEST, build
from healthinfo._build.manifest import CACHE

from .conftest import CORPUS

ARTICLE = "metastatic-breast-cancer-treatment"
EPOCH = 1700000000


def files(folder: Path) -> dict[str, bytes]:
    """The outputs: not the manifest, nor the build's cache (compiled templates)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MANIFEST and CACHE not in p.relative_to(folder).parts
    }


def fresh(corpus: Path, folder: Path) -> dict[str, bytes]:
    """What the built-in process pool builds from ``corpus`` into an empty folder."""
    report = build(corpus, folder, jobs=2, source_date_epoch=EPOCH)
    assert report.ok and report.written
    return files(folder)


def edit(corpus: Path) -> None:
    article = corpus / "articles" / f"{ARTICLE}.md"
    article.write_text(article.read_text(encoding="utf-8").replace("charlatans", "quacks"), encoding="utf-8")


def two_builds(executor: Executor, tmp_path: Path) -> None:
    """A build, an edit of the article, a rebuild: each equal to a fresh build. The
    rebuild's jobs differ from the first build's by the hash of their inputs; the
    forced build into an empty folder has no manifest to tell it a book's articles,
    so its book jobs equal the first build's: the cached answers, made from the
    article before the edit, are recognised by the file hashes they carry and run
    again."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    out = tmp_path / "out"
    assert build(corpus, out, executor=executor, source_date_epoch=EPOCH).ok
    assert files(out) == fresh(corpus, tmp_path / "fresh-1")
    edit(corpus)
    again = build(corpus, out, executor=executor, source_date_epoch=EPOCH)
    assert again.ok and again.written
    assert files(out) == fresh(corpus, tmp_path / "fresh-2")
    assert build(corpus, tmp_path / "forced", executor=executor, source_date_epoch=EPOCH, force=True).ok
    assert files(tmp_path / "forced") == files(tmp_path / "fresh-2")


def test_dask_local_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")

    class Holding(Executor):
        """``client.get_executor()`` that keeps every task's future, as a client whose
        user still holds earlier results does: Dask then answers a task with equal
        arguments from memory instead of running it."""

        def __init__(self, client: Any) -> None:
            self.inner = client.get_executor()
            self.held: list[Any] = []

        def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
            future = self.inner.submit(fn, *args, **kwargs)
            self.held.extend(self.inner._futures)
            return future

    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        executor = Holding(client)
        two_builds(executor, tmp_path)
        assert executor.held


class RayExecutor(Executor):
    """The adapter of docs/build.md: Ray tasks behind concurrent.futures."""

    def __init__(self, **options: Any) -> None:
        import ray

        self.ray = ray
        self.options = options
        self.remote: dict[Callable[..., Any], Any] = {}

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if fn not in self.remote:
            self.remote[fn] = self.ray.remote(fn).options(**self.options)
        future: Future[Any] = self.remote[fn].remote(*args, **kwargs).future()
        return future


def test_ray_local(tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        two_builds(RayExecutor(), tmp_path)
    finally:
        ray.shutdown()
