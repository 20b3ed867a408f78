#!/usr/bin/env bash
# Makes Debian's Chromium available for the browser tests (Playwright drives it; it cannot download a browser here).
# Installs the package only when /usr/bin/chromium is missing; safe to run any number of times.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi

echo "chromium: installing Debian's chromium" >&2
export DEBIAN_FRONTEND=noninteractive
# Package lists may be missing or stale on a fresh machine; refresh only when the install needs it.
apt-get install -y -q --no-install-recommends chromium >/dev/null \
  || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium >/dev/null; }
/usr/bin/chromium --version >&2
