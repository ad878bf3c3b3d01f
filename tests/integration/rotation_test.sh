#!/usr/bin/env bash
# Containers whose json-file logs rotate many times (max-size=1m, max-file=4) while the agent
# follows them, and while it is killed with kill -9 and restarted in the middle of the
# rotations: every line is stored exactly once. Runs in file mode (the default) and, as
# integration.rotation_test.api, through the Engine API.
#
# The API variant follows the rotations without the kills: dockerd (20.10, Debian 12's) skips a
# whole json-file when a `logs --follow` stream is two or more rotations behind the writer, or
# when the log rotates during the catch-up read that starts a follow (the README says when).
# A restarted agent's follow starts with such a read: with 3 kills, even writing at ~180 KB/s
# (1 MiB files, a rotation every ~6 s), one run of 2026-12-05 lost 4481 consecutive stdout
# and 460 stderr lines of one container right after the first restart, one file's worth.
# Reading the files directly (file mode, the default) has no such gap: that variant keeps the
# kills.
source "$(dirname "$0")/lib.sh"

default_kills=5
[[ ${LC_TEST_DOCKER_MODE:-auto} == api ]] && default_kills=0
lines=60000
pause=100000  # microseconds after each burst of 500 lines

containers=3
# ~110-byte lines in bursts of 500 with a pause: ~6.6 MB per container, rotated about 7 times,
# at most ~5000 lines/s (550 KB/s). A line is lost by any reader when dockerd deletes its file
# while no agent runs: the 3 MB of rotated files that max-file=4 keeps (~5.5 s of writing)
# must outlast the agent's lag plus its downtime on a loaded 2-core CI machine. The agent
# restarts right after each kill; the store is counted only once it runs (counting takes ~1 s).
# Beside them, on stderr, 1000 lines of which every 50th is 20 KiB ("TAG n P20000 <padding>",
# more than one of dockerd's 16 KiB pieces): the streams interleave, and long lines are being
# joined when the rotations and the kills come.
err_lines=1000
writer='pad=$(head -c 96 /dev/zero | tr "\0" p); p20=$(head -c 20000 /dev/zero | tr "\0" p)
  out() { i=0; while [ $i -lt '$lines' ]; do seq $((i+1)) $((i+500)) | sed "s/^/$TAG /;s/\$/ $pad/"; i=$((i+500)); usleep '$pause'; done; }
  err() { i=1; while [ $i -le '$err_lines' ]; do
    if [ $((i % 50)) -eq 0 ]; then echo "e$TAG $i P20000 $p20"; else echo "e$TAG $i"; fi
    [ $((i % 20)) -eq 0 ] && usleep 100000; i=$((i+1)); done; }
  out & err >&2 & wait'

start_agent
expect=()
for c in $(seq 1 $containers); do
  run_container "rot$c" "TAG=r$c; $writer" --log-opt max-size=1m --log-opt max-file=4
  expect+=("r$c=$lines" "er$c=$err_lines")
done

kills=0
for round in $(seq 1 "${LC_ROTATION_KILLS:-$default_kills}"); do
  sleep "1.$((RANDOM % 9 + 1))"
  kill_agent
  kills=$((kills + 1))
  start_agent
  log "killed and restarted the agent (round $round), store holds $(verify_store --print-count) records"
done

all_stored() { [[ $(verify_store --print-count) -ge $((containers * (lines + err_lines))) ]]; }
wait_for 120 "all lines stored" all_stored
sleep 1
rotations=$(metric log_capturer_json_file_rotations_total)
if [[ ${LC_TEST_DOCKER_MODE:-auto} != api ]]; then
  verify_store "${expect[@]}" --strict || fail "lines lost or duplicated across rotations and $kills kill -9"
  [[ $(verify_store --print-count) -eq $((containers * (lines + err_lines))) ]] || fail "extra records in the store"
else
  # Known defect, API mode only (issue 11's note): when dockerd re-sends lines at a rotation,
  # the re-sent part can begin with the last 16 KiB piece of a long line, which then arrives as
  # a record of its own (a CI run saw 3 such records among 183,000). Every expected line is
  # still checked exactly once; the stray pieces are reported, not failed.
  verify_store "${expect[@]}" || fail "lines lost or duplicated across rotations"
  stray=$(($(verify_store --print-count) - containers * (lines + err_lines)))
  log "records that are pieces of a long line re-sent by dockerd: $stray"
fi
if [[ ${LC_TEST_DOCKER_MODE:-auto} != api ]]; then
  # Counted since the last restart only; the logs rotated ~20 times in all.
  log "rotations followed since the last restart: $rotations"
  [[ $(metric log_capturer_json_file_open_files) -le $containers ]] || fail "more open files than containers"
fi
stop_agent
echo "PASS ($containers containers x $lines lines, $kills kill -9 during rotation)"
