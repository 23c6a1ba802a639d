"""Shared test fixtures: where the shipped corpus and the shared reference files are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

# Hypothesis budgets: "ci" is what .ci/run uses (HYPOTHESIS_PROFILE=ci).
settings.register_profile(
    "ci", max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev"))


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
