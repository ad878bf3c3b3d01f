#!/usr/bin/env bash
# config.watch: the agent reloads when its file changes. A container writes numbered lines on
# both streams while the file is replaced (renamed over, as editors and ConfigMaps do):
#  - a new valid file is reloaded once (the status shows its hash);
#  - an invalid one is refused once, and not tried again while it stays as it is;
#  - a fixed one is reloaded; one that switches watch off is reloaded, and later changes are not;
#  - every line is in the store exactly once.
source "$(dirname "$0")/lib.sh"

lines=1500

# config_with WATCH FILTER_TAG: the test's config, watching (or not) every 200 ms, with a filter
# dropping lines that start with FILTER_TAG (none do: the store keeps everything).
config_with() {
  EXTRA_CONFIG="config:
  watch: $1
  watch_interval: 200ms
processors:
  - type: filter
    exclude: {message: '^$2 '}"
  write_config
}
replace_config() {  # replace_config WATCH FILTER_TAG: written next to it, renamed over it
  mv "$TEST_DIR/config.yaml" "$TEST_DIR/previous.yaml"
  config_with "$@"
  mv "$TEST_DIR/config.yaml" "$TEST_DIR/next.yaml"
  mv "$TEST_DIR/previous.yaml" "$TEST_DIR/config.yaml"
  mv "$TEST_DIR/next.yaml" "$TEST_DIR/config.yaml"
}
reloads() { metric log_capturer_config_reloads_total "{result=\"$1\"}"; }
reloads_are() { [[ $(reloads success) == "$1" && $(reloads failure) == "$2" ]]; }
running_hash() {
  curl -s "http://127.0.0.1:$API_PORT/api/v1/status" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["config"]["hash"])'
}
expect_hash_of_file() {
  local want="sha256:$(sha256sum "$TEST_DIR/config.yaml" | cut -d' ' -f1)"
  [[ $(running_hash) == "$want" ]] || fail "status hash $(running_hash), the file's $want"
}

config_with true never-0
start_agent
# Stdout in three bursts, stderr over ~15 s: the reloads land while it writes.
run_container writer "$(two_stream_writer $lines $lines 400 25 250000)" -e TAG=w

replace_config true never-1
wait_for 10 "the changed file reloaded" reloads_are 1 0
expect_hash_of_file

sed -i 's/watch_interval: 200ms/watch_interval: soon/' "$TEST_DIR/config.yaml"
wait_for 10 "the invalid file refused" reloads_are 1 1
grep -q "config.yaml:[0-9]*:[0-9]*: config.watch_interval" "$TEST_DIR/agent.log" ||
  fail "the refusal does not name the file, line and key"
touch "$TEST_DIR/config.yaml"
sleep 1.5
reloads_are 1 1 || fail "an unchanged invalid file was tried again: $(reloads success)/$(reloads failure)"

replace_config true never-2
wait_for 10 "the fixed file reloaded" reloads_are 2 1
expect_hash_of_file

replace_config false never-3
wait_for 10 "the file switching watch off reloaded" reloads_are 3 1
replace_config false never-4
sleep 1.5
reloads_are 3 1 || fail "a change was reloaded with watch off: $(reloads success)/$(reloads failure)"

docker wait "writer-$(basename "$TEST_DIR")" >/dev/null
all_stored() { [[ $(verify_store --print-count) -ge $((2 * lines)) ]]; }
wait_for 30 "every line in the store" all_stored
verify_store "w=$lines" "ew=$lines" --strict || fail "file store"
stop_agent
log "PASS"
