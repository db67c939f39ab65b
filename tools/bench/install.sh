#!/usr/bin/env bash
# Installs the reference systems and load generator used by the benchmark, idempotently, cached per user in
# "$BENCH_CACHE" (default ${XDG_CACHE_HOME:-$HOME/.cache}/pkg-registry/bench). Prints nothing on a warm cache.
#   verdaccio/  Verdaccio 6.8.0 in its own npm prefix (node-fetch pinned by an npm override)
#   venv/       devpi-server + devpi-init (PyPI), and proxpi when it installs
#   nginx/      Debian's nginx binary extracted with dpkg -x (never starts the distro service on port 80)
#   wrk         Debian's wrk (apt-get; root)
#   clients     the project's pinned pnpm (tools/js-clients) and pip + uv venv (tools/python), cached by those
#               scripts under ~/.cache/pkg-registry; their paths go to clients.env (BENCH_PNPM, BENCH_PY_VENV)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH_CACHE="${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pkg-registry/bench}"
mkdir -p "$BENCH_CACHE"
exec 9>"$BENCH_CACHE/.install.lock"
flock 9
log() { printf '[bench-install] %s\n' "$*" >&2; }

VERDACCIO_VERSION=6.8.0
if [[ ! -x "$BENCH_CACHE/verdaccio/node_modules/.bin/verdaccio" ]]; then
  log "installing verdaccio $VERDACCIO_VERSION"
  mkdir -p "$BENCH_CACHE/verdaccio"
  # verdaccio-audit asks for node-fetch by a dist-tag this machine's registry does not serve: pin it.
  cat >"$BENCH_CACHE/verdaccio/package.json" <<JSON
{ "name": "bench-verdaccio", "private": true,
  "dependencies": { "verdaccio": "$VERDACCIO_VERSION" },
  "overrides": { "node-fetch": "2.7.0" } }
JSON
  (cd "$BENCH_CACHE/verdaccio" && npm install --no-audit --no-fund --loglevel=error >&2)
fi

if [[ ! -x "$BENCH_CACHE/venv/bin/devpi-server" ]]; then
  log "installing devpi-server"
  python3 -m venv "$BENCH_CACHE/venv"
  "$BENCH_CACHE/venv/bin/pip" install -q --disable-pip-version-check devpi-server devpi-client >&2
fi
if ! "$BENCH_CACHE/venv/bin/python" -c "import proxpi, gunicorn" 2>/dev/null && [[ ! -e "$BENCH_CACHE/proxpi.failed" ]]; then
  log "installing proxpi (optional)"
  "$BENCH_CACHE/venv/bin/pip" install -q --disable-pip-version-check proxpi gunicorn >&2 \
    || { log "proxpi did not install; its rows will read 'not available'"; touch "$BENCH_CACHE/proxpi.failed"; }
fi

# shellcheck source=../scripts/prereqs.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/prereqs.sh"
ensure_apt_command wrk wrk

if [[ ! -x "$BENCH_CACHE/nginx/usr/sbin/nginx" ]]; then
  log "fetching nginx (Debian) into $BENCH_CACHE/nginx"
  tmp="$(mktemp -d)"
  (cd "$tmp" && { apt-get download nginx >&2 || { apt-get update -qq >&2 && apt-get download nginx >&2; }; })
  dpkg -x "$tmp"/nginx_*.deb "$BENCH_CACHE/nginx"
  rm -rf "$tmp"
  if ldd "$BENCH_CACHE/nginx/usr/sbin/nginx" | grep -q 'not found'; then
    log "installing nginx's shared libraries"
    apt-get install -y -qq --no-install-recommends libpcre2-8-0 libssl3 zlib1g libcrypt1 >&2
  fi
fi

# The real clients of the install cases (npm ships with Node).
pnpm_path="$(bash "$REPO/tools/js-clients/ensure-clients.sh" | sed -n 's/^pnpm=//p')"
py_venv="$(bash "$REPO/tools/python/ensure-clients.sh")"
printf 'BENCH_PNPM=%s\nBENCH_PY_VENV=%s\n' "$pnpm_path" "$py_venv" >"$BENCH_CACHE/clients.env.tmp"
mv "$BENCH_CACHE/clients.env.tmp" "$BENCH_CACHE/clients.env"
