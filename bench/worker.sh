#!/usr/bin/env bash
# Scenario "worker": the migration worker (Release, whole process) on a database with nothing to migrate (the common
# deploy) and on a fresh one, against a minimal EF Core console migrator (MinimalMigrator/) and EF Core's own migration
# bundle (dotnet ef migrations bundle, from Data/) on the same server: wall time and peak memory; both programs also as
# published ReadyToRun (as the container image is). Target: no-op ≤ 1.3× the minimal migrator and not slower than the
# bundle. Run by bench/run (BENCH_* set there).
set -euo pipefail
source "$BENCH_ROOT/bench/lib/results.sh"
source "$BENCH_ROOT/bench/lib/database.sh"
trap bench_db_stop EXIT

echo "worker: building the migration bundle…" >&2
(cd "$BENCH_ROOT" && dotnet tool restore >/dev/null \
  && dotnet ef migrations bundle --project Data --configuration Release --output "$BENCH_WORK/efbundle" --force >"$BENCH_WORK/efbundle.log" 2>&1) \
  || { cat "$BENCH_WORK/efbundle.log" >&2; exit 1; }

# As deployed: published for this machine's runtime, which precompiles the worker (ReadyToRun, set in its project);
# the minimal migrator published the same way, so that the pair compares code, not compilation.
echo "worker: publishing ReadyToRun builds…" >&2
for project in MigrationService bench/MinimalMigrator; do
  dotnet publish "$BENCH_ROOT/$project" -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true \
    -o "$BENCH_WORK/r2r/${project##*/}" -v q -nologo >/dev/null
done

bench_db_start
cs=$(bench_db_cs appdb)
worker=(env "ConnectionStrings__appdb=$cs" dotnet "$BENCH_ROOT/MigrationService/bin/Release/net10.0/MigrationService.dll")
minimal=(env "ConnectionStrings__appdb=$cs" dotnet "$BENCH_ROOT/bench/MinimalMigrator/bin/Release/net10.0/MinimalMigrator.dll")
bundle=("$BENCH_WORK/efbundle" --connection "$cs")
worker_r2r=(env "ConnectionStrings__appdb=$cs" dotnet "$BENCH_WORK/r2r/MigrationService/MigrationService.dll")
minimal_r2r=(env "ConnectionStrings__appdb=$cs" dotnet "$BENCH_WORK/r2r/MinimalMigrator/MinimalMigrator.dll")

declare -A wall=() memory=()
measure() { # <case> <variant> <command…>
  local w m
  read -r w m < <(bench_timed "${@:3}")
  wall[$1/$2]+="$w " memory[$1/$2]+="$m "
}

"${worker[@]}" >/dev/null # the roles exist from here on for every variant
for i in $(seq 1 "$BENCH_RUNS"); do
  echo "worker: round $i of $BENCH_RUNS" >&2
  # Variants take turns in each round, so load that drifts during the run skews them alike.
  for variant in worker minimal bundle worker_r2r minimal_r2r; do
    declare -n command=$variant
    bench_psql -c 'DROP DATABASE IF EXISTS appdb WITH (FORCE)'
    measure fresh "$variant" "${command[@]}"
    measure no-op "$variant" "${command[@]}"
  done
done

for case in no-op fresh; do
  target=-; [[ $case == no-op ]] && target='<=1.30'
  bench_record "worker, $case" "minimal EF migrator" s - - ${wall[$case/minimal]}
  bench_record "worker, $case" "EF migration bundle" s - - ${wall[$case/bundle]}
  bench_record "worker, $case" "MigrationService" s "minimal EF migrator|EF migration bundle" "$target" ${wall[$case/worker]}
  bench_record "worker, $case" "minimal EF migrator, ReadyToRun" s - - ${wall[$case/minimal_r2r]}
  bench_record "worker, $case" "MigrationService, ReadyToRun" s "minimal EF migrator, ReadyToRun|EF migration bundle" "$target" ${wall[$case/worker_r2r]}
  bench_record "worker, $case, peak memory" "minimal EF migrator" MiB - - ${memory[$case/minimal]}
  bench_record "worker, $case, peak memory" "EF migration bundle" MiB - - ${memory[$case/bundle]}
  bench_record "worker, $case, peak memory" "MigrationService" MiB "minimal EF migrator|EF migration bundle" - ${memory[$case/worker]}
done
