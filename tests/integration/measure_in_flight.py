#!/usr/bin/env python3
"""Counts, per sink, the records a restart may send again: those beyond the checkpoint.

    measure_in_flight.py CHECKPOINTS_JSON STORE_DIR [SECOND]

Run while the agent is frozen (SIGSTOP), just before a kill -9. With several sinks a restart
resumes from the checkpoint (what every sink acknowledged), so a sink's records after a
stream's position (time_ns, count) in checkpoints.json are the ones it may receive again.
Records are keyed by container id and stream; within a stream times only grow. SECOND: the
second sink's records, the Loki receiver's NDJSON file, or a directory of store-format lines
(the Kafka cluster's consumer). Prints "store=<n> second=<n>" (second=0 without SECOND).
"""
import collections
import json
import os
import sys

from verify_store import load_records, rfc3339_ns


def stream_positions(checkpoint_path):
    try:
        with open(checkpoint_path) as f:
            containers = json.load(f)["containers"]
    except FileNotFoundError:
        return {}
    # format 1 (one mark for the container) stands for both streams
    return {(cid, stream): (pos.get(stream, pos).get("time_ns", -1), pos.get(stream, pos).get("count", 0))
            for cid, pos in containers.items() for stream in ("stdout", "stderr")}


def beyond(records, positions):
    """records: (container_id, stream, time_ns); those after their stream's position."""
    at_time = collections.Counter()
    count = 0
    for cid, stream, time_ns in records:
        mark_time, mark_count = positions.get((cid, stream), (-1, 0))
        if time_ns > mark_time:
            count += 1
        elif time_ns == mark_time:
            at_time[(cid, stream)] += 1
            if at_time[(cid, stream)] > mark_count:
                count += 1
    return count


def store_records(store_dir):
    return [(r["container_id"], r["stream"], rfc3339_ns(r["time"]))
            for r in load_records(store_dir, raw=True, tolerate_torn=True) if "container_id" in r]


def loki_records(loki_path):
    if not os.path.exists(loki_path):
        return []
    return [(e["structured_metadata"].get("container_id"), e["stream"].get("stream"),
             int(e["time_ns"])) for e in load_records(loki_path, raw=True)]


def main():
    checkpoint_path, store_dir = sys.argv[1:3]
    positions = stream_positions(checkpoint_path)
    store = beyond(store_records(store_dir), positions)
    second = 0
    if len(sys.argv) > 3:
        path = sys.argv[3]
        records = store_records(path) if os.path.isdir(path) else loki_records(path)
        second = beyond(records, positions)
    print(f"store={store} second={second}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
