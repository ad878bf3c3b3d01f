#!/usr/bin/env bash
# 20 long-running and 120 short-lived containers (100 through the Engine API) come and go
# while the agent runs: every line stored exactly once, FDs and threads back to their
# baseline, every stream and log file closed, and the Docker API connection pool reused.
# Each `docker run` costs the engine about 0.5 s: scripts/soak runs the long churn.
source "$(dirname "$0")/lib.sh"

api_mode=0
[[ ${LC_TEST_DOCKER_MODE:-auto} == api ]] && api_mode=1
long_running=${LC_CHURN_LONG:-20}
short_lived=${LC_CHURN_SHORT:-$((api_mode ? 100 : 120))}
start_agent
sleep 1
# Idle keep-alive connections (at most max_idle_connections) are a small constant that comes
# and goes with load: FD counts below leave them out.
fds_without_idle_pool() { echo $(($(agent_fds) - $(metric log_capturer_docker_http_idle_connections))); }
base_fds=$(fds_without_idle_pool)
base_threads=$(agent_threads)
log "baseline: $base_fds fds, $base_threads threads"

expect=()
for c in $(seq 1 "$long_running"); do
  run_container "long$c" "i=1; while [ \$i -le 100 ]; do echo \"L$c \$i\"; i=\$((i+1)); usleep 50000; done; sleep 3600"
  expect+=("L$c=100")
done
followed() { [[ $(metric log_capturer_containers_followed) -ge $long_running ]]; }
wait_for 60 "$long_running streams" followed
log "following $long_running: $(agent_fds) fds, $(agent_threads) threads"

# Each short-lived container writes both streams at once, 10 lines each; its last stderr line
# is 20 KiB (more than one of dockerd's 16 KiB pieces).
start_short() {
  docker run -d --label "$TEST_LABEL" --network none "$LC_TEST_IMAGE" \
    sh -c "p=\$(head -c 20000 /dev/zero | tr '\\0' p)
      (i=1; while [ \$i -le 9 ]; do echo \"T$1 \$i\"; i=\$((i+1)); done; echo \"T$1 10 P20000 \$p\") >&2 &
      i=1; while [ \$i -le 10 ]; do echo \"S$1 \$i\"; i=\$((i+1)); done; wait" >/dev/null
}
export -f start_short
export TEST_LABEL LC_TEST_IMAGE
seq 1 "$short_lived" | xargs -P 4 -I{} bash -c 'start_short {}'
for c in $(seq 1 "$short_lived"); do expect+=("S$c=10" "T$c=10"); done
log "started $short_lived short-lived containers: $(agent_fds) fds, $(agent_threads) threads"

total=$((long_running * 100 + short_lived * 20))
all_stored() { [[ $(verify_store --print-count) -ge $total ]]; }
wait_for 180 "$total lines stored" all_stored
remove_test_containers
streams_done() {
  [[ $(metric log_capturer_containers_followed) -eq 0 && $(metric log_capturer_container_streams_active) -eq 0 &&
     $(metric log_capturer_json_file_open_files) -eq 0 ]]
}
wait_for 60 "every stream and log file closed" streams_done
sleep 1

verify_store "${expect[@]}" --strict || fail "lines lost or duplicated"
[[ $(verify_store --print-count) -eq $total ]] || fail "extra records"
opened=$(metric log_capturer_container_streams_opened_total)
closed=$(metric log_capturer_container_streams_closed_total)
requests=$(metric log_capturer_docker_http_requests_total)
connections=$(metric log_capturer_docker_http_connections_opened_total)
fds=$(fds_without_idle_pool)
threads=$(agent_threads)
log "streams opened $opened closed $closed; docker requests $requests over $connections connections"
log "after: $fds fds (baseline $base_fds), $threads threads (baseline $base_threads)"
((opened == closed)) || fail "streams opened $opened != closed $closed"
if ((api_mode)); then
  ((opened >= long_running + short_lived)) || fail "only $opened streams opened"
else
  # Every container was read from its json-file log (no stream through the API).
  ((opened == 0)) || fail "$opened API streams opened in file mode"
fi
((connections * 10 < requests)) || fail "pool reuse too low: $connections connections for $requests requests"
((fds <= base_fds + 2)) || fail "fd leak: $fds open, baseline $base_fds"
((threads <= base_threads + 2)) || fail "thread growth: $threads, baseline $base_threads"
# Every container is gone and its lines delivered: no checkpoint is left behind. The destroy
# events arrive after `docker rm` returns, so the saved checkpoints get there within moments
# (saved every 200 ms), and stay so through the shutdown.
no_checkpoints_left() {
  python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["containers"]; sys.exit(len(c))' \
    "$TEST_DIR/data/checkpoints.json"
}
if ! wait_for_quietly 15 no_checkpoints_left; then
  # Say which, and whether the engine still has them (a removal that failed is not the agent's).
  for id in $(python3 -c 'import json,sys; print(*json.load(open(sys.argv[1]))["containers"])' \
    "$TEST_DIR/data/checkpoints.json"); do
    log "checkpoint left: $id: $(docker inspect -f '{{.State.Status}}' "$id" 2>&1)"
  done
  fail "checkpoints of removed containers remain 15 s after their removal"
fi
stop_agent
no_checkpoints_left || fail "checkpoints of removed containers remain after the shutdown"
echo "PASS"
