#!/usr/bin/env bash
# Hot reload without loss. 10 containers write numbered lines on stdout and stderr at once (every
# 500th line 20 KiB: dockerd's 16 KiB pieces are being joined when a reload lands) while the
# configuration is reloaded 20 times in a row, SIGHUP and POST /api/v1/reload alternating: a
# Loki sink comes and goes, a filter, the batching and the docker input change, and one file is
# invalid; each applies in place (only what changed is rebuilt). Then:
#  - every line is in the file store exactly once, whole;
#  - Loki got every line routed to it while it was configured: for each stream, what it holds is
#    free of duplicates and made of at most as many unbroken runs of numbers as there were
#    periods with Loki configured (a line lost inside a period would split a run);
#  - log_capturer_config_reloads_total counts 19 successes and 1 failure, the status shows the
#    loaded file's hash and the last result, and a change of server.listen is refused;
#  - FDs and threads are back to their baseline.
# Then kill -9 in the middle of reloads (LC_RELOAD_KILLS, 3 in CI), a restart, and the run to the
# end: still every line exactly once.
source "$(dirname "$0")/lib.sh"

containers=10
lines=2000  # per stream, over ~30 s: the reloads land while they are written
reloads=20
invalid_at=10  # the reload whose file is invalid
kills=${LC_RELOAD_KILLS:-3}
start_loki_receiver

# reload_config K: the configuration of step K. Loki is configured at steps K % 4 == 1 or 2; the
# filter (matching no line, so the store keeps everything) and the batch size change each step.
reload_config() {
  local k=$1 sinks=""
  if ((k % 4 == 1 || k % 4 == 2)); then
    sinks="sinks:
  loki:
    enabled: true
    url: http://127.0.0.1:$LOKI_PORT
    request_timeout: 5s"
  fi
  EXTRA_CONFIG="processors:
  - type: filter
    exclude: {message: '^never-$k '}
$sinks"
  write_config
  pipeline_settings "batch_max_records: $((500 + 100 * k))"
  # The docker input changes at two steps of three: rebuilt alone, it follows every container
  # again from after what its predecessor submitted.
  sed -i "s/reconcile_interval: 10m/reconcile_interval: $((10 + k % 3))m/" "$TEST_DIR/config.yaml"
}
# Written next to the file and renamed: a reload never reads a half-written one.
replace_config() {
  cp "$TEST_DIR/config.yaml" "$TEST_DIR/next.yaml"
  "$@"
  mv "$TEST_DIR/next.yaml" "$TEST_DIR/config.yaml"
}
reloads_done() {
  echo $(($(metric log_capturer_config_reloads_total '{result="success"}') +
    $(metric log_capturer_config_reloads_total '{result="failure"}')))
}
reloaded_since() { (($(reloads_done) > $1)); }
reload_api() {
  curl -s -o "$TEST_DIR/reload.json" -w '%{http_code}' -X POST "http://127.0.0.1:$API_PORT/api/v1/reload"
}

reload_config 0
start_agent
# The agent's descriptors but its Docker connections: the pool's idle ones come and go, and the
# events stream may open before or after this first look.
fds_now() {
  echo $(($(agent_fds) - $(metric log_capturer_docker_http_idle_connections) -
    $(metric log_capturer_docker_streams_active)))
}
base_fds=$(fds_now)
base_threads=$(agent_threads)
ls -l "/proc/$AGENT_PID/fd" | awk '{print $NF}' | sort >"$TEST_DIR/fds.baseline"  # for a failure
log "baseline: $base_fds fds, $base_threads threads"

writer='p20=$(head -c 20000 /dev/zero | tr "\0" p)
w() { i=1; while [ $i -le '$lines' ]; do
    if [ $(((i + $2) % 500)) -eq 0 ]; then printf "%s %s P20000 %s" $1 $i $p20; usleep 200000; echo; else echo "$1 $i"; fi
    [ $((i % 20)) -eq 0 ] && usleep 300000; i=$((i+1)); done; }
w o$C 0 & w e$C 250 >&2 & wait'
expect=()
for c in $(seq 1 $containers); do
  run_container "writer$c" "C=$c; $writer"
  expect+=("o$c=$lines" "e$c=$lines")
done

loki_periods=0
for k in $(seq 1 $reloads); do
  sleep "0.$((RANDOM % 9 + 1))"
  before=$(reloads_done)
  if ((k == invalid_at)); then
    sed -i 's/batch_max_records: [0-9]*/batch_max_records: many/' "$TEST_DIR/config.yaml"
  else
    reload_config "$k"
    ((k % 4 == 1)) && loki_periods=$((loki_periods + 1))
  fi
  if ((k % 2 == 1)); then
    kill -HUP "$AGENT_PID"
    wait_for 30 "reload $k (SIGHUP) done" reloaded_since "$before"
  else
    code=$(reload_api)
    want=200
    ((k == invalid_at)) && want=500
    [[ $code == "$want" ]] || fail "reload $k: POST /api/v1/reload answered $code: $(cat "$TEST_DIR/reload.json")"
  fi
  log "reload $k done: $(curl -s "http://127.0.0.1:$API_PORT/api/v1/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["config"]["last_reload"])')"
done
# Every change applies in place: the components that did not change never stopped.
whole=$(metric log_capturer_config_reload_applied_total '{how="whole_rebuild"}')
in_place=$(metric log_capturer_config_reload_applied_total '{how="in_place"}')
((${whole:-0} == 0 && in_place == reloads - 1)) ||
  fail "reloads applied: ${in_place:-0} in place and ${whole:-0} whole rebuilds (want $((reloads - 1)) and 0)"
successes=$(metric log_capturer_config_reloads_total '{result="success"}')
failures=$(metric log_capturer_config_reloads_total '{result="failure"}')
((successes == reloads - 1 && failures == 1)) ||
  fail "config_reloads_total: $successes successes and $failures failures (want $((reloads - 1)) and 1)"
grep -q "reload refused, the running configuration stays: .*config.yaml:[0-9]*:[0-9]*: pipeline.batch_max_records" \
  "$TEST_DIR/agent.log" || fail "the invalid file's problem was not logged with its file, line and key"
python3 - "$API_PORT" "$(sha256sum "$TEST_DIR/config.yaml" | cut -d' ' -f1)" <<'PY' || fail "status"
import json, sys, urllib.request
status = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/v1/status"))
config = status["config"]
assert config["hash"] == "sha256:" + sys.argv[2], config
assert config["last_reload"]["result"] == "success" and config["reloads"]["failure"] == 1, config
assert status["reloading"] is False and status["containers_followed"] >= 0, status
PY

# A listener cannot move while running: refused, the agent keeps serving where it was.
sed -i "s/listen: 127.0.0.1:$API_PORT/listen: 127.0.0.1:$(free_port)/" "$TEST_DIR/config.yaml"
[[ $(reload_api) == 500 ]] || fail "a change of server.listen was not refused"
grep -q "server.listen changed: it applies only at a restart" "$TEST_DIR/reload.json" ||
  fail "refusal: $(cat "$TEST_DIR/reload.json")"

all_stored() { [[ $(verify_store --print-count) -ge $1 ]]; }
wait_for 180 "every line in the store" all_stored $((containers * lines * 2))
for c in $(seq 1 $containers); do docker wait "writer$c-$(basename "$TEST_DIR")" >/dev/null; done
sleep 1
verify_store "${expect[@]}" --strict || fail "file store"

python3 - "$LOKI_OUTPUT" "$loki_periods" <<'PY' || fail "Loki"
import collections, json, sys
numbers = collections.defaultdict(list)
for line in open(sys.argv[1]):
    message = json.loads(line)["line"]
    tag, n = message.split(" ")[:2]
    numbers[tag].append(int(n))
assert numbers, "Loki got nothing"
periods = int(sys.argv[2])
for tag, got in numbers.items():
    assert len(got) == len(set(got)), f"{tag}: duplicates in Loki"
    got.sort()
    runs = 1 + sum(1 for a, b in zip(got, got[1:]) if b != a + 1)
    assert runs <= periods, f"{tag}: {runs} runs for {periods} periods with Loki: lines lost"
print(f"Loki: {sum(map(len, numbers.values()))} lines in {len(numbers)} streams, "
      f"at most one run per period ({periods} periods)")
PY

# With the containers gone and the first file back, the agent that reloaded 21 times holds
# what it held at the start (the Docker API's idle pooled connections aside).
remove_test_containers
reload_config 0
[[ $(reload_api) == 200 ]] || fail "reload back to the first file"
followed() { curl -s "http://127.0.0.1:$API_PORT/api/v1/containers" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
wait_for 30 "no container followed" test "$(followed)" -eq 0
# A Docker API request in flight holds a connection for a moment: a leak stays, that goes. Of
# the follow streams only the events stream is left (a leaked log stream would stay counted).
back_to_baseline() {
  (($(fds_now) <= base_fds && $(agent_threads) == base_threads &&
    $(metric log_capturer_docker_streams_active) <= 1))
}
if ! wait_for_quietly 10 back_to_baseline; then
  log "baseline descriptors:"; cat "$TEST_DIR/fds.baseline" >&2
  log "descriptors now:"; ls -l "/proc/$AGENT_PID/fd" | awk '{print $NF}' | sort >&2
  fail "after 21 reloads: $(fds_now) fds (baseline $base_fds), $(agent_threads) threads (baseline $base_threads), $(metric log_capturer_docker_streams_active) Docker streams"
fi
log "after: $(fds_now) fds (baseline $base_fds), $(agent_threads) threads (baseline $base_threads)"

# kill -9 while a reload drains or builds, with new containers writing (the store alone is
# configured: it proves what it holds, so the restart duplicates nothing).
for c in 1 2 3 4; do
  run_container "killed$c" "C=k$c; $writer"
  expect+=("ok$c=$lines" "ek$c=$lines")
done
for round in $(seq 1 "$kills"); do
  sleep 2
  reload_config $((reloads + round * 4))
  kill -HUP "$AGENT_PID"
  sleep "0.$((round * 3 - 2))"
  kill_agent
  log "killed the agent in a reload (round $round)"
  start_agent
done
wait_for 180 "every line in the store" all_stored $(((containers + 4) * lines * 2))
for c in 1 2 3 4; do docker wait "killed$c-$(basename "$TEST_DIR")" >/dev/null; done
sleep 1
verify_store "${expect[@]}" --strict || fail "file store after kills in reloads"
stop_agent
log "PASS"
