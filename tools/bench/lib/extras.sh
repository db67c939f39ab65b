# The scenarios that are not a wrk loop: cold cache (100 clients, one uncached 50 MB file, through each
# proxy, against a local upstream that counts fetches) and the audit gateway's events/s
# (tools/bench/audit-throughput.mjs, written with the gateway). Each writes $RUN_DIR/extra-<name>.json.
# shellcheck shell=bash

cold_case() { # cold_case <name> <system> <app> <port> <file url> <counted path> <warm url> [VAR=value ...]
  local name="$1" system="$2" app="$3" port="$4" url="$5" counted="$6" warm="$7" pid
  shift 7
  start_app "$system" "$app" "$port" STORAGE_DRIVER=fs "DATA_DIR=$RUN_DIR/$system-data" "$@"
  wait_http "$system" "http://127.0.0.1:$port/-/health" || return 0
  # Metadata first, as a client does before downloading (npm: packument; pip: project page).
  curl -s -m 30 -o /dev/null "$warm" || true
  pid="$(pid_of "$system")"
  timeout 180 node "$BENCH_DIR/lib/cold-client.mjs" "$url" "$COLD_SHA256" "$pid" \
    "http://127.0.0.1:$PORT_UPSTREAM/-/counts" "$counted" 100 >"$RUN_DIR/extra-$name.json" || log "cold case $name failed"
  stop_and_wait "$system"
}

run_extras() {
  local big="$BENCH_CACHE/cold-50mb.bin"
  if needs ours-npm-cold || needs ours-pypi-cold; then
    [[ -f "$big" ]] || head -c $((50 * 1024 * 1024)) /dev/urandom >"$big"
    COLD_SHA256="$(sha256sum "$big" | cut -d' ' -f1)"
    start_bg cold-upstream "$PORT_UPSTREAM" "$RUN_DIR/logs/cold-upstream.log" node "$BENCH_DIR/lib/cold-upstream.mjs" "$big" "$PORT_UPSTREAM"
    if wait_http cold-upstream "http://127.0.0.1:$PORT_UPSTREAM/-/counts"; then
      local up="http://127.0.0.1:$PORT_UPSTREAM"
      if needs ours-npm-cold && [[ -f "$BENCH_DIR/.build/npm-proxy/main.js" ]]; then
        log "cold cache: npm-proxy"
        cold_case cold-npm ours-npm-cold npm-proxy "$PORT_NPM_COLD" "http://127.0.0.1:$PORT_NPM_COLD/cold-pkg/-/cold-pkg-1.0.0.tgz" \
          /cold-pkg/-/cold-pkg-1.0.0.tgz "http://127.0.0.1:$PORT_NPM_COLD/cold-pkg" "NPM_PROXY_PORT=$PORT_NPM_COLD" "NPM_UPSTREAM_URL=$up"
      fi
      if needs ours-pypi-cold && [[ -f "$BENCH_DIR/.build/pypi-proxy/main.js" ]]; then
        log "cold cache: pypi-proxy"
        cold_case cold-pypi ours-pypi-cold pypi-proxy "$PORT_PYPI_COLD" \
          "http://127.0.0.1:$PORT_PYPI_COLD/files/cold-project/cold_project-1.0.0-py3-none-any.whl" \
          /packages/cold_project-1.0.0-py3-none-any.whl "http://127.0.0.1:$PORT_PYPI_COLD/simple/cold-project/" \
          "PYPI_PROXY_PORT=$PORT_PYPI_COLD" "PYPI_UPSTREAM_URL=$up/simple" "PYPI_UPSTREAM_FILES_URL=$up"
      fi
    fi
    forget cold-upstream
  fi
  if needs audit-throughput && [[ -n "${KAFKA_BROKERS:-}" ]]; then
    log "audit gateway events/s (audit-throughput.mjs)"
    BENCH_EVENTS="${BENCH_AUDIT_EVENTS:-50000}" timeout 240 node --import tsx "$BENCH_DIR/audit-throughput.mjs" 2>"$RUN_DIR/logs/audit-throughput.log" \
      | tail -n 1 >"$RUN_DIR/extra-gateway.json" || { log "audit-throughput.mjs failed (see logs)"; rm -f "$RUN_DIR/extra-gateway.json"; }
  fi
}
