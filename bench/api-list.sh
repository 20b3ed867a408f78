#!/usr/bin/env bash
# Benchmark scenario: GET /api/todos (one page of the default size) on a table of BENCH_ROWS to-dos, against its own
# baseline measured in the same run: pgbench running the same SQL at the same concurrency straight on PostgreSQL.
# Also /alive (the app without the database) and the web app's memory. Release build, Production environment.
#
#   bench/api-list.sh                      # a throwaway server from the machine's PostgreSQL binaries
#   BENCH_CONNECTION_STRING="Host=…;Port=…;Username=…;Password=…;Database=bench" bench/api-list.sh   # any server
#
# Settings (environment): BENCH_ROWS (20000), BENCH_CONNECTIONS (16), BENCH_THREADS (2), BENCH_ROUNDS (3),
# BENCH_DURATION (10 s per measurement and round), BENCH_WARMUP (30 s: the JIT is still tiering up before that).
# Each round runs pgbench, then the API, then /alive; the figures are the medians over the rounds, so a machine whose
# load drifts during the run skews both sides alike. Targets: the API reaches at least 50 % of pgbench's rate, with
# p99 at most 10 ms. Prints a table and writes the figures as JSON to BENCH_OUTPUT (default bench/results/api-list.json).
set -euo pipefail

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_ROWS=${BENCH_ROWS:-20000}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-16}
BENCH_THREADS=${BENCH_THREADS:-2}
BENCH_ROUNDS=${BENCH_ROUNDS:-3}
BENCH_DURATION=${BENCH_DURATION:-10}
BENCH_WARMUP=${BENCH_WARMUP:-30}
BENCH_OUTPUT=${BENCH_OUTPUT:-$BENCH_ROOT/bench/results/api-list.json}
BENCH_WORK=$(mktemp -d /tmp/bench-api-list.XXXXXX)

source "$BENCH_ROOT/bench/lib/postgres.sh"
source "$BENCH_ROOT/bench/lib/webapp.sh"
source "$BENCH_ROOT/bench/lib/load.sh"

cleanup() {
  bench_webapp_stop
  bench_postgres_stop
  rm -rf "$BENCH_WORK"
}
trap cleanup EXIT

for tool in wrk pgbench psql curl dotnet; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' is required (see bench/README.md)" >&2; exit 2; }
done

echo "Building (Release)…" >&2
bench_build
bench_postgres_start
echo "Migrating and filling to $BENCH_ROWS rows…" >&2
bench_migrate
bench_psql -v rows="$BENCH_ROWS" -f "$BENCH_ROOT/bench/sql/fill-todos.sql"
bench_webapp_start
rss_idle=$(bench_webapp_rss_mib VmRSS)

echo "Warming up ($BENCH_WARMUP s)…" >&2
BENCH_DURATION=$BENCH_WARMUP bench_wrk "$BENCH_WEBAPP_URL/api/todos" >/dev/null

echo "Measuring: $BENCH_ROUNDS rounds of $BENCH_DURATION s each, $BENCH_CONNECTIONS connections…" >&2
pg_rates=() pg_p99s=() api_rates=() api_p99s=() api_cpus=() alive_rates=() alive_p99s=()
for _ in $(seq 1 "$BENCH_ROUNDS"); do
  read -r rate p99 _ < <(bench_pgbench "$BENCH_ROOT/bench/sql/list-first-page.sql")
  pg_rates+=("$rate") pg_p99s+=("$p99")
  cpu_before=$(bench_webapp_cpu_us)
  read -r rate p99 requests < <(bench_wrk "$BENCH_WEBAPP_URL/api/todos")
  api_rates+=("$rate") api_p99s+=("$p99") api_cpus+=("$(( ($(bench_webapp_cpu_us) - cpu_before) / requests ))")
  read -r rate p99 _ < <(bench_wrk "$BENCH_WEBAPP_URL/alive")
  alive_rates+=("$rate") alive_p99s+=("$p99")
done
rss_peak=$(bench_webapp_rss_mib VmHWM)
pg_rate=$(bench_median "${pg_rates[@]}") pg_p99=$(bench_median "${pg_p99s[@]}")
api_rate=$(bench_median "${api_rates[@]}") api_p99=$(bench_median "${api_p99s[@]}") api_cpu=$(bench_median "${api_cpus[@]}")
alive_rate=$(bench_median "${alive_rates[@]}") alive_p99=$(bench_median "${alive_p99s[@]}")

ratio=$(awk -v a="$api_rate" -v b="$pg_rate" 'BEGIN { printf "%.2f", a / b }')
met=$(awk -v r="$ratio" -v p="$api_p99" 'BEGIN { print (r >= 0.5 && p <= 10) ? "met" : "missed" }')
cpus=$(nproc)
load=$(cut -d' ' -f1 /proc/loadavg)

printf '\nGET /api/todos, %s rows, %s connections, median of %s rounds of %s s (machine: %s CPUs, load average %s)\n' \
  "$BENCH_ROWS" "$BENCH_CONNECTIONS" "$BENCH_ROUNDS" "$BENCH_DURATION" "$cpus" "$load"
printf '%-28s %12s %10s\n' "" "req/s" "p99 (ms)"
printf '%-28s %12s %10s\n' "pgbench, same SQL" "$pg_rate" "$pg_p99"
printf '%-28s %12s %10s\n' "GET /api/todos" "$api_rate" "$api_p99"
printf '%-28s %12s %10s\n' "GET /alive" "$alive_rate" "$alive_p99"
printf 'API / pgbench: %s (target ≥ 0.50, p99 ≤ 10 ms: %s)\n' "$ratio" "$met"
printf 'Web app: %s µs of CPU per API request; memory %s MiB idle, %s MiB peak under load\n' "$api_cpu" "$rss_idle" "$rss_peak"
printf 'Rounds (req/s): pgbench %s | API %s | /alive %s\n' "${pg_rates[*]}" "${api_rates[*]}" "${alive_rates[*]}"

mkdir -p "$(dirname "$BENCH_OUTPUT")"
cat >"$BENCH_OUTPUT" <<JSON
{
  "scenario": "api-list",
  "rows": $BENCH_ROWS, "connections": $BENCH_CONNECTIONS, "rounds": $BENCH_ROUNDS, "durationSeconds": $BENCH_DURATION,
  "machine": { "cpus": $cpus, "loadAverage": $load },
  "pgbench": { "rate": $pg_rate, "p99Ms": $pg_p99 },
  "api": { "rate": $api_rate, "p99Ms": $api_p99, "appCpuMicrosecondsPerRequest": $api_cpu },
  "alive": { "rate": $alive_rate, "p99Ms": $alive_p99 },
  "apiToPgbench": $ratio, "target": "$met",
  "webappMemoryMiB": { "idle": $rss_idle, "peak": $rss_peak }
}
JSON
