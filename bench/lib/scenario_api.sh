# shellcheck shell=bash
# Scenario "api": reading finished containers' logs, in one run and on the same containers:
# the agent through the Engine API (inputs.docker.mode: api) against the yardstick
# `docker logs <id> > /dev/null` (all containers in parallel, as the agent reads them) and
# `docker logs --timestamps` (what the agent asks dockerd for); and the agent reading the
# json-file logs directly (mode: file) against `cat` of the same files. Each reader runs
# REPEAT times, interleaved; report.py takes the median.
# Args: containers, lines per container, repeat, [perf output file].

# A 99-byte line (with its newline, 100 bytes): busybox `yes | head` writes it at memory speed.
API_LINE='GET /api/v1/items?id=4711 HTTP/1.1 200 1532 0.004s ua=Mozilla/5.0 user=alice trace=ab12cd34ef56 ok!'

# api_docker_logs ROUND NAME [docker logs options]: every container in parallel, timed, with the
# docker CLI processes' own CPU (user + system, from `times` in the subshell that waits for them).
api_docker_logs() {
  local round=$1 name=$2
  shift 2
  local start cpu0 cli_cpu
  settle_machine
  cpu0=$(dockerd_cpu)
  start=$(now_s)
  cli_cpu=$( (
    for id in $API_IDS; do docker logs "$@" "$id" >/dev/null 2>&1 & done
    wait
    times
  ) | awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); print u[1] * 60 + u[2] + s[1] * 60 + s[2] }')
  record "api.$name.$round.wall_s" "$(elapsed_s "$start")"
  record "api.$name.$round.cli_cpu_s" "$cli_cpu"
  record "api.$name.$round.dockerd_cpu_s" \
    "$(awk -v a="$cpu0" -v b="$(dockerd_cpu)" 'BEGIN { print b - a }')"
}

# api_cat ROUND: `cat` of every container's json-file log(s), all in parallel, timed.
api_cat() {
  local round=$1 start cpu
  settle_machine
  start=$(now_s)
  # `times` in the subshell: its children's user and system CPU (the second line).
  cpu=$( (
    for path in $API_LOG_PATHS; do cat "$path"* >/dev/null & done
    wait
    times
  ) | awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); print u[1] * 60 + u[2] + s[1] * 60 + s[2] }')
  record "api.cat.$round.wall_s" "$(elapsed_s "$start")"
  record "api.cat.$round.cpu_s" "$cpu"
}

# api_agent ROUND TOTAL MODE [PERF_FILE]: a fresh agent reading in MODE (api or file), timed
# from its start until the store has delivered TOTAL lines; then SIGTERM, and the store must
# hold exactly TOTAL lines. Recorded as api.agent.* (api) or api.agent_file.* (file).
api_agent() {
  local round=$1 total=$2 mode=$3 perf_file=${4:-}
  local start cpu0 perf_pid="" reader=agent
  [[ $mode == file ]] && reader=agent_file
  rm -rf "$BENCH_WORK/agent-api"  # the previous round's store: freed before settling
  settle_machine
  cpu0=$(dockerd_cpu)
  start=$(now_s)
  AGENT_DOCKER_MODE=$mode start_agent api || return 1
  if [[ -n $perf_file ]]; then
    perf record -F 999 -g -p "$AGENT_PID" -o "$perf_file" >/dev/null 2>&1 &
    perf_pid=$!
  fi
  local budget=$((60 + total / 5000))
  if ! wait_until "$budget" "$total lines delivered" \
    metric_at_least log_capturer_pipeline_records_delivered_total "$total"; then
    bench_log "api: delivered $(metric log_capturer_pipeline_records_delivered_total) of $total"
    [[ -z $perf_pid ]] || kill -INT "$perf_pid"
    stop_agent
    return 1
  fi
  record "api.$reader.$round.wall_s" "$(elapsed_s "$start")"
  record "api.$reader.$round.cpu_s" "$(cpu_seconds "$AGENT_PID")"
  record "api.$reader.$round.hwm_kib" "$(hwm_kib "$AGENT_PID")"
  record "api.$reader.$round.dockerd_cpu_s" \
    "$(awk -v a="$cpu0" -v b="$(dockerd_cpu)" 'BEGIN { print b - a }')"
  if [[ -n $perf_pid ]]; then
    kill -INT "$perf_pid"
    timeout 60 tail --pid="$perf_pid" -f /dev/null || true
    bench_log "api: perf profile of the agent in $perf_file (perf report -i $perf_file)"
  fi
  stop_agent || return 1
  record "api.$reader.$round.stop_s" "$AGENT_STOP_S"
  # The store must hold every line exactly once (a fast wrong agent is no result).
  local stored
  stored=$(cat "$AGENT_DIR"/data/store/*.ndjson 2>/dev/null | wc -l)
  record "api.$reader.$round.stored" "$stored"
  ((stored == total)) || { bench_log "api: the store holds $stored lines, expected $total"; return 1; }
}

# api_agent_loki TOTAL: the agent in file mode delivering to the file store and to the Loki
# stand-in (protobuf + snappy, decoded by the receiver), until both have TOTAL records.
api_agent_loki() {
  local total=$1 port start receiver_pid
  port=$(free_port)
  "$BENCH_BUILD_DIR/loki-test-receiver" --port "$port" --output /dev/null \
    >"$BENCH_WORK/loki.out" 2>"$BENCH_WORK/loki.err" &
  receiver_pid=$!
  wait_until 10 "the Loki receiver listens" grep -q listening "$BENCH_WORK/loki.out" || return 1
  rm -rf "$BENCH_WORK/agent-api"
  settle_machine
  start=$(now_s)
  AGENT_DOCKER_MODE=file start_agent api "sinks:
  loki:
    enabled: true
    url: http://127.0.0.1:$port" || return 1
  local budget=$((60 + total / 5000))
  if ! wait_until "$budget" "$total records in both sinks" \
    metric_at_least log_capturer_pipeline_records_delivered_total "$total"; then
    stop_agent
    kill "$receiver_pid"
    return 1
  fi
  record "api.agent_loki.1.wall_s" "$(elapsed_s "$start")"
  record "api.agent_loki.1.cpu_s" "$(cpu_seconds "$AGENT_PID")"
  record "api.agent_loki.1.hwm_kib" "$(hwm_kib "$AGENT_PID")"
  stop_agent || return 1
  kill -TERM "$receiver_pid"
  wait "$receiver_pid" || true
  local received
  received=$(sed -n 's/.*accepted \([0-9]*\) entries.*/\1/p' "$BENCH_WORK/loki.err")
  record "api.agent_loki.1.received" "${received:-0}"
  ((${received:-0} == total)) || { bench_log "api: Loki received ${received:-0}, expected $total"; return 1; }
}

# api_agent_stalled: the agent in API mode with Loki unreachable and the default memory bound:
# the file store is fed, Loki's copy waits in memory until the bound stops the inputs. The
# peak RSS then is what a stalled sink costs at worst (in file mode the readers stop at the
# much smaller pipeline.read_ahead_bytes, so API streams are what can fill the whole bound).
api_agent_stalled() {
  local total=$1 port
  port=$(free_port)  # nobody listens there
  AGENT_DOCKER_MODE=api start_agent api "sinks:
  loki:
    enabled: true
    url: http://127.0.0.1:$port
    connect_timeout: 1s" || return 1
  local limit=$((64 * 1024 * 1024))
  # Until the bound stops the inputs, or everything was read (a log smaller than the bound).
  full_or_read() {
    metric_at_least log_capturer_pipeline_memory_bytes $((limit * 9 / 10)) ||
      metric_at_least log_capturer_pipeline_records_in_total "$total"
  }
  wait_until 60 "the pipeline fills to its bound" full_or_read || true
  sleep 2
  record "api.stalled.memory_bytes" "$(metric log_capturer_pipeline_memory_bytes)"
  record "api.stalled.hwm_kib" "$(hwm_kib "$AGENT_PID")"
  record "api.stalled.limit_bytes" "$limit"
  stop_agent || true  # Loki is down: SIGTERM waits for the shutdown deadline, then exits
}

scenario_api() {
  local containers=$1 lines=$2 repeat=$3 perf_file=${4:-}
  local total=$((containers * lines))
  bench_log "api: preparing $containers containers x $lines lines"
  start_containers api 1 "$containers" "yes '$API_LINE' | head -n $lines" || return 1
  API_IDS=$(container_ids api)
  API_LOG_PATHS=$(for id in $API_IDS; do docker inspect --format '{{.LogPath}}' "$id"; done)
  # `docker wait` blocks until each exits; bounded by timeout.
  # shellcheck disable=SC2086  # one argument per id
  timeout 600 docker wait $API_IDS >/dev/null || { bench_log "api: containers did not exit"; return 1; }

  # Measure the real volume (and warm the page cache for every reader alike).
  local counts line_total byte_total id
  counts=$(for id in $API_IDS; do docker logs "$id" 2>&1 | wc -lc; done |
    awk '{ l += $1; c += $2 } END { print l, c }')
  read -r line_total byte_total <<<"$counts"
  if ((line_total != total)); then
    bench_log "api: the containers logged $line_total lines, expected $total"
    return 1
  fi
  record api.containers "$containers"
  record api.lines "$total"
  record api.bytes "$byte_total"
  record api.repeat "$repeat"

  local round
  for ((round = 1; round <= repeat; round++)); do
    bench_log "api: round $round/$repeat: docker logs x $containers in parallel"
    api_docker_logs "$round" docker
    bench_log "api: round $round/$repeat: docker logs --timestamps x $containers in parallel"
    api_docker_logs "$round" docker_ts --timestamps
    bench_log "api: round $round/$repeat: the agent, until $total lines are delivered"
    api_agent "$round" "$total" api "$( ((round == 1)) && echo "$perf_file")" || return 1
    bench_log "api: round $round/$repeat: cat of the json-file logs x $containers in parallel"
    api_cat "$round"
    bench_log "api: round $round/$repeat: the agent in file mode, until $total lines are delivered"
    # LC_BENCH_PERF_FILE_MODE=FILE: profile the first file-mode round too.
    api_agent "$round" "$total" file "$( ((round == 1)) && echo "${LC_BENCH_PERF_FILE_MODE:-}")" ||
      return 1
  done
  bench_log "api: the agent in file mode into the file store and Loki (protobuf + snappy)"
  api_agent_loki "$total" || return 1
  bench_log "api: Loki unreachable, default memory bound: peak RSS"
  api_agent_stalled "$total"
  remove_containers api
}
