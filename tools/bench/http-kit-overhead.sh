#!/usr/bin/env bash
# Benchmark (not a test): req/s of GET /empty through createHttpApp vs bare express vs node:http, with wrk,
# alternating the servers round by round (the machine is shared, so A/B in the same window). Also prints the
# server's CPU time per request (utime+stime from /proc), which other load on the machine disturbs far less.
#   bash tools/bench/http-kit-overhead.sh            # ROUNDS=3 SECONDS_EACH=5 LEVELS="warn info" BENCH_KIT_BEFORE=
# Ports: BENCH_KIT_PORT_BASE (default 18300) + 1, 2, 10, 11, ...
# Loopback only, bounded load (wrk -t2 -c32).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}; SECONDS_EACH=${SECONDS_EACH:-5}; LEVELS=${LEVELS:-"warn info"}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
start() { # name mode port level
  node --import tsx tools/bench/http-kit-server.mjs "$2" "$3" "$4" > "/tmp/http-kit-$1.log" 2>&1 &
  pids+=($!); pidof[$1]=$!
  for _ in $(seq 100); do grep -q listening "/tmp/http-kit-$1.log" && return; sleep 0.1; done
  echo "server $1 did not start"; cat "/tmp/http-kit-$1.log"; exit 1
}
base=${BENCH_KIT_PORT_BASE:-18300}
declare -A ports=([http]=$((base + 1)) [express]=$((base + 2))) pidof
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
start http http $((base + 1)) warn; start express express $((base + 2)) warn
p=$((base + 10))
for l in $LEVELS; do ports[kit-$l]=$p; start "kit-$l" kit $p "$l"; p=$((p+1)); done
# BENCH_KIT_BEFORE=<dir>: also the kit as committed (git show HEAD:libs/shared/http-server/src/lib/<f>.ts into <dir>).
if [[ -n "${BENCH_KIT_BEFORE:-}" ]]; then
  for l in $LEVELS; do ports[before-$l]=$p; start "before-$l" kit-before $p "$l"; p=$((p+1)); done
fi
declare -A sums cpus
tick_us=$((1000000 / $(getconf CLK_TCK)))
for r in $(seq "$ROUNDS"); do
  for name in "${!ports[@]}"; do
    url="http://127.0.0.1:${ports[$name]}/empty"
    wrk -t2 -c32 -d1s "$url" > /dev/null
    before=$(cpu_ticks "${pidof[$name]}")
    out=$(wrk -t2 -c32 -d"${SECONDS_EACH}s" "$url")
    after=$(cpu_ticks "${pidof[$name]}")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out"); n=$(awk '/requests in/ {print $1}' <<<"$out")
    us=$(awk -v t=$((after - before)) -v u="$tick_us" -v n="$n" 'BEGIN {printf "%.1f", t * u / n}')
    echo "round $r $name $rps req/s, $us us CPU/req"
    sums[$name]=$(awk -v a="${sums[$name]:-0}" -v b="$rps" 'BEGIN {print a+b}')
    cpus[$name]=$(awk -v a="${cpus[$name]:-0}" -v b="$us" 'BEGIN {print a+b}')
  done
done
for name in "${!ports[@]}"; do
  awk -v n="$name" -v s="${sums[$name]}" -v c="${cpus[$name]}" -v r="$ROUNDS" 'BEGIN {printf "mean %-12s %8.0f req/s %7.1f us CPU/req\n", n, s/r, c/r}'
done
