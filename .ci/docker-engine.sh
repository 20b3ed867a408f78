# Sourced by .ci/run. docker_engine_start makes a Docker engine answer: the running one if `docker info` answers, else
# dockerd from Debian's docker.io (installed if missing), started here by hand (no systemd; overlay2 and cgroupfs work).
# docker_engine_stop stops only a dockerd started here, and does nothing when the engine was reused.

DOCKERD_PID=""
DOCKERD_LOG="${TMPDIR:-/tmp}/ci-dockerd.log"

docker_engine_answers() { command -v docker >/dev/null && docker info >/dev/null 2>&1; }

# A dead child stays a zombie until reaped (kill -0 still succeeds), so read its state instead.
docker_engine_started_here() { [[ -n "$DOCKERD_PID" && ! "$(awk '{print $3}' "/proc/$DOCKERD_PID/stat" 2>/dev/null)" =~ ^(|Z|X)$ ]]; }

docker_engine_start() {
  if docker_engine_answers; then
    echo "docker-engine: reusing the running engine" >&2
    return 0
  fi
  command -v dockerd >/dev/null || "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" docker.io
  # Where services may start on install (no policy-rc.d), the package may already have started one.
  if docker_engine_answers; then
    echo "docker-engine: reusing the engine started by the package" >&2
    return 0
  fi

  echo "docker-engine: starting dockerd (log: $DOCKERD_LOG)" >&2
  dockerd --storage-driver=overlay2 --exec-opt native.cgroupdriver=cgroupfs </dev/null >"$DOCKERD_LOG" 2>&1 &
  DOCKERD_PID=$!
  local waited=0
  until docker_engine_answers; do
    if ! docker_engine_started_here || ((waited >= 60)); then
      echo "docker-engine: dockerd did not come up within ${waited}s; last log lines:" >&2
      tail -n 20 "$DOCKERD_LOG" >&2
      docker_engine_stop
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  # The client on PATH may be newer than Debian's engine; it negotiates down unless DOCKER_API_VERSION pins it.
  docker version --format 'docker-engine: client {{.Client.Version}}, engine {{.Server.Version}} (API {{.Server.APIVersion}})' >&2 \
    || { echo "docker-engine: client and engine do not agree on an API version (is DOCKER_API_VERSION set?)" >&2; return 1; }
  echo "docker-engine: dockerd ready after ${waited}s (pid $DOCKERD_PID)" >&2
}

docker_engine_stop() {
  [[ -n "$DOCKERD_PID" ]] || return 0
  local waited=0
  if docker_engine_started_here; then
    echo "docker-engine: stopping dockerd (pid $DOCKERD_PID)" >&2
    # On SIGTERM dockerd stops its containers (10 s each by default) and containerd, then exits.
    kill -TERM "$DOCKERD_PID"
    while docker_engine_started_here; do
      if ((waited >= 60)); then
        echo "docker-engine: dockerd still running after 60s; killing it" >&2
        kill -KILL "$DOCKERD_PID" 2>/dev/null || true
        break
      fi
      sleep 1
      waited=$((waited + 1))
    done
  fi
  wait "$DOCKERD_PID" 2>/dev/null || true
  DOCKERD_PID=""
}
