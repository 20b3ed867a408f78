#!/usr/bin/env bash
# Makes PostgreSQL server binaries available for the Local-mode run (the AppHost runs them when no engine answers).
# Installs Debian's server package only when no initdb is found where the AppHost looks; safe to run any number of times.
set -euo pipefail

if command -v initdb >/dev/null || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  exit 0
fi

echo "postgres-binaries: installing Debian's postgresql" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends postgresql >/dev/null \
  || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends postgresql >/dev/null; }
