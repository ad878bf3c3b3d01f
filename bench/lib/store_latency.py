#!/usr/bin/env python3
"""Line-to-store latency: watches the agent's file store and, for every record whose "time"
(dockerd's stamp, taken when it read the line from the container's stdout) falls in a window,
takes (when this poller first saw the record in a store file) - (its "time").

Usage: store_latency.py STORE_DIR WARMUP_S WINDOW_S GRACE_S OUTPUT_ENV PREFIX READY_FILE
Polls every store file about every millisecond. The window opens WARMUP_S after its first
read (the poller is then caught up: its own start-up, seconds on a loaded machine, is not
measured), when it creates READY_FILE; it stops polling GRACE_S after the window closes, then
writes PREFIX.count, .p50_ms, .p99_ms and .max_ms as KEY=VALUE lines to OUTPUT_ENV (a record
of the window seen only after the grace is not counted: compare the count with the lines
written).
The container, dockerd, the agent and this poller share the kernel's CLOCK_REALTIME, so the
two stamps are comparable; the poller's resolution is ~1 ms (its sleep between polls).
"""

import calendar
import glob
import os
import sys
import time

TIME_AT = slice(9, 39)  # a store line starts {"time":"YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ"
_seconds_cache = {}


def record_time_ns(line):
    stamp = line[TIME_AT]
    head = stamp[:19]
    seconds = _seconds_cache.get(head)
    if seconds is None:
        seconds = calendar.timegm(time.strptime(head.decode(), "%Y-%m-%dT%H:%M:%S"))
        _seconds_cache[head] = seconds
    return seconds * 1_000_000_000 + int(stamp[20:29])


class StoreTail:
    """Follows every *.ndjson of a directory from its start (new files as they appear)."""

    def __init__(self, directory):
        self.directory = directory
        self.files = {}  # path -> [fd, partial line]
        self.next_scan = 0.0

    def scan(self):
        for path in sorted(glob.glob(os.path.join(self.directory, "*.ndjson"))):
            if path not in self.files:
                self.files[path] = [os.open(path, os.O_RDONLY), b""]

    def read(self):
        """Complete lines read now, with the time they were seen."""
        if time.monotonic() >= self.next_scan:
            self.scan()
            self.next_scan = time.monotonic() + 0.05
        lines = []
        for entry in self.files.values():
            while True:
                chunk = os.read(entry[0], 1 << 20)
                if not chunk:
                    break
                data = entry[1] + chunk
                cut = data.rfind(b"\n") + 1
                entry[1] = data[cut:]
                lines.extend(data[:cut].splitlines())
        return time.time_ns(), lines


def percentile(sorted_values, fraction):
    index = min(len(sorted_values) - 1, max(0, int(round(fraction * len(sorted_values))) - 1))
    return sorted_values[index]


def main():
    directory, warmup_s, window_s = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    grace_s, output, prefix, ready_file = float(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7]
    tail = StoreTail(directory)
    tail.read()
    start_ns = time.time_ns() + int(warmup_s * 1e9)
    end_ns = start_ns + int(window_s * 1e9)
    ready = False
    latencies = []
    dump = open(os.environ["LC_LATENCY_DUMP"], "a") if os.environ.get("LC_LATENCY_DUMP") else None
    stop_at = end_ns + int(grace_s * 1e9)
    while True:
        seen_ns, lines = tail.read()
        if not ready and seen_ns >= start_ns:
            open(ready_file, "w").close()
            ready = True
        for line in lines:
            written_ns = record_time_ns(line)
            if start_ns <= written_ns < end_ns:
                latencies.append(seen_ns - written_ns)
                if dump:
                    dump.write(f"{seen_ns} {written_ns} {(seen_ns - written_ns) / 1e6:.1f}\n")
        if seen_ns >= stop_at:
            break
        if not lines:
            time.sleep(0.001)
    latencies.sort()
    ms = [value / 1e6 for value in latencies]
    with open(output, "a") as f:
        f.write(f"{prefix}.count={len(ms)}\n")
        if ms:
            f.write(f"{prefix}.p50_ms={percentile(ms, 0.50):.2f}\n")
            f.write(f"{prefix}.p99_ms={percentile(ms, 0.99):.2f}\n")
            f.write(f"{prefix}.max_ms={ms[-1]:.2f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
