#!/usr/bin/env bash
# A slow Loki that answers malformed: every 3rd push gets bytes that are not HTTP, a reset
# connection, a 502 with a binary body, a 429, a 200 with a garbage body, a 302 or an ingress's
# 404, in turn (tests/tools/loki_receiver --fault-every), and every push waits 150 ms (Loki at
# ~10% of the input rate). Checks:
#  - checkpoints lag but never pass a record Loki has not acknowledged (sampled all along:
#    tests/integration/check_checkpoints.py against the file store and Loki's entries); the
#    first samples are taken with Loki stopped after each push it accepts (--step-file), so
#    they see Loki lag however fast the machine;
#  - each kind of fault is counted under its kind and retried; nothing is dead-lettered (a 404
#    is not a bad record);
#  - once the input stops, Loki catches up: every line in Loki and in the store exactly once;
#  - the agent never crashes and stays under its memory bound.
source "$(dirname "$0")/lib.sh"

memory_limit=$((2 * 1024 * 1024))
stepped_samples=8
step_file=$TEST_DIR/loki-stepped
start_loki_receiver --fault-every 3 --delay-ms 150 --step-file "$step_file" --steps "$stepped_samples"
EXTRA_CONFIG="sinks:
  loki:
    enabled: true
    url: http://127.0.0.1:$LOKI_PORT
    request_timeout: 120s" # a push waiting for a stepped sample must not time out and be sent twice
write_config
pipeline_settings "memory_limit_bytes: $memory_limit" "batch_max_bytes: 256KiB" \
  "batch_max_records: 300" "retry_initial: 50ms" "retry_max: 500ms"
start_agent

lines=4000
for c in 1 2 3; do
  run_container "f$c" "pad=\$(head -c 96 /dev/zero | tr '\\0' p); i=0; while [ \$i -lt $lines ]; do
    seq \$((i+1)) \$((i+200)) | sed \"s/^/f$c /;s/\\\$/ \$pad/\"; i=\$((i+200)); usleep 50000; done"
done

check_checkpoints() {
  python3 "$LC_TEST_LIB_DIR/check_checkpoints.py" "$TEST_DIR/data/checkpoints.json" \
    "$TEST_DIR/data/store" "$LOKI_OUTPUT"
}
peak_memory=0
samples=0         # checks of the checkpoints
lagging_samples=0 # of them, taken while Loki had less than every line
loki_count() { verify_loki --print-count; }
loki_done() { [[ $(loki_count) -ge $((3 * lines)) ]]; }
deadline=$((SECONDS + 240))
until loki_done || ((SECONDS >= deadline)); do
  kill -0 "$AGENT_PID" 2>/dev/null || fail "the agent died"
  # The first samples wait for the receiver to stop after a push it accepted (it answers no
  # other until the step file is gone): Loki cannot catch up before they are taken.
  stepped=0
  if ((samples < stepped_samples)); then
    until [[ -e $step_file ]] || loki_done || ((SECONDS >= deadline)); do sleep 0.05; done
    [[ -e $step_file ]] && stepped=1
  fi
  count=$(loki_count)
  memory=$(metric log_capturer_pipeline_memory_bytes)
  ((memory > peak_memory)) && peak_memory=$memory
  check_checkpoints >"$TEST_DIR/checkpoint-check" ||
    { cat "$TEST_DIR/checkpoint-check"; fail "a checkpoint passed an undelivered record"; }
  samples=$((samples + 1))
  ((count < 3 * lines)) && lagging_samples=$((lagging_samples + 1))
  if ((stepped)); then rm -f "$step_file"; else sleep 0.5; fi
done
rm -f "$step_file"
loki_done || fail "Loki did not catch up in 240 s ($(loki_count) of $((3 * lines)))"
log "checked the checkpoints $samples times, $lagging_samples while Loki lagged: $(cat "$TEST_DIR/checkpoint-check")"
((lagging_samples >= stepped_samples)) ||
  fail "only $lagging_samples checks while Loki lagged (the receiver stops after each of its first $stepped_samples accepted pushes)"
sleep 1
verify_loki f1=$lines f2=$lines f3=$lines || fail "Loki: lines lost or duplicated"
verify_store f1=$lines f2=$lines f3=$lines || fail "store: lines lost or duplicated"
((peak_memory <= memory_limit)) || fail "pipeline memory $peak_memory above the bound $memory_limit"
# Garbage or a reset on a reused keep-alive connection is sent again at once on a new one
# (counted apart: Loki closing idle connections is no error); on a new connection it is a
# transport error, retried after a backoff.
transport=$(($(metric log_capturer_loki_request_errors_total '{sink="loki",kind="transport"}') +
  $(metric log_capturer_loki_reused_connection_retries_total '{sink="loki"}')))
((transport >= 2)) || fail "garbage answers and resets not counted ($transport)"
log "garbage answers and resets: $transport (transport errors + reused-connection retries)"
for kind in http_5xx http_429 http_other http_4xx; do
  n=$(metric log_capturer_loki_request_errors_total "{sink=\"loki\",kind=\"$kind\"}")
  ((n >= 1)) || fail "no $kind error counted"
  log "errors of kind $kind: $n"
done
[[ $(metric log_capturer_pipeline_retries_total) -ge 4 ]] || fail "the faults were not retried"
[[ $(metric log_capturer_sink_records_dead_lettered_total '{sink="loki"}') -eq 0 ]] ||
  fail "transient faults or a 404 sent records to the dead letters"
# The final checkpoints cover everything.
wait_for 10 "checkpoints cover every line" \
  bash -c "python3 '$LC_TEST_LIB_DIR/check_checkpoints.py' '$TEST_DIR/data/checkpoints.json' '$TEST_DIR/data/store' '$LOKI_OUTPUT' | grep -q 'cover $((3 * lines)) records'"
stop_agent
stop_loki_receiver
grep "faults" "$TEST_DIR/loki.log" >&2 || true
echo "PASS (slow Loki with a malformed answer every 3rd push: every line once, checkpoints never ahead of Loki in $samples samples, peak memory $peak_memory)"
