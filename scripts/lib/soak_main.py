#!/usr/bin/env python3
"""The soak test: the agent under container churn for a long time; see docs/soak.md.

Run through scripts/soak, which provides the Docker engine (DOCKER_HOST) and the test image.
"""
import argparse
import csv
import datetime
import json
import os
import re
import shutil
import signal
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from soak_agent import Agent, is_sanitizer_build  # noqa: E402
from soak_plot import plot  # noqa: E402
from soak_verdict import DEFAULTS, judge, parse_overrides  # noqa: E402
from soak_verify import (build_expectations, check_store, load_expectations,  # noqa: E402
                         save_expectations)
from soak_workload import Workload  # noqa: E402

SAMPLE_COLUMNS = ["elapsed_s", "pid", "start_time", "fds", "fds_net", "threads", "rss_kib",
                  "cpu_seconds", "cpu_percent", "containers_followed", "container_streams_active",
                  "docker_streams_active", "docker_http_active", "docker_http_idle",
                  "docker_http_requests", "docker_http_connections_opened",
                  "docker_http_errors", "streams_opened", "streams_closed", "stream_errors",
                  "records_delivered", "queued_records", "pipeline_memory_bytes",
                  "events_reconnects", "short_started", "short_failed", "short_removed",
                  "restarts", "restart_failed", "churn_per_min"]


def parse_duration(text):
    """'30m', '10s', '1h30m', '90' (seconds) -> seconds."""
    parts = re.fullmatch(r"(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s?)?", text)
    if not text or parts is None:
        raise argparse.ArgumentTypeError(f"expected a duration like 30m, 10s or 1h, got '{text}'")
    h, m, s = (float(p) if p else 0.0 for p in parts.groups())
    return h * 3600 + m * 60 + s


def parse_args(root):
    p = argparse.ArgumentParser(
        prog="scripts/soak",
        description="Runs the agent under realistic container churn, samples its FDs, threads, "
                    "RSS and metrics, then checks every line written against the store and "
                    "judges leaks by slope. Exit 0 when every criterion passes.",
        epilog="criteria (defaults): " + ", ".join(f"{k}={v:g}" for k, v in DEFAULTS.items()))
    p.add_argument("--duration", type=parse_duration, default=parse_duration("30m"))
    p.add_argument("--interval", type=parse_duration, default=parse_duration("10s"))
    p.add_argument("--out", help="results directory (default soak-results/<timestamp>)")
    p.add_argument("--binary", default=os.path.join(root, "build", "log-capturer"))
    p.add_argument("--criteria", action="append", default=[], metavar="KEY=VALUE[,KEY=VALUE]",
                   help="override criteria, e.g. --criteria reuse_min=0.9,rss_slope_max_kib=128")
    p.add_argument("--short-per-minute", type=float, default=20,
                   help="short-lived containers started per minute (default 20)")
    p.add_argument("--restart-every", type=parse_duration, default=parse_duration("20s"),
                   help="docker restart of one long-running container this often (0: never)")
    p.add_argument("--image", default=os.environ.get("LC_TEST_IMAGE", "lc-busybox:test"))
    p.add_argument("--keep-data", action="store_true",
                   help="keep the agent's store after a passing run (always kept on failure)")
    p.add_argument("--judge", metavar="DIR",
                   help="only judge the results already in DIR (e.g. with other criteria)")
    p.add_argument("--store", metavar="PATH",
                   help="with --judge: check this store directory again against the lines "
                        "DIR's run wrote (DIR/expectations.json), replacing DIR/verify.json")
    p.add_argument("--root", default=root, help=argparse.SUPPRESS)
    return p.parse_args()


class Run:
    def __init__(self, args, criteria):
        self.args = args
        self.criteria = criteria
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        self.out = os.path.abspath(args.out or os.path.join(args.root, "soak-results", stamp))
        # A store left by an earlier run would be judged as this run's output: refuse it.
        if os.path.isdir(self.out) and os.listdir(self.out):
            sys.exit(f"soak: {self.out} is not empty (an earlier run's results?); "
                     "choose another --out")
        os.makedirs(self.out, exist_ok=True)
        self.run_id = f"{stamp}-{os.getpid()}"
        self.label = f"lc.soak={self.run_id}"
        self.log_file = open(os.path.join(self.out, "soak.log"), "a")
        docker_host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
        self.agent = Agent(os.path.abspath(args.binary), self.out, docker_host, self.label)
        self.workload = Workload(self.run_id, self.label, args.image, args.short_per_minute,
                                 args.restart_every, self.log)
        self.info = {"run_id": self.run_id, "binary": self.agent.binary,
                     "docker_host": docker_host, "duration_s": args.duration,
                     "interval_s": args.interval, "died_early": False}

    def log(self, message):
        line = f"[{datetime.datetime.now():%H:%M:%S}] soak: {message}"
        print(line, flush=True)
        self.log_file.write(line + "\n")
        self.log_file.flush()

    def execute(self):
        a = self.args
        self.log(f"results in {self.out}; {a.duration / 60:g} min, a sample every "
                 f"{a.interval:g} s; engine {self.info['docker_host']}")
        self.info["sanitizer"] = is_sanitizer_build(self.agent.binary)
        self.agent.start()
        self.log(f"agent pid {self.agent.pid}, metrics on 127.0.0.1:{self.agent.metrics_port}")
        self.workload.start()
        self.sample_for(a.duration)
        self.workload.stop_churn()
        self.info["workload"] = self.workload.snapshot()
        self.wind_down()
        self.check()

    def sample_for(self, duration):
        start = time.monotonic()
        starts = []  # (time, containers started + restarted so far) for the churn rate
        previous_cpu = None
        with open(os.path.join(self.out, "samples.csv"), "w", newline="") as f:
            writer = csv.DictWriter(f, SAMPLE_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            k = 0
            while start + k * self.args.interval <= start + duration + 1e-6:
                time.sleep(max(start + k * self.args.interval - time.monotonic(), 0))
                now = time.monotonic()
                sample = self.agent.sample()
                if sample is None:
                    self.info["died_early"] = True
                    self.log(f"the agent died: exit {self.agent.process.poll()}")
                    return
                counters = self.workload.snapshot()
                starts.append((now, counters["short_started"] + counters["restarts"]))
                while now - starts[0][0] > 60 and len(starts) > 2:
                    starts.pop(0)
                span = now - starts[0][0]
                sample.update(counters, elapsed_s=round(now - start, 1),
                              churn_per_min=round((starts[-1][1] - starts[0][1]) * 60 / span, 1)
                              if span > 0 else 0)
                cpu = (now, sample["cpu_seconds"])
                sample["cpu_percent"] = (round(100 * (cpu[1] - previous_cpu[1]) /
                                               (cpu[0] - previous_cpu[0]), 1)
                                         if previous_cpu else 0)
                previous_cpu = cpu
                writer.writerow(sample)
                f.flush()
                if k % max(int(60 / self.args.interval), 1) == 0:
                    self.log(f"t={sample['elapsed_s'] / 60:.1f}min fds={sample['fds']} "
                             f"(net {sample['fds_net']:g}) threads={sample['threads']} "
                             f"rss={sample['rss_kib'] / 1024:.1f}MiB "
                             f"streams={sample['container_streams_active']:g} "
                             f"delivered={sample['records_delivered']:g} "
                             f"short={counters['short_started']} restarts={counters['restarts']}")
                k += 1

    def wait_until(self, what, condition, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            sample = self.agent.sample()
            if sample is not None and condition(sample):
                return sample
            time.sleep(1)
        self.log(f"timed out after {timeout} s waiting for {what}")
        return None

    def wind_down(self):
        """Containers finish, the agent delivers everything, containers go, the agent stops."""
        self.log("churn stopped; stopping the long-running containers")
        if not self.workload.stop_containers():
            self.log("some containers still run after 60 s")
        self.log("reading what the engine holds of each long-running container")
        self.expectations = build_expectations(self.workload)
        save_expectations(os.path.join(self.out, "expectations.json"), self.expectations)
        stable = {"delivered": -1, "polls": 0}

        def delivered(s):
            same = s["records_delivered"] == stable["delivered"]
            stable.update(delivered=s["records_delivered"], polls=stable["polls"] + 1 if same else 0)
            return (s["container_streams_active"] == 0 and s["queued_records"] == 0 and
                    stable["polls"] >= 3)

        if self.agent.alive():
            self.wait_until("every stream to end and the pipeline to drain", delivered, 180)
        self.workload.remove_due(force_all=True)
        self.workload.remove_all()
        if not self.agent.alive():
            self.info["exit_code"] = self.agent.process.poll()
            return
        gone = lambda s: (s["container_streams_active"] == 0 and
                          s["streams_opened"] == s["streams_closed"])
        final = self.wait_until("every stream closed after removal", gone, 60) or self.agent.sample()
        self.info["final"] = final
        self.log("SIGTERM to the agent")
        stop_started = time.monotonic()
        self.info["exit_code"] = self.agent.stop(timeout=120)
        self.info["stop_seconds"] = round(time.monotonic() - stop_started, 1)
        self.log(f"agent exited with {self.info['exit_code']} after {self.info['stop_seconds']} s")

    def check(self):
        self.log(f"checking the store against {len(self.expectations)} tags")
        write_verify(self.out, check_store(self.agent.store_dir, self.expectations))
        with open(os.path.join(self.out, "run.json"), "w") as f:
            json.dump(self.info, f, indent=1)

    def cleanup(self):
        self.workload.stop_churn()
        self.workload.remove_all()
        self.agent.kill()


def write_verify(out_dir, result):
    with open(os.path.join(out_dir, "verify.json"), "w") as f:
        json.dump(result, f, indent=1)


def report(out_dir, criteria):
    verdict = judge(out_dir, criteria)
    text = verdict.table()
    verify_path = os.path.join(out_dir, "verify.json")
    if os.path.exists(verify_path):
        verify = json.load(open(verify_path))
        for name, t in list(verify["problem_containers"].items())[:15]:
            text += f"\n  {name}: " + ", ".join(f"{k} {v}" for k, v in t.items() if v)
        for tag, numbers in verify["lost_examples"].items():
            text += f"\n  lost {tag}: first {numbers}"
        for raw in verify["unexpected_examples"]:
            text += f"\n  unexpected: {raw}"
    run = json.load(open(os.path.join(out_dir, "run.json")))
    png = plot(out_dir, f"log-capturer soak {run['run_id']} ({run['duration_s'] / 60:g} min)",
               criteria["warmup"] * run["duration_s"])
    text += f"\nsamples: {os.path.join(out_dir, 'samples.csv')}"
    if png:
        text += f"\nplot: {png}"
    with open(os.path.join(out_dir, "report.txt"), "w") as f:
        f.write(text + "\n")
    print(text)
    return verdict.passed


def interrupt(signum, frame):
    raise KeyboardInterrupt()


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    args = parse_args(root)
    criteria = parse_overrides(args.criteria)
    if args.judge:
        if not os.path.exists(os.path.join(args.judge, "run.json")):
            raise SystemExit(f"soak: {args.judge} holds no soak results (run.json)")
        if args.store:
            expectations = load_expectations(os.path.join(args.judge, "expectations.json"))
            write_verify(args.judge, check_store(args.store, expectations))
        return 0 if report(args.judge, criteria) else 1
    if not os.access(args.binary, os.X_OK):
        raise SystemExit(f"soak: no agent binary at {args.binary} (build it, or --binary)")
    run = Run(args, criteria)
    # SIGTERM (e.g. a CTest timeout) cleans up like Ctrl-C: no container or agent left behind.
    signal.signal(signal.SIGTERM, interrupt)
    try:
        run.execute()
    except KeyboardInterrupt:
        run.log("interrupted")
        return 130
    finally:
        run.cleanup()
    passed = report(run.out, criteria)
    if passed and not args.keep_data:
        shutil.rmtree(run.agent.data_dir, ignore_errors=True)
    elif not passed:
        print(f"agent's data kept in {run.agent.data_dir}; its log: {run.agent.log_path}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
