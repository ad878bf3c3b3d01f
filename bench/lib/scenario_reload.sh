# shellcheck shell=bash
# Scenario "reload": hot reload under a steady load. N containers write R lines/s each (the
# latency scenario's writers); an agent follows them and is reloaded K times through POST
# /api/v1/reload, alternately: another batch size (the sinks' lanes retuned in place), another
# Docker engine option (the docker input alone rebuilt: every container followed again from where it
# was), another file store retention (the fallback: the whole topology drained and rebuilt, since
# the store's cursor is part of the checkpoints). For each
# reload: how it was applied, the time from the request to the answer (the new configuration
# serving) and the records the store gained meanwhile. Then the containers stop and every line
# they wrote is counted in the store once.
# Args: containers, lines/s each, reloads.

store_records() { cat "$AGENT_DIR"/data/store/logs-*.ndjson 2>/dev/null | wc -l; }

scenario_reload() {
  local containers=$1 rate=$2 reloads=$3 k before start code
  record reload.containers "$containers"
  record reload.rate "$rate"
  record reload.reloads "$reloads"
  bench_log "reload: $containers containers x $rate lines/s, $reloads reloads"
  start_containers reload 1 "$containers" "$(latency_script "$rate")" || return 1
  start_agent reload "pipeline:
  batch_max_records: 1000
sinks:
  file_store:
    max_files: 8" || return 1
  wait_until $((60 + containers / 2)) "$containers containers followed" \
    metric_equals log_capturer_containers_followed "$containers" || return 1
  sleep 2
  for k in $(seq 1 "$reloads"); do
    case $((k % 3)) in
      1) sed -i "s/batch_max_records: [0-9]*/batch_max_records: $((1000 + k))/" "$AGENT_DIR/config.yaml" ;;
      2) # docker.request_timeout: the docker input's engine connection
        sed -i -e '/^  request_timeout:/d' -e "s|^  host: .*|&\n  request_timeout: $((30 + k))s|" \
          "$AGENT_DIR/config.yaml" ;;
      0) sed -i "s/max_files: [0-9]*/max_files: $((8 + k))/" "$AGENT_DIR/config.yaml" ;;
    esac
    before=$(store_records)
    start=$(now_s)
    code=$(curl -s -o "$BENCH_WORK/reload.json" -w '%{http_code}' -X POST "$AGENT_API/api/v1/reload")
    record "reload.$k.ms" "$(awk -v s="$(elapsed_s "$start")" 'BEGIN { printf "%.1f", s * 1000 }')"
    record "reload.$k.delivered" $(($(store_records) - before))
    record "reload.$k.how" "$(curl -s "$AGENT_API/api/v1/status" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["config"]["last_reload"].get("applied", "?"))')"
    [[ $code == 200 ]] || { bench_log "reload $k: $code $(cat "$BENCH_WORK/reload.json")"; return 1; }
    sleep 1
  done
  docker stop -t 1 $(container_ids reload) >/dev/null
  sleep 2
  record reload.duplicates "$(python3 - "$AGENT_DIR/data/store" <<'PY'
import collections, glob, json, sys
seen = collections.Counter()
for path in glob.glob(sys.argv[1] + "/logs-*.ndjson"):
    for line in open(path):
        r = json.loads(line)
        seen[(r.get("container_id"), r.get("stream"), r["time"], r.get("rank", 0))] += 1
print(sum(n - 1 for n in seen.values()))
PY
)"
  stop_agent || return 1
  remove_containers reload
}
