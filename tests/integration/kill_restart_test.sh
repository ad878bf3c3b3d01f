#!/usr/bin/env bash
# kill -9 of the agent at random moments while containers write numbered lines, then a run
# to the end: every line stored exactly once (the store proves what was delivered, so even a
# kill between a write and its checkpoint duplicates nothing).
source "$(dirname "$0")/lib.sh"

containers=20
lines=2000
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

all_stored() { [[ $(verify_store --print-count) -ge $((containers * lines)) ]]; }
wait_for 120 "all lines stored" all_stored
sleep 1
verify_store "${expect[@]}" || fail "lines lost or duplicated across $kills kill -9"
[[ $(verify_store --print-count) -eq $((containers * lines)) ]] || fail "extra records in the store"
stop_agent
echo "PASS ($kills kills, 0 duplicates)"
