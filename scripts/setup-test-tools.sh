#!/usr/bin/env bash
# Installs everything the test suite needs, on a fresh machine or again on a used one:
# a virtual environment in .venv with healthinfo and its test extras. Exporters add
# their validators here (pip extras, npm with the committed lock file, apt packages),
# so that a missing validator is installed, never silently skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
.venv/bin/python -c "import healthinfo, lxml, hypothesis, pytest; print('test tools ready: healthinfo', healthinfo.__version__)"
