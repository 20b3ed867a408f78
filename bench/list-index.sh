#!/usr/bin/env bash
# Scenario "list index": what one page of GET /api/todos costs PostgreSQL, in buffers (8 KiB pages of table and index
# touched, EXPLAIN (ANALYZE, BUFFERS)), at 20 000 and 300 000 rows, before and after the migration CoverListOrder
# replaces the list's index (IsDone, DueDate) with (IsDone, DueDate, Id). Pages: the first, and the page after the
# middle open, dated to-do. Before: the old index and the OR predicate the list sent then (sql/list-next-page-or.sql);
# after: the new index and the predicate as runs (sql/list-next-page.sql); also the new index with the old predicate,
# to show what the index alone changes. Buffers do not depend on the machine's load, so one run is enough: each figure
# is one measurement. Target: after, a page costs at 300 000 rows at most 1.5× what it costs at 20 000 (flat). Run by
# bench/run (BENCH_* set there), also in quick mode.
set -euo pipefail
source "$BENCH_ROOT/bench/lib/results.sh"
source "$BENCH_ROOT/bench/lib/database.sh"
trap bench_db_stop EXIT

sql=$BENCH_ROOT/bench/sql
worker_log=$BENCH_WORK/list-index-worker.log

# The worker (Release) on database $1, with its other arguments.
migrate() {
  ConnectionStrings__appdb="$(bench_db_cs "$1")" dotnet "$BENCH_ROOT/MigrationService/bin/Release/net10.0/MigrationService.dll" "${@:2}" \
    >>"$worker_log" 2>&1 || { tail -20 "$worker_log" >&2; return 1; }
}

# Buffers the execution of a statement file touched (shared hit + read of the plan's top node) on database $1; the
# file's pgbench \set lines are left out, its variables come from the psql -v assignments that follow.
buffers() {
  { echo 'EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)'; grep -v '^\\set' "$2"; } \
    | bench_psql -d "$1" -At -v limit=51 "${@:3}" >"$BENCH_WORK/plan.txt" || return 1
  awk '/Buffers:/ && !found {
      found = 1
      for (i = 1; i <= NF; i++) if ($i ~ /^(hit|read)=/) { split($i, kv, "="); n += kv[2] }
      print n
    }
    END { if (!found) { print "bench: no buffers in the plan" > "/dev/stderr"; exit 1 } }' "$BENCH_WORK/plan.txt"
}

declare -A figure=()
bench_db_start
for rows in 20000 300000; do
  db=list_$rows
  echo "list index: $rows rows, the old index" >&2
  # A target skips the seed: the table holds exactly the rows filled in.
  migrate "$db" --target AddUpdatedAt
  bench_psql -d "$db" -v rows="$rows" -f "$sql/fill-todos.sql"
  bench_psql -d "$db" -c 'VACUUM ANALYZE "Todos"'
  IFS='|' read -r due id < <(bench_psql -d "$db" -At -c "
    SELECT \"DueDate\", \"Id\" FROM \"Todos\" WHERE NOT \"IsDone\" AND \"DueDate\" IS NOT NULL
    ORDER BY \"DueDate\", \"Id\" OFFSET (SELECT count(*) / 2 FROM \"Todos\" WHERE NOT \"IsDone\" AND \"DueDate\" IS NOT NULL) LIMIT 1")
  cursor=(-v due="$due" -v id="$id")
  figure[first/before/$rows]=$(buffers "$db" "$sql/list-first-page.sql")
  figure[later/before/$rows]=$(buffers "$db" "$sql/list-next-page-or.sql" "${cursor[@]}")

  echo "list index: $rows rows, migrating to the new index" >&2
  migrate "$db"
  bench_psql -d "$db" -c 'ANALYZE "Todos"'
  figure[first/after/$rows]=$(buffers "$db" "$sql/list-first-page.sql")
  figure[later/after/$rows]=$(buffers "$db" "$sql/list-next-page.sql" "${cursor[@]}")
  figure[later/index-only/$rows]=$(buffers "$db" "$sql/list-next-page-or.sql" "${cursor[@]}")
done

for page in first later; do
  scenario="list index, $page page, buffers"
  old="before: (IsDone, DueDate)" new="after: (IsDone, DueDate, Id)"
  [[ $page == later ]] && old+=", OR predicate" new+=", runs"
  bench_record "$scenario" "$old, 20000 rows" buffers - - "${figure[$page/before/20000]}"
  bench_record "$scenario" "$old, 300000 rows" buffers "$old, 20000 rows" - "${figure[$page/before/300000]}"
  if [[ $page == later ]]; then
    only="(IsDone, DueDate, Id), OR predicate"
    bench_record "$scenario" "$only, 20000 rows" buffers "$old, 20000 rows" - "${figure[$page/index-only/20000]}"
    bench_record "$scenario" "$only, 300000 rows" buffers "$only, 20000 rows|$old, 300000 rows" - "${figure[$page/index-only/300000]}"
  fi
  bench_record "$scenario" "$new, 20000 rows" buffers "$old, 20000 rows" - "${figure[$page/after/20000]}"
  bench_record "$scenario" "$new, 300000 rows" buffers "$new, 20000 rows|$old, 300000 rows" '<=1.50' "${figure[$page/after/300000]}"
done
