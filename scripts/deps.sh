#!/usr/bin/env bash
# Installs every Debian package in scripts/packages.txt that is not installed yet, then the
# npm packages of the Node test suites. Idempotent: with nothing missing it only runs dpkg-query.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

mapfile -t wanted < <(grep -v -e '^#' -e '^[[:space:]]*$' "$here/packages.txt")
missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [[ $status == installed ]] || missing+=("$pkg")
done

if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Node suites (the Okta SDK compatibility test, the browser journeys): install from the committed
# lockfile when node_modules is absent or older than the lockfile (npm ci writes
# node_modules/.package-lock.json last).
for dir in "$root"/tests/*/; do
  if [[ -f $dir/package-lock.json && ! $dir/node_modules/.package-lock.json -nt $dir/package-lock.json ]]; then
    if ! command -v npm >/dev/null; then
      echo "deps: installing nodejs and npm for the Node test suites"
      sudo=""
      [[ $(id -u) -eq 0 ]] || sudo="sudo"
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm
    fi
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
echo "deps: all present"
