#!/usr/bin/env bash
# Scenario "inner loop": `dotnet run --project AppHost` until the web app's /health answers 200, cold (no data) and warm
# (data kept, nothing to migrate), against a plain Aspire AppHost with the same graph (PlainAppHost/) and the bare path
# (server, minimal migrator, web app started by hand), all in BENCH_MODE. Builds are done up front and not counted:
# every variant starts with `dotnet run --no-build`, as Aspire starts its projects. Targets: cold ≤ 1.0× and warm ≤ 0.85×
# the plain AppHost. Never touches the AppHost's own kept data: warm runs keep theirs in a volume or directory of their
# own (--AppHostSha, Postgres:DataDirectory), removed at the end. Run by bench/run (BENCH_* set there).
set -euo pipefail
source "$BENCH_ROOT/bench/lib/results.sh"
source "$BENCH_ROOT/bench/lib/database.sh"

timeline="$BENCH_ROOT/bench/StartupTimeline/bin/Release/net10.0/StartupTimeline.dll"
password="bench-$RANDOM$RANDOM" web_password="bench-web-$RANDOM$RANDOM"
export ASPNETCORE_URLS="http://127.0.0.1:$(bench_free_port)" ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
export ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$(bench_free_port)"
export ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL="http://127.0.0.1:$(bench_free_port)"
export DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development
server_args=(--Postgres:Mode="$BENCH_MODE" --DcpPublisher:RandomizePorts=true
  --Parameters:postgres-password="$password" --Parameters:appdb-web-password="$web_password")
[[ -n "${Postgres__Image:-}" ]] && server_args+=(--Postgres:Image="$Postgres__Image" --Postgres:Tag="${Postgres__Tag:-17}")
declare -A kept=() # variant -> the arguments that keep its data (warm runs)

cleanup() {
  local sha
  for sha in "${shas[@]}"; do # the warm runs' containers and volumes (named by Aspire from --AppHostSha)
    docker ps -aq --filter "name=postgres-${sha:0:8}" | xargs -r docker rm -f >/dev/null 2>&1 || true
    docker volume ls -q --filter "name=${sha:0:10}" | xargs -r docker volume rm >/dev/null 2>&1 || true
  done
  bench_db_stop
}
shas=()
trap cleanup EXIT

# One run of an AppHost: its phases go to the phase records, its total to the variant's values.
declare -A totals=()
apphost_run() { # <label> <case> <project> <AppHost args…>
  local out="$BENCH_WORK/timeline.out"
  dotnet "$timeline" --timeout 300 --log "$BENCH_WORK/$1-$2.log" -- \
    dotnet run --project "$BENCH_ROOT/$3" --no-build --no-launch-profile -- "${server_args[@]}" "${@:4}" >"$out" \
    || { echo "bench: $3 did not start (log: $BENCH_WORK/$1-$2.log)" >&2; return 1; }
  while IFS=$'\t' read -r phase seconds; do phases["$1|$2|$phase"]+="$seconds "; done <"$out"
  totals[$1/$2]+="$(awk '$1 == "WebHealthy" { print $2 }' "$out") "
}
declare -A phases=()

# The bare path: what a developer would run by hand, each step started the way Aspire starts a project.
bare_run() { # <case>
  local start=$EPOCHREALTIME web_port web_pid
  [[ $1 == cold ]] && { bench_db_stop; bench_db_start; }
  local db=$EPOCHREALTIME
  ConnectionStrings__appdb="$(bench_db_cs appdb)" dotnet run --project "$BENCH_ROOT/bench/MinimalMigrator" --no-build >/dev/null
  local migrated=$EPOCHREALTIME
  web_port=$(bench_free_port)
  ConnectionStrings__appdb="$(bench_db_cs appdb)" ASPNETCORE_URLS="http://127.0.0.1:$web_port" \
    dotnet run --project "$BENCH_ROOT/WebApp" --no-build --no-launch-profile >"$BENCH_WORK/bare-web.log" 2>&1 &
  web_pid=$!
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$web_port/health")" == 200 ]]; do
    kill -0 "$web_pid" 2>/dev/null || { cat "$BENCH_WORK/bare-web.log" >&2; return 1; }
    sleep 0.05
  done
  local healthy=$EPOCHREALTIME
  pkill -TERM -P "$web_pid" 2>/dev/null || true; kill -TERM "$web_pid" 2>/dev/null || true; wait "$web_pid" 2>/dev/null || true
  since() { awk -v a="$start" -v b="$1" 'BEGIN { printf "%.3f", b - a }'; }
  phases["bare path|$1|PostgresRunning"]+="$(since "$db") "
  phases["bare path|$1|WorkerExited"]+="$(since "$migrated") "
  phases["bare path|$1|WebHealthy"]+="$(since "$healthy") "
  totals[bare path/$1]+="$(since "$healthy") "
}

# Warm runs keep data of their own: a data directory (Local) or a volume and persistent container (Container) that
# --AppHostSha names apart from the real ones.
for label in "this AppHost" "plain Aspire"; do
  if [[ "$BENCH_MODE" == Local ]]; then
    kept[$label]="--Postgres:DataDirectory=$BENCH_WORK/data-${label// /-}"
  else
    sha=$(echo "$label $$ $RANDOM" | sha256sum | cut -c1-64 | tr a-f A-F); shas+=("${sha,,}")
    kept[$label]="--AppHostSha=$sha"
  fi
done
project() { [[ $1 == "this AppHost" ]] && echo AppHost || echo bench/PlainAppHost; }

cases=(cold); [[ "$BENCH_QUICK" == 1 ]] || cases+=(warm)
echo "inner loop: priming the warm runs' data" >&2
if [[ " ${cases[*]} " == *" warm "* ]]; then
  for label in "this AppHost" "plain Aspire"; do apphost_run "$label" prime "$(project "$label")" ${kept[$label]}; done
  bench_db_start; ConnectionStrings__appdb="$(bench_db_cs appdb)" dotnet run --project "$BENCH_ROOT/bench/MinimalMigrator" --no-build >/dev/null
fi
for i in $(seq 1 "$BENCH_RUNS"); do
  for case in "${cases[@]}"; do
    echo "inner loop: round $i of $BENCH_RUNS, $case" >&2
    for label in "this AppHost" "plain Aspire"; do
      if [[ $case == cold ]]; then args=(--Postgres:Persistent=false); else args=(${kept[$label]}); fi
      apphost_run "$label" "$case" "$(project "$label")" "${args[@]}"
    done
    if [[ $case == warm ]]; then bare_run warm; else
      # The cold bare path gets a server of its own; a warm one (started above) must survive it.
      saved=("${BENCH_DB_PORT:-}" "${BENCH_DB_PASSWORD:-}" "${BENCH_PG_DIR:-}" "${BENCH_DB_CONTAINER:-}" "${BENCH_PG_CTL:-}")
      BENCH_PG_DIR= BENCH_DB_CONTAINER=; bare_run cold; bench_db_stop
      BENCH_DB_PORT=${saved[0]} BENCH_DB_PASSWORD=${saved[1]} BENCH_PG_DIR=${saved[2]} BENCH_DB_CONTAINER=${saved[3]} BENCH_PG_CTL=${saved[4]}
    fi
  done
done

for case in "${cases[@]}"; do
  target='<=1.00'; [[ $case == warm ]] && target='<=0.85'
  bench_record "inner loop, $case" "plain Aspire" s - - ${totals[plain Aspire/$case]}
  bench_record "inner loop, $case" "bare path" s - - ${totals[bare path/$case]}
  bench_record "inner loop, $case" "this AppHost" s "plain Aspire|bare path" "$target" ${totals[this AppHost/$case]}
  for label in "this AppHost" "plain Aspire" "bare path"; do
    for phase in AppHostRunning PostgresRunning WorkerLaunched WorkerRunning WorkerExited WebLaunched WebRunning WebAlive WebHealthy; do
      [[ -n "${phases[$label|$case|$phase]:-}" ]] && bench_phase "inner loop, $case" "$label" "$phase" ${phases[$label|$case|$phase]}
    done
  done
done
