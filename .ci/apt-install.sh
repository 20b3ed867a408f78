#!/usr/bin/env bash
# Installs Debian packages (no recommends). A fresh machine may have no package lists: they are refreshed only when
# the install needs it.   .ci/apt-install.sh <package>...
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

echo "apt-install: $*" >&2
apt-get install -y -q --no-install-recommends "$@" >/dev/null \
  || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "$@" >/dev/null; }
