# shellcheck shell=bash
# Scenario "processors": the cost of each processor, in one run and on the same logs. Finished
# containers wrote plain-text, JSON and access-log lines of about the same length; a fresh
# agent in file mode (json-file read directly, into the file store) reads one kind with one
# processors list, timed until the store holds every line. Ratios are to the plain-text agent
# without processors of the same run. Args: containers per kind, lines per container.

# ~190 bytes each: plain text, a JSON object of 8 keys, and an nginx combined access line.
PROC_PLAIN_LINE='2026-12-05T10:00:01.123Z info request handled GET /api/v1/items/4711 status 200 in 4.2ms trace ab12cd34ef56ab12 user alice from 10.0.0.7 via edge-3 region eu-west-1 ok!!'
PROC_JSON_LINE='{"time":"2026-12-05T10:00:01.123Z","level":"info","msg":"request handled","method":"GET","path":"/api/v1/items/4711","status":200,"duration_ms":4.2,"trace_id":"ab12cd34ef56ab12"}'
PROC_ACCESS_LINE='10.0.0.7 - alice [05/Dec/2026:10:00:01 +0000] "GET /api/v1/items?id=4711 HTTP/1.1" 200 1532 "https://example.com/shop/cart" "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"'

# Java stack traces of 20 lines of about that length: an exception line, 19 frames.
PROC_TRACE_LINES=20
PROC_JAVA_BLOCK='java.lang.IllegalStateException: payment declined by the acquirer for order 4711 after 3 retries, giving up; see the cause below for the acquirer response code and trace'
for ((frame = 1; frame < PROC_TRACE_LINES; frame++)); do
  PROC_JAVA_BLOCK+="
	at com.example.shop.checkout.internal.PaymentProcessor\$RetryingHandler.processPaymentWithRetries$frame(PaymentProcessor.java:$((4700 + frame))) ~[shop-checkout-2026.12.1.jar:2026.12.1]"
done

# The cases: name, line kind, processors (YAML list items, indented for `processors:`).
PROC_CASES=(
  "none|plain|"
  "multiline|java|  - {type: multiline, presets: [java]}"
  "json_none|json|"
  "parse_json|json|  - {type: parse_json}"
  "parse_regex|access|  - {type: parse_regex, preset: combined}"
  "redact|access|  - {type: redact, presets: [all]}"
  "chained|json|  - {type: parse_json}
  - {type: parse_regex, source: .fields.path, pattern: '^/api/v(?<api_version>\\\\d+)/(?<resource>\\\\w+)', types: {api_version: int}}
  - {type: redact, presets: [all]}
  - {type: fields, set: {service: '{{ .container_name }}'}, remove: [trace_id]}
  - {type: filter, exclude: {fields: {level: [debug]}}}"
)

# processors_agent CASE KIND PROCESSORS TOTAL: a fresh agent on KIND's containers, timed until
# TOTAL lines are stored; the store must then hold exactly TOTAL.
processors_agent() {
  local name=$1 kind=$2 processors=$3 total=$4 start
  # Joined traces: a record per PROC_TRACE_LINES lines.
  local records=$total
  [[ $kind != java ]] || records=$((total / PROC_TRACE_LINES))
  rm -rf "$BENCH_WORK/agent-proc_$kind"
  settle_machine
  start=$(now_s)
  local extra=""
  [[ -z $processors ]] || extra="processors:
$processors"
  AGENT_DOCKER_MODE=file start_agent "proc_$kind" "$extra" || return 1
  if ! wait_until $((60 + total / 5000)) "$records records delivered" \
    metric_at_least log_capturer_pipeline_records_delivered_total "$records"; then
    bench_log "processors: $name delivered $(metric log_capturer_pipeline_records_delivered_total) of $records"
    stop_agent
    return 1
  fi
  record "proc.$name.wall_s" "$(elapsed_s "$start")"
  record "proc.$name.cpu_s" "$(cpu_seconds "$AGENT_PID")"
  record "proc.$name.hwm_kib" "$(hwm_kib "$AGENT_PID")"
  stop_agent || return 1
  local stored
  stored=$(cat "$AGENT_DIR"/data/store/*.ndjson 2>/dev/null | wc -l)
  ((stored == records)) || { bench_log "processors: $name stored $stored records, expected $records"; return 1; }
}

scenario_processors() {
  local containers=$1 lines=$2 kind line
  local total=$((containers * lines))
  for kind in plain json access; do
    case $kind in
      plain) line=$PROC_PLAIN_LINE ;;
      json) line=$PROC_JSON_LINE ;;
      access) line=$PROC_ACCESS_LINE ;;
    esac
    start_containers "proc_$kind" 1 "$containers" "yes '$line' | head -n $lines" || return 1
  done
  # Whole traces on stderr, where Java writes them: the block doubled up to the line count.
  start_containers proc_java 1 "$containers" "printf '%s\\n' '$PROC_JAVA_BLOCK' > /tmp/t
    while [ \$(wc -l < /tmp/t) -lt $lines ]; do cat /tmp/t /tmp/t > /tmp/u; mv /tmp/u /tmp/t; done
    head -n $((lines / PROC_TRACE_LINES * PROC_TRACE_LINES)) /tmp/t >&2" || return 1
  # shellcheck disable=SC2046  # one argument per id
  timeout 600 docker wait $(container_ids proc_plain) $(container_ids proc_json) \
    $(container_ids proc_access) $(container_ids proc_java) >/dev/null || { bench_log "processors: containers did not exit"; return 1; }
  record proc.lines "$total"
  record proc.cases "$(for c in "${PROC_CASES[@]}"; do printf '%s ' "${c%%|*}"; done)"
  local case_spec name rest processors
  for case_spec in "${PROC_CASES[@]}"; do
    name=${case_spec%%|*}
    rest=${case_spec#*|}
    kind=${rest%%|*}
    processors=${rest#*|}
    bench_log "processors: $name on $total $kind lines"
    processors_agent "$name" "$kind" "$processors" "$total" || return 1
  done
  remove_containers proc_plain
  remove_containers proc_json
  remove_containers proc_access
  remove_containers proc_java
}
