#!/usr/bin/env bash
# The command line: --version, --help, --check-config, and a malformed config refused with
# exit code 2 and a message naming the file, line and key.
source "$(dirname "$0")/lib.sh"

"$LC_BINARY" --version | grep -q '^log-capturer [0-9]' || fail "--version"
"$LC_BINARY" --help | grep -q -- '--config' || fail "--help"
write_config
"$LC_BINARY" --config "$TEST_DIR/config.yaml" --check-config | grep -q "configuration OK" ||
  fail "--check-config on a good file"

printf 'data_dir: /tmp/x\npipeline:\n  memory_limt_bytes: 10MiB\n' >"$TEST_DIR/bad.yaml"
status=0
"$LC_BINARY" --config "$TEST_DIR/bad.yaml" 2>"$TEST_DIR/err.txt" || status=$?
((status == 2)) || fail "malformed config exited $status, not 2"
grep -q 'bad.yaml:3' "$TEST_DIR/err.txt" || fail "no file:line in: $(cat "$TEST_DIR/err.txt")"
grep -q 'memory_limt_bytes' "$TEST_DIR/err.txt" || fail "no key in: $(cat "$TEST_DIR/err.txt")"

status=0
"$LC_BINARY" --config "$TEST_DIR/missing.yaml" 2>/dev/null || status=$?
((status == 2)) || fail "missing config exited $status, not 2"

# A malformed DOCKER_HOST is a setting error too (exit 2, naming it), unless the Docker input
# is off, where it does not matter.
status=0
DOCKER_HOST=docker.example:2375 "$LC_BINARY" --data-dir "$TEST_DIR/d" --listen '' \
  --metrics-listen '' 2>"$TEST_DIR/err.txt" || status=$?
((status == 2)) || fail "malformed DOCKER_HOST exited $status, not 2"
grep -q 'DOCKER_HOST' "$TEST_DIR/err.txt" || fail "DOCKER_HOST not named in: $(cat "$TEST_DIR/err.txt")"
printf 'data_dir: %s\ninputs:\n  docker:\n    enabled: false\n' "$TEST_DIR/d" >"$TEST_DIR/nodocker.yaml"
DOCKER_HOST=docker.example:2375 "$LC_BINARY" --config "$TEST_DIR/nodocker.yaml" --check-config |
  grep -q "configuration OK" || fail "DOCKER_HOST checked while the Docker input is off"

# Two disk buffers (or a buffer and the dead letters) in one directory would replay each
# other's records: refused at start-up, naming both.
cat >"$TEST_DIR/shared.yaml" <<YAML
data_dir: $TEST_DIR/shared
server: {listen: "", metrics_listen: ""}
inputs: {docker: {enabled: false}}
sinks:
  loki:
    enabled: true
    disk_buffer: {enabled: true, directory: $TEST_DIR/shared/dead_letters}
YAML
status=0
"$LC_BINARY" --config "$TEST_DIR/shared.yaml" 2>"$TEST_DIR/err.txt" || status=$?
((status == 2)) || fail "shared directories exited $status, not 2 (a configuration error)"
grep -q 'the disk buffer of sink loki and the dead letters would share the directory' "$TEST_DIR/err.txt" ||
  fail "shared directory not explained: $(cat "$TEST_DIR/err.txt")"
[[ ! -e $TEST_DIR/shared/dead_letters ]] || fail "the shared directory was created before the check"

# What the agent writes (every container's output) is its user's alone, whatever the umask it
# was started with: files 0600, directories 0700, also what an earlier version left open.
private=$TEST_DIR/private
mkdir -p "$private/store"
echo old >"$private/store/stale.log"
chmod 0755 "$private" "$private/store"
chmod 0644 "$private/store/stale.log"
cat >"$TEST_DIR/config.yaml" <<YAML
data_dir: $private
checkpoint_interval: 100ms
server: {listen: "127.0.0.1:$API_PORT", metrics_listen: ""}
inputs: {docker: {enabled: false}}
sinks: {file_store: {disk_buffer: {enabled: true}}}
dead_letters: {enabled: true}
YAML
umask 022
start_agent
# The API answers loopback names only, and no cross-site page (421 and 403).
status_of() { curl -s -o /dev/null -w '%{http_code}' "$@" "http://127.0.0.1:$API_PORT/health"; }
[[ $(status_of) != 4* ]] || fail "the API refused a loopback request: $(status_of)"
[[ $(status_of -H 'Host: rebound.example') == 421 ]] || fail "a foreign Host was served"
[[ $(status_of -H 'Origin: http://evil.example') == 403 ]] || fail "a cross-site Origin was served"
stop_agent
for path in lock store/stale.log buffers/file_store; do
  [[ -e $private/$path ]] || fail "the agent did not create $private/$path"
done
loose=$(find "$private" -perm /077 -printf '%m %p\n')
[[ -z $loose ]] || fail "readable by others: $loose"
echo "PASS"
