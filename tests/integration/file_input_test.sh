#!/usr/bin/env bash
# The generic file input end to end (inputs.files): lines of plain files reach the store with
# their path and labels, across rename rotation (with late lines written to the renamed file),
# copytruncate, a new file matching the glob, multi-line records, and kill -9 of the agent:
# nothing lost, nothing duplicated (the store's records carry their place in the file, so the
# store proves what was delivered, as for containers). A second files input of its own name
# overlaps the first on app.log (read by one of them, once) and a filter names it in sources:.
source "$(dirname "$0")/lib.sh"

logs=$TEST_DIR/logs
mkdir -p "$logs"
cat >"$TEST_DIR/config.yaml" <<YAML
data_dir: $TEST_DIR/data
checkpoint_interval: 200ms
inputs:
  docker:
    enabled: false
  files:
    enabled: true
    include: ["$logs/*.log"]
    exclude: ["*/skip.log"]
    labels: ["team=payments"]
    rotate_wait: 5s
    poll_interval: 500ms
    rescan_interval: 1s
    multiline:
      start_pattern: '^(\\d{4}-|[a-z]+[0-9]* [0-9])'
  extra:
    type: files
    include: ["$logs/extra/*.log", "$logs/app.log"]
    labels: ["team=extra"]
    poll_interval: 500ms
    rescan_interval: 1s
processors:
  - type: filter
    exclude: {sources: [extra], message: "^drop"}
pipeline:
  flush_interval: 50ms
server:
  listen: 127.0.0.1:$API_PORT
  metrics_listen: 127.0.0.1:$METRICS_PORT
YAML
append() {  # append FILE TAG FIRST LAST
  seq "$3" "$4" | sed "s/^/$2 /" >>"$1"
}

mkdir -p "$logs/extra"
append "$logs/app.log" app 1 1000
append "$logs/skip.log" skip 1 10
append "$logs/extra/x.log" keep 1 100
append "$logs/extra/x.log" drop 1 50
append "$logs/drop.log" drop 51 60  # inputs.files' lines: the filter names extra only
start_agent
extra=$((100 + 10))  # extra/x.log's kept lines and drop.log's, in every count below
stored() { [[ $(verify_store --print-count) -ge $(($1 + extra)) ]]; }
wait_for 30 "1000 lines of app.log, extra's and drop.log" stored 1000
refused=$(($(metric log_capturer_file_input_files_refused_total '{input="files"}') +
  $(metric log_capturer_file_input_files_refused_total '{input="extra"}')))
((refused == 1)) || fail "app.log refused $refused times by the input that did not get it (want 1)"

# Rename rotation, a late line to the renamed file, then the new file.
mv "$logs/app.log" "$logs/app.log.1"
append "$logs/app.log.1" app 1001 1010
append "$logs/app.log" app 1011 2000
# copytruncate: copy, truncate in place, keep writing.
append "$logs/db.log" db 1 500
# Wait until all of db.log is stored: lines copied away before the agent ever saw them are out
# of its reach (db.log.1 does not match the glob), as for any agent.
wait_for 30 "db.log read" stored $((2000 + 500))
cp "$logs/db.log" "$logs/db.log.1"
: >"$logs/db.log"
append "$logs/db.log" db 501 800
# A stack trace: three lines, one record.
printf '2026-11-23 ERROR boom\n  at a.b(C.java:1)\n  at d.e(F.java:2)\n2026-11-23 INFO next\n' >>"$logs/java.log"
wait_for 30 "every line so far" stored $((2000 + 800 + 2))

# kill -9 while a file grows.
(for i in $(seq 1 20); do append "$logs/busy.log" busy $((i * 500 - 499)) $((i * 500)); sleep 0.1; done) &
writer=$!
for round in 1 2 3; do
  sleep 0.$((RANDOM % 5 + 3))
  kill_agent
  start_agent
done
wait "$writer"
wait_for 60 "busy.log read" stored $((2000 + 800 + 2 + 10000))

# kill -9 during rotate_wait: the renamed file gets late lines after the new file's first ones,
# so the last stored record is the old file's; both files' places must survive the restart.
before=$((2000 + 800 + 2 + 10000))
append "$logs/rot.log" rot 1 500
wait_for 30 "rot.log read" stored $((before + 500))
exec {late}>>"$logs/rot.log"  # the application's fd: it follows the file through the rename
mv "$logs/rot.log" "$logs/rot.log.1"
append "$logs/rot.log" rot 501 1000
wait_for 30 "the new rot.log read" stored $((before + 1000))
seq 1001 1100 | sed "s/^/rot /" >&$late
wait_for 30 "late lines of rot.log.1 read" stored $((before + 1100))
kill_agent  # within rotate_wait (5s) of the late lines: the old file is still being read
seq 1101 1200 | sed "s/^/rot /" >&$late
append "$logs/rot.log" rot 1201 1300
exec {late}>&-
start_agent
wait_for 30 "rot.log read after the restart" stored $((before + 1300))
sleep 1

verify_store app=2000 db=800 busy=10000 rot=1300 keep=100 || fail "file lines lost or duplicated"
duplicates=0
python3 - "$TEST_DIR/data/store" "$logs" <<'PY' || fail "file records"
import glob, json, sys
records = [json.loads(l) for p in sorted(glob.glob(sys.argv[1] + "/logs-*.ndjson")) for l in open(p)]
files = {r["file"] for r in records}
assert f"{sys.argv[2]}/skip.log" not in files, "excluded file read"
# extra/ carries the extra input's labels, the rest the files input's; app.log either's
# (whichever input found it first in each run: its place in the file is the same for both).
for path in files:
    labels = {json.dumps(r["labels"], sort_keys=True) for r in records if r["file"] == path}
    want = {"team": "extra"} if "/extra/" in path else {"team": "payments"}
    if path.endswith("/app.log"):
        assert labels <= {'{"team": "extra"}', '{"team": "payments"}'}, (path, labels)
    else:
        assert labels == {json.dumps(want, sort_keys=True)}, (path, labels)
drops = sorted(r["message"] for r in records if r["message"].startswith("drop"))
assert drops == sorted(f"drop {n}" for n in range(51, 61)), f"filter by input name: {drops}"
assert all("container_id" not in r for r in records), "file records carry container fields"
java = [r["message"] for r in records if r["file"].endswith("java.log")]
assert java[0] == "2026-11-23 ERROR boom\n  at a.b(C.java:1)\n  at d.e(F.java:2)", java
print(f"file records OK: {len(records)} records from {len(files)} paths")
PY
stop_agent
log "files: rename + late lines, copytruncate, multi-line, 3 x kill -9, kill -9 in rotate_wait: 0 lost, $duplicates duplicates"
echo "PASS (0 lost, 0 duplicated after 3 kill -9)"
