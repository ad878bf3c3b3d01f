#!/usr/bin/env bash
# The soak test in one minute (scripts/soak, docs/soak.md): the same churn and the same
# criteria, growth limits scaled to the short window. Then proof that the verdict can fail:
# the same results judged against an impossible reuse ratio, and the same store with one line
# removed and another doubled, must both fail.
set -euo pipefail
: "${LC_TEST_DOCKER_HOST:?run through scripts/test (it starts the private Docker engine)}"
root=${LC_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
binary=${LC_BINARY:-${LC_BUILD_DIR:-$root/build}/log-capturer}
out=$(mktemp -d /tmp/lc-soak-short.XXXXXX)
fail() { echo "FAIL: $*" >&2; echo "results kept in $out" >&2; exit 1; }

DOCKER_HOST=$LC_TEST_DOCKER_HOST "$root/scripts/soak" --duration "${LC_SOAK_DURATION:-1m}" \
  --interval 5s --binary "$binary" --out "$out/run" --keep-data || fail "the short soak failed"

# must_fail NAME PATTERN ARGS...: scripts/soak --judge ARGS fails, its table matching PATTERN.
must_fail() {
  local name=$1 pattern=$2
  shift 2
  if "$root/scripts/soak" --judge "$@" >"$out/$name.txt"; then fail "$name: passed"; fi
  grep -Eq "$pattern" "$out/$name.txt" || fail "$name: no '$pattern' in: $(cat "$out/$name.txt")"
}
must_fail reuse "^Docker API connection reuse .*FAIL" "$out/run" --criteria reuse_min=0.99999

cp -r "$out/run" "$out/doctored"
python3 - "$out/doctored/data/store" <<'PY'
import glob, sys
path = sorted(glob.glob(sys.argv[1] + "/logs-*.ndjson"))[0]
lines = open(path, "rb").readlines()
steady = [i for i, l in enumerate(lines) if b'"message":"steady1.g1 ' in l]
lines.insert(steady[20], lines[steady[20]])  # one line twice
del lines[steady[10]]                        # one line never delivered
open(path, "wb").writelines(lines)
PY
must_fail lost "^lines lost +1 .*FAIL" "$out/doctored" --store "$out/doctored/data/store"
grep -Eq "^lines duplicated +1 .*FAIL" "$out/lost.txt" || fail "the doubled line was not seen"
rm -rf "$out"
echo "PASS"
