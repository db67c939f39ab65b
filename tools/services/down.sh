#!/usr/bin/env bash
# Stop the test services started by up.sh (by PID: SIGTERM, up to 20 s, then SIGKILL).
#   --purge   also delete their data (Kafka log dirs, S3 buckets/metadata) and the env file.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

purge=false
for arg in "$@"; do
  case "$arg" in
    --purge) purge=true ;;
    -h | --help)
      echo "usage: $0 [--purge]"
      exit 0
      ;;
    *) die "unknown argument: $arg (usage: $0 [--purge])" ;;
  esac
done

if [[ ! -d "$STATE_DIR" ]]; then
  log "nothing to stop ($STATE_DIR does not exist)"
  exit 0
fi
take_lock "$STATE_DIR/.lock"
kafka_stop
s3_stop
if $purge; then
  log "purging data under $STATE_DIR"
  rm -rf "$KAFKA_STATE_DIR" "$S3_STATE_DIR" "$ENV_FILE"
fi
