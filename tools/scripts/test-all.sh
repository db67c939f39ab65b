#!/usr/bin/env bash
# The whole test suite, as the README's test line and .ci/run run it: starts the real services it
# needs (Kafka, S3 server; installed and cached by tools/services), runs every Nx target that tests
# something, then the Python (lake) tests, prints one summary line, and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false FORCE_COLOR=0
rm -rf .test-results && mkdir -p .test-results

# Prerequisites first: a missing one fails here, named with its install line, not deep inside a test.
bash tools/scripts/prereqs.sh
bash tools/services/up.sh
trap 'bash tools/services/down.sh' EXIT
# shellcheck disable=SC1091
set -a && source "${REGISTRY_SERVICES_DIR:-.services}/env" && set +a

# In CI every test really runs: Nx's local cache (machine-wide) must not replay an earlier result.
nx_flags=(--outputStyle=stream)
if [[ -n "${CI:-}" ]]; then nx_flags+=(--skip-nx-cache); fi

status=0
npx nx run-many -t lint typecheck build test --parallel=2 "${nx_flags[@]}" || status=$?
npx nx run-many -t integration e2e --parallel=1 "${nx_flags[@]}" || status=$?
if [[ -x tools/scripts/test-python.sh ]]; then bash tools/scripts/test-python.sh || status=$?; fi
node tools/scripts/summarize-tests.mjs || status=$?
exit "$status"
