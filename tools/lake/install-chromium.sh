#!/usr/bin/env bash
# Installs Debian's chromium when it is missing (apt-get, as root), for the lake tests that render the HTML
# report headless and screenshot it. Idempotent and serialised with a lock; prints the binary's path.
set -euo pipefail
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/pkg-registry"
log() { printf '[lake-chromium] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.chromium-install.lock"
flock 9
if ! command -v chromium >/dev/null; then
  command -v apt-get >/dev/null || die "chromium is missing and there is no apt-get to install it (Debian package: chromium)"
  log "apt-get install -y chromium"
  apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq >&2 && apt-get install -y -qq chromium >&2; } ||
    die "apt-get install -y chromium failed"
  command -v chromium >/dev/null || die "apt-get installed chromium but it is not on PATH"
fi
command -v chromium
