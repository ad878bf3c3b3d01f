#!/usr/bin/env bash
# kill -9 of the agent at random moments while containers write numbered lines, then a run
# to the end: every line stored exactly once (the store proves what was delivered, so even a
# kill between a write and its checkpoint duplicates nothing).
# LC_TEST_WITH_LOKI=1 (integration.kill_restart_test.loki): Loki as a second sink. The store
# then proves nothing for Loki, so both resume from what both acknowledged: every line at
# least once in each, duplicates only of what was in flight at the kills (counted, reported).
source "$(dirname "$0")/lib.sh"

containers=20
lines=2000
allowed=0
if [[ ${LC_TEST_WITH_LOKI:-0} == 1 ]]; then
  start_loki_receiver
  EXTRA_CONFIG="sinks:
  loki:
    enabled: true
    url: http://127.0.0.1:$LOKI_PORT"
  allowed=1000000
fi
start_agent
expect=()
for c in $(seq 1 $containers); do
  run_container "writer$c" "i=1; while [ \$i -le $lines ]; do echo \"k$c \$i\"; i=\$((i+1)); [ \$((i % 20)) -eq 0 ] && usleep 100000; done"
  expect+=("k$c=$lines")
done

kills=0
for round in $(seq 1 10); do
  sleep "$((RANDOM % 2)).$((RANDOM % 9 + 1))"
  kill_agent
  kills=$((kills + 1))
  log "killed the agent (round $round), store holds $(verify_store --print-count) records"
  start_agent
done

all_stored() { verify_store "${expect[@]}" --allow-duplicates $allowed >/dev/null; }
wait_for 120 "all lines stored" all_stored
sleep 1
verify_store "${expect[@]}" --allow-duplicates $allowed || fail "lines lost or duplicated across $kills kill -9"
if ((allowed == 0)); then
  [[ $(verify_store --print-count) -eq $((containers * lines)) ]] || fail "extra records in the store"
  stop_agent
  echo "PASS ($kills kills, 0 duplicates)"
  exit 0
fi
in_loki() { verify_loki "${expect[@]}" --allow-duplicates $allowed >/dev/null; }
wait_for 120 "all lines in Loki" in_loki
stop_agent
store_dups=$(($(verify_store --print-count) - containers * lines))
loki_dups=$(($(verify_loki --print-count) - containers * lines))
# At most what the pipeline can hold at each kill (64 MiB bound: far more than was written).
((store_dups <= kills * 4096 * 2 && loki_dups <= kills * 4096 * 2)) ||
  fail "duplicates beyond the batches in flight: store $store_dups, Loki $loki_dups"
echo "PASS ($kills kills with Loki as a second sink: 0 lost; duplicates: store $store_dups, Loki $loki_dups)"
