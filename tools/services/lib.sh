# shellcheck shell=bash
# Shared helpers for tools/services/*.sh. Source it; do not execute it.
# Everything here is loopback-only and keyed on PID files, never on process names.

# ---------------------------------------------------------------------------
# Configuration (all overridable from the environment)
# ---------------------------------------------------------------------------
SERVICES_TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SERVICES_TOOLS_DIR/../.." && pwd)"

PKG_CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/pkg-registry"
STATE_DIR="${REGISTRY_SERVICES_DIR:-$REPO_ROOT/.services}"

KAFKA_VERSION="${KAFKA_VERSION:-4.1.2}"
SLF4J_VERSION="${SLF4J_VERSION:-2.0.17}"
VERSITYGW_VERSION="${VERSITYGW_VERSION:-v1.7.0}"

KAFKA_PORT="${KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"

S3_PORT="${S3_PORT:-19000}"
S3_REGION="${S3_REGION:-us-east-1}"
S3_ACCESS_KEY_ID="${S3_ACCESS_KEY_ID:-test-access-key}"
S3_SECRET_ACCESS_KEY="${S3_SECRET_ACCESS_KEY:-test-secret-key-123}"
S3_BUCKETS="${S3_BUCKETS:-registry-test audit-data}"

SERVICES_START_TIMEOUT="${SERVICES_START_TIMEOUT:-120}"
SERVICES_STOP_TIMEOUT="${SERVICES_STOP_TIMEOUT:-20}"

KAFKA_LIB_DIR="$PKG_CACHE_DIR/kafka/$KAFKA_VERSION/lib"
VERSITYGW_BIN="$PKG_CACHE_DIR/bin/versitygw"
VERSITYGW_MARKER="$PKG_CACHE_DIR/bin/.versitygw.version"

KAFKA_STATE_DIR="$STATE_DIR/kafka"
KAFKA_DATA_DIR="$KAFKA_STATE_DIR/data"
KAFKA_PROPS="$KAFKA_STATE_DIR/server.properties"
KAFKA_CLIENT_PROPS="$KAFKA_STATE_DIR/client.properties"
KAFKA_CLUSTER_ID_FILE="$KAFKA_STATE_DIR/cluster.id"
KAFKA_PID_FILE="$STATE_DIR/kafka.pid"
KAFKA_LOG="$STATE_DIR/logs/kafka.log"

S3_STATE_DIR="$STATE_DIR/s3"
S3_DATA_DIR="$S3_STATE_DIR/data"
S3_META_DIR="$S3_STATE_DIR/meta"
S3_PID_FILE="$STATE_DIR/s3.pid"
S3_LOG="$STATE_DIR/logs/s3.log"

ENV_FILE="$STATE_DIR/env"

if [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then
  JAVA_BIN="${JAVA_HOME}/bin/java"
else
  JAVA_BIN="java"
fi

# ---------------------------------------------------------------------------
# Small utilities
# ---------------------------------------------------------------------------
log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

now_s() { date +%s; }

# Take an exclusive flock on $1 using fd 9 (held until the calling script exits).
take_lock() {
  local lockfile="$1"
  mkdir -p "$(dirname "$lockfile")"
  exec 9>"$lockfile"
  if ! flock -w 900 9; then
    die "could not take lock $lockfile within 900 s"
  fi
}

# True if something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# Print the PID stored in $1 if that process is alive and its command line
# contains $2 (guards against PID reuse); otherwise print nothing, return 1.
live_pid() {
  local pidfile="$1" pattern="$2" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(tr -dc '0-9' <"$pidfile")"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$pattern" || return 1
  fi
  printf '%s\n' "$pid"
}

# Stop the process recorded in pidfile $1 (command line must contain $2):
# SIGTERM, wait up to SERVICES_STOP_TIMEOUT s, then SIGKILL. Removes the pid file.
stop_by_pidfile() {
  local pidfile="$1" pattern="$2" name="$3" pid i
  if ! pid="$(live_pid "$pidfile" "$pattern")"; then
    rm -f "$pidfile"
    log "$name: not running"
    return 0
  fi
  log "$name: stopping pid $pid (SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < SERVICES_STOP_TIMEOUT * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name: still alive after ${SERVICES_STOP_TIMEOUT} s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "$pidfile"
  log "$name: stopped"
}

# Start "$@" detached in its own session; its PID goes to pidfile $1, output to log $2.
spawn_daemon() {
  local pidfile="$1" logfile="$2"
  shift 2
  mkdir -p "$(dirname "$logfile")" "$(dirname "$pidfile")"
  # The inner shell writes its own PID and then execs the server, so the PID
  # file holds the server's PID whether or not setsid had to fork.
  # shellcheck disable=SC2016
  setsid bash -c 'echo "$$" >"$0"; exec "$@"' "$pidfile" "$@" \
    </dev/null >>"$logfile" 2>&1 9>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$pidfile" ]] && return 0
    sleep 0.1
  done
  die "process did not write its pid file $pidfile"
}

# Set by *_start right after spawning a server, so that a failed start-up does
# not leave a half-started process behind: "<pidfile> <cmdline pattern>".
JUST_STARTED=""

fail_start() {
  local name="$1" logfile="$2" msg="$3"
  {
    printf '[services] ERROR: %s: %s\n' "$name" "$msg"
    printf '[services] ---- last 40 lines of %s ----\n' "$logfile"
    tail -n 40 "$logfile" 2>/dev/null || true
    printf '[services] ---- end of log ----\n'
  } >&2
  if [[ -n "$JUST_STARTED" ]]; then
    SERVICES_STOP_TIMEOUT=5 stop_by_pidfile "${JUST_STARTED% *}" "${JUST_STARTED##* }" "$name" || true
  fi
  exit 1
}

# ---------------------------------------------------------------------------
# Install checks
# ---------------------------------------------------------------------------
kafka_installed() {
  [[ -f "$KAFKA_LIB_DIR/.complete" ]]
}

versitygw_installed() {
  [[ -x "$VERSITYGW_BIN" && -f "$VERSITYGW_MARKER" ]] &&
    [[ "$(cat "$VERSITYGW_MARKER")" == "$VERSITYGW_VERSION" ]]
}

ensure_installed() {
  if ! kafka_installed || ! versitygw_installed; then
    "$SERVICES_TOOLS_DIR/install.sh"
  fi
}

# ---------------------------------------------------------------------------
# Kafka
# ---------------------------------------------------------------------------
kafka_java() {
  # A short-lived client JVM (tools) with a small heap and quick start-up.
  "$JAVA_BIN" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$KAFKA_LIB_DIR/*" "$@"
}

kafka_write_config() {
  mkdir -p "$KAFKA_DATA_DIR" "$(dirname "$KAFKA_LOG")"
  cat >"$KAFKA_PROPS.tmp" <<EOF
# Generated by tools/services (lib.sh); rewritten on every start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${KAFKA_CONTROLLER_PORT}
listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=${KAFKA_DATA_DIR}
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  mv -f "$KAFKA_PROPS.tmp" "$KAFKA_PROPS"
  cat >"$KAFKA_CLIENT_PROPS" <<EOF
request.timeout.ms=5000
default.api.timeout.ms=10000
EOF
}

kafka_ready() {
  port_open "$KAFKA_PORT" || return 1
  timeout 30 "$JAVA_BIN" -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
    -cp "$KAFKA_LIB_DIR/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "127.0.0.1:${KAFKA_PORT}" \
    --command-config "$KAFKA_CLIENT_PROPS" --list >/dev/null 2>&1
}

# wait_for <service> <log> <pid> <deadline> <what it waits for> <command...>: polls the command until it
# succeeds; gives up (with the log's tail) when the process exits or the deadline passes.
wait_for() {
  local name="$1" logfile="$2" pid="$3" deadline="$4" what="$5"
  shift 5
  until "$@"; do
    kill -0 "$pid" 2>/dev/null || fail_start "$name" "$logfile" "process $pid exited during start-up"
    (($(now_s) < deadline)) || fail_start "$name" "$logfile" "no $what after ${SERVICES_START_TIMEOUT} s"
    sleep 0.25
  done
}

kafka_wait_ready() {
  local deadline=$(($(now_s) + SERVICES_START_TIMEOUT))
  wait_for kafka "$KAFKA_LOG" "$1" "$deadline" "open port $KAFKA_PORT" port_open "$KAFKA_PORT"
  wait_for kafka "$KAFKA_LOG" "$1" "$deadline" "metadata answer on 127.0.0.1:$KAFKA_PORT" kafka_ready
}

kafka_start() {
  local pid cluster_id
  if pid="$(live_pid "$KAFKA_PID_FILE" kafka.Kafka)"; then
    if port_open "$KAFKA_PORT"; then
      log "kafka: already running (pid $pid, 127.0.0.1:$KAFKA_PORT)"
      return 0
    fi
    log "kafka: pid $pid alive but port $KAFKA_PORT not answering yet; waiting"
    kafka_wait_ready "$pid"
    return 0
  fi
  rm -f "$KAFKA_PID_FILE"
  if port_open "$KAFKA_PORT"; then
    die "kafka: port 127.0.0.1:$KAFKA_PORT is in use by a process this script did not start (no live $KAFKA_PID_FILE)"
  fi
  if port_open "$KAFKA_CONTROLLER_PORT"; then
    die "kafka: controller port 127.0.0.1:$KAFKA_CONTROLLER_PORT is in use by another process"
  fi
  kafka_installed || die "kafka: not installed (run tools/services/install.sh)"

  kafka_write_config
  if [[ ! -s "$KAFKA_CLUSTER_ID_FILE" ]]; then
    # 16 random bytes, base64url without padding = 22 chars (Kafka's Uuid format). Like Kafka's own
    # Uuid.randomUuid, never one starting with '-': StorageTool would read it as an option.
    local id="-"
    while [[ "$id" == -* ]]; do id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"; done
    printf '%s' "$id" >"$KAFKA_CLUSTER_ID_FILE"
  fi
  cluster_id="$(cat "$KAFKA_CLUSTER_ID_FILE")"
  if [[ ! -f "$KAFKA_DATA_DIR/meta.properties" ]]; then
    log "kafka: formatting storage (cluster id $cluster_id)"
    if ! kafka_java kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_PROPS" \
      --ignore-formatted >>"$KAFKA_LOG" 2>&1; then
      fail_start kafka "$KAFKA_LOG" "storage format failed"
    fi
  fi

  log "kafka: starting $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT)"
  printf '\n===== %s kafka start =====\n' "$(date -u +%FT%TZ)" >>"$KAFKA_LOG"
  local -a heap
  read -r -a heap <<<"$KAFKA_HEAP_OPTS"
  spawn_daemon "$KAFKA_PID_FILE" "$KAFKA_LOG" \
    "$JAVA_BIN" "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true \
    -Dorg.slf4j.simpleLogger.defaultLogLevel="${KAFKA_LOG_LEVEL:-info}" \
    -Dorg.slf4j.simpleLogger.showDateTime=true \
    -cp "$KAFKA_LIB_DIR/*" kafka.Kafka "$KAFKA_PROPS"
  pid="$(cat "$KAFKA_PID_FILE")"
  JUST_STARTED="$KAFKA_PID_FILE kafka.Kafka"
  local t0
  t0=$(now_s)
  kafka_wait_ready "$pid"
  JUST_STARTED=""
  log "kafka: ready (pid $pid) in $(($(now_s) - t0)) s"
}

kafka_stop() {
  stop_by_pidfile "$KAFKA_PID_FILE" kafka.Kafka kafka
}

kafka_status() {
  local pid
  if pid="$(live_pid "$KAFKA_PID_FILE" kafka.Kafka)" && port_open "$KAFKA_PORT"; then
    echo "kafka: running (pid $pid, 127.0.0.1:$KAFKA_PORT)"
  else
    echo "kafka: stopped"
    return 1
  fi
}

# ---------------------------------------------------------------------------
# S3 (versitygw, posix backend)
# ---------------------------------------------------------------------------
s3_http_code() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:${S3_PORT}/" 2>/dev/null || true
}

# SHA-256 of an empty payload (curl 7.x does not add x-amz-content-sha256 itself,
# and versitygw rejects signed requests without it).
S3_EMPTY_SHA256="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

# Signed (SigV4) S3 request with an empty body: s3_curl METHOD PATH; prints the HTTP status.
s3_curl() {
  local method="$1" path="$2"
  local -a how
  if [[ "$method" == "HEAD" ]]; then how=(-I); else how=(-X "$method"); fi
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 "${how[@]}" \
    -H "x-amz-content-sha256: ${S3_EMPTY_SHA256}" \
    --aws-sigv4 "aws:amz:${S3_REGION}:s3" \
    --user "${S3_ACCESS_KEY_ID}:${S3_SECRET_ACCESS_KEY}" \
    "http://127.0.0.1:${S3_PORT}${path}" 2>/dev/null || true
}

s3_answers() {
  local code
  code="$(s3_http_code)"
  [[ -n "$code" && "$code" != "000" ]]
}

s3_wait_ready() {
  wait_for s3 "$S3_LOG" "$1" $(($(now_s) + SERVICES_START_TIMEOUT)) "HTTP answer on 127.0.0.1:$S3_PORT" s3_answers
}

s3_ensure_buckets() {
  local b code
  for b in $S3_BUCKETS; do
    code="$(s3_curl HEAD "/$b")"
    if [[ "$code" == "200" ]]; then
      continue
    fi
    code="$(s3_curl PUT "/$b")"
    case "$code" in
      200 | 409) log "s3: bucket $b created" ;;
      *) fail_start s3 "$S3_LOG" "creating bucket $b returned HTTP $code" ;;
    esac
    code="$(s3_curl HEAD "/$b")"
    [[ "$code" == "200" ]] || fail_start s3 "$S3_LOG" "bucket $b not visible after create (HTTP $code)"
  done
}

s3_start() {
  local pid
  if pid="$(live_pid "$S3_PID_FILE" versitygw)"; then
    log "s3: already running (pid $pid, 127.0.0.1:$S3_PORT)"
    s3_wait_ready "$pid"
    s3_ensure_buckets
    return 0
  fi
  rm -f "$S3_PID_FILE"
  if port_open "$S3_PORT"; then
    die "s3: port 127.0.0.1:$S3_PORT is in use by a process this script did not start (no live $S3_PID_FILE)"
  fi
  versitygw_installed || die "s3: versitygw not installed (run tools/services/install.sh)"
  mkdir -p "$S3_DATA_DIR" "$S3_META_DIR" "$(dirname "$S3_LOG")"

  log "s3: starting versitygw $VERSITYGW_VERSION on 127.0.0.1:$S3_PORT"
  printf '\n===== %s s3 start =====\n' "$(date -u +%FT%TZ)" >>"$S3_LOG"
  spawn_daemon "$S3_PID_FILE" "$S3_LOG" \
    env ROOT_ACCESS_KEY="$S3_ACCESS_KEY_ID" ROOT_SECRET_KEY="$S3_SECRET_ACCESS_KEY" \
    "$VERSITYGW_BIN" --port "127.0.0.1:${S3_PORT}" \
    posix --sidecar "$S3_META_DIR" "$S3_DATA_DIR"
  pid="$(cat "$S3_PID_FILE")"
  JUST_STARTED="$S3_PID_FILE versitygw"
  local t0
  t0=$(now_s)
  s3_wait_ready "$pid"
  s3_ensure_buckets
  JUST_STARTED=""
  log "s3: ready (pid $pid) in $(($(now_s) - t0)) s"
}

s3_stop() {
  stop_by_pidfile "$S3_PID_FILE" versitygw s3
}

s3_status() {
  local pid code
  code="$(s3_http_code)"
  if pid="$(live_pid "$S3_PID_FILE" versitygw)" && [[ "$code" != "000" && -n "$code" ]]; then
    echo "s3: running (pid $pid, http://127.0.0.1:$S3_PORT)"
  else
    echo "s3: stopped"
    return 1
  fi
}

write_env_file() {
  mkdir -p "$STATE_DIR"
  local first_bucket
  first_bucket="${S3_BUCKETS%% *}"
  {
    printf 'export %s=%q\n' \
      KAFKA_BROKERS "127.0.0.1:${KAFKA_PORT}" \
      S3_ENDPOINT "http://127.0.0.1:${S3_PORT}" \
      S3_REGION "$S3_REGION" \
      S3_ACCESS_KEY_ID "$S3_ACCESS_KEY_ID" \
      S3_SECRET_ACCESS_KEY "$S3_SECRET_ACCESS_KEY" \
      S3_FORCE_PATH_STYLE true \
      S3_BUCKET "$first_bucket" \
      KAFKA_PORT "$KAFKA_PORT" \
      KAFKA_CONTROLLER_PORT "$KAFKA_CONTROLLER_PORT" \
      S3_PORT "$S3_PORT" \
      REGISTRY_SERVICES_DIR "$STATE_DIR"
  } >"$ENV_FILE.tmp"
  mv -f "$ENV_FILE.tmp" "$ENV_FILE"
}
