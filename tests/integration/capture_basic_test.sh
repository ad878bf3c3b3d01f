#!/usr/bin/env bash
# Every line of stdout, stderr, TTY, long-line and no-final-newline containers lands in the
# store exactly once, with its metadata; metrics count exactly those lines; a restart of the
# agent re-reads nothing.
source "$(dirname "$0")/lib.sh"

start_agent
run_container numbered 'i=1; while [ $i -le 500 ]; do echo "a $i"; echo "b $i" >&2; i=$((i+1)); done'
run_container tty 'i=1; while [ $i -le 50 ]; do echo "t $i"; i=$((i+1)); done' -t
run_container nonewline 'echo "f 1"; printf "f 2"'
run_container long 'head -c 102400 /dev/zero | tr "\0" x; echo; head -c 16384 /dev/zero | tr "\0" y; echo; echo; echo "l 1"' \
  --label com.docker.compose.project=shop --label com.docker.compose.service=web

expected=$((500 + 500 + 50 + 2 + 4))
store_has_all() { [[ $(verify_store --print-count) -ge $expected ]]; }
wait_for 60 "$expected records in the store" store_has_all
verify_store a=500 b=500 t=50 f=2 l=1 || fail "store content"

python3 - "$TEST_DIR/data/store" <<'PY' || fail "record fields"
import glob, json, sys
records = [json.loads(l) for p in sorted(glob.glob(sys.argv[1] + "/logs-*.ndjson")) for l in open(p)]
by_name = {}
for r in records:
    by_name.setdefault(r["container_name"].split("-")[0], []).append(r)
long = [r["message"] for r in by_name["long"]]
assert long[0] == "x" * 102400, f"100 KiB line: got {len(long[0])} bytes"
assert long[1] == "y" * 16384, f"16 KiB line: got {len(long[1])} bytes"
assert long[2] == "" and long[3] == "l 1", long[2:]
r = by_name["long"][0]
assert r["compose_project"] == "shop" and r["compose_service"] == "web", r
assert r["labels"]["com.docker.compose.service"] == "web", r["labels"]
assert r["image"] == "lc-busybox:test", r["image"]
assert len(r["container_id"]) == 64, r["container_id"]
assert r["time"].endswith("Z") and len(r["time"]) == 30, r["time"]
streams = {m["message"].split()[0]: m["stream"] for m in by_name["numbered"]}
assert streams == {"a": "stdout", "b": "stderr"}, streams
assert all(m["message"].startswith("t ") and m["stream"] == "stdout" for m in by_name["tty"])
assert [m["message"] for m in by_name["nonewline"]] == ["f 1", "f 2"]
print("fields OK")
PY

[[ $(metric log_capturer_lines_total '{stream="stdout"}') -eq $((expected - 500)) ]] ||
  fail "stdout lines metric $(metric log_capturer_lines_total '{stream="stdout"}') != $((expected - 500))"
[[ $(metric log_capturer_lines_total '{stream="stderr"}') -eq 500 ]] || fail "stderr lines metric"
[[ $(metric log_capturer_pipeline_records_delivered_total) -eq $expected ]] || fail "delivered metric"

# The live scrape is valid Prometheus text (promtool from Debian's prometheus package).
curl -s "http://127.0.0.1:$METRICS_PORT/metrics" >"$TEST_DIR/metrics.txt"
promtool check metrics <"$TEST_DIR/metrics.txt" >"$TEST_DIR/promtool.txt" 2>&1 ||
  fail "promtool check metrics: $(cat "$TEST_DIR/promtool.txt")"
[[ ! -s $TEST_DIR/promtool.txt ]] || fail "promtool complaints: $(cat "$TEST_DIR/promtool.txt")"
for name in log_capturer_docker_http_requests_total log_capturer_docker_http_errors_total \
  log_capturer_docker_http_connections_opened_total log_capturer_docker_http_idle_connections \
  log_capturer_docker_http_active_connections log_capturer_container_streams_active \
  log_capturer_container_streams_opened_total log_capturer_container_streams_closed_total \
  log_capturer_lines_total log_capturer_bytes_total log_capturer_sink_records_written_total \
  log_capturer_sink_write_errors_total log_capturer_open_fds log_capturer_threads \
  log_capturer_resident_memory_bytes; do
  grep -q "^$name" "$TEST_DIR/metrics.txt" || fail "metric $name missing"
done
for name in $(awk '/^# TYPE/ { print $3 }' "$TEST_DIR/metrics.txt"); do
  grep -q "\`$name[\`{]" "$LC_SOURCE_DIR/docs/metrics.md" || fail "metric $name is not in docs/metrics.md"
done
[[ $(metric log_capturer_sink_records_written_total '{sink="file_store"}') -eq $expected ]] ||
  fail "records written metric"

# A restart reads the stopped containers again from their checkpoints: nothing new lands.
stop_agent
start_agent
resynced() { [[ $(metric log_capturer_docker_resyncs_total) -ge 1 ]]; }  # read at every try
wait_for 20 "resync after restart" resynced
sleep 1
verify_store a=500 b=500 t=50 f=2 l=1 || fail "store content after restart"
[[ $(verify_store --print-count) -eq $expected ]] || fail "records duplicated after restart"
[[ $(metric log_capturer_lines_total '{stream="stdout"}') -eq 0 ]] || fail "lines re-captured after restart"
# API mode: a container already stopped is read once to its end; a catch-up read would make
# dockerd decode its whole log again for nothing.
[[ $(metric log_capturer_container_catch_up_reads_total) -eq 0 ]] ||
  fail "$(metric log_capturer_container_catch_up_reads_total) catch-up reads of containers that were stopped before they were read"
stop_agent
echo "PASS"
