#!/usr/bin/env bash
# The engine restarts under the agent: the events stream drops, the agent reports itself
# degraded, reconnects with backoff, resynchronises, reads the last lines of the containers
# the restart stopped, and follows containers started afterwards. Uses an engine of its own.
source "$(dirname "$0")/lib.sh"
source "$LC_SOURCE_DIR/scripts/lib/docker-env.sh"

engine="$TEST_DIR/engine"
stop_engine() { lc_docker_stop_private "$engine"; }
CLEANUP_HOOK=stop_engine
lc_docker_start_private "$engine" || fail "cannot start a private engine"
lc_docker_test_image
LC_TEST_DOCKER_HOST=$DOCKER_HOST
write_config
start_agent

# Both streams at once; every 25th stderr line is 20 KiB (over dockerd's 16 KiB pieces).
run_container before 'p=$(head -c 20000 /dev/zero | tr "\0" p)
  (i=1; while true; do if [ $((i % 25)) -eq 0 ]; then echo "e $i P20000 $p"; else echo "e $i"; fi
    i=$((i+1)); usleep 20000; done) >&2 &
  i=1; while true; do echo "r $i"; i=$((i+1)); usleep 20000; done'
some_lines() { [[ $(verify_store --print-count) -ge 50 ]]; }
wait_for 30 "lines from the first container" some_lines

log "stopping the engine"
stop_engine
degraded() { [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$API_PORT/health") == 503 ]]; }
wait_for 30 "/health degraded without the engine" degraded
log "starting the engine again"
lc_docker_start_private "$engine" || fail "cannot restart the engine"
healthy() { [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$API_PORT/health") == 200 ]]; }
wait_for 60 "healthy after the engine returned" healthy

run_container after 'i=1; while [ $i -le 100 ]; do echo "s $i"; i=$((i+1)); done'
# Everything the first container wrote before the engine stopped it, per the engine itself.
written=$(docker logs "before-$(basename "$TEST_DIR")" 2>/dev/null | grep -c '^r ')
written_err=$(docker logs "before-$(basename "$TEST_DIR")" 2>&1 >/dev/null | grep -c '^e ')
log "the first container wrote $written lines on stdout, $written_err on stderr"
all() { [[ $(verify_store --print-count) -ge $((written + written_err + 100)) ]]; }
wait_for 60 "all lines of both containers" all
verify_store "r=$written" "e=$written_err" s=100 ||
  fail "lines lost or duplicated across the engine restart"
[[ $(metric log_capturer_docker_events_reconnects_total) -ge 2 ]] || fail "events stream not reopened"
stop_agent
echo "PASS"
