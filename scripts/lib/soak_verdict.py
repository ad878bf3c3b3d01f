"""The soak's verdict: criteria over the samples and the store check, printed as a table.

Growth of FDs, threads and RSS is the least-squares slope per minute over the samples after
the warm-up. A window of W minutes cannot tell a slope below floor/W from noise (one FD, one
thread, 1 MiB of RSS appearing once), so a growth limit is max(limit, floor / W): for a
30-minute soak the stated limits apply; for a 2-minute run the limit becomes "less than one
FD / one thread / 1 MiB over the window" (see docs/soak.md).
"""
import csv
import json
import os

DEFAULTS = {
    "lost_max": 0,             # lines written and never stored
    "lost_rotated_max": 0,     # of those, lines Docker rotated away before the agent read them
    "duplicates_max": 0,
    "unexpected_max": 0,       # stored records that no container wrote, torn or unparsable
    "corrupt_max": 0,          # wrong length, truncated, wrong container name or stream
    "out_of_order_max": 0,
    "fd_slope_max": 0.05,      # per minute
    "thread_slope_max": 0.05,  # per minute
    "rss_slope_max_kib": 64,   # KiB per minute
    "fd_floor": 1,             # the smallest change a window can resolve (see above)
    "thread_floor": 1,
    "rss_floor_kib": 1024,
    "reuse_min": 0.95,         # 1 - connections opened / Docker API requests
    "restarts_max": 0,         # agent process replaced or died before the SIGTERM
    "stop_seconds_max": 15,    # SIGTERM to exit (the agent's shutdown_timeout is 10 s)
    "streams_left_max": 0,     # container streams open after every container is gone
    "short_per_minute_min": 10,  # the churn really happened
    "warmup": 0.2,             # fraction of the run left out of the slopes
}


def parse_overrides(items):
    criteria = dict(DEFAULTS)
    for item in items:
        for pair in filter(None, item.split(",")):
            key, sep, value = pair.partition("=")
            if not sep or key.strip() not in DEFAULTS:
                raise SystemExit(f"soak: unknown criterion '{pair}'; known: {', '.join(DEFAULTS)}")
            criteria[key.strip()] = float(value)
    return criteria


def slope_per_minute(points):
    """Least-squares slope of (seconds, value) points, per minute; None below 3 points."""
    if len(points) < 3:
        return None
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    var_t = sum((t - mean_t) ** 2 for t, _ in points)
    if var_t == 0:
        return None
    return 60.0 * sum((t - mean_t) * (v - mean_v) for t, v in points) / var_t


def read_samples(path):
    with open(path) as f:
        return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]


class Verdict:
    def __init__(self):
        self.rows = []

    def check(self, name, value, ok, limit, fmt="{}"):
        shown = "n/a" if value is None else fmt.format(value)
        self.rows.append((name, shown, limit, "PASS" if ok else "FAIL"))

    def info(self, name, value, note=""):
        self.rows.append((name, str(value), note, ""))

    @property
    def passed(self):
        return all(result != "FAIL" for *_, result in self.rows)

    def table(self):
        widths = [max(len(r[i]) for r in self.rows + [("criterion", "measured", "limit", "")])
                  for i in range(4)]
        lines = []
        for row in [("criterion", "measured", "limit", "result")] + self.rows:
            lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        lines.insert(1, "-" * len(lines[0]))
        lines.append(f"\nverdict: {'PASS' if self.passed else 'FAIL'}")
        return "\n".join(lines)


def judge(out_dir, criteria):
    """Evaluates a finished (or re-judged) run from its files; returns the Verdict."""
    run = json.load(open(os.path.join(out_dir, "run.json")))
    samples = read_samples(os.path.join(out_dir, "samples.csv"))
    verify_path = os.path.join(out_dir, "verify.json")
    verify = json.load(open(verify_path)) if os.path.exists(verify_path) else None
    v = Verdict()
    c = criteria

    # Nothing lost, nothing duplicated.
    if verify is None:
        v.check("store check", None, False, "ran")
    else:
        t = verify["totals"]
        v.info("lines expected / stored", f"{t['expected']} / {t['stored']}",
               f"{t['containers']} containers")
        v.check("lines lost", t["lost"], t["lost"] <= c["lost_max"], f"<= {c['lost_max']:g}")
        v.check("lines lost to json-file rotation", t["lost_rotated"],
                t["lost_rotated"] <= c["lost_rotated_max"], f"<= {c['lost_rotated_max']:g}")
        v.check("lines duplicated", t["duplicates"], t["duplicates"] <= c["duplicates_max"],
                f"<= {c['duplicates_max']:g}")
        if t.get("duplicates_rotating"):
            v.info("  of which at json-file rotation", t["duplicates_rotating"],
                   "re-sent by the engine's follow stream")
        bad = t["unexpected"] + t["torn"]
        v.check("records unexpected or torn", bad, bad <= c["unexpected_max"],
                f"<= {c['unexpected_max']:g}")
        wrong = t["corrupt"] + t["misattributed"]
        v.check("records corrupt or misattributed", wrong, wrong <= c["corrupt_max"],
                f"<= {c['corrupt_max']:g}")
        v.check("lines out of order", t["out_of_order"], t["out_of_order"] <= c["out_of_order_max"],
                f"<= {c['out_of_order_max']:g}")
        if t["engine_gaps"]:
            v.info("lines missing in the engine's own log", t["engine_gaps"], "not expected")

    # Nothing leaked: growth after the warm-up.
    duration = run["duration_s"]
    warm_end = c["warmup"] * duration
    judged = [s for s in samples if warm_end <= s["elapsed_s"] <= duration + 1]
    window_min = (judged[-1]["elapsed_s"] - judged[0]["elapsed_s"]) / 60 if len(judged) > 1 else 0
    v.info("samples judged", len(judged), f"{window_min:.1f} min after {warm_end:.0f} s warm-up")

    def growth(name, column, limit, floor, unit, scale=1.0, skip=None):
        slope = slope_per_minute([(s["elapsed_s"], s[column] * scale) for s in judged])
        effective = max(limit, floor / window_min) if window_min > 0 else limit
        if skip:
            v.info(name, "n/a" if slope is None else f"{slope:+.3f} {unit}", skip)
            return
        v.check(name, slope, slope is not None and slope < effective,
                f"< {effective:.3g} {unit}" if effective < 100 else f"< {effective:.0f} {unit}",
                "{:+.3f} " + unit)

    growth("FD growth (fds - expected sockets)", "fds_net", c["fd_slope_max"], c["fd_floor"], "/min")
    growth("thread growth", "threads", c["thread_slope_max"], c["thread_floor"], "/min")
    growth("RSS growth", "rss_kib", c["rss_slope_max_kib"], c["rss_floor_kib"], "KiB/min",
           skip="not judged: sanitizer build" if run.get("sanitizer") else None)
    raw = slope_per_minute([(s["elapsed_s"], s["fds"]) for s in judged])
    if raw is not None:
        v.info("FD growth, raw /proc count", f"{raw:+.3f} /min", "informative")

    # The Docker API connection pool is reused.
    last = samples[-1] if samples else {}
    requests = last.get("docker_http_requests", 0)
    opened = last.get("docker_http_connections_opened", 0)
    reuse = 1 - opened / requests if requests > 0 else None
    v.check("Docker API connection reuse", reuse, reuse is not None and reuse > c["reuse_min"],
            f"> {c['reuse_min']:g}", "{:.4f}")
    v.info("Docker API requests / connections", f"{requests:.0f} / {opened:.0f}")

    # One agent process throughout, exiting 0 on SIGTERM, every stream closed.
    identities = {(s["pid"], s["start_time"]) for s in samples}
    restarts = len(identities) - 1 + (1 if run.get("died_early") else 0)
    v.check("agent restarts or deaths", restarts, restarts <= c["restarts_max"],
            f"<= {c['restarts_max']:g}")
    v.check("agent exit code on SIGTERM", run.get("exit_code"), run.get("exit_code") == 0, "= 0")
    stop = run.get("stop_seconds")
    v.check("agent stop time on SIGTERM", stop, stop is not None and stop <= c["stop_seconds_max"],
            f"<= {c['stop_seconds_max']:g} s", "{:.1f} s")
    final = run.get("final") or {}
    left = final.get("container_streams_active")
    unclosed = None if not final else final["streams_opened"] - final["streams_closed"]
    worst = None if left is None else int(max(left, unclosed))
    v.check("streams open after all containers gone", worst,
            worst is not None and worst <= c["streams_left_max"], f"<= {c['streams_left_max']:g}")

    # The workload itself.
    w = run.get("workload", {})
    per_minute = w.get("short_started", 0) / (duration / 60) if duration else 0
    v.check("short-lived containers per minute", per_minute,
            per_minute >= c["short_per_minute_min"], f">= {c['short_per_minute_min']:g}", "{:.1f}")
    v.info("restarts / short-lived failed to start",
           f"{w.get('restarts', 0)} / {w.get('short_failed', 0)}")
    return v
