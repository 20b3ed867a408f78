# A throwaway PostgreSQL server for one scenario (sourced): the same server the tests use, in BENCH_MODE —
# Container: the image Postgres__Image:Postgres__Tag (default postgres:17) in a container of its own, no volume;
# Local: the machine's server binaries on a data directory of its own. Either listens on a free loopback port and is
# removed by bench_db_stop. After bench_db_start: BENCH_DB_PORT, BENCH_DB_PASSWORD; bench_db_cs <database> gives a
# connection string (Npgsql form) as the admin user postgres; bench_psql runs psql against the postgres database.

bench_free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    ss -ltnH "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}

bench_pg_bin() {
  local dir
  for dir in "${Postgres__BinDirectory:-}" "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")" \
             $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && { echo "$dir"; return; }
  done
  echo "bench: no PostgreSQL server binaries (initdb, pg_ctl) found" >&2
  return 1
}

# Runs a server binary as the current user, or as 'postgres' when root (the server refuses to run as root).
bench_pg_as_owner() {
  if [[ "$(id -u)" == 0 ]]; then setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; else "$@"; fi
}

bench_db_start() {
  BENCH_DB_PORT=$(bench_free_port)
  BENCH_DB_PASSWORD="bench-$RANDOM$RANDOM"
  if [[ "$BENCH_MODE" == Container ]]; then
    BENCH_DB_CONTAINER="bench-postgres-$$-$RANDOM"
    docker run -d --rm --name "$BENCH_DB_CONTAINER" -p "127.0.0.1:$BENCH_DB_PORT:5432" -e POSTGRES_PASSWORD="$BENCH_DB_PASSWORD" \
      "${Postgres__Image:-postgres}:${Postgres__Tag:-17}" >/dev/null
  else
    local bin
    bin=$(bench_pg_bin) || return 1
    BENCH_DB_DIR=$(mktemp -d /tmp/bench-postgres.XXXXXX)
    [[ "$(id -u)" == 0 ]] && chown postgres: "$BENCH_DB_DIR"
    bench_pg_as_owner "$bin/initdb" -D "$BENCH_DB_DIR/data" -U postgres --auth=trust >"$BENCH_DB_DIR/initdb.log" 2>&1 \
      || { cat "$BENCH_DB_DIR/initdb.log" >&2; return 1; }
    bench_pg_as_owner "$bin/pg_ctl" -D "$BENCH_DB_DIR/data" -l "$BENCH_DB_DIR/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $BENCH_DB_PORT -c unix_socket_directories=" start >/dev/null \
      || { cat "$BENCH_DB_DIR/server.log" >&2; return 1; }
    BENCH_DB_CTL="$bin/pg_ctl"
  fi
  # Ready when it answers a query over TCP (the image's entrypoint first runs a socket-only server for its set-up).
  local deadline=$((SECONDS + 120))
  until bench_psql -c 'SELECT 1' >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { echo "bench: PostgreSQL did not answer in 120 s" >&2; return 1; }
    sleep 0.05
  done
}

bench_db_stop() {
  if [[ -n "${BENCH_DB_CONTAINER:-}" ]]; then
    docker rm -f "$BENCH_DB_CONTAINER" >/dev/null 2>&1 || true
    BENCH_DB_CONTAINER=
  fi
  if [[ -n "${BENCH_DB_DIR:-}" ]]; then
    bench_pg_as_owner "$BENCH_DB_CTL" -D "$BENCH_DB_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$BENCH_DB_DIR"
    BENCH_DB_DIR=
  fi
}

bench_db_cs() {
  echo "Host=127.0.0.1;Port=$BENCH_DB_PORT;Username=postgres;Password=$BENCH_DB_PASSWORD;Database=$1"
}

bench_psql() {
  PGPASSWORD="$BENCH_DB_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$BENCH_DB_PORT" -U postgres -d postgres "$@"
}

# Runs a command under GNU time and prints "<wall seconds> <peak resident MiB>"; its output goes to BENCH_WORK/last.log.
bench_timed() {
  /usr/bin/time -f '%e %M' -o "$BENCH_WORK/time" "$@" >"$BENCH_WORK/last.log" 2>&1 \
    || { echo "bench: failed: $*" >&2; tail -20 "$BENCH_WORK/last.log" >&2; return 1; }
  awk '{ printf "%s %.0f\n", $1, $2 / 1024 }' "$BENCH_WORK/time"
}
