#!/usr/bin/env bash
# json-file logs rotated with compress=true (dockerd renames the log to .1, then gzips it into
# .1.gz and deletes .1; older files are .2.gz...): a reader that keeps up holds the file it
# reads open through the rename, the compression and the delete; an agent killed with kill -9
# (file mode: 3 times) resumes in the .gz its checkpointed file became, found by its first
# line. Every line is stored exactly once, no resume point is lost and no rotated file is
# counted as rotated away. The API variant (dockerd reads the .gz files) runs without kills.
source "$(dirname "$0")/lib.sh"

kills=3
[[ ${LC_TEST_DOCKER_MODE:-auto} == api ]] && kills=0

containers=2
lines=40000
# max-file=12 keeps every file a writer writes (about 8 MiB): a resume point can only be lost by
# a fault, never to dockerd deleting the oldest file while a slow (sanitized) agent restarts.
# Beside stdout, on stderr, 500 lines of which every 50th is 20 KiB (over dockerd's 16 KiB
# pieces): both streams and long lines are in flight when the kills and compressions come.
err_lines=500
writer=$(two_stream_writer "$lines" "$err_lines" 50 10 100000)

start_agent
expect=()
for c in $(seq 1 $containers); do
  run_container "gz$c" "TAG=z$c; $writer" --log-opt max-size=1m --log-opt max-file=12 \
    --log-opt compress=true
  expect+=("z$c=$lines" "ez$c=$err_lines")
done

for round in $(seq 1 "$kills"); do
  sleep "1.$((RANDOM % 9 + 1))"
  kill_agent
  start_agent
  log "killed and restarted the agent (round $round), store holds $(verify_store --print-count) records"
done

all_stored() { [[ $(verify_store --print-count) -ge $((containers * (lines + err_lines))) ]]; }
wait_for 120 "all lines stored" all_stored
sleep 1
log_path=$(docker inspect -f '{{.LogPath}}' "gz1-$(basename "$TEST_DIR")")
if [[ -r $(dirname "$log_path") ]]; then
  compressed=$(ls "$log_path".*.gz 2>/dev/null | wc -l)
  ((compressed > 0)) || fail "dockerd left no .gz file: compress=true did not apply"
fi
verify_store "${expect[@]}" --strict || fail "lines lost or duplicated across compressed rotations and $kills kill -9"
[[ $(verify_store --print-count) -eq $((containers * (lines + err_lines))) ]] || fail "extra records in the store"
if [[ ${LC_TEST_DOCKER_MODE:-auto} != api ]]; then
  # Counted since the last start: after the kills the writers may be done.
  ((kills > 0)) || [[ $(metric log_capturer_json_file_rotations_total) -ge $containers ]] ||
    fail "no rotation followed"
  [[ $(metric log_capturer_json_file_rotated_away_total) -eq 0 ]] || fail "a gap counted while the reader kept up"
  ! grep -q "checkpointed file" "$TEST_DIR/agent.log" || fail "a resume point was lost: $(grep "checkpointed file" "$TEST_DIR/agent.log")"
fi
stop_agent
echo "PASS ($containers containers x $lines lines, compress=true, $kills kill -9)"
