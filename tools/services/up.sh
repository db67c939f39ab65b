#!/usr/bin/env bash
# Install (if needed) and start the real test services on loopback:
#   Kafka (KRaft, broker+controller) on 127.0.0.1:$KAFKA_PORT (default 19092)
#   S3 (versitygw)                    on 127.0.0.1:$S3_PORT    (default 19000)
# Idempotent: services already running (pid file + live process + port answering)
# are left alone. Writes "$REGISTRY_SERVICES_DIR/env" (default <repo>/.services/env).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_installed
mkdir -p "$STATE_DIR"
take_lock "$STATE_DIR/.lock"
kafka_start
s3_start
write_env_file
log "env written to $ENV_FILE (source it: . $ENV_FILE)"
