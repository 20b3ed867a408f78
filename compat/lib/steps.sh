# The steps of compat/run (sourced): the workers, the base's smoke suite and the current web app, each against a
# database of the server bench/lib/database.sh started. Needs COMPAT_ROOT, COMPAT_WORK, COMPAT_BASE_DIR and
# COMPAT_SMOKE_FILTER. Long-running children run in a process group of their own (COMPAT_CHILD), so that an interrupted
# run stops all they started.

COMPAT_CHILD=""

# Runs a command in its own process group, output to the log $1; returns its exit code.
compat_run_logged() {
  local log=$1 rc=0
  shift
  setsid "$@" >"$log" 2>&1 &
  COMPAT_CHILD=$!
  wait "$COMPAT_CHILD" || rc=$?
  COMPAT_CHILD=""
  return "$rc"
}

compat_stop_child() {
  [[ -n "$COMPAT_CHILD" ]] || return 0
  kill -TERM -- "-$COMPAT_CHILD" 2>/dev/null || true
  wait "$COMPAT_CHILD" 2>/dev/null || true
  COMPAT_CHILD=""
}

# The web app's login for database $1: its own role and a password of this run (the worker creates the role).
compat_web_cs() {
  echo "Host=127.0.0.1;Port=$BENCH_DB_PORT;Database=$1;Username=${1}_web;Password=$COMPAT_WEB_PASSWORD"
}

# Runs a worker build ($1: the checkout whose MigrationService to run) on database $2, with the rest as arguments;
# output to $COMPAT_WORK/worker-<database>.log. Returns the worker's exit code.
compat_worker() {
  local checkout=$1 db=$2
  shift 2
  ConnectionStrings__appdb="$(bench_db_cs "$db")" ConnectionStrings__appdb_web="$(compat_web_cs "$db")" \
    dotnet "$checkout/MigrationService/bin/Debug/net10.0/MigrationService.dll" "$@" >>"$COMPAT_WORK/worker-$db.log" 2>&1
}

# The migration ids database $1's history holds, one a line, oldest first (byte order, as EF Core orders them).
compat_history() {
  PGPASSWORD="$BENCH_DB_PASSWORD" psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$BENCH_DB_PORT" -U postgres -d "$1" \
    -c 'SELECT "MigrationId" FROM "__EFMigrationsHistory"' | LC_ALL=C sort
}

# Runs the base's smoke suite against database $1 through the base's own AppHost in External mode (its worker and web
# app, started by its tests); results in $COMPAT_WORK/smoke-$1/. Sets COMPAT_PASSED, COMPAT_FAILED_COUNT and
# COMPAT_FAILED (the failed tests' names, one method a line). Returns 0 when every selected test passed, 1 when some failed, 2 when the suite did not run.
compat_smoke() {
  local db=$1 results=$COMPAT_WORK/smoke-$1 rc=0 report
  report=$results/smoke.xml
  # CI is unset so the base's own settings add no second --fail-skips: a skipped smoke test fails here anyway.
  compat_run_logged "$COMPAT_WORK/smoke-$db.log" env -u CI -C "$COMPAT_BASE_DIR" \
    Postgres__Mode=External ConnectionStrings__appdb="$(bench_db_cs "$db")" "ConnectionStrings__appdb-web=$(compat_web_cs "$db")" \
    dotnet test --project tests/IntegrationTests --no-build --fail-skips on "${COMPAT_SMOKE_FILTER[@]}" \
    --report-xunit-xml --report-xunit-xml-filename smoke.xml --results-directory "$results" || rc=$?
  if [[ ! -s "$report" ]] || ! grep -q '<assembly .*total="[1-9]' "$report"; then
    tail -n 20 "$COMPAT_WORK/smoke-$db.log" >&2
    echo "compat: the base's smoke suite ran no test (exit $rc; log above, filter: ${COMPAT_SMOKE_FILTER[*]})" >&2
    return 2
  fi
  COMPAT_PASSED=$(compat_report_count passed "$report")
  COMPAT_FAILED_COUNT=$(compat_report_count failed "$report")
  # One line per failed test method; a theory's failed cases are counted on its line.
  COMPAT_FAILED=$(grep -o '<test [^>]*result="\(Fail\|Skip\)"' "$report" | sed -e 's/.* name="\([^"(]*\).*/\1/' \
    | sort | uniq -c | awk '{ print $2 ($1 > 1 ? " (" $1 " cases)" : "") }' || true)
  [[ -z "$COMPAT_FAILED" && $rc == 0 ]] && return 0
  [[ -n "$COMPAT_FAILED" ]] || COMPAT_FAILED="(the test run exited $rc; see $COMPAT_WORK/smoke-$db.log)"
  return 1
}

# The assembly's count of $1 (passed, failed, skipped) in the xunit XML report $2.
compat_report_count() {
  grep -o '<assembly [^>]*' "$2" | grep -o " $1=\"[0-9]*\"" | tr -dc '0-9'
}

# Starts the current web app as Production on database $1 (its own login) and sets COMPAT_HEALTH to what /health
# answers once the app is up (/alive answers 200; "none" if it never is). The app is stopped again before this returns.
compat_current_health() {
  local port url pid
  COMPAT_HEALTH=none
  port=$(bench_free_port)
  url="http://127.0.0.1:$port"
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$url" ConnectionStrings__appdb="$(compat_web_cs "$1")" \
    setsid dotnet "$COMPAT_ROOT/WebApp/bin/Debug/net10.0/WebApp.dll" >"$COMPAT_WORK/webapp-$1.log" 2>&1 &
  pid=$!
  COMPAT_CHILD=$pid
  for _ in $(seq 1 240); do
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/alive")" == 200 ]]; then
      COMPAT_HEALTH=$(curl -s -o /dev/null -w '%{http_code}' "$url/health")
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  compat_stop_child
}
