"""What the containers wrote against what the agent stored: every line exactly once.

What was written comes from two independent sources, never from the agent:
- short-lived containers are deterministic: "short<k> 1".."short<k> 30";
- long-running containers are read back from the engine itself (`docker logs`, json-file)
  after they stopped: per tag, numbers 1..last. The rotating container's engine log only
  holds its last ~3 MiB: numbers below the first one it still serves were rotated away, yet
  the writer numbers without gaps, so 1..last is still what it wrote and is expected in full;
  a loss there is reported apart ("rotated away before the agent read it").
"""
import glob
import json
import os
import subprocess

from soak_workload import SHORT_LINES, SHORT_PAD


class Expectation:
    """What one tag wrote: lines 1..last, each "<tag> <n> " + pads[n % len(pads)] bytes."""
    FIELDS = ("tag", "container", "stream", "last", "pads", "engine_missing", "rotated_below",
              "rotating", "certain")

    def __init__(self, tag, container, stream, last, pads, engine_missing=(), rotated_below=1,
                 rotating=False, certain=True):
        self.tag = tag
        self.container = container
        self.stream = stream
        self.last = last
        self.pads = list(pads)
        self.engine_missing = set(engine_missing)  # numbers the engine itself does not have
        self.rotated_below = rotated_below
        self.rotating = rotating  # its json-file rotates (max-size): see check_store
        self.certain = certain  # False: `docker run` failed, so the lines may or may not exist

    def message_length(self, n):
        return len(self.tag) + 1 + len(str(n)) + 1 + self.pads[n % len(self.pads)]

    def to_json(self):
        fields = {k: getattr(self, k) for k in self.FIELDS}
        fields["engine_missing"] = sorted(self.engine_missing)
        return fields


def save_expectations(path, expectations):
    with open(path, "w") as f:
        json.dump([e.to_json() for e in expectations.values()], f)


def load_expectations(path):
    with open(path) as f:
        return {e["tag"]: Expectation(**e) for e in json.load(f)}


def engine_numbers(container_name):
    """{tag: set of n} as the engine serves the container's log (stdout and stderr)."""
    numbers = {}
    process = subprocess.Popen(["docker", "logs", container_name], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    for raw in process.stdout:
        parts = raw.rstrip(b"\r\n").split(b" ", 2)
        if len(parts) >= 2 and parts[1].isdigit():
            numbers.setdefault(parts[0].decode(), set()).add(int(parts[1]))
    process.wait()
    if process.returncode != 0:
        raise RuntimeError(f"docker logs {container_name} failed")
    return numbers


def build_expectations(workload):
    """Reads the engine's logs of the stopped long-running containers: call before removal."""
    expectations = {}
    for kind in workload.kinds:
        container = workload.container_name(kind.name)
        for tag, numbers in engine_numbers(container).items():
            if not tag.startswith(kind.name + ".g"):
                continue
            last = max(numbers)
            first = min(numbers) if kind.rotating else 1
            missing = [n for n in range(first, last + 1) if n not in numbers]
            expectations[tag] = Expectation(tag, container, kind.stream, last, kind.pads,
                                            engine_missing=missing, rotated_below=first,
                                            rotating=kind.rotating)
    for k, certain in [(k, True) for k in workload.short_started] + \
                      [(k, False) for k in workload.short_uncertain]:
        tag = f"short{k}"
        expectations[tag] = Expectation(tag, workload.container_name(tag), "stdout", SHORT_LINES,
                                        (SHORT_PAD,), certain=certain)
    return expectations


def new_tally():
    return {"expected": 0, "stored": 0, "lost": 0, "lost_rotated": 0, "duplicates": 0,
            "duplicates_rotating": 0,
            "corrupt": 0, "misattributed": 0, "out_of_order": 0, "engine_gaps": 0}


def check_store(store_dir, expectations):
    counts = {tag: bytearray(e.last + 1) for tag, e in expectations.items()}
    highest = {tag: 0 for tag in expectations}
    by_container = {}
    unexpected = []
    unexpected_count = 0
    torn = 0
    records = 0

    def tally(container):
        return by_container.setdefault(container, new_tally())

    for path in sorted(glob.glob(os.path.join(store_dir, "logs-*.ndjson"))):
        with open(path, "rb") as f:
            for raw in f:
                records += 1
                if not raw.endswith(b"\n"):
                    torn += 1
                    continue
                try:
                    record = json.loads(raw)
                    message = record["message"].rstrip("\r")
                    tag, number = message.split(" ", 2)[:2]
                    n = int(number)
                    e = expectations[tag]
                    if not 1 <= n <= e.last:
                        raise KeyError(tag)
                except (ValueError, KeyError, TypeError):
                    unexpected_count += 1
                    if len(unexpected) < 5:
                        unexpected.append(raw[:160].decode(errors="replace"))
                    continue
                t = tally(e.container)
                t["stored"] += 1
                c = counts[tag]
                if c[n] == 0 and n < highest[tag]:
                    t["out_of_order"] += 1
                highest[tag] = max(highest[tag], n)
                c[n] = min(c[n] + 1, 255)
                if (len(message) != e.message_length(n) or record.get("truncated") or
                        record.get("invalid_utf8")):
                    t["corrupt"] += 1
                if record.get("container_name") != e.container or record.get("stream") != e.stream:
                    t["misattributed"] += 1

    lost_examples = {}
    for tag, e in expectations.items():
        t = tally(e.container)
        c = counts[tag]
        duplicates = sum(v - 1 for v in c if v > 1)
        t["duplicates"] += duplicates
        if e.rotating:  # Docker's own follow stream re-sends lines at a rotation (20.10)
            t["duplicates_rotating"] += duplicates
        if not e.certain:
            continue
        t["engine_gaps"] += len(e.engine_missing)
        t["expected"] += e.last - len(e.engine_missing)
        lost = [n for n in range(1, e.last + 1) if c[n] == 0 and n not in e.engine_missing]
        rotated = [n for n in lost if n < e.rotated_below]
        t["lost_rotated"] += len(rotated)
        t["lost"] += len(lost) - len(rotated)
        if lost:
            lost_examples[tag] = lost[:5]

    totals = new_tally()
    for t in by_container.values():
        for key in totals:
            totals[key] += t[key]
    totals.update(records=records, unexpected=unexpected_count, torn=torn,
                  containers=len(by_container))
    problems = {name: t for name, t in sorted(by_container.items())
                if any(t[k] for k in ("lost", "lost_rotated", "duplicates", "corrupt",
                                      "misattributed", "out_of_order"))}
    return {"totals": totals, "problem_containers": problems,
            "lost_examples": dict(list(lost_examples.items())[:20]),
            "unexpected_examples": unexpected}
