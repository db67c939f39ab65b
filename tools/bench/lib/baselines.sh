# BENCH_BASELINE=<rev>[,<rev>...]: our proxies built from other git revisions, started next to the current
# build as ours-npm-fs@<short rev> and ours-pypi-fs@<short rev> (lib/baselines.mjs adds their rows). Per
# revision, all cached in $BENCH_CACHE and reused by later runs:
#   baseline-src-<sha>        the revision's files (`git archive`: a snapshot, nothing registered in the repo)
#   baseline-deps-<lock hash> its own `npm ci` (keyed by its package-lock.json; revisions with one lock share it;
#                             this checkout's node_modules when the lock is the same), linked as <tree>/node_modules
#   <tree>/libs/audit/proto/src/generated  its audit proto codegen (its own script, when missing)
#   <tree>/tools/bench/.build the apps bundled by this build's lib/build-ours.mjs pointed at the tree
#   ours-<app>-main-baseline-<key>  its store, loaded through its own API like ours (lib/ours.sh), keyed by its
#                             own store-format sources: revisions with the same format share one load
# The stores leave out BASELINE_LEFT_OUT of lib/baselines.mjs (the 3,000-version package and the 2,000-file
# project: serial chains of thousands of writes); the cases that read them get no baseline rows.
# Ports: BENCH_PORT_BASE + 40 + 2i (npm) and + 41 + 2i (pypi) for the i-th revision.
# shellcheck shell=bash

# Variables the bench sets whose name changed: "<current name> <older name> <divisor>" (the value is divided,
# e.g. ms → s). A revision whose config does not know the current name gets the older one. The fs instances
# set only HOST, LOG_LEVEL, REGISTRY_ADMIN_*, *_PROXY_PORT, STORAGE_DRIVER and DATA_DIR, which every revision
# since the convergence's parent reads; the renames the convergence made are listed for any row that sets them.
BASELINE_ENV_RENAMES=(
  "NPM_METADATA_TTL_MS NPM_METADATA_TTL_SECONDS 1000"
  "NPM_NOT_FOUND_TTL_MS NPM_NOT_FOUND_TTL_SECONDS 1000"
  "NPM_UPSTREAM_TIMEOUT_MS NPM_UPSTREAM_TIMEOUT_SECONDS 1000"
  "NPM_PRIVATE_RECHECK_MS NPM_LOCAL_REVALIDATE_MS 1"
  "NPM_METADATA_CACHE_BYTES NPM_PACKUMENT_CACHE_BYTES 1"
  "PYPI_METADATA_TTL_MS PYPI_METADATA_TTL_SECONDS 1000"
  "PYPI_NOT_FOUND_TTL_MS PYPI_NEGATIVE_TTL_SECONDS 1000"
  "PYPI_METADATA_CACHE_BYTES PYPI_PAGE_CACHE_MAX_BYTES 1"
)

# resolve_baselines: BENCH_BASELINE → BENCH_BASELINE_REVS (short hashes, read by lib/cases.mjs); exits on an unknown revision.
resolve_baselines() {
  local rev short revs=()
  [[ -n "${BENCH_BASELINE:-}" ]] || return 0
  for rev in ${BENCH_BASELINE//,/ }; do
    short="$(git -C "$REPO" rev-parse --short=7 --verify --quiet "$rev^{commit}")" || { log "BENCH_BASELINE: no revision $rev in $REPO"; exit 2; }
    revs+=("$short")
  done
  export BENCH_BASELINE_REVS="${revs[*]}"
}

# baseline_env <tree> <app> VAR=value...: the same settings, named as that revision's config names them.
baseline_env() {
  local config="$1/apps/$2/src/config.ts" kv name value entry current older divisor
  shift 2
  for kv in "$@"; do
    name="${kv%%=*}" value="${kv#*=}"
    if ! grep -qE "^\s+$name:" "$config"; then
      for entry in "${BASELINE_ENV_RENAMES[@]}"; do
        read -r current older divisor <<<"$entry"
        if [[ "$current" == "$name" ]] && grep -qE "^\s+$older:" "$config"; then name="$older" value=$((value / divisor)); fi
      done
    fi
    printf '%s=%s\n' "$name" "$value"
  done
}

# baseline_tree <short rev>: prints the revision's tree with its dependencies, proto code and bundles ready.
baseline_tree() {
  local sha tree deps lock_key lock app
  sha="$(git -C "$REPO" rev-parse "$1^{commit}")"
  tree="$BENCH_CACHE/baseline-src-$sha"
  exec {lock}>"$tree.lock"
  flock "$lock"
  if [[ ! -d "$tree" ]]; then
    rm -rf "$tree.tmp" && mkdir -p "$tree.tmp"
    git -C "$REPO" archive "$sha" | tar -x -C "$tree.tmp"
    mv "$tree.tmp" "$tree"
  fi
  lock_key="$(sha256sum <"$tree/package-lock.json" | cut -c1-12)"
  deps="$BENCH_CACHE/baseline-deps-$lock_key"
  # The same lock as this checkout: its installed packages are that install.
  [[ "$lock_key" != "$(sha256sum <"$REPO/package-lock.json" | cut -c1-12)" || ! -d "$REPO/node_modules" ]] || deps="$REPO"
  if [[ ! -d "$deps/node_modules" ]]; then
    log "installing the dependencies of $1 (npm ci, once per package-lock: minutes)"
    rm -rf "$deps.tmp" && mkdir -p "$deps.tmp"
    cp "$tree/package.json" "$tree/package-lock.json" "$deps.tmp/"
    # No install scripts: the bench needs the packages only (esbuild and buf come as platform packages).
    (cd "$deps.tmp" && npm ci --ignore-scripts --no-audit --no-fund >"$RUN_DIR/logs/baseline-$1-npm-ci.log" 2>&1) || { exec {lock}>&-; return 1; }
    rm -rf "$deps" && mv "$deps.tmp" "$deps"
  fi
  ln -sfn "$deps/node_modules" "$tree/node_modules"
  if [[ ! -d "$tree/libs/audit/proto/src/generated" ]]; then
    (cd "$tree" && node libs/audit/proto/scripts/codegen.mjs) >"$RUN_DIR/logs/baseline-$1-codegen.log" 2>&1 || { exec {lock}>&-; return 1; }
  fi
  for app in npm-proxy pypi-proxy; do
    node "$BENCH_DIR/lib/build-ours.mjs" "$app" "$tree" >"$RUN_DIR/logs/baseline-$1-build-$app.log" 2>&1 || { exec {lock}>&-; return 1; }
  done
  exec {lock}>&-
  printf '%s\n' "$tree"
}

# start_baselines: every revision's ours-npm-fs@<rev> / ours-pypi-fs@<rev> the selected cases need.
start_baselines() {
  local rev i=0 eco system tree data only port
  for rev in ${BENCH_BASELINE_REVS:-}; do
    i=$((i + 1))
    needs "ours-npm-fs@$rev" || needs "ours-pypi-fs@$rev" || continue
    log "building $rev for the baseline rows (cached in $BENCH_CACHE)"
    tree="$(baseline_tree "$rev")" || { log "$rev does not build (see $RUN_DIR/logs/baseline-$rev-*.log): its rows read 'not available'"; continue; }
    for eco in npm pypi; do
      system="ours-$eco-fs@$rev"
      needs "$system" || continue
      port=$(("${BENCH_PORT_BASE:-18400}" + 38 + 2 * i))
      [[ "$eco" == npm ]] || port=$((port + 1))
      only="$(ls "$DATA/$eco" | grep -vxF -f <(node --input-type=module -e "console.log((await import('$BENCH_DIR/lib/baselines.mjs')).BASELINE_LEFT_OUT.$eco.join('\n'))") | paste -sd,)"
      # OURS_TREE: start_app and loaded_data_dir (lib/ours.sh) run that tree's bundle and key its store by its sources.
      data="$(OURS_TREE="$tree" loaded_data_dir "$eco-proxy" "$port" main-baseline "$DATA_KEY" "${eco}_loader" "$DATA/$eco" --only "$only")" || continue
      local -a vars
      mapfile -t vars < <(baseline_env "$tree" "$eco-proxy" "${eco^^}_PROXY_PORT=$port" STORAGE_DRIVER=fs "DATA_DIR=$data")
      OURS_TREE="$tree" start_app "$system" "$eco-proxy" "$port" "${vars[@]}"
      wait_http "$system" "http://127.0.0.1:$port/-/health" || true
    done
  done
}
