#!/usr/bin/env bash
# Delivery to Loki (the loki-test-receiver decodes the real protobuf + snappy pushes) next to the
# file store, through faults:
#  1. every line reaches both sinks exactly once, with its labels and structured metadata;
#  2. Loki down for 20 s while containers write six times the memory bound, with the disk
#     buffer on: the inputs and the file store go on, memory stays
#     under the bound, and Loki gets everything once it is back;
#  3. Loki down for LC_LOKI_OUTAGE_SECONDS (default 30) without a disk buffer: the bound stops
#     the inputs, nothing is lost;
#  4. a slow Loki and kill -9 of the agent: every line delivered at least once (duplicates
#     reported), none lost;
#  5. Loki refusing records for good: dead letters, listed and replayed through the API.
source "$(dirname "$0")/lib.sh"

# 30 s: the writers fill the 2 MiB bound within seconds, so the inputs wait most of it, as
# they would in a longer one (LC_LOKI_OUTAGE_SECONDS=600 for one).
outage=${LC_LOKI_OUTAGE_SECONDS:-30}
# The disk-buffer variant is about volume (six times the memory bound, written in seconds),
# not length: 20 s of it prove as much as 60 and keep the suite short.
disk_outage=${LC_LOKI_DISK_OUTAGE_SECONDS:-$((outage < 20 ? outage : 20))}
memory_limit=$((2 * 1024 * 1024))
loki_config() {  # loki_config [MORE sinks.loki KEYS, indented by 4]
  EXTRA_CONFIG="sinks:
  loki:
    enabled: true
    url: http://127.0.0.1:$LOKI_PORT
    request_timeout: 5s
$1"
  write_config
  # The memory bound of this test, and quick retries.
  pipeline_settings "memory_limit_bytes: $memory_limit" "batch_max_bytes: 512KiB" \
    "batch_max_records: ${BATCH_RECORDS:-4096}" "retry_max: 1s"
}
writer() {  # writer TAG LINES [PAUSE_EVERY]: numbered ~110-byte lines
  local tag=$1 lines=$2 every=${3:-1000}
  run_container "$tag" "pad=\$(head -c 96 /dev/zero | tr '\\0' p); i=0; while [ \$i -lt $lines ]; do
    seq \$((i+1)) \$((i+$every)) | sed \"s/^/$tag /;s/\\\$/ \$pad/\"; i=\$((i+$every)); usleep 100000; done"
}
peak_memory=0
sample_memory() {
  local now
  now=$(metric log_capturer_pipeline_memory_bytes)
  ((now > peak_memory)) && peak_memory=$now
  return 0
}

# ---- 1. both sinks, every line once, labels ----
log "1. file store + Loki, exactly once"
start_loki_receiver
loki_config ""
start_agent
for c in 1 2 3; do writer "a$c" 2000; done
both_have() { [[ $(verify_store --print-count) -ge 6000 && $(verify_loki --print-count) -ge 6000 ]]; }
wait_for 60 "6000 lines in the store and in Loki" both_have
sleep 0.5
verify_store a1=2000 a2=2000 a3=2000 || fail "file store"
verify_loki a1=2000 a2=2000 a3=2000 || fail "Loki"
python3 - "$LOKI_OUTPUT" <<'PY' || fail "Loki labels"
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1])]
e = entries[0]
assert e["stream"]["container_name"].startswith("a"), e["stream"]
assert e["stream"]["stream"] == "stdout" and e["stream"]["host"], e["stream"]
assert len(e["structured_metadata"]["container_id"]) == 64, e["structured_metadata"]
assert e["structured_metadata"]["image"] == "lc-busybox:test"
assert int(e["time_ns"]) > 1_600_000_000 * 10**9
print(f"labels OK: {e['labels']}")
PY
stop_agent
remove_test_containers

# ---- 2. an outage longer than memory holds, with the disk buffer ----
log "2. Loki down ${disk_outage}s, disk buffer on"
rm -rf "$TEST_DIR/data" "$LOKI_OUTPUT"
loki_config "    disk_buffer:
      enabled: true
      max_bytes: 256MiB"
start_agent
stop_loki_receiver
# ~13 MB in the outage: six times the memory bound.
lines=$((outage >= 20 ? 40000 : 20000))
for c in 1 2 3; do writer "b$c" "$lines" 2000; done
deadline=$((SECONDS + disk_outage))
while ((SECONDS < deadline)); do sample_memory; sleep 1; done
stored=$(verify_store --print-count)
log "during the outage: store $stored lines, Loki $(verify_loki --print-count), peak pipeline memory $peak_memory"
((stored == 3 * lines)) || fail "the file store stopped during the Loki outage ($stored of $((3 * lines))): the disk buffer should take Loki's share"
((peak_memory <= memory_limit)) || fail "pipeline memory $peak_memory above the bound $memory_limit"
[[ $(metric log_capturer_disk_buffer_records_pending '{sink="loki"}') -gt 0 ]] || fail "nothing waits in the disk buffer"
start_loki_receiver
loki_has_all() { sample_memory; [[ $(verify_loki --print-count) -ge $((3 * lines)) ]]; }
wait_for 120 "Loki catches up" loki_has_all
sleep 0.5
verify_loki "b1=$lines" "b2=$lines" "b3=$lines" || fail "Loki after the outage"
verify_store "b1=$lines" "b2=$lines" "b3=$lines" || fail "store after the outage"
((peak_memory <= memory_limit)) || fail "pipeline memory $peak_memory above the bound $memory_limit"
stop_agent
remove_test_containers

# ---- 3. the same without a disk buffer: the bound stops the inputs ----
log "3. Loki down ${outage}s, memory only"
rm -rf "$TEST_DIR/data" "$LOKI_OUTPUT"
peak_memory=0
loki_config ""
start_agent
stop_loki_receiver
for c in 1 2; do writer "m$c" 20000 2000; done
deadline=$((SECONDS + outage))
while ((SECONDS < deadline)); do sample_memory; sleep 1; done
blocked=$(metric log_capturer_pipeline_blocked_seconds_total)
log "memory only: peak $peak_memory, inputs blocked ${blocked}s, store $(verify_store --print-count)"
((peak_memory <= memory_limit)) || fail "pipeline memory $peak_memory above the bound $memory_limit"
# 40000 lines do not fit the bound: the inputs have been waiting most of the outage, and the
# metric says so while they still wait.
((blocked >= outage / 2)) || fail "inputs blocked ${blocked}s in a ${outage}s outage: the metric misses waits going on"
start_loki_receiver
all_in_loki() { [[ $(verify_loki --print-count) -ge 40000 ]]; }
wait_for 120 "Loki catches up" all_in_loki
sleep 0.5
verify_loki m1=20000 m2=20000 || fail "Loki after a memory-only outage"
verify_store m1=20000 m2=20000 || fail "store after a memory-only outage"
stop_agent
remove_test_containers

# ---- 4. a slow Loki and kill -9 ----
log "4. slow Loki (500 records per 200 ms push: ~12% of the input rate), 5 x kill -9"
rm -rf "$TEST_DIR/data" "$LOKI_OUTPUT"
peak_memory=0
stop_loki_receiver
start_loki_receiver --delay-ms 200
BATCH_RECORDS=500 loki_config ""
start_agent
for c in 1 2 3 4; do writer "k$c" 5000 500; done
for round in 1 2 3 4 5; do
  for _ in 1 2 3; do sample_memory; sleep 0.$((RANDOM % 5 + 3)); done
  kill_agent
  start_agent
done
# With two sinks the store proves nothing for Loki: both resume from what both acknowledged,
# so both may see again what was in flight to the slow one at each kill (at-least-once).
# Duplicates make a raw count reach 20000 early: wait until every line is there at least once.
every_line_in() { "$@" k1=5000 k2=5000 k3=5000 k4=5000 --allow-duplicates 100000 >/dev/null; }
slow_done() { every_line_in verify_loki && every_line_in verify_store; }
deadline=$((SECONDS + 180))
until slow_done || ((SECONDS >= deadline)); do sleep 0.5; done
((peak_memory <= memory_limit)) || fail "pipeline memory $peak_memory above the bound $memory_limit with a slow Loki"
sleep 1
verify_loki k1=5000 k2=5000 k3=5000 k4=5000 --allow-duplicates 100000 >"$TEST_DIR/loki-check" ||
  { cat "$TEST_DIR/loki-check"; fail "lines lost in Loki across kill -9"; }
duplicates=$(awk '/duplicates/ { print $(NF-1) }' "$TEST_DIR/loki-check")
verify_store k1=5000 k2=5000 k3=5000 k4=5000 --allow-duplicates 100000 || fail "lines lost in the file store across kill -9"
# A bound: per kill, at most what the memory bound holds (~2 MiB of ~400-byte records) plus a batch.
((duplicates <= 5 * 6000)) || fail "$duplicates duplicates: more than the records in flight at 5 kills"
log "slow Loki, 5 x kill -9: 0 lost, $duplicates duplicated lines in Loki (records in flight at the kills)"
stop_agent
remove_test_containers

# ---- 5. records Loki refuses for good: dead letters ----
log "5. dead letters"
rm -rf "$TEST_DIR/data" "$LOKI_OUTPUT"
stop_loki_receiver
start_loki_receiver --reject-containing poison
loki_config ""
start_agent
run_container poison 'i=1; while [ $i -le 3 ]; do echo "poison $i"; i=$((i+1)); sleep 1; done'
dead=0
dead_lettered() { dead=$(curl -s "http://127.0.0.1:$API_PORT/dlq/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"])'); ((dead >= 3)); }
wait_for 60 "3 dead letters" dead_lettered
[[ $(verify_loki --print-count) -eq 0 ]] || fail "refused lines reached Loki"
[[ $(metric log_capturer_sink_records_dead_lettered_total '{sink="loki"}') -eq $dead ]] || fail "dead-letter metric"
curl -s "http://127.0.0.1:$API_PORT/dlq/entries?limit=10" | grep -q '"poison 1"' || fail "/dlq/entries does not list the record"
stop_loki_receiver
start_loki_receiver  # Loki accepts them now
answer=$(curl -s -X POST "http://127.0.0.1:$API_PORT/dlq/reprocess?limit=100")
log "reprocess: $answer"
reprocessed() { [[ $(verify_loki --print-count) -ge 3 ]]; }
wait_for 30 "dead letters replayed into Loki" reprocessed
verify_loki poison=3 || fail "replayed dead letters"
curl -s "http://127.0.0.1:$API_PORT/dlq/stats" | grep -q '"entries":0' || fail "dead letters not removed after the replay"
stop_agent
echo "PASS (outage ${outage}s with disk buffer, memory-only outage, slow Loki with 5 kills: $duplicates duplicates, dead letters replayed)"
