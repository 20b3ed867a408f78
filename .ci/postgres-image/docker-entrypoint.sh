#!/usr/bin/env bash
# Entrypoint with the part of the official `postgres` image's contract that Aspire's AddPostgres uses: on an empty PGDATA,
# initdb with POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_INITDB_ARGS, and password authentication from any host by
# POSTGRES_HOST_AUTH_METHOD; then the server, as the postgres account. `docker run image -c key=value` passes -c to postgres.
set -euo pipefail
export PGDATA="${PGDATA:-/var/lib/postgresql/data}"

# As root: own a mounted volume, then run again as postgres (setpriv execs in place: the server keeps PID 1 for signals).
if [[ "$(id -u)" == 0 ]]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chmod 00700 "$PGDATA"
  find "$PGDATA" /var/run/postgresql \! -user postgres -exec chown postgres:postgres '{}' +
  exec setpriv --reuid=postgres --regid=postgres --init-groups -- "${BASH_SOURCE[0]}" "$@"
fi

if [[ "${1:-}" == -* ]]; then
  set -- postgres "$@"
fi

# initdb refuses a non-empty directory, so existing data is never overwritten.
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  : "${POSTGRES_PASSWORD:?the data directory is empty and POSTGRES_PASSWORD is not set}"
  # The password through a pipe, so it appears in no process listing and no file.
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a word list by contract.
  initdb --username="${POSTGRES_USER:-postgres}" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") ${POSTGRES_INITDB_ARGS:-}
  printf '\nhost all all all %s\n' "${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >>"$PGDATA/pg_hba.conf"
fi

exec "$@"
