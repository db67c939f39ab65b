#!/usr/bin/env bash
# npm run bench: measures our proxies side by side with Verdaccio, devpi, proxpi, node:http, nginx and
# direct S3 GETs, all on 127.0.0.1, with bounded load (wrk, BENCH_SAMPLES rounds of BENCH_SECONDS per case),
# plus warm installs of a realistic tree with the real npm, pnpm, pip and uv. Prints the table with every goal's
# verdict and saves it under tools/bench/results/ (latest.md, latest.json and dated copies).
# Only the systems the selected cases need are started (BENCH_ONLY, see README.md).
# Stops every process it started (EXIT trap, by PID); leaves the shared Kafka/S3 services as it found them.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/../.." && pwd)"
export BENCH_CACHE="${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pkg-registry/bench}"
RUN_DIR="$(mktemp -d /tmp/registry-bench.XXXXXX)"
mkdir -p "$RUN_DIR/logs" && : >"$RUN_DIR/systems.txt" && cp /proc/loadavg "$RUN_DIR/loadavg-start.txt"
export NODE_NO_WARNINGS=1 BENCH_RUN_STARTED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
# shellcheck source=lib/proc.sh
source "$BENCH_DIR/lib/proc.sh"
# shellcheck source=lib/references.sh
source "$BENCH_DIR/lib/references.sh"
# shellcheck source=lib/ours.sh
source "$BENCH_DIR/lib/ours.sh"
# shellcheck source=lib/extras.sh
source "$BENCH_DIR/lib/extras.sh"
# shellcheck source=lib/baselines.sh
source "$BENCH_DIR/lib/baselines.sh"

# Every port is BENCH_PORT_BASE + a fixed offset, so several runs on one machine only need different bases.
port=${BENCH_PORT_BASE:-18400}
for name in VERDACCIO DEVPI PROXPI NODE_STATIC NGINX NPM_FS NPM_S3 NPM_AUDIT PYPI_FS PYPI_AUDIT GATEWAY GATEWAY_HTTP \
  UPSTREAM NPM_COLD PYPI_COLD NPM_UP PYPI_UP PROXPI_TREE NPM_FEW NPM_10K PYPI_FEW PYPI_10K NPM_S3_REDIRECT PYPI_S3 PYPI_S3_REDIRECT \
  NPM_STALE NPM_HANG PYPI_STALE PYPI_HANG; do
  port=$((port + 1))
  printf -v "PORT_$name" '%d' "$port"
done
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
  log "logs kept in $RUN_DIR/logs; wall time $((SECONDS / 60)) min $((SECONDS % 60)) s"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$REPO"
resolve_baselines # BENCH_BASELINE → BENCH_BASELINE_REVS, which lib/cases.mjs reads
NEEDED="$(node "$BENCH_DIR/lib/cases.mjs" --needed)"
[[ -n "$NEEDED" ]] || { log "BENCH_ONLY='${BENCH_ONLY:-}' selects no case"; exit 2; }
log "installing references and clients (cached in $BENCH_CACHE)"
bash "$BENCH_DIR/install.sh"
# shellcheck disable=SC1091 # written by install.sh: BENCH_PNPM, BENCH_PY_VENV
set -a && source "$BENCH_CACHE/clients.env" && set +a

# data_part <part> <generator files...>: generates (once) the part into the cache, keyed by its generators' sources.
data_part() {
  local part="$1" key
  shift
  key="$(cd "$BENCH_DIR/gen" && cat "$@" | sha256sum | cut -c1-12)"
  node "$BENCH_DIR/gen/generate.mjs" "$part" "$BENCH_CACHE/data-$part-$key"
  printf '%s %s\n' "$BENCH_CACHE/data-$part-$key" "$key"
}
read -r DATA DATA_KEY < <(data_part main gen-npm.mjs gen-pypi.mjs archive.mjs)
if grep -qE -- '-(few|10k)$' <<<"$NEEDED"; then
  read -r DATA_MANY DATA_MANY_KEY < <(data_part many gen-many.mjs gen-npm.mjs gen-pypi.mjs archive.mjs)
  MANY_FEW="$(node --input-type=module -e "console.log((await import('$BENCH_DIR/gen/gen-many.mjs')).MANY_FEW)")"
fi
if needs fixture-upstream; then
  read -r DATA_TREE _ < <(data_part tree gen-tree-npm.mjs gen-tree-pypi.mjs archive.mjs prng.mjs)
  read -r DATA_BIG _ < <(data_part big gen-big.mjs archive.mjs prng.mjs)
fi
log "data sets under $BENCH_CACHE (main $DATA_KEY)"

# The generated audit proto (not committed) is needed to build our apps.
[[ -d "$REPO/libs/audit/proto/src/generated" ]] || node "$REPO/libs/audit/proto/scripts/codegen.mjs" >/dev/null

if needs services; then
  if ! { bash tools/services/kafka.sh status && bash tools/services/s3.sh status; } >/dev/null 2>&1; then
    log "starting the shared Kafka and S3 services"
    bash tools/services/up.sh >/dev/null
    SERVICES_STARTED_HERE=1
  fi
  # shellcheck disable=SC1091 # written by up.sh
  set -a && source "${REGISTRY_SERVICES_DIR:-$REPO/.services}/env" && set +a
  # The S3 server is shared: the driver samples its RSS (shared.txt) but stop_all never sees it.
  printf 's3 %s %s\n' "$(cat "$REGISTRY_SERVICES_DIR/s3.pid")" "$S3_PORT" >"$RUN_DIR/shared.txt"
fi

log "starting the references"
start_fixture_upstream
start_static_servers
start_verdaccio
start_devpi
start_proxpi
if needs s3-direct; then
  for pkg in bench-tar-10k bench-tar-200k bench-tar-2m; do # the objects the direct-GET rows read
    node "$BENCH_DIR/lib/s3-objects.mjs" put "$BENCH_S3_PREFIX/static/$pkg" "$DATA/static/$pkg"
  done
fi

log "starting our proxies"
start_ours
start_baselines

log "driving the load"
node "$BENCH_DIR/drive.mjs" "$RUN_DIR"
[[ -z "${DATA_TREE:-}" ]] || node "$BENCH_DIR/drive-installs.mjs" "$RUN_DIR" "$DATA_TREE" # the selected install cases, if any
run_extras

PROFILE_DIR=""
if [[ "${BENCH_PROFILE:-}" == 1 && -d "$RUN_DIR/profiles" ]]; then
  # Profiles are written when a process exits: stop ours first, then summarize next to the results.
  stop_and_wait $(ls "$RUN_DIR/profiles")
  PROFILE_DIR="$BENCH_DIR/results/profiles/${BENCH_RUN_STARTED//:/}"
  node "$BENCH_DIR/lib/profile-summary.mjs" "$RUN_DIR/profiles" "$PROFILE_DIR" >"$RUN_DIR/profiles.json"
fi
BENCH_WALL_SECONDS=$SECONDS node "$BENCH_DIR/report.mjs" "$RUN_DIR" "$BENCH_DIR/results"
