#!/usr/bin/env bash
# Sets up the test tools and runs the whole test suite. This is the README's test
# command and what CI runs (.ci/run). Under CI=true the hypothesis "ci" profile runs
# a fixed, larger example budget.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-test-tools.sh
if [ "${CI:-}" = "true" ]; then
    export HYPOTHESIS_PROFILE=${HYPOTHESIS_PROFILE:-ci}
fi
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure" >&2
    exit 1
fi
exit "$status"
