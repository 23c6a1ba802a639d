#!/usr/bin/env bash
# Sets up the test tools, runs the gates (mypy --strict, ruff) and the whole test suite. This is the README's test
# command and what CI runs (.ci/run). Under CI=true the hypothesis "ci" profile runs
# a fixed, larger example budget.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-test-tools.sh
if [ "${CI:-}" = "true" ]; then
    export HYPOTHESIS_PROFILE=${HYPOTHESIS_PROFILE:-ci}
fi
# The gates: type checking (mypy --strict, configured in pyproject.toml) and the
# linter, both at zero findings. They run before the tests and fail the run too.
gates=0
echo "gate: mypy --strict"
.venv/bin/mypy || gates=1
echo "gate: ruff check"
.venv/bin/ruff check . || gates=1
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure" >&2
    exit 1
fi
# The cross-format consistency check over a build of the shipped corpus, as a user
# runs it: every format read back and compared with the model (docs/consistency.md).
check=0
built=$(mktemp -d)
echo "check: healthinfo check-outputs over the corpus build"
{ .venv/bin/healthinfo build corpus -o "$built" -q && .venv/bin/healthinfo check-outputs "$built" --corpus corpus; } || check=1
rm -rf "$built"
if [ "$check" -ne 0 ]; then
    echo "the consistency check of the corpus build failed (above)" >&2
    [ "$status" -eq 0 ] && status=1
fi
if [ "$gates" -ne 0 ]; then
    echo "a gate failed (mypy or ruff, above)" >&2
    [ "$status" -eq 0 ] && status=1
fi
exit "$status"
