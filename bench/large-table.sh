#!/usr/bin/env bash
# Scenario "large-table migration" for bench/run: runs online-migration.sh (see README) on a server of BENCH_MODE and
# records its figures in the run's table. 1 000 000 rows; quick mode 20 000.
set -euo pipefail
source "$BENCH_ROOT/bench/lib/results.sh"
source "$BENCH_ROOT/bench/lib/database.sh"
trap bench_db_stop EXIT

bench_db_start
rows=1000000; [[ "$BENCH_QUICK" == 1 ]] && rows=20000
out="$BENCH_WORK/online-migration.out"
BENCH_SERVER="$(bench_db_cs postgres)" "$BENCH_ROOT/bench/online-migration.sh" --rows "$rows" | tee "$out" >&2

# Its table: | variant | writer | total s | … | writes (errors) | longest write wait ms |
cell() { awk -F'|' -v v="$1" -v w="$2" -v c="$3" '$2 ~ v && $3 ~ w { gsub(/ /, "", $c); print $c; exit }' "$out"; }
for writer in no yes; do
  scenario="large-table migration, $rows rows"
  if [[ $writer == yes ]]; then scenario+=", with a writer"; fi
  bench_record "$scenario" "psql: UPDATE + SET NOT NULL + CREATE INDEX" s - - "$(cell psql " $writer " 4)"
  bench_record "$scenario" "worker: online migration" s "psql: UPDATE + SET NOT NULL + CREATE INDEX" '<=1.50' "$(cell worker " $writer " 4)"
done
scenario="large-table migration, $rows rows, writer's longest wait"
bench_record "$scenario" "no migration" ms - - "$(grep -o 'no migration [0-9]* ms' "$out" | grep -o '[0-9]*')"
bench_record "$scenario" "psql: UPDATE + SET NOT NULL + CREATE INDEX" ms "no migration" - "$(cell psql " yes " 11)"
bench_record "$scenario" "worker: online migration" ms "no migration|psql: UPDATE + SET NOT NULL + CREATE INDEX" - "$(cell worker " yes " 11)"
