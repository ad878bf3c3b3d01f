#!/usr/bin/env bash
# No engine at the configured socket: the agent keeps running, /health says degraded, and it
# captures as soon as the engine appears there.
source "$(dirname "$0")/lib.sh"

socket="$TEST_DIR/late.sock"
EXTRA_CONFIG=""
write_config
sed -i "s#host: $LC_TEST_DOCKER_HOST#host: unix://$socket#" "$TEST_DIR/config.yaml"
start_agent
sleep 1
code=$(curl -s -o "$TEST_DIR/health.json" -w '%{http_code}' "http://127.0.0.1:$API_PORT/health")
[[ $code == 503 ]] || fail "/health answered $code without an engine"
grep -q '"docker"' "$TEST_DIR/health.json" || fail "/health does not name the docker component"
grep -qi "docker" "$TEST_DIR/agent.log" || fail "no message about the engine"
kill -0 "$AGENT_PID" || fail "agent died without an engine"

# The engine "appears": the socket path now leads to the real one.
ln -s "${LC_TEST_DOCKER_HOST#unix://}" "$socket"
healthy() { [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$API_PORT/health") == 200 ]]; }
wait_for 60 "healthy once the engine is there" healthy
run_container late 'i=1; while [ $i -le 100 ]; do echo "u $i"; i=$((i+1)); done'
stored() { [[ $(verify_store --print-count) -ge 100 ]]; }
wait_for 30 "lines stored" stored
verify_store u=100 || fail "store content"
stop_agent
echo "PASS"
