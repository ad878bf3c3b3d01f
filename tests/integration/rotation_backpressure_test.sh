#!/usr/bin/env bash
# Logs rotate several times while a stalled sink holds the agent back, more than one file
# behind the writers (but within the history that max-file keeps): once the sink answers
# again, every line reaches it and the store exactly once. The containers keep running after
# writing, so no read at their stop can make up for a gap. Runs in file mode (the reader
# catches up through the rotated files) and, as integration.rotation_backpressure_test.api,
# through the Engine API: there dockerd's follow stream, left unread while the log rotates,
# skips whole files (an agent that kept reading it lost thousands of lines here, every run);
# the agent closes a follow held unread by its sinks and reads on with plain reads.
source "$(dirname "$0")/lib.sh"

memory_limit=$((1024 * 1024))
step_file=$TEST_DIR/loki-stalled
# The receiver accepts one push, then answers nothing until the step file is removed.
start_loki_receiver --step-file "$step_file" --steps 1
EXTRA_CONFIG="sinks:
  loki:
    enabled: true
    url: http://127.0.0.1:$LOKI_PORT
    request_timeout: 120s" # the push held by the stall must not time out and be sent twice
write_config
pipeline_settings "memory_limit_bytes: $memory_limit" "batch_max_bytes: 256KiB"
start_agent

# Per container ~3.3 MB on stdout (30000 lines of ~110 bytes, in bursts of 500) and 300
# stderr lines of which every 30th is 20 KiB (dockerd's 16 KiB pieces): 1 MB files, of which
# max-file=6 keeps all, so nothing is lost by any reader that reads them before they go.
lines=30000
err_lines=300
containers=2
writer=$(two_stream_writer "$lines" "$err_lines" 30 10 50000 'echo "d$TAG 1"; exec sleep 600')
expect=()
ids=()
for c in $(seq 1 $containers); do
  run_container "bp$c" "TAG=b$c; $writer" --log-opt max-size=1m --log-opt max-file=6
  ids+=("bp$c-$(basename "$TEST_DIR")")
  expect+=("b$c=$lines" "eb$c=$err_lines" "db$c=1")
done
total=$((containers * (lines + err_lines + 1)))

wait_for 30 "the sink stalls" test -e "$step_file"
writers_done() {
  local id
  for id in "${ids[@]}"; do docker logs --tail 1 "$id" 2>&1 | grep -q '^db[0-9]* 1$' || return 1; done
}
wait_for 60 "the writers are done" writers_done
held=$(verify_store --print-count)
log "the writers are done; the store holds $held of $total records while the sink stalls"
# The agent must be well over one 1 MB file (~9,500 lines) behind for the test to mean anything.
((held < total - 2 * 10000)) || fail "the agent kept up ($held of $total stored): nothing was held back"
rm -f "$step_file"

loki_done() { [[ $(verify_loki --print-count) -ge $total ]]; }
wait_for 180 "every line in Loki" loki_done
sleep 1
verify_loki "${expect[@]}" --strict || fail "Loki: lines lost or duplicated"
verify_store "${expect[@]}" --strict || fail "store: lines lost or duplicated"
[[ $(verify_store --print-count) -eq $total ]] || fail "extra records in the store"
[[ $(verify_loki --print-count) -eq $total ]] || fail "extra records in Loki"
if [[ ${LC_TEST_DOCKER_MODE:-auto} == api ]]; then
  stalled=$(metric log_capturer_container_follows_stalled_total)
  ((stalled >= 1)) || fail "no follow stream was closed as held unread: the case was not exercised"
  [[ $(metric log_capturer_container_history_gaps_total) -eq 0 ]] || fail "a history gap was counted"
  log "follow streams closed as held unread: $stalled"
else
  [[ $(metric log_capturer_json_file_rotated_away_total) -eq 0 ]] || fail "a rotated file was counted as rotated away"
fi
stop_agent
stop_loki_receiver
echo "PASS ($containers containers x $((lines + err_lines)) lines, rotated under a stalled sink while $((total - held)) lines behind)"
