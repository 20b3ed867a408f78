#!/usr/bin/env bash
# Scenario "API under load" for bench/run: runs api-list.sh (see README) on a server of BENCH_MODE and records its
# figures in the run's table. Quick mode: 2 000 rows, one round of 3 s after a 5 s warm-up.
set -euo pipefail
source "$BENCH_ROOT/bench/lib/results.sh"
source "$BENCH_ROOT/bench/lib/database.sh"
trap bench_db_stop EXIT

bench_db_start
json="$BENCH_WORK/api-list.json"
quick=(); [[ "$BENCH_QUICK" == 1 ]] && quick=(BENCH_ROWS=2000 BENCH_ROUNDS=1 BENCH_DURATION=3 BENCH_WARMUP=5)
env "${quick[@]}" BENCH_CONNECTION_STRING="$(bench_db_cs appdb)" BENCH_OUTPUT="$json" "$BENCH_ROOT/bench/api-list.sh" >&2

# One figure of api-list.sh's JSON: the number after "<key>": inside the object "<object>" (or at the top level).
figure() { tr -d '\n' <"$json" | grep -o "\"$1\": *{[^}]*}" | grep -o "\"$2\": *[0-9.]*" | grep -o '[0-9.]*$'; }
connections=$(tr -d '\n' <"$json" | grep -o '"connections": *[0-9]*' | grep -o '[0-9]*$')
scenario="API, $connections connections"
bench_record "$scenario, req/s" "pgbench, same SQL" req/s - - "$(figure pgbench rate)"
bench_record "$scenario, req/s" "GET /api/todos" req/s "pgbench, same SQL" '>=0.50' "$(figure api rate)"
bench_record "$scenario, req/s" "GET /alive" req/s "pgbench, same SQL" - "$(figure alive rate)"
bench_record "$scenario, p99" "pgbench, same SQL" ms - - "$(figure pgbench p99Ms)"
bench_record "$scenario, p99 (target ≤ 10 ms)" "GET /api/todos" ms - - "$(figure api p99Ms)"
bench_record "$scenario, web app memory" "idle" MiB - - "$(figure webappMemoryMiB idle)"
bench_record "$scenario, web app memory" "peak under load" MiB idle - "$(figure webappMemoryMiB peak)"
