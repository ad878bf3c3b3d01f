#!/usr/bin/env bash
# The json-file fast path and the Engine API give the same records for the same containers:
# the agent reads them once in api mode and once in file mode (each into a store of its own)
# and the two stores must match field by field. Also: mode file leaves out a container whose
# log is not a json-file log (and counts it), mode auto reads it through the API instead.
source "$(dirname "$0")/lib.sh"

run_container mixed 'i=1; while [ $i -le 300 ]; do echo "a $i"; echo "b $i" >&2; i=$((i+1)); done
  echo; printf "\377\376 not utf-8\n"; head -c 102400 /dev/zero | tr "\0" x; echo
  head -c 16384 /dev/zero | tr "\0" y; echo; printf "last without newline"'
run_container tty 'i=1; while [ $i -le 50 ]; do echo "t $i"; i=$((i+1)); done' -t
run_container local 'i=1; while [ $i -le 20 ]; do echo "n $i"; i=$((i+1)); done' --log-driver local
wait_for 30 "test containers exited" \
  bash -c "[[ -z \$(docker ps -q --filter label=$TEST_LABEL) ]]"

expected=$((600 + 5 + 50))
run_mode() {  # run_mode MODE EXPECTED: a fresh store read in that mode, kept as data-MODE
  local mode=$1 count=$2
  rm -f "$TEST_DIR/config.yaml"
  LC_TEST_DOCKER_MODE=$mode start_agent
  store_has() { [[ $(verify_store --print-count) -ge $count ]]; }
  wait_for 60 "$count records read in $mode mode" store_has
  sleep 0.5
  from_files=$(metric log_capturer_containers_read_from_file)
  unreadable=$(metric log_capturer_docker_containers_unreadable_total)
  stop_agent
  mv "$TEST_DIR/data" "$TEST_DIR/data-$mode"
}

run_mode api $((expected + 20))
[[ $unreadable -eq 0 ]] || fail "api mode reported unreadable containers"
run_mode file "$expected"
[[ $unreadable -eq 1 ]] || fail "file mode: the local-driver container should be counted unreadable, got $unreadable"
grep -q "not captured: inputs.docker.mode is file" "$TEST_DIR/agent.log" || fail "no warning for the local-driver container"
run_mode auto $((expected + 20))

python3 - "$TEST_DIR" <<'PY' || fail "api and file mode stores differ"
import glob, json, sys
def load(mode):
    records = [json.loads(l) for p in sorted(glob.glob(f"{sys.argv[1]}/data-{mode}/store/logs-*.ndjson")) for l in open(p, "rb")]
    # A record read from its json-file log carries its place there ("position"; file and auto
    # mode): where it was read from is the only difference allowed between the modes.
    file_read = sum("position" in r for r in records)
    for r in records:
        r.pop("position", None)
    print(f"{mode}: {file_read} of {len(records)} records carry their json-file place")
    return sorted(records, key=lambda r: (r["container_name"], r["time"], r["stream"], r["message"]))
api, file, auto = load("api"), load("file"), load("auto")
api_json_file = [r for r in api if not r["container_name"].startswith("local-")]
assert len(api_json_file) == len(file), (len(api_json_file), len(file))
for a, f in zip(api_json_file, file):
    assert a == f, f"api: {a}\nfile: {f}"
assert api == auto, "auto mode differs from api mode"
mixed = [r for r in file if r["container_name"].startswith("mixed-")]
messages = [r["message"] for r in mixed]
assert "x" * 102400 in messages and "y" * 16384 in messages and "" in messages
assert messages.count("last without newline") == 1
# dockerd's JSON encoder already replaced the invalid bytes (U+FFFD), in both modes alike.
assert len([m for m in messages if m.endswith(" not utf-8")]) == 1
assert len([r for r in file if r["container_name"].startswith("tty-")]) == 50
print(f"api and file mode stores match: {len(file)} records")
PY

# Read once, never again: a restart in file mode re-reads nothing.
mv "$TEST_DIR/data-file" "$TEST_DIR/data"
rm -f "$TEST_DIR/config.yaml"
LC_TEST_DOCKER_MODE=file start_agent
sleep 2
[[ $(verify_store --print-count) -eq $expected ]] || fail "restart in file mode stored records again"
stop_agent
echo PASS
