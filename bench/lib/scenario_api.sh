# shellcheck shell=bash
# Scenario "api": reading finished containers' logs through the Engine API, the agent against
# the yardstick `docker logs <id> > /dev/null` (all containers in parallel, as the agent reads
# them), and `docker logs --timestamps` (what the agent asks dockerd for). Each of the three
# runs REPEAT times, interleaved; report.py takes the median.
# Args: containers, lines per container, repeat, [perf output file].

# A 99-byte line (with its newline, 100 bytes): busybox `yes | head` writes it at memory speed.
API_LINE='GET /api/v1/items?id=4711 HTTP/1.1 200 1532 0.004s ua=Mozilla/5.0 user=alice trace=ab12cd34ef56 ok!'

# api_docker_logs ROUND NAME [docker logs options]: every container in parallel, timed.
api_docker_logs() {
  local round=$1 name=$2
  shift 2
  local start cpu0 pids=() id
  cpu0=$(dockerd_cpu)
  start=$(now_s)
  for id in $API_IDS; do
    docker logs "$@" "$id" >/dev/null 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}"
  record "api.$name.$round.wall_s" "$(elapsed_s "$start")"
  record "api.$name.$round.dockerd_cpu_s" \
    "$(awk -v a="$cpu0" -v b="$(dockerd_cpu)" 'BEGIN { print b - a }')"
}

# api_agent ROUND TOTAL [PERF_FILE]: a fresh agent, timed from its start until the store has
# delivered TOTAL lines; then SIGTERM, and the store must hold exactly TOTAL lines.
api_agent() {
  local round=$1 total=$2 perf_file=${3:-}
  local start cpu0 perf_pid=""
  cpu0=$(dockerd_cpu)
  start=$(now_s)
  start_agent api || return 1
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
  record "api.agent.$round.wall_s" "$(elapsed_s "$start")"
  record "api.agent.$round.cpu_s" "$(cpu_seconds "$AGENT_PID")"
  record "api.agent.$round.hwm_kib" "$(hwm_kib "$AGENT_PID")"
  record "api.agent.$round.dockerd_cpu_s" \
    "$(awk -v a="$cpu0" -v b="$(dockerd_cpu)" 'BEGIN { print b - a }')"
  if [[ -n $perf_pid ]]; then
    kill -INT "$perf_pid"
    timeout 60 tail --pid="$perf_pid" -f /dev/null || true
    bench_log "api: perf profile of the agent in $perf_file (perf report -i $perf_file)"
  fi
  stop_agent || return 1
  record "api.agent.$round.stop_s" "$AGENT_STOP_S"
  # The store must hold every line exactly once (a fast wrong agent is no result).
  local stored
  stored=$(cat "$AGENT_DIR"/data/store/*.ndjson 2>/dev/null | wc -l)
  record "api.agent.$round.stored" "$stored"
  ((stored == total)) || { bench_log "api: the store holds $stored lines, expected $total"; return 1; }
}

scenario_api() {
  local containers=$1 lines=$2 repeat=$3 perf_file=${4:-}
  local total=$((containers * lines))
  bench_log "api: preparing $containers containers x $lines lines"
  start_containers api 1 "$containers" "yes '$API_LINE' | head -n $lines" || return 1
  API_IDS=$(container_ids api)
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
    api_agent "$round" "$total" "$( ((round == 1)) && echo "$perf_file")" || return 1
  done
  remove_containers api
}
