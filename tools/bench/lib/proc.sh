# Process bookkeeping for run.sh: every server the bench starts is recorded as "<system> <pid> <port>" in
# $RUN_DIR/systems.txt, so the driver knows what is up and the EXIT trap stops exactly those PIDs.
# shellcheck shell=bash

log() { printf '[bench] %s\n' "$*" >&2; }

# needs <system>: whether a selected case uses it ($NEEDED: `node lib/cases.mjs --needed`, one name a line).
needs() { grep -qx -- "$1" <<<"$NEEDED"; }

# pid_of <system>: its recorded PID, or nothing.
pid_of() { awk -v s="$1" '$1 == s { print $2 }' "$RUN_DIR/systems.txt"; }

# url_of <system>: http://127.0.0.1:<port> of a running system; fails when it is not running.
url_of() { awk -v s="$1" '$1 == s { print "http://127.0.0.1:" $3; found = 1 } END { exit !found }' "$RUN_DIR/systems.txt"; }

# start_bg <system> <port> <log file> <command...>: starts in the background and records it.
start_bg() {
  local system="$1" port="$2" logfile="$3"
  shift 3
  "$@" >"$logfile" 2>&1 &
  printf '%s %s %s\n' "$system" "$!" "$port" >>"$RUN_DIR/systems.txt"
}

# forget <system>: drops a system that failed to come up (after stopping it) so no case targets it.
forget() {
  local pid
  pid="$(pid_of "$1")"
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; fi
  sed -i "/^$1 /d" "$RUN_DIR/systems.txt"
}

# stop_and_wait <system...>: TERM, then wait (up to 30 s) until each has exited, so it can write what it
# writes at exit (a --cpu-prof profile); then forgets it.
stop_and_wait() {
  local s pid
  for s in "$@"; do
    pid="$(pid_of "$s")"
    [[ -n "$pid" ]] || continue
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    sed -i "/^$s /d" "$RUN_DIR/systems.txt"
  done
}

# wait_http <system> <url> [seconds]: polls until the URL answers 2xx/3xx/4xx, or the process died, or the deadline.
wait_http() {
  local system="$1" url="$2" deadline=$((SECONDS + ${3:-60})) pid
  pid="$(pid_of "$system")"
  while ((SECONDS < deadline)); do
    if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then log "$system exited early (see $RUN_DIR/logs/$system.log)"; forget "$system"; return 1; fi
    if curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" | grep -qE '^[234]'; then return 0; fi
    sleep 0.2
  done
  log "$system did not answer $url within the deadline"
  forget "$system"
  return 1
}

# stop_all: TERM every recorded PID (children first are not needed: each is a direct child), then KILL leftovers.
stop_all() {
  [[ -f "$RUN_DIR/systems.txt" ]] || return 0
  local pids
  pids="$(awk '{ print $2 }' "$RUN_DIR/systems.txt")"
  # shellcheck disable=SC2086
  if [[ -n "$pids" ]]; then kill $pids 2>/dev/null || true; fi
  for _ in $(seq 50); do
    local alive=0
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.2
  done
  for p in $pids; do kill -9 "$p" 2>/dev/null || true; done
  : >"$RUN_DIR/systems.txt"
}
