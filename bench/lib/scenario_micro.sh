# shellcheck shell=bash
# Scenario "micro": every Google Benchmark executable of the build (bench/lc_bench_*), its
# results kept as JSON for report.py. Arg: --benchmark_min_time in seconds.

scenario_micro() {
  local min_time=$1 exe name found=0
  for exe in "$BENCH_BUILD_DIR"/bench/lc_bench_*; do
    [[ -x $exe ]] || continue
    found=1
    name=$(basename "$exe")
    bench_log "micro: $name"
    timeout 300 "$exe" --benchmark_min_time="$min_time" \
      --benchmark_out="$BENCH_WORK/micro-$name.json" --benchmark_out_format=json \
      >"$BENCH_WORK/micro-$name.txt" 2>&1 || {
      bench_log "micro: $name failed:"
      tail -5 "$BENCH_WORK/micro-$name.txt" >&2
      return 1
    }
  done
  ((found)) || { bench_log "micro: no lc_bench_* executables in $BENCH_BUILD_DIR/bench"; return 1; }
}
