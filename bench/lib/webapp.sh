# The web app for a benchmark run (sourced by the scenarios): the Release build, run as Production, as the cloud runs
# it, straight from its build output (no AppHost, no telemetry exporter), as its own login role (<database>_web, DML
# only), which the worker creates and gives a password from BENCH_WEB_CONNECTION_STRING, as a deployment does.

bench_build() {
  dotnet build "$BENCH_ROOT/WebApp" -c Release -v quiet -nologo >/dev/null
  dotnet build "$BENCH_ROOT/MigrationService" -c Release -v quiet -nologo >/dev/null
}

# The web app's login: BENCH_CONNECTION_STRING with the role <database>_web and a password of this run instead of the admin's.
bench_web_login() {
  local password
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  BENCH_WEB_CONNECTION_STRING="$(tr ';' '\n' <<<"$BENCH_CONNECTION_STRING" \
    | awk -F= 'tolower($1) !~ /^(username|user id|userid|user|password|pwd)$/' | paste -sd ';');Username=${BENCH_PG_DATABASE}_web;Password=$password"
}

# Migrates and seeds the database with the worker, as a deployment does, and sets up the web app's role.
bench_migrate() {
  bench_web_login
  ConnectionStrings__appdb="$BENCH_CONNECTION_STRING" ConnectionStrings__appdb_web="$BENCH_WEB_CONNECTION_STRING" \
    dotnet "$BENCH_ROOT/MigrationService/bin/Release/net10.0/MigrationService.dll" >"$BENCH_WORK/migrations.log" 2>&1 \
    || { cat "$BENCH_WORK/migrations.log" >&2; return 1; }
}

# Starts the web app on a free port with rate limits out of the way (one load generator is one client address);
# sets BENCH_WEBAPP_URL and BENCH_WEBAPP_PID and waits until /health answers 200.
bench_webapp_start() {
  local port
  port=$(bench_free_port)
  BENCH_WEBAPP_URL="http://127.0.0.1:$port"
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$BENCH_WEBAPP_URL" \
    ConnectionStrings__appdb="$BENCH_WEB_CONNECTION_STRING" \
    RateLimiting__Reads__PermitLimit=2000000000 RateLimiting__Writes__PermitLimit=2000000000 \
    Logging__LogLevel__Default=Warning \
    dotnet "$BENCH_ROOT/WebApp/bin/Release/net10.0/WebApp.dll" >"$BENCH_WORK/webapp.log" 2>&1 &
  BENCH_WEBAPP_PID=$!
  for _ in $(seq 1 120); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$BENCH_WEBAPP_URL/health")" = 200 ] && return
    kill -0 "$BENCH_WEBAPP_PID" 2>/dev/null || { cat "$BENCH_WORK/webapp.log" >&2; return 1; }
    sleep 0.5
  done
  echo "bench: the web app did not turn healthy in 60 s" >&2
  return 1
}

bench_webapp_stop() {
  if [ -n "${BENCH_WEBAPP_PID:-}" ]; then
    kill -TERM "$BENCH_WEBAPP_PID" 2>/dev/null || true
    wait "$BENCH_WEBAPP_PID" 2>/dev/null || true
    BENCH_WEBAPP_PID=
  fi
}

# Resident memory of the web app in MiB: current (VmRSS) or the peak since it started (VmHWM).
bench_webapp_rss_mib() {
  awk -v field="${1:-VmRSS}:" '$1 == field { printf "%.0f", $2 / 1024 }' "/proc/$BENCH_WEBAPP_PID/status"
}

# CPU time the web app has used so far (user + system), in microseconds.
bench_webapp_cpu_us() {
  awk -v tick="$(getconf CLK_TCK)" '{ printf "%.0f", ($14 + $15) * 1000000 / tick }' "/proc/$BENCH_WEBAPP_PID/stat"
}
