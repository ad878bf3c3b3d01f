#!/usr/bin/env bash
# The file store's disk fills up: the agent reports it (/health, metrics, log), keeps the
# records in memory (checkpoints do not advance), and delivers everything exactly once when
# space returns.
source "$(dirname "$0")/lib.sh"

store="$TEST_DIR/data/store"
mkdir -p "$store"
mount -t tmpfs -o size=2m tmpfs "$store" || fail "cannot mount a tmpfs (needs root)"
unmount_store() { umount "$store" 2>/dev/null || true; }
CLEANUP_HOOK=unmount_store

start_agent
# Leave almost no room.
dd if=/dev/zero of="$store/filler" bs=4k count=10000 2>/dev/null || true
run_container filler 'i=1; while [ $i -le 2000 ]; do echo "d $i padding-padding-padding-padding"; i=$((i+1)); done'

write_errors() { [[ $(metric log_capturer_sink_write_errors_total '{sink="file_store"}') -gt 0 ]]; }
wait_for 30 "the store to report write errors" write_errors
[[ $(metric log_capturer_file_store_errors_total '{sink="file_store",kind="disk_full"}') -gt 0 ]] ||
  fail "the errors are not counted as disk_full"
code=$(curl -s -o "$TEST_DIR/health.json" -w '%{http_code}' "http://127.0.0.1:$API_PORT/health")
[[ $code == 503 ]] || fail "/health answered $code while the disk is full"
grep -q 'file_store' "$TEST_DIR/health.json" || fail "/health does not name the sink"
kill -0 "$AGENT_PID" || fail "agent died on a full disk"

rm -f "$store/filler"
stored() { [[ $(verify_store --print-count) -ge 2000 ]]; }
wait_for 60 "every line once space returned" stored
verify_store d=2000 || fail "lines lost or duplicated across the full disk"
healthy() { [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$API_PORT/health") == 200 ]]; }
wait_for 10 "healthy again" healthy
stop_agent
echo "PASS"
