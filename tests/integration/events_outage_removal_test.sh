#!/usr/bin/env bash
# A container removed while the agent is cut off its engine (the events stream down, its
# destroy event never seen): the resync after the reconnect ends its follower, after its last
# lines, and drops its checkpoint; the other container goes on. The agent reaches the engine
# through a proxy the test stops and starts again, the engine itself never stops.
source "$(dirname "$0")/lib.sh"

proxy_socket=$TEST_DIR/proxy.sock
PROXY_PID=""
start_proxy() {
  : >"$TEST_DIR/proxy.log"
  python3 "$LC_TEST_LIB_DIR/unix_socket_proxy.py" "$proxy_socket" "${DOCKER_HOST#unix://}" \
    >>"$TEST_DIR/proxy.log" 2>&1 &
  PROXY_PID=$!
  wait_for 10 "the proxy listens" grep -q listening "$TEST_DIR/proxy.log"
}
stop_proxy() {
  [[ -n $PROXY_PID ]] || return 0
  kill "$PROXY_PID" 2>/dev/null || true
  wait "$PROXY_PID" 2>/dev/null || true
  PROXY_PID=""
}
CLEANUP_HOOK=stop_proxy
[[ $DOCKER_HOST == unix://* ]] || { echo "SKIP: the engine is not on a Unix socket"; exit 0; }

start_proxy
LC_TEST_DOCKER_HOST=unix://$proxy_socket
DOCKER_EXTRA_CONFIG="  reconnect_backoff_initial: 100ms
  reconnect_backoff_max: 500ms"
write_config
start_agent

run_container gone 'i=1; while true; do echo "g $i"; i=$((i+1)); usleep 20000; done'
run_container stays 'i=1; while true; do echo "s $i"; i=$((i+1)); usleep 20000; done'
gone_id=$(docker inspect -f '{{.Id}}' "gone-$(basename "$TEST_DIR")")
both_followed() { [[ $(metric log_capturer_containers_followed) -eq 2 ]]; }
wait_for 30 "both containers followed" both_followed
has_checkpoint() {
  python3 -c 'import json,sys; sys.exit(sys.argv[2] not in json.load(open(sys.argv[1]))["containers"])' \
    "$TEST_DIR/data/checkpoints.json" "$gone_id" 2>/dev/null
}
wait_for 30 "a checkpoint for the container to remove" has_checkpoint

log "cutting the agent off the engine"
stop_proxy
degraded() { [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$API_PORT/health") == 503 ]]; }
wait_for 30 "/health degraded without the engine" degraded
docker rm -f "gone-$(basename "$TEST_DIR")" >/dev/null
log "container removed; reconnecting the agent"
start_proxy
healthy() { [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$API_PORT/health") == 200 ]]; }
wait_for 30 "healthy after the reconnect" healthy

one_followed() { [[ $(metric log_capturer_containers_followed) -eq 1 ]]; }
wait_for 30 "the removed container's follower ended" one_followed
no_checkpoint() { ! has_checkpoint; }
wait_for 30 "the removed container's checkpoint dropped" no_checkpoint
before=$(verify_store --print-count)
more() { [[ $(verify_store --print-count) -gt $((before + 20)) ]]; }
wait_for 30 "the other container still followed" more
stop_agent
echo "PASS"
