#!/usr/bin/env bash
# Delivery to an OpenTelemetry collector over OTLP/HTTP next to the file store. The collector
# is loki-test-receiver --otlp, which decodes the protobuf exports by the specification's field
# numbers (tests/sinks/otlp/otlp_test_decoder), independently of the sink's code:
#  1. every line reaches both sinks exactly once; one resource per container with the semantic
#     conventions' attributes, log.iostream per record;
#  2. a collector that refuses records (400): those alone become dead letters, the others in
#     the same batches are delivered;
#  3. a slow collector and kill -9 of the agent, 3 times: nothing lost.
source "$(dirname "$0")/lib.sh"

otlp_config() {  # otlp_config [MORE sinks.otlp KEYS, indented by 4]
  EXTRA_CONFIG="sinks:
  otlp:
    enabled: true
    endpoint: http://127.0.0.1:$LOKI_PORT
    request_timeout: 5s
$1"
  write_config
  pipeline_settings "batch_max_records: ${BATCH_RECORDS:-4096}" "retry_max: 1s"
}
writer() {  # writer TAG LINES [PAUSE_EVERY]: numbered lines, PAUSE_EVERY at a time
  local tag=$1 lines=$2 every=${3:-1000}
  run_container "$tag" "i=0; while [ \$i -lt $lines ]; do
    seq \$((i+1)) \$((i+$every)) | sed \"s/^/$tag /\"; i=\$((i+$every)); usleep 100000; done"
}
verify_otlp() { verify_loki "$@"; }  # the receiver's NDJSON, read the same way

# ---- 1. both sinks, every line once, resources ----
log "1. file store + OTLP, exactly once"
start_loki_receiver --otlp
otlp_config ""
start_agent
for c in 1 2 3; do writer "o$c" 2000; done
both_have() { [[ $(verify_store --print-count) -ge 6000 && $(verify_otlp --print-count) -ge 6000 ]]; }
wait_for 60 "6000 lines in the store and at the collector" both_have
sleep 0.5
verify_store o1=2000 o2=2000 o3=2000 || fail "file store"
verify_otlp o1=2000 o2=2000 o3=2000 || fail "OTLP"
python3 - "$LOKI_OUTPUT" <<'PY' || fail "OTLP resources and attributes"
import json, sys
records = [json.loads(l) for l in open(sys.argv[1])]
by_container = {}
for r in records:
    res = r["resource"]
    name = json.loads(res["container.name"])
    assert json.loads(res["service.name"]) == name, res  # no compose labels: the name
    assert len(json.loads(res["container.id"])) == 64, res
    assert json.loads(res["container.image.name"]) == "lc-busybox", res
    assert res["container.image.tags"] == '["test"]', res
    assert json.loads(res["host.name"]), res
    assert r["attributes"]["log.iostream"] == '"stdout"', r
    assert int(r["observed_ns"]) > 1_600_000_000 * 10**9 and r["time_ns"] == r["observed_ns"], r
    by_container.setdefault(name, 0)
    by_container[name] += 1
assert sorted(by_container.values()) == [2000, 2000, 2000], by_container
print(f"resources OK: {sorted(by_container)}")
PY
stop_agent
remove_test_containers

# ---- 2. records the collector refuses: dead letters, the rest delivered ----
log "2. a 400 for some records: split, dead letters"
rm -rf "$TEST_DIR/data" "$LOKI_OUTPUT"
stop_loki_receiver
start_loki_receiver --otlp --reject-containing poison
otlp_config ""
start_agent
run_container mixed 'i=1; while [ $i -le 200 ]; do echo "mixed $i"; [ $((i % 50)) -eq 0 ] && echo "poison $((i / 50))"; i=$((i+1)); done'
dead=0
dead_lettered() { dead=$(curl -s "http://127.0.0.1:$API_PORT/dlq/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"])'); ((dead >= 4)); }
wait_for 60 "4 dead letters" dead_lettered
wait_for 30 "200 lines at the collector" bash -c "[[ \$(python3 '$LC_TEST_LIB_DIR/verify_store.py' '$LOKI_OUTPUT' --print-count) -ge 200 ]]"
sleep 0.5
verify_otlp mixed=200 || fail "the records the collector took"
((dead == 4)) || fail "$dead dead letters, expected the 4 refused records"
[[ $(metric log_capturer_otlp_records_rejected_total '{sink="otlp",reason="bad_request"}') -eq 4 ]] ||
  fail "log_capturer_otlp_records_rejected_total"
stop_agent
remove_test_containers

# ---- 3. a slow collector and kill -9 ----
log "3. slow collector, 3 x kill -9"
rm -rf "$TEST_DIR/data" "$LOKI_OUTPUT"
stop_loki_receiver
start_loki_receiver --otlp --delay-ms 200
BATCH_RECORDS=500 otlp_config ""
start_agent
for c in 1 2 3; do writer "k$c" 4000 500; done
for _ in 1 2 3; do
  sleep 0.$((RANDOM % 5 + 4))
  kill_agent
  start_agent
done
every_line_in() { "$@" k1=4000 k2=4000 k3=4000 --allow-duplicates 100000 >/dev/null; }
slow_done() { every_line_in verify_otlp && every_line_in verify_store; }
deadline=$((SECONDS + 120))
until slow_done || ((SECONDS >= deadline)); do sleep 0.5; done
sleep 1
verify_otlp k1=4000 k2=4000 k3=4000 --allow-duplicates 100000 >"$TEST_DIR/otlp-check" ||
  { cat "$TEST_DIR/otlp-check"; fail "lines lost at the collector across kill -9"; }
duplicates=$(awk '/duplicates/ { print $(NF-1) }' "$TEST_DIR/otlp-check")
verify_store k1=4000 k2=4000 k3=4000 --allow-duplicates 100000 || fail "lines lost in the store"
stop_agent
echo "PASS (exactly once with resources, 4 refused records dead-lettered alone, 3 kills: ${duplicates:-0} duplicates)"
