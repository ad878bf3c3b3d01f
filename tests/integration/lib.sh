# Helpers for the integration tests: start/stop the real agent against the private Docker
# engine that scripts/test started (LC_TEST_DOCKER_HOST), run containers, read metrics.
set -euo pipefail

: "${LC_TEST_DOCKER_HOST:?run through scripts/test (it starts the private Docker engine)}"
export DOCKER_HOST=$LC_TEST_DOCKER_HOST
LC_TEST_IMAGE=${LC_TEST_IMAGE:-lc-busybox:test}
LC_BINARY=${LC_BINARY:-${LC_BUILD_DIR:-$(dirname "$0")/../../build}/log-capturer}
LC_TEST_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

TEST_DIR=$(mktemp -d /tmp/lc-it.XXXXXX)
TEST_LABEL="lc.test=$(basename "$TEST_DIR")"
AGENT_PID=""

fail() { echo "FAIL: $*" >&2; [[ -f $TEST_DIR/agent.log ]] && tail -40 "$TEST_DIR/agent.log" >&2; exit 1; }
log() { echo "[$(date +%T)] $*" >&2; }

# free_port: a TCP port on 127.0.0.1 no other test of this machine uses. A port from bind(0)
# is free only until someone binds it, and tests run in parallel: two once got the same one (an
# agent then failed with "Address already in use" while the test talked to the other test's
# agent). Ports come from below the kernel's ephemeral range (32768-60999, where bind(0) and
# outgoing connections take theirs) and are claimed for the life of this test (mkdir is atomic;
# a claim whose test is gone is taken over).
LC_PORT_CLAIMS=${TMPDIR:-/tmp}/lc-test-ports
free_port() {
  mkdir -p "$LC_PORT_CLAIMS"
  local port claim owner
  while :; do
    port=$((20000 + RANDOM % 12000))
    claim=$LC_PORT_CLAIMS/$port
    if ! mkdir "$claim" 2>/dev/null; then
      owner=$(cat "$claim/pid" 2>/dev/null || echo "")
      [[ -n $owner ]] && kill -0 "$owner" 2>/dev/null && continue
      rm -rf "$claim"
      mkdir "$claim" 2>/dev/null || continue
    fi
    echo $$ >"$claim/pid"
    if python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', $port))" 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
}
release_ports() {
  local claim
  for claim in "$LC_PORT_CLAIMS"/*; do
    [[ $(cat "$claim/pid" 2>/dev/null) == "$$" ]] && rm -rf "$claim"
  done
  return 0
}
API_PORT=$(free_port)
METRICS_PORT=$(free_port)

# LC_TEST_DOCKER_MODE (auto, api, file) picks how container logs are read: auto reads the
# json-file logs of the private engine directly; CMake runs some tests in api mode as well.
# Containers of this test carry TEST_LABEL; the agent follows only them, so tests that share
# the engine never see each other's containers.
write_config() {
  cat >"$TEST_DIR/config.yaml" <<YAML
data_dir: $TEST_DIR/data
log_level: ${LC_TEST_LOG_LEVEL:-info}
checkpoint_interval: 200ms
docker:
  host: $LC_TEST_DOCKER_HOST
${DOCKER_EXTRA_CONFIG:-}
inputs:
  docker:
    mode: ${LC_TEST_DOCKER_MODE:-auto}
    filter:
      include_labels: ["$TEST_LABEL"]
    reconcile_interval: 10m  # events alone must find every container; resync is a backstop
pipeline:
  flush_interval: 50ms
server:
  listen: 127.0.0.1:$API_PORT
  metrics_listen: 127.0.0.1:$METRICS_PORT
${EXTRA_CONFIG:-}
YAML
}

start_agent() {
  [[ -f $TEST_DIR/config.yaml ]] || write_config
  "$LC_BINARY" --config "$TEST_DIR/config.yaml" "$@" >>"$TEST_DIR/agent.log" 2>&1 &
  AGENT_PID=$!
  wait_for 20 "agent serves /health" agent_answers
}

agent_answers() { curl -s -o /dev/null "http://127.0.0.1:$API_PORT/health"; }

stop_agent() {  # graceful: SIGTERM, then exit 0 well within the shutdown deadline (10 s)
  [[ -n $AGENT_PID ]] || return 0
  kill -TERM "$AGENT_PID"
  local deadline=$((SECONDS + 15))
  while kill -0 "$AGENT_PID" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  kill -0 "$AGENT_PID" 2>/dev/null && fail "agent still running 15 s after SIGTERM"
  local status=0
  wait "$AGENT_PID" || status=$?
  AGENT_PID=""
  ((status == 0)) || fail "agent exited with $status after SIGTERM"
}

kill_agent() {  # kill -9: no chance to save anything
  [[ -n $AGENT_PID ]] || return 0
  kill -KILL "$AGENT_PID" 2>/dev/null || true
  wait "$AGENT_PID" 2>/dev/null || true
  AGENT_PID=""
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls every 0.1 s.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    ((SECONDS < deadline)) || fail "timed out after ${seconds}s waiting for: $what"
    sleep 0.1
  done
}

wait_for_quietly() {  # wait_for_quietly SECONDS COMMAND...: like wait_for, false instead of failing
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# metric NAME [LABELS]: the value of a series on /metrics (0 when absent).
metric() {
  local name=$1 labels=${2:-}
  curl -s "http://127.0.0.1:$METRICS_PORT/metrics" |
    awk -v series="$name$labels" '$1 == series { print $2; found=1 } END { if (!found) print 0 }' |
    awk '{ printf "%d\n", $1 }'
}

agent_fds() { ls "/proc/$AGENT_PID/fd" | wc -l; }
agent_threads() { ls "/proc/$AGENT_PID/task" | wc -l; }

# run_container NAME SCRIPT [docker run options...]: detached, labelled, no network.
run_container() {
  local name=$1 script=$2
  shift 2
  docker run -d --name "$name-$(basename "$TEST_DIR")" --label "$TEST_LABEL" --network none "$@" \
    "$LC_TEST_IMAGE" sh -c "$script" >/dev/null
}

remove_test_containers() {
  local ids
  ids=$(docker ps -aq --filter "label=$TEST_LABEL" 2>/dev/null) || return 0
  [[ -z $ids ]] || docker rm -f $ids >/dev/null 2>&1 || true
}

# verify_store ARGS...: tests/integration/verify_store.py over this test's store.
verify_store() { python3 "$LC_TEST_LIB_DIR/verify_store.py" "$TEST_DIR/data/store" "$@"; }

# The Loki stand-in (tests/tools/loki_receiver): start_loki_receiver [receiver options...]
# listens on LOKI_PORT (kept across restarts) and appends what it accepts to $LOKI_OUTPUT.
LOKI_RECEIVER=$(dirname "$LC_BINARY")/loki-test-receiver
LOKI_OUTPUT=$TEST_DIR/loki.ndjson
LOKI_PID=""
LOKI_PORT=$(free_port)
start_loki_receiver() {
  : >"$TEST_DIR/loki.log"
  "$LOKI_RECEIVER" --port "$LOKI_PORT" --output "$LOKI_OUTPUT" "$@" >>"$TEST_DIR/loki.log" 2>&1 &
  LOKI_PID=$!
  wait_for 10 "the Loki receiver listens" grep -q "listening on" "$TEST_DIR/loki.log"
}
stop_loki_receiver() {
  [[ -n $LOKI_PID ]] || return 0
  kill -TERM "$LOKI_PID" 2>/dev/null || true
  wait "$LOKI_PID" 2>/dev/null || true
  LOKI_PID=""
}
# verify_loki ARGS...: verify_store.py over what the Loki receiver accepted.
verify_loki() { python3 "$LC_TEST_LIB_DIR/verify_store.py" "$LOKI_OUTPUT" "$@"; }

# The Kafka stand-in (tests/tools/kafka_cluster, librdkafka's mock cluster): start_kafka_cluster
# [options...] sets KAFKA_BOOTSTRAPS; the values of the messages reaching topic "logs" are
# appended to $KAFKA_OUTPUT_DIR/logs-kafka.ndjson (verify_kafka reads them as a store).
# kafka_broker down|up N takes broker N (from 1) down or brings it back.
KAFKA_CLUSTER=$(dirname "$LC_BINARY")/kafka-test-cluster
KAFKA_OUTPUT_DIR=$TEST_DIR/kafka
KAFKA_PID=""
KAFKA_BOOTSTRAPS=""
start_kafka_cluster() {
  mkdir -p "$KAFKA_OUTPUT_DIR"
  mkfifo "$TEST_DIR/kafka.control"
  : >"$TEST_DIR/kafka.log"
  "$KAFKA_CLUSTER" --output "$KAFKA_OUTPUT_DIR/logs-kafka.ndjson" \
    --control "$TEST_DIR/kafka.control" "$@" >>"$TEST_DIR/kafka.log" 2>&1 &
  KAFKA_PID=$!
  wait_for 10 "the Kafka cluster starts" grep -q "^bootstraps " "$TEST_DIR/kafka.log"
  KAFKA_BOOTSTRAPS=$(sed -n 's/^bootstraps //p' "$TEST_DIR/kafka.log" | head -1)
}
kafka_broker() { echo "$1 $2" >"$TEST_DIR/kafka.control"; }
stop_kafka_cluster() {
  [[ -n $KAFKA_PID ]] || return 0
  kill -TERM "$KAFKA_PID" 2>/dev/null || true
  wait "$KAFKA_PID" 2>/dev/null || true
  KAFKA_PID=""
}
verify_kafka() { python3 "$LC_TEST_LIB_DIR/verify_store.py" "$KAFKA_OUTPUT_DIR" "$@"; }

# The Elasticsearch stand-in (tests/tools/elasticsearch_receiver): start_elasticsearch_receiver
# [receiver options...] listens on ES_PORT and appends each document it indexes (once per
# _id) to $ES_OUTPUT_DIR/logs-es.ndjson (verify_elasticsearch reads them as a store).
ES_RECEIVER=$(dirname "$LC_BINARY")/elasticsearch-test-receiver
ES_OUTPUT_DIR=$TEST_DIR/elasticsearch
ES_PID=""
ES_PORT=$(free_port)
start_elasticsearch_receiver() {
  mkdir -p "$ES_OUTPUT_DIR"
  : >"$TEST_DIR/elasticsearch.log"
  "$ES_RECEIVER" --port "$ES_PORT" --output "$ES_OUTPUT_DIR/logs-es.ndjson" "$@" \
    >>"$TEST_DIR/elasticsearch.log" 2>&1 &
  ES_PID=$!
  wait_for 10 "the Elasticsearch receiver listens" grep -q "listening on" \
    "$TEST_DIR/elasticsearch.log"
}
stop_elasticsearch_receiver() {
  [[ -n $ES_PID ]] || return 0
  kill -TERM "$ES_PID" 2>/dev/null || true
  wait "$ES_PID" 2>/dev/null || true
  ES_PID=""
}
# An index keeps no order: documents are found by time, so only loss and duplicates count.
verify_elasticsearch() { python3 "$LC_TEST_LIB_DIR/verify_store.py" "$ES_OUTPUT_DIR" "$@" --unordered; }

cleanup() {
  local status=$?
  kill_agent
  stop_loki_receiver
  stop_kafka_cluster
  stop_elasticsearch_receiver
  remove_test_containers
  [[ -z ${CLEANUP_HOOK:-} ]] || $CLEANUP_HOOK  # a test's own teardown, before its files go
  release_ports
  if ((status == 0)); then rm -rf "$TEST_DIR"; else echo "test files kept in $TEST_DIR" >&2; fi
}
trap cleanup EXIT

# two_stream_writer LINES ERR_LINES LONG_EVERY ERR_BURST PAUSE_US [THEN]: a container script
# (the caller sets TAG) writing LINES stdout lines "TAG n <96 p>" in bursts of 500 and, at the
# same time, ERR_LINES stderr lines "eTAG n", every LONG_EVERY-th of them 20 KiB ("eTAG n
# P20000 <padding>": more than one of dockerd's 16 KiB pieces); it pauses PAUSE_US after each
# stdout burst and after every ERR_BURST stderr lines, then runs THEN.
two_stream_writer() {
  local lines=$1 err_lines=$2 long_every=$3 err_burst=$4 pause=$5 then=${6:+; $6}
  echo 'pad=$(head -c 96 /dev/zero | tr "\0" p); p20=$(head -c 20000 /dev/zero | tr "\0" p)
  out() { i=0; while [ $i -lt '"$lines"' ]; do seq $((i+1)) $((i+500)) | sed "s/^/$TAG /;s/\$/ $pad/"; i=$((i+500)); usleep '"$pause"'; done; }
  err() { i=1; while [ $i -le '"$err_lines"' ]; do
    if [ $((i % '"$long_every"')) -eq 0 ]; then echo "e$TAG $i P20000 $p20"; else echo "e$TAG $i"; fi
    [ $((i % '"$err_burst"')) -eq 0 ] && usleep '"$pause"'; i=$((i+1)); done; }
  out & err >&2 & wait'"$then"
}

# pipeline_settings "key: value"...: adds these settings to the pipeline section of the
# config that write_config wrote.
pipeline_settings() {
  python3 - "$TEST_DIR/config.yaml" "$@" <<'PY'
import sys
path, settings = sys.argv[1], sys.argv[2:]
text = open(path).read()
text = text.replace("pipeline:\n", "pipeline:\n" + "".join(f"  {s}\n" for s in settings), 1)
open(path, "w").write(text)
PY
}
