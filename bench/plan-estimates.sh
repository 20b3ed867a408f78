#!/usr/bin/env bash
# Scenario "plan estimates" for bench/run: the worker's --plan estimates against the times PostgreSQL takes, on the
# sample's migrations over a filled Todos table (1 000 000 rows; quick mode 100 000). The database is brought to the
# first migration and filled; --plan --json gives each step's estimate; the worker then migrates (budget off) with EF
# Core's command log on, which times each command. BENCH_RUNS times, each on a database of its own. Target: each estimate within 2× of its measured time (bench/README.md,
# "Plan estimates"). The rates the estimates use are LockRates (libraries/SafeMigrations.Worker/Planning/LockRates.cs).
set -euo pipefail
source "$BENCH_ROOT/bench/lib/results.sh"
source "$BENCH_ROOT/bench/lib/database.sh"
trap bench_db_stop EXIT

bench_db_start
rows=1000000; [[ "$BENCH_QUICK" == 1 ]] && rows=100000
for ((run = 1; run <= BENCH_RUNS; run++)); do
  cs="$(bench_db_cs "plan_estimates_$run")"
  worker=(env "ConnectionStrings__appdb=$cs" "Migrations__MaxLockedTime=00:00:00" dotnet "$BENCH_ROOT/MigrationService/bin/Release/net10.0/MigrationService.dll")
  log="$BENCH_WORK/plan-estimates-$run"
  "${worker[@]}" --target InitialSchema >"$log.setup" 2>&1 || { echo "bench: the worker could not create the database; see $log.setup" >&2; exit 1; }
  bench_psql -d "plan_estimates_$run" -q -c "INSERT INTO \"Todos\" (\"Title\", \"IsDone\") SELECT 'to-do ' || n, n % 2 = 0 FROM generate_series(1, $rows) n" \
    -c 'VACUUM ANALYZE "Todos"'
  "${worker[@]}" --plan --json >"$log.plan.json" 2>"$log.plan.err"
  env Logging__Console__FormatterName=json "Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command=Information" \
    "${worker[@]}" >"$log.migrate" 2>&1 || { echo "bench: the migration failed; see $log.migrate" >&2; exit 1; }

  # Pairs of (estimate, measured) per step kind, matched on the statement's first words; seconds.
  python3 - "$log.plan.json" "$log.migrate" >>"$BENCH_WORK/plan-estimates.pairs" <<'PY'
import json, re, sys
plan = json.load(open(sys.argv[1]))
steps = [s for m in plan["contexts"][0]["migrations"] for s in m["steps"]]
commands = []
for line in open(sys.argv[2]):
    if not line.startswith("{"): continue
    entry = json.loads(line)
    match = re.match(r"Executed DbCommand \(([\d,]+)ms\).*?\n(.*)", entry.get("Message", ""), re.S)  # "2,435ms"
    if match: commands.append((int(match.group(1).replace(",", "")) / 1000, match.group(2)))
def measured(pattern):
    return sum(ms for ms, sql in commands if re.search(pattern, sql))
def estimate(kind, work, statement=""):
    return sum(s["estimatedSeconds"] for s in steps if s["work"] == work and statement in s["statement"])
pairs = [
    ("UPDATE of every open to-do, one transaction", estimate("", "RowWrites", 'UPDATE "Todos" SET "DueDate"'), measured(r'UPDATE "Todos"\s+SET "DueDate"')),
    ("CREATE INDEX", estimate("", "IndexBuild", "CreateIndex"), measured(r'CREATE INDEX "IX_Todos_IsDone_DueDate"')),
    ("backfill in batches", estimate("", "RowWrites", 'SET "UpdatedAt"'), measured(r'DO \$backfill\$')),
    ("VALIDATE CONSTRAINT (scan)", estimate("", "Scan", "VALIDATE"), measured(r'VALIDATE CONSTRAINT')),
    ("CREATE INDEX CONCURRENTLY (2 indexes)", estimate("", "IndexBuild", "CONCURRENTLY"), measured(r'CREATE INDEX CONCURRENTLY')),
]
for name, est, real in pairs:
    print(f"{name}\t{est:.3f}\t{real:.3f}")
PY
done

# One record per step kind, with every run's value (the table shows their median).
mapfile -t names < <(cut -f1 "$BENCH_WORK/plan-estimates.pairs" | awk '!seen[$0]++')
for name in "${names[@]}"; do
  scenario="plan estimates, $rows rows: $name"
  bench_record "$scenario" "measured" s - - $(awk -F'\t' -v n="$name" '$1 == n { print $3 }' "$BENCH_WORK/plan-estimates.pairs")
  bench_record "$scenario" "--plan estimate" s "measured" "<>2" $(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$BENCH_WORK/plan-estimates.pairs")
done
