#!/usr/bin/env bash
# The web console's usage (README "Web console"): the lake counts downloads per version over the last 30 days,
# cache against upstream (python -m registry_lake.usage, over the lake's table, read with pyiceberg), then the
# snapshot goes into the registry's object store with the store's own code (put-usage-snapshot.ts), from the
# proxies' storage variables (STORAGE_DRIVER, DATA_DIR or S3_*, STORAGE_PREFIX: set them as the proxies have them).
# Run it where the lake is configured (the report's variables, tools/lake/report.sh), e.g. daily.
# Example: STORAGE_DRIVER=fs DATA_DIR=./data tools/lake/usage.sh   (--now ISO ends the window elsewhere than now)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$LAKE_JOB_DIR" && "$LAKE_PYTHON" -m registry_lake.usage --out "$work/usage.json" "$@")
cd "$LAKE_REPO_ROOT"
npx --no-install tsx --tsconfig tsconfig.base.json tools/lake/put-usage-snapshot.ts --file "$work/usage.json"
