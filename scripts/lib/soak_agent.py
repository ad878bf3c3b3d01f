"""The agent under soak: its config, its process, and one resource sample of it.

A sample reads /proc (FDs, threads, RSS, CPU) and the agent's /metrics together, so that the
FD count can be corrected for the sockets the agent is expected to hold at that moment.
"""
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse_metrics(text):
    """Prometheus text -> {name: summed value over its label sets}."""
    values = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        series, _, value = line.rpartition(" ")
        name = series.split("{", 1)[0]
        try:
            values[name] = values.get(name, 0.0) + float(value)
        except ValueError:
            continue
    return values


def is_sanitizer_build(binary):
    """ASan keeps freed memory in quarantine (RSS grows by design): RSS is not judged then."""
    marker = b"AddressSanitizer"
    with open(binary, "rb") as f:
        tail = b""
        while chunk := f.read(1 << 20):
            if marker in tail + chunk:
                return True
            tail = chunk[-len(marker):]
    return False


class Agent:
    def __init__(self, binary, work_dir, docker_host, label):
        self.binary = binary
        self.work_dir = work_dir
        self.data_dir = os.path.join(work_dir, "data")
        self.store_dir = os.path.join(self.data_dir, "store")
        self.config_path = os.path.join(work_dir, "agent.yaml")
        self.log_path = os.path.join(work_dir, "agent.log")
        self.api_port = free_port()
        self.metrics_port = free_port()
        self.docker_host = docker_host
        self.label = label
        self.process = None
        self.start_time = None  # /proc/pid/stat starttime: a different value means a new process

    def write_config(self):
        # Store files never deleted (max_files) so every line can be checked; they still rotate.
        with open(self.config_path, "w") as f:
            f.write(f"""data_dir: {self.data_dir}
log_level: info
docker:
  host: {self.docker_host}
inputs:
  docker:
    filter:
      include_labels: ["{self.label}"]
sinks:
  file_store:
    max_file_bytes: 64MiB
    max_files: 100000
server:
  listen: 127.0.0.1:{self.api_port}
  metrics_listen: 127.0.0.1:{self.metrics_port}
""")

    def start(self, timeout=30):
        self.write_config()
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([self.binary, "--config", self.config_path],
                                        stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"agent exited with {self.process.returncode} at start-up; "
                                   f"see {self.log_path}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.api_port}/health", timeout=1)
                break
            except urllib.error.HTTPError:
                break  # 503 while Docker is being reached: the server answers, good enough
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"agent did not serve /health within {timeout}s")
        self.start_time = self.proc_start_time()

    @property
    def pid(self):
        return self.process.pid

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def proc_start_time(self):
        with open(f"/proc/{self.pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[19])

    def metrics(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics",
                                    timeout=5) as response:
            return parse_metrics(response.read().decode())

    def fd_count(self):
        return len(os.listdir(f"/proc/{self.pid}/fd"))

    def sample(self):
        """One consistent reading, or None when the process is gone."""
        if not self.alive():
            return None
        pid = self.pid
        try:
            # FDs read before and after the scrape must agree, else the agent was opening or
            # closing sockets meanwhile and the correction would be off: read again.
            for _ in range(5):
                fds_before = self.fd_count()
                m = self.metrics()
                fds = self.fd_count()
                if fds == fds_before:
                    break
                time.sleep(0.02)
            threads = len(os.listdir(f"/proc/{pid}/task"))
            with open(f"/proc/{pid}/status") as f:
                rss_kib = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            cpu_seconds = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
            start_time = int(fields[19])
        except (OSError, StopIteration):
            return None
        g = lambda name: m.get(name, 0.0)
        docker_sockets = (g("log_capturer_docker_http_active_connections") +
                          g("log_capturer_docker_http_idle_connections") +
                          g("log_capturer_docker_streams_active"))
        # Our own scrape is one of the server's active connections but was not open at the
        # reads of /proc: it is not subtracted.
        server_sockets = max(g("log_capturer_http_connections_active") - 1, 0)
        return {
            "pid": pid,
            "start_time": start_time,
            "fds": fds,
            "fds_net": fds - docker_sockets - server_sockets,
            "threads": threads,
            "rss_kib": rss_kib,
            "cpu_seconds": round(cpu_seconds, 2),
            "containers_followed": g("log_capturer_containers_followed"),
            "container_streams_active": g("log_capturer_container_streams_active"),
            "docker_streams_active": g("log_capturer_docker_streams_active"),
            "docker_http_active": g("log_capturer_docker_http_active_connections"),
            "docker_http_idle": g("log_capturer_docker_http_idle_connections"),
            "docker_http_requests": g("log_capturer_docker_http_requests_total"),
            "docker_http_connections_opened": g("log_capturer_docker_http_connections_opened_total"),
            "docker_http_errors": g("log_capturer_docker_http_errors_total"),
            "streams_opened": g("log_capturer_container_streams_opened_total"),
            "streams_closed": g("log_capturer_container_streams_closed_total"),
            "stream_errors": g("log_capturer_container_stream_errors_total"),
            "records_delivered": g("log_capturer_pipeline_records_delivered_total"),
            "queued_records": g("log_capturer_pipeline_queued_records"),
            "pipeline_memory_bytes": g("log_capturer_pipeline_memory_bytes"),
            "events_reconnects": g("log_capturer_docker_events_reconnects_total"),
        }

    def stop(self, timeout=60):
        """SIGTERM, then the exit code (SIGKILL and -9 when it does not exit in time)."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                return -9
        return self.process.returncode

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
