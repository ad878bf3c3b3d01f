#!/usr/bin/env python3
"""Checks the file store against what test containers wrote.

Containers print lines "<tag> <n>" with n = 1..N. The store is a file-store directory, or the
NDJSON file of tests/tools/loki_receiver (what a Loki received). For every expectation TAG=N given on the
command line, the store must hold each of those lines exactly once (or at least once with
--allow-duplicates), in order per container. Prints a summary; exits 1 on any loss,
duplicate or disorder.
"""
import argparse
import collections
import glob
import json
import os
import sys


def load_records(store_dir):
    if os.path.isfile(store_dir):  # the loki-test-receiver's output: one entry per line
        with open(store_dir, "rb") as f:
            return [dict(json.loads(raw), message=json.loads(raw)["line"]) for raw in f if raw.strip()]
    records = []
    for path in sorted(glob.glob(os.path.join(store_dir, "logs-*.ndjson"))):
        with open(path, "rb") as f:
            for number, raw in enumerate(f, 1):
                if not raw.endswith(b"\n"):
                    sys.exit(f"{path}:{number}: torn line (no newline)")
                try:
                    records.append(json.loads(raw))
                except ValueError as e:
                    sys.exit(f"{path}:{number}: invalid JSON: {e}")
    return records


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("store_dir")
    parser.add_argument("expect", nargs="*", help="TAG=N: lines 'TAG 1'..'TAG N' expected")
    parser.add_argument("--allow-duplicates", type=int, default=0,
                        help="tolerate up to this many duplicated lines in all")
    parser.add_argument("--print-count", action="store_true")
    args = parser.parse_args()

    records = load_records(args.store_dir)
    if args.print_count:
        print(len(records))
        return 0
    seen = collections.defaultdict(list)
    for record in records:
        parts = record.get("message", "").split(" ")
        if len(parts) >= 2 and parts[1].isdigit():
            seen[parts[0]].append(int(parts[1]))

    problems = []
    duplicates = 0
    for expectation in args.expect:
        tag, count = expectation.rsplit("=", 1)
        count = int(count)
        numbers = seen.get(tag, [])
        counter = collections.Counter(numbers)
        missing = [n for n in range(1, count + 1) if counter[n] == 0]
        extra = [n for n in counter if n < 1 or n > count]
        dup = sum(c - 1 for c in counter.values() if c > 1)
        duplicates += dup
        first_seen = list(dict.fromkeys(numbers))
        if first_seen != sorted(first_seen):
            problems.append(f"{tag}: lines out of order")
        if missing:
            problems.append(f"{tag}: {len(missing)} lines lost (first: {missing[:5]})")
        if extra:
            problems.append(f"{tag}: unexpected line numbers {sorted(extra)[:5]}")
    if duplicates > args.allow_duplicates:
        problems.append(f"{duplicates} duplicated lines (allowed {args.allow_duplicates})")
    print(f"verify_store: {len(records)} records, {len(args.expect)} containers checked, "
          f"{duplicates} duplicates")
    for problem in problems:
        print("  " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
