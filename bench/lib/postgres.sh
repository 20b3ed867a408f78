# A PostgreSQL server for a benchmark run (sourced by the scenarios).
#   BENCH_CONNECTION_STRING set: that server is used as it is (any reachable PostgreSQL; the database may be missing).
#   unset: a throwaway server is started from the machine's PostgreSQL binaries on a free loopback port, with a data
#          directory of its own, trust authentication on loopback only, and removed by bench_postgres_stop.
# After bench_postgres_start: BENCH_PG_HOST, BENCH_PG_PORT, BENCH_PG_USER, BENCH_PG_DATABASE, BENCH_PG_PASSWORD and
# BENCH_CONNECTION_STRING (Npgsql form) describe it.

bench_pg_bin() {
  local dir
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v pg_ctl)"
    return
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }
  done
  echo "bench: no PostgreSQL server binaries (initdb, pg_ctl) found; install them or set BENCH_CONNECTION_STRING" >&2
  return 1
}

# Runs a server binary as the current user, or as 'postgres' when root (the server refuses to run as root).
bench_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
  else
    "$@"
  fi
}

bench_postgres_start() {
  if [ -n "${BENCH_CONNECTION_STRING:-}" ]; then
    BENCH_PG_HOST=$(bench_cs_value Host) BENCH_PG_PORT=$(bench_cs_value Port) BENCH_PG_USER=$(bench_cs_value Username)
    BENCH_PG_DATABASE=$(bench_cs_value Database) BENCH_PG_PASSWORD=$(bench_cs_value Password)
    BENCH_PG_PORT=${BENCH_PG_PORT:-5432}
    return
  fi

  local bin
  bin=$(bench_pg_bin) || return 1
  BENCH_PG_DIR=$(mktemp -d /tmp/bench-postgres.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$BENCH_PG_DIR"
  BENCH_PG_HOST=127.0.0.1 BENCH_PG_PORT=$(bench_free_port) BENCH_PG_USER=postgres BENCH_PG_DATABASE=appdb BENCH_PG_PASSWORD=
  bench_pg_as_owner "$bin/initdb" -D "$BENCH_PG_DIR/data" -U postgres --auth=trust >"$BENCH_PG_DIR/initdb.log" 2>&1 \
    || { cat "$BENCH_PG_DIR/initdb.log" >&2; return 1; }
  bench_pg_as_owner "$bin/pg_ctl" -D "$BENCH_PG_DIR/data" -l "$BENCH_PG_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $BENCH_PG_PORT -c unix_socket_directories=" start >/dev/null \
    || { cat "$BENCH_PG_DIR/server.log" >&2; return 1; }
  BENCH_PG_CTL="$bin/pg_ctl"
  BENCH_CONNECTION_STRING="Host=$BENCH_PG_HOST;Port=$BENCH_PG_PORT;Username=$BENCH_PG_USER;Database=$BENCH_PG_DATABASE"
}

bench_postgres_stop() {
  if [ -n "${BENCH_PG_DIR:-}" ]; then
    bench_pg_as_owner "$BENCH_PG_CTL" -D "$BENCH_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$BENCH_PG_DIR"
    BENCH_PG_DIR=
  fi
}

# psql against the benchmark database.
bench_psql() {
  PGPASSWORD="$BENCH_PG_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h "$BENCH_PG_HOST" -p "$BENCH_PG_PORT" \
    -U "$BENCH_PG_USER" -d "$BENCH_PG_DATABASE" "$@"
}

# One keyword's value from BENCH_CONNECTION_STRING (Npgsql form, case-insensitive keyword).
bench_cs_value() {
  tr ';' '\n' <<<"$BENCH_CONNECTION_STRING" | awk -F= -v key="$1" 'tolower($1) == tolower(key) { sub(/^[^=]*=/, ""); print; exit }'
}

# A loopback TCP port nobody listens on.
bench_free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    ss -ltnH "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}
