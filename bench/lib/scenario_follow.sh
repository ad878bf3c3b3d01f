# shellcheck shell=bash
# Scenario "follow": the agent follows many long-running containers that each log a line a
# second; its steady footprint (RSS sampled every second, FDs, threads) and CPU over a window.
# Args: containers, window seconds.

scenario_follow() {
  local containers=$1 seconds=$2
  bench_log "follow: starting $containers containers that log a line a second"
  start_containers follow 1 "$containers" \
    'i=0; while true; do i=$((i+1)); echo "slow line $i from $HOSTNAME"; sleep 1; done' || return 1
  start_agent follow || return 1
  if ! wait_until 120 "$containers containers followed" \
    metric_equals log_capturer_containers_followed "$containers"; then
    stop_agent
    return 1
  fi
  sleep 2  # let the streams' first reads settle before the window opens
  local pid=$AGENT_PID cpu0 delivered0 peak=0 fds=0 threads=0 rss i
  cpu0=$(cpu_seconds "$pid")
  delivered0=$(metric log_capturer_pipeline_records_delivered_total)
  for ((i = 0; i < seconds; i++)); do
    sleep 1
    rss=$(rss_kib "$pid")
    ((rss > peak)) && peak=$rss
    fds=$(fd_count "$pid")
    threads=$(thread_count "$pid")
  done
  record follow.containers "$containers"
  record follow.seconds "$seconds"
  record follow.rss_peak_kib "$peak"
  record follow.hwm_kib "$(hwm_kib "$pid")"
  record follow.fds "$fds"
  record follow.threads "$threads"
  record follow.cpu_s "$(awk -v a="$cpu0" -v b="$(cpu_seconds "$pid")" 'BEGIN { print b - a }')"
  record follow.delivered \
    "$(($(metric log_capturer_pipeline_records_delivered_total) - delivered0))"
  stop_agent || return 1
  remove_containers follow
}
