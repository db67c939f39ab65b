#!/usr/bin/env bash
# Every Python test suite of the repo (today: the audit lake, infra/lake/job), as tools/scripts/test-all.sh
# runs it: sets up its own venv (tools/lake/install.sh, cached), lints with ruff, runs pytest, and writes
# junit XML to .test-results/<name>.xml for tools/scripts/summarize-tests.mjs. A suite is a directory with
# a pyproject.toml that configures pytest. The end-to-end tests need the real services (.services/env).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$(pwd)"
mkdir -p .test-results
# shellcheck source=tools/lake/env.sh
source tools/lake/env.sh
# The lake's report page is rendered in headless Chromium by its tests.
LAKE_CHROMIUM="$(bash tools/lake/install-chromium.sh)"
export LAKE_CHROMIUM

mapfile -t suites < <(find . -name pyproject.toml \
  -not -path '*/node_modules/*' -not -path './dist/*' -not -path './.nx/*' -not -path './.services/*' \
  -exec grep -l '^\[tool.pytest.ini_options\]' {} + | sed -e 's|^\./||' -e 's|/\?pyproject.toml$||' | sort)
[[ ${#suites[@]} -gt 0 ]] || { echo "test-python: no Python test suite found" >&2; exit 1; }

status=0
for suite in "${suites[@]}"; do
  suite="${suite:-.}"
  name="python-${suite//\//-}"
  echo "test-python: $suite"
  (cd "$suite" && "$LAKE_VENV_DIR/bin/ruff" check --output-format junit -o "$repo/.test-results/$name-ruff.xml" .) ||
    { (cd "$suite" && "$LAKE_VENV_DIR/bin/ruff" check .) || true; status=1; }
  (cd "$suite" && "$LAKE_PYTHON" -m pytest -p no:cacheprovider --durations=5 \
    --junitxml="$repo/.test-results/$name.xml" -o junit_suite_name="$name") || status=$?
done
exit "$status"
