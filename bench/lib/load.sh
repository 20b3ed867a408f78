# Load generators (sourced by the scenarios). Each prints "<requests per second> <p99 latency in ms> <requests>".

# wrk against one URL: BENCH_CONNECTIONS connections, BENCH_DURATION seconds.
bench_wrk() {
  local out
  out=$(wrk -t "$BENCH_THREADS" -c "$BENCH_CONNECTIONS" -d "${BENCH_DURATION}s" --latency "$1") || return 1
  echo "$out" >>"$BENCH_WORK/wrk.log"
  if grep -q "Non-2xx or 3xx responses" <<<"$out"; then
    echo "bench: wrk saw error responses from $1:" >&2
    echo "$out" >&2
    return 1
  fi
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "Requests/sec:" { rps = $2 }
    $1 == "99%" { p99 = ms($2) }
    / requests in / { n = $1 }
    END { printf "%.0f %.2f %d\n", rps, p99, n }' <<<"$out"
}

# pgbench running one SQL script file: the same connections, duration and threads, extended protocol (what Npgsql
# sends without prepared statements); p99 from pgbench's per-transaction log.
bench_pgbench() {
  local log="$BENCH_WORK/pgbench" out
  rm -f "$log".*
  out=$(PGPASSWORD="$BENCH_PG_PASSWORD" pgbench -n -M extended -c "$BENCH_CONNECTIONS" -j "$BENCH_THREADS" \
    -T "$BENCH_DURATION" -f "$1" -l --log-prefix="$log" \
    -h "$BENCH_PG_HOST" -p "$BENCH_PG_PORT" -U "$BENCH_PG_USER" "$BENCH_PG_DATABASE" 2>&1) || { echo "$out" >&2; return 1; }
  echo "$out" >>"$BENCH_WORK/pgbench.log"
  local tps p99 n
  tps=$(awk '/^tps = / { print $3; exit }' <<<"$out")
  n=$(awk '/number of transactions actually processed/ { split($NF, a, "/"); print a[1]; exit }' <<<"$out")
  # Third column of pgbench's log: the transaction's latency in microseconds.
  p99=$(cat "$log".* | awk '{ print $3 }' | sort -n | awk '{ v[NR] = $1 } END { i = int(NR * 0.99); if (i < 1) i = 1; printf "%.2f", v[i] / 1000 }')
  printf "%.0f %s %d\n" "$tps" "$p99" "$n"
}

# The median of its arguments (numbers).
bench_median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
