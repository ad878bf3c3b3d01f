#!/usr/bin/env bash
# json-file logs rotated with compress=true (dockerd renames the log to .1, then gzips it into
# .1.gz and deletes .1; older files are .2.gz...): a reader that keeps up holds the file it
# reads open through the rename, the compression and the delete, so every line is stored exactly
# once and no rotated file is counted as rotated away. The agent does not read .gz files: a
# checkpoint left in a file that was compressed since (agent down during rotations) resumes at
# the oldest uncompressed file, counted in log_capturer_json_file_resume_lost_total.
source "$(dirname "$0")/lib.sh"

containers=2
lines=40000
writer='pad=$(head -c 96 /dev/zero | tr "\0" p); i=0
  while [ $i -lt '$lines' ]; do seq $((i+1)) $((i+500)) | sed "s/^/$TAG /;s/\$/ $pad/"; i=$((i+500)); usleep 100000; done'

start_agent
expect=()
for c in $(seq 1 $containers); do
  run_container "gz$c" "TAG=z$c; $writer" --log-opt max-size=1m --log-opt max-file=3 \
    --log-opt compress=true
  expect+=("z$c=$lines")
done

all_stored() { [[ $(verify_store --print-count) -ge $((containers * lines)) ]]; }
wait_for 120 "all lines stored" all_stored
sleep 1
log_path=$(docker inspect -f '{{.LogPath}}' "gz1-$(basename "$TEST_DIR")")
if [[ -r $(dirname "$log_path") ]]; then
  compressed=$(ls "$log_path".*.gz 2>/dev/null | wc -l)
  ((compressed > 0)) || fail "dockerd left no .gz file: compress=true did not apply"
fi
verify_store "${expect[@]}" || fail "lines lost or duplicated across compressed rotations"
[[ $(verify_store --print-count) -eq $((containers * lines)) ]] || fail "extra records in the store"
if [[ ${LC_TEST_DOCKER_MODE:-auto} != api ]]; then
  [[ $(metric log_capturer_json_file_rotations_total) -ge $containers ]] || fail "no rotation followed"
  [[ $(metric log_capturer_json_file_rotated_away_total) -eq 0 ]] || fail "a gap counted while the reader kept up"
fi
stop_agent
echo "PASS ($containers containers x $lines lines, compress=true)"
