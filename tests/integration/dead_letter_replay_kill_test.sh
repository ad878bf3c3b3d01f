#!/usr/bin/env bash
# Dead-letter replay interrupted by kill -9. Loki refuses (400) every line with "dlq" in it,
# so they are dead-lettered (the file store has them: the checkpoints move past them). Then
# Loki accepts but answers each push 60 s late; the entries are replayed and the agent killed
# while the push waits. The store is their only copy: after the restart every entry must be
# either in Loki or still stored. A replay against a prompt Loki then empties the store with
# every line in Loki (at least once).
source "$(dirname "$0")/lib.sh"

lines=40
start_loki_receiver --reject-containing dlq
EXTRA_CONFIG="sinks:
  loki:
    enabled: true
    url: http://127.0.0.1:$LOKI_PORT
    request_timeout: 120s"
start_agent
run_container "d1" "i=1; while [ \$i -le $lines ]; do echo \"dlq \$i\"; i=\$((i+1)); done"

dlq_field() {
  curl -s "http://127.0.0.1:$API_PORT/dlq/stats" |
    python3 -c "import json, sys; print(json.load(sys.stdin)$1)"
}
dlq_entries_are() { [[ $(dlq_field '["entries"]') -eq $1 ]]; }
loki_lines() { [[ -s $LOKI_OUTPUT ]] && wc -l <"$LOKI_OUTPUT" || echo 0; }
wait_for 60 "every line dead-lettered" dlq_entries_are "$lines"
[[ $(loki_lines) -eq 0 ]] || fail "Loki accepted lines it should have refused"

stop_loki_receiver
start_loki_receiver --delay-ms 60000
status=$(curl -s -o "$TEST_DIR/replay.json" -w '%{http_code}' -X POST \
  "http://127.0.0.1:$API_PORT/dlq/reprocess?limit=1000")
[[ $status == 202 ]] || fail "reprocess answered $status: $(cat "$TEST_DIR/replay.json")"
log "replay: $(cat "$TEST_DIR/replay.json")"
wait_for 20 "the replayed records pushed to Loki" \
  bash -c "[[ \$(curl -s http://127.0.0.1:$METRICS_PORT/metrics | grep -c '^log_capturer_sink_in_flight_records{sink=\"loki\"} [1-9]') -ge 1 ]]"
in_flight=$(dlq_field '["in_flight"]')
((in_flight == lines)) || fail "$in_flight entries in flight, not $lines"
kill_agent
kill -KILL "$LOKI_PID" 2>/dev/null || true  # the held push never answered
wait "$LOKI_PID" 2>/dev/null || true
LOKI_PID=""

start_loki_receiver
start_agent
stored=$(dlq_field '["entries"]')
log "after kill -9 during the replay: $stored entries still stored, $(loki_lines) lines in Loki"
((stored == lines)) || fail "$((lines - stored)) dead letters lost: removed before Loki had them"
status=$(curl -s -o "$TEST_DIR/replay.json" -w '%{http_code}' -X POST \
  "http://127.0.0.1:$API_PORT/dlq/reprocess?limit=1000")
[[ $status == 202 ]] || fail "reprocess answered $status: $(cat "$TEST_DIR/replay.json")"
wait_for 30 "the replay delivered and removed every entry" dlq_entries_are 0
verify_loki dlq=$lines --allow-duplicates "$lines" || fail "Loki: dead letters lost"
stop_agent
stop_loki_receiver
echo "PASS (kill -9 during a dead-letter replay: all $lines entries kept, then delivered)"
