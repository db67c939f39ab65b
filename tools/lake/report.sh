#!/usr/bin/env bash
# The audit lake's analytics report, read with pyiceberg (no Spark): terminal tables, and with
# --html <file> a self-contained page with charts; with --advisories <dir or file> (default:
# REGISTRY_ADVISORY_FEED) the exposure of an OSV feed. Example: tools/lake/report.sh --html report.html
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# Relative --html and --advisories paths are taken from the caller's directory, not the job's (URLs as given).
if [[ -n "${REGISTRY_ADVISORY_FEED:-}" && "$REGISTRY_ADVISORY_FEED" != *:* ]]; then
  REGISTRY_ADVISORY_FEED="$(realpath -m "$REGISTRY_ADVISORY_FEED")"
fi
args=()
while [[ $# -gt 0 ]]; do
  if [[ $# -gt 1 && ("$1" == "--html" || ("$1" == "--advisories" && "$2" != *:*)) ]]; then
    args+=("$1" "$(realpath -m "$2")")
    shift 2
  else
    args+=("$1")
    shift
  fi
done
cd "$LAKE_JOB_DIR"
exec "$LAKE_PYTHON" -m registry_lake.report "${args[@]}"
