#!/usr/bin/env bash
# Processors and routes end to end, with real containers, the file store and the Loki receiver:
#  - a filter drops the "DEBUG" lines of every container: no sink gets them;
#  - each container's lines reach exactly the sinks of the routes it matches (by label, by
#    name glob, by source), once each; a container no route matches reaches no sink;
#  - a named sink (sinks.audit, type: loki, its own tenant) is a sink like the others;
#  - the metrics count the dropped and unrouted lines exactly;
#  - after a restart nothing is read again: checkpoints moved past the lines no sink took
#    (the last line of every container is a dropped one).
source "$(dirname "$0")/lib.sh"

lines=600
start_loki_receiver
EXTRA_CONFIG="sinks:
  loki:
    enabled: true
    url: http://127.0.0.1:$LOKI_PORT
    request_timeout: 5s
  audit:
    type: loki
    url: http://127.0.0.1:$LOKI_PORT
    tenant_id: audit
processors:
  - name: no_debug
    type: filter
    exclude:
      message: '^DEBUG '
routes:
  - match: {labels: [route=loki]}
    sinks: [loki]
  - match: {container_names: [\"both-*\"]}
    sinks: [loki, file_store]
  - match: {sources: [docker], labels: [route=store]}
    sinks: [file_store]
  - match: {labels: [route=audit]}
    sinks: [audit]"
write_config
start_agent
grep -q "records that match no route go to no sink" "$TEST_DIR/agent.log" ||
  fail "no start-up warning about records no route takes"

# writer TAG [docker run options]: "TAG 1".."TAG $lines", and "DEBUG TAG n" after every even n;
# then stays up, so that a restarted agent follows it again from its checkpoint.
writer() {
  local tag=$1
  shift
  run_container "$tag" "i=1; while [ \$i -le $lines ]; do echo \"$tag \$i\";
    [ \$((i % 2)) -eq 0 ] && echo \"DEBUG $tag \$i\"; i=\$((i+1)); done; sleep 600" "$@"
}
writer toloki --label route=loki
writer both
writer tostore --label route=store
writer nowhere
writer toaudit --label route=audit

dropped_all() { [[ $(metric log_capturer_processor_records_dropped_total '{processor="no_debug"}') -ge $((5 * lines / 2)) ]]; }
unrouted_all() { [[ $(metric log_capturer_router_records_unrouted_total) -ge $lines ]]; }
sinks_have_all() { [[ $(verify_store --print-count) -ge $((2 * lines)) && $(verify_loki --print-count) -ge $((3 * lines)) ]]; }
wait_for 60 "the filter saw every DEBUG line" dropped_all
wait_for 60 "every line of 'nowhere' unrouted" unrouted_all
wait_for 60 "both sinks have their lines" sinks_have_all
sleep 1

verify_loki toloki=$lines both=$lines toaudit=$lines || fail "Loki"
verify_store both=$lines tostore=$lines || fail "file store"
python3 - "$LOKI_OUTPUT" "$TEST_DIR/data/store" <<'PY' || fail "a sink got lines it should not have"
import glob, json, os, sys
entries = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
loki = [e["line"] for e in entries]
for e in entries:  # the named sink pushes with its own tenant
    expected = "audit" if e["line"].startswith("toaudit ") else ""
    assert e["tenant"] == expected, (e["line"], e["tenant"])
store = [json.loads(l)["message"] for p in sorted(glob.glob(os.path.join(sys.argv[2], "logs-*.ndjson")))
         for l in open(p) if l.strip()]
def tags(messages): return sorted({m.split(" ")[0] for m in messages})
assert tags(loki) == ["both", "toaudit", "toloki"], tags(loki)
assert tags(store) == ["both", "tostore"], tags(store)
print(f"routes OK: Loki {len(loki)} lines of {tags(loki)}, store {len(store)} of {tags(store)}, no DEBUG line")
PY
[[ $(metric log_capturer_processor_records_dropped_total '{processor="no_debug"}') -eq $((5 * lines / 2)) ]] ||
  fail "dropped count $(metric log_capturer_processor_records_dropped_total '{processor="no_debug"}'), expected $((5 * lines / 2))"
[[ $(metric log_capturer_processor_records_in_total '{processor="no_debug"}') -eq $((5 * lines * 3 / 2)) ]] ||
  fail "processor input count"
[[ $(metric log_capturer_router_records_unrouted_total) -eq $lines ]] || fail "unrouted count"
[[ $(metric log_capturer_sink_records_written_total '{sink="audit"}') -eq $lines ]] || fail "the named sink's metrics"

log "restart: nothing is read again"
stop_agent
start_agent
following_all() { [[ $(metric log_capturer_containers_followed) -ge 5 ]]; }  # read at every try
wait_for 30 "the restarted agent follows the 5 containers" following_all
sleep 3
[[ $(metric log_capturer_processor_records_in_total '{processor="no_debug"}') -eq 0 ]] ||
  fail "$(metric log_capturer_processor_records_in_total '{processor="no_debug"}') lines read again after a restart: the checkpoints did not pass the dropped/unrouted lines"
verify_loki toloki=$lines both=$lines toaudit=$lines || fail "Loki after the restart"
verify_store both=$lines tostore=$lines || fail "file store after the restart"
stop_agent
echo "PASS (filter dropped $((5 * lines / 2)), $lines unrouted, each container in exactly its routes' sinks (a named Loki sink with its own tenant among them), nothing read again after a restart)"
