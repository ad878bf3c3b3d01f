# Starts and stops a Docker engine (Debian's docker.io) and builds the busybox test image.
# Sourced by scripts/run, scripts/test, scripts/soak and bench/run.

LC_TEST_IMAGE=${LC_TEST_IMAGE:-lc-busybox:test}

# True when the engine at DOCKER_HOST (or the default socket) answers.
lc_docker_reachable() {
  docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

# Starts a private engine under $1 (state dir): its own socket, data root and exec root, no
# iptables and no bridge, so it never touches another engine. Exports DOCKER_HOST.
lc_docker_start_private() {
  local state=$1
  mkdir -p "$state"
  export DOCKER_HOST="unix://$state/docker.sock"
  if lc_docker_reachable; then return 0; fi
  rm -f "$state/docker.sock" "$state/docker.pid"
  dockerd --data-root "$state/data" --exec-root "$state/exec" -H "$DOCKER_HOST" \
    --pidfile "$state/docker.pid" --iptables=false --ip-masq=false --bridge=none \
    --log-level=warn >"$state/dockerd.log" 2>&1 &
  local i
  for i in $(seq 1 100); do
    lc_docker_reachable && return 0
    sleep 0.2
  done
  echo "log-capturer: the Docker engine did not start; its log: $state/dockerd.log" >&2
  tail -20 "$state/dockerd.log" >&2
  return 1
}

lc_docker_stop_private() {
  local state=$1
  [[ -f $state/docker.pid ]] || return 0
  local pid
  pid=$(cat "$state/docker.pid")
  kill "$pid" 2>/dev/null || return 0
  local i
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -9 "$pid" 2>/dev/null || true
}

# Imports $LC_TEST_IMAGE from Debian's static busybox when the engine lacks it: no registry
# is needed.
lc_docker_test_image() {
  docker image inspect "$LC_TEST_IMAGE" >/dev/null 2>&1 && return 0
  local root
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/proc" "$root/sys" "$root/dev"
  cp /bin/busybox "$root/bin/busybox"
  local applet
  for applet in $("$root/bin/busybox" --list); do
    [[ $applet == busybox ]] || ln -s busybox "$root/bin/$applet"
  done
  tar -C "$root" -cf - . | docker import -c 'ENV PATH=/bin' - "$LC_TEST_IMAGE" >/dev/null
  rm -rf "$root"
}
