#!/usr/bin/env bash
# Benchmark scenario "online migration": AddUpdatedAt run by the worker (batched backfill, NOT NULL via a validated
# check, CREATE INDEX CONCURRENTLY) against the same work as one UPDATE + SET NOT NULL + CREATE INDEX in psql, on
# identical copies of a filled table, each alone and with a writer running. See bench/README.md.
#
#   bench/online-migration.sh [--rows 1000000]
#
# BENCH_SERVER: a connection string to a PostgreSQL server where the user may create databases; the scenario creates
# and drops its own. Unset: a throwaway server is started from the local PostgreSQL binaries and removed afterwards.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

dotnet build MigrationService -c Release -v q -nologo >/dev/null
dotnet build bench/OnlineMigration -c Release -v q -nologo >/dev/null

if [[ -z "${BENCH_SERVER:-}" ]]; then
  bindir="$(pg_config --bindir 2>/dev/null || true)"
  [[ -x "$bindir/initdb" ]] || bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [[ -x "$bindir/initdb" ]] || { echo "No PostgreSQL server binaries found: install them or set BENCH_SERVER." >&2; exit 2; }
  dir="$(mktemp -d)"
  # PostgreSQL refuses to run as root: run it as the postgres account then.
  as_owner=()
  if [[ "$(id -u)" == 0 ]]; then chown postgres: "$dir"; as_owner=(setpriv --reuid=postgres --regid=postgres --init-groups --); fi
  for port in $(shuf -i 20000-60000 -n 50); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break; done
  "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
  "${as_owner[@]}" "$bindir/postgres" -D "$dir/data" -p "$port" -k "$dir" -c listen_addresses=127.0.0.1 >"$dir/server.log" 2>&1 &
  server_pid=$!
  trap 'kill "$server_pid"; wait "$server_pid" 2>/dev/null; rm -rf "$dir"' EXIT
  until "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; do sleep 0.2; done
  BENCH_SERVER="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
fi

dotnet bench/OnlineMigration/bin/Release/net10.0/OnlineMigration.dll \
  --server "$BENCH_SERVER" --worker MigrationService/bin/Release/net10.0/MigrationService.dll "$@"
