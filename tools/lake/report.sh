#!/usr/bin/env bash
# The audit lake's analytics report, read with pyiceberg (no Spark): terminal tables, and with
# --html <file> a self-contained page with charts. Example: tools/lake/report.sh --html report.html
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# Relative --html paths are taken from the caller's directory, not the job's.
args=()
while [[ $# -gt 0 ]]; do
  if [[ "$1" == "--html" && $# -gt 1 ]]; then
    args+=("--html" "$(realpath -m "$2")")
    shift 2
  else
    args+=("$1")
    shift
  fi
done
cd "$LAKE_JOB_DIR"
exec "$LAKE_PYTHON" -m registry_lake.report "${args[@]}"
