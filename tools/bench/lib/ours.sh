# Starts our proxies (built from source into tools/bench/.build) and loads the data sets into them through
# their real APIs: npm publish (PUT /<name>) and the PyPI legacy upload, in bulk (several in flight). Loading
# thousands of packages takes minutes, so each loaded fs data dir is kept in the bench cache, keyed by its data
# set and by the sources that define the stored format; each run works on a copy. The S3 instances get only
# the files their cases read, under a fresh key prefix per run.
# Instances: ours-{npm,pypi}-fs (+ -audit: same store, audit on), ours-{npm,pypi}-s3 (+ -redirect: same
# objects, STORAGE_DOWNLOAD_REDIRECT=presigned), ours-{npm,pypi}-up (empty cache in front of the fixture
# upstream), ours-{npm,pypi}-{few,10k} (MANY_FEW and MANY_COUNT local packages), ours-{npm,pypi}-{stale,hang}
# (pull-through with metadata always past its TTL, each behind its own set of fault proxies: healthy, and one
# the install driver makes hang on connect once the cache is warm).
# shellcheck shell=bash

BENCH_USER=bench
BENCH_PASSWORD=bench-password-1

# The image's V8 heap settings (its `ENV NODE_OPTIONS=` line): our apps run here as they run deployed.
image_node_options() {
  sed -n 's/^ENV NODE_OPTIONS="\(.*\)"$/\1/p' "$REPO/infra/docker/Dockerfile"
}

ours_env() { # common env of every instance of ours
  printf '%s\n' HOST=127.0.0.1 LOG_LEVEL=warn "REGISTRY_ADMIN_USER=$BENCH_USER" "REGISTRY_ADMIN_PASSWORD=$BENCH_PASSWORD" \
    "NODE_OPTIONS=$(image_node_options)"
}

# OURS_TREE (default this repository): whose sources and bundles start_app and loaded_data_dir use; set
# by lib/baselines.sh to another revision's tree.
# Hash of what decides the on-disk format of a loaded store (so a format change reloads the cache).
store_format_key() {
  local tree="${OURS_TREE:-$REPO}"
  find "$tree/libs/storage/blob-store/src" "$tree/libs/storage/blob-store-fs/src" "$tree/libs/auth/identity/src" "$@" \
    -name '*.ts' ! -name '*.spec.ts' -type f -print0 2>/dev/null | sort -z | xargs -0 cat | sha256sum | cut -c1-12
}

# start_app <system> <app> <port> [VAR=value ...]: runs one of our bundles with the common env plus the given
# vars. BENCH_PROFILE=1: with --cpu-prof into $RUN_DIR/profiles/<system> (written when it stops).
start_app() {
  local system="$1" app="$2" port="$3"
  shift 3
  local -a vars node=(node)
  mapfile -t vars < <(ours_env)
  if [[ "${BENCH_PROFILE:-}" == 1 && "$system" != *-loader ]]; then
    mkdir -p "$RUN_DIR/profiles/$system"
    node+=(--cpu-prof "--cpu-prof-dir=$RUN_DIR/profiles/$system")
  fi
  start_bg "$system" "$port" "$RUN_DIR/logs/$system.log" env "${vars[@]}" "$@" "${node[@]}" "${OURS_TREE:-$REPO}/tools/bench/.build/$app/main.js"
}

# loaded_data_dir <app> <port> <name> <data key> <loader...>: prints a fresh copy of the cached loaded store
# <name>, loading it first (with a temporary instance on <port>) when the cache has none for this key.
loaded_data_dir() {
  local app="$1" port="$2" name="$3" data_key="$4" key pristine started lock port_var="${1^^}"
  port_var="${port_var//-/_}_PORT"
  shift 4
  key="$(store_format_key "${OURS_TREE:-$REPO}/libs/${app%-proxy}")-$data_key"
  pristine="$BENCH_CACHE/ours-$app-$name-$key"
  if [[ ! -d "$pristine" ]]; then
    # The cache is shared by every run on this machine: one loader per store at a time.
    exec {lock}>"$pristine.lock"
    flock "$lock"
    if [[ ! -d "$pristine" ]]; then
      log "loading the $name data set into $app through its API (once per data set and store format)"
      started=$SECONDS
      rm -rf "$pristine.tmp"
      start_app "$app-loader" "$app" "$port" "$port_var=$port" STORAGE_DRIVER=fs "DATA_DIR=$pristine.tmp"
      if ! wait_http "$app-loader" "http://127.0.0.1:$port/-/health" 60 >&2 || ! "$@" "http://127.0.0.1:$port" >&2; then
        forget "$app-loader"
        exec {lock}>&-
        return 1
      fi
      stop_and_wait "$app-loader"
      mv "$pristine.tmp" "$pristine"
      log "loaded the $name data set into $app in $((SECONDS - started)) s"
    fi
    exec {lock}>&-
  fi
  # One copy per store and key in a run: instances asking for the same one (another revision with the same
  # format) share it, as the fs store allows.
  local copy="$RUN_DIR/$app-$name-$key-data"
  if [[ -d "$copy" ]]; then printf '%s\n' "$copy"; return 0; fi
  started=$SECONDS
  # A hard-linked copy (a copy of the 10,000-package store takes tens of seconds): safe because the fs store
  # never writes into an existing file; it creates new ones ('wx') and renames them over, or unlinks.
  # (A plain copy when the cache and /tmp are different filesystems.)
  cp -al "$pristine" "$copy" 2>/dev/null || { rm -rf "$copy"; cp -a "$pristine" "$copy"; }
  ((SECONDS - started < 5)) || log "copying the $name store of $app took $((SECONDS - started)) s"
  printf '%s\n' "$copy"
}

npm_loader() { # npm_loader <packages dir> [npm-publish options] <registry url>
  node "$BENCH_DIR/lib/npm-publish.mjs" "$1" "${@: -1}" "$BENCH_USER" "$BENCH_PASSWORD" "${@:2:$#-2}"
}
pypi_loader() { # pypi_loader <projects dir> [pypi-upload options] <index url>
  node "$BENCH_DIR/lib/pypi-upload.mjs" "$1" "${@: -1}/legacy/" "$BENCH_USER" "$BENCH_PASSWORD" "${@:2:$#-2}"
}

start_gateway() {
  needs audit-gateway && [[ -f "$BENCH_DIR/.build/audit-gateway/main.js" && -n "${KAFKA_BROKERS:-}" ]] || return 1
  start_bg audit-gateway "$PORT_GATEWAY" "$RUN_DIR/logs/audit-gateway.log" env HOST=127.0.0.1 LOG_LEVEL=warn "NODE_OPTIONS=$(image_node_options)" \
    "AUDIT_GATEWAY_PORT=$PORT_GATEWAY" "AUDIT_GATEWAY_HTTP_PORT=$PORT_GATEWAY_HTTP" "KAFKA_BROKERS=$KAFKA_BROKERS" \
    "KAFKA_AUDIT_TOPIC=bench-audit-$BENCH_S3_PREFIX" "DATA_DIR=$RUN_DIR/gateway" node "$BENCH_DIR/.build/audit-gateway/main.js"
  wait_http audit-gateway "http://127.0.0.1:$PORT_GATEWAY_HTTP/-/ready" 90
}

# start_instance <system> <app> <port> [VAR=value ...]: start_app + wait for health, when a case needs it.
start_instance() {
  needs "$1" || return 0
  local port_var="NPM_PROXY_PORT"
  [[ "$2" == pypi-proxy ]] && port_var=PYPI_PROXY_PORT
  start_app "$1" "$2" "$3" "$port_var=$3" "${@:4}"
  wait_http "$1" "http://127.0.0.1:$3/-/health" || true
}

# start_family <npm|pypi>: every instance of that proxy the selected cases need (ports PORT_<NPM|PYPI>_<role>).
start_family() {
  local eco="$1" app="$1-proxy" loader="$1_loader" data s3_url size only upstream=()
  local s3="STORAGE_PREFIX=$BENCH_S3_PREFIX/$eco/"
  [[ -f "$BENCH_DIR/.build/$app/main.js" ]] || return 0
  port() { local v="PORT_${eco^^}_$1"; printf '%s' "${!v}"; }
  if needs "ours-$eco-fs" || needs "ours-$eco-fs-audit"; then
    # Two processes on one fs store (supported: the fs store is multi-process safe); one with audit on.
    data="$(loaded_data_dir "$app" "$(port FS)" main "$DATA_KEY" "$loader" "$DATA/$eco")" && {
      start_instance "ours-$eco-fs" "$app" "$(port FS)" STORAGE_DRIVER=fs "DATA_DIR=$data"
      [[ -z "$audit" ]] || start_instance "ours-$eco-fs-audit" "$app" "$(port AUDIT)" STORAGE_DRIVER=fs "DATA_DIR=$data" "$audit"
    }
  fi
  start_instance "ours-$eco-s3" "$app" "$(port S3)" STORAGE_DRIVER=s3 "$s3"
  start_instance "ours-$eco-s3-redirect" "$app" "$(port S3_REDIRECT)" STORAGE_DRIVER=s3 "$s3" STORAGE_DOWNLOAD_REDIRECT=presigned
  # One load for both S3 instances (they share the key prefix): only the files their rows read.
  only=bench-files-10
  [[ "$eco" == npm ]] && only=bench-tar-10k,bench-tar-200k,bench-tar-2m
  s3_url="$(url_of "ours-$eco-s3" || url_of "ours-$eco-s3-redirect")" || true
  [[ -z "$s3_url" ]] || "$loader" "$DATA/$eco" --only "$only" "$s3_url" || { forget "ours-$eco-s3"; forget "ours-$eco-s3-redirect"; }
  # Pull-through: cached metadata stays fresh for an hour, so a warm run never revalidates.
  [[ "$eco" == npm && -n "$FIXTURE_NPM" ]] && upstream=("NPM_UPSTREAM_URL=$FIXTURE_NPM" NPM_METADATA_TTL_SECONDS=3600)
  [[ "$eco" == pypi && -n "$FIXTURE_PYPI_INDEX" ]] && upstream=("PYPI_UPSTREAM_URL=$FIXTURE_PYPI_INDEX" "PYPI_UPSTREAM_FILES_URL=$FIXTURE_PYPI_FILES" PYPI_METADATA_TTL_SECONDS=3600)
  ((${#upstream[@]} == 0)) || start_instance "ours-$eco-up" "$app" "$(port UP)" STORAGE_DRIVER=fs "DATA_DIR=$RUN_DIR/ours-$eco-up-data" "${upstream[@]}"
  start_behind_faults "$eco" stale healthy
  start_behind_faults "$eco" hang hanging
  for size in few 10k; do
    needs "ours-$eco-$size" || continue
    data="$(loaded_data_dir "$app" "$(port "${size^^}")" "$size" "$DATA_MANY_KEY" "$loader" "$DATA_MANY/$eco" --concurrency 8 $([[ $size == few ]] && echo --first "$MANY_FEW"))" \
      && start_instance "ours-$eco-$size" "$app" "$(port "${size^^}")" STORAGE_DRIVER=fs "DATA_DIR=$data"
  done
}

# start_behind_faults <npm|pypi> <role> <fault set>: ours-<eco>-<role>, a pull-through cache whose upstream is the
# fixture behind the fault proxies of set <eco>-<set>. TTL 0: every cached document is past its freshness, so
# each request would revalidate. The timeouts are the apps' defaults, set here so the driver can read what they
# were (/proc/<pid>/environ) and set against the first request after the fault.
start_behind_faults() {
  local eco="$1" system="ours-$1-$2" set="$1-$3" role="${2^^}" vars=()
  needs "$system" && [[ -s "$RUN_DIR/fixture-urls.json" ]] || return 0
  if [[ "$eco" == npm ]]; then
    vars=("NPM_UPSTREAM_URL=$(fixture_faulty "$set" npm)" NPM_METADATA_TTL_MS=0 NPM_UPSTREAM_CONNECT_TIMEOUT_MS=10000 NPM_UPSTREAM_TIMEOUT_MS=30000)
  else
    vars=("PYPI_UPSTREAM_URL=$(fixture_faulty "$set" pypiIndex)" "PYPI_UPSTREAM_FILES_URL=$(fixture_faulty "$set" pypiFiles)"
      PYPI_METADATA_TTL_MS=0 PYPI_UPSTREAM_CONNECT_TIMEOUT_MS=5000 PYPI_UPSTREAM_TIMEOUT_MS=30000)
  fi
  start_instance "$system" "$eco-proxy" "$(port "$role")" STORAGE_DRIVER=fs "DATA_DIR=$RUN_DIR/$system-data" "${vars[@]}"
}

start_ours() {
  local app audit=""
  for app in npm-proxy pypi-proxy audit-gateway; do
    node "$BENCH_DIR/lib/build-ours.mjs" "$app" || log "$app does not build: its rows read 'not available'"
  done
  if start_gateway; then audit="AUDIT_GATEWAY_ADDR=127.0.0.1:$PORT_GATEWAY"; fi
  start_family npm
  start_family pypi
}
