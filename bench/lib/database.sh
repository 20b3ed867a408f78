# A throwaway PostgreSQL server for one scenario (sourced): the same server the tests use, in BENCH_MODE —
# Container: the image Postgres__Image:Postgres__Tag (default postgres:17) in a container of its own, no volume;
# Local: the machine's server binaries on a data directory of its own. Either listens on a free loopback port and is
# removed by bench_db_stop. After bench_db_start: BENCH_DB_PORT, BENCH_DB_PASSWORD; bench_db_cs <database> gives a
# connection string (Npgsql form) as the admin user postgres; bench_psql runs psql against the postgres database.

# Local mode is the API scenario's server (bench_postgres_start/stop); bench_psql is redefined below for this file's
# server, whichever mode.
source "$BENCH_ROOT/bench/lib/postgres.sh"

bench_db_start() {
  BENCH_DB_PORT=$(bench_free_port)
  BENCH_DB_PASSWORD="bench-$RANDOM$RANDOM"
  if [[ "$BENCH_MODE" == Container ]]; then
    BENCH_DB_CONTAINER="bench-postgres-$$-$RANDOM"
    docker run -d --rm --name "$BENCH_DB_CONTAINER" -p "127.0.0.1:$BENCH_DB_PORT:5432" -e POSTGRES_PASSWORD="$BENCH_DB_PASSWORD" \
      "${Postgres__Image:-postgres}:${Postgres__Tag:-17}" >/dev/null
  else
    BENCH_CONNECTION_STRING= bench_postgres_start # the API scenario's local server: trust on loopback, own data directory
    BENCH_DB_PORT=$BENCH_PG_PORT
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
  bench_postgres_stop
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
