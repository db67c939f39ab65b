#!/usr/bin/env bash
# Runs the audit lake's streaming job locally (Spark local[2], driver 2g): Kafka audit topic -> Iceberg.
# Configuration is the environment (see infra/lake/job/README.md); for example
#   LAKE_TRIGGER=available-now tools/lake/run-job.sh     # drain the topic once and stop
#   tools/lake/run-job.sh                                # keep streaming (processing time, 30 s)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# Counters outlive the run, outside the work tree.
export LAKE_METRICS_FILE="${LAKE_METRICS_FILE:-${XDG_STATE_HOME:-$HOME/.local/state}/pkg-registry/lake-metrics.json}"
cd "$LAKE_JOB_DIR"
exec "$LAKE_PYTHON" -m registry_lake.stream_job "$@"
