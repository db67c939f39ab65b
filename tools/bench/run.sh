#!/usr/bin/env bash
# npm run bench: measures our proxies side by side with Verdaccio, devpi, proxpi, node:http, nginx and
# direct S3 GETs, all on 127.0.0.1, with bounded load (wrk, BENCH_SECONDS per case, default 5 s).
# Prints the table and saves it under tools/bench/results/ (latest.md, latest.json and dated copies).
# Stops every process it started (EXIT trap, by PID); leaves the shared Kafka/S3 services as it found them.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/../.." && pwd)"
export BENCH_CACHE="${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pkg-registry/bench}"
RUN_DIR="$(mktemp -d /tmp/registry-bench.XXXXXX)"
mkdir -p "$RUN_DIR/logs" && : >"$RUN_DIR/systems.txt"
export NODE_NO_WARNINGS=1
# shellcheck source=lib/proc.sh
source "$BENCH_DIR/lib/proc.sh"
# shellcheck source=lib/references.sh
source "$BENCH_DIR/lib/references.sh"
# shellcheck source=lib/ours.sh
source "$BENCH_DIR/lib/ours.sh"
# shellcheck source=lib/extras.sh
source "$BENCH_DIR/lib/extras.sh"

PORT_VERDACCIO=18401 PORT_DEVPI=18402 PORT_PROXPI=18403 PORT_NODE_STATIC=18404 PORT_NGINX=18405
PORT_NPM_FS=18406 PORT_NPM_S3=18407 PORT_NPM_AUDIT=18408 PORT_PYPI_FS=18409 PORT_PYPI_AUDIT=18410
PORT_GATEWAY=18411 PORT_GATEWAY_HTTP=18412 PORT_UPSTREAM=18413 PORT_NPM_COLD=18414 PORT_PYPI_COLD=18415
SERVICES_STARTED_HERE=0
BENCH_S3_PREFIX="bench-$(date +%s)-$$"
export BENCH_S3_PREFIX

cleanup() {
  local rc=$?
  stop_all
  if [[ -n "${S3_BUCKET:-}" ]]; then node "$BENCH_DIR/lib/s3-objects.mjs" delete "$BENCH_S3_PREFIX" 2>/dev/null || true; fi
  # Shared services: stopped only when this run started them (they were down before).
  if ((SERVICES_STARTED_HERE)); then bash "$REPO/tools/services/down.sh" >/dev/null 2>&1 || true; fi
  # Keep the logs and raw results of the run; drop the copies of data stores.
  find "$RUN_DIR" -mindepth 1 -maxdepth 1 ! -name logs ! -name '*.json' ! -name '*.txt' -exec rm -rf {} + 2>/dev/null || true
  log "logs kept in $RUN_DIR/logs"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$REPO"
log "installing references (cached in $BENCH_CACHE)"
bash "$BENCH_DIR/install.sh"

# The data set is generated once per generator version (key = hash of the generator sources).
DATA_KEY="$(cat "$BENCH_DIR"/gen/*.mjs | sha256sum | cut -c1-12)"
DATA="$BENCH_CACHE/data-$DATA_KEY"
log "data set $DATA"
node "$BENCH_DIR/gen/generate.mjs" "$DATA"

if ! { bash tools/services/kafka.sh status && bash tools/services/s3.sh status; } >/dev/null 2>&1; then
  log "starting the shared Kafka and S3 services"
  bash tools/services/up.sh >/dev/null
  SERVICES_STARTED_HERE=1
fi
# shellcheck disable=SC1091 # written by up.sh
set -a && source "${REGISTRY_SERVICES_DIR:-$REPO/.services}/env" && set +a
# The S3 server is shared: the driver samples its RSS (shared.txt) but stop_all never sees it.
printf 's3 %s %s\n' "$(cat "$REGISTRY_SERVICES_DIR/s3.pid")" "$S3_PORT" >"$RUN_DIR/shared.txt"

log "starting the references"
start_static_servers
start_verdaccio
start_devpi
start_proxpi
for pkg in bench-tar-10k bench-tar-200k bench-tar-2m; do # the objects the direct-GET rows read
  node "$BENCH_DIR/lib/s3-objects.mjs" put "$BENCH_S3_PREFIX/static/$pkg" "$DATA/static/$pkg"
done

log "starting our proxies"
start_ours

log "driving the load"
node "$BENCH_DIR/drive.mjs" "$RUN_DIR"

if [[ -z "${BENCH_ONLY:-}" ]]; then run_extras; fi
node "$BENCH_DIR/report.mjs" "$RUN_DIR" "$BENCH_DIR/results"
