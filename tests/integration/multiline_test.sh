#!/usr/bin/env bash
# Multi-line joining with real containers (busybox scripts standing in for applications):
#  - a "Java service" logs JSON on stdout and exception traces (23 lines, paused in the
#    middle) on stderr; the agent is killed with kill -9 three times, mostly while a trace is
#    open: every trace is stored exactly once and whole, every JSON line exactly once;
#  - a container labelled io.log-capturer.multiline=python gets its tracebacks joined by the
#    hint alone (the multiline processor's `when` does not select it).
source "$(dirname "$0")/lib.sh"

requests=1500 trace_every=5 tracebacks=40
EXTRA_CONFIG="processors:
  - name: java
    type: multiline
    when: {streams: [stderr]}
    presets: [java]"
start_agent

# Trace n: the exception line, 20 frames (a pause after the 9th, so that kills and reads land
# inside it), a cause and an omitted-frames line.
java_service='i=0
while [ $i -lt '"$requests"' ]; do
  i=$((i+1))
  echo "{\"level\":\"info\",\"msg\":\"request $TAG $i\"}"
  if [ $((i % '"$trace_every"')) -eq 0 ]; then
    { echo "java.lang.IllegalStateException: $TAG trace $i"
      f=1; while [ $f -le 20 ]; do
        echo "	at com.shop.Handler.step$f(Handler.java:$f)"
        [ $f -eq 9 ] && usleep 30000
        f=$((f+1)); done
      echo "Caused by: java.io.IOException: disk $i"
      echo "	... 12 more"; } >&2
  fi
  usleep 2000
done'
python_service='i=0
while [ $i -lt '"$tracebacks"' ]; do
  i=$((i+1))
  echo "starting job $i"
  echo "Traceback (most recent call last):"
  echo "  File \"/app/job.py\", line $i, in <module>"
  echo "    run()"
  echo "ValueError: job $i failed"
  usleep 20000
done'
run_container java "TAG=j1; $java_service"
run_container python "$python_service" --label io.log-capturer.multiline=python

for round in 1 2 3; do
  sleep "1.$((RANDOM % 9 + 1))"
  kill_agent
  start_agent
  log "killed and restarted the agent (round $round)"
done

traces=$((requests / trace_every))
all_stored() {
  [[ $(verify_store --print-count) -ge $((requests + traces + tracebacks * 2)) ]]
}
wait_for 120 "every record stored" all_stored
sleep 1.5  # a duplicate would arrive by now

python3 - "$LC_TEST_LIB_DIR" "$TEST_DIR/data/store" "$requests" "$trace_every" "$tracebacks" <<'PY' || fail "multi-line records lost, split or duplicated"
import collections, sys
sys.path.insert(0, sys.argv[1])
from verify_store import load_records
store, requests, every, tracebacks = sys.argv[2], *map(int, sys.argv[3:])
seen = collections.Counter()
problems = []
for record in load_records(store):
    name, stream, message = record["container_name"], record["stream"], record["message"]
    if name.startswith("java-") and stream == "stdout":
        seen[message] += 1
    elif name.startswith("java-"):
        lines = message.split("\n")
        n = lines[0].rsplit(" ", 1)[-1]
        expected = ["java.lang.IllegalStateException: j1 trace " + n]
        expected += ["\tat com.shop.Handler.step%d(Handler.java:%d)" % (f, f) for f in range(1, 21)]
        expected += ["Caused by: java.io.IOException: disk " + n, "\t... 12 more"]
        if lines != expected:
            problems.append("a trace not whole: %r" % message[:200])
        seen["trace " + n] += 1
    elif name.startswith("python-"):
        seen[message.split("\n")[0] if message.startswith("Traceback") else message] += 1
        if message.startswith("Traceback") and len(message.split("\n")) != 4:
            problems.append("a traceback not whole: %r" % message)
expected = collections.Counter()
for i in range(1, requests + 1):
    expected['{"level":"info","msg":"request j1 %d"}' % i] = 1
    if i % every == 0:
        expected["trace %d" % i] = 1
for i in range(1, tracebacks + 1):
    expected["starting job %d" % i] = 1
expected["Traceback (most recent call last):"] = tracebacks
for key in set(expected) | set(seen):
    if seen[key] != expected[key]:
        problems.append("%r stored %d times, expected %d" % (key, seen[key], expected[key]))
for problem in problems[:20]:
    print(problem, file=sys.stderr)
print("%d records checked, %d problems" % (sum(seen.values()), len(problems)), file=sys.stderr)
sys.exit(1 if problems else 0)
PY
[[ $(metric log_capturer_processor_multiline_joined_total '{processor="container_hints"}') -gt 0 ||
   $(metric log_capturer_processor_multiline_joined_total '{processor="java"}') -gt 0 ]] ||
  fail "no join counted since the last start"
stop_agent
echo "PASS ($((requests / trace_every)) Java traces and $tracebacks Python tracebacks joined, 3 kill -9)"
