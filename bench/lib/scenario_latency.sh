# shellcheck shell=bash
# Scenario "latency": line-to-store latency of followed containers under a steady load. For
# each load (N containers x R lines/s) the containers run first, then for each mode
# (inputs.docker.mode) a fresh agent follows them with default settings, and
# bench/lib/store_latency.py watches its file store over a window: for each record whose
# dockerd "time" falls in the window, (seen in the store) - (dockerd's stamp).
# Args: window seconds, modes ("file api"), then the loads as NxR (e.g. 100x10 10x5000).

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

scenario_latency() {
  local seconds=$1 modes=$2 load
  shift 2
  record latency.seconds "$seconds"
  record latency.modes "$modes"
  record latency.loads "$*"
  for load in "$@"; do
    # shellcheck disable=SC2086  # one argument per mode
    latency_load "${load%x*}" "${load#*x}" "$seconds" $modes || return 1
  done
}
