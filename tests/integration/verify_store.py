#!/usr/bin/env python3
"""Checks the file store against what test containers wrote.

Containers print lines "<tag> <n>" with n = 1..N. The store is a file-store directory, or the
NDJSON file of tests/tools/loki_receiver (what a Loki received). For every expectation TAG=N given on the
command line, the store must hold each of those lines exactly once (or at least once with
--allow-duplicates), in order per container. A long line "<tag> <n> P<len> <padding>" (over
dockerd's 16 KiB pieces) must arrive whole: its padding exactly <len> bytes. With --strict, a
record whose message starts with no expected tag (a stray piece of a long line) is a problem.
Prints a summary; exits 1 on any loss, duplicate, disorder or broken long line.
"""
import argparse
import calendar
import collections
import glob
import json
import os
import sys


def rfc3339_ns(text):
    # "2026-11-23T20:50:01.123456789Z" -> nanoseconds since the epoch
    date, clock = text.rstrip("Z").split("T")
    whole, _, fraction = clock.partition(".")
    seconds = calendar.timegm(tuple(int(x) for x in date.split("-")) +
                              tuple(int(x) for x in whole.split(":")) + (0, 0, 0))
    return seconds * 10**9 + int((fraction + "000000000")[:9])


def load_records(store_dir, raw=False, tolerate_torn=False):
    if os.path.isfile(store_dir):  # the loki-test-receiver's output: one entry per line
        with open(store_dir, "rb") as f:
            entries = [json.loads(line) for line in f if line.endswith(b"\n")]
        if raw:
            return entries
        return [dict(e, message=e["line"], unparsed=e["structured_metadata"].get("unparsed") == "true")
                for e in entries]
    records = []
    for path in sorted(glob.glob(os.path.join(store_dir, "logs-*.ndjson"))):
        with open(path, "rb") as f:
            for number, line in enumerate(f, 1):
                if not line.endswith(b"\n"):
                    if tolerate_torn:  # the agent frozen in the middle of a write
                        continue
                    sys.exit(f"{path}:{number}: torn line (no newline)")
                try:
                    records.append(json.loads(line))
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
    parser.add_argument("--strict", action="store_true",
                        help="a record of no expected tag is a problem")
    parser.add_argument("--unordered", action="store_true",
                        help="order is not checked (an Elasticsearch index has none)")
    parser.add_argument("--unparsed", action="append", default=[],
                        help="TAG: this tag's records must carry the unparsed flag")
    args = parser.parse_args()

    records = load_records(args.store_dir)
    if args.print_count:
        print(len(records))
        return 0
    tags = {e.rsplit("=", 1)[0] for e in args.expect}
    seen = collections.defaultdict(list)
    problems = []
    strangers = []
    for record in records:
        message = record.get("message", "")
        parts = message.split(" ", 3)
        if len(parts) >= 2 and parts[1].isdigit() and (parts[0] in tags or not args.strict):
            seen[parts[0]].append(int(parts[1]))
            if len(parts) == 4 and parts[2][:1] == "P" and parts[2][1:].isdigit() and \
                    len(parts[3]) != int(parts[2][1:]):
                problems.append(f"{parts[0]} {parts[1]}: long line of {len(parts[3])} padding "
                                f"bytes, written with {parts[2][1:]}")
            if parts[0] in args.unparsed and not record.get("unparsed"):
                problems.append(f"{parts[0]} {parts[1]}: stored without the unparsed flag")
        elif args.strict:
            strangers.append(message[:60])
    if strangers:
        problems.append(f"{len(strangers)} records of no expected tag (first: {strangers[:3]})")

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
        if not args.unordered and first_seen != sorted(first_seen):
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
