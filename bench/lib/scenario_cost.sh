# shellcheck shell=bash
# Scenario "cost": what each followed idle container costs the agent. One agent; idle
# containers are added step by step (0, then each count given) and RSS, FDs and threads are
# read once the agent follows them all and has settled.
# Args: the container counts, ascending (e.g. 1 10 100).

COST_SETTLE_SECONDS=${COST_SETTLE_SECONDS:-3}

cost_sample() {  # cost_sample COUNT
  sleep "$COST_SETTLE_SECONDS"
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
