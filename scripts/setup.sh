#!/usr/bin/env bash
# Installs what Switchboard needs on a Debian machine, then builds.
# Run by `npm start` (prestart) and `npm test` (pretest); safe to run again.
#   setup.sh          runtime: prosody, postgresql, openssl
#   setup.sh --test   runtime + test clients: chromium, python3-slixmpp
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-}"
[ "${npm_lifecycle_event:-}" = "pretest" ] && mode="--test"

need=()
command -v prosody >/dev/null || need+=(prosody)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v openssl >/dev/null || need+=(openssl)
if [ "$mode" = "--test" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  /usr/bin/python3 -c 'import slixmpp' 2>/dev/null || need+=(python3-slixmpp)
fi

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing Debian packages: ${need[*]} — run as root or: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Don't let package scripts start the system-wide services: we run our own.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Node dependencies: install when missing or when the lock file changed.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

npm run --silent build
