#!/usr/bin/env bash
# Installs what Switchboard needs on a Debian machine, then builds.
# Run by `npm start` (prestart) and `npm test` (pretest); safe to run again.
#   setup.sh          runtime: prosody, postgresql, openssl; for voice kamailio
#                     (+ extra, websocket, json modules) and rtpengine-daemon
#   setup.sh --test   runtime + test clients: chromium, python3-slixmpp, sip-tester (sipp), baresip-core
# Voice packages are skipped when VOICE_ENABLED is false or SIP_SERVER=external.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-}"
[ "${npm_lifecycle_event:-}" = "pretest" ] && mode="--test"

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

need=()
command -v prosody >/dev/null || need+=(prosody)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v openssl >/dev/null || need+=(openssl)
voice=1
case "${VOICE_ENABLED:-}" in 0|false|no|off|FALSE|False) voice=0 ;; esac
[ "${SIP_SERVER:-}" = "external" ] && voice=0
[ "$mode" = "--test" ] && voice=1
if [ "$voice" = 1 ]; then
  for p in kamailio kamailio-extra-modules kamailio-websocket-modules kamailio-json-modules rtpengine-daemon; do
    installed "$p" || need+=("$p")
  done
fi
if [ "$mode" = "--test" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  /usr/bin/python3 -c 'import slixmpp' 2>/dev/null || need+=(python3-slixmpp)
  command -v sipp >/dev/null || need+=(sip-tester)
  command -v baresip >/dev/null || need+=(baresip-core)
fi

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing Debian packages: ${need[*]} — run as root or: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Don't let package scripts start the system-wide services (prosody, postgresql,
  # kamailio, rtpengine-daemon…): we run our own on other ports. Keep a policy the
  # admin already has.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # Nor start them at the next boot: the services of the packages installed just now
  # are disabled (a service someone installed before us is left alone).
  for p in "${need[@]}"; do
    case "$p" in
      prosody|postgresql|kamailio) svc="$p" ;;
      rtpengine-daemon) svc=rtpengine-daemon ;;
      *) continue ;;
    esac
    if [ -d /run/systemd/system ]; then systemctl disable --now "$svc" >/dev/null 2>&1 || true
    elif command -v update-rc.d >/dev/null; then update-rc.d "$svc" disable >/dev/null 2>&1 || true
    fi
  done
fi

# Node dependencies: install when missing or when the lock file changed.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

npm run --silent build
