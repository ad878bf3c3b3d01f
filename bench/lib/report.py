#!/usr/bin/env python3
"""Turns one bench/run's raw measurements into its table (Markdown, printed and saved).

Usage: report.py WORK_DIR OUTPUT_MD
WORK_DIR holds raw.env (KEY=VALUE lines written by the scenarios), status.env (scenario=ok |
failed | skipped), meta.env (machine and run facts) and micro-*.json (Google Benchmark output).
Exit status 1 when a scenario that ran failed or left a number missing: that is all the
smoke test checks; timings are never asserted.
"""

import glob
import json
import math
import os
import statistics
import sys

MIB = 1024 * 1024


def read_env(path):
    values = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                key, sep, value = line.rstrip("\n").partition("=")
                if sep:
                    values[key] = value
    return values


class Report:
    def __init__(self, raw):
        self.raw = raw
        self.rows = []
        self.missing = []

    def num(self, key):
        """A raw number; a missing or non-numeric one is remembered as an error."""
        try:
            value = float(self.raw[key])
            if math.isfinite(value):
                return value
        except (KeyError, ValueError):
            pass
        self.missing.append(key)
        return None

    def optional(self, key):
        """A raw number that may be absent (another scenario's, used only for context)."""
        try:
            return float(self.raw[key])
        except (KeyError, ValueError):
            return None

    def section(self, title):
        self.rows.append(("section", title))

    def row(self, measure, agent, yardstick="", ratio="", target="", met=""):
        self.rows.append(("row", (measure, agent, yardstick, ratio, target, met)))


def fmt(value, digits=0):
    if value is None:
        return "n/a"
    if digits == 0:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def div(a, b):
    return None if a is None or b is None or b == 0 else a / b


def verdict(ok):
    return "n/a" if ok is None else ("yes" if ok else "**no**")


def api_rows(r):
    containers, lines, size = r.num("api.containers"), r.num("api.lines"), r.num("api.bytes")
    repeat = int(r.num("api.repeat") or 0)

    def median(reader, field, pick=statistics.median):
        values = [r.num(f"api.{reader}.{i}.{field}") for i in range(1, repeat + 1)]
        values = [v for v in values if v is not None]
        return pick(values) if values else None

    d_wall, t_wall, a_wall = (median("docker", "wall_s"), median("docker_ts", "wall_s"),
                              median("agent", "wall_s"))
    a_cpu, a_hwm = median("agent", "cpu_s"), median("agent", "hwm_kib", max)
    d_dcpu, a_dcpu = median("docker", "dockerd_cpu_s"), median("agent", "dockerd_cpu_s")
    median("agent", "stored")
    r.section(f"API mode: {fmt(containers)} exited containers x {fmt(div(lines, containers))} "
              f"lines, {fmt(div(size, MIB), 1)} MiB; yardstick `docker logs`, all in parallel; "
              f"median of {repeat}")
    a_lps, d_lps, t_lps = div(lines, a_wall), div(lines, d_wall), div(lines, t_wall)
    ratio = div(a_lps, d_lps)
    r.row("lines/s", fmt(a_lps), fmt(d_lps), fmt(ratio, 2), "ratio >= 0.95",
          verdict(None if ratio is None else ratio >= 0.95))
    r.row("lines/s against `docker logs --timestamps`", fmt(a_lps), fmt(t_lps),
          fmt(div(a_lps, t_lps), 2))
    # What timestamps=1 (which the agent needs: record times, resumable positions) costs
    # dockerd: the most any reader asking for it can reach against plain `docker logs`.
    r.row("ceiling: `docker logs --timestamps` against `docker logs`", fmt(t_lps), fmt(d_lps),
          fmt(div(t_lps, d_lps), 2))
    a_mbs, d_mbs = div(div(size, MIB), a_wall), div(div(size, MIB), d_wall)
    r.row("MiB/s (log text)", fmt(a_mbs, 1), fmt(d_mbs, 1), fmt(div(a_mbs, d_mbs), 2))
    r.row("wall time, s", fmt(a_wall, 2), fmt(d_wall, 2), fmt(div(a_wall, d_wall), 2))
    cpu_per_million = div(a_cpu, div(lines, 1e6))
    r.row("agent CPU-s per million lines", fmt(cpu_per_million, 2), "", "", "<= 2",
          verdict(None if cpu_per_million is None else cpu_per_million <= 2))
    a_d, d_d = div(a_dcpu, div(lines, 1e6)), div(d_dcpu, div(lines, 1e6))
    r.row("dockerd CPU-s per million lines", fmt(a_d, 2), fmt(d_d, 2), fmt(div(a_d, d_d), 2))
    t_d = div(median("docker_ts", "dockerd_cpu_s"), div(lines, 1e6))
    r.row("dockerd CPU-s per million lines, yardstick `docker logs --timestamps`", fmt(a_d, 2),
          fmt(t_d, 2), fmt(div(a_d, t_d), 2))
    cli_d = div(median("docker", "cli_cpu_s"), div(lines, 1e6))
    r.row("reader CPU-s per million lines: the agent; the docker CLI", fmt(cpu_per_million, 2),
          fmt(cli_d, 2), fmt(div(cpu_per_million, cli_d), 2))
    r.row("agent peak RSS (VmHWM, highest round), MiB", fmt(div(a_hwm, 1024), 1))
    r.row("SIGTERM to exit 0, s", fmt(median("agent", "stop_s"), 2))

    f_wall, c_wall = median("agent_file", "wall_s"), median("cat", "wall_s")
    if f_wall is None and c_wall is None:
        return
    f_cpu, c_cpu = median("agent_file", "cpu_s"), median("cat", "cpu_s")
    f_hwm, f_dcpu = median("agent_file", "hwm_kib", max), median("agent_file", "dockerd_cpu_s")
    r.section(f"json-file mode: the same containers' log files read directly; yardstick `cat` "
              f"of the same files, all in parallel; median of {repeat}")
    f_lps, c_lps = div(lines, f_wall), div(lines, c_wall)
    r.row("lines/s", fmt(f_lps), fmt(c_lps), fmt(div(f_lps, c_lps), 2))
    r.row("lines/s against the agent in API mode", fmt(f_lps), fmt(a_lps), fmt(div(f_lps, a_lps), 2))
    r.row("lines/s against `docker logs`", fmt(f_lps), fmt(d_lps), fmt(div(f_lps, d_lps), 2))
    f_per_m, c_per_m = div(f_cpu, div(lines, 1e6)), div(c_cpu, div(lines, 1e6))
    r.row("CPU-s per million lines (agent end to end into the store; `cat`)", fmt(f_per_m, 2),
          fmt(c_per_m, 2), fmt(div(f_per_m, c_per_m), 1), "<= 0.3",
          verdict(None if f_per_m is None else f_per_m <= 0.3))
    r.row("dockerd CPU-s per million lines (file mode; API mode)",
          fmt(div(f_dcpu, div(lines, 1e6)), 2), fmt(a_d, 2))
    r.row("agent peak RSS (VmHWM, highest round), MiB", fmt(div(f_hwm, 1024), 1))

    l_wall, l_cpu = r.num("api.agent_loki.1.wall_s"), r.num("api.agent_loki.1.cpu_s")
    if l_wall is None:
        return
    r.section("Sinks: file mode into the file store and Loki (protobuf + snappy, a local "
              "receiver that decodes every push); yardstick: the file store alone (above)")
    l_lps = div(lines, l_wall)
    r.row("records/s into both sinks", fmt(l_lps), fmt(f_lps), fmt(div(l_lps, f_lps), 2))
    l_per_m = div(l_cpu, div(lines, 1e6))
    r.row("agent CPU-s per million records, both sinks", fmt(l_per_m, 2), fmt(f_per_m, 2),
          fmt(div(l_per_m, f_per_m), 1))
    r.row("agent peak RSS, both sinks, MiB", fmt(div(r.num("api.agent_loki.1.hwm_kib"), 1024), 1))
    s_mem, s_hwm, s_lim = (r.num("api.stalled.memory_bytes"), r.num("api.stalled.hwm_kib"),
                           r.num("api.stalled.limit_bytes"))
    r.row("Loki unreachable (API mode): pipeline memory / bound, MiB",
          f"{fmt(div(s_mem, MIB), 1)} / {fmt(div(s_lim, MIB), 1)}", "", "", "<= bound",
          verdict(None if s_mem is None or s_lim is None else s_mem <= s_lim))
    r.row("Loki unreachable (API mode): agent peak RSS (default 64 MiB bound), MiB", fmt(div(s_hwm, 1024), 1),
          "", "", "<= bound + 32", verdict(None if s_hwm is None or s_lim is None else
                                            s_hwm * 1024 <= s_lim + 32 * MIB))


def follow_rows(r):
    containers, seconds = r.num("follow.containers"), r.num("follow.seconds")
    peak, hwm = r.num("follow.rss_peak_kib"), r.num("follow.hwm_kib")
    fds, threads = r.num("follow.fds"), r.num("follow.threads")
    cpu, delivered = r.num("follow.cpu_s"), r.num("follow.delivered")
    r.section(f"Following {fmt(containers)} containers logging a line a second, "
              f"window {fmt(seconds)} s")
    peak_mib = div(peak, 1024)
    r.row("steady peak RSS (sampled each second), MiB", fmt(peak_mib, 1), "", "", "<= 24",
          verdict(None if peak_mib is None else peak_mib <= 24))
    r.row("VmHWM since start, MiB", fmt(div(hwm, 1024), 1))
    r.row("open FDs", fmt(fds), "", "", "~ containers + a few")
    # The listeners' (main) thread, the input loop, the sink loop, jemalloc's purge thread and
    # the worker (dead-letter API, reloads), whatever the containers (docs/architecture.md).
    r.row("threads", fmt(threads), "", "", "5", verdict(None if threads is None else threads == 5))
    r.row("CPU, % of one core", fmt(None if cpu is None else 100 * div(cpu, seconds), 2))
    r.row("lines delivered in the window", fmt(delivered), fmt(None if containers is None else
                                                              containers * seconds),
          fmt(div(delivered, None if containers is None else containers * seconds), 2))


def latency_rows(r):
    loads, modes = r.raw.get("latency.loads", "").split(), r.raw.get("latency.modes", "").split()
    if not loads or not modes:
        r.missing.append("latency.loads")
        return
    seconds = r.num("latency.seconds")
    r.section(f"Line-to-store latency, default settings: (record seen in the store file) - "
              f"(its `time`, dockerd's stamp); window {fmt(seconds)} s per load and mode")
    for load in loads:
        containers, rate = (int(n) for n in load.split("x"))
        for mode in modes:
            key = f"latency.{load}.{mode}"
            count = r.num(f"{key}.count")
            p50, p99, top = (r.optional(f"{key}.{q}_ms") for q in ("p50", "p99", "max"))
            if count:
                for q in ("p50", "p99", "max"):
                    r.num(f"{key}.{q}_ms")
            light = containers * rate <= 1000
            r.row(f"{fmt(containers)} containers x {fmt(rate)} lines/s, mode {mode}: "
                  f"p50 / p99 / max, ms", f"{fmt(p50, 1)} / {fmt(p99, 1)} / {fmt(top, 1)}", "",
                  "", "p99 <= 100" if light else "",
                  verdict(None if p99 is None else p99 <= 100) if light else "")
            expected = None if seconds is None else containers * rate * seconds
            r.row("  records seen in the window; yardstick: N x R x window", fmt(count),
                  fmt(expected), fmt(div(count, expected), 2))
            r.row("  agent CPU over the window, % of one core", fmt(r.num(f"{key}.cpu_pct"), 1))
    sink_names = {"kafka": "Kafka (mock cluster, 3 brokers, acks all, zstd)",
                  "otlp": "OTLP/HTTP (protobuf, gzip)"}
    containers, rate = (int(n) for n in loads[0].split("x"))
    for sink in r.raw.get("latency.sinks", "").split():
        key = f"latency.{loads[0]}.{sink}"
        p50, p99 = r.num(f"{key}.p50_ms"), r.num(f"{key}.p99_ms")
        r.row(f"{fmt(containers)} containers x {fmt(rate)} lines/s into "
              f"{sink_names.get(sink, sink)}, file mode: line-to-acknowledgement p50 / p99, ms "
              f"(the agent's log_capturer_sink_delivery_delay_seconds)",
              f"{fmt(p50, 1)} / {fmt(p99, 1)}")


def reload_rows(r):
    containers, rate, reloads = (r.num(f"reload.{k}") for k in ("containers", "rate", "reloads"))
    if reloads is None:
        return
    r.section(f"Hot reload (POST /api/v1/reload) while {fmt(containers)} containers write "
              f"{fmt(rate)} lines/s each, {fmt(reloads)} reloads")
    ks = range(1, int(reloads) + 1)
    for how, label, bound in (("in_place", "applied in place (only what changed rebuilt)", 1000),
                              ("whole_rebuild", "whole rebuild (the fallback: drained first)",
                               None)):
        mine = [k for k in ks if r.raw.get(f"reload.{k}.how") == how]
        if not mine:
            r.row(f"{label}: no reload", "")
            continue
        times = sorted(r.num(f"reload.{k}.ms") or 0 for k in mine)
        delivered = sorted(r.num(f"reload.{k}.delivered") or 0 for k in mine)
        median, top = times[len(times) // 2], times[-1]
        r.row(f"{label}, {len(mine)} reloads: request to serving, median / max, ms",
              f"{fmt(median, 1)} / {fmt(top, 1)}", "", "",
              f"max <= {bound}" if bound else "", verdict(top <= bound) if bound else "")
        r.row("  records the store gained during such a reload, median",
              fmt(delivered[len(delivered) // 2]))
    duplicates = r.num("reload.duplicates")
    r.row("records stored twice across the reloads", fmt(duplicates), "", "", "0",
          verdict(None if duplicates is None else duplicates == 0))


# Targets (issue 13), as ratios to the plain-text agent without processors of the same run.
PROCESSOR_TARGETS = {"json_none": 1.2, "parse_json": 1.5, "parse_regex": 1.8, "chained": 4.0}
PROCESSOR_LABELS = {
    "none": "plain text, no processor (the baseline)",
    "json_none": "JSON messages, no processor (pass-through)",
    "multiline": "multiline, preset java (20-line traces, per line)",
    "parse_json": "parse_json, 8 keys",
    "parse_regex": "parse_regex, preset combined (access log)",
    "redact": "redact, every preset (access log)",
    "chained": "parse_json, parse_regex, redact all, fields, filter",
}


def processor_rows(r):
    lines = r.num("proc.lines")
    if lines is None:
        return
    r.section(f"Processors: json-file mode into the file store, {fmt(lines)} lines of ~190 bytes "
              "per case (CPU-s per million lines; yardstick: the baseline)")
    base = r.num("proc.none.cpu_s")
    base_per_m = div(base * 1e6, lines) if base is not None else None
    for name in r.raw.get("proc.cases", "").split():
        cpu = r.num(f"proc.{name}.cpu_s")
        per_m = div(cpu * 1e6, lines) if cpu is not None else None
        ratio = div(per_m, base_per_m)
        target = PROCESSOR_TARGETS.get(name)
        r.row(PROCESSOR_LABELS.get(name, name), fmt(per_m, 2),
              fmt(base_per_m, 2), fmt(ratio, 2), f"<= {target}" if target else "",
              verdict(None if ratio is None else ratio <= target) if target else "")
        r.row("  lines/s", fmt(div(lines, r.num(f"proc.{name}.wall_s"))))
        rss = div(r.num(f"proc.{name}.hwm_kib"), 1024)
        r.row("  peak RSS, MiB", fmt(rss, 1), "", "", "<= 24",
              verdict(None if rss is None else rss <= 24))


# Targets (issues 14 and 15), as ratios to the file store alone of the same run.
SINK_LABELS = {"kafka": "Kafka (mock cluster, 3 brokers, acks all, zstd)",
               "otlp": "OTLP/HTTP (protobuf, gzip)",
               "elasticsearch": "Elasticsearch (_bulk, gzip)",
               "splunk_hec": "Splunk HEC (events, gzip)",
               "http": "HTTP (NDJSON, gzip)",
               "syslog_tcp": "syslog over TCP (RFC 5424, octet counting)",
               "syslog_relp": "syslog over RELP"}
# CPU per record as a ratio to the file store's (issue 15: 1.5 for syslog over TCP); RELP, whose
# acknowledgements cost a round trip per window, has none of its own.
SINK_CPU_TARGETS = {"syslog_tcp": 1.5, "syslog_relp": None}


def sink_rows(r):
    lines = r.num("sinks.lines")
    if lines is None:
        return
    r.section(f"Sinks: json-file mode, {fmt(lines)} lines of ~120 bytes into one sink "
              "(yardstick: the file store alone)")
    base_cpu = div(r.num("sinks.file_store.cpu_s") * 1e6, lines) \
        if r.num("sinks.file_store.cpu_s") is not None else None
    base_rate = div(lines, r.num("sinks.file_store.wall_s"))
    r.row("file store: CPU-s per million records", fmt(base_cpu, 2))
    r.row("file store: records/s", fmt(base_rate))
    for name in SINK_LABELS:
        cpu = r.num(f"sinks.{name}.cpu_s")
        per_m = div(cpu * 1e6, lines) if cpu is not None else None
        ratio = div(per_m, base_cpu)
        target = SINK_CPU_TARGETS.get(name, 2.5)
        r.row(f"{SINK_LABELS[name]}: CPU-s per million records", fmt(per_m, 2), fmt(base_cpu, 2),
              fmt(ratio, 2), f"<= {target}" if target else "",
              verdict(None if ratio is None else ratio <= target) if target else "")
        rate = div(lines, r.num(f"sinks.{name}.wall_s"))
        if name == "kafka":
            rate_ratio = div(rate, base_rate)
            r.row("  records/s", fmt(rate), fmt(base_rate), fmt(rate_ratio, 2), ">= 0.5",
                  verdict(None if rate_ratio is None else rate_ratio >= 0.5))
        else:
            r.row("  records/s", fmt(rate), fmt(base_rate), fmt(div(rate, base_rate), 2))
        rss = div(r.num(f"sinks.{name}.hwm_kib"), 1024)
        r.row("  peak RSS, MiB", fmt(rss, 1), "", "", "<= 32",
              verdict(None if rss is None else rss <= 32))


def cost_rows(r):
    counts = [int(c) for c in r.raw.get("cost.counts", "").split()]
    modes = r.raw.get("cost.modes", "").split()
    if not counts or not modes:
        r.missing.append("cost.counts")
        return
    lines = r.raw.get("cost.lines", "?")
    for mode in modes:
        r.section(f"Cost per followed container, mode {mode} (one agent per mode, the same "
                  f"containers, added step by step; each logs {lines} lines, then sleeps)")
        previous = None
        base = None
        for count in [0] + counts:
            key = f"cost.{mode}.{count}"
            rss = r.num(f"{key}.rss_kib")
            fds, threads = r.num(f"{key}.fds"), r.num(f"{key}.threads")
            cpu = r.num(f"{key}.cpu_pct")
            r.row(f"{count} followed: RSS MiB / FDs / threads / CPU % of a core",
                  f"{fmt(div(rss, 1024), 1)} / {fmt(fds)} / {fmt(threads)} / {fmt(cpu, 2)}")
            sample = (count, rss, fds, threads)
            if previous is not None and None not in sample and None not in previous[1:]:
                added = count - previous[0]
                d_rss, d_fds, d_thr = ((rss - previous[1]) / added, (fds - previous[2]) / added,
                                       (threads - previous[3]) / added)
                r.row(f"  per container, {previous[0]} -> {count}: RSS KiB / FDs / threads",
                      f"{d_rss:+.1f} / {d_fds:+.2f} / {d_thr:+.2f}", "", "",
                      "FDs ~ +1, threads +0", verdict(abs(d_thr) < 0.01 and d_fds <= 1.2))
            base = sample if count == 0 else base
            previous = sample
        if base and previous and previous[0] > 0 and None not in (base[1], previous[1]):
            r.row(f"  RSS per container at {previous[0]} followed (0 -> {previous[0]}), KiB",
                  f"{(previous[1] - base[1]) / previous[0]:+.1f}")


def micro_rows(r, work):
    files = sorted(glob.glob(os.path.join(work, "micro-*.json")))
    if not files:
        r.missing.append("micro results")
        return
    walls = [float(v) for k, v in r.raw.items() if k.startswith("api.docker.") and
             k.endswith(".wall_s")]
    d_lps = div(r.optional("api.lines"), statistics.median(walls) if walls else None)
    r.section("Micro-benchmarks (items/s; yardstick: `docker logs` lines/s above, "
              "ratio = headroom)")
    for path in files:
        with open(path) as f:
            data = json.load(f)
        for bench in data.get("benchmarks", []):
            if bench.get("run_type") == "aggregate":
                continue
            items = bench.get("items_per_second")
            if items is None:
                continue
            per_byte = bench.get("bytes_per_second")
            measure = bench["name"] + ("" if per_byte is None else
                                       f" ({per_byte / MIB:,.0f} MiB/s)")
            r.row(measure, fmt(items), fmt(d_lps), fmt(div(items, d_lps), 1))


def render(report, meta, status):
    out = [f"# log-capturer benchmarks, {meta.get('date', '?')}", ""]
    out.append(f"- command: `{meta.get('command', '?')}`")
    out.append(f"- machine: {meta.get('cpus', '?')} CPUs ({meta.get('cpu_model', '?')}), "
               f"{meta.get('memory', '?')} RAM, kernel {meta.get('kernel', '?')}, "
               f"Docker {meta.get('docker', '?')}")
    out.append(f"- agent: {meta.get('binary', '?')} (git {meta.get('git', '?')})")
    out.append(f"- other activity before the scenarios: {meta.get('load_start', '?')}")
    out.append(f"- other activity after them: {meta.get('load_end', '?')}")
    out.append("- scenarios: " + ", ".join(f"{k} {v}" for k, v in status.items()))
    out.append("")
    out.append("| Scenario / measure | Agent | Yardstick | Ratio | Target | Met |")
    out.append("|---|---:|---:|---:|---|---|")
    for kind, content in report.rows:
        if kind == "section":
            out.append(f"| **{content}** | | | | | |")
        else:
            out.append("| " + " | ".join(content) + " |")
    out.append("")
    return "\n".join(out)


def main():
    work, output = sys.argv[1], sys.argv[2]
    raw = read_env(os.path.join(work, "raw.env"))
    status = read_env(os.path.join(work, "status.env"))
    meta = read_env(os.path.join(work, "meta.env"))
    report = Report(raw)
    builders = {"api": api_rows, "follow": follow_rows, "latency": latency_rows,
                "reload": reload_rows, "cost": cost_rows, "processors": processor_rows,
                "sinks": sink_rows,
                "micro": lambda r: micro_rows(r, work)}
    for scenario, state in status.items():
        if state == "ok":
            builders[scenario](report)
    text = render(report, meta, status)
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    with open(output, "w") as f:
        f.write(text)
    print(text)
    problems = [f"scenario {s} {v}" for s, v in status.items() if v == "failed"]
    problems += [f"missing number: {key}" for key in report.missing]
    for problem in problems:
        print(f"bench: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
