# Starts our proxies (built from source into tools/bench/.build) and loads the data set into them through
# their real APIs: npm publish (PUT /<name>) and the PyPI legacy upload. Publishing 3,000 versions one by
# one takes minutes, so the loaded fs data dir is kept in the bench cache, keyed by the data set and the
# sources that define the stored format; each run works on a copy. The S3 instance gets the tarballs only.
# shellcheck shell=bash

BENCH_USER=bench
BENCH_PASSWORD=bench-password-1

ours_env() { # common env of every instance of ours
  printf '%s\n' HOST=127.0.0.1 LOG_LEVEL=warn "REGISTRY_ADMIN_USER=$BENCH_USER" "REGISTRY_ADMIN_PASSWORD=$BENCH_PASSWORD"
}

# Hash of what decides the on-disk format of a loaded store (so a format change reloads the cache).
store_format_key() {
  find "$REPO/libs/storage/blob-store/src" "$REPO/libs/storage/blob-store-fs/src" "$REPO/libs/auth/identity/src" "$@" \
    -name '*.ts' ! -name '*.spec.ts' -type f -print0 2>/dev/null | sort -z | xargs -0 cat | sha256sum | cut -c1-12
}

# start_app <system> <app> <port> [VAR=value ...]: runs one of our bundles with the common env plus the given vars.
start_app() {
  local system="$1" app="$2" port="$3"
  shift 3
  local -a vars
  mapfile -t vars < <(ours_env)
  start_bg "$system" "$port" "$RUN_DIR/logs/$system.log" env "${vars[@]}" "$@" node "$BENCH_DIR/.build/$app/main.js"
}

# loaded_data_dir <app> <port var name> <port> <loader...>: prints a fresh copy of the cached loaded store.
loaded_data_dir() {
  local app="$1" portvar="$2" port="$3" key pristine
  shift 3
  key="$(store_format_key "$REPO/libs/${app%-proxy}")-$DATA_KEY"
  pristine="$BENCH_CACHE/ours-$app-$key"
  if [[ ! -d "$pristine" ]]; then
    log "loading the data set into $app through its API (once per data set and store format)"
    rm -rf "$pristine.tmp"
    start_app "$app-loader" "$app" "$port" "$portvar=$port" STORAGE_DRIVER=fs "DATA_DIR=$pristine.tmp"
    wait_http "$app-loader" "http://127.0.0.1:$port/-/health" 60 >&2 || return 1
    "$@" "http://127.0.0.1:$port" >&2 || { forget "$app-loader"; return 1; }
    forget "$app-loader"
    mv "$pristine.tmp" "$pristine"
  fi
  cp -a "$pristine" "$RUN_DIR/$app-data"
  printf '%s\n' "$RUN_DIR/$app-data"
}

npm_loader() { node "$BENCH_DIR/lib/npm-publish.mjs" "$DATA" "$1" "$BENCH_USER" "$BENCH_PASSWORD" "${@:2}"; }
pypi_loader() { node "$BENCH_DIR/lib/devpi-upload.mjs" "$DATA" "$1/legacy/" "$BENCH_USER" "$BENCH_PASSWORD" 1; } # 4 in flight: 409 after 16 CAS retries (same project)

start_gateway() {
  start_bg audit-gateway "$PORT_GATEWAY" "$RUN_DIR/logs/audit-gateway.log" env HOST=127.0.0.1 LOG_LEVEL=warn \
    "AUDIT_GATEWAY_PORT=$PORT_GATEWAY" "AUDIT_GATEWAY_HTTP_PORT=$PORT_GATEWAY_HTTP" "KAFKA_BROKERS=$KAFKA_BROKERS" \
    "KAFKA_AUDIT_TOPIC=bench-audit-$BENCH_S3_PREFIX" "DATA_DIR=$RUN_DIR/gateway" node "$BENCH_DIR/.build/audit-gateway/main.js"
  wait_http audit-gateway "http://127.0.0.1:$PORT_GATEWAY_HTTP/-/ready" 90
}

start_ours() {
  local app npm_data pypi_data audit=""
  for app in npm-proxy pypi-proxy audit-gateway; do
    node "$BENCH_DIR/lib/build-ours.mjs" "$app" || log "$app does not build: its rows read 'not available'"
  done
  if [[ -f "$BENCH_DIR/.build/audit-gateway/main.js" ]] && start_gateway; then audit="AUDIT_GATEWAY_ADDR=127.0.0.1:$PORT_GATEWAY"; fi

  if [[ -f "$BENCH_DIR/.build/npm-proxy/main.js" ]] && npm_data="$(loaded_data_dir npm-proxy NPM_PROXY_PORT "$PORT_NPM_FS" npm_loader)"; then
    # Two processes on one fs store (supported: the fs store is multi-process safe); one with audit on.
    start_app ours-npm-fs npm-proxy "$PORT_NPM_FS" "NPM_PROXY_PORT=$PORT_NPM_FS" STORAGE_DRIVER=fs "DATA_DIR=$npm_data"
    wait_http ours-npm-fs "http://127.0.0.1:$PORT_NPM_FS/-/health" || true
    if [[ -n "$audit" ]]; then
      start_app ours-npm-fs-audit npm-proxy "$PORT_NPM_AUDIT" "NPM_PROXY_PORT=$PORT_NPM_AUDIT" STORAGE_DRIVER=fs "DATA_DIR=$npm_data" "$audit"
      wait_http ours-npm-fs-audit "http://127.0.0.1:$PORT_NPM_AUDIT/-/health" || true
    fi
    start_app ours-npm-s3 npm-proxy "$PORT_NPM_S3" "NPM_PROXY_PORT=$PORT_NPM_S3" STORAGE_DRIVER=s3 "STORAGE_PREFIX=$BENCH_S3_PREFIX/npm/"
    if wait_http ours-npm-s3 "http://127.0.0.1:$PORT_NPM_S3/-/health"; then
      npm_loader "http://127.0.0.1:$PORT_NPM_S3" bench-tar-10k bench-tar-200k bench-tar-2m || forget ours-npm-s3
    fi
  fi

  if [[ -f "$BENCH_DIR/.build/pypi-proxy/main.js" ]] && pypi_data="$(loaded_data_dir pypi-proxy PYPI_PROXY_PORT "$PORT_PYPI_FS" pypi_loader)"; then
    start_app ours-pypi-fs pypi-proxy "$PORT_PYPI_FS" "PYPI_PROXY_PORT=$PORT_PYPI_FS" STORAGE_DRIVER=fs "DATA_DIR=$pypi_data"
    wait_http ours-pypi-fs "http://127.0.0.1:$PORT_PYPI_FS/-/health" || true
    if [[ -n "$audit" ]]; then
      start_app ours-pypi-fs-audit pypi-proxy "$PORT_PYPI_AUDIT" "PYPI_PROXY_PORT=$PORT_PYPI_AUDIT" STORAGE_DRIVER=fs "DATA_DIR=$pypi_data" "$audit"
      wait_http ours-pypi-fs-audit "http://127.0.0.1:$PORT_PYPI_AUDIT/-/health" || true
    fi
  fi
}
