"""The soak's containers and the churn that keeps them coming and going.

Every line a container writes is "<tag> <n> <padding>": the tag names the container (and, for
containers that get restarted, the run of it: "steady1.g3" is the third start of steady1),
n counts from 1 without gaps, and the padding length is known from the tag's kind and n, so
the store can be checked line by line, including the length of every message.
"""
import subprocess
import threading
import time

# Long-running containers. A restart runs the script again: the generation counter kept in
# the container's own file system gives the new run a new tag, so numbering stays unique.
# TERM is trapped so `docker stop` ends a container between two lines, never inside one.
PRELUDE = ("trap 'exit 0' TERM; g=$(( $(cat /tmp/g 2>/dev/null || echo 0) + 1 )); "
           "echo $g >/tmp/g; t={name}.g$g; i=0; ")


def make_pad(var, length):
    return f"{var}=$(head -c {length} /dev/zero | tr '\\0' x); "


LONG_LINE_LENGTHS = (17000, 33000, 70000)  # all over Docker's 16 KiB piece size


class Kind:
    """A kind of container: its script, docker run options and padding length per line."""

    def __init__(self, name, script, pads, options=(), restartable=False, rotating=False,
                 stream="stdout"):
        self.name = name
        self.stream = stream
        self.script = script
        self.options = list(options)
        self.pads = pads  # line n carries pads[n % len(pads)] bytes of padding
        self.restartable = restartable
        self.rotating = rotating


def steady(name):
    return Kind(name, PRELUDE.format(name=name) + make_pad("p", 100) +
                'while :; do i=$((i+1)); echo "$t $i $p"; usleep 50000; done',
                (100,), restartable=True)


def bursty(name, to_stderr):
    redirect = " >&2" if to_stderr else ""
    # `sleep & wait` so that TERM (docker stop/restart) interrupts the pause at once.
    return Kind(name, PRELUDE.format(name=name) + make_pad("p", 80) +
                'while :; do j=0; while [ $j -lt 1000 ]; do i=$((i+1)); '
                f'echo "$t $i $p"{redirect}; j=$((j+1)); done; sleep 15 & wait $!; done',
                (80,), restartable=True, stream="stderr" if to_stderr else "stdout")


def long_lines(name):
    a, b, c = LONG_LINE_LENGTHS
    return Kind(name, PRELUDE.format(name=name) + make_pad("a", a) + make_pad("b", b) +
                make_pad("c", c) +
                'while :; do i=$((i+1)); case $((i % 3)) in 0) p=$a;; 1) p=$b;; *) p=$c;; esac; '
                'echo "$t $i $p"; usleep 1000000; done',
                (a, b, c))


def tty(name):
    return Kind(name, PRELUDE.format(name=name) + make_pad("p", 50) +
                'while :; do i=$((i+1)); echo "$t $i $p"; usleep 100000; done',
                (50,), options=["-t"])


def rotating(name):
    # ~200 lines/s of ~300 bytes in the json-file: a 1 MiB file every ~17 s, and the engine
    # keeps 3 of them, i.e. ~40 s of history. The agent (which follows within milliseconds)
    # would have to fall 40 s behind to lose a line to rotation.
    return Kind(name, PRELUDE.format(name=name) + make_pad("p", 200) +
                'while :; do j=0; while [ $j -lt 20 ]; do i=$((i+1)); echo "$t $i $p"; '
                'j=$((j+1)); done; usleep 100000; done',
                (200,), options=["--log-opt", "max-size=1m", "--log-opt", "max-file=3"],
                rotating=True)


def long_running_kinds():
    return [steady("steady1"), steady("steady2"), steady("steady3"), steady("steady4"),
            bursty("burst1", False), bursty("burst2", True), long_lines("longlines1"),
            tty("tty1"), rotating("rotating1")]


SHORT_LINES = 30
SHORT_PAD = 60


def short_lived_script(k):
    """Three variants in turn: --rm after a 1 s pause (a container removed by the engine the
    moment it exits has its log deleted with it, whatever reads it, so it lingers a second);
    exit at once and removed 5 s later by the churn; same, with a last line without newline."""
    tag = f"short{k}"
    body = (make_pad("p", SHORT_PAD) +
            f'i=0; while [ $i -lt {SHORT_LINES - 1} ]; do i=$((i+1)); echo "{tag} $i $p"; done; ')
    variant = k % 3
    if variant == 0:
        return body + f'echo "{tag} {SHORT_LINES} $p"; sleep 1', ["--rm"]
    if variant == 1:
        return body + f'echo "{tag} {SHORT_LINES} $p"', []
    return body + f'printf "{tag} {SHORT_LINES} $p"', []


def docker(*args, timeout=120):
    return subprocess.run(["docker", *args], capture_output=True, timeout=timeout)


class Workload:
    def __init__(self, run_id, label, image, short_per_minute, restart_every, log):
        self.prefix = f"soak-{run_id}"
        self.label = label
        self.image = image
        self.short_per_minute = short_per_minute
        self.restart_every = restart_every
        self.log = log
        self.kinds = long_running_kinds()
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.counters = {"short_started": 0, "short_failed": 0, "short_removed": 0,
                         "restarts": 0, "restart_failed": 0}
        self.short_started = []  # k of every short-lived container the engine accepted
        self.short_uncertain = []  # k whose `docker run` failed: maybe created, maybe not
        self.to_remove = []  # (name, due time)
        self.threads = []

    def container_name(self, name):
        return f"{self.prefix}-{name}"

    def count(self, key):
        with self.lock:
            self.counters[key] += 1

    def snapshot(self):
        with self.lock:
            return dict(self.counters)

    def run(self, name, script, options):
        result = docker("run", "-d", "--name", self.container_name(name), "--label", self.label,
                        "--network", "none", *options, self.image, "sh", "-c", script)
        if result.returncode != 0:
            self.log(f"docker run {name} failed: {result.stderr.decode().strip()}")
        return result.returncode == 0

    def start(self):
        for kind in self.kinds:
            if not self.run(kind.name, kind.script, kind.options):
                raise RuntimeError(f"could not start {kind.name}")
        for target in (self.launch_short_lived, self.restart_in_turn, self.remove_exited):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self.threads.append(thread)

    def every(self, period, action):
        """Calls action() at start + k * period until stopped (late calls catch up)."""
        next_time = time.monotonic()
        while not self.stop_event.is_set():
            action()
            next_time += period
            self.stop_event.wait(max(next_time - time.monotonic(), 0))

    def launch_short_lived(self):
        k = 0

        def launch():
            nonlocal k
            k += 1
            script, options = short_lived_script(k)
            if self.run(f"short{k}", script, options):
                self.count("short_started")
                with self.lock:
                    self.short_started.append(k)
                    if "--rm" not in options:
                        self.to_remove.append((self.container_name(f"short{k}"),
                                               time.monotonic() + 5))
            else:
                self.count("short_failed")
                with self.lock:
                    self.short_uncertain.append(k)

        self.every(60.0 / self.short_per_minute, launch)

    def restart_in_turn(self):
        targets = [kind.name for kind in self.kinds if kind.restartable]
        turn = 0

        def restart():
            nonlocal turn
            if turn == 0 and self.restart_every > 0:
                turn += 1
                return  # the first restart one period after the start, not at once
            name = targets[(turn - 1) % len(targets)]
            turn += 1
            result = docker("restart", "-t", "5", self.container_name(name))
            self.count("restarts" if result.returncode == 0 else "restart_failed")

        if self.restart_every > 0:
            self.every(self.restart_every, restart)

    def remove_due(self, force_all=False):
        now = time.monotonic()
        with self.lock:
            due = [(n, t) for n, t in self.to_remove if force_all or t <= now]
        for name, t in due:
            result = docker("rm", "-f" if force_all else "-v", name)
            if result.returncode == 0 or b"No such container" in result.stderr:
                with self.lock:
                    self.to_remove.remove((name, t))
                self.count("short_removed")

    def remove_exited(self):
        self.every(2.0, self.remove_due)

    def stop_churn(self):
        self.stop_event.set()
        for thread in self.threads:
            thread.join()

    def stop_containers(self, timeout=60):
        """Stops the long-running containers (TERM: each ends between two lines) and waits
        until no soak container runs any more."""
        docker("stop", "-t", "10", *[self.container_name(k.name) for k in self.kinds])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            running = docker("ps", "-q", "--filter", f"label={self.label}",
                             "--filter", "status=running").stdout.split()
            if not running:
                return True
            time.sleep(0.5)
        return False

    def remove_all(self):
        ids = docker("ps", "-aq", "--filter", f"label={self.label}").stdout.split()
        if ids:
            docker("rm", "-f", *[i.decode() for i in ids])
