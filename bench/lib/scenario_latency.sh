# shellcheck shell=bash
# Scenario "latency": line-to-store latency of followed containers under a steady load. For
# each load (N containers x R lines/s) the containers run first, then for each mode
# (inputs.docker.mode) a fresh agent follows them with default settings, and
# bench/lib/store_latency.py watches its file store over a window: for each record whose
# dockerd "time" falls in the window, (seen in the store) - (dockerd's stamp).
# Then, at the first load in file mode, line-to-acknowledgement into each of the sinks given
# (Kafka, OTLP), from the agent's own delivery-delay histogram.
# Args: window seconds, modes ("file api"), sinks ("kafka otlp"), then the loads as NxR (e.g.
# 100x10 10x5000).

LATENCY_GRACE_SECONDS=2  # a record of the window seen later than this is not counted

# latency_script RATE: a shell loop writing RATE lines a second: one line every 1/RATE s at up
# to 10 lines/s, else a burst of RATE/10 lines (`yes | head`) every 0.1 s. It waits with
# `read -t` on a FIFO nobody writes (a builtin: forking `sleep` 1000 times a second slowed
# the writers to half their rate on a loaded 2-CPU machine).
latency_script() {
  local rate=$1 wait_s
  wait_s=$(awk -v r="$rate" 'BEGIN { printf "%.3f", r <= 10 ? 1 / r : 0.1 }')
  local tick="mkfifo /tmp/tick; exec 3<>/tmp/tick"
  if ((rate <= 10)); then
    echo "$tick; i=0; while :; do i=\$((i+1)); echo \"latency line \$i from \$HOSTNAME\"; read -t $wait_s _ <&3; done"
  else
    echo "$tick; while :; do yes '$API_LINE' | head -n $((rate / 10)); read -t $wait_s _ <&3; done"
  fi
}

# latency_window KEY SECONDS: once the agent follows every container, the poller reads the
# store, then watches it for SECONDS from 2 s later (the backlog written before the agent
# started is read and flushed by then); the agent's CPU over the window.
latency_window() {
  local key=$1 seconds=$2 cpu0 poller ready="$BENCH_WORK/latency.ready"
  rm -f "$ready"
  python3 "$BENCH_LIB/store_latency.py" "$AGENT_DIR/data/store" 2 "$seconds" \
    "$LATENCY_GRACE_SECONDS" "$BENCH_WORK/raw.env" "$key" "$ready" &
  poller=$!
  wait_until 60 "the store poller's window opens" test -e "$ready" || { kill "$poller"; return 1; }
  cpu0=$(cpu_seconds "$AGENT_PID")
  sleep "$seconds"
  record "$key.cpu_pct" "$(awk -v a="$cpu0" -v b="$(cpu_seconds "$AGENT_PID")" \
    -v s="$seconds" 'BEGIN { printf "%.1f", (b - a) * 100 / s }')"
  wait "$poller" || { bench_log "latency: the store poller failed"; return 1; }
}

# latency_load CONTAINERS RATE SECONDS MODES...: one load, every mode in turn.
latency_load() {
  local containers=$1 rate=$2 seconds=$3 mode load="${1}x${2}"
  shift 3
  bench_log "latency: $containers containers x $rate lines/s"
  start_containers latency 1 "$containers" "$(latency_script "$rate")" || return 1
  for mode in "$@"; do
    bench_log "latency: $load, mode $mode: a ${seconds} s window"
    AGENT_DOCKER_MODE=$mode start_agent latency || return 1
    if ! wait_until $((60 + containers / 2)) "$containers containers followed" \
      metric_equals log_capturer_containers_followed "$containers"; then
      stop_agent
      return 1
    fi
    latency_window "latency.$load.$mode" "$seconds" || { stop_agent; return 1; }
    stop_agent || return 1
  done
  remove_containers latency
}

# latency_sink_helper SINK: starts what SINK delivers to (Kafka: the mock cluster of
# tests/tools/kafka_cluster; otlp: loki-test-receiver --otlp), in LATENCY_HELPER_PID, and sets
# LATENCY_SINK_YAML to the agent's sinks section for it.
latency_sink_helper() {
  local sink=$1 out="$BENCH_WORK/latency-$1.out" port
  case $sink in
    kafka)
      "$BENCH_BUILD_DIR/kafka-test-cluster" --output /dev/null >"$out" 2>&1 &
      LATENCY_HELPER_PID=$!
      wait_until 10 "the Kafka cluster starts" grep -q "^bootstraps " "$out" || return 1
      LATENCY_SINK_YAML="sinks:
  file_store: {enabled: false}
  kafka:
    enabled: true
    brokers: $(sed -n 's/^bootstraps //p' "$out" | head -1)
    acks: all
    compression: zstd" ;;
    otlp)
      port=$(free_port)
      "$BENCH_BUILD_DIR/loki-test-receiver" --otlp --port "$port" --output /dev/null >"$out" 2>&1 &
      LATENCY_HELPER_PID=$!
      wait_until 10 "the OTLP receiver listens" grep -q listening "$out" || return 1
      LATENCY_SINK_YAML="sinks:
  file_store: {enabled: false}
  otlp:
    enabled: true
    endpoint: http://127.0.0.1:$port" ;;
    *) bench_log "latency: no sink $sink"; return 1 ;;
  esac
}

# latency_sink LOAD CONTAINERS SECONDS SINK: file mode, a fresh agent delivering only to SINK;
# line-to-acknowledgement p50 and p99 over a SECONDS window, from the agent's own histogram
# (log_capturer_sink_delivery_delay_seconds: acknowledged - dockerd's stamp, per record),
# interpolated within its buckets as Prometheus' histogram_quantile() does.
latency_sink() {
  local load=$1 containers=$2 seconds=$3 sink=$4 key="latency.$1.$4" q value
  local before="$BENCH_WORK/latency-$sink.before" after="$BENCH_WORK/latency-$sink.after"
  bench_log "latency: $load into $sink: a ${seconds} s window"
  LATENCY_HELPER_PID=""
  if ! latency_sink_helper "$sink" ||
    ! AGENT_DOCKER_MODE=file AGENT_TAG=$sink start_agent latency "$LATENCY_SINK_YAML"; then
    [[ -n $LATENCY_HELPER_PID ]] && kill "$LATENCY_HELPER_PID"
    return 1
  fi
  if ! wait_until $((60 + containers / 2)) "$containers containers followed" \
    metric_equals log_capturer_containers_followed "$containers"; then
    stop_agent
    kill "$LATENCY_HELPER_PID"
    return 1
  fi
  sleep 5  # the lines written before the agent started go out first
  curl -s --max-time 2 "http://127.0.0.1:$AGENT_METRICS_PORT/metrics" >"$before"
  sleep "$seconds"
  curl -s --max-time 2 "http://127.0.0.1:$AGENT_METRICS_PORT/metrics" >"$after"
  stop_agent
  kill -TERM "$LATENCY_HELPER_PID"
  wait "$LATENCY_HELPER_PID" || true
  for q in 50 99; do
    value=$(python3 "$BENCH_LIB/histogram_quantile.py" log_capturer_sink_delivery_delay_seconds \
      "sink=\"$sink\"" "0.$q" "$before" "$after") || { bench_log "latency: nothing reached $sink"; return 1; }
    record "$key.p${q}_ms" "$value"
  done
}

scenario_latency() {
  local seconds=$1 modes=$2 sinks=$3 load sink
  shift 3
  record latency.seconds "$seconds"
  record latency.modes "$modes"
  record latency.sinks "$sinks"
  record latency.loads "$*"
  for load in "$@"; do
    # shellcheck disable=SC2086  # one argument per mode
    latency_load "${load%x*}" "${load#*x}" "$seconds" $modes || return 1
  done
  # The sinks at the first (light) load: its containers are started again for them.
  [[ -n $sinks ]] || return 0
  load=$1
  start_containers latency 1 "${load%x*}" "$(latency_script "${load#*x}")" || return 1
  for sink in $sinks; do
    latency_sink "$load" "${load%x*}" "$seconds" "$sink" || { remove_containers latency; return 1; }
  done
  remove_containers latency
}
