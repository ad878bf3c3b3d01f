#!/usr/bin/env python3
"""The q-quantile, in milliseconds, of the observations a Prometheus histogram gained between two
/metrics scrapes, interpolated within its bucket as Prometheus' histogram_quantile() does.

    histogram_quantile.py NAME SELECTOR Q BEFORE AFTER
e.g. log_capturer_sink_delivery_delay_seconds 'sink="kafka"' 0.99 before.txt after.txt
Prints the value, or nothing (exit 1) when no observation came in between."""
import math
import re
import sys


def buckets(path, name, selector):
    counts = {}
    pattern = re.compile(r'^' + re.escape(name) + r'_bucket\{(.*)\} (\S+)$')
    with open(path) as scrape:
        for line in scrape:
            match = pattern.match(line.strip())
            if not match or selector not in match.group(1):
                continue
            le = re.search(r'le="([^"]+)"', match.group(1)).group(1)
            counts[math.inf if le == "+Inf" else float(le)] = float(match.group(2))
    return counts


def main():
    name, selector, q, before_path, after_path = sys.argv[1:6]
    before, after = buckets(before_path, name, selector), buckets(after_path, name, selector)
    bounds = sorted(after)
    gained = [after[b] - before.get(b, 0) for b in bounds]  # cumulative
    if not gained or gained[-1] <= 0:
        return 1
    rank = float(q) * gained[-1]
    lower, below = 0.0, 0.0
    for bound, cumulative in zip(bounds, gained):
        if cumulative >= rank:
            if math.isinf(bound):
                value = lower  # beyond the last finite bound: Prometheus answers that bound
            else:
                inside = cumulative - below
                value = lower + (bound - lower) * ((rank - below) / inside if inside else 1)
            print(f"{value * 1000:.1f}")
            return 0
        lower, below = (bound if not math.isinf(bound) else lower), cumulative
    return 1


if __name__ == "__main__":
    sys.exit(main())
