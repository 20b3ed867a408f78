#!/usr/bin/env bash
# Scenario "test suite": wall time of the README's test command (`dotnet test`) in BENCH_MODE, builds included as a
# developer sees them after a change. Reported only: it has no baseline. Run by bench/run (BENCH_* set there).
set -euo pipefail
source "$BENCH_ROOT/bench/lib/results.sh"
source "$BENCH_ROOT/bench/lib/database.sh"

start=$EPOCHREALTIME
(cd "$BENCH_ROOT" && Postgres__Mode="$BENCH_MODE" dotnet test >"$BENCH_WORK/test-suite.log" 2>&1) \
  || { tail -40 "$BENCH_WORK/test-suite.log" >&2; exit 1; }
bench_record "test suite" "dotnet test ($BENCH_MODE mode)" s - - "$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')"
