#!/usr/bin/env bash
# Stops the dockerd that .ci/docker-engine.sh started, and nothing else.
# Takes the pid from DOCKERD_PID when set (empty = the engine was reused: do nothing), else from the pid file.
set -euo pipefail

DOCKERD_STATE_DIR="${DOCKERD_STATE_DIR:-${TMPDIR:-/tmp}/ci-dockerd}"
DOCKERD_PIDFILE="${DOCKERD_PIDFILE:-$DOCKERD_STATE_DIR/dockerd.pid}"
DOCKERD_STOP_TIMEOUT="${DOCKERD_STOP_TIMEOUT:-60}"

if [[ -n "${DOCKERD_PID+set}" ]]; then
  pid="$DOCKERD_PID"
else
  pid="$(cat "$DOCKERD_PIDFILE" 2>/dev/null || true)"
fi
[[ -n "$pid" ]] || exit 0

# A dead child of the caller lingers as a zombie until reaped; treat that as stopped.
running() { [[ ! "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" =~ ^(|Z|X)$ ]]; }

# Guard against a recycled pid: only signal a dockerd.
if running && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == dockerd ]]; then
  echo "docker-engine: stopping dockerd (pid $pid)" >&2
  kill -TERM "$pid"
  # On SIGTERM dockerd stops its containers (10 s each by default) and containerd, then exits.
  waited=0
  while running; do
    if ((waited >= DOCKERD_STOP_TIMEOUT)); then
      echo "docker-engine: dockerd still running after ${DOCKERD_STOP_TIMEOUT}s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "docker-engine: dockerd stopped after ${waited}s" >&2
fi
# Only forget the pid file if it names this dockerd (a reused engine's file belongs to whoever started it).
if [[ "$(cat "$DOCKERD_PIDFILE" 2>/dev/null || true)" == "$pid" ]]; then rm -f "$DOCKERD_PIDFILE"; fi
