#!/usr/bin/env bash
# Makes a Docker engine available for the integration tests (Aspire starts Postgres as a container).
#
#   source .ci/docker-engine.sh      # preferred: sets DOCKERD_PID and defines docker_engine_stop
#   ...
#   docker_engine_stop               # or: .ci/docker-engine-stop.sh
#
# If `docker info` already answers, that engine is reused and DOCKERD_PID is empty, so stopping does nothing.
# Otherwise Debian's docker.io is installed if needed and dockerd is started in the background (no systemd here).
# Exports: DOCKERD_PID (pid of the dockerd started here, or ""), DOCKERD_PIDFILE, DOCKERD_LOG.
set -euo pipefail

# Outside the engine's own /run files so a later run can tell which dockerd CI started.
DOCKERD_STATE_DIR="${DOCKERD_STATE_DIR:-${TMPDIR:-/tmp}/ci-dockerd}"
export DOCKERD_PIDFILE="${DOCKERD_PIDFILE:-$DOCKERD_STATE_DIR/dockerd.pid}"
export DOCKERD_LOG="${DOCKERD_LOG:-$DOCKERD_STATE_DIR/dockerd.log}"
DOCKERD_START_TIMEOUT="${DOCKERD_START_TIMEOUT:-60}"
DOCKER_ENGINE_CI_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

docker_engine_answers() {
  command -v docker >/dev/null && docker info >/dev/null 2>&1
}

docker_engine_install() {
  command -v dockerd >/dev/null && return 0
  echo "docker-engine: installing docker.io" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Package lists may be missing or stale on a fresh machine; refresh only when the install needs it.
  apt-get install -y -q --no-install-recommends docker.io >/dev/null \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends docker.io >/dev/null; }
}

docker_engine_start() {
  DOCKERD_PID=""
  if docker_engine_answers; then
    echo "docker-engine: reusing the running engine" >&2
    export DOCKERD_PID
    return 0
  fi
  docker_engine_install
  # Where services may start on install (no policy-rc.d), the package's init script may already have started one.
  if docker_engine_answers; then
    echo "docker-engine: reusing the engine started by the package" >&2
    export DOCKERD_PID
    return 0
  fi

  mkdir -p "$DOCKERD_STATE_DIR"
  echo "docker-engine: starting dockerd (log: $DOCKERD_LOG)" >&2
  # overlay2 + cgroupfs: what works without systemd. Default data-root keeps built images between runs.
  dockerd --storage-driver=overlay2 --exec-opt native.cgroupdriver=cgroupfs \
    </dev/null >"$DOCKERD_LOG" 2>&1 &
  DOCKERD_PID=$!
  echo "$DOCKERD_PID" >"$DOCKERD_PIDFILE"
  export DOCKERD_PID

  local waited=0
  until docker_engine_answers; do
    # A dead child stays a zombie (kill -0 still succeeds), so read its state instead.
    if [[ "$(awk '{print $3}' "/proc/$DOCKERD_PID/stat" 2>/dev/null)" =~ ^(|Z|X)$ ]]; then
      rm -f "$DOCKERD_PIDFILE"
      echo "docker-engine: dockerd exited during start-up; last log lines:" >&2
      tail -n 20 "$DOCKERD_LOG" >&2
      return 1
    fi
    if ((waited >= DOCKERD_START_TIMEOUT)); then
      echo "docker-engine: dockerd did not answer within ${DOCKERD_START_TIMEOUT}s; last log lines:" >&2
      tail -n 20 "$DOCKERD_LOG" >&2
      docker_engine_stop
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done

  # The client on PATH may be newer than the engine (e.g. a docker 28 client vs. Debian's 20.10 engine);
  # it negotiates down unless DOCKER_API_VERSION pins it, so check that the pair really talks.
  docker version --format 'docker-engine: client {{.Client.Version}} (API {{.Client.APIVersion}}), engine {{.Server.Version}} (API {{.Server.APIVersion}})' >&2 \
    || { echo "docker-engine: client and engine do not agree on an API version (is DOCKER_API_VERSION set?)" >&2; return 1; }
  echo "docker-engine: dockerd ready after ${waited}s (pid $DOCKERD_PID)" >&2
}

# Stops only the dockerd started by docker_engine_start; does nothing when an engine was reused.
docker_engine_stop() {
  local pid="${DOCKERD_PID:-}"
  DOCKERD_PID="$pid" "$DOCKER_ENGINE_CI_DIR/docker-engine-stop.sh"
  # When sourced, dockerd is this shell's child: reap it so no zombie is left.
  [[ -z "$pid" ]] || wait "$pid" 2>/dev/null || true
  DOCKERD_PID=""
}

docker_engine_start
