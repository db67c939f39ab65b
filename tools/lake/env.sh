# shellcheck shell=bash
# Sourced by tools/lake/*.sh: installs (or finds, cached) the lake's venv and jars, and exports
# LAKE_VENV_DIR, LAKE_JARS_DIR, LAKE_PYTHON and LAKE_JOB_DIR. Loads .services/env when present, so a
# local run talks to the services of tools/services/up.sh; variables already set win.
LAKE_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export LAKE_JOB_DIR="$LAKE_REPO_ROOT/infra/lake/job"

while IFS='=' read -r name value; do
  case "$name" in LAKE_VENV_DIR | LAKE_JARS_DIR) export "$name=$value" ;; esac
done < <(bash "$LAKE_REPO_ROOT/tools/lake/install.sh")
: "${LAKE_VENV_DIR:?tools/lake/install.sh failed (its output is above)}"
export LAKE_PYTHON="$LAKE_VENV_DIR/bin/python"

lake_services_env="${REGISTRY_SERVICES_DIR:-$LAKE_REPO_ROOT/.services}/env"
if [[ -f "$lake_services_env" ]]; then
  while IFS= read -r line; do
    line="${line#export }"
    name="${line%%=*}"
    # shellcheck disable=SC2163 # exports NAME=value as written in the env file
    [[ -n "$name" && -z "${!name:-}" ]] && export "$line"
  done <"$lake_services_env"
fi
unset lake_services_env
