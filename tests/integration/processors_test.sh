#!/usr/bin/env bash
# Processors end to end, with real containers (busybox scripts standing in for applications),
# the file store, the Loki stand-in and the dead-letter store (in both reading modes: CMake
# runs this in api mode too):
#  - an nginx-style access log parsed by parse_regex, with its numbers typed;
#  - JSON lines parsed, and a route on a field: only level=error lines go to Loki;
#  - secrets masked (redact) in the store, in Loki and in the dead letters (Loki refuses the
#    lines that carry "dlq", so they are dead-lettered after redaction);
#  - one container throttled (per-container key) while another passes untouched, the drop
#    counted exactly;
#  - a container's hint labels: one asks for JSON parsing, one to be excluded;
#  - every processor's in/out/dropped/errors counts add up.
source "$(dirname "$0")/lib.sh"

access_lines=200 app_lines=300 noisy_lines=3000 quiet_lines=50 leaky_lines=20
start_loki_receiver --reject-containing dlq
EXTRA_CONFIG="sinks:
  loki:
    enabled: true
    url: http://127.0.0.1:$LOKI_PORT
    request_timeout: 5s
processors:
  - name: access
    type: parse_regex
    when: {container_names: [\"web-*\"]}
    preset: combined
  - name: app_json
    type: parse_json
    when: {container_names: [\"app-*\"]}
  - name: secrets
    type: redact
    presets: [all]
  - name: per_container
    type: throttle
    when: {container_names: [\"noisy-*\", \"quiet-*\"]}
    key: '{{ .container_name }}'
    rate: 1
    burst: 100
routes:
  - match: {fields: {level: error}}
    sinks: [loki]
  - match: {container_names: [\"leaky-*\"]}
    sinks: [loki]
  - sinks: [file_store]"
write_config
start_agent

run_container web 'i=1; while [ $i -le '$access_lines' ]; do
  echo "10.0.0.$((i % 250)) - alice [05/Dec/2026:10:00:01 +0000] \"GET /item/$i HTTP/1.1\" $((200 + i % 3 * 100)) $((1000 + i)) \"-\" \"curl/8.0\""
  i=$((i+1)); done'
run_container app 'i=1; while [ $i -le '$app_lines' ]; do
  if [ $((i % 3)) -eq 0 ]; then lvl=error; else lvl=info; fi
  echo "{\"level\":\"$lvl\",\"msg\":\"app $i\",\"n\":$i}"; i=$((i+1)); done'
run_container leaky 'i=1; while [ $i -le '$leaky_lines' ]; do
  echo "dlq $i login password=hunter2 Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl card 4111 1111 1111 1111"
  i=$((i+1)); done'
run_container hinted 'i=1; while [ $i -le 30 ]; do echo "{\"hint\":$i}"; i=$((i+1)); done' \
  --label io.log-capturer.parser=json
run_container hidden 'i=1; while [ $i -le 25 ]; do echo "hidden $i"; i=$((i+1)); done' \
  --label io.log-capturer.exclude=true
run_container noisy 'i=1; while [ $i -le '$noisy_lines' ]; do echo "noisy $i"; i=$((i+1)); done'
run_container quiet 'i=1; while [ $i -le '$quiet_lines' ]; do echo "quiet $i"; i=$((i+1)); usleep 20000; done'

seen() { [[ $(metric log_capturer_processor_records_in_total "{processor=\"$1\"}") -ge $2 ]]; }
wait_for 60 "the access lines parsed" seen access "$access_lines"
wait_for 60 "the JSON lines parsed" seen app_json "$app_lines"
wait_for 60 "the noisy and quiet lines throttled" seen per_container $((noisy_lines + quiet_lines))
hints_dropped() { [[ $(metric log_capturer_processor_records_dropped_total '{processor="container_hints"}') -ge 25 ]]; }
wait_for 60 "the excluded container's lines dropped by its hint" hints_dropped
dead_lettered() {
  [[ $(curl -s "http://127.0.0.1:$API_PORT/dlq/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"])') -ge $leaky_lines ]]
}
wait_for 60 "the leaky lines dead-lettered" dead_lettered
errors_in_loki() { [[ $(wc -l <"$LOKI_OUTPUT" 2>/dev/null || echo 0) -ge $((app_lines / 3)) ]]; }
wait_for 60 "the error lines in Loki" errors_in_loki
sleep 1
curl -s "http://127.0.0.1:$API_PORT/api/v1/dlq/entries?limit=1000" >"$TEST_DIR/dlq.json"

python3 - "$TEST_DIR/data/store" "$LOKI_OUTPUT" "$TEST_DIR/dlq.json" "$access_lines" "$app_lines" \
  "$quiet_lines" "$noisy_lines" <<'PY' || fail "records"
import glob, json, os, sys
store_dir, loki_path, dlq_path = sys.argv[1:4]
access_lines, app_lines, quiet_lines, noisy_lines = map(int, sys.argv[4:8])
store = [json.loads(l) for p in sorted(glob.glob(os.path.join(store_dir, "logs-*.ndjson")))
         for l in open(p) if l.strip()]
by_tag = lambda prefix: [r for r in store if r["message"].startswith(prefix)]
web = [r for r in store if r["container_name"].startswith("web-")]
assert len(web) == access_lines, len(web)
for r in web:
    f = r["fields"]
    i = int(f["path"].split("/")[-1])
    assert f["status"] == 200 + i % 3 * 100 and f["size"] == 1000 + i, f  # typed: numbers
    assert f["method"] == "GET" and f["agent"] == "curl/8.0" and f["user"] == "alice", f
    assert r["message"].startswith("[REDACTED] - alice"), r  # ipv4: redact ran after the parse
app = [r for r in store if r["container_name"].startswith("app-")]
assert len(app) == app_lines, len(app)
assert all(r["fields"]["n"] == int(r["fields"]["msg"].split()[1]) for r in app)
loki = [json.loads(l) for l in open(loki_path) if l.strip()]
loki_app = [e for e in loki if e["line"].startswith("{\"level")]
assert len(loki_app) == app_lines // 3, len(loki_app)
assert all('"level":"error"' in e["line"] for e in loki_app)
quiet = by_tag("quiet ")
noisy = by_tag("noisy ")
assert len(quiet) == quiet_lines, len(quiet)  # untouched by its noisy neighbour
hinted = [r for r in store if r["container_name"].startswith("hinted-")]
assert len(hinted) == 30 and all(r["fields"]["hint"] == int(r["message"][8:-1]) for r in hinted), hinted[:2]
assert not [r for r in store if r["container_name"].startswith("hidden-")], "an excluded container stored"

assert 100 <= len(noisy) < noisy_lines, len(noisy)
dlq = json.load(open(dlq_path))["entries"]
texts = [json.dumps(e) for e in dlq] + [json.dumps(r) for r in store] + [json.dumps(e) for e in loki]
leaky_everywhere = [t for t in texts if "login password=" in t]
assert len([t for t in texts if "dlq " in t and "login" in t]) >= 20, "leaky lines missing"
for secret in ("hunter2", "eyJhbGciOiJIUzI1NiJ9", "4111 1111 1111 1111"):
    assert not any(secret in t for t in texts), f"{secret} leaked"
assert all("password=[REDACTED]" in t and "Bearer [REDACTED]" in t for t in leaky_everywhere)
print(f"records OK: {len(web)} access lines typed, {len(loki_app)} errors routed to Loki, "
      f"quiet {len(quiet)}/{quiet_lines}, noisy {len(noisy)}/{noisy_lines}, {len(dlq)} dead "
      "letters redacted")
PY

noisy_stored=$(cat "$TEST_DIR"/data/store/logs-*.ndjson | grep -c '"message":"noisy ')
dropped=$(metric log_capturer_processor_records_dropped_total '{processor="per_container"}')
((dropped == noisy_lines - noisy_stored)) || fail "throttle dropped $dropped, the store misses $((noisy_lines - noisy_stored))"
[[ $(metric log_capturer_processor_errors_total '{processor="access"}') -eq 0 ]] || fail "access errors"
[[ $(metric log_capturer_processor_records_out_total '{processor="app_json"}') -eq $app_lines ]] || fail "app_json out"
redactions=$(metric log_capturer_processor_redactions_total '{processor="secrets",pattern="assignments"}')
((redactions == leaky_lines)) || fail "assignments redactions: $redactions, expected $leaky_lines"
stop_agent
stop_loki_receiver
echo "PASS (parse_regex typed, a route on a field, secrets redacted in the store, Loki and dead letters, one container throttled: $dropped dropped, the other untouched)"
