# Starts the reference systems (Verdaccio, devpi, proxpi, node:http static, nginx) on loopback.
# Each function records its process with start_bg and waits until it answers; a failure only logs
# (the driver then reports that system's rows as "not available").
# shellcheck shell=bash

start_static_servers() {
  start_bg node-static "$PORT_NODE_STATIC" "$RUN_DIR/logs/node-static.log" node "$BENCH_DIR/lib/static-server.mjs" "$DATA/static" "$PORT_NODE_STATIC"
  wait_http node-static "http://127.0.0.1:$PORT_NODE_STATIC/bench-tar-10k/-/bench-tar-10k-0.0.0.tgz" || true
  mkdir -p "$RUN_DIR/nginx"
  # Stock settings for static files: sendfile, one worker per core, no access log (same as the others).
  cat >"$RUN_DIR/nginx/nginx.conf" <<CONF
daemon off;
user root; # the data set lives in root's cache directory (mode 700); loopback-only bench server
worker_processes auto;
pid $RUN_DIR/nginx/nginx.pid;
error_log $RUN_DIR/logs/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 100000;
  default_type application/octet-stream;
  client_body_temp_path $RUN_DIR/nginx/tmp; proxy_temp_path $RUN_DIR/nginx/tmp; fastcgi_temp_path $RUN_DIR/nginx/tmp;
  uwsgi_temp_path $RUN_DIR/nginx/tmp; scgi_temp_path $RUN_DIR/nginx/tmp;
  server { listen 127.0.0.1:$PORT_NGINX; root $DATA/static; }
}
CONF
  start_bg nginx "$PORT_NGINX" "$RUN_DIR/logs/nginx.log" "$BENCH_CACHE/nginx/usr/sbin/nginx" -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf" -e "$RUN_DIR/logs/nginx-error.log"
  wait_http nginx "http://127.0.0.1:$PORT_NGINX/bench-tar-10k/-/bench-tar-10k-0.0.0.tgz" || true
}

start_verdaccio() {
  node "$BENCH_DIR/lib/load-verdaccio.mjs" "$DATA" "$RUN_DIR/verdaccio" "$PORT_VERDACCIO"
  start_bg verdaccio "$PORT_VERDACCIO" "$RUN_DIR/logs/verdaccio.log" \
    node "$BENCH_CACHE/verdaccio/node_modules/verdaccio/bin/verdaccio" --config "$RUN_DIR/verdaccio/config.yaml"
  wait_http verdaccio "http://127.0.0.1:$PORT_VERDACCIO/-/ping" || true
}

# devpi's server dir is built once per data set (devpi-import of a generated dump, ~1 min) and copied per run.
start_devpi() {
  local pristine="$BENCH_CACHE/devpi-$DATA_KEY"
  if [[ ! -d "$pristine/server" ]]; then
    log "building devpi's index from the data set (once per data set)"
    rm -rf "$pristine.tmp" && mkdir -p "$pristine.tmp"
    node "$BENCH_DIR/lib/devpi-dump.mjs" "$DATA" "$pristine.tmp/dump"
    "$BENCH_CACHE/venv/bin/devpi-import" --serverdir "$pristine.tmp/server" --no-root-pypi "$pristine.tmp/dump" >"$RUN_DIR/logs/devpi-import.log" 2>&1
    rm -rf "$pristine.tmp/dump" && mv "$pristine.tmp" "$pristine"
  fi
  cp -a "$pristine/server" "$RUN_DIR/devpi-server"
  start_bg devpi "$PORT_DEVPI" "$RUN_DIR/logs/devpi.log" \
    "$BENCH_CACHE/venv/bin/devpi-server" --serverdir "$RUN_DIR/devpi-server" --host 127.0.0.1 --port "$PORT_DEVPI" --offline-mode
  wait_http devpi "http://127.0.0.1:$PORT_DEVPI/+api" 120 || true
}

# proxpi is a caching proxy only (it cannot host files): its upstream is the devpi index above, and the
# warm-up request of each case fills its cache, so the measured requests are cache hits.
start_proxpi() {
  "$BENCH_CACHE/venv/bin/python" -c 'import proxpi, gunicorn' 2>/dev/null || { log "proxpi is not installed"; return 0; }
  grep -q '^devpi ' "$RUN_DIR/systems.txt" || { log "proxpi needs devpi as its upstream"; return 0; }
  start_bg proxpi "$PORT_PROXPI" "$RUN_DIR/logs/proxpi.log" env \
    PROXPI_INDEX_URL="http://127.0.0.1:$PORT_DEVPI/bench/dev/+simple/" PROXPI_CACHE_DIR="$RUN_DIR/proxpi-cache" \
    PROXPI_LOGGING_LEVEL=WARNING PROXPI_DOWNLOAD_TIMEOUT=30 \
    "$BENCH_CACHE/venv/bin/gunicorn" --bind "127.0.0.1:$PORT_PROXPI" --workers 2 --threads 8 --preload proxpi.server:app
  wait_http proxpi "http://127.0.0.1:$PORT_PROXPI/health" || true
}
