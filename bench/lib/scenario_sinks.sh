# shellcheck shell=bash
# Scenario "sinks": the cost of delivering to Kafka, OpenTelemetry, Elasticsearch, Splunk HEC,
# an HTTP endpoint and syslog (TCP and RELP into Debian's rsyslogd), against the file store alone, in one run and on the same logs. Finished
# containers wrote plain lines; a fresh agent in file mode (json-file read directly) delivers
# them all to one sink: the file store (the yardstick), Kafka (librdkafka's mock cluster of tests/tools/kafka_cluster: 3 brokers,
# 6 partitions, acks all, zstd; its consumer reads everything back), OTLP (loki-test-receiver
# --otlp decoding every export), Elasticsearch (elasticsearch-test-receiver keeping an index by
# _id), Splunk HEC (events, no acknowledgements) or HTTP (both into loki-test-receiver --http,
# which counts the body's lines). Timed until the sink counts every line written. Args:
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

# sinks_via_receiver NAME TOTAL YAML RECEIVER [ARGS...]: RECEIVER started on a free port (@PORT@
# in YAML), a fresh agent timed into it, the receiver stopped (its report in $BENCH_WORK/NAME.err).
sinks_via_receiver() {
  local name=$1 total=$2 yaml=$3 port helper_pid
  shift 3
  port=$(free_port)
  "$@" --port "$port" --output /dev/null >"$BENCH_WORK/$name.out" 2>"$BENCH_WORK/$name.err" &
  helper_pid=$!
  if ! wait_until 10 "the $name receiver listens" grep -q listening "$BENCH_WORK/$name.out"; then
    kill "$helper_pid"
    return 1
  fi
  sinks_agent "$name" "$total" "${yaml//@PORT@/$port}" || { kill "$helper_pid"; return 1; }
  kill -TERM "$helper_pid"
  wait "$helper_pid" || true
}

# sinks_via_rsyslog NAME TOTAL YAML: Debian's rsyslogd on free ports (@TCP@ and @RELP@ in YAML)
# writing each message to a file, a fresh agent timed into it, rsyslog stopped; then it must
# have written TOTAL messages.
sinks_via_rsyslog() {
  local name=$1 total=$2 yaml=$3 dir tcp relp helper_pid received
  dir=$BENCH_WORK/rsyslog-$name
  mkdir -p "$dir"
  tcp=$(free_port)
  relp=$(free_port)
  cat >"$dir/rsyslog.conf" <<EOF
global(workDirectory="$dir" maxMessageSize="64k")
main_queue(queue.timeoutShutdown="10000")
module(load="imtcp")
module(load="imrelp")
input(type="imtcp" port="$tcp" address="127.0.0.1")
input(type="imrelp" port="$relp" address="127.0.0.1")
template(name="message" type="string" string="%msg%\\n")
action(type="omfile" file="$dir/received.log" template="message")
EOF
  /usr/sbin/rsyslogd -n -f "$dir/rsyslog.conf" -i "$dir/rsyslogd.pid" >"$dir/rsyslogd.log" 2>&1 &
  helper_pid=$!
  if ! wait_until 10 "rsyslogd listens" bash -c "exec 3<>/dev/tcp/127.0.0.1/$relp" 2>/dev/null; then
    kill "$helper_pid"
    return 1
  fi
  yaml=${yaml//@TCP@/$tcp}
  sinks_agent "$name" "$total" "${yaml//@RELP@/$relp}" || { kill "$helper_pid"; return 1; }
  kill -TERM "$helper_pid"
  wait "$helper_pid" || true
  received=$(wc -l <"$dir/received.log")
  rm -f "$dir/received.log"
  ((received == total)) || { bench_log "sinks: rsyslog took $received for $name, expected $total"; return 1; }
}

# receiver_took NAME TOTAL: whether loki-test-receiver (for NAME) accepted TOTAL entries.
receiver_took() {
  local received
  received=$(sed -n 's/.*accepted \([0-9]*\) entries.*/\1/p' "$BENCH_WORK/$1.err")
  ((${received:-0} == $2)) || { bench_log "sinks: the $1 receiver took ${received:-0}, expected $2"; return 1; }
}

scenario_sinks() {
  local containers=$1 lines=$2
  local total=$((containers * lines)) helper_pid bootstraps stored
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
  sinks_via_receiver otlp "$total" "sinks:
  file_store: {enabled: false}
  otlp:
    enabled: true
    endpoint: http://127.0.0.1:@PORT@" "$BENCH_BUILD_DIR/loki-test-receiver" --otlp || return 1
  receiver_took otlp "$total" || return 1

  bench_log "sinks: Elasticsearch (bulk, gzip), $total lines"
  sinks_via_receiver elasticsearch "$total" "sinks:
  file_store: {enabled: false}
  elasticsearch:
    type: elasticsearch
    endpoints: [http://127.0.0.1:@PORT@]" "$BENCH_BUILD_DIR/elasticsearch-test-receiver" || return 1
  stored=$(sed -n 's/.*stored \([0-9]*\) documents.*/\1/p' "$BENCH_WORK/elasticsearch.err")
  ((${stored:-0} == total)) || { bench_log "sinks: Elasticsearch stored ${stored:-0}, expected $total"; return 1; }

  bench_log "sinks: Splunk HEC (events, gzip), $total lines"
  sinks_via_receiver splunk_hec "$total" "sinks:
  file_store: {enabled: false}
  splunk_hec:
    type: splunk_hec
    endpoint: http://127.0.0.1:@PORT@
    token: bench" "$BENCH_BUILD_DIR/loki-test-receiver" --http || return 1
  receiver_took splunk_hec "$total" || return 1

  bench_log "sinks: HTTP (NDJSON, gzip), $total lines"
  sinks_via_receiver http "$total" "sinks:
  file_store: {enabled: false}
  http:
    type: http
    url: http://127.0.0.1:@PORT@/ingest
    compression: gzip" "$BENCH_BUILD_DIR/loki-test-receiver" --http || return 1
  receiver_took http "$total" || return 1

  bench_log "sinks: syslog over TCP (RFC 5424, octet counting) into rsyslogd, $total lines"
  sinks_via_rsyslog syslog_tcp "$total" "sinks:
  file_store: {enabled: false}
  syslog_tcp:
    type: syslog
    address: 127.0.0.1:@TCP@" || return 1

  bench_log "sinks: syslog over RELP into rsyslogd, $total lines"
  sinks_via_rsyslog syslog_relp "$total" "sinks:
  file_store: {enabled: false}
  syslog_relp:
    type: syslog
    protocol: relp
    address: 127.0.0.1:@RELP@" || return 1
  remove_containers sinks
}
