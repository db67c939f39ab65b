#!/usr/bin/env bash
# Creates (once) a virtualenv with the Python packaging clients the pypi-proxy e2e suite drives for real,
# pinned so runs are reproducible, and prints its path on stdout. Idempotent: a venv whose stamp matches
# the pins is reused. Packages come from the machine's configured index (pip's own config); no host here.
set -euo pipefail

PINS=(twine==7.0.0 uv==0.13.8 poetry==2.5.1 build==1.6.1 wheel==0.48.0 setuptools==84.2.1)
VENV="${XDG_CACHE_HOME:-$HOME/.cache}/pkg-registry/py-clients"
STAMP="$VENV/.pins"
PYTHON="${PYTHON:-python3}"

if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "${PINS[*]}" ]]; then
  echo "$VENV"
  exit 0
fi

mkdir -p "$(dirname "$VENV")"
# Serialise concurrent callers (two e2e runs at once) on a lock next to the venv.
exec 9>"$VENV.lock"
flock 9
if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "${PINS[*]}" ]]; then
  echo "$VENV"
  exit 0
fi

# shellcheck source=../scripts/prereqs.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/prereqs.sh"
require_prereqs python3
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV" >&2
"$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
"$VENV/bin/python" -m pip install --quiet "${PINS[@]}" >&2
printf '%s' "${PINS[*]}" >"$STAMP"
echo "$VENV"
