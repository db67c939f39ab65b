#!/usr/bin/env bash
# Stop / start / restart only the S3 server (versitygw), keeping its buckets.
#   tools/services/s3.sh stop|start|restart|status
# Uses the same ports and state dir as up.sh (source <state>/env first if you changed them).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd="${1:-}"
case "$cmd" in
  start)
    ensure_installed
    take_lock "$STATE_DIR/.lock"
    s3_start
    ;;
  stop)
    take_lock "$STATE_DIR/.lock"
    s3_stop
    ;;
  restart)
    ensure_installed
    take_lock "$STATE_DIR/.lock"
    s3_stop
    s3_start
    ;;
  status) s3_status ;;
  *)
    echo "usage: $0 stop|start|restart|status" >&2
    exit 2
    ;;
esac
