# shellcheck shell=bash
# Helpers shared by the bench/run scenarios: the agent's life, /proc readings, containers,
# bounded waits, and the raw measurements file that bench/lib/report.py turns into the table.
# Expects from bench/run: BENCH_WORK (scratch dir), BENCH_RUN (this run's id), LC_BINARY,
# LC_TEST_IMAGE, DOCKER_HOST. Every container of a run carries lc.bench=<run>, and
# lc.bench.<kind>=<run> for the scenario (kind) that owns it.

AGENT_PID=""
AGENT_DIR=""
AGENT_METRICS_PORT=""
BENCH_AGENT_PIDS=""  # every agent started, for kill_agents (a scenario may run several at once)
CLOCK_TICKS=$(getconf CLK_TCK)

bench_log() { echo "[bench $(date +%T)] $*" >&2; }

# record KEY VALUE: one raw measurement (report.py derives rates, ratios and targets).
record() { printf '%s=%s\n' "$1" "$2" >>"$BENCH_WORK/raw.env"; }

now_s() { date +%s.%N; }
elapsed_s() { awk -v a="$1" -v b="$(now_s)" 'BEGIN { printf "%.3f", b - a }'; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_until SECONDS DESCRIPTION COMMAND...: polls every 0.1 s; returns 1 on timeout, or at
# once when the agent (if one was started) has exited: then nothing it reports can change.
wait_until() {
  local seconds=$1 what=$2
  shift 2
  local deadline
  deadline=$(awk -v n="$(now_s)" -v s="$seconds" 'BEGIN { printf "%.0f", n + s }')
  until "$@"; do
    if [[ -n $AGENT_PID ]] && ! kill -0 "$AGENT_PID" 2>/dev/null; then
      local status=0
      wait "$AGENT_PID" 2>/dev/null || status=$?
      bench_log "the agent exited with status $status while waiting for: $what"
      AGENT_PID=""
      return 1
    fi
    if (($(date +%s) >= deadline)); then
      bench_log "timed out after ${seconds}s waiting for: $what"
      return 1
    fi
    sleep 0.1
  done
}

# settle_machine: waits (up to settle_seconds) until the kernel has written back what earlier steps left
# dirty and the CPUs are idle (under 10 % busy over a quarter second). On a small VM, work left
# behind by the previous step (writeback of a 600 MiB store, freeing a deleted one, dockerd
# tidying up) shares the cores with the next measurement and inflated its CPU-seconds by up to
# half: measured on this machine, 0.27 vs 0.41 CPU-s per million lines for the same agent run.
# settle_seconds (default 20): `--quick`, a smoke test whose timings no one reads, waits 2 s: in
# CI the sanitizer build beside it kept the machine busy, and six 20 s waits were half its time.
settle_machine() {
  sync
  local limit=${settle_seconds:-20}
  local deadline=$((SECONDS + limit)) busy
  while ((SECONDS < deadline)); do
    busy=$(
      read -r _ u1 n1 s1 i1 w1 q1 sq1 st1 _ </proc/stat
      sleep 0.25
      read -r _ u2 n2 s2 i2 w2 q2 sq2 st2 _ </proc/stat
      awk -v b=$((u2 + n2 + s2 + q2 + sq2 + st2 - u1 - n1 - s1 - q1 - sq1 - st1)) \
        -v i=$((i2 + w2 - i1 - w1)) 'BEGIN { printf "%.0f", (b + i) ? 100 * b / (b + i) : 0 }'
    )
    ((busy < 10)) && return 0
  done
  bench_log "the machine did not settle in $limit s (${busy}% busy): this measurement may read high"
}

# ---- /proc readings of one process ----

# cpu_seconds PID: user + system CPU time so far.
cpu_seconds() {
  local pid=$1 fields
  fields=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null) || { echo 0; return; }
  # After the command name, utime and stime are fields 12 and 13.
  awk -v t="$CLOCK_TICKS" '{ printf "%.3f", ($12 + $13) / t }' <<<"$fields"
}
status_kib() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
rss_kib() { status_kib "$1" VmRSS; }
hwm_kib() { status_kib "$1" VmHWM; }
fd_count() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
thread_count() { ls "/proc/$1/task" 2>/dev/null | wc -l; }

# The dockerd serving DOCKER_HOST (unix sockets): the pid file of a private engine we started,
# else the dockerd whose command line names the socket. Empty when not found (remote engine).
find_dockerd_pid() {
  if [[ -n ${BENCH_DOCKER_STATE:-} && -f $BENCH_DOCKER_STATE/docker.pid ]]; then
    cat "$BENCH_DOCKER_STATE/docker.pid"
    return
  fi
  local socket=${DOCKER_HOST#unix://} pid
  [[ $DOCKER_HOST == unix://* ]] || return 0
  for pid in $(pgrep -x dockerd); do
    if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$socket"; then
      echo "$pid"
      return
    fi
  done
  # The default engine is started without naming its socket.
  if [[ $socket == /var/run/docker.sock || $socket == /run/docker.sock ]]; then
    pgrep -x -o dockerd || true
  fi
}
dockerd_cpu() { if [[ -n $DOCKERD_PID ]]; then cpu_seconds "$DOCKERD_PID"; else echo 0; fi; }

# ---- the agent ----

kind_label() { echo "lc.bench.$1=$BENCH_RUN"; }

# start_agent KIND [EXTRA_YAML]: a fresh data dir, following only the containers of that
# scenario (kind_label), started in the background; returns once /health answers.
# AGENT_DOCKER_MODE: inputs.docker.mode (default auto: json-file logs read directly).
# AGENT_TAG: names the data dir too, for several agents of one scenario at once.
start_agent() {
  local name=$1 extra=${2:-}
  AGENT_DIR="$BENCH_WORK/agent-$name${AGENT_TAG:+-$AGENT_TAG}"
  rm -rf "$AGENT_DIR"
  mkdir -p "$AGENT_DIR"
  local api_port
  api_port=$(free_port)
  AGENT_METRICS_PORT=$(free_port)
  cat >"$AGENT_DIR/config.yaml" <<YAML
data_dir: $AGENT_DIR/data
log_level: warn
docker:
  host: $DOCKER_HOST
inputs:
  docker:
    mode: ${AGENT_DOCKER_MODE:-auto}
    filter:
      include_labels: ["$(kind_label "$name")"]
server:
  listen: 127.0.0.1:$api_port
  metrics_listen: 127.0.0.1:$AGENT_METRICS_PORT
$extra
YAML
  "$LC_BINARY" --config "$AGENT_DIR/config.yaml" >>"$AGENT_DIR/agent.log" 2>&1 &
  AGENT_PID=$!
  BENCH_AGENT_PIDS+=" $AGENT_PID"
  AGENT_API="http://127.0.0.1:$api_port"
  if ! wait_until 20 "the agent serves /health" curl -s -o /dev/null "$AGENT_API/health"; then
    tail -20 "$AGENT_DIR/agent.log" >&2
    return 1
  fi
}

# kill_agents: SIGKILL to every agent this run started that is still ours (after a failure).
kill_agents() {
  local pid
  for pid in $BENCH_AGENT_PIDS; do
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == log-capturer ]] && kill -KILL "$pid" 2>/dev/null || true
  done
  BENCH_AGENT_PIDS=""
  AGENT_PID=""
}

# stop_agent: SIGTERM, up to 20 s to drain, then SIGKILL. Returns 1 unless it exited 0.
# AGENT_STOP_S: how long it took.
stop_agent() {
  [[ -n $AGENT_PID ]] || return 0
  local pid=$AGENT_PID status=0 start
  AGENT_PID=""
  start=$(now_s)
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    bench_log "the agent did not exit 20 s after SIGTERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || status=$?
  AGENT_STOP_S=$(elapsed_s "$start")
  ((status == 0)) || bench_log "the agent exited with status $status (log: $AGENT_DIR/agent.log)"
  return $status
}

# metric NAME: the agent's value of an unlabelled series (0 when absent or unreachable).
metric() {
  curl -s --max-time 2 "http://127.0.0.1:$AGENT_METRICS_PORT/metrics" |
    awk -v series="$1" '$1 == series { printf "%d\n", $2; found = 1 } END { if (!found) print 0 }'
}
metric_at_least() { (($(metric "$1") >= $2)); }
metric_equals() { (($(metric "$1") == $2)); }

# ---- containers ----

# start_containers KIND FIRST LAST SCRIPT: containers FIRST..LAST named
# lc-bench-<run>-KIND-<i>, labelled lc.bench=<run> and lc.bench.KIND=<run>, started 6 at a time.
start_containers() {
  local kind=$1 first=$2 last=$3 script=$4
  ((last >= first)) || return 0
  seq "$first" "$last" | xargs -P 6 -I{} docker run -d --name "lc-bench-$BENCH_RUN-$kind-{}" \
    --label "$(kind_label "$kind")" --label "lc.bench=$BENCH_RUN" --network none "$LC_TEST_IMAGE" \
    sh -c "$script" >/dev/null
}

container_ids() { docker ps -aq --filter "label=$(kind_label "$1")"; }

remove_containers() {  # remove_containers [KIND]: this run's containers (all kinds by default)
  local filter="lc.bench=$BENCH_RUN"
  [[ -z ${1:-} ]] || filter=$(kind_label "$1")
  docker ps -aq --filter "label=$filter" | xargs -r -n 50 docker rm -f >/dev/null 2>&1 || true
}
