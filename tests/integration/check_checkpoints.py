#!/usr/bin/env python3
"""Checks that no checkpoint passes a record a slow sink has not acknowledged.

    check_checkpoints.py CHECKPOINTS_JSON STORE_DIR LOKI_NDJSON

The file store (the fast sink) holds every record with its time; the Loki receiver's NDJSON
holds what Loki acknowledged. A container's checkpoint gives, per stream (format 2; format 1: one
pair for both), (time_ns, count): every record of that stream before time_ns, and the first
`count` of its records at time_ns, are delivered to every sink. Each of those records must be
in Loki. Read the checkpoints first: the sinks' files only grow after.
Prints how many records the checkpoints cover; exits 1, naming the first record, when Loki
lacks one.
"""
import collections
import glob
import json
import os
import sys


def rfc3339_ns(text):
    # "2026-11-23T20:50:01.123456789Z" -> nanoseconds since the epoch
    import calendar
    date, clock = text.rstrip("Z").split("T")
    whole, _, fraction = clock.partition(".")
    seconds = calendar.timegm(tuple(int(x) for x in date.split("-")) +
                              tuple(int(x) for x in whole.split(":")) + (0, 0, 0))
    return seconds * 10**9 + int((fraction + "000000000")[:9])


def main():
    checkpoint_path, store_dir, loki_path = sys.argv[1:4]
    try:
        with open(checkpoint_path) as f:
            checkpoints = json.load(f)["containers"]
    except FileNotFoundError:
        print("no checkpoints yet")
        return 0
    by_container = collections.defaultdict(list)
    for path in sorted(glob.glob(os.path.join(store_dir, "logs-*.ndjson"))):
        with open(path, "rb") as f:
            for raw in f:
                if raw.endswith(b"\n"):
                    record = json.loads(raw)
                    by_container[(record["container_id"], record.get("stream", "stdout"))].append(
                        (rfc3339_ns(record["time"]), record["message"]))
    in_loki = collections.Counter()
    if os.path.exists(loki_path):
        with open(loki_path, "rb") as f:
            for raw in f:
                if raw.endswith(b"\n"):
                    entry = json.loads(raw)
                    in_loki[(entry["structured_metadata"].get("container_id"), entry["line"])] += 1
    covered = 0
    streams = [(container_id, stream, position.get(stream, position))
               for container_id, position in checkpoints.items()
               for stream in ("stdout", "stderr")]
    for container_id, stream, position in streams:
        time_ns, count = position["time_ns"], position["count"]
        at_time = 0
        for record_time, message in by_container.get((container_id, stream), []):
            if record_time > time_ns:
                continue
            if record_time == time_ns:
                at_time += 1
                if at_time > count:
                    continue
            covered += 1
            if in_loki[(container_id, message)] == 0:
                print(f"checkpoint of {container_id[:12]} {stream} ({time_ns}, {count}) passes "
                      f"{message!r} (time {record_time}), which Loki has not acknowledged")
                return 1
    print(f"checkpoints cover {covered} records, all in Loki")
    return 0


if __name__ == "__main__":
    sys.exit(main())
