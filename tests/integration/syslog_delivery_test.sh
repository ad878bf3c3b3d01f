#!/usr/bin/env bash
# Delivery to a real rsyslogd (Debian's) next to the file store, two syslog sinks at once: RELP
# (imrelp) and TCP with octet counting (imtcp). rsyslog writes each message as JSON with the
# input that took it, its severity, APP-NAME and structured data.
#  1. containers writing stdout and stderr (with 20 KiB lines) while rsyslog is restarted: over
#     RELP every line arrives (duplicates at most what the sink counted resent); over TCP the
#     missing lines are at most what the sink counted at risk; severity by stream, APP-NAME the
#     container's name, its metadata in the structured data;
#  2. kill -9 of the agent, 3 times, while lines flow: nothing lost over either.
source "$(dirname "$0")/lib.sh"

RSYSLOG_TCP_PORT=$(free_port)
RSYSLOG_RELP_PORT=$(free_port)
RSYSLOG_DIR=$TEST_DIR/rsyslog
RSYSLOG_PID=""
mkdir -p "$RSYSLOG_DIR"
cat >"$RSYSLOG_DIR/rsyslog.conf" <<CONF
global(workDirectory="$RSYSLOG_DIR" maxMessageSize="256k")
main_queue(queue.timeoutShutdown="10000")
module(load="imtcp")
module(load="imrelp")
input(type="imtcp" port="$RSYSLOG_TCP_PORT" address="127.0.0.1")
input(type="imrelp" port="$RSYSLOG_RELP_PORT" address="127.0.0.1")
template(name="entry" type="list") {
  constant(value="{\"line\":\"") property(name="msg" format="json")
  constant(value="\",\"severity\":") property(name="syslogseverity")
  constant(value=",\"app\":\"") property(name="app-name" format="json")
  constant(value="\",\"sd\":\"") property(name="structured-data" format="json")
  constant(value="\",\"structured_metadata\":{}}\n")
}
if \$inputname == "imrelp" then action(type="omfile" file="$RSYSLOG_DIR/relp.ndjson" template="entry")
if \$inputname == "imtcp" then action(type="omfile" file="$RSYSLOG_DIR/tcp.ndjson" template="entry")
CONF
start_rsyslog() {
  /usr/sbin/rsyslogd -n -f "$RSYSLOG_DIR/rsyslog.conf" -i "$RSYSLOG_DIR/rsyslogd.pid" \
    >>"$RSYSLOG_DIR/rsyslogd.log" 2>&1 &
  RSYSLOG_PID=$!
  wait_for 15 "rsyslogd listens" bash -c "exec 3<>/dev/tcp/127.0.0.1/$RSYSLOG_RELP_PORT" 2>/dev/null
}
stop_rsyslog() {  # SIGTERM, as a service restart does
  [[ -n $RSYSLOG_PID ]] || return 0
  kill -TERM "$RSYSLOG_PID" 2>/dev/null || true
  wait "$RSYSLOG_PID" 2>/dev/null || true
  RSYSLOG_PID=""
}
CLEANUP_HOOK=stop_rsyslog

EXTRA_CONFIG="sinks:
  relp:
    type: syslog
    protocol: relp
    address: 127.0.0.1:$RSYSLOG_RELP_PORT
    write_timeout: 5s
  tcp:
    type: syslog
    address: 127.0.0.1:$RSYSLOG_TCP_PORT
    write_timeout: 5s"
write_config
pipeline_settings "batch_max_records: 500" "retry_max: 500ms"
verify_relp() { python3 "$LC_TEST_LIB_DIR/verify_store.py" "$RSYSLOG_DIR/relp.ndjson" "$@"; }
verify_tcp() { python3 "$LC_TEST_LIB_DIR/verify_store.py" "$RSYSLOG_DIR/tcp.ndjson" "$@"; }
written() { metric log_capturer_sink_records_written_total "{sink=\"$1\"}"; }
# all_written TOTAL: both syslog sinks and the store delivered TOTAL records (or more: resent).
all_written() {
  (($(written relp) >= $1 && $(written tcp) >= $1 && $(verify_store --print-count) >= $1))
}

# ---- 1. rsyslog restarted mid-stream ----
log "1. two streams, 20 KiB lines, rsyslog restarted"
start_rsyslog
start_agent
for c in 1 2 3; do run_container "s$c" "$(two_stream_writer 3000 300 50 30 150000)" -e TAG=s$c; done
relp_took_some() { [[ -s $RSYSLOG_DIR/relp.ndjson ]]; }
wait_for 30 "lines at rsyslog" relp_took_some
sleep 0.5
stop_rsyslog
sleep 0.3
start_rsyslog
expect="s1=3000 es1=300 s2=3000 es2=300 s3=3000 es3=300"
wait_for 90 "9900 records through both sinks" all_written 9900
sleep 1
verify_store $expect || fail "file store"
resent_relp=$(metric log_capturer_syslog_records_resent_total '{sink="relp"}')
verify_relp $expect --allow-duplicates "$resent_relp" || fail "lines lost over RELP"
resent_tcp=$(metric log_capturer_syslog_records_resent_total '{sink="tcp"}')
at_risk=$(metric log_capturer_syslog_records_at_risk_total '{sink="tcp"}')
tcp_check=$(verify_tcp $expect --allow-duplicates "$resent_tcp" --unordered || true)
missing=$(echo "$tcp_check" | awk '/lines lost/ { sum += $2 } END { print sum + 0 }')
((missing <= at_risk)) || fail "TCP lost $missing lines, the sink counted $at_risk at risk: $tcp_check"
echo "$tcp_check" | grep -q "duplicated lines" && fail "TCP duplicates beyond the $resent_tcp resent: $tcp_check"
(($(metric log_capturer_syslog_connection_failures_total '{sink="relp",kind="closed"}') +
  $(metric log_capturer_syslog_connection_failures_total '{sink="relp",kind="connect"}') >= 1)) ||
  fail "the RELP sink never saw the restart"
python3 - "$RSYSLOG_DIR/relp.ndjson" <<'PY' || fail "severity, APP-NAME or structured data"
import json, sys
for line in open(sys.argv[1]):
    entry = json.loads(line)
    tag = entry["line"].split(" ", 1)[0]
    expected = 3 if tag.startswith("e") else 6  # stderr: err, stdout: info
    assert entry["severity"] == expected, entry["line"][:60]
    assert entry["app"].startswith(tag.lstrip("e") + "-"), (entry["app"], tag)
    assert f'container_name="{entry["app"]}"' in entry["sd"], entry["sd"][:200]
    assert ('stream="stderr"' in entry["sd"]) == tag.startswith("e"), entry["sd"][:200]
print("severity, APP-NAME and structured data OK")
PY
log "TCP: $missing lost, $at_risk at risk, $resent_tcp resent; RELP: $resent_relp resent"
stop_agent
remove_test_containers

# ---- 2. kill -9 of the agent ----
log "2. 3 x kill -9 while lines flow"
start_agent
for c in 1 2 3; do run_container "k$c" "$(two_stream_writer 4000 200 40 20 100000)" -e TAG=k$c; done
for _ in 1 2 3; do
  sleep 0.$((RANDOM % 5 + 4))
  kill_agent
  start_agent
done
expect="k1=4000 ek1=200 k2=4000 ek2=200 k3=4000 ek3=200"
every_line() { "$@" $expect --allow-duplicates 100000 >/dev/null; }
every_line_at_rsyslog() { every_line verify_relp && every_line verify_tcp; }
wait_for 90 "every line at rsyslog over both" every_line_at_rsyslog
verify_relp $expect --allow-duplicates 100000 >"$TEST_DIR/relp-check" || { cat "$TEST_DIR/relp-check"; fail "lost over RELP across kill -9"; }
verify_tcp $expect --allow-duplicates 100000 >"$TEST_DIR/tcp-check" || { cat "$TEST_DIR/tcp-check"; fail "lost over TCP across kill -9"; }
stop_agent
echo "PASS (restart: TCP $missing lost of $at_risk at risk, RELP none lost; 3 kills: nothing lost; $(tail -1 "$TEST_DIR/relp-check"))"
