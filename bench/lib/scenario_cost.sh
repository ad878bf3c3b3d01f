# shellcheck shell=bash
# Scenario "cost": what each followed idle container costs the agent. One agent; idle
# containers are added step by step (0, then each count given) and RSS, FDs, threads and CPU
# are read once the agent follows them all, over a settle window.
# Args: the container counts, ascending (e.g. 1 10 100).

COST_SETTLE_SECONDS=${COST_SETTLE_SECONDS:-3}

cost_sample() {  # cost_sample COUNT
  local cpu0
  cpu0=$(cpu_seconds "$AGENT_PID")
  sleep "$COST_SETTLE_SECONDS"
  # CPU while following COUNT idle containers (timers, health, metrics; no lines to read).
  record "cost.$1.cpu_pct" "$(awk -v a="$cpu0" -v b="$(cpu_seconds "$AGENT_PID")" \
    -v s="$COST_SETTLE_SECONDS" 'BEGIN { printf "%.2f", (b - a) * 100 / s }')"
  record "cost.$1.rss_kib" "$(rss_kib "$AGENT_PID")"
  record "cost.$1.fds" "$(fd_count "$AGENT_PID")"
  record "cost.$1.threads" "$(thread_count "$AGENT_PID")"
}

scenario_cost() {
  local counts=("$@")
  start_agent cost || return 1
  cost_sample 0
  local have=0 count
  for count in "${counts[@]}"; do
    bench_log "cost: $count idle containers"
    start_containers cost $((have + 1)) "$count" 'echo idle; exec sleep 2147483' || {
      stop_agent
      return 1
    }
    have=$count
    if ! wait_until $((60 + count / 2)) "$count containers followed" \
      metric_equals log_capturer_containers_followed "$count"; then
      stop_agent
      return 1
    fi
    cost_sample "$count"
  done
  record cost.counts "${counts[*]}"
  stop_agent || return 1
  remove_containers cost
}
