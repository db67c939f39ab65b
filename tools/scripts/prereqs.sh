# shellcheck shell=bash
# The machine-level prerequisites of the project's scripts and tests, checked in one place so that a
# missing one fails at once, naming it and saying how to install it, never deep inside a test.
# Source it, then:
#   require_prereqs java mvn go python3   # exits 1 listing every missing one with its install line
#   ensure_apt_command kcat kcat          # installs a Debian package when its command is missing (as root)
# Run directly (`bash tools/scripts/prereqs.sh`), it checks everything `npm test` needs.

# How to install each prerequisite; versions are the oldest the project's scripts work with.
prereq_hint() {
  case "$1" in
    node) echo 'Node.js 20.11 or newer with npm (the project runs on Node 20)' ;;
    java) echo 'Java 17 or newer: apt-get install -y openjdk-17-jre-headless (Kafka and Spark run on it)' ;;
    mvn) echo 'Maven: apt-get install -y maven (fetches the Kafka and Spark jars)' ;;
    go) echo 'Go 1.26 or newer on PATH (builds versitygw and helm; Debian'"'"'s golang-go is too old; the project'"'"'s machines have it in /usr/local/go/bin)' ;;
    python3) echo 'Python 3.11 or newer with venv: apt-get install -y python3 python3-venv (the Python clients and the lake)' ;;
    git) echo 'git: apt-get install -y git' ;;
    flock) echo 'flock: apt-get install -y util-linux' ;;
    script) echo 'script: apt-get install -y bsdutils (npm login needs a pseudo-terminal)' ;;
    curl) echo 'curl: apt-get install -y curl' ;;
    *) echo "install $1" ;;
  esac
}

# Prints nothing and returns 0 when the prerequisite is usable, else prints why.
prereq_problem() {
  case "$1" in
    java)
      command -v "${JAVA_HOME:+$JAVA_HOME/bin/}java" >/dev/null || { echo 'not found'; return; }
      local v
      v="$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1)"
      [[ -n "$v" && "$v" -ge 17 ]] || echo "version ${v:-unknown} is older than 17"
      ;;
    python3)
      command -v "${PYTHON:-python3}" >/dev/null || { echo 'not found'; return; }
      "${PYTHON:-python3}" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null ||
        echo "$("${PYTHON:-python3}" --version 2>&1) is older than 3.11 or has no venv/ensurepip module"
      ;;
    go)
      command -v go >/dev/null || { echo 'not found'; return; }
      local v
      v="$(go env GOVERSION 2>/dev/null | sed -n 's/^go\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')"
      read -r major minor <<<"${v:-0 0}"
      ((major > 1 || (major == 1 && minor >= 26))) || echo "$(go env GOVERSION 2>/dev/null || echo unknown) is older than go1.26"
      ;;
    *) command -v "$1" >/dev/null || echo 'not found' ;;
  esac
}

require_prereqs() {
  local missing=0 name problem
  for name in "$@"; do
    problem="$(prereq_problem "$name")"
    if [[ -n "$problem" ]]; then
      printf 'missing prerequisite: %s (%s)\n  install: %s\n' "$name" "$problem" "$(prereq_hint "$name")" >&2
      missing=1
    fi
  done
  ((missing == 0)) || exit 1
}

# ensure_apt_command <command> <debian package>: installs the package when the command is missing.
ensure_apt_command() {
  local cmd="$1" pkg="$2" t0
  command -v "$cmd" >/dev/null && return 0
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
    printf 'missing prerequisite: %s\n  install: apt-get install -y %s (as root)\n' "$cmd" "$pkg" >&2
    exit 1
  fi
  t0=$(date +%s)
  printf '[prereqs] %s: apt-get install -y %s\n' "$cmd" "$pkg" >&2
  # Serialised: two installers at once would fight over dpkg's lock.
  local lock="${XDG_CACHE_HOME:-$HOME/.cache}/pkg-registry/.apt.lock"
  mkdir -p "$(dirname "$lock")"
  local out="${lock%.lock}.$pkg.log"
  (
    flock -w 600 8 || exit 1
    command -v "$cmd" >/dev/null && exit 0
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >"$out" 2>&1 ||
      { apt-get update -qq >>"$out" 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >>"$out" 2>&1; }
  ) 8>"$lock" || { tail -n 20 "$out" >&2; printf 'could not install %s: apt-get install -y %s failed (output above)\n' "$cmd" "$pkg" >&2; exit 1; }
  command -v "$cmd" >/dev/null || { printf '%s is still missing after apt-get install %s\n' "$cmd" "$pkg" >&2; exit 1; }
  printf '[prereqs] %s: installed in %s s\n' "$cmd" "$(($(date +%s) - t0))" >&2
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  # Everything `npm test` uses that the project does not install itself, then what it installs from Debian.
  require_prereqs node git flock script curl java mvn go python3
  ensure_apt_command kcat kcat   # Debian's kcat pulls in librdkafka1 and libyajl2
  echo 'prerequisites: all present' >&2
fi
