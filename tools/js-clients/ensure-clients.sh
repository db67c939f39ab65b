#!/usr/bin/env bash
# Installs the pinned JavaScript package-manager clients used by the npm-proxy e2e suites (npm itself comes
# with Node). Idempotent: a client already at its pinned version is not reinstalled.
# Prints one line per client: <name>=<absolute path of its executable>.
set -euo pipefail

PNPM_VERSION="12.21.0"
YARN_CLASSIC_VERSION="1.22.22"
YARN_BERRY_VERSION="4.18.1"   # @yarnpkg/cli-dist

ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/pkg-registry/js-clients"
mkdir -p "$ROOT"

installed_version() { # <prefix> <package>
  node -e 'try { console.log(require(process.argv[1] + "/node_modules/" + process.argv[2] + "/package.json").version) } catch { console.log("") }' "$1" "$2"
}

ensure() { # <dir> <package> <version>
  local prefix="$ROOT/$1"
  if [[ "$(installed_version "$prefix" "$2")" != "$3" ]]; then
    mkdir -p "$prefix"
    # --prefix keeps each client in its own tree; no global install, no project files touched.
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "$2@$3" >&2
  fi
}

ensure pnpm pnpm "$PNPM_VERSION"
ensure yarn-classic yarn "$YARN_CLASSIC_VERSION"
ensure yarn-berry @yarnpkg/cli-dist "$YARN_BERRY_VERSION"

echo "pnpm=$ROOT/pnpm/node_modules/pnpm/bin/pnpm.mjs"
echo "yarn=$ROOT/yarn-classic/node_modules/yarn/bin/yarn.js"
echo "berry=$ROOT/yarn-berry/node_modules/@yarnpkg/cli-dist/bin/yarn.js"
