#!/usr/bin/env bash
# The docker part of CI, sourced by .ci/run: a Docker engine (docker.io installed and dockerd
# started here when missing; a daemon started here is stopped at exit, one already running is
# left alone), then every image built (reused when present, layer cache otherwise).
# What .ci/run does when no engine can start: see there.

ci_dockerd_pid=""

stop_ci_dockerd() {
  [ -n "$ci_dockerd_pid" ] || return 0
  echo "Stopping the Docker daemon CI started (pid $ci_dockerd_pid)"
  kill "$ci_dockerd_pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$ci_dockerd_pid" 2>/dev/null || return 0; sleep 1; done
}

start_docker_engine() {
  if docker info >/dev/null 2>&1; then
    echo "Docker engine: already running ($(docker info -f '{{.ServerVersion}}'))"
    return 0
  fi
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
    echo "Installing docker.io and debootstrap for the docker path"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap >/dev/null
  fi
  echo "Starting dockerd"
  dockerd >/tmp/integration-lab-ci-dockerd.log 2>&1 &
  ci_dockerd_pid=$!
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    kill -0 "$ci_dockerd_pid" 2>/dev/null || break
    sleep 1
  done
  echo "dockerd did not start; its log:" >&2
  tail -20 /tmp/integration-lab-ci-dockerd.log >&2
  ci_dockerd_pid=""
  return 1
}

# Succeeds when the engine answers and every image is built.
prepare_docker_path() {
  if ! start_docker_engine; then
    echo "No Docker engine could start: the docker path cannot be tested here." >&2
    return 1
  fi
  bash scripts/build-images.sh
}
