"""Shared test fixtures: where the shipped corpus and the shared reference files are, and
the golden-file check with its ``--update-goldens`` flag."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from healthinfo.schema import Article

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

# Hypothesis budgets: "ci" is what .ci/run uses (HYPOTHESIS_PROFILE=ci).
settings.register_profile(
    "ci", max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev"))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the shipped corpus, to change and build (a module may define its own)."""
    import shutil

    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> None:
    """The build tests' "fake" format (tests/fake_exporter.py) registered, its knobs reset."""
    from healthinfo.exporters import REGISTRY

    from . import fake_exporter

    monkeypatch.setitem(REGISTRY, "fake", "tests.fake_exporter:EXPORTER")
    for name, value in (("FAIL_ON", set()), ("WARN_ON", set()), ("RESOURCES", {}), ("SLEEP", 0.0)):
        monkeypatch.setattr(fake_exporter, name, value)


def shared_file(relative: str) -> Path:
    """A file of the shared reference folder (../shared beside the repo, or the folder
    named by HEALTHINFO_SHARED). Skips the test with the reason when it is absent,
    except under CI=true, where its absence fails the run."""
    base = Path(os.environ.get("HEALTHINFO_SHARED", ROOT.parent / "shared"))
    path = base / relative
    if not path.exists():
        message = f"{path} is not there; set HEALTHINFO_SHARED to the shared folder"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


# ---------------------------------------------------------------- golden files
# Whole-output golden files (tests/golden/, STYLE.md habit 9) are regenerated with
# `pytest --update-goldens` and reviewed in the diff, never edited by hand.

UPDATE_GOLDENS = "--update-goldens"
GOLDEN_REPORT = pytest.StashKey[list[tuple[str, str]]]()
DIFF_LINES = 80


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        UPDATE_GOLDENS,
        action="store_true",
        default=False,
        help="rewrite the golden files of tests/golden/ from the current output; review the diff before committing",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[GOLDEN_REPORT] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    report = config.stash.get(GOLDEN_REPORT, [])
    if not config.getoption(UPDATE_GOLDENS):
        return
    terminalreporter.section("golden files")
    changed = [(name, state) for name, state in report if state != "unchanged"]
    for name, state in changed:
        terminalreporter.write_line(f"{state}: {name}")
    terminalreporter.write_line(f"{len(changed)} rewritten, {len(report) - len(changed)} unchanged")


def check_golden(config: pytest.Config, path: Path, text: str) -> None:
    """Compare ``text`` with the golden file ``path``; with --update-goldens, rewrite the
    file instead (and note in the run's summary whether it changed)."""
    name = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if config.getoption(UPDATE_GOLDENS):
        if old != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        config.stash[GOLDEN_REPORT].append((name, "unchanged" if old == text else "new" if old is None else "changed"))
        return
    regenerate = f"if the change is intended, run `pytest {UPDATE_GOLDENS} tests/test_golden.py` and review the diff"
    if old is None:
        pytest.fail(f"{name} is missing; {regenerate}", pytrace=False)
    if old != text:
        diff = list(difflib.unified_diff(old.splitlines(), text.splitlines(), f"{name} (golden)", f"{name} (now)", lineterm=""))
        shown = "\n".join(diff[:DIFF_LINES]) + (f"\n… {len(diff) - DIFF_LINES} more diff lines" if len(diff) > DIFF_LINES else "")
        pytest.fail(f"{name} differs from the output:\n{shown}\n{regenerate}", pytrace=False)


def as_imported(article: Article) -> Article:
    """``article`` as the JATS importer gives it back: the citation style is a setting of
    the corpus (healthinfo.yaml), not part of the article, so an imported article has
    none; the corpus it joins formats its references (docs/exporters/jats.md)."""
    return article.model_copy(update={"citation_style": None})
