#!/usr/bin/env bash
# Stop / start / restart only the Kafka broker, keeping its data (for "Kafka is down" tests).
#   tools/services/kafka.sh stop|start|restart|status
# Uses the same ports and state dir as up.sh (source <state>/env first if you changed them).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd="${1:-}"
case "$cmd" in
  start)
    ensure_installed
    take_lock "$STATE_DIR/.lock"
    kafka_start
    ;;
  stop)
    take_lock "$STATE_DIR/.lock"
    kafka_stop
    ;;
  restart)
    ensure_installed
    take_lock "$STATE_DIR/.lock"
    kafka_stop
    kafka_start
    ;;
  status) kafka_status ;;
  *)
    echo "usage: $0 stop|start|restart|status" >&2
    exit 2
    ;;
esac
