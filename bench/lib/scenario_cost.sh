# shellcheck shell=bash
# Scenario "cost": what each followed container costs the agent. One agent per mode
# (inputs.docker.mode: file, api), all following the same containers; containers that write
# COST_LINES lines and then sleep are added step by step (0, then each count given) and RSS,
# FDs, threads and CPU are read once every agent follows them all, over a settle window.
# Args: the modes ("file api"), then the container counts, ascending (e.g. 1 10 100).

COST_SETTLE_SECONDS=${COST_SETTLE_SECONDS:-3}
# Each container first logs this many 100-byte lines, so that every stream has read, decoded
# and delivered something (its buffers are as large as reading makes them), then goes quiet.
COST_LINES=${COST_LINES:-100}
declare -A COST_PID=() COST_PORT=()

cost_use() {  # cost_use MODE: the agent of that mode becomes the current one (metric, waits)
  AGENT_PID=${COST_PID[$1]} AGENT_METRICS_PORT=${COST_PORT[$1]}
}

cost_start_agents() {  # cost_start_agents MODE...
  local mode
  for mode in "$@"; do
    AGENT_TAG=$mode AGENT_DOCKER_MODE=$mode start_agent cost || return 1
    COST_PID[$mode]=$AGENT_PID COST_PORT[$mode]=$AGENT_METRICS_PORT
  done
}

cost_stop_agents() {  # cost_stop_agents MODE...: returns 1 unless every agent exited 0
  local mode status=0
  for mode in "$@"; do
    cost_use "$mode"
    stop_agent || status=1
  done
  return $status
}

cost_sample() {  # cost_sample COUNT MODE...: one settle window for all the agents
  local count=$1 mode
  shift
  local -A cpu0=()
  for mode in "$@"; do cpu0[$mode]=$(cpu_seconds "${COST_PID[$mode]}"); done
  sleep "$COST_SETTLE_SECONDS"
  for mode in "$@"; do
    local pid=${COST_PID[$mode]} key="cost.$mode.$count"
    # CPU while following COUNT quiet containers (timers, health, metrics; no lines to read).
    record "$key.cpu_pct" "$(awk -v a="${cpu0[$mode]}" -v b="$(cpu_seconds "$pid")" \
      -v s="$COST_SETTLE_SECONDS" 'BEGIN { printf "%.2f", (b - a) * 100 / s }')"
    record "$key.rss_kib" "$(rss_kib "$pid")"
    record "$key.fds" "$(fd_count "$pid")"
    record "$key.threads" "$(thread_count "$pid")"
  done
}

# cost_wait_followed COUNT MODE...: every agent follows COUNT containers and has delivered
# every line they wrote.
cost_wait_followed() {
  local count=$1 mode
  shift
  for mode in "$@"; do
    cost_use "$mode"
    wait_until $((60 + count / 2)) "$count containers followed ($mode)" \
      metric_equals log_capturer_containers_followed "$count" || return 1
    wait_until 60 "$((count * (COST_LINES + 1))) lines delivered ($mode)" \
      metric_at_least log_capturer_pipeline_records_delivered_total \
      $((count * (COST_LINES + 1))) || return 1
  done
}

scenario_cost() {
  local -a modes
  read -ra modes <<<"$1"
  shift
  local counts=("$@")
  cost_start_agents "${modes[@]}" || { cost_stop_agents "${modes[@]}"; return 1; }
  cost_sample 0 "${modes[@]}"
  local have=0 count
  for count in "${counts[@]}"; do
    bench_log "cost: $count containers, agents: ${modes[*]}"
    if ! start_containers cost $((have + 1)) "$count" \
      "yes '$API_LINE' | head -n $COST_LINES; echo quiet; exec sleep 2147483" ||
      ! cost_wait_followed "$count" "${modes[@]}"; then
      cost_stop_agents "${modes[@]}"
      return 1
    fi
    have=$count
    cost_sample "$count" "${modes[@]}"
  done
  record cost.counts "${counts[*]}"
  record cost.modes "${modes[*]}"
  record cost.lines "$COST_LINES"
  cost_stop_agents "${modes[@]}" || return 1
  remove_containers cost
}
