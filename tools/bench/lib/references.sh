# Starts the reference systems (Verdaccio, devpi, proxpi, node:http static, nginx) and the fixture upstream
# of the pull-through cases on loopback. Each function records its process with start_bg and waits until it
# answers; a failure only logs (the driver then reports that system's rows as "not available").
# shellcheck shell=bash

# The project's npm and PyPI test fixtures loaded with the tree and 20 MB data sets (ephemeral ports; their URLs
# land in $RUN_DIR/fixture-urls.json). FIXTURE_NPM / FIXTURE_PYPI_INDEX / FIXTURE_PYPI_FILES stay empty without it.
start_fixture_upstream() {
  FIXTURE_NPM="" FIXTURE_PYPI_INDEX="" FIXTURE_PYPI_FILES=""
  needs fixture-upstream || return 0
  start_bg fixture-upstream 0 "$RUN_DIR/logs/fixture-upstream.log" \
    node --import tsx "$BENCH_DIR/lib/fixture-upstream.mjs" "$DATA_TREE" "$DATA_BIG" "$RUN_DIR/fixture-urls.json"
  local deadline=$((SECONDS + 120))
  until [[ -s "$RUN_DIR/fixture-urls.json" ]]; do
    if ((SECONDS > deadline)) || ! kill -0 "$(pid_of fixture-upstream)" 2>/dev/null; then
      log "the fixture upstream did not start (see $RUN_DIR/logs/fixture-upstream.log)"; forget fixture-upstream; return 0
    fi
    sleep 0.2
  done
  FIXTURE_NPM="$(node -p "require('$RUN_DIR/fixture-urls.json').npm")"
  FIXTURE_PYPI_INDEX="$(node -p "require('$RUN_DIR/fixture-urls.json').pypiIndex")"
  FIXTURE_PYPI_FILES="$(node -p "require('$RUN_DIR/fixture-urls.json').pypiFiles")"
}

# fixture_faulty <set> <origin>: the URL of the fault proxy of that set in front of that origin (npm, pypiIndex,
# pypiFiles; lib/fixture-upstream.mjs), empty without the fixture upstream.
fixture_faulty() {
  [[ -s "$RUN_DIR/fixture-urls.json" ]] || return 0
  node -p "require('$RUN_DIR/fixture-urls.json').faulty['$1']['$2']"
}

start_static_servers() {
  needs node-static || needs nginx || return 0
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
  needs verdaccio || return 0
  node "$BENCH_DIR/lib/load-verdaccio.mjs" "$DATA" "$RUN_DIR/verdaccio" "$PORT_VERDACCIO" $FIXTURE_NPM
  start_bg verdaccio "$PORT_VERDACCIO" "$RUN_DIR/logs/verdaccio.log" \
    node "$BENCH_CACHE/verdaccio/node_modules/verdaccio/bin/verdaccio" --config "$RUN_DIR/verdaccio/config.yaml"
  wait_http verdaccio "http://127.0.0.1:$PORT_VERDACCIO/-/ping" || true
}

# devpi's server dir is built once per data set (devpi-import of a generated dump, ~1 min) and copied per run.
# With the fixture upstream it also gets root/tree, a mirror index of it (the pull-through cases).
start_devpi() {
  needs devpi || return 0
  local pristine="$BENCH_CACHE/devpi-$DATA_KEY" lock
  exec {lock}>"$pristine.lock"
  flock "$lock" # the cache is shared by every run on this machine
  if [[ ! -d "$pristine/server" ]]; then
    log "building devpi's index from the data set (once per data set)"
    rm -rf "$pristine.tmp" && mkdir -p "$pristine.tmp"
    node "$BENCH_DIR/lib/devpi-dump.mjs" "$DATA" "$pristine.tmp/dump"
    "$BENCH_CACHE/venv/bin/devpi-import" --serverdir "$pristine.tmp/server" --no-root-pypi "$pristine.tmp/dump" >"$RUN_DIR/logs/devpi-import.log" 2>&1
    rm -rf "$pristine.tmp/dump" && mv "$pristine.tmp" "$pristine"
  fi
  exec {lock}>&-
  cp -a "$pristine/server" "$RUN_DIR/devpi-server"
  start_bg devpi "$PORT_DEVPI" "$RUN_DIR/logs/devpi.log" \
    "$BENCH_CACHE/venv/bin/devpi-server" --serverdir "$RUN_DIR/devpi-server" --host 127.0.0.1 --port "$PORT_DEVPI"
  wait_http devpi "http://127.0.0.1:$PORT_DEVPI/+api" 120 || return 0
  if [[ -n "$FIXTURE_PYPI_INDEX" ]]; then
    local client=(--clientdir "$RUN_DIR/devpi-client")
    { "$BENCH_CACHE/venv/bin/devpi" use "${client[@]}" "http://127.0.0.1:$PORT_DEVPI" \
      && "$BENCH_CACHE/venv/bin/devpi" login "${client[@]}" root --password rootpw \
      && "$BENCH_CACHE/venv/bin/devpi" index "${client[@]}" -c root/tree type=mirror "mirror_url=$FIXTURE_PYPI_INDEX/" mirror_cache_expiry=3600
    } >"$RUN_DIR/logs/devpi-client.log" 2>&1 || log "devpi: could not create the mirror index root/tree (see logs/devpi-client.log)"
  fi
}

# proxpi is a caching proxy only (it cannot host files): its upstream is the devpi index above, and the
# warm-up request of each case fills its cache, so the measured requests are cache hits.
# proxpi-tree is a second instance whose upstream is the fixture (the pull-through cases).
start_proxpi() {
  needs proxpi || needs proxpi-tree || return 0
  "$BENCH_CACHE/venv/bin/python" -c 'import proxpi, gunicorn' 2>/dev/null || { log "proxpi is not installed"; return 0; }
  if needs proxpi && [[ -n "$(pid_of devpi)" ]]; then
    start_proxpi_instance proxpi "$PORT_PROXPI" "http://127.0.0.1:$PORT_DEVPI/bench/dev/+simple/"
  fi
  if needs proxpi-tree && [[ -n "$FIXTURE_PYPI_INDEX" ]]; then start_proxpi_instance proxpi-tree "$PORT_PROXPI_TREE" "$FIXTURE_PYPI_INDEX/"; fi
}

start_proxpi_instance() { # <system> <port> <index url>
  start_bg "$1" "$2" "$RUN_DIR/logs/$1.log" env \
    PROXPI_INDEX_URL="$3" PROXPI_CACHE_DIR="$RUN_DIR/$1-cache" PROXPI_INDEX_TTL=3600 \
    PROXPI_LOGGING_LEVEL=WARNING PROXPI_DOWNLOAD_TIMEOUT=30 \
    "$BENCH_CACHE/venv/bin/gunicorn" --bind "127.0.0.1:$2" --workers 2 --threads 8 --preload proxpi.server:app
  wait_http "$1" "http://127.0.0.1:$2/health" || true
}
