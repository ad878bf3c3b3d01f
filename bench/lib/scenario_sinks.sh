# shellcheck shell=bash
# Scenario "sinks": the cost of delivering to Kafka and to OpenTelemetry, against the file store
# alone, in one run and on the same logs. Finished containers wrote plain lines; a fresh agent
# in file mode (json-file read directly) delivers them all to one sink: the file store (the
# yardstick), Kafka (librdkafka's mock cluster of tests/tools/kafka_cluster: 3 brokers,
# 6 partitions, acks all, zstd; its consumer reads everything back) or OTLP (loki-test-receiver
# --otlp decoding every export). Timed until the sink counts every line written. Args:
# containers, lines per container.

SINKS_LINE='2026-12-05T10:00:01.123Z info request handled GET /api/v1/items/4711 status 200 in 4.2ms trace ab12cd34ef56ab12 user alice'

# sinks_agent NAME TOTAL YAML: a fresh agent delivering to the sink NAME configured by YAML,
# timed until it wrote TOTAL records.
sinks_agent() {
  local name=$1 total=$2 yaml=$3 start series
  series="log_capturer_sink_records_written_total{sink=\"$name\"}"
  settle_machine
  start=$(now_s)
  AGENT_DOCKER_MODE=file AGENT_TAG=$name start_agent sinks "$yaml" || return 1
  if ! wait_until $((60 + total / 5000)) "$total records into $name" metric_at_least "$series" "$total"; then
    bench_log "sinks: $name wrote $(metric "$series") of $total"
    stop_agent
    return 1
  fi
  record "sinks.$name.wall_s" "$(elapsed_s "$start")"
  record "sinks.$name.cpu_s" "$(cpu_seconds "$AGENT_PID")"
  record "sinks.$name.hwm_kib" "$(hwm_kib "$AGENT_PID")"
  local written
  written=$(metric "$series")
  stop_agent || return 1
  ((written == total)) || { bench_log "sinks: $name wrote $written records, expected $total"; return 1; }
}

scenario_sinks() {
  local containers=$1 lines=$2
  local total=$((containers * lines)) helper_pid port bootstraps
  start_containers sinks 1 "$containers" "yes '$SINKS_LINE' | head -n $lines" || return 1
  # shellcheck disable=SC2046  # one argument per id
  timeout 600 docker wait $(container_ids sinks) >/dev/null || { bench_log "sinks: containers did not exit"; return 1; }
  record sinks.lines "$total"
  bench_log "sinks: file store, $total lines"
  sinks_agent file_store "$total" "" || return 1

  bench_log "sinks: Kafka (mock cluster, 3 brokers), $total lines"
  "$BENCH_BUILD_DIR/kafka-test-cluster" --output /dev/null >"$BENCH_WORK/kafka.out" 2>"$BENCH_WORK/kafka.err" &
  helper_pid=$!
  wait_until 10 "the Kafka cluster starts" grep -q "^bootstraps " "$BENCH_WORK/kafka.out" || return 1
  bootstraps=$(sed -n 's/^bootstraps //p' "$BENCH_WORK/kafka.out" | head -1)
  sinks_agent kafka "$total" "sinks:
  file_store: {enabled: false}
  kafka:
    enabled: true
    brokers: $bootstraps
    acks: all
    compression: zstd" || { kill "$helper_pid"; return 1; }
  kill -TERM "$helper_pid"
  wait "$helper_pid" || true

  bench_log "sinks: OTLP (protobuf, gzip), $total lines"
  port=$(free_port)
  "$BENCH_BUILD_DIR/loki-test-receiver" --otlp --port "$port" --output /dev/null \
    >"$BENCH_WORK/otlp.out" 2>"$BENCH_WORK/otlp.err" &
  helper_pid=$!
  wait_until 10 "the OTLP receiver listens" grep -q listening "$BENCH_WORK/otlp.out" || return 1
  sinks_agent otlp "$total" "sinks:
  file_store: {enabled: false}
  otlp:
    enabled: true
    endpoint: http://127.0.0.1:$port" || { kill "$helper_pid"; return 1; }
  kill -TERM "$helper_pid"
  wait "$helper_pid" || true
  local received
  received=$(sed -n 's/.*accepted \([0-9]*\) entries.*/\1/p' "$BENCH_WORK/otlp.err")
  ((${received:-0} == total)) || { bench_log "sinks: the OTLP receiver took ${received:-0}, expected $total"; return 1; }
  remove_containers sinks
}
