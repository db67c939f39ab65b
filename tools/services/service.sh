#!/usr/bin/env bash
# Stop / start / restart one service, keeping its data (Kafka's logs, S3's buckets), for "service is down" tests.
#   tools/services/service.sh kafka|s3 stop|start|restart|status
# Uses the same ports and state dir as up.sh (source <state>/env first if you changed them).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

service="${1:-}" cmd="${2:-}"
case "$service" in
  kafka | s3) ;;
  *)
    echo "usage: $0 kafka|s3 stop|start|restart|status" >&2
    exit 2
    ;;
esac
case "$cmd" in
  start | restart)
    ensure_installed
    take_lock "$STATE_DIR/.lock"
    [[ "$cmd" == restart ]] && "${service}_stop"
    "${service}_start"
    ;;
  stop)
    take_lock "$STATE_DIR/.lock"
    "${service}_stop"
    ;;
  status) "${service}_status" ;;
  *)
    echo "usage: $0 $service stop|start|restart|status" >&2
    exit 2
    ;;
esac
